// CustomResourceDefinitions as the apiextensions-apiserver handles them: defaults, validation
// (with its messages), and the status its naming and establishing controllers write
// (acceptedNames, NamesAccepted, Established, storedVersions). Schemas are not enforced: every
// version is served as if it preserved unknown fields; conversion is None (apiVersion rewritten).
import type {StatusCause} from './errors.js';
import {isPlainObject, nowIso, type KObject} from './object.js';
import {customResourceOf, type CustomResource, type ResourceRegistry} from './resources.js';

export const crdKey = 'apiextensions.k8s.io/customresourcedefinitions';

const dns1035 = /^[a-z]([-a-z0-9]*[a-z0-9])?$/;
const dns1123Subdomain = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const dns1035Message = "a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character (e.g. 'my-name',  or 'abc-123', regex used for validation is '[a-z]([-a-z0-9]*[a-z0-9])?')";
const subdomainMessage = "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')";
const columnTypes = ['boolean', 'date', 'integer', 'number', 'string'];
const columnFormats = ['byte', 'date', 'date-time', 'double', 'float', 'int32', 'int64', 'password'];
const approvalAnnotation = 'api-approved.kubernetes.io';

const quote = (v: unknown) => JSON.stringify(v ?? '');

/** SetDefaults_CustomResourceDefinition: singular and listKind from kind, conversion None. Edits `crd`. */
export function defaultCrd(crd: KObject): KObject {
	if (!isPlainObject(crd.spec)) return crd;
	const names = crd.spec.names;
	if (isPlainObject(names) && typeof names.kind === 'string' && names.kind !== '') {
		names.singular ??= names.kind.toLowerCase();
		names.listKind ??= `${names.kind}List`;
	}
	crd.spec.conversion ??= {strategy: 'None'};
	return crd;
}

function isProtectedGroup(group: string): boolean {
	return group === 'k8s.io' || group.endsWith('.k8s.io') || group === 'kubernetes.io' || group.endsWith('.kubernetes.io');
}

function jsonPathUnder(path: unknown, roots: string[]): boolean {
	return typeof path === 'string' && roots.some(root => path === root || path.startsWith(`${root}.`) || path.startsWith(`${root}[`));
}

/**
 * What the API server refuses in a CRD (create, or update when `old` is given), in its words:
 * the name must be plural.group, names must be DNS labels, exactly one storage version, every
 * version needs a schema, protected groups need the approval annotation, group and plural are
 * immutable (and scope and kind once established).
 */
export function crdCauses(crd: KObject, old?: KObject): StatusCause[] {
	const causes: StatusCause[] = [];
	const required = (field: string, detail = '') => causes.push({type: 'FieldValueRequired', field, message: `Required value${detail ? `: ${detail}` : ''}`});
	const bad = (field: string, value: unknown, detail: string) => causes.push({type: 'FieldValueInvalid', field, message: `Invalid value: ${quote(value)}: ${detail}`});
	const spec = isPlainObject(crd.spec) ? crd.spec : {};
	const names = isPlainObject(spec.names) ? spec.names : {};
	const group = typeof spec.group === 'string' ? spec.group : '';
	const name = crd.metadata?.name ?? '';

	if (name !== `${names.plural ?? ''}.${group}`) bad('metadata.name', name, 'must be spec.names.plural+"."+spec.group');
	if (group === '') required('spec.group');
	else if (!dns1123Subdomain.test(group)) bad('spec.group', group, subdomainMessage);
	else if (!group.includes('.')) bad('spec.group', group, 'should be a domain with at least one dot');
	if (spec.scope === undefined || spec.scope === '') required('spec.scope');
	else if (spec.scope !== 'Cluster' && spec.scope !== 'Namespaced') {
		causes.push({type: 'FieldValueNotSupported', field: 'spec.scope', message: `Unsupported value: ${quote(spec.scope)}: supported values: "Cluster", "Namespaced"`});
	}

	const versions: any[] = Array.isArray(spec.versions) ? spec.versions : [];
	const seen = new Set<string>();
	let storage = 0;
	versions.forEach((v, i) => {
		const at = `spec.versions[${i}]`;
		if (v?.storage === true) storage++;
		const vname = v?.name;
		if (typeof vname !== 'string' || !dns1035.test(vname)) bad(`${at}.name`, vname, dns1035Message);
		else if (seen.has(vname)) causes.push({type: 'FieldValueInvalid', field: 'spec.versions', message: 'Invalid value: "...": must contain unique version names'});
		if (typeof vname === 'string') seen.add(vname);
		if (!isPlainObject(v?.schema?.openAPIV3Schema)) required(`${at}.schema.openAPIV3Schema`, 'schemas are required');
		const scale = v?.subresources?.scale;
		if (scale !== undefined && scale !== null) {
			if (!scale.specReplicasPath) required(`${at}.subresources.scale.specReplicasPath`);
			else if (!jsonPathUnder(scale.specReplicasPath, ['.spec'])) bad(`${at}.subresources.scale.specReplicasPath`, scale.specReplicasPath, 'should be a json path under .spec');
			if (!scale.statusReplicasPath) required(`${at}.subresources.scale.statusReplicasPath`);
			else if (!jsonPathUnder(scale.statusReplicasPath, ['.status'])) bad(`${at}.subresources.scale.statusReplicasPath`, scale.statusReplicasPath, 'should be a json path under .status');
			if (scale.labelSelectorPath && !jsonPathUnder(scale.labelSelectorPath, ['.spec', '.status'])) {
				bad(`${at}.subresources.scale.labelSelectorPath`, scale.labelSelectorPath, 'should be a json path under either .spec or .status');
			}
		}
		const columns: any[] = Array.isArray(v?.additionalPrinterColumns) ? v.additionalPrinterColumns : [];
		columns.forEach((c, j) => {
			const cat = `${at}.additionalPrinterColumns[${j}]`;
			if (!c?.name) required(`${cat}.name`);
			if (!c?.type) required(`${cat}.type`, `must be one of ${columnTypes.join(',')}`);
			else if (!columnTypes.includes(c.type)) bad(`${cat}.type`, c.type, `must be one of ${columnTypes.join(',')}`);
			if (c?.format && !columnFormats.includes(c.format)) bad(`${cat}.format`, c.format, `must be one of ${columnFormats.join(',')}`);
			if (!c?.jsonPath) required(`${cat}.JSONPath`);
		});
	});
	if (storage !== 1) causes.push({type: 'FieldValueInvalid', field: 'spec.versions', message: 'Invalid value: "...": must have exactly one version marked as storage version'});

	for (const field of ['plural', 'singular', 'kind', 'listKind'] as const) {
		if (typeof names[field] !== 'string' || names[field] === '') required(`spec.names.${field}`);
	}
	for (const field of ['plural', 'singular'] as const) {
		if (typeof names[field] === 'string' && names[field] !== '' && !dns1035.test(names[field])) bad(`spec.names.${field}`, names[field], dns1035Message);
	}
	for (const field of ['kind', 'listKind'] as const) {
		if (typeof names[field] === 'string' && names[field] !== '' && !dns1035.test(names[field].toLowerCase())) {
			bad(`spec.names.${field}`, names[field], `may have mixed case, but should otherwise match: ${dns1035Message}`);
		}
	}
	if (names.kind && names.kind === names.listKind) bad('spec.names.listKind', names.listKind, 'kind and listKind may not be the same');
	for (const field of ['shortNames', 'categories'] as const) {
		const list: unknown[] = Array.isArray(names[field]) ? names[field] : [];
		list.forEach((s, i) => {
			if (typeof s !== 'string' || !dns1035.test(s)) bad(`spec.names.${field}[${i}]`, s, dns1035Message);
		});
	}
	const strategy = spec.conversion?.strategy;
	if (strategy !== undefined && strategy !== 'None' && strategy !== 'Webhook') {
		causes.push({type: 'FieldValueNotSupported', field: 'spec.conversion.strategy', message: `Unsupported value: ${quote(strategy)}: supported values: "None", "Webhook"`});
	}
	if (group !== '' && isProtectedGroup(group) && !old && !crd.metadata?.annotations?.[approvalAnnotation]) {
		causes.push({
			type: 'FieldValueRequired',
			field: `metadata.annotations[${approvalAnnotation}]`,
			message: `Required value: protected groups must have approval annotation "${approvalAnnotation}", see https://github.com/kubernetes/enhancements/pull/1111`,
		});
	}

	if (old) {
		const immutable = (field: string, now: unknown, before: unknown) => {
			if (now !== before) bad(field, now, 'field is immutable');
		};
		immutable('spec.group', spec.group, old.spec?.group);
		immutable('spec.names.plural', names.plural, old.spec?.names?.plural);
		if (isEstablished(old)) {
			immutable('spec.scope', spec.scope, old.spec?.scope);
			immutable('spec.names.kind', names.kind, old.spec?.names?.kind);
		}
		// A version once stored must stay listed until a storage migration removes it.
		const listed = new Set(versions.map(v => v?.name));
		const stored: string[] = Array.isArray(old.status?.storedVersions) ? old.status.storedVersions : [];
		stored.forEach((v, i) => {
			if (!listed.has(v)) {
				bad(`status.storedVersions[${i}]`, v, `missing from spec.versions; ${v} was previously a storage version, and must remain in spec.versions until a storage migration ensures no data remains persisted in ${v} and removes ${v} from status.storedVersions`);
			}
		});
	}
	return causes;
}

export function isEstablished(crd: KObject | undefined): boolean {
	return (crd?.status?.conditions ?? []).some((c: any) => c?.type === 'Established' && c?.status === 'True');
}

type Condition = {type: string; status: 'True' | 'False'; lastTransitionTime: string; reason: string; message: string};

function condition(previous: any[], type: string, status: 'True' | 'False', reason: string, message: string, stamp: string): Condition {
	const before = previous.find(c => c?.type === type);
	return {type, status, lastTransitionTime: before?.status === status ? before.lastTransitionTime : stamp, reason, message};
}

/** The names other CRDs of the same group have claimed (their accepted names). */
function namesInUse(crd: KObject, others: KObject[]): {resources: Set<string>; kinds: Set<string>} {
	const resources = new Set<string>();
	const kinds = new Set<string>();
	for (const o of others) {
		if (o.metadata.name === crd.metadata.name || o.spec?.group !== crd.spec?.group) continue;
		const a = o.status?.acceptedNames ?? {};
		for (const n of [a.plural, a.singular, ...(Array.isArray(a.shortNames) ? a.shortNames : [])]) if (typeof n === 'string') resources.add(n);
		for (const n of [a.kind, a.listKind]) if (typeof n === 'string') kinds.add(n);
	}
	return {resources, kinds};
}

/**
 * The status the naming and establishing controllers give a CRD among `others` (the CRDs stored
 * before it): accepted names (a name another CRD of the group holds is refused), NamesAccepted,
 * Established (once true, it stays), and storedVersions (the storage version added).
 */
export function crdStatus(crd: KObject, others: KObject[], now = Date.now()): Record<string, any> {
	const stamp = nowIso(now);
	const previous: any[] = Array.isArray(crd.status?.conditions) ? crd.status.conditions : [];
	const requested = crd.spec?.names ?? {};
	const accepted = isPlainObject(crd.status?.acceptedNames) ? crd.status.acceptedNames : {};
	const names: Record<string, any> = {...accepted};
	const used = namesInUse(crd, others);
	let conflict: {reason: string; message: string} | undefined;
	const check = (field: 'plural' | 'singular' | 'kind' | 'listKind', pool: Set<string>, reason: string) => {
		const want = requested[field];
		if (want === accepted[field] || !pool.has(want)) names[field] = want;
		else conflict = {reason, message: `${quote(want)} is already in use`};
	};
	check('plural', used.resources, 'PluralConflict');
	check('singular', used.resources, 'SingularConflict');
	const short: string[] = Array.isArray(requested.shortNames) ? requested.shortNames : [];
	const taken = short.filter(s => !(accepted.shortNames ?? []).includes(s) && used.resources.has(s));
	if (taken.length === 0) {
		if (short.length > 0) names.shortNames = short;
		else delete names.shortNames;
	} else {
		conflict = {reason: 'ShortNamesConflict', message: taken.map(s => `${quote(s)} is already in use`).join(', ')};
	}
	check('kind', used.kinds, 'KindConflict');
	check('listKind', used.kinds, 'ListKindConflict');
	if (Array.isArray(requested.categories) && requested.categories.length > 0) names.categories = requested.categories;
	else delete names.categories;

	const wasEstablished = isEstablished(crd);
	const namesAccepted = conflict
		? condition(previous, 'NamesAccepted', 'False', conflict.reason, conflict.message, stamp)
		: condition(previous, 'NamesAccepted', 'True', 'NoConflicts', 'no conflicts found', stamp);
	const established = wasEstablished || !conflict
		? condition(previous, 'Established', 'True', 'InitialNamesAccepted', 'the initial names have been accepted', stamp)
		: condition(previous, 'Established', 'False', 'NotAccepted', 'not all names are accepted', stamp);

	const storageVersion = (Array.isArray(crd.spec?.versions) ? crd.spec.versions : []).find((v: any) => v?.storage === true)?.name;
	const stored: string[] = Array.isArray(crd.status?.storedVersions) ? [...crd.status.storedVersions] : [];
	if (typeof storageVersion === 'string' && !stored.includes(storageVersion)) stored.push(storageVersion);
	return {
		...(isPlainObject(crd.status) ? crd.status : {}),
		acceptedNames: names,
		conditions: [namesAccepted, established, ...previous.filter(c => c?.type !== 'NamesAccepted' && c?.type !== 'Established')],
		storedVersions: stored,
	};
}

/** The resource an established CRD serves under its accepted names, or undefined. */
export function servedResourceOf(crd: KObject): CustomResource | undefined {
	if (!isEstablished(crd)) return undefined;
	const accepted = crd.status?.acceptedNames;
	const named = isPlainObject(accepted) && accepted.plural ? {...crd, spec: {...crd.spec, names: {...crd.spec.names, ...accepted}}} : crd;
	return customResourceOf(named);
}

/** Serve what a stored CRD says, or stop serving it when it is not established. */
export function syncServed(registry: ResourceRegistry, crd: KObject): void {
	const custom = servedResourceOf(crd);
	if (custom) registry.serve(crd.metadata.name!, custom);
	else registry.stopServing(crd.metadata.name!);
}
