// Objects stripped to what the model reads, as they come in from the API (and as a recording keeps them).
// Pods and Events are most of a namespace and the model reads a few of their fields: a pod keeps its
// identity, labels, owners, the spec fields the pods table reads and the status kubectl's STATUS column is
// made of; an Event what the events pane and the Flagger strip read. Every other kind (Deployments,
// ReplicaSets, Services, router objects, a controller's objects) stays whole but for managedFields: the
// planners copy templates and test specs and annotations against what the server has. A lean pod or Event
// is frozen: nothing changes it once it came in, so what is derived from it is worked out once (onceForFrozen:
// pods.ts, events.ts, images.ts).
import type {KObject, ObjectMeta} from '../kube/object.js';

/**
 * `derive`, worked out once for each frozen object (a lean pod or Event, which nothing changes) and kept while
 * the object lives; an object that can still change (a test's, a plan's) is read anew each time.
 */
export function onceForFrozen<T>(derive: (o: KObject) => T): (o: KObject) => T {
	const kept = new WeakMap<KObject, T>();
	return o => {
		const known = kept.get(o);
		if (known !== undefined) return known;
		const value = derive(o);
		if (Object.isFrozen(o)) kept.set(o, value);
		return value;
	};
}

/** What one kind of object is kept as. */
export type Projection = (o: KObject) => KObject;

const META_KEYS = ['name', 'namespace', 'uid', 'resourceVersion', 'generation', 'creationTimestamp', 'deletionTimestamp', 'labels', 'annotations', 'ownerReferences'] as const;

/** The fields of `from` named in `keys` that it has. */
function pick<T extends object>(from: T | undefined, keys: readonly string[]): Partial<T> {
	const out: Record<string, unknown> = {};
	if (!from || typeof from !== 'object') return out as Partial<T>;
	for (const key of keys) {
		const value = (from as Record<string, unknown>)[key];
		if (value !== undefined) out[key] = value;
	}
	return out as Partial<T>;
}

/** Metadata without managedFields, generateName, finalizers and the like: what identifies and labels an object. */
export function leanMeta(meta: ObjectMeta | undefined): ObjectMeta {
	return pick(meta, META_KEYS);
}

const list = (value: unknown): unknown[] | undefined => (Array.isArray(value) ? value : undefined);

type ContainerState = {waiting?: {reason?: string}; running?: unknown; terminated?: {reason?: string; exitCode?: number; signal?: number}};

function leanState(state: ContainerState | undefined): ContainerState | undefined {
	if (!state || typeof state !== 'object') return undefined;
	const out: ContainerState = {};
	if (state.waiting) out.waiting = pick(state.waiting, ['reason']);
	if (state.running) out.running = {};
	if (state.terminated) out.terminated = pick(state.terminated, ['reason', 'exitCode', 'signal']);
	return out;
}

function leanContainerStatuses(statuses: unknown): unknown[] | undefined {
	return list(statuses)?.map(s => {
		const status = s as {name?: string; ready?: boolean; restartCount?: number; state?: ContainerState};
		const out: Record<string, unknown> = pick(status, ['name', 'ready', 'started', 'restartCount', 'imageID']);
		const state = leanState(status?.state);
		if (state) out.state = state;
		return out;
	});
}

/** The object, and everything in it, made read-only. */
function deepFreeze<T>(value: T): T {
	if (value && typeof value === 'object' && !Object.isFrozen(value)) {
		Object.freeze(value);
		// Without a list of the values (Object.values) for each of the ~25 objects of a pod.
		if (Array.isArray(value)) for (const inner of value) deepFreeze(inner);
		else for (const key in value) deepFreeze((value as Record<string, unknown>)[key]);
	}
	return value;
}

/** A pod: its name, labels and owners, node and containers (names, images, sidecar restart policy), the status the STATUS, READY and RESTARTS columns are made of, and the digests its containers run (images.ts). */
export function leanPod(pod: KObject): KObject {
	const out: KObject = {metadata: leanMeta(pod.metadata)};
	if (pod.kind !== undefined) out.kind = pod.kind;
	if (pod.apiVersion !== undefined) out.apiVersion = pod.apiVersion;
	const spec = pod.spec;
	if (spec && typeof spec === 'object') {
		const lean: Record<string, unknown> = pick(spec, ['nodeName']);
		const containers = list(spec.containers)?.map(c => pick(c as object, ['name', 'image']));
		if (containers) lean.containers = containers;
		const init = list(spec.initContainers)?.map(c => pick(c as object, ['name', 'restartPolicy']));
		if (init) lean.initContainers = init;
		out.spec = lean;
	}
	const status = pod.status;
	if (status && typeof status === 'object') {
		const lean: Record<string, unknown> = pick(status, ['phase', 'reason']);
		const conditions = list(status.conditions)?.map(c => pick(c as object, ['type', 'status']));
		if (conditions) lean.conditions = conditions;
		const containers = leanContainerStatuses(status.containerStatuses);
		if (containers) lean.containerStatuses = containers;
		const init = leanContainerStatuses(status.initContainerStatuses);
		if (init) lean.initContainerStatuses = init;
		out.status = lean;
	}
	return deepFreeze(out);
}

const OBJECT_REFERENCE = ['kind', 'name', 'namespace'];

/** An Event (core/v1 or events.k8s.io/v1): whom it is about, when, how often, its type, reason and message. */
export function leanEvent(event: KObject): KObject {
	const out: KObject = {
		metadata: pick(event.metadata, ['name', 'namespace', 'uid', 'resourceVersion', 'creationTimestamp']),
		...pick(event, ['kind', 'apiVersion', 'reason', 'message', 'note', 'type', 'count', 'deprecatedCount', 'lastTimestamp', 'eventTime', 'firstTimestamp']),
	};
	if (event.involvedObject) out.involvedObject = pick(event.involvedObject, OBJECT_REFERENCE);
	if (event.regarding) out.regarding = pick(event.regarding, OBJECT_REFERENCE);
	if (event.series) out.series = pick(event.series, ['count', 'lastObservedTime']);
	return deepFreeze(out);
}

/** Any other object, whole but for the server's record of who set which field. */
export function withoutManagedFields(o: KObject): KObject {
	if (!o?.metadata || !('managedFields' in o.metadata)) return o;
	const {managedFields: _managedFields, ...metadata} = o.metadata;
	return {...o, metadata};
}

/** How objects of a kind are kept. */
export function leanProjection(kind: string): Projection {
	if (kind === 'Pod') return leanPod;
	if (kind === 'Event') return leanEvent;
	return withoutManagedFields;
}
