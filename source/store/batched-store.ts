// An external store over a reducer: dispatches change the state at once; subscribers are told at most once
// per `batchMs`, so bursts of watch events make one render. React reads it with useSyncExternalStore.

export class BatchedStore<S, A> {
	private state: S;
	private readonly listeners = new Set<() => void>();
	private pending: NodeJS.Timeout | undefined;
	private lastNotify = 0;

	constructor(
		initial: S,
		private readonly reducer: (state: S, action: A) => S,
		private readonly batchMs: number,
	) {
		this.state = initial;
	}

	getState = (): S => this.state;

	subscribe = (listener: () => void): (() => void) => {
		this.listeners.add(listener);
		return () => this.listeners.delete(listener);
	};

	dispatch = (action: A): void => {
		const next = this.reducer(this.state, action);
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
