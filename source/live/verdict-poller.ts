// The live view's verdict: every interval, the last window of the new version against the old one from a
// window source (a Prometheus with the gate's queries, or the sim's own series), judged with nextVerdict and
// written into the store's `verdict` slice, with where the figures come from when that is not where the SLIs
// do. The failing-window count starts over when the pair of versions changes. With the verdict goes the time
// its window starts (`windowStart`), so --auto-advance can wait for a window that began after a step.
import {toPromError} from '../metrics/prom-error.js';
import type {Store} from '../store/store.js';
import {defaultJudgeConfig, nextVerdict, type JudgeConfig, type Verdict} from '../verdict/judge.js';
import {windowPair} from '../verdict/window-queries.js';
import type {WindowSource} from '../verdict/window-source.js';

export type VerdictPollerOptions = {
	store: Store;
	windows: WindowSource;
	/** Seconds of each window. */
	windowSeconds: number;
	intervalMs: number;
	judge?: JudgeConfig;
	/** Wall clock, ms (tests set it): the time each window is judged at. */
	now?: () => number;
};

export function startVerdictPoller(options: VerdictPollerOptions): {stop(): void; poll(): Promise<void>} {
	const {store, windows, windowSeconds, intervalMs} = options;
	const judge = options.judge ?? defaultJudgeConfig;
	const now = options.now ?? Date.now;
	let previous: Verdict | undefined;
	let pairKey = '';
	let running = false;
	let stopped = false;
	const controller = new AbortController();

	const set = (slice: {verdict?: Verdict; windowStart?: number; note?: string}) => {
		if (!stopped) store.dispatch({type: 'verdict', verdict: slice});
	};
	if (windows.tag) store.dispatch({type: 'verdict', verdict: {source: windows.tag}});

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
			// Judged at one time for all three counts: the window is (judgedAt - window, judgedAt].
			const judgedAt = now();
			const answer = await windows.window(release, windowSeconds, {time: judgedAt, signal: controller.signal});
			if (stopped || key !== pairKey) return;
			if ('note' in answer) {
				set({verdict: undefined, windowStart: undefined, note: answer.note});
				return;
			}
			previous = nextVerdict(previous, answer.data, judge);
			set({verdict: previous, windowStart: judgedAt - windowSeconds * 1000, note: undefined});
		} catch (error) {
			// A source that does not answer judges nothing: the last verdict stays, marked as not fresh.
			if (!stopped) set({note: `${windows.where}: ${toPromError(error).message}`});
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
