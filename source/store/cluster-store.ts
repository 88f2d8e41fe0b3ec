// The external store of the list of every namespace's releases: the cluster watch and the list's judge
// dispatch into it; React reads it with useSyncExternalStore. Subscribers are told at most once per `batchMs`.
import {reduceCluster, type ClusterAction, type ClusterState} from './cluster-state.js';

export class ClusterStore {
	private state: ClusterState;
	private readonly listeners = new Set<() => void>();
	private pending: NodeJS.Timeout | undefined;
	private lastNotify = 0;

	constructor(initial: ClusterState, private readonly batchMs = 100) {
		this.state = initial;
	}

	getState = (): ClusterState => this.state;

	subscribe = (listener: () => void): (() => void) => {
		this.listeners.add(listener);
		return () => this.listeners.delete(listener);
	};

	dispatch = (action: ClusterAction): void => {
		const next = reduceCluster(this.state, action);
		if (next === this.state) return;
		this.state = next;
		if (this.pending) return;
		const wait = Math.max(0, this.lastNotify + this.batchMs - Date.now());
		this.pending = setTimeout(() => {
			this.pending = undefined;
			this.lastNotify = Date.now();
			for (const l of [...this.listeners]) l();
		}, wait);
	};

	/** Stop pending notifications (on exit). */
	close(): void {
		if (this.pending) clearTimeout(this.pending);
		this.pending = undefined;
		this.listeners.clear();
	}
}
