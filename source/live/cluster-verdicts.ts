// The verdict column of the list of every namespace's releases: in rounds, one release at a time, the last
// window of each release whose kind compares two versions is judged as the view judges it (failing windows
// counted per pair of versions), from wherever windows are cheap to get: Prometheus (three instant queries a
// release) or the demo's in-process series. A round starts `intervalMs` after the last one ended.
import {detectPreset} from '../metrics/detect.js';
import type {PresetName} from '../metrics/presets.js';
import type {PromClient} from '../metrics/prometheus-client.js';
import {toPromError} from '../metrics/prom-error.js';
import type {MetricsSettings} from '../metrics/settings.js';
import type {Release} from '../release/model.js';
import type {ClusterStore} from '../store/cluster-store.js';
import {defaultJudgeConfig, nextVerdict, type JudgeConfig, type Verdict, type WindowData} from '../verdict/judge.js';
import {planWindowQueries, windowPair} from '../verdict/window-queries.js';
import {fetchWindow} from '../verdict/window-source.js';

/** Where the windows come from: one window of a release's two versions, or why there is none. */
export type WindowSource = {
	/** `Prometheus`, `the sim's series`. */
	describe: string;
	window(release: Release, signal: AbortSignal): Promise<WindowData | {note: string}>;
};

/** Windows from Prometheus: the view's queries, the preset detected once per namespace. */
export function prometheusWindows(prom: PromClient, settings: MetricsSettings, windowSeconds: number): WindowSource {
	const presets = new Map<string, PresetName>();
	return {
		describe: 'Prometheus',
		async window(release, signal) {
			let preset = settings.preset ?? presets.get(release.namespace);
			if (!preset) {
				preset = await detectPreset(prom, release.namespace, {signal});
				if (!preset) return {note: 'no known metrics'};
				presets.set(release.namespace, preset);
			}
			const plan = planWindowQueries(release, settings, preset, windowSeconds);
			if ('error' in plan) return {note: plan.error};
			return (await fetchWindow(prom, plan, {signal, time: Date.now()})).data;
		},
	};
}

export type ClusterVerdictOptions = {
	store: ClusterStore;
	/** The releases as last built, most in need of a person first. */
	releases: () => Release[];
	source: WindowSource;
	intervalMs: number;
	judge?: JudgeConfig;
};

/** The row key of a release (see ReleaseRow.key). */
const rowKey = (release: Release) => `${release.namespace}/${release.target}`;

export function startClusterVerdicts(options: ClusterVerdictOptions): {stop(): void; round(): Promise<void>} {
	const {store, source, intervalMs} = options;
	const judge = options.judge ?? defaultJudgeConfig;
	const controller = new AbortController();
	/** The last verdict per pair of versions (`key canary baseline`): a new pair starts over. */
	let previous = new Map<string, Verdict>();
	let stopped = false;
	let timer: NodeJS.Timeout | undefined;
	const note = `verdicts: ${source.describe}, every ${Math.round(intervalMs / 1000)}s`;
	store.dispatch({type: 'verdicts', verdicts: {}, note});

	async function round(): Promise<void> {
		const next = new Map<string, Verdict>();
		let problem: string | undefined;
		for (const release of options.releases()) {
			if (stopped) return;
			const pair = windowPair(release);
			if (!pair) continue;
			const pairKey = `${rowKey(release)}\u0000${pair.canary.id}\u0000${pair.baseline.id}`;
			try {
				const data = await source.window(release, controller.signal);
				if ('note' in data) continue;
				next.set(pairKey, nextVerdict(previous.get(pairKey), data, judge));
			} catch (error) {
				// An unreachable Prometheus judges nothing this round: the verdicts so far stay.
				const last = previous.get(pairKey);
				if (last) next.set(pairKey, last);
				problem = `verdicts: ${source.describe}: ${toPromError(error).message}`;
			}
		}
		if (stopped) return;
		previous = next;
		const verdicts: Record<string, Verdict> = {};
		for (const [pairKey, verdict] of next) verdicts[pairKey.split('\u0000')[0]!] = verdict;
		store.dispatch({type: 'verdicts', verdicts, note: problem ?? note});
	}

	const loop = async () => {
		await round();
		if (!stopped) timer = setTimeout(() => void loop(), intervalMs);
	};
	void loop();
	return {
		round,
		stop() {
			stopped = true;
			clearTimeout(timer);
			controller.abort();
		},
	};
}
