// What the API server fills in and refuses when an object is written: defaults on every write,
// what it sets once an object has its identity, and validation.
import {crdCauses, defaultCrd} from './apiextensions.js';
import {invalid, type StatusCause} from './errors.js';
import {isPlainObject, type KObject} from './object.js';
import type {Resource} from './resources.js';
import {defaultDeployment} from './controllers/defaults.js';
import {matchesLabelSelector} from './selectors.js';

let nextClusterIp = 10;

/** Server-side defaults, as the real API server applies them on create and update. */
export function withDefaults(r: Resource, o: KObject): KObject {
	// Go clients send `creationTimestamp: null` in pod templates; the real server drops it on decode.
	const templateMeta = o.spec?.template?.metadata;
	if (templateMeta && templateMeta.creationTimestamp === null) delete templateMeta.creationTimestamp;
	if (o.metadata?.creationTimestamp === null) delete o.metadata.creationTimestamp;
	if (!r.builtin) return o;
	switch (r.kind) {
		case 'Deployment':
			if (isPlainObject(o.spec)) defaultDeployment(o);
			break;
		case 'ReplicaSet':
			if (isPlainObject(o.spec)) o.spec.replicas ??= 1;
			break;
		case 'Service':
			defaultService(o);
			break;
		case 'CustomResourceDefinition':
			defaultCrd(o);
			break;
	}
	return o;
}

function defaultService(o: KObject): void {
	if (!isPlainObject(o.spec)) return;
	o.spec.type ??= 'ClusterIP';
	if (o.spec.clusterIP === undefined && o.spec.type !== 'ExternalName') {
		o.spec.clusterIP = `10.96.${Math.floor(nextClusterIp / 250)}.${(nextClusterIp % 250) + 1}`;
		nextClusterIp++;
	}
	o.spec.clusterIPs ??= o.spec.clusterIP ? [o.spec.clusterIP] : undefined;
	for (const p of o.spec.ports ?? []) {
		p.protocol ??= 'TCP';
		p.targetPort ??= p.port;
	}
	o.spec.sessionAffinity ??= 'None';
}

/** What the server sets once a new object has its uid, before it is stored: a Namespace's phase. */
export function prepareForCreate(r: Resource, o: KObject): void {
	if (!r.builtin) return;
	if (r.kind === 'Namespace') o.status = {phase: 'Active'};
}

// ---------------------------------------------------------------------------------------------
// Validation

const qualifiedNamePart = /^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$/;
const labelValue = /^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/;
const dns1123Subdomain = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const namePartMessage = "name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')";

/** apimachinery IsQualifiedName: an optional DNS-subdomain prefix and a name part of at most 63 characters. */
function qualifiedNameProblems(key: string): string[] {
	const parts = key.split('/');
	let name = key;
	const problems: string[] = [];
	if (parts.length === 2) {
		const [prefix, rest] = parts as [string, string];
		name = rest;
		if (prefix === '') problems.push('prefix part must be non-empty');
		else if (prefix.length > 253 || !dns1123Subdomain.test(prefix)) {
			problems.push("prefix part a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')");
		}
	} else if (parts.length > 2) {
		return ["a qualified name must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]') with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')"];
	}
	if (name === '') problems.push('name part must be non-empty');
	else if (name.length > 63) problems.push('name part must be no more than 63 characters');
	else if (!qualifiedNamePart.test(name)) problems.push(namePartMessage);
	return problems;
}

/** Object metadata, as ValidateObjectMeta checks it for every kind: labels and annotations. */
function metadataCauses(meta: KObject['metadata']): StatusCause[] {
	const causes: StatusCause[] = [];
	const bad = (field: string, value: unknown, message: string) => causes.push({type: 'FieldValueInvalid', field, message: `Invalid value: ${JSON.stringify(value)}: ${message}`});
	for (const k of ['labels', 'annotations'] as const) {
		const m = meta[k];
		if (m === undefined || m === null) continue;
		if (!isPlainObject(m) || Object.values(m).some(v => typeof v !== 'string')) {
			causes.push({type: 'FieldValueInvalid', field: `metadata.${k}`, message: 'Invalid value: must be a map of strings'});
			continue;
		}
		for (const [key, value] of Object.entries(m)) {
			for (const problem of qualifiedNameProblems(k === 'annotations' ? key.toLowerCase() : key)) bad(`metadata.${k}`, key, problem);
			if (k === 'labels') {
				if (value.length > 63) bad('metadata.labels', value, 'must be no more than 63 characters');
				else if (!labelValue.test(value)) {
					bad('metadata.labels', value, "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')");
				}
			}
		}
		if (k === 'annotations') {
			const size = Object.entries(m).reduce((n, [key, value]) => n + key.length + value.length, 0);
			if (size > 256 * 1024) causes.push({type: 'FieldValueTooLong', field: 'metadata.annotations', message: 'Too long: must have at most 262144 bytes'});
		}
	}
	return causes;
}

function podTemplateCauses(spec: any, at: string, causes: StatusCause[]): void {
	const containers = spec?.template?.spec?.containers;
	if (!Array.isArray(containers) || containers.length === 0) causes.push({type: 'FieldValueRequired', field: `${at}.template.spec.containers`, message: 'Required value'});
	else {
		containers.forEach((c: any, i: number) => {
			if (!c?.name) causes.push({type: 'FieldValueRequired', field: `${at}.template.spec.containers[${i}].name`, message: 'Required value'});
			if (!c?.image) causes.push({type: 'FieldValueRequired', field: `${at}.template.spec.containers[${i}].image`, message: 'Required value'});
		});
	}
}

/** Refuse objects the real API server would refuse (the common cases), with 422 Invalid. */
export function validate(r: Resource, o: KObject): void {
	const causes: StatusCause[] = metadataCauses(o.metadata);
	const bad = (field: string, message: string) => causes.push({type: 'FieldValueInvalid', field, message});
	if (r.builtin) {
		switch (r.kind) {
			case 'Deployment':
			case 'ReplicaSet': {
				const spec = o.spec;
				if (!isPlainObject(spec)) {
					bad('spec', 'Required value');
					break;
				}
				if (!Number.isInteger(spec.replicas) || spec.replicas < 0) bad('spec.replicas', `Invalid value: ${JSON.stringify(spec.replicas)}: must be greater than or equal to 0`);
				const selector = spec.selector;
				if (!isPlainObject(selector) || (!selector.matchLabels && !selector.matchExpressions)) causes.push({type: 'FieldValueRequired', field: 'spec.selector', message: 'Required value'});
				const labels = spec.template?.metadata?.labels;
				if (isPlainObject(selector) && !matchesLabelSelector(selector as any, labels)) {
					bad('spec.template.metadata.labels', `Invalid value: ${JSON.stringify(labels ?? {})}: \`selector\` does not match template \`labels\``);
				}
				podTemplateCauses(spec, 'spec', causes);
				break;
			}
			case 'Pod': {
				const containers = o.spec?.containers;
				if (!Array.isArray(containers) || containers.length === 0) causes.push({type: 'FieldValueRequired', field: 'spec.containers', message: 'Required value'});
				break;
			}
			case 'Service':
				if (o.spec?.ports !== undefined && !Array.isArray(o.spec.ports)) bad('spec.ports', 'Invalid value: must be a list');
				break;
			case 'CustomResourceDefinition':
				causes.push(...crdCauses(o));
				break;
		}
	}
	if (causes.length > 0) throw invalid(r, o.metadata.name ?? '', causes);
}
