// Plain Kubernetes objects as the simulator stores them (JSON as the API sends it, timestamps as
// strings), and small helpers on them. The sim's own types: it imports nothing from the product.

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

export function clone<T>(value: T): T {
	return structuredClone(value);
}

export function deepEqual(a: unknown, b: unknown): boolean {
	if (a === b) return true;
	if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
	if (Array.isArray(a) !== Array.isArray(b)) return false;
	if (Array.isArray(a)) {
		const bb = b as unknown[];
		return a.length === bb.length && a.every((x, i) => deepEqual(x, bb[i]));
	}
	const ak = Object.keys(a as object).filter(k => (a as any)[k] !== undefined);
	const bk = Object.keys(b as object).filter(k => (b as any)[k] !== undefined);
	return ak.length === bk.length && ak.every(k => deepEqual((a as any)[k], (b as any)[k]));
}

/** Sorted-key JSON: equal values give equal strings. */
export function canonicalJson(value: unknown): string {
	if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
	if (value && typeof value === 'object') {
		const keys = Object.keys(value).filter(k => (value as any)[k] !== undefined).sort();
		return `{${keys.map(k => `${JSON.stringify(k)}:${canonicalJson((value as any)[k])}`).join(',')}}`;
	}
	return JSON.stringify(value);
}

export function isPlainObject(v: unknown): v is Record<string, any> {
	return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** The object's fields other than metadata and status: a change there bumps generation. */
export function specPart(o: KObject): Record<string, unknown> {
	const {metadata: _m, status: _s, apiVersion: _a, kind: _k, ...rest} = o;
	return rest;
}

export function nowIso(ms = Date.now()): string {
	return new Date(Math.floor(ms / 1000) * 1000).toISOString().replace('.000Z', 'Z');
}
