// The live view's verdict: every interval, the last window of the new version against the old one from
// Prometheus (the gate's queries), judged with nextVerdict and written into the store's `verdict` slice.
// The failing-window count starts over when the pair of versions changes. With the verdict goes the time its
// window starts (`windowStart`), so --auto-advance can wait for a window that began after a step.
import {detectPreset} from '../metrics/detect.js';
import type {PresetName} from '../metrics/presets.js';
import type {PromClient} from '../metrics/prometheus-client.js';
import {toPromError} from '../metrics/prom-error.js';
import type {MetricsSettings} from '../metrics/settings.js';
import type {Store} from '../store/store.js';
import {defaultJudgeConfig, nextVerdict, type JudgeConfig, type Verdict} from '../verdict/judge.js';
import {planWindowQueries, windowPair} from '../verdict/window-queries.js';
import {fetchWindow} from '../verdict/window-source.js';

export type VerdictPollerOptions = {
	store: Store;
	prom: PromClient;
	settings: MetricsSettings;
	/** Seconds of each window. */
	windowSeconds: number;
	intervalMs: number;
	judge?: JudgeConfig;
	/** Wall clock, ms (tests set it): the time each window is judged at. */
	now?: () => number;
};

export function startVerdictPoller(options: VerdictPollerOptions): {stop(): void; poll(): Promise<void>} {
	const {store, prom, settings, windowSeconds, intervalMs} = options;
	const judge = options.judge ?? defaultJudgeConfig;
	const now = options.now ?? Date.now;
	let preset: PresetName | undefined = settings.preset;
	let previous: Verdict | undefined;
	let pairKey = '';
	let running = false;
	let stopped = false;
	const controller = new AbortController();

	const set = (slice: {verdict?: Verdict; windowStart?: number; note?: string}) => {
		if (!stopped) store.dispatch({type: 'verdict', verdict: slice});
	};

	async function poll(): Promise<void> {
		if (running || stopped) return;
		running = true;
		try {
			const release = store.getState().release;
			if (!release) return;
			const pair = windowPair(release);
			const key = pair ? `${release.namespace}/${release.target}/${pair.canary.id}/${pair.baseline.id}` : '';
			if (key !== pairKey) {
				pairKey = key;
				previous = undefined;
				set({verdict: undefined, windowStart: undefined, note: undefined});
			}
			if (!pair) {
				set({verdict: undefined, windowStart: undefined, note: 'nothing to compare'});
				return;
			}
			if (!preset) {
				preset = await detectPreset(prom, release.namespace);
				if (!preset) {
					set({note: 'no known metrics yet'});
					return;
				}
			}
			const plan = planWindowQueries(release, settings, preset, windowSeconds);
			if ('error' in plan) {
				set({verdict: undefined, windowStart: undefined, note: plan.error});
				return;
			}
			// Judged at one time for all three queries: the window is [judgedAt - window, judgedAt].
			const judgedAt = now();
			const {data} = await fetchWindow(prom, plan, {signal: controller.signal, time: judgedAt});
			if (stopped || key !== pairKey) return;
			previous = nextVerdict(previous, data, judge);
			set({verdict: previous, windowStart: judgedAt - windowSeconds * 1000, note: undefined});
		} catch (error) {
			// An unreachable Prometheus judges nothing: the last verdict stays, marked as not fresh.
			if (!stopped) set({note: `Prometheus: ${toPromError(error).message}`});
		} finally {
			running = false;
		}
	}

	const timer = setInterval(() => void poll(), intervalMs);
	timer.unref?.();
	void poll();
	return {
		poll,
		stop() {
			stopped = true;
			clearInterval(timer);
			controller.abort();
		},
	};
}
