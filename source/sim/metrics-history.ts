// A short memory of the sim's own counters, summed per version once a second, so that the
// in-process metrics source can answer range questions without a Prometheus. The sim serves it to
// clients in other processes too (server.ts: GET /rollscope-sim/v1/series), who keep a copy with add().
import type {GroupSample, SimMetrics} from './metrics.js';

export type HistorySample = {time: number; groups: GroupSample[]};

/** Where the sim's API server serves the series: not a Kubernetes path, so a real API server answers 404. */
export const SERIES_PATH = '/rollscope-sim/v1/series';

export class MetricsHistory {
	readonly samples: HistorySample[] = [];
	private timer: NodeJS.Timeout | undefined;

	constructor(private readonly metrics: Pick<SimMetrics, 'sampleGroups'>, readonly everyMs = 1000, readonly keepMs = 11 * 60_000) {}

	/** Take one sample now (wall ms). */
	record(now = Date.now()): void {
		this.add({time: now, groups: this.metrics.sampleGroups(now)});
	}

	/** Keep a sample taken elsewhere (newer than the last kept; older ones are ignored). */
	add(sample: HistorySample): void {
		const last = this.samples[this.samples.length - 1];
		if (last && sample.time <= last.time) return;
		this.samples.push(sample);
		const oldest = sample.time - this.keepMs;
		let drop = 0;
		while (drop < this.samples.length - 1 && this.samples[drop]!.time < oldest) drop++;
		if (drop > 0) this.samples.splice(0, drop);
	}

	start(): void {
		if (this.timer) return;
		this.record();
		this.timer = setInterval(() => this.record(), this.everyMs);
		this.timer.unref?.();
	}

	stop(): void {
		if (this.timer) clearInterval(this.timer);
		this.timer = undefined;
	}

	/** Whether it takes samples by itself. */
	get recording(): boolean {
		return this.timer !== undefined;
	}

	/** The samples taken after `time`, oldest first. */
	since(time: number): HistorySample[] {
		return this.samples.slice(this.indexAt(time) + 1);
	}

	/** Index of the latest sample taken at or before `time`, or -1. */
	indexAt(time: number): number {
		let lo = 0;
		let hi = this.samples.length - 1;
		let found = -1;
		while (lo <= hi) {
			const mid = (lo + hi) >> 1;
			if (this.samples[mid]!.time <= time) {
				found = mid;
				lo = mid + 1;
			} else {
				hi = mid - 1;
			}
		}
		return found;
	}

	/** The latest sample taken at or before `time`. */
	at(time: number): HistorySample | undefined {
		const i = this.indexAt(time);
		return i < 0 ? undefined : this.samples[i];
	}
}
