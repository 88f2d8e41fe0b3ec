// Kubernetes objects as plain JSON (timestamps are strings), the way the API sends them.

export type OwnerReference = {apiVersion: string; kind: string; name: string; uid: string; controller?: boolean; blockOwnerDeletion?: boolean};

export type ObjectMeta = {
	name?: string;
	generateName?: string;
	namespace?: string;
	uid?: string;
	resourceVersion?: string;
	generation?: number;
	creationTimestamp?: string;
	deletionTimestamp?: string;
	labels?: Record<string, string>;
	annotations?: Record<string, string>;
	ownerReferences?: OwnerReference[];
	[key: string]: unknown;
};

export type KObject = {
	apiVersion?: string;
	kind?: string;
	metadata: ObjectMeta;
	spec?: any;
	status?: any;
	[key: string]: any;
};
