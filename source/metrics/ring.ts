// A ring buffer of one series at a fixed step: the newest `capacity` steps, each slot remembering
// the time it holds, so a read of a time that was never written (or was overwritten) is no data.

export class StepRing {
	private readonly times: Float64Array;
	private readonly values: Float64Array;

	constructor(readonly stepMs: number, readonly capacity: number) {
		if (!(stepMs > 0) || !(capacity >= 1)) throw new RangeError('a ring needs a positive step and capacity');
		this.times = new Float64Array(capacity).fill(NaN);
		this.values = new Float64Array(capacity).fill(NaN);
	}

	private slot(time: number): number {
		const n = Math.round(time / this.stepMs) % this.capacity;
		return n < 0 ? n + this.capacity : n;
	}

	/** Store the value at `time` (a multiple of the step); NaN records "no data" there. */
	set(time: number, value: number): void {
		const i = this.slot(time);
		this.times[i] = time;
		this.values[i] = value;
	}

	/** The value at `time`, or NaN when none is held for it. */
	get(time: number): number {
		const i = this.slot(time);
		return this.times[i] === time ? this.values[i]! : NaN;
	}

	/** `count` values ending at `end`, oldest first. */
	window(end: number, count: number): number[] {
		const out = new Array<number>(count);
		for (let k = 0; k < count; k++) out[k] = this.get(end - (count - 1 - k) * this.stepMs);
		return out;
	}
}
