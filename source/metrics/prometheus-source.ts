// SLIs from a Prometheus-compatible API: the preset is fixed or detected per namespace, then each
// SLI is one range query for all versions, sent in parallel.
import {detectPreset} from './detect.js';
import {PromError, toPromError} from './prom-error.js';
import type {PromClient, Sample} from './prometheus-client.js';
import {detectionOrder, presets, type PresetName} from './presets.js';
import {planQueries, type QueryPlan} from './queries.js';
import type {MetricsSettings} from './settings.js';
import type {SliKey} from './slis.js';
import type {MetricsSource, RangeAnswer, RangeRequest, SliOutcome} from './source.js';
import type {Release} from '../release/model.js';

export type PrometheusSource = MetricsSource & {
	readonly client: PromClient;
	/** The queries of the last range() call (for tests and the benchmark). */
	lastPlan?: QueryPlan;
	/** The plan for a release (detecting the preset when needed). */
	plan(release: Release, options?: {signal?: AbortSignal}): Promise<QueryPlan | undefined>;
};

/** Series by version id; series that belong to no version of the release are left out. */
export function byVersion(plan: QueryPlan, series: Array<{labels: Record<string, string>; samples: Sample[]}>): Map<string, Sample[]> {
	const out = new Map<string, Sample[]>();
	for (const s of series) {
		const id = plan.versionOf(s.labels);
		if (id !== undefined && !out.has(id)) out.set(id, s.samples);
	}
	return out;
}

export function prometheusSource(client: PromClient, settings: MetricsSettings, name = 'prometheus'): PrometheusSource {
	const detected = new Map<string, PresetName>();
	let lastPreset: PresetName | undefined = settings.preset;

	const presetFor = async (namespace: string, signal?: AbortSignal): Promise<PresetName | undefined> => {
		if (settings.preset) return settings.preset;
		const known = detected.get(namespace);
		if (known) return known;
		const found = await detectPreset(client, namespace, {signal});
		if (found) detected.set(namespace, found);
		return found;
	};

	const source: PrometheusSource = {
		client,
		describe: () => `${name} ${client.where}${lastPreset ? ` · ${lastPreset}` : ''}`,
		async plan(release, options = {}) {
			const preset = await presetFor(release.namespace, options.signal);
			return preset ? planQueries(release, settings, preset) : undefined;
		},
		async range(request: RangeRequest): Promise<RangeAnswer> {
			const before = client.sent;
			let plan: QueryPlan | undefined;
			try {
				plan = await source.plan(request.release, {signal: request.signal});
			} catch (error) {
				const e = toPromError(error);
				return {outcomes: {}, queries: client.sent - before, problem: {message: e.message, outage: e.isOutage || e.kind === 'aborted'}};
			}
			if (!plan) {
				const names = detectionOrder.map(p => presets[p].detect.replace(/\{.*/, '')).join(', ');
				return {
					outcomes: {},
					queries: client.sent - before,
					problem: {message: `no known metrics in namespace ${request.release.namespace} (looked for ${names}); choose a preset with --metrics or set queries in the config`, outage: false},
				};
			}
			lastPreset = plan.preset;
			source.lastPlan = plan;
			const keys = Object.keys(plan.queries) as SliKey[];
			const errors: PromError[] = [];
			const results = await Promise.all(
				keys.map(async (key): Promise<[SliKey, SliOutcome]> => {
					try {
						const answer = await client.range(plan.queries[key]!, request.start, request.end, request.step, {signal: request.signal});
						return [key, {ok: true, series: byVersion(plan, answer.series)}];
					} catch (error) {
						const e = toPromError(error);
						errors.push(e);
						return [key, {ok: false, error: e.message}];
					}
				}),
			);
			const answer: RangeAnswer = {outcomes: Object.fromEntries(results), queries: client.sent - before, preset: plan.preset};
			if (keys.length > 0 && errors.length === keys.length && errors.every(e => e.isOutage || e.kind === 'aborted')) {
				answer.problem = {message: errors[0]!.message, outage: true};
			}
			return answer;
		},
	};
	return source;
}
