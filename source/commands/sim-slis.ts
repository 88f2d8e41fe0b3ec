// SLIs and the judge's counts from the simulated cluster's own series, in-process: what `rollscope demo`
// uses when no Prometheus binary is on the PATH. It answers the same range questions as the Prometheus
// source, computed from per-version counter samples the sim keeps once a second (sim/metrics-history.ts):
// rates over the rate window, the error ratio, histogram quantiles as Prometheus interpolates them; and
// the verdict's windows as the gate's queries count them (increase() over the window, requests and errors
// rounded, cumulative buckets per bound), through the same arithmetic (verdict/window-queries.ts).
import type {PromSeries} from '../metrics/prometheus-client.js';
import {extrapolatedIncrease, type CounterSample} from '../metrics/increase.js';
import type {Release, Version} from '../release/model.js';
import {windowData, windowPair} from '../verdict/window-queries.js';
import type {WindowSource} from '../verdict/window-source.js';
import {bucketBounds} from '../sim/latency.js';
import type {GroupSample} from '../sim/metrics.js';
import type {KubeClient} from '../kube/client.js';
import {KubeError} from '../kube/errors.js';
import {MetricsHistory, SERIES_PATH, type HistorySample} from '../sim/metrics-history.js';
import {bucketQuantile} from '../metrics/histogram.js';
import type {MetricsSettings} from '../metrics/settings.js';
import {sliKeys, type SliKey} from '../metrics/slis.js';
import type {MetricsSource, RangeAnswer, RangeRequest, Sample, SliOutcome} from '../metrics/source.js';

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


/** The label the windows' series carry their version in: the version's id, as the sim knows it. */
const VERSION = 'version';

/** Each counter of one version over (start, end] as increase() would count it from the samples a second apart. */
function windowCounts(history: MetricsHistory, version: Version, namespace: string, start: number, end: number): {requests: number; errors: number; buckets: number[]} | undefined {
	const requests: CounterSample[] = [];
	const errors: CounterSample[] = [];
	const buckets: CounterSample[][] = bucketBounds.map(() => []);
	for (let i = Math.max(0, history.indexAt(start)); i < history.samples.length; i++) {
		const sample = history.samples[i]!;
		if (sample.time > end) break;
		const t = totals(sample.groups, version, namespace);
		if (!t) continue;
		requests.push([sample.time, t.requests]);
		errors.push([sample.time, t.errors]);
		t.buckets.forEach((b, j) => buckets[j]!.push([sample.time, b]));
	}
	const r = extrapolatedIncrease(requests, start, end);
	if (r === undefined) return undefined;
	return {requests: r, errors: extrapolatedIncrease(errors, start, end) ?? 0, buckets: buckets.map(b => extrapolatedIncrease(b, start, end) ?? 0)};
}

/** The judge's windows from the sim's own series: the same windows, counts and buckets as the gate's queries over a Prometheus scraping the sim. */
export function simWindows(history: MetricsHistory, where = "the sim's own series"): WindowSource {
	return {
		where,
		tag: where,
		async window(release: Release, windowSeconds: number, {time}) {
			const pair = windowPair(release);
			if (!pair) return {note: 'nothing to compare'};
			const start = time - windowSeconds * 1000;
			const answers: {requests: PromSeries[]; errors: PromSeries[]; buckets: PromSeries[]} = {requests: [], errors: [], buckets: []};
			for (const version of [pair.canary, pair.baseline]) {
				const counts = windowCounts(history, version, release.namespace, start, time);
				if (!counts) continue;
				const labels = {[VERSION]: version.id};
				answers.requests.push({labels, samples: [[time, Math.round(counts.requests)]]});
				answers.errors.push({labels, samples: [[time, Math.round(counts.errors)]]});
				counts.buckets.forEach((count, i) => answers.buckets.push({labels: {...labels, le: String(bucketBounds[i])}, samples: [[time, count]]}));
				answers.buckets.push({labels: {...labels, le: '+Inf'}, samples: [[time, counts.requests]]});
			}
			const plan = {canary: pair.canary.id, baseline: pair.baseline.id, msPerLe: 1000, versionOf: (labels: Record<string, string>) => labels[VERSION]};
			return {data: windowData(plan, answers), warnings: []};
		},
	};
}

/**
 * The judge's windows from a `rollscope sim` in another process: its own series, pulled from its API server
 * (GET /rollscope-sim/v1/series) before each window. Undefined when the API server does not serve them (it is
 * not a rollscope sim); rejects when it cannot be asked.
 */
export async function simWindowsOverApi(client: Pick<KubeClient, 'request'>): Promise<WindowSource | undefined> {
	const history = new MetricsHistory({sampleGroups: () => []});
	const pull = async () => {
		const since = history.samples.at(-1)?.time ?? Date.now() - history.keepMs;
		const answer = (await client.request('GET', SERIES_PATH, {query: {since: String(since)}})) as {samples?: HistorySample[]};
		for (const sample of answer.samples ?? []) history.add(sample);
	};
	try {
		await pull();
	} catch (error) {
		if (error instanceof KubeError && error.code === 404) return undefined;
		throw error;
	}
	const windows = simWindows(history);
	return {
		...windows,
		async window(release, windowSeconds, options) {
			await pull();
			return windows.window(release, windowSeconds, options);
		},
	};
}
