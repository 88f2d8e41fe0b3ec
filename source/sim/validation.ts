// What the API server fills in and refuses when an object is written: defaults on every write,
// what it sets once an object has its identity (a Job's generated selector), and validation.
import {crdCauses, defaultCrd} from './apiextensions.js';
import {badRequest, invalid, type StatusCause} from './errors.js';
import {isPlainObject, type KObject} from './object.js';
import type {Resource} from './resources.js';
import {defaultDeployment, defaultPodSpec} from './controllers/defaults.js';
import {matchesLabelSelector} from './selectors.js';

let nextClusterIp = 10;

/** The labels the Job strategy puts on a Job's pods and selects them by. */
export const jobLabels = {
	controllerUid: 'batch.kubernetes.io/controller-uid',
	legacyControllerUid: 'controller-uid',
	jobName: 'batch.kubernetes.io/job-name',
	legacyJobName: 'job-name',
} as const;

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
		case 'Secret':
			defaultSecret(o);
			break;
		case 'Job':
			defaultJob(o);
			break;
		case 'HorizontalPodAutoscaler':
			defaultHorizontalPodAutoscaler(o);
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

/** Type Opaque by default; `stringData` (write-only) is merged into `data`, base64-encoded, as the v1 conversion does. */
function defaultSecret(o: KObject): void {
	o.type ??= 'Opaque';
	if (isPlainObject(o.stringData)) {
		const data: Record<string, unknown> = isPlainObject(o.data) ? o.data : {};
		for (const [k, v] of Object.entries(o.stringData)) if (typeof v === 'string') data[k] = Buffer.from(v, 'utf8').toString('base64');
		o.data = data;
	}
	delete o.stringData;
}

/** pkg/apis/batch/v1 SetDefaults_Job. */
function defaultJob(o: KObject): void {
	if (!isPlainObject(o.spec)) return;
	const spec = o.spec;
	if (spec.completions === undefined && spec.parallelism === undefined) spec.completions = 1;
	spec.parallelism ??= 1;
	spec.backoffLimit ??= 6;
	spec.completionMode ??= 'NonIndexed';
	spec.suspend ??= false;
	spec.podReplacementPolicy ??= 'TerminatingOrFailed';
	if (isPlainObject(spec.template) && isPlainObject(spec.template.spec)) defaultPodSpec(spec.template.spec);
	const templateLabels = spec.template?.metadata?.labels;
	if (isPlainObject(templateLabels) && Object.keys(o.metadata?.labels ?? {}).length === 0) o.metadata.labels = {...templateLabels};
}

/** autoscaling/v2 SetDefaults_HorizontalPodAutoscaler: minReplicas 1, and 80 % CPU when no metric is given. */
function defaultHorizontalPodAutoscaler(o: KObject): void {
	if (!isPlainObject(o.spec)) return;
	o.spec.minReplicas ??= 1;
	if (!Array.isArray(o.spec.metrics) || o.spec.metrics.length === 0) {
		o.spec.metrics = [{type: 'Resource', resource: {name: 'cpu', target: {type: 'Utilization', averageUtilization: 80}}}];
	}
}

/**
 * What the server sets once a new object has its uid, before it is stored: a Namespace's
 * phase; a Job's generated selector and the labels that tie its pods to it (the Job strategy's
 * generateSelector), unless the Job asks for a manual selector.
 */
export function prepareForCreate(r: Resource, o: KObject): void {
	if (!r.builtin) return;
	if (r.kind === 'Namespace') o.status = {phase: 'Active'};
	if (r.kind === 'Job' && isPlainObject(o.spec) && o.spec.manualSelector !== true) {
		const uid = o.metadata.uid!;
		const template = isPlainObject(o.spec.template) ? o.spec.template : (o.spec.template = {});
		if (!isPlainObject(template.metadata)) template.metadata = {};
		const labels: Record<string, string> = isPlainObject(template.metadata.labels) ? template.metadata.labels : {};
		labels[jobLabels.jobName] ??= o.metadata.name!;
		labels[jobLabels.legacyJobName] ??= o.metadata.name!;
		labels[jobLabels.controllerUid] ??= uid;
		labels[jobLabels.legacyControllerUid] ??= uid;
		template.metadata.labels = labels;
		const selector = isPlainObject(o.spec.selector) ? o.spec.selector : (o.spec.selector = {});
		selector.matchLabels = {...selector.matchLabels, [jobLabels.controllerUid]: selector.matchLabels?.[jobLabels.controllerUid] ?? uid};
		if (Object.keys(o.metadata.labels ?? {}).length === 0) o.metadata.labels = {...labels};
	}
}

// ---------------------------------------------------------------------------------------------
// Validation

const qualifiedNamePart = /^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$/;
const labelValue = /^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/;
const dns1123Subdomain = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const configKey = /^[-._a-zA-Z0-9]+$/;
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

const nonNegative = (v: unknown) => v === undefined || (Number.isInteger(v) && (v as number) >= 0);

function secretCauses(o: KObject, causes: StatusCause[]): void {
	const data: Record<string, unknown> = isPlainObject(o.data) ? o.data : {};
	let size = 0;
	for (const [key, value] of Object.entries(data)) {
		if (!configKey.test(key)) {
			causes.push({type: 'FieldValueInvalid', field: `data[${key}]`, message: `Invalid value: ${JSON.stringify(key)}: a valid config key must consist of alphanumeric characters, '-', '_' or '.' (e.g. 'key.name',  or 'KEY_NAME',  or 'key-name', regex used for validation is '[-._a-zA-Z0-9]+')`});
		}
		size += key.length + Buffer.from(String(value), 'base64').length;
	}
	if (size > 1024 * 1024) causes.push({type: 'FieldValueTooLong', field: 'data', message: 'Too long: must have at most 1048576 bytes'});
	const needs = (key: string) => {
		if (!Object.hasOwn(data, key)) causes.push({type: 'FieldValueRequired', field: `data[${key}]`, message: 'Required value'});
	};
	switch (o.type) {
		case 'kubernetes.io/tls':
			needs('tls.crt');
			needs('tls.key');
			break;
		case 'kubernetes.io/dockerconfigjson':
			needs('.dockerconfigjson');
			break;
		case 'kubernetes.io/dockercfg':
			needs('.dockercfg');
			break;
		case 'kubernetes.io/ssh-auth':
			needs('ssh-privatekey');
			break;
		case 'kubernetes.io/service-account-token':
			if (!o.metadata.annotations?.['kubernetes.io/service-account.name']) {
				causes.push({type: 'FieldValueRequired', field: 'metadata.annotations[kubernetes.io/service-account.name]', message: 'Required value'});
			}
			break;
	}
}

/** Data values of a Secret must be base64: like the JSON decoder of []byte, refuse others with 400. */
function checkSecretEncoding(o: KObject): void {
	if (o.data === undefined || o.data === null) return;
	if (!isPlainObject(o.data)) throw badRequest('Secret in version "v1" cannot be handled as a Secret: data must be a map of base64 strings');
	for (const [key, value] of Object.entries(o.data)) {
		if (typeof value !== 'string' || !/^[A-Za-z0-9+/]*={0,2}$/.test(value) || value.length % 4 !== 0) {
			throw badRequest(`Secret in version "v1" cannot be handled as a Secret: illegal base64 data in data[${key}]`);
		}
	}
}

function jobCauses(o: KObject, causes: StatusCause[]): void {
	const spec = o.spec;
	if (!isPlainObject(spec)) {
		causes.push({type: 'FieldValueRequired', field: 'spec', message: 'Required value'});
		return;
	}
	for (const field of ['parallelism', 'completions', 'backoffLimit', 'activeDeadlineSeconds', 'ttlSecondsAfterFinished'] as const) {
		if (!nonNegative(spec[field] ?? undefined)) causes.push({type: 'FieldValueInvalid', field: `spec.${field}`, message: `Invalid value: ${JSON.stringify(spec[field])}: must be greater than or equal to 0`});
	}
	if (spec.completionMode !== 'NonIndexed' && spec.completionMode !== 'Indexed') {
		causes.push({type: 'FieldValueNotSupported', field: 'spec.completionMode', message: `Unsupported value: ${JSON.stringify(spec.completionMode)}: supported values: "NonIndexed", "Indexed"`});
	} else if (spec.completionMode === 'Indexed' && !Number.isInteger(spec.completions)) {
		causes.push({type: 'FieldValueRequired', field: 'spec.completions', message: 'Required value: when completion mode is Indexed'});
	}
	const restartPolicy = spec.template?.spec?.restartPolicy;
	if (restartPolicy !== 'OnFailure' && restartPolicy !== 'Never') {
		causes.push({type: 'FieldValueNotSupported', field: 'spec.template.spec.restartPolicy', message: `Unsupported value: ${JSON.stringify(restartPolicy ?? '')}: supported values: "OnFailure", "Never"`});
	}
	podTemplateCauses(spec, 'spec', causes);
	if (isPlainObject(spec.selector) && !matchesLabelSelector(spec.selector as any, spec.template?.metadata?.labels)) {
		causes.push({type: 'FieldValueInvalid', field: 'spec.template.metadata.labels', message: `Invalid value: ${JSON.stringify(spec.template?.metadata?.labels ?? {})}: \`selector\` does not match template \`labels\``});
	}
}

function horizontalPodAutoscalerCauses(o: KObject, causes: StatusCause[]): void {
	const spec = o.spec;
	if (!isPlainObject(spec)) {
		causes.push({type: 'FieldValueRequired', field: 'spec', message: 'Required value'});
		return;
	}
	const ref = spec.scaleTargetRef;
	if (!ref?.kind) causes.push({type: 'FieldValueRequired', field: 'spec.scaleTargetRef.kind', message: 'Required value'});
	if (!ref?.name) causes.push({type: 'FieldValueRequired', field: 'spec.scaleTargetRef.name', message: 'Required value'});
	const min = spec.minReplicas;
	if (!Number.isInteger(min) || min < 1) causes.push({type: 'FieldValueInvalid', field: 'spec.minReplicas', message: `Invalid value: ${JSON.stringify(min)}: must be greater than or equal to 1`});
	const max = spec.maxReplicas;
	if (!Number.isInteger(max) || max < 1) causes.push({type: 'FieldValueInvalid', field: 'spec.maxReplicas', message: `Invalid value: ${JSON.stringify(max ?? 0)}: must be greater than or equal to 1`});
	else if (Number.isInteger(min) && max < min) causes.push({type: 'FieldValueInvalid', field: 'spec.maxReplicas', message: `Invalid value: ${max}: must be greater than or equal to \`minReplicas\``});
	const metrics: any[] = Array.isArray(spec.metrics) ? spec.metrics : [];
	metrics.forEach((m, i) => {
		const types = ['ContainerResource', 'External', 'Object', 'Pods', 'Resource'];
		if (!types.includes(m?.type)) causes.push({type: 'FieldValueNotSupported', field: `spec.metrics[${i}].type`, message: `Unsupported value: ${JSON.stringify(m?.type ?? '')}: supported values: ${types.map(t => `"${t}"`).join(', ')}`});
		const target = m?.resource?.target;
		if (m?.type === 'Resource' && target?.type === 'Utilization' && !(Number.isInteger(target.averageUtilization) && target.averageUtilization > 0)) {
			causes.push({type: 'FieldValueInvalid', field: `spec.metrics[${i}].resource.target.averageUtilization`, message: `Invalid value: ${JSON.stringify(target.averageUtilization)}: must be greater than 0`});
		}
	});
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
			case 'Secret':
				checkSecretEncoding(o);
				secretCauses(o, causes);
				break;
			case 'Job':
				jobCauses(o, causes);
				break;
			case 'HorizontalPodAutoscaler':
				horizontalPodAutoscalerCauses(o, causes);
				break;
			case 'CustomResourceDefinition':
				causes.push(...crdCauses(o));
				break;
		}
	}
	if (causes.length > 0) throw invalid(r, o.metadata.name ?? '', causes);
}
