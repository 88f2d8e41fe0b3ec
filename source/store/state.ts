// The one application state that watches write into and the views read.
import type {Release} from '../release/model.js';
import type {ReleaseRef} from '../release/snapshot.js';

export type ConnectionState =
	| {state: 'connecting'}
	| {state: 'live'; since: number}
	/** A watch failed; the next attempt is at `retryAt` (ms epoch). `lastLive` is when data was last fresh. */
	| {state: 'reconnecting'; retryAt: number; attempt: number; error: string; lastLive?: number};

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
};

export type Action =
	| {type: 'release'; release: Release | undefined; releases: ReleaseRef[]; problem?: string}
	| {type: 'connection'; connection: ConnectionState}
	| {type: 'target'; target: string | undefined}
	| {type: 'tick'; now: number};

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
	}
}

export function initialState(context: string, namespace: string, target?: string): AppState {
	return {context, namespace, target, releases: [], connection: {state: 'connecting'}, now: Date.now()};
}
