// A short memory of the sim's own counters, summed per version once a second, so that the
// in-process metrics source can answer range questions without a Prometheus.
import type {GroupSample, SimMetrics} from './metrics.js';

export type HistorySample = {time: number; groups: GroupSample[]};

export class MetricsHistory {
	readonly samples: HistorySample[] = [];
	private timer: NodeJS.Timeout | undefined;

	constructor(private readonly metrics: Pick<SimMetrics, 'sampleGroups'>, readonly everyMs = 1000, readonly keepMs = 11 * 60_000) {}

	/** Take one sample now (wall ms). */
	record(now = Date.now()): void {
		this.samples.push({time: now, groups: this.metrics.sampleGroups(now)});
		const oldest = now - this.keepMs;
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
