// The service-level indicators rollscope shows per version, their units and default thresholds.

export const sliKeys = ['requestRate', 'errorRatio', 'p95', 'p99', 'cpu', 'memory'] as const;
export type SliKey = (typeof sliKeys)[number];

/** rps: requests per second; ratio: 0..1; seconds; cores: CPU cores; bytes. */
export type Unit = 'rps' | 'ratio' | 'seconds' | 'cores' | 'bytes';

/** Above `bad` is red, above `warn` yellow, else green; without them the value is not judged. */
export type Threshold = {bad?: number; warn?: number};

export type SliInfo = {
	key: SliKey;
	/** Short row label in a panel. */
	label: string;
	/** What the value means, for help and errors. */
	title: string;
	unit: Unit;
	/** Shown only when some version has data (CPU and memory need cAdvisor series). */
	onlyWithData: boolean;
	threshold: Threshold;
};

export const slis: Record<SliKey, SliInfo> = {
	requestRate: {key: 'requestRate', label: 'req', title: 'request rate', unit: 'rps', onlyWithData: false, threshold: {}},
	errorRatio: {key: 'errorRatio', label: 'err', title: 'error ratio (5xx)', unit: 'ratio', onlyWithData: false, threshold: {warn: 0.005, bad: 0.01}},
	p95: {key: 'p95', label: 'p95', title: '95th percentile latency', unit: 'seconds', onlyWithData: false, threshold: {warn: 0.25, bad: 0.5}},
	p99: {key: 'p99', label: 'p99', title: '99th percentile latency', unit: 'seconds', onlyWithData: false, threshold: {warn: 0.5, bad: 1}},
	cpu: {key: 'cpu', label: 'cpu', title: 'CPU per pod', unit: 'cores', onlyWithData: true, threshold: {}},
	memory: {key: 'memory', label: 'mem', title: 'memory (working set) per pod', unit: 'bytes', onlyWithData: true, threshold: {}},
};

export type Judgement = 'good' | 'warn' | 'bad' | 'none';

/** How a value compares with its threshold; no data and no threshold are not judged. */
export function judge(value: number | undefined, threshold: Threshold): Judgement {
	if (value === undefined || Number.isNaN(value)) return 'none';
	if (threshold.bad !== undefined && value > threshold.bad) return 'bad';
	if (threshold.warn !== undefined && value > threshold.warn) return 'warn';
	if (threshold.bad === undefined && threshold.warn === undefined) return 'none';
	return 'good';
}
