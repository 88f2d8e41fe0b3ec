// Where SLI series come from, behind one interface: a Prometheus-compatible API, or the simulated
// cluster's own series in-process. Both answer "each SLI of each version, from start to end".
import type {Release} from '../release/model.js';
import type {Sample} from './prometheus-client.js';
import type {SliKey} from './slis.js';

export type {Sample};

/** Samples per version id; a version without samples has no data. NaN samples are no data too. */
export type SliOutcome = {ok: true; series: Map<string, Sample[]>} | {ok: false; error: string};

export type RangeRequest = {
	release: Release;
	/** ms, inclusive; multiples of the step. */
	start: number;
	end: number;
	/** Seconds between samples. */
	step: number;
	signal?: AbortSignal;
};

export type RangeAnswer = {
	/** One outcome per SLI asked for; absent when nothing could be asked. */
	outcomes: Partial<Record<SliKey, SliOutcome>>;
	/** Nothing useful came back: the source is down (outage), or it has no metrics for the release. */
	problem?: {message: string; outage: boolean};
	/** Queries sent for this answer. */
	queries: number;
	/** The preset in use, once known. */
	preset?: string;
};

export interface MetricsSource {
	/** Short words for the header: `prometheus 127.0.0.1:9090 · istio`, `sim (in-process)`. */
	describe(): string;
	range(request: RangeRequest): Promise<RangeAnswer>;
}

/** The step a time falls in: sample times are multiples of the step. */
export const alignDown = (time: number, stepMs: number) => Math.floor(time / stepMs) * stepMs;
