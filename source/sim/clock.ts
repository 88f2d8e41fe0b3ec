// The simulated clock. Controllers wait in simulated seconds; `--speed X` makes them pass X times faster.
// Timestamps written into objects stay wall-clock time, so ages shown by kubectl are real.

export class SimClock {
	private readonly timers = new Set<NodeJS.Timeout>();
	private stopped = false;

	constructor(readonly speed = 1) {
		if (!(speed > 0)) throw new Error('speed must be a positive number');
	}

	/** Wall-clock milliseconds since the epoch. */
	now(): number {
		return Date.now();
	}

	/** Real milliseconds that `simSeconds` simulated seconds take. */
	toMs(simSeconds: number): number {
		return (simSeconds * 1000) / this.speed;
	}

	/** Run `fn` once after `simSeconds` simulated seconds. Returns a cancel function. */
	after(simSeconds: number, fn: () => void): () => void {
		if (this.stopped) return () => {};
		const t = setTimeout(() => {
			this.timers.delete(t);
			fn();
		}, this.toMs(simSeconds));
		t.unref?.();
		this.timers.add(t);
		return () => {
			clearTimeout(t);
			this.timers.delete(t);
		};
	}

	/** Run `fn` every `simSeconds` simulated seconds. Returns a cancel function. */
	every(simSeconds: number, fn: () => void): () => void {
		if (this.stopped) return () => {};
		const t = setInterval(fn, this.toMs(simSeconds));
		t.unref?.();
		this.timers.add(t);
		return () => {
			clearInterval(t);
			this.timers.delete(t);
		};
	}

	/** Cancel every pending timer; later calls schedule nothing. */
	stop(): void {
		this.stopped = true;
		for (const t of this.timers) clearTimeout(t);
		this.timers.clear();
	}
}
