// One external store: watches and timers dispatch into it; React reads it with useSyncExternalStore.
// Subscribers are told at most once per `batchMs`, so bursts of watch events make one render.
import {reduce, type Action, type AppState} from './state.js';

/** What a view reads: the store itself, or one that shows a moment of its past (source/history/travel.ts). */
export type StateSource = Pick<Store, 'getState' | 'subscribe'>;

export class Store {
	private state: AppState;
	private readonly listeners = new Set<() => void>();
	private pending: NodeJS.Timeout | undefined;
	private lastNotify = 0;

	constructor(initial: AppState, private readonly batchMs = 50) {
		this.state = initial;
	}

	getState = (): AppState => this.state;

	subscribe = (listener: () => void): (() => void) => {
		this.listeners.add(listener);
		return () => this.listeners.delete(listener);
	};

	dispatch = (action: Action): void => {
		const next = reduce(this.state, action);
		if (next === this.state) return;
		this.state = next;
		this.schedule();
	};

	private schedule(): void {
		if (this.pending) return;
		const wait = Math.max(0, this.lastNotify + this.batchMs - Date.now());
		this.pending = setTimeout(() => {
			this.pending = undefined;
			this.lastNotify = Date.now();
			for (const l of [...this.listeners]) l();
		}, wait);
	}

	/** Stop pending notifications (on exit). */
	close(): void {
		if (this.pending) clearTimeout(this.pending);
		this.pending = undefined;
		this.listeners.clear();
	}
}
