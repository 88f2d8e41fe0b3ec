// The one application state that watches write into and the views read.
import type {ActionsState} from '../actions/activity.js';
import type {MetricsState} from '../metrics/state.js';
import type {Release} from '../release/model.js';
import type {Verdict} from '../verdict/judge.js';
import type {ReleaseRef} from '../release/snapshot.js';

/** When a retry is due: `retryAt` ms epoch, the how-manyth attempt that will be. */
export type Retry = {retryAt: number; attempt: number};

export type ConnectionState =
	/** Not live yet. `problem` says why, when something failed (the API server cannot be reached...). */
	| ({state: 'connecting'; problem?: string} & Partial<Retry>)
	/**
	 * Every watch has listed and the API server answers. `unreadable`: resources the view can do without that
	 * the user may not read (403), named `virtualservices.networking.istio.io`; the view goes on without them.
	 */
	| {state: 'live'; since: number; unreadable?: string[]}
	/**
	 * Was live; what is on screen may be out of date since `since` (ms epoch): the API server does not answer, a
	 * watch failed, or the view lists again. `why` in the operator's words.
	 */
	| ({state: 'stale'; since: number; why: string} & Partial<Retry>);

export type AppState = {
	/** kubeconfig context name. */
	context: string;
	namespace: string;
	/** What the user asked to watch; undefined while picking. */
	target?: string;
	release?: Release;
	/** Releases in the namespace, for the picker (in progress first). */
	releases: ReleaseRef[];
	connection: ConnectionState;
	/** A problem that stops the view from showing the release (unknown target, forbidden, ...). */
	problem?: string;
	/** Wall-clock ms; ticks once a second so ages and countdowns move. */
	now: number;
	/** Actions on the release: whether they are on, which are denied, what one is doing. Absent: no actions wired. */
	actions?: ActionsState;
	/** SLI series per version from Prometheus (or the sim), written by the metrics poller. Absent: metrics off. */
	metrics?: MetricsState;
	/** The verdict on the new version, written by the verdict poller. Absent: no verdict in this view. */
	verdict?: VerdictSlice;
};

export type VerdictSlice = {
	/** The latest verdict; absent until a window has been judged. */
	verdict?: Verdict;
	/** Ms epoch where the window `verdict` judged starts (the time it was judged at minus --window). */
	windowStart?: number;
	/** Why there is no (fresh) verdict: no Prometheus, a rolling update, Prometheus unreachable. */
	note?: string;
	/** Where the judged counts come from, when not from where the SLIs do: `the sim's own series`. */
	source?: string;
	/** --auto-abort: the abort runs at `at` (ms epoch) unless cancelled. */
	countdown?: {at: number; reason: string};
	/** --auto-abort as the header says it: `auto-abort 30s`, `auto-abort off: read-only`. */
	autoAbort?: string;
	/** --auto-advance as the header says it: `auto-advance: next step 50% in 1m 20s`, `auto-advance stopped: …`. */
	autoAdvance?: string;
};

export type Action =
	| {type: 'release'; release: Release | undefined; releases: ReleaseRef[]; problem?: string}
	| {type: 'connection'; connection: ConnectionState}
	| {type: 'target'; target: string | undefined}
	| {type: 'tick'; now: number}
	| {type: 'actions'; actions: Partial<ActionsState>}
	| {type: 'metrics'; metrics: MetricsState}
	| {type: 'verdict'; verdict: Partial<VerdictSlice>};

export function reduce(state: AppState, action: Action): AppState {
	switch (action.type) {
		case 'release':
			return {...state, release: action.release, releases: action.releases, problem: action.problem};
		case 'connection':
			return {...state, connection: action.connection};
		case 'target':
			return {...state, target: action.target, release: undefined, problem: undefined};
		case 'tick':
			return {...state, now: action.now};
		case 'actions':
			return {...state, actions: {mode: 'enabled', denied: {}, ...state.actions, ...action.actions}};
		case 'metrics':
			return {...state, metrics: action.metrics};
		case 'verdict':
			return {...state, verdict: {...state.verdict, ...action.verdict}};
	}
}

export function initialState(context: string, namespace: string, target?: string): AppState {
	return {context, namespace, target, releases: [], connection: {state: 'connecting'}, now: Date.now()};
}
