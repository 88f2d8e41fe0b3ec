// What happened between two moments of a release, as marks on its timeline: a new revision, a weight change,
// the verdict turning, an action (rollscope's audit Events, which say who), a Warning event. Pure: from the
// frame before and the frame after.
import type {ReleaseEvent, Version} from '../release/model.js';
import {orderVersions} from '../release/versions.js';
import {imagesLabel} from '../text/format.js';
import type {VerdictState} from '../verdict/judge.js';
import type {StoredRelease} from './compact.js';
import type {VerdictMoment} from './frame.js';

export type MarkKind = 'revision' | 'weight' | 'verdict' | 'action' | 'warning';

type Base = {
	/** When rollscope saw it (ms epoch): the first frame that shows it. */
	at: number;
	/** One line for the timeline and the report (text from the cluster is already sanitised by the model). */
	text: string;
};

export type Mark = Base &
	(
		| {kind: 'revision'; version: string; revision?: number; images: string[]}
		| {kind: 'weight'; changes: Array<{version: string; from?: number; to?: number}>}
		| {kind: 'verdict'; from?: VerdictState; state: VerdictState; reason: string}
		| {kind: 'action'; who: string; reason: string; message: string; object: string}
		| {kind: 'warning'; version?: string; object: string; reason: string; message: string}
	);

/** The one-letter symbol of each kind on the timeline strip. */
export const markSymbols: Record<MarkKind, string> = {revision: 'R', weight: 'W', verdict: 'V', action: 'A', warning: '!'};

/** rollscope's own audit Events (actions/audit.ts) carry a reason starting so. */
const AUDIT_PREFIX = 'Rollscope';

/** An event's identity across frames: a repeat of the same event (its count going up) is not new. */
export const eventKey = (e: ReleaseEvent) => `${e.object}\u0000${e.reason}\u0000${e.message}`;

/** A router's weights: marks only for weights a router sets, not a rolling update's replica shares. */
function routedWeights(release: StoredRelease | undefined): Record<string, number> | undefined {
	const traffic = release?.traffic;
	if (!traffic || traffic.router === 'deployment') return undefined;
	return traffic.weights;
}

const pct = (w: number | undefined) => (w === undefined ? '?' : `${Math.round(w)}%`);

/** The version an event is about: a pod's version, or the version a workload is. */
export function versionOfEvent(release: StoredRelease, object: string): string | undefined {
	const slash = object.indexOf('/');
	const kind = object.slice(0, slash);
	const name = object.slice(slash + 1);
	if (kind === 'Pod') {
		for (const chunk of release.pods) for (const pod of chunk) if (pod.name === name) return pod.version;
		return undefined;
	}
	return release.versions.find(v => v.workload === name || v.id === name)?.id;
}

function revisionMarks(before: StoredRelease, after: StoredRelease, at: number): Mark[] {
	const old = new Map(before.versions.map(v => [v.id, v]));
	return orderVersions(after.versions).flatMap((v: Version): Mark[] => {
		const was = old.get(v.id);
		if (was && was.revision === v.revision && was.images.join(',') === v.images.join(',')) return [];
		if (!was && v.revision === undefined) return [];
		const rev = v.revision === undefined ? 'new version' : `rev ${v.revision}`;
		return [{at, kind: 'revision', version: v.id, ...(v.revision === undefined ? {} : {revision: v.revision}), images: v.images, text: `${rev} ${v.id} (${imagesLabel(v.images)})`}];
	});
}

function weightMarks(before: StoredRelease, after: StoredRelease, at: number): Mark[] {
	const was = routedWeights(before);
	const now = routedWeights(after);
	// Another router (its object appeared or went) is not a step of weight.
	if (!was || !now || before.traffic?.router !== after.traffic?.router) return [];
	const changes = orderVersions(after.versions)
		.filter(v => v.id in was || v.id in now)
		.map(v => ({version: v.id, from: was[v.id], to: now[v.id]}))
		.filter(c => c.from !== undefined && c.to !== undefined && Math.round(c.from) !== Math.round(c.to));
	if (changes.length === 0) return [];
	return [{at, kind: 'weight', changes, text: `weight ${changes.map(c => `${c.version} ${pct(c.from)} → ${pct(c.to)}`).join(', ')}`}];
}

function verdictMarks(before: VerdictMoment | undefined, after: VerdictMoment | undefined, at: number): Mark[] {
	const from = before?.verdict?.state;
	const to = after?.verdict;
	if (!to || to.state === from) return [];
	// The first window collecting is where every verdict starts, not news.
	if (from === undefined && to.state === 'collecting') return [];
	return [{at, kind: 'verdict', ...(from === undefined ? {} : {from}), state: to.state, reason: to.reason, text: `verdict ${to.state} — ${to.reason}`}];
}

/** Events not seen before, oldest first: actions (with who) and Warnings. */
function eventMarks(after: StoredRelease, seen: Set<string>, at: number): Mark[] {
	const marks: Mark[] = [];
	for (const e of [...after.events].reverse()) {
		const key = eventKey(e);
		if (seen.has(key)) continue;
		seen.add(key);
		if (e.reason.startsWith(AUDIT_PREFIX)) {
			const who = e.message.split(' ')[0] ?? '';
			marks.push({at, kind: 'action', who, reason: e.reason, message: e.message, object: e.object, text: e.message});
		} else if (e.type === 'Warning') {
			const version = versionOfEvent(after, e.object);
			marks.push({at, kind: 'warning', ...(version === undefined ? {} : {version}), object: e.object, reason: e.reason, message: e.message, text: `${e.reason} ${e.object}: ${e.message}`});
		}
	}
	return marks;
}

/**
 * The marks between the frame before and the frame after. `seen` holds the keys of events already known (the
 * caller keeps it across frames, and seeds it with the first frame's events: what was there before is not news).
 */
export function marksBetween(
	before: {release?: StoredRelease; verdict?: VerdictMoment} | undefined,
	after: {release?: StoredRelease; verdict?: VerdictMoment},
	at: number,
	seen: Set<string>,
): Mark[] {
	const marks: Mark[] = [];
	const a = after.release;
	const b = before?.release;
	if (a && b && a.target === b.target && a.namespace === b.namespace) {
		if (a.versions !== b.versions) marks.push(...revisionMarks(b, a, at));
		if (a.traffic !== b.traffic) marks.push(...weightMarks(b, a, at));
	}
	if (after.verdict?.verdict !== before?.verdict?.verdict) marks.push(...verdictMarks(before?.verdict, after.verdict, at));
	if (a && a.events !== b?.events) marks.push(...eventMarks(a, seen, at));
	return marks;
}
