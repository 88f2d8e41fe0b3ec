// Discovery documents (/version, /api, /apis, /api/v1, /apis/G/V) and a minimal OpenAPI v3,
// enough for kubectl's resource mapping, shortNames, `get all`, and `apply -f` validation.
import {resources, verbsOf, type Resource} from './resources.js';

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

export function groupVersions(): GroupVersion[] {
	const seen = new Map<string, GroupVersion>();
	for (const r of resources) {
		for (const version of r.versions) seen.set(`${r.group}/${version}`, {group: r.group, version});
	}
	return [...seen.values()];
}

export function apiVersions(serverAddress: string) {
	return {kind: 'APIVersions', versions: ['v1'], serverAddressByClientCIDRs: [{clientCIDR: '0.0.0.0/0', serverAddress}]};
}

export function apiGroupList() {
	const groups = new Map<string, Resource[]>();
	for (const r of resources) {
		if (r.group === '') continue;
		const list = groups.get(r.group) ?? [];
		list.push(r);
		groups.set(r.group, list);
	}
	return {
		kind: 'APIGroupList',
		apiVersion: 'v1',
		groups: [...groups.entries()].map(([name, rs]) => {
			const versions = [...new Set(rs.flatMap(r => r.versions))];
			const preferred = rs[0]!.versions[0]!;
			return {
				name,
				versions: versions.map(version => ({groupVersion: `${name}/${version}`, version})),
				preferredVersion: {groupVersion: `${name}/${preferred}`, version: preferred},
			};
		}),
	};
}

export function apiResourceList(group: string, version: string) {
	const list = resources.filter(r => r.group === group && r.versions.includes(version));
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

const gvPath = ({group, version}: GroupVersion) => (group ? `apis/${group}/${version}` : `api/${version}`);

export function openApiRoot() {
	const paths: Record<string, {serverRelativeURL: string}> = {};
	for (const gv of groupVersions()) paths[gvPath(gv)] = {serverRelativeURL: `/openapi/v3/${gvPath(gv)}?hash=sim1`};
	return {paths};
}

/** A schema-less OpenAPI v3 document per group-version: PATCH operations that accept `fieldValidation`. */
export function openApiGroupVersion(path: string) {
	const gv = groupVersions().find(x => gvPath(x) === path);
	if (!gv) return undefined;
	const paths: Record<string, unknown> = {};
	for (const r of resources.filter(x => x.group === gv.group && x.versions.includes(gv.version))) {
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
export function openApiV2() {
	const paths: Record<string, Record<string, unknown>> = {};
	for (const gv of groupVersions()) {
		const path = gvPath(gv);
		for (const r of resources.filter(x => x.group === gv.group && x.versions.includes(gv.version))) {
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
