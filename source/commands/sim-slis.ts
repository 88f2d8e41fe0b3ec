// SLIs from the simulated cluster's own series, in-process: what `rollscope demo` uses when no
// Prometheus binary is on the PATH. It answers the same range questions as the Prometheus source,
// computed from per-version counter samples the sim keeps once a second (sim/metrics-history.ts):
// rates over the rate window, the error ratio, histogram quantiles as Prometheus interpolates them; and the
// verdict's windows (counts of both versions) for the list of every namespace.
import type {Version} from '../release/model.js';
import {bucketBounds} from '../sim/latency.js';
import type {GroupSample} from '../sim/metrics.js';
import type {MetricsHistory} from '../sim/metrics-history.js';
import {bucketQuantile} from '../metrics/histogram.js';
import type {MetricsSettings} from '../metrics/settings.js';
import {sliKeys, type SliKey} from '../metrics/slis.js';
import type {MetricsSource, RangeAnswer, RangeRequest, Sample, SliOutcome} from '../metrics/source.js';
import type {WindowSource} from '../live/cluster-verdicts.js';
import type {Arm} from '../verdict/judge.js';
import {decumulate} from '../verdict/statistics.js';
import {windowPair} from '../verdict/window-queries.js';

type Totals = {requests: number; errors: number; buckets: number[]; cpuSeconds: number; memoryBytes: number; pods: number};

function belongs(group: GroupSample, version: Version, namespace: string): boolean {
	if (group.namespace !== namespace) return false;
	return version.workloadKind === 'ReplicaSet' ? group.replicaSet === version.id : group.workload === version.workload;
}

function totals(groups: readonly GroupSample[], version: Version, namespace: string): Totals | undefined {
	let out: Totals | undefined;
	for (const g of groups) {
		if (!belongs(g, version, namespace)) continue;
		out ??= {requests: 0, errors: 0, buckets: bucketBounds.map(() => 0), cpuSeconds: 0, memoryBytes: 0, pods: 0};
		out.requests += g.requests;
		out.errors += g.errors;
		g.buckets.forEach((b, i) => (out!.buckets[i]! += b));
		out.cpuSeconds += g.cpuSeconds;
		out.memoryBytes += g.memoryBytes;
		out.pods += g.pods;
	}
	return out;
}

/**
 * The version's totals at the start of the window, or (like rate() over a series younger than the
 * window) at the first sample inside it that has the version; undefined without an earlier sample.
 */
function earliest(history: MetricsHistory, from: number, before: number, version: Version, namespace: string): {time: number; totals: Totals} | undefined {
	let i = Math.max(0, history.indexAt(from));
	for (; i < history.samples.length && history.samples[i]!.time < before; i++) {
		const sample = history.samples[i]!;
		const found = totals(sample.groups, version, namespace);
		if (found) return {time: sample.time, totals: found};
	}
	return undefined;
}

/** Each SLI of one version over (then, now], seconds apart; NaN where there is no data. */
export function sliValues(then: Totals | undefined, now: Totals | undefined, seconds: number): Record<SliKey, number> {
	const none = {requestRate: NaN, errorRatio: NaN, p95: NaN, p99: NaN, cpu: NaN, memory: NaN};
	if (!now) return none;
	const memory = now.pods > 0 ? now.memoryBytes / now.pods : NaN;
	if (!then || !(seconds > 0)) return {...none, memory};
	const requests = now.requests - then.requests;
	if (requests < 0) return {...none, memory};
	const errors = Math.max(0, now.errors - then.errors);
	const buckets = [...now.buckets.map((b, i) => ({le: bucketBounds[i]!, count: Math.max(0, b - then.buckets[i]!)})), {le: Infinity, count: requests}];
	const cpu = now.cpuSeconds - then.cpuSeconds;
	return {
		requestRate: requests / seconds,
		errorRatio: requests > 0 ? errors / requests : NaN,
		p95: bucketQuantile(0.95, buckets),
		p99: bucketQuantile(0.99, buckets),
		cpu: now.pods > 0 && cpu >= 0 ? cpu / seconds / now.pods : NaN,
		memory,
	};
}

export function simSource(history: MetricsHistory, settings: Pick<MetricsSettings, 'rateWindow' | 'slis'>): MetricsSource {
	return {
		describe: () => 'sim (in-process)',
		async range(request: RangeRequest): Promise<RangeAnswer> {
			const {release} = request;
			const shown = sliKeys.filter(key => settings.slis[key].show);
			const series = new Map<SliKey, Map<string, Sample[]>>(shown.map(key => [key, new Map()]));
			const stepMs = request.step * 1000;
			const windowMs = settings.rateWindow * 1000;
			for (let t = request.start; t <= request.end; t += stepMs) {
				const now = history.at(t);
				for (const version of release.versions) {
					const current = now && totals(now.groups, version, release.namespace);
					const then = now && current ? earliest(history, t - windowMs, now.time, version, release.namespace) : undefined;
					const values = sliValues(then?.totals, current, then ? (now!.time - then.time) / 1000 : 0);
					for (const key of shown) {
						const byVersion = series.get(key)!;
						let samples = byVersion.get(version.id);
						if (!samples) byVersion.set(version.id, (samples = []));
						samples.push([t, values[key]]);
					}
				}
			}
			const outcomes: Partial<Record<SliKey, SliOutcome>> = {};
			for (const key of shown) outcomes[key] = {ok: true, series: series.get(key)!};
			return {outcomes, queries: 0, preset: 'sim'};
		},
	};
}


/** One arm of the verdict's window from a version's totals at its start and end. */
function arm(then: Totals, now: Totals): Arm {
	const requests = Math.max(0, now.requests - then.requests);
	const cumulative = [...now.buckets.map((b, i) => Math.max(0, b - then.buckets[i]!)), requests];
	const p95 = bucketQuantile(0.95, cumulative.map((count, i) => ({le: bucketBounds[i] ?? Infinity, count})));
	return {requests, errors: Math.max(0, now.errors - then.errors), buckets: decumulate(cumulative), ...(Number.isFinite(p95) ? {p95Ms: p95 * 1000} : {})};
}

/** The verdict's windows from the sim's own series (the list of every namespace's releases, in the demo without a Prometheus). */
export function simWindows(history: MetricsHistory, windowSeconds: number): WindowSource {
	return {
		describe: "the sim's series",
		async window(release) {
			const pair = windowPair(release);
			const now = history.samples.at(-1);
			if (!pair || !now) return {note: 'no samples yet'};
			const from = now.time - windowSeconds * 1000;
			const ends = [pair.canary, pair.baseline].map(v => ({now: totals(now.groups, v, release.namespace), then: earliest(history, from, now.time, v, release.namespace)?.totals}));
			const [canary, baseline] = ends.map(e => (e.now && e.then ? arm(e.then, e.now) : {requests: 0, errors: 0}));
			return {canary: canary!, baseline: baseline!};
		},
	};
}
