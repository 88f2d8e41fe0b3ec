// The state of the list of every namespace's releases (`rollscope -A`): the rows the cluster watch writes,
// the verdicts the list's judge writes, the connection. The view of one release keeps its own AppState.
import type {ReleaseRow} from '../release/attention.js';
import type {Verdict} from '../verdict/judge.js';
import type {ConnectionState} from './state.js';

export type ClusterState = {
	/** kubeconfig context name. */
	context: string;
	/** Every release of the cluster, most in need of a person first (without the verdicts: see orderRows). */
	rows: ReleaseRow[];
	/** Namespaces that hold at least one release. */
	namespaces: number;
	/** Every watch has listed once: until then, an empty list may only be not loaded yet. */
	loaded: boolean;
	connection: ConnectionState;
	/** Wall-clock ms; ticks so ages and countdowns move. */
	now: number;
	/** The latest verdict per row key, for releases whose kind compares two versions. */
	verdicts: Record<string, Verdict>;
	/** Where the verdicts come from, or why there are none: `verdicts: Prometheus, every 15s`. */
	verdictNote?: string;
};

export type ClusterAction =
	| {type: 'rows'; rows: ReleaseRow[]; namespaces: number; loaded: boolean}
	| {type: 'connection'; connection: ConnectionState}
	| {type: 'tick'; now: number}
	| {type: 'verdicts'; verdicts: Record<string, Verdict>; note?: string};

export function reduceCluster(state: ClusterState, action: ClusterAction): ClusterState {
	switch (action.type) {
		case 'rows':
			return {...state, rows: action.rows, namespaces: action.namespaces, loaded: action.loaded};
		case 'connection':
			return {...state, connection: action.connection};
		case 'tick':
			return {...state, now: action.now};
		case 'verdicts':
			return {...state, verdicts: action.verdicts, ...(action.note === undefined ? {} : {verdictNote: action.note})};
	}
}

export function initialClusterState(context: string, verdictNote?: string): ClusterState {
	return {context, rows: [], namespaces: 0, loaded: false, connection: {state: 'connecting'}, now: Date.now(), verdicts: {}, ...(verdictNote ? {verdictNote} : {})};
}
