// The scale subresource (autoscaling/v1 Scale): built-in Deployments and ReplicaSets keep their
// numbers in spec.replicas, status.replicas and spec.selector; a custom resource where its CRD's
// subresources.scale says (specReplicasPath, statusReplicasPath, labelSelectorPath).
import {clone, isPlainObject, type KObject} from './object.js';
import type {Resource} from './resources.js';
import {labelSelectorToString} from './selectors.js';

/** The steps of a simple `.a.b.c` path, as a CRD's scale paths are written. */
function steps(path: string): string[] {
	return path.split('.').filter(Boolean);
}

function valueAt(o: unknown, path: string): unknown {
	let cur: unknown = o;
	for (const step of steps(path)) {
		if (!isPlainObject(cur)) return undefined;
		cur = cur[step];
	}
	return cur;
}

function setAt(o: Record<string, any>, path: string, value: unknown): void {
	const list = steps(path);
	let cur = o;
	for (const step of list.slice(0, -1)) {
		if (!isPlainObject(cur[step])) cur[step] = {};
		cur = cur[step];
	}
	cur[list.at(-1)!] = value;
}

const int = (v: unknown, fallback: number) => (typeof v === 'number' && Number.isInteger(v) ? v : fallback);

/** The Scale of an object; for a custom resource, missing numbers read 0 (as the apiextensions server reads them). */
export function scaleOf(r: Resource, o: KObject): KObject {
	let replicas: number;
	let current: number;
	let selector: string;
	if (r.scale) {
		replicas = int(valueAt(o, r.scale.specReplicasPath), 0);
		current = int(valueAt(o, r.scale.statusReplicasPath), 0);
		const s = r.scale.labelSelectorPath ? valueAt(o, r.scale.labelSelectorPath) : undefined;
		selector = typeof s === 'string' ? s : '';
	} else {
		replicas = int(o.spec?.replicas, 1);
		current = int(o.status?.replicas, 0);
		const s = labelSelectorToString(o.spec?.selector);
		selector = s === '<error>' ? '' : s;
	}
	return {
		kind: 'Scale',
		apiVersion: 'autoscaling/v1',
		metadata: {name: o.metadata.name, namespace: o.metadata.namespace, uid: o.metadata.uid, resourceVersion: o.metadata.resourceVersion, creationTimestamp: o.metadata.creationTimestamp},
		spec: {replicas},
		status: {replicas: current, ...(selector ? {selector} : {})},
	};
}

/** A copy of the object asking for `replicas`, at the place its scale subresource writes to. */
export function withReplicas(r: Resource, o: KObject, replicas: number): KObject {
	const next = clone(o);
	if (r.scale) setAt(next, r.scale.specReplicasPath, replicas);
	else next.spec = {...next.spec, replicas};
	return next;
}
