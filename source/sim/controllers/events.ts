// core/v1 Events as the simulated controllers, scheduler and kubelet record them: an event
// that repeats (same object, reason, message) bumps count and lastTimestamp, like client-go's
// event correlator, and each namespace keeps at most `maxEventsPerNamespace` (oldest go first).
import {nowIso, type KObject} from '../object.js';
import type {ObjectStore} from '../store.js';

export type EventType = 'Normal' | 'Warning';

export type EventComponent = 'deployment-controller' | 'replicaset-controller' | 'kubelet' | 'default-scheduler' | (string & {});

export type EventOptions = {
	/** The node, for kubelet events (source.host, reportingInstance). */
	host?: string;
	/** involvedObject.fieldPath, such as `spec.containers{web}`. */
	fieldPath?: string;
	/** Wall-clock ms to stamp the event with (default: now). */
	now?: number;
};

export const maxEventsPerNamespace = 1000;

type NamespaceLog = {names: string[]; head: number};

type EventIndex = {
	/** Correlation key → event name. */
	byKey: Map<string, string>;
	/** `namespace/name` → correlation key. */
	keyOf: Map<string, string>;
	/** Per namespace, event names oldest first (from `head`). */
	logs: Map<string, NamespaceLog>;
};

const indexes = new WeakMap<ObjectStore, EventIndex>();
let sequence = 0;

function correlationKey(namespace: string, involved: Record<string, any>, type: string, reason: string, message: string, source: Record<string, any>): string {
	return [namespace, involved.kind, involved.namespace ?? '', involved.name, involved.uid ?? '', involved.fieldPath ?? '', type, reason, source.component ?? '', source.host ?? '', message].join('\u0000');
}

function logOf(index: EventIndex, namespace: string): NamespaceLog {
	let log = index.logs.get(namespace);
	if (!log) {
		log = {names: [], head: 0};
		index.logs.set(namespace, log);
	}
	return log;
}

function indexFor(store: ObjectStore): EventIndex {
	let index = indexes.get(store);
	if (index) return index;
	index = {byKey: new Map(), keyOf: new Map(), logs: new Map()};
	const existing = [...store.list('events')].sort((a, b) => Number(a.metadata.resourceVersion) - Number(b.metadata.resourceVersion));
	for (const e of existing) {
		const namespace = e.metadata.namespace ?? 'default';
		const key = correlationKey(namespace, e.involvedObject ?? {}, e.type ?? '', e.reason ?? '', e.message ?? '', e.source ?? {});
		index.byKey.set(key, e.metadata.name!);
		index.keyOf.set(`${namespace}/${e.metadata.name}`, key);
		logOf(index, namespace).names.push(e.metadata.name!);
	}
	indexes.set(store, index);
	return index;
}

function eventName(store: ObjectStore, namespace: string, involvedName: string, now: number): string {
	for (;;) {
		// Like client-go: `<name>.<UnixNano in hex>`; the sequence keeps names unique within a ms.
		const nanos = BigInt(Math.floor(now)) * 1_000_000n + BigInt(sequence++ % 1_000_000);
		const name = `${involvedName}.${nanos.toString(16)}`;
		if (!store.get('events', namespace, name)) return name;
	}
}

function trim(store: ObjectStore, index: EventIndex, namespace: string): void {
	const log = logOf(index, namespace);
	while (log.names.length - log.head > maxEventsPerNamespace) {
		const name = log.names[log.head++]!;
		const id = `${namespace}/${name}`;
		const key = index.keyOf.get(id);
		index.keyOf.delete(id);
		if (key !== undefined && index.byKey.get(key) === name) index.byKey.delete(key);
		if (store.get('events', namespace, name)) {
			try {
				store.delete('events', namespace, name);
			} catch {
				// Gone already.
			}
		}
	}
	if (log.head > 1024 && log.head * 2 > log.names.length) {
		log.names.splice(0, log.head);
		log.head = 0;
	}
}

/**
 * Record an event about `involved`. Returns the stored Event, or undefined when it could not
 * be written (its namespace is gone, say): events are best effort.
 */
export function recordEvent(
	store: ObjectStore,
	involved: KObject,
	type: EventType,
	reason: string,
	message: string,
	component: EventComponent,
	options: EventOptions = {},
): KObject | undefined {
	try {
		const index = indexFor(store);
		const namespace = involved.metadata.namespace ?? 'default';
		const now = options.now ?? Date.now();
		const stamp = nowIso(now);
		const involvedObject: Record<string, any> = {
			kind: involved.kind,
			namespace: involved.metadata.namespace,
			name: involved.metadata.name,
			uid: involved.metadata.uid,
			apiVersion: involved.apiVersion,
			resourceVersion: involved.metadata.resourceVersion,
		};
		if (options.fieldPath) involvedObject.fieldPath = options.fieldPath;
		if (involvedObject.namespace === undefined) delete involvedObject.namespace;
		const source: Record<string, string> = {component};
		if (options.host) source.host = options.host;
		const key = correlationKey(namespace, involvedObject, type, reason, message, source);
		const existingName = index.byKey.get(key);
		if (existingName !== undefined) {
			const existing = store.get('events', namespace, existingName);
			if (existing) {
				return store.mutate('events', namespace, existingName, e => {
					e.count = (typeof e.count === 'number' ? e.count : 1) + 1;
					e.lastTimestamp = stamp;
				});
			}
			index.byKey.delete(key);
		}
		const name = eventName(store, namespace, String(involved.metadata.name ?? 'unknown'), now);
		const created = store.create('events', {
			apiVersion: 'v1',
			kind: 'Event',
			metadata: {name, namespace},
			involvedObject,
			reason,
			message,
			source,
			firstTimestamp: stamp,
			lastTimestamp: stamp,
			count: 1,
			type,
			eventTime: null,
			reportingComponent: component,
			reportingInstance: options.host ?? '',
		});
		index.byKey.set(key, name);
		index.keyOf.set(`${namespace}/${name}`, key);
		logOf(index, namespace).names.push(name);
		trim(store, index, namespace);
		return created;
	} catch {
		return undefined;
	}
}
