// Small pieces the simulated controllers share: owner references, an index of objects by
// their controller, a coalescing work queue, conditions and int-or-percent values.
import type {SimClock} from '../clock.js';
import type {KObject, OwnerReference} from '../object.js';
import type {Change, ObjectStore} from '../store.js';

export type ErrorHandler = (error: unknown, where: string) => void;

/** What every controller of one simulated cluster shares. */
export type Context = {
	store: ObjectStore;
	clock: SimClock;
	/** Pods by the uid of the ReplicaSet that controls them. */
	pods: OwnerIndex;
	/** Wall-clock ms at which a pod (by uid) last became Ready, more precise than lastTransitionTime. */
	readyAt: Map<string, number>;
	onError: ErrorHandler;
};

export const num = (v: unknown): number => (typeof v === 'number' && Number.isFinite(v) ? v : 0);

export const keyOf = (o: KObject): string => `${o.metadata.namespace ?? ''}/${o.metadata.name ?? ''}`;

export function splitKey(key: string): [string, string] {
	const slash = key.indexOf('/');
	return [key.slice(0, slash), key.slice(slash + 1)];
}

export function controllerRef(o: KObject, kind?: string): OwnerReference | undefined {
	return o.metadata.ownerReferences?.find(r => r.controller === true && (kind === undefined || r.kind === kind));
}

export function controllerRefTo(owner: KObject): OwnerReference {
	return {apiVersion: owner.apiVersion ?? '', kind: owner.kind ?? '', name: owner.metadata.name!, uid: owner.metadata.uid!, controller: true, blockOwnerDeletion: true};
}

export function isControlledBy(o: KObject, owner: KObject): boolean {
	return controllerRef(o)?.uid === owner.metadata.uid;
}

/**
 * Objects of one kind by the uid of their controller (an ownerReference with controller: true
 * of `ownerKind`), fed from store changes, so that a reconcile never scans every object.
 * It also remembers the order in which objects were first seen, a finer creation order
 * than creationTimestamp's whole seconds.
 */
export class OwnerIndex {
	private readonly byOwner = new Map<string, Map<string, KObject>>();
	private readonly ownerOf = new Map<string, string>();
	private readonly seqOf = new Map<string, number>();
	private seq = 0;

	constructor(private readonly ownerKind: string) {}

	apply(change: Change): void {
		if (change.type === 'DELETED') this.remove(change.object.metadata.uid!);
		else this.put(change.object);
	}

	put(o: KObject): void {
		const uid = o.metadata.uid;
		if (!uid) return;
		if (!this.seqOf.has(uid)) this.seqOf.set(uid, this.seq++);
		const owner = controllerRef(o, this.ownerKind)?.uid;
		const previous = this.ownerOf.get(uid);
		if (previous !== undefined && previous !== owner) {
			this.byOwner.get(previous)?.delete(uid);
			if (this.byOwner.get(previous)?.size === 0) this.byOwner.delete(previous);
			this.ownerOf.delete(uid);
		}
		if (owner === undefined) return;
		let set = this.byOwner.get(owner);
		if (!set) {
			set = new Map();
			this.byOwner.set(owner, set);
		}
		set.set(uid, o);
		this.ownerOf.set(uid, owner);
	}

	remove(uid: string): void {
		this.seqOf.delete(uid);
		const owner = this.ownerOf.get(uid);
		if (owner === undefined) return;
		this.ownerOf.delete(uid);
		const set = this.byOwner.get(owner);
		set?.delete(uid);
		if (set?.size === 0) this.byOwner.delete(owner);
	}

	owned(ownerUid: string | undefined): KObject[] {
		if (!ownerUid) return [];
		const set = this.byOwner.get(ownerUid);
		return set ? [...set.values()] : [];
	}

	count(ownerUid: string | undefined): number {
		return ownerUid ? (this.byOwner.get(ownerUid)?.size ?? 0) : 0;
	}

	/** Order of first sight; objects seen earlier have lower numbers. */
	order(o: KObject): number {
		return this.seqOf.get(o.metadata.uid ?? '') ?? -1;
	}

	reset(objects: KObject[]): void {
		this.byOwner.clear();
		this.ownerOf.clear();
		this.seqOf.clear();
		const sorted = [...objects].sort(byCreation);
		for (const o of sorted) this.put(o);
	}
}

/** Oldest first by creationTimestamp, then name (like controller.ReplicaSetsByCreationTimestamp). */
export function byCreation(a: KObject, b: KObject): number {
	const ta = a.metadata.creationTimestamp ?? '';
	const tb = b.metadata.creationTimestamp ?? '';
	if (ta !== tb) return ta < tb ? -1 : 1;
	const na = a.metadata.name ?? '';
	const nb = b.metadata.name ?? '';
	return na < nb ? -1 : na > nb ? 1 : 0;
}

/** Oldest first, with the index's order of first sight breaking ties within a second. */
export function creationOrder(index: OwnerIndex): (a: KObject, b: KObject) => number {
	return (a, b) => {
		const ta = a.metadata.creationTimestamp ?? '';
		const tb = b.metadata.creationTimestamp ?? '';
		if (ta !== tb) return ta < tb ? -1 : 1;
		const d = index.order(a) - index.order(b);
		return d !== 0 ? d : byCreation(a, b);
	};
}

/**
 * Keys to reconcile, deduplicated and handled together shortly after the first one is added,
 * never inside the store listener that added them. A failing key is retried with backoff.
 */
export class WorkQueue {
	private readonly pending = new Set<string>();
	private timer: NodeJS.Timeout | undefined;
	private stopped = false;
	private readonly failures = new Map<string, number>();
	private readonly retries = new Map<string, () => void>();

	constructor(
		private readonly name: string,
		private readonly handle: (key: string) => void,
		private readonly clock: SimClock,
		private readonly onError: ErrorHandler,
		private readonly delayMs = 1,
	) {}

	add(key: string): void {
		if (this.stopped) return;
		this.pending.add(key);
		if (!this.timer) {
			this.timer = setTimeout(() => this.flush(), this.delayMs);
			this.timer.unref?.();
		}
	}

	/** Add `key` after `simSeconds` simulated seconds; a later call for the same key replaces it. */
	addAfter(key: string, simSeconds: number): void {
		if (this.stopped) return;
		this.retries.get(key)?.();
		const cancel = this.clock.after(Math.max(0, simSeconds), () => {
			if (this.retries.get(key) === cancel) this.retries.delete(key);
			this.add(key);
		});
		this.retries.set(key, cancel);
	}

	/** Forget timers kept for a key whose object is gone. */
	forget(key: string): void {
		this.retries.get(key)?.();
		this.retries.delete(key);
		this.failures.delete(key);
	}

	private flush(): void {
		this.timer = undefined;
		const keys = [...this.pending];
		this.pending.clear();
		for (const key of keys) {
			if (this.stopped) return;
			try {
				this.handle(key);
				this.failures.delete(key);
			} catch (error) {
				if (error instanceof Requeue) {
					this.add(key);
					continue;
				}
				const n = (this.failures.get(key) ?? 0) + 1;
				this.failures.set(key, n);
				this.onError(error, `${this.name} ${key}`);
				this.addAfter(key, Math.min(0.1 * 2 ** n, 30));
			}
		}
	}

	stop(): void {
		this.stopped = true;
		if (this.timer) clearTimeout(this.timer);
		this.timer = undefined;
		this.pending.clear();
		for (const cancel of this.retries.values()) cancel();
		this.retries.clear();
	}
}

/** Thrown by a reconcile that wants to run again at once (after a hash collision, say). */
export class Requeue extends Error {}

// --- Conditions ------------------------------------------------------------------------------

export type Condition = {
	type: string;
	status: 'True' | 'False' | 'Unknown';
	lastProbeTime?: string | null;
	lastUpdateTime?: string;
	lastTransitionTime?: string;
	reason?: string;
	message?: string;
};

export function getCondition(status: any, type: string): Condition | undefined {
	const list: Condition[] | undefined = status?.conditions;
	return Array.isArray(list) ? list.find(c => c?.type === type) : undefined;
}

export function removeCondition(status: any, type: string): void {
	if (Array.isArray(status?.conditions)) status.conditions = status.conditions.filter((c: Condition) => c.type !== type);
}

// --- Int or percent ------------------------------------------------------------------------

/** intstr.GetScaledValueFromIntOrPercent. */
export function scaledValue(value: unknown, total: number, roundUp: boolean): number {
	if (typeof value === 'number') return Math.trunc(value);
	if (typeof value === 'string') {
		const m = /^(-?\d+)%$/.exec(value.trim());
		if (m) {
			const v = (Number(m[1]) * total) / 100;
			return roundUp ? Math.ceil(v) : Math.floor(v);
		}
		const n = Number(value);
		if (Number.isFinite(n)) return Math.trunc(n);
	}
	return 0;
}

/** Go's math.Round: halves away from zero. */
export const roundHalfAway = (v: number): number => Math.sign(v) * Math.round(Math.abs(v));

// --- Pods ----------------------------------------------------------------------------------

export function isPodReady(pod: KObject): boolean {
	return getCondition(pod.status, 'Ready')?.status === 'True';
}

export function isPodActive(pod: KObject): boolean {
	const phase = pod.status?.phase;
	return !pod.metadata.deletionTimestamp && phase !== 'Succeeded' && phase !== 'Failed';
}

/** When the pod became Ready, in wall-clock ms, or undefined when it is not Ready. */
export function readySince(ctx: Pick<Context, 'readyAt'>, pod: KObject): number | undefined {
	const ready = getCondition(pod.status, 'Ready');
	if (ready?.status !== 'True') return undefined;
	const known = ctx.readyAt.get(pod.metadata.uid ?? '');
	if (known !== undefined) return known;
	const parsed = Date.parse(ready.lastTransitionTime ?? '');
	return Number.isFinite(parsed) ? parsed : 0;
}

/**
 * podutil.IsPodAvailable: Ready for at least minReadySeconds (simulated seconds).
 * Returns the real ms still to wait as `wait` when Ready but not yet available.
 */
export function podAvailability(ctx: Pick<Context, 'readyAt' | 'clock'>, pod: KObject, minReadySeconds: number, now: number): {available: boolean; wait?: number} {
	const since = readySince(ctx, pod);
	if (since === undefined) return {available: false};
	if (minReadySeconds <= 0) return {available: true};
	const wait = since + ctx.clock.toMs(minReadySeconds) - now;
	return wait <= 0 ? {available: true} : {available: false, wait};
}

export function labelsMatch(labels: Record<string, string> | undefined, want: Record<string, string> | undefined): boolean {
	if (!want) return true;
	for (const [k, v] of Object.entries(want)) if (labels?.[k] !== v) return false;
	return true;
}

/**
 * A controller on the store: the work queue of object keys it syncs, fed by its store subscriptions, which
 * start() makes (then resyncs) and stop() undoes.
 */
export abstract class QueueController {
	protected readonly queue: WorkQueue;
	private readonly unsubscribes: Array<() => void> = [];

	constructor(protected readonly ctx: Context, name: string) {
		this.queue = new WorkQueue(name, key => this.sync(key), ctx.clock, ctx.onError);
	}

	/** The store keys it follows, each with its handler. */
	protected abstract subscriptions(): Array<[key: string, handler: (change: Change) => void]>;

	/** Bring the object at `key` (namespace/name) to where its spec says. */
	protected abstract sync(key: string): void;

	/** Queue everything again (after a restore). */
	abstract resync(): void;

	start(): void {
		for (const [key, handler] of this.subscriptions()) this.unsubscribes.push(this.ctx.store.subscribe(key, handler));
		this.resync();
	}

	stop(): void {
		for (const unsubscribe of this.unsubscribes.splice(0)) unsubscribe();
		this.queue.stop();
	}

	/** Queue the changed object; a deleted one is forgotten, and `onDelete` gets its uid. */
	protected queueChange(change: Change, onDelete?: (uid: string) => void): void {
		const key = keyOf(change.object);
		if (change.type !== 'DELETED') {
			this.queue.add(key);
			return;
		}
		this.queue.forget(key);
		onDelete?.(change.object.metadata.uid ?? '');
	}
}
