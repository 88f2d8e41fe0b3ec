// The view's connection, measured rather than assumed: from the health probe, discovery and each watch's
// state. Live only when the API server answers and every watch has listed; once live, anything less is
// stale since the last moment it was live. Pure.
import type {Health} from '../kube/health.js';
import type {WatchState} from '../kube/list-watch.js';
import type {ConnectionState, Retry} from '../store/state.js';

export type ConnectionInputs = {
	now: number;
	/** What the view showed until now (its `since` is kept while live). */
	previous: ConnectionState;
	/** The last answer of the health probe; absent before the first. */
	health?: Health;
	/** Discovery failed and is retried: why (`unreachable`: no answer came), and when. Absent once it answered. */
	discovery?: {error: string; unreachable: boolean} & Retry;
	/** One per watch; empty until discovery answered. */
	watches: WatchState[];
	/** When the view was last live (ms epoch); absent: never. */
	lastLive?: number;
	/** Resources left out because the user may not read them (their watches are not among `watches`). */
	unreadable?: string[];
};

type Failing = Extract<WatchState, {state: 'reconnecting'}>;

/** What no release can be read without: a user who may not read these is told the server's 403, and the view waits. */
const essential: ReadonlySet<string> = new Set(['deployments', 'replicaSets', 'pods']);

/**
 * A watch of a resource the view can do without (its snapshot field is not essential) whose list the server
 * refused (403): a namespaced Role often grants the core and apps groups, not the CRDs the cluster serves
 * besides. It is left out of the connection and of the first build, and named (`unreadable`).
 */
export const refusedRead = (field: string, state: WatchState | undefined): boolean => !essential.has(field) && state?.state === 'reconnecting' && state.error.code === 403;

/** A resource as kubectl names it: `virtualservices.networking.istio.io`, `events`. */
export const resourceName = (resource: string, groupVersion: string): string => (groupVersion.includes('/') ? `${resource}.${groupVersion.slice(0, groupVersion.indexOf('/'))}` : resource);

const unreachable = (error: {code: number; reason: string}) => (error.code === 0 && error.reason === 'Unreachable') || error.code >= 500;

export function connectionOf(inputs: ConnectionInputs): ConnectionState {
	const {now, previous, health, discovery, watches, lastLive} = inputs;
	const unreadable = inputs.unreadable ?? [];
	const live = (since: number): ConnectionState => (unreadable.length > 0 ? {state: 'live', since, unreadable} : {state: 'live', since});
	const silent = health && !health.answering ? health : undefined;
	const failing = watches.filter((w): w is Failing => w.state === 'reconnecting');
	const first = failing.length > 0 ? failing.reduce((a, b) => (a.retryAt <= b.retryAt ? a : b)) : undefined;
	const retry: Partial<Retry> = first ? {retryAt: first.retryAt, attempt: first.attempt} : discovery ? {retryAt: discovery.retryAt, attempt: discovery.attempt} : {};
	const watchProblem = first ? (unreachable(first.error) ? `API server: ${first.error.message}` : first.error.message) : undefined;

	const reach = (failure: {error: string; unreachable: boolean}) => (failure.unreachable ? `cannot reach the API server: ${failure.error}` : failure.error);
	if (lastLive === undefined) {
		if (silent) return {state: 'connecting', problem: reach(silent), ...retry};
		if (discovery) return {state: 'connecting', problem: reach(discovery), ...retry};
		if (first) return {state: 'connecting', problem: unreachable(first.error) ? `cannot reach the API server: ${first.error.message}` : first.error.message, ...retry};
		if (watches.length > 0 && watches.every(w => w.state === 'live')) return live(now);
		return {state: 'connecting'};
	}
	if (silent) return {state: 'stale', since: lastLive, why: silent.unreachable ? `API server: ${silent.error}` : silent.error, ...retry};
	if (watchProblem) return {state: 'stale', since: lastLive, why: watchProblem, ...retry};
	const listing = watches.find((w): w is Extract<WatchState, {state: 'connecting'}> => w.state === 'connecting');
	if (listing) return {state: 'stale', since: lastLive, why: `listing again: ${listing.why ?? 'a watch starts over'}`};
	if (watches.length === 0) return {state: 'stale', since: lastLive, why: 'waiting for the API server'};
	if (previous.state !== 'live') return live(now);
	return (previous.unreadable ?? []).join() === unreadable.join() ? previous : live(previous.since);
}
