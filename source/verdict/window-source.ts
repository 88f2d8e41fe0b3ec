// Where the judge's counts come from: one window's requests, 5xx errors and latency buckets of a release's
// new and old version. From a Prometheus, three instant queries in parallel (the gate's queries, the preset
// detected once); the demo's sim answers the same from its own series (commands/sim-slis.ts).
import {detectPreset} from '../metrics/detect.js';
import type {PresetName} from '../metrics/presets.js';
import type {PromClient} from '../metrics/prometheus-client.js';
import type {MetricsSettings} from '../metrics/settings.js';
import type {Release} from '../release/model.js';
import type {WindowData} from './judge.js';
import {planWindowQueries, windowData, type WindowPlan} from './window-queries.js';

export type WindowFetch = {data: WindowData; warnings: string[]};

export async function fetchWindow(client: PromClient, plan: WindowPlan, options: {time?: number; signal?: AbortSignal} = {}): Promise<WindowFetch> {
	const time = options.time ?? Date.now();
	const call = {signal: options.signal};
	const [requests, errors, buckets] = await Promise.all([client.instant(plan.requests, time, call), client.instant(plan.errors, time, call), client.instant(plan.buckets, time, call)]);
	return {
		data: windowData(plan, {requests: requests.series, errors: errors.series, buckets: buckets.series}),
		warnings: [...requests.warnings, ...errors.warnings, ...buckets.warnings],
	};
}

/** One window's counts, or why there are none yet (not an error: a note for the operator). */
export type WindowAnswer = WindowFetch | {note: string};

export type WindowSource = {
	/** Where the figures come from, in the operator's words (`Prometheus at host:9090`, `the sim's own series`). */
	where: string;
	/** Said beside the verdict: absent when it is where the SLIs come from too (a Prometheus). */
	tag?: string;
	/** The counts of the release's new and old version over (time - windowSeconds, time]; rejects when the source does not answer. */
	window(release: Release, windowSeconds: number, options: {time: number; signal?: AbortSignal}): Promise<WindowAnswer>;
};

/** Windows from a Prometheus: the preset of the settings, else the one its series say in the release's namespace (asked until one is found). */
export function prometheusWindows(prom: PromClient, settings: MetricsSettings): WindowSource {
	const presets = new Map<string, PresetName>();
	return {
		where: `Prometheus at ${prom.where}`,
		async window(release, windowSeconds, {time, signal}) {
			let preset = settings.preset ?? presets.get(release.namespace);
			if (!preset) {
				preset = await detectPreset(prom, release.namespace, {signal});
				if (preset) presets.set(release.namespace, preset);
			}
			if (!preset) return {note: `no known metrics in namespace ${release.namespace} yet (choose a preset with --metrics)`};
			const plan = planWindowQueries(release, settings, preset, windowSeconds);
			if ('error' in plan) return {note: plan.error};
			return fetchWindow(prom, plan, {time, signal});
		},
	};
}
