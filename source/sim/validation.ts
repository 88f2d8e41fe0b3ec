// What the API server fills in and refuses when an object is written.
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
	if (r.kind === 'Deployment' && isPlainObject(o.spec)) defaultDeployment(o);
	if (r.kind === 'ReplicaSet' && isPlainObject(o.spec)) o.spec.replicas ??= 1;
	if (r.kind === 'Service' && isPlainObject(o.spec)) {
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
	return o;
}

/** Refuse objects the real API server would refuse (the common cases), with 422 Invalid. */
export function validate(r: Resource, o: KObject): void {
	const causes: StatusCause[] = [];
	const bad = (field: string, message: string) => causes.push({type: 'FieldValueInvalid', field, message});
	const meta = o.metadata;
	for (const k of ['labels', 'annotations'] as const) {
		const m = meta[k];
		if (m !== undefined && m !== null && (!isPlainObject(m) || Object.values(m).some(v => typeof v !== 'string'))) bad(`metadata.${k}`, 'Invalid value: must be a map of strings');
	}
	if (r.kind === 'Deployment' || r.kind === 'ReplicaSet') {
		const spec = o.spec;
		if (!isPlainObject(spec)) bad('spec', 'Required value');
		else {
			if (!Number.isInteger(spec.replicas) || spec.replicas < 0) bad('spec.replicas', `Invalid value: ${JSON.stringify(spec.replicas)}: must be greater than or equal to 0`);
			const selector = spec.selector;
			if (!isPlainObject(selector) || (!selector.matchLabels && !selector.matchExpressions)) causes.push({type: 'FieldValueRequired', field: 'spec.selector', message: 'Required value'});
			const labels = spec.template?.metadata?.labels;
			if (isPlainObject(selector) && !matchesLabelSelector(selector as any, labels)) {
				bad('spec.template.metadata.labels', `Invalid value: ${JSON.stringify(labels ?? {})}: \`selector\` does not match template \`labels\``);
			}
			const containers = spec.template?.spec?.containers;
			if (!Array.isArray(containers) || containers.length === 0) causes.push({type: 'FieldValueRequired', field: 'spec.template.spec.containers', message: 'Required value'});
			else {
				containers.forEach((c: any, i: number) => {
					if (!c?.name) causes.push({type: 'FieldValueRequired', field: `spec.template.spec.containers[${i}].name`, message: 'Required value'});
					if (!c?.image) causes.push({type: 'FieldValueRequired', field: `spec.template.spec.containers[${i}].image`, message: 'Required value'});
				});
			}
		}
	}
	if (r.kind === 'Pod') {
		const containers = o.spec?.containers;
		if (!Array.isArray(containers) || containers.length === 0) causes.push({type: 'FieldValueRequired', field: 'spec.containers', message: 'Required value'});
	}
	if (r.kind === 'Service' && o.spec?.ports !== undefined && !Array.isArray(o.spec.ports)) bad('spec.ports', 'Invalid value: must be a list');
	if (causes.length > 0) throw invalid(r, meta.name ?? '', causes);
}
