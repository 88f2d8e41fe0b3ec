// The kinds of object the simulated cluster serves, as discovery describes them: the built-in
// kinds, and a registry per store to which CustomResourceDefinitions add their resources.
import {simCrds} from './crds.js';
import type {KObject} from './object.js';

export type PrinterColumn = {name: string; jsonPath: string; type?: string; format?: string; description?: string; priority?: number};

/** Where the scale subresource of a custom resource finds its numbers (the CRD's subresources.scale). */
export type ScalePaths = {specReplicasPath: string; statusReplicasPath: string; labelSelectorPath?: string};

export type Resource = {
	/** API group; '' for core/v1. */
	group: string;
	/** Versions served, preferred first. */
	versions: string[];
	/** The version objects are stored in (default: the first of `versions`); other versions are views. */
	storageVersion?: string;
	plural: string;
	singular: string;
	kind: string;
	namespaced: boolean;
	shortNames?: string[];
	categories?: string[];
	subresources?: Array<'status' | 'scale'>;
	/** Built into Kubernetes: strategic merge patch is accepted. Custom resources answer 415. */
	builtin: boolean;
	/** Verbs beyond the usual CRUD set (for create-only resources such as access reviews). */
	verbs?: string[];
	/** Served for reads only under this group (events.k8s.io mirrors core events). */
	readOnly?: boolean;
	/** The stored resource this one is a view of. */
	aliasOf?: string;
	/** The columns of a custom resource's Table (the CRD's additionalPrinterColumns); none means Age. */
	printerColumns?: PrinterColumn[];
	/** Custom resources with a scale subresource: where replicas and the selector live. */
	scale?: ScalePaths;
	/** Custom resources: the name of the CustomResourceDefinition that defines this resource. */
	crd?: string;
};

const allVerbs = ['create', 'delete', 'deletecollection', 'get', 'list', 'patch', 'update', 'watch'];

/** The kinds compiled into the sim, as the kube-apiserver has them. */
export const builtinResources: readonly Resource[] = [
	{group: '', versions: ['v1'], plural: 'namespaces', singular: 'namespace', kind: 'Namespace', namespaced: false, shortNames: ['ns'], subresources: ['status'], builtin: true},
	{group: '', versions: ['v1'], plural: 'pods', singular: 'pod', kind: 'Pod', namespaced: true, shortNames: ['po'], categories: ['all'], subresources: ['status'], builtin: true},
	{group: '', versions: ['v1'], plural: 'services', singular: 'service', kind: 'Service', namespaced: true, shortNames: ['svc'], categories: ['all'], subresources: ['status'], builtin: true},
	{group: '', versions: ['v1'], plural: 'endpoints', singular: 'endpoints', kind: 'Endpoints', namespaced: true, shortNames: ['ep'], builtin: true},
	{group: '', versions: ['v1'], plural: 'events', singular: 'event', kind: 'Event', namespaced: true, shortNames: ['ev'], builtin: true},
	{group: '', versions: ['v1'], plural: 'configmaps', singular: 'configmap', kind: 'ConfigMap', namespaced: true, shortNames: ['cm'], builtin: true},
	{group: '', versions: ['v1'], plural: 'secrets', singular: 'secret', kind: 'Secret', namespaced: true, builtin: true},
	{group: '', versions: ['v1'], plural: 'serviceaccounts', singular: 'serviceaccount', kind: 'ServiceAccount', namespaced: true, shortNames: ['sa'], builtin: true},
	{group: 'events.k8s.io', versions: ['v1'], plural: 'events', singular: 'event', kind: 'Event', namespaced: true, shortNames: ['ev'], builtin: true, readOnly: true, aliasOf: 'events'},
	{group: 'apps', versions: ['v1'], plural: 'deployments', singular: 'deployment', kind: 'Deployment', namespaced: true, shortNames: ['deploy'], categories: ['all'], subresources: ['status', 'scale'], builtin: true},
	{group: 'apps', versions: ['v1'], plural: 'replicasets', singular: 'replicaset', kind: 'ReplicaSet', namespaced: true, shortNames: ['rs'], categories: ['all'], subresources: ['status', 'scale'], builtin: true},
	{group: 'batch', versions: ['v1'], plural: 'jobs', singular: 'job', kind: 'Job', namespaced: true, categories: ['all'], subresources: ['status'], builtin: true},
	{group: 'autoscaling', versions: ['v2'], plural: 'horizontalpodautoscalers', singular: 'horizontalpodautoscaler', kind: 'HorizontalPodAutoscaler', namespaced: true, shortNames: ['hpa'], categories: ['all'], subresources: ['status'], builtin: true},
	{group: 'networking.k8s.io', versions: ['v1'], plural: 'ingresses', singular: 'ingress', kind: 'Ingress', namespaced: true, shortNames: ['ing'], subresources: ['status'], builtin: true},
	{group: 'authorization.k8s.io', versions: ['v1'], plural: 'selfsubjectaccessreviews', singular: 'selfsubjectaccessreview', kind: 'SelfSubjectAccessReview', namespaced: false, builtin: true, verbs: ['create']},
	{group: 'authentication.k8s.io', versions: ['v1', 'v1beta1'], plural: 'selfsubjectreviews', singular: 'selfsubjectreview', kind: 'SelfSubjectReview', namespaced: false, builtin: true, verbs: ['create']},
	{
		group: 'apiextensions.k8s.io', versions: ['v1'], plural: 'customresourcedefinitions', singular: 'customresourcedefinition', kind: 'CustomResourceDefinition', namespaced: false,
		shortNames: ['crd', 'crds'], categories: ['api-extensions'], subresources: ['status'], builtin: true,
	},
];

/** The key a resource is stored and watched under: 'pods', 'apps/deployments'. */
export function resourceKey(r: Pick<Resource, 'group' | 'plural'>): string {
	return r.group === '' ? r.plural : `${r.group}/${r.plural}`;
}

export function storageKey(r: Resource): string {
	return r.aliasOf ?? resourceKey(r);
}

export function storageVersionOf(r: Resource): string {
	return r.storageVersion ?? r.versions[0]!;
}

/** The apiVersion of `r` at `version`; by default the one objects are stored in. */
export function apiVersionOf(r: Resource, version = storageVersionOf(r)): string {
	return r.group === '' ? version : `${r.group}/${version}`;
}

/** The group-qualified name used in error messages: `deployments.apps`, `pods`. */
export function qualifiedName(r: Resource): string {
	return r.group === '' ? r.plural : `${r.plural}.${r.group}`;
}

export function verbsOf(r: Resource): string[] {
	if (r.verbs) return r.verbs;
	if (r.readOnly) return ['get', 'list', 'watch'];
	return allVerbs;
}

const kubeVersion = /^v(\d+)(?:(alpha|beta)(\d+))?$/;

/**
 * apimachinery's CompareKubeAwareVersionStrings as a sort order: GA before beta before alpha,
 * higher numbers first (v2, v1, v1beta2, v1beta1, v1alpha1), then other names alphabetically.
 */
export function compareKubeVersions(a: string, b: string): number {
	const ma = kubeVersion.exec(a);
	const mb = kubeVersion.exec(b);
	if (!ma || !mb) return ma ? -1 : mb ? 1 : a.localeCompare(b);
	const rank = (m: RegExpExecArray) => (m[2] === undefined ? 2 : m[2] === 'beta' ? 1 : 0);
	return rank(mb) - rank(ma) || Number(mb[1]) - Number(ma[1]) || Number(mb[3] ?? 0) - Number(ma[3] ?? 0);
}

// ---------------------------------------------------------------------------------------------
// A CustomResourceDefinition's resource

/** The served resource a CRD defines: one view per served version (subresources and columns may differ). */
export type CustomResource = {resource: Resource; views: Map<string, Resource>};

const stringList = (v: unknown): string[] | undefined => (Array.isArray(v) && v.length > 0 ? v.filter((x): x is string => typeof x === 'string') : undefined);

function printerColumnsOf(version: any): PrinterColumn[] {
	const columns: unknown[] = Array.isArray(version?.additionalPrinterColumns) ? version.additionalPrinterColumns : [];
	return columns.filter((c: any) => typeof c?.name === 'string' && typeof c?.jsonPath === 'string').map((c: any) => ({
		name: c.name,
		jsonPath: c.jsonPath,
		...(typeof c.type === 'string' ? {type: c.type} : {}),
		...(typeof c.format === 'string' ? {format: c.format} : {}),
		...(typeof c.description === 'string' ? {description: c.description} : {}),
		...(typeof c.priority === 'number' ? {priority: c.priority} : {}),
	}));
}

/**
 * The resource a (valid) CustomResourceDefinition defines, or undefined when it serves no version.
 * Served versions are ordered by Kubernetes version priority (the first is preferred); objects are
 * stored under the version marked `storage`.
 */
export function customResourceOf(crd: KObject): CustomResource | undefined {
	const spec = crd.spec ?? {};
	const names = spec.names ?? {};
	const versions: any[] = Array.isArray(spec.versions) ? spec.versions : [];
	const served = versions.filter(v => v?.served === true && typeof v?.name === 'string').map(v => v.name as string).sort(compareKubeVersions);
	const storage = versions.find(v => v?.storage === true)?.name;
	if (served.length === 0 || typeof storage !== 'string') return undefined;
	const base: Resource = {
		group: String(spec.group),
		versions: served,
		storageVersion: storage,
		plural: String(names.plural),
		singular: String(names.singular ?? String(names.kind).toLowerCase()),
		kind: String(names.kind),
		namespaced: spec.scope !== 'Cluster',
		...(stringList(names.shortNames) ? {shortNames: stringList(names.shortNames)} : {}),
		...(stringList(names.categories) ? {categories: stringList(names.categories)} : {}),
		builtin: false,
		crd: crd.metadata.name,
	};
	const views = new Map<string, Resource>();
	for (const v of versions) {
		if (v?.served !== true || typeof v?.name !== 'string') continue;
		const sub = v.subresources ?? {};
		const subresources: Array<'status' | 'scale'> = [];
		if (sub.status && typeof sub.status === 'object') subresources.push('status');
		const scale = sub.scale && typeof sub.scale === 'object' ? sub.scale : undefined;
		if (scale) subresources.push('scale');
		views.set(v.name, {
			...base,
			...(subresources.length > 0 ? {subresources} : {}),
			printerColumns: printerColumnsOf(v),
			...(scale
				? {scale: {specReplicasPath: String(scale.specReplicasPath), statusReplicasPath: String(scale.statusReplicasPath), ...(typeof scale.labelSelectorPath === 'string' ? {labelSelectorPath: scale.labelSelectorPath} : {})}}
				: {}),
		});
	}
	// The stored resource behaves as its storage version does (status kept on updates, say), or the preferred one.
	const resource = views.get(storage) ?? views.get(served[0]!)!;
	return {resource, views};
}

// ---------------------------------------------------------------------------------------------
// The registry

/**
 * What one simulated cluster serves: the built-in kinds plus the resources of its established
 * CustomResourceDefinitions. The store keeps it in step with the CRD objects it holds.
 */
export class ResourceRegistry {
	private readonly custom = new Map<string, CustomResource>();
	private byKeyCache: Map<string, Resource> | undefined;

	constructor(private readonly builtin: readonly Resource[] = builtinResources) {}

	/** Every resource, custom ones as stored (one entry per resource, not per version). */
	all(): Resource[] {
		return [...this.builtin, ...[...this.custom.values()].map(c => c.resource)];
	}

	/** Serve (or serve anew) the resource of a CRD. */
	serve(crdName: string, custom: CustomResource): void {
		this.custom.set(crdName, custom);
		this.byKeyCache = undefined;
	}

	/** Stop serving a CRD's resource; returns what it served. */
	stopServing(crdName: string): Resource | undefined {
		const gone = this.custom.get(crdName);
		this.custom.delete(crdName);
		this.byKeyCache = undefined;
		return gone?.resource;
	}

	/** The resource a CRD of this name serves now. */
	servedBy(crdName: string): Resource | undefined {
		return this.custom.get(crdName)?.resource;
	}

	/** The resource at a URL's group, version and plural, as served at that version. */
	find(group: string, version: string, plural: string): Resource | undefined {
		const b = this.builtin.find(r => r.group === group && r.plural === plural && r.versions.includes(version));
		if (b) return b;
		for (const c of this.custom.values()) {
			if (c.resource.group === group && c.resource.plural === plural) return c.views.get(version);
		}
		return undefined;
	}

	/** The resources served at one group-version (custom ones as that version has them). */
	servedAt(group: string, version: string): Resource[] {
		const out = this.builtin.filter(r => r.group === group && r.versions.includes(version));
		for (const c of this.custom.values()) {
			const view = c.resource.group === group ? c.views.get(version) : undefined;
			if (view) out.push(view);
		}
		return out;
	}

	/** The resource of a kind in a group (the target of a scaleTargetRef, say). */
	byKind(group: string, kind: string): Resource | undefined {
		return this.all().find(r => r.group === group && r.kind === kind && !r.aliasOf);
	}

	get(key: string): Resource | undefined {
		if (!this.byKeyCache) {
			this.byKeyCache = new Map();
			for (const r of this.all()) if (!this.byKeyCache.has(resourceKey(r))) this.byKeyCache.set(resourceKey(r), r);
		}
		return this.byKeyCache.get(key);
	}

	byKey(key: string): Resource {
		const r = this.get(key);
		if (!r) throw new Error(`unknown resource ${key}`);
		return r;
	}
}

/** The resources of a fresh sim: the built-in kinds and those of the sim's own CRDs (crds.ts). */
const fresh = new ResourceRegistry();
for (const crd of simCrds()) {
	const custom = customResourceOf(crd);
	if (custom) fresh.serve(crd.metadata.name!, custom);
}

/** What a fresh sim serves. A running sim's set is its store's `resources`, which CRDs change. */
export const resources: readonly Resource[] = fresh.all();

/** A resource of a fresh sim by its key ('pods', 'argoproj.io/rollouts'); throws for an unknown key. */
export function resourceByKey(key: string): Resource {
	return fresh.byKey(key);
}
