// Discovery documents (/version, /api, /apis, /apis/G, /api/v1, /apis/G/V, and aggregated
// discovery) of what a cluster serves now, CRDs included, and a minimal OpenAPI v3, enough for
// kubectl's resource mapping, shortNames, `get all`, and `apply -f` validation.
import {compareKubeVersions, verbsOf, type Resource, type ResourceRegistry} from './resources.js';

/** The Kubernetes 1.x minor the sim says it is, unless told another. */
export const defaultMinorVersion = 33;

/** /version for a Kubernetes 1.x minor; the machine's kubectl dispatcher picks its client (1.27-1.33) by it. */
export function versionInfo(minor = defaultMinorVersion) {
	return {
		major: '1',
		minor: String(minor),
		gitVersion: `v1.${minor}.0-rollscope-sim`,
		gitCommit: '0000000000000000000000000000000000000000',
		gitTreeState: 'clean',
		buildDate: '2026-01-01T00:00:00Z',
		goVersion: 'go1.24.0',
		compiler: 'gc',
		platform: 'linux/amd64',
	};
}

/** The version kubectl sees by default. */
export const serverVersion = versionInfo();

type GroupVersion = {group: string; version: string};

export function groupVersions(registry: ResourceRegistry): GroupVersion[] {
	const seen = new Map<string, GroupVersion>();
	for (const r of registry.all()) {
		for (const version of r.versions) seen.set(`${r.group}/${version}`, {group: r.group, version});
	}
	return [...seen.values()];
}

export function apiVersions(serverAddress: string) {
	return {kind: 'APIVersions', versions: ['v1'], serverAddressByClientCIDRs: [{clientCIDR: '0.0.0.0/0', serverAddress}]};
}

/** Each group with its versions, preferred first (Kubernetes version priority, as for CRD groups). */
function groups(registry: ResourceRegistry): Map<string, string[]> {
	const out = new Map<string, string[]>();
	for (const r of registry.all()) {
		if (r.group === '') continue;
		const versions = out.get(r.group) ?? [];
		for (const v of r.versions) if (!versions.includes(v)) versions.push(v);
		out.set(r.group, versions);
	}
	for (const versions of out.values()) versions.sort(compareKubeVersions);
	return out;
}

function apiGroup(name: string, versions: string[]) {
	return {
		name,
		versions: versions.map(version => ({groupVersion: `${name}/${version}`, version})),
		preferredVersion: {groupVersion: `${name}/${versions[0]}`, version: versions[0]},
	};
}

export function apiGroupList(registry: ResourceRegistry) {
	return {kind: 'APIGroupList', apiVersion: 'v1', groups: [...groups(registry)].map(([name, versions]) => apiGroup(name, versions))};
}

/** GET /apis/<group>: one APIGroup, or undefined for a group nothing serves. */
export function apiGroupOf(registry: ResourceRegistry, group: string) {
	const versions = groups(registry).get(group);
	return versions ? {kind: 'APIGroup', apiVersion: 'v1', ...apiGroup(group, versions)} : undefined;
}

export function apiResourceList(registry: ResourceRegistry, group: string, version: string) {
	const list = registry.servedAt(group, version);
	if (list.length === 0) return undefined;
	const entries: Record<string, unknown>[] = [];
	for (const r of list) {
		entries.push({
			name: r.plural,
			singularName: r.singular,
			namespaced: r.namespaced,
			kind: r.kind,
			verbs: verbsOf(r),
			...(r.shortNames ? {shortNames: r.shortNames} : {}),
			...(r.categories ? {categories: r.categories} : {}),
		});
		for (const sub of r.subresources ?? []) {
			entries.push(
				sub === 'scale'
					? {name: `${r.plural}/scale`, singularName: '', namespaced: r.namespaced, group: 'autoscaling', version: 'v1', kind: 'Scale', verbs: ['get', 'patch', 'update']}
					: {name: `${r.plural}/status`, singularName: '', namespaced: r.namespaced, kind: r.kind, verbs: ['get', 'patch', 'update']},
			);
		}
	}
	return {kind: 'APIResourceList', apiVersion: 'v1', groupVersion: group ? `${group}/${version}` : version, resources: entries};
}

// ---------------------------------------------------------------------------------------------
// Aggregated discovery (apidiscovery.k8s.io/v2, v2beta1): what kubectl asks for first.

const aggregatedTypes = ['v2', 'v2beta1'] as const;

/**
 * The aggregated discovery version the Accept header asks for (`application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList`),
 * or undefined for a client that wants the legacy documents.
 */
export function aggregatedDiscoveryVersion(accept: string): 'v2' | 'v2beta1' | undefined {
	const wanted = accept.split(',').map(part => {
		const params = new Map(part.split(';').slice(1).map(p => p.trim().split('=') as [string, string]));
		return params.get('g') === 'apidiscovery.k8s.io' && params.get('as') === 'APIGroupDiscoveryList' ? params.get('v') : undefined;
	});
	return aggregatedTypes.find(v => wanted.includes(v));
}

export function aggregatedContentType(version: 'v2' | 'v2beta1'): string {
	return `application/json;g=apidiscovery.k8s.io;v=${version};as=APIGroupDiscoveryList`;
}

function resourceDiscovery(r: Resource, version: string) {
	return {
		resource: r.plural,
		responseKind: {group: r.group, version, kind: r.kind},
		scope: r.namespaced ? 'Namespaced' : 'Cluster',
		singularResource: r.singular,
		verbs: verbsOf(r),
		...(r.shortNames ? {shortNames: r.shortNames} : {}),
		...(r.categories ? {categories: r.categories} : {}),
		...(r.subresources?.length
			? {
				subresources: r.subresources.map(sub =>
					sub === 'scale'
						? {subresource: 'scale', responseKind: {group: 'autoscaling', version: 'v1', kind: 'Scale'}, verbs: ['get', 'patch', 'update']}
						: {subresource: 'status', responseKind: {group: r.group, version, kind: r.kind}, verbs: ['get', 'patch', 'update']}),
			}
			: {}),
	};
}

/** GET /api (legacy: true) or /apis as an APIGroupDiscoveryList; versions of a group are listed preferred first. */
export function aggregatedDiscovery(registry: ResourceRegistry, legacy: boolean, version: 'v2' | 'v2beta1') {
	const list = legacy ? new Map([['', ['v1']]]) : groups(registry);
	return {
		kind: 'APIGroupDiscoveryList',
		apiVersion: `apidiscovery.k8s.io/${version}`,
		metadata: {},
		items: [...list].map(([group, versions]) => ({
			metadata: {name: group, creationTimestamp: null},
			versions: versions.map(v => ({version: v, resources: registry.servedAt(group, v).map(r => resourceDiscovery(r, v)), freshness: 'Current'})),
		})),
	};
}

const gvPath = ({group, version}: GroupVersion) => (group ? `apis/${group}/${version}` : `api/${version}`);

export function openApiRoot(registry: ResourceRegistry) {
	const paths: Record<string, {serverRelativeURL: string}> = {};
	for (const gv of groupVersions(registry)) paths[gvPath(gv)] = {serverRelativeURL: `/openapi/v3/${gvPath(gv)}?hash=sim1`};
	return {paths};
}

/** A schema-less OpenAPI v3 document per group-version: PATCH operations that accept `fieldValidation`. */
export function openApiGroupVersion(registry: ResourceRegistry, path: string) {
	const gv = groupVersions(registry).find(x => gvPath(x) === path);
	if (!gv) return undefined;
	const paths: Record<string, unknown> = {};
	for (const r of registry.servedAt(gv.group, gv.version)) {
		const base = `/${path}${r.namespaced ? '/namespaces/{namespace}' : ''}/${r.plural}/{name}`;
		const op = (action: string) => ({
			'x-kubernetes-group-version-kind': {group: gv.group, version: gv.version, kind: r.kind},
			'x-kubernetes-action': action,
			parameters: [
				{name: 'fieldValidation', in: 'query', schema: {type: 'string', uniqueItems: true}},
				{name: 'fieldManager', in: 'query', schema: {type: 'string', uniqueItems: true}},
				{name: 'dryRun', in: 'query', schema: {type: 'string', uniqueItems: true}},
			],
			responses: {},
		});
		paths[base] = {get: op('get'), put: op('put'), patch: op('patch'), delete: op('delete')};
		paths[`/${path}${r.namespaced ? '/namespaces/{namespace}' : ''}/${r.plural}`] = {get: op('list'), post: op('post')};
	}
	return {openapi: '3.0.0', info: {title: 'Kubernetes', version: serverVersion.gitVersion}, paths, components: {schemas: {}}};
}

/**
 * A schema-less Swagger 2.0 document (/openapi/v2) with the same operations as the v3 documents: kubectl 1.27
 * and 1.28 download it before any `create -f` or `apply` with validation (a missing one fails them), skip schema
 * validation for kinds it has no definition of, and read the `fieldValidation` parameter of PATCH operations.
 */
export function openApiV2(registry: ResourceRegistry) {
	const paths: Record<string, Record<string, unknown>> = {};
	for (const gv of groupVersions(registry)) {
		const path = gvPath(gv);
		for (const r of registry.all().filter(x => x.group === gv.group && x.versions.includes(gv.version))) {
			const op = (action: string, verb: string) => ({
				operationId: `${verb}${r.namespaced ? 'Namespaced' : ''}${r.kind}`,
				parameters: ['fieldValidation', 'fieldManager', 'dryRun'].map(name => ({name, in: 'query', type: 'string', uniqueItems: true})),
				responses: {},
				'x-kubernetes-action': action,
				'x-kubernetes-group-version-kind': {group: gv.group, kind: r.kind, version: gv.version},
			});
			const base = `/${path}${r.namespaced ? '/namespaces/{namespace}' : ''}/${r.plural}`;
			paths[base] = {get: op('list', 'list'), post: op('post', 'create')};
			paths[`${base}/{name}`] = {get: op('get', 'read'), put: op('put', 'replace'), patch: op('patch', 'patch'), delete: op('delete', 'delete')};
		}
	}
	return {swagger: '2.0', info: {title: 'Kubernetes', version: serverVersion.gitVersion}, paths, definitions: {}};
}
