// Releases as the history keeps them: every part shared with the previous frame's when it has not changed
// (pods and events one by one, pods in chunks), and ages kept with a birth time, so that a pod that only got
// older is the same pod. What a stored release holds beyond another is estimated in bytes, for the budget.
import {deepEqual} from '../actions/json.js';
import type {AnalysisRunInfo, ArgoRolloutInfo, PodInfo, Release, Revision} from '../release/model.js';

/** A pod as it was when stored; `born` (ms epoch) gives its age at any later moment. */
export type StoredPod = PodInfo & {born: number};
export type StoredRevision = Revision & {born: number};

/** A release in a frame: pods in chunks that later frames share while they do not change. */
export type StoredRelease = Omit<Release, 'pods' | 'revisions' | 'argo'> & {
	pods: ReadonlyArray<readonly StoredPod[]>;
	revisions: readonly StoredRevision[];
	/** An Argo Rollout's info and when it was stored (its analysis runs' ages move on from there). */
	argo?: {info: ArgoRolloutInfo; at: number};
};

/** Pods per chunk: a changed pod costs a new chunk of this many pointers, not a new list of all of them. */
export const CHUNK = 64;

/** Same fields with the same values, `ageSeconds` and `born` aside (pods, revisions and events are nearly flat). */
function sameFlat(a: object, b: object): boolean {
	const ao = a as Record<string, unknown>;
	const bo = b as Record<string, unknown>;
	let count = 0;
	for (const key in bo) {
		if (key === 'ageSeconds' || key === 'born' || bo[key] === undefined) continue;
		count++;
		const x = ao[key];
		const y = bo[key];
		if (x !== y && !(typeof x === 'object' && deepEqual(x, y))) return false;
	}
	for (const key in ao) if (key !== 'ageSeconds' && key !== 'born' && ao[key] !== undefined) count--;
	return count === 0;
}

/** Born within two seconds of each other (ages are whole seconds, counted from different moments). */
const sameBirth = (a: number, b: number) => Math.abs(a - b) < 2000;

/** Items of `next` with birth times, each the previous one when it is the same; the list itself too when all are. */
function shareAged<T extends {ageSeconds: number}>(previous: ReadonlyArray<T & {born: number}>, next: readonly T[], at: number, keyOf: (item: T) => string): ReadonlyArray<T & {born: number}> {
	let byKey: Map<string, T & {born: number}> | undefined;
	let same = previous.length === next.length;
	const out = next.map((item, i) => {
		const born = at - item.ageSeconds * 1000;
		let old: (T & {born: number}) | undefined = previous[i];
		if (!old || keyOf(old) !== keyOf(item)) old = (byKey ??= new Map(previous.map(p => [keyOf(p), p]))).get(keyOf(item));
		if (old && sameBirth(old.born, born) && sameFlat(old, item)) {
			if (old !== previous[i]) same = false;
			return old;
		}
		same = false;
		return {...item, born};
	});
	return same ? previous : out;
}

/** Pods in chunks: a chunk whose pods are all the previous chunk's pods is the previous chunk. */
function storePods(previous: ReadonlyArray<readonly StoredPod[]> | undefined, pods: readonly PodInfo[], at: number): ReadonlyArray<readonly StoredPod[]> {
	const flat = previous ? previous.flat() : [];
	const stored = shareAged(flat, pods, at, p => p.name);
	if (previous && stored === flat) return previous;
	const chunks: Array<readonly StoredPod[]> = [];
	let same = previous !== undefined && Math.ceil(stored.length / CHUNK) === previous.length;
	for (let start = 0, c = 0; start < stored.length; start += CHUNK, c++) {
		const chunk = stored.slice(start, start + CHUNK);
		const old = previous?.[c];
		if (old && old.length === chunk.length && chunk.every((p, i) => p === old[i])) {
			chunks.push(old);
			continue;
		}
		same = false;
		chunks.push(chunk);
	}
	return same ? previous! : chunks;
}

/** Items equal to one of the previous list are that one; the list itself when all are, in order. */
function shareList<T extends object>(previous: readonly T[] | undefined, next: readonly T[]): readonly T[] {
	if (!previous) return next;
	let same = previous.length === next.length;
	const out = next.map((item, i) => {
		const old = previous[i];
		if (old && sameFlat(old, item)) return old;
		same = false;
		return previous.find(p => sameFlat(p, item)) ?? item;
	});
	return same ? previous : out;
}

/** Ages of analysis runs moved on by `seconds`. */
function agedRuns(runs: readonly AnalysisRunInfo[], seconds: number): AnalysisRunInfo[] {
	return runs.map(run => ({...run, ageSeconds: run.ageSeconds + seconds}));
}

/** An Argo Rollout's info: the previous one when only the ages of its analysis runs moved on. */
function storeArgo(previous: StoredRelease['argo'], next: ArgoRolloutInfo, at: number): NonNullable<StoredRelease['argo']> {
	if (previous) {
		const then = agedRuns(previous.info.analysisRuns, Math.round((at - previous.at) / 1000));
		const runs = next.analysisRuns;
		const ageless = (info: ArgoRolloutInfo) => ({...info, analysisRuns: info.analysisRuns.map(r => ({...r, ageSeconds: 0}))});
		if (runs.length === then.length && runs.every((r, i) => Math.abs(r.ageSeconds - then[i]!.ageSeconds) <= 1) && deepEqual(ageless(previous.info), ageless(next))) return previous;
	}
	return {info: next, at};
}

/** Every field the same object. */
function sameFields(a: object, b: object): boolean {
	const ao = a as Record<string, unknown>;
	const bo = b as Record<string, unknown>;
	const ak = Object.keys(ao).filter(k => ao[k] !== undefined);
	const bk = Object.keys(bo).filter(k => bo[k] !== undefined);
	return ak.length === bk.length && bk.every(k => ao[k] === bo[k]);
}

/**
 * The release to keep in a frame at `at`, sharing what has not changed with `previous` (the last frame's);
 * `previous` itself when nothing but ages moved. Fields keep the release's order.
 */
export function storeRelease(previous: StoredRelease | undefined, release: Release, at: number): StoredRelease {
	const stored: Record<string, unknown> = {};
	const old = (previous ?? {}) as Record<string, unknown>;
	for (const [key, value] of Object.entries(release)) {
		if (value === undefined) continue;
		switch (key) {
			case 'pods':
				stored.pods = storePods(previous?.pods, release.pods, at);
				break;
			case 'revisions':
				stored.revisions = shareAged(previous?.revisions ?? [], release.revisions, at, r => `${r.workload}\u0000${r.revision}`);
				break;
			case 'events':
				stored.events = shareList(previous?.events, release.events);
				break;
			case 'argo':
				stored.argo = storeArgo(previous?.argo, release.argo!, at);
				break;
			default:
				stored[key] = previous && deepEqual(old[key], value) ? old[key] : value;
		}
	}
	return previous && sameFields(previous, stored) ? previous : (stored as StoredRelease);
}

/** The release as it was at `at`: ages counted to then. Fields keep their order. */
export function restoreRelease(stored: StoredRelease, at: number): Release {
	const ageAt = (born: number) => Math.max(0, Math.floor((at - born) / 1000));
	const release: Record<string, unknown> = {};
	for (const [key, value] of Object.entries(stored)) {
		switch (key) {
			case 'pods':
				release.pods = stored.pods.flat().map(({born, ...pod}) => ({...pod, ageSeconds: ageAt(born)}));
				break;
			case 'revisions':
				release.revisions = stored.revisions.map(({born, ...revision}) => ({...revision, ageSeconds: ageAt(born)}));
				break;
			case 'argo': {
				const argo = stored.argo!;
				release.argo = {...argo.info, analysisRuns: agedRuns(argo.info.analysisRuns, Math.max(0, Math.floor((at - argo.at) / 1000)))};
				break;
			}
			default:
				release[key] = value;
		}
	}
	return release as Release;
}

// --- memory ------------------------------------------------------------------------------------------
// Rough sizes (bytes) of what frames hold, for the budget; the benchmark measures the real heap.

const POINTER = 8;
const OBJECT = 32;

/** An object's own fields and strings, roughly. */
export function sizeOfFlat(o: object): number {
	let size = OBJECT;
	for (const value of Object.values(o)) {
		size += POINTER;
		if (typeof value === 'string') size += 16 + value.length;
	}
	return size;
}

/** A nested value, roughly: twice its JSON. */
export function sizeOfTree(value: unknown): number {
	return value === undefined ? 0 : 2 * (JSON.stringify(value)?.length ?? 0);
}

/** Items of `next` that are not items of `previous`, and the list itself when it is another. */
function addedItems<T extends object>(next: readonly T[], previous: readonly T[] | undefined, size: (item: T) => number): number {
	if (next === previous) return 0;
	const old = new Set(previous ?? []);
	let bytes = OBJECT + POINTER * next.length;
	for (const item of next) if (!old.has(item)) bytes += size(item);
	return bytes;
}

/** What `next` holds that `previous` does not share with it, in bytes (roughly). */
export function addedBytes(next: StoredRelease | undefined, previous: StoredRelease | undefined): number {
	if (!next || next === previous) return 0;
	const old = (previous ?? {}) as Record<string, unknown>;
	let bytes = OBJECT + POINTER * Object.keys(next).length;
	for (const [key, value] of Object.entries(next)) {
		if (value === old[key]) continue;
		switch (key) {
			case 'pods': {
				const chunks = new Set(previous?.pods ?? []);
				bytes += OBJECT + POINTER * next.pods.length;
				next.pods.forEach((chunk, c) => {
					if (chunks.has(chunk)) return;
					bytes += OBJECT + POINTER * chunk.length;
					// Pods are compared at the same place (a pod that moved counts as new: an estimate errs on the safe side).
					const old = previous?.pods[c];
					chunk.forEach((pod, i) => {
						if (old?.[i] !== pod) bytes += sizeOfFlat(pod);
					});
				});
				break;
			}
			case 'revisions':
				bytes += addedItems(next.revisions, previous?.revisions, sizeOfFlat);
				break;
			case 'events':
				bytes += addedItems(next.events, previous?.events, sizeOfFlat);
				break;
			case 'argo':
				bytes += sizeOfTree(next.argo!.info);
				break;
			default:
				bytes += sizeOfTree(value);
		}
	}
	return bytes;
}
