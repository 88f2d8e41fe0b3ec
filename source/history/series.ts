// The SLI samples of the history: per SLI and version, one value per step time, in order. The newest three
// hours are kept; older samples are dropped. A time never written (or written as no data) reads as NaN.
import type {MetricsState} from '../metrics/state.js';

/** How far back samples are kept (ms). */
export const SERIES_SPAN_MS = 3 * 3600_000;

class Series {
	private times = new Float64Array(64);
	private values = new Float64Array(64);
	private start = 0;
	private end = 0;

	get length(): number {
		return this.end - this.start;
	}

	private last(): number {
		return this.end > this.start ? this.times[this.end - 1]! : -Infinity;
	}

	/** Index of the first sample at or after `time`. */
	private seek(time: number): number {
		let lo = this.start;
		let hi = this.end;
		while (lo < hi) {
			const mid = (lo + hi) >>> 1;
			if (this.times[mid]! < time) lo = mid + 1;
			else hi = mid;
		}
		return lo;
	}

	private grow(): void {
		const count = this.length;
		const size = count + 1 > this.times.length / 2 ? this.times.length * 2 : this.times.length;
		const times = new Float64Array(size);
		const values = new Float64Array(size);
		times.set(this.times.subarray(this.start, this.end));
		values.set(this.values.subarray(this.start, this.end));
		this.times = times;
		this.values = values;
		this.start = 0;
		this.end = count;
	}

	set(time: number, value: number): void {
		if (time > this.last()) {
			// Steps without data are gaps: nothing to keep for them.
			if (Number.isNaN(value)) return;
			if (this.end === this.times.length) this.grow();
			this.times[this.end] = time;
			this.values[this.end] = value;
			this.end++;
			return;
		}
		let i = this.seek(time);
		if (i < this.end && this.times[i] === time) {
			this.values[i] = value;
			return;
		}
		if (Number.isNaN(value)) return;
		if (this.end === this.times.length) {
			this.grow();
			i = this.seek(time);
		}
		this.times.copyWithin(i + 1, i, this.end);
		this.values.copyWithin(i + 1, i, this.end);
		this.times[i] = time;
		this.values[i] = value;
		this.end++;
	}

	/** Drop samples before `time`. */
	trim(time: number): void {
		this.start = this.seek(time);
		if (this.start > this.times.length / 2) this.grow();
	}

	/** Values at `count` step times ending at `end`, oldest first. */
	window(end: number, stepMs: number, count: number): number[] {
		const out = new Array<number>(count).fill(NaN);
		let i = this.seek(end - (count - 1) * stepMs);
		for (let k = 0; k < count; k++) {
			const t = end - (count - 1 - k) * stepMs;
			while (i < this.end && this.times[i]! < t) i++;
			if (i < this.end && this.times[i] === t) out[k] = this.values[i]!;
		}
		return out;
	}

	/** The newest sample at or before `time`. */
	at(time: number): {time: number; value: number} | undefined {
		const i = this.seek(time + 1) - 1;
		return i >= this.start ? {time: this.times[i]!, value: this.values[i]!} : undefined;
	}

	bytes(): number {
		return 64 + this.times.length * 16;
	}
}

const keyOf = (sli: string, version: string) => `${sli}\u0000${version}`;

export class SliSeries {
	private readonly series = new Map<string, Series>();
	private newest = -Infinity;

	/** One sample; NaN is no data. */
	set(sli: string, version: string, time: number, value: number): void {
		let s = this.series.get(keyOf(sli, version));
		if (!s) this.series.set(keyOf(sli, version), (s = new Series()));
		s.set(time, value);
		if (time > this.newest) {
			const before = Math.floor((this.newest - SERIES_SPAN_MS) / 60_000);
			this.newest = time;
			// Trim once a minute of newest time.
			if (Math.floor((time - SERIES_SPAN_MS) / 60_000) !== before) for (const each of this.series.values()) each.trim(time - SERIES_SPAN_MS);
		}
	}

	/** Every value of a metrics slice, at its step times. */
	ingest(metrics: MetricsState): void {
		if (metrics.end === undefined) return;
		for (const row of metrics.rows) {
			for (const [version, values] of Object.entries(row.values)) {
				const count = values.length;
				for (let k = 0; k < count; k++) this.set(row.key, version, metrics.end - (count - 1 - k) * metrics.stepMs, values[k]!);
			}
		}
	}

	window(sli: string, version: string, end: number, stepMs: number, count: number): number[] {
		return this.series.get(keyOf(sli, version))?.window(end, stepMs, count) ?? new Array<number>(count).fill(NaN);
	}

	/** The newest sample of a series at or before `time`. */
	at(sli: string, version: string, time: number): {time: number; value: number} | undefined {
		return this.series.get(keyOf(sli, version))?.at(time);
	}

	bytes(): number {
		let total = 0;
		for (const s of this.series.values()) total += s.bytes();
		return total;
	}

	get samples(): number {
		let total = 0;
		for (const s of this.series.values()) total += s.length;
		return total;
	}
}
