// Polls a metrics source for the release in the store and writes the SLI series into the store's
// metrics slice: at start (and when the versions change) the whole window with one range query per
// SLI, then every interval only the steps since the last refresh (plus a few before, so late scrapes
// are picked up). Failures show in the slice and the next refresh tries again by itself.
import type {Release} from '../release/model.js';
import type {Store} from '../store/store.js';
import {StepRing} from '../metrics/ring.js';
import type {MetricsSettings} from '../metrics/settings.js';
import {sliKeys, type SliKey} from '../metrics/slis.js';
import {alignDown, type MetricsSource, type RangeAnswer} from '../metrics/source.js';
import type {MetricsState, MetricsStatus, SliRow} from '../metrics/state.js';

export type PollerOptions = {
	store: Store;
	source: MetricsSource;
	settings: MetricsSettings;
	/** Wall clock (ms). */
	now?: () => number;
	/** How far behind now the newest step is, so scrapes of that moment have landed (ms). */
	settleMs?: number;
	/** Steps re-read before the last refresh's end. */
	overlapSteps?: number;
};

export type Poller = {
	/** One refresh now (the timer keeps going). */
	refresh(): Promise<void>;
	stop(): void;
	readonly stats: {refreshes: number; queries: number; lastLatencyMs?: number};
};

const fillTimeoutMs = 20_000;

function versionsKey(release: Release): string {
	return `${release.namespace}\u0000${release.versions.map(v => v.id).sort().join('\u0000')}`;
}

export function startPoller(options: PollerOptions): Poller {
	const {store, source, settings} = options;
	const now = options.now ?? Date.now;
	const stepMs = Math.round(settings.interval * 1000);
	const settleMs = options.settleMs ?? 1000;
	const overlapSteps = options.overlapSteps ?? 2;
	const points = Math.floor((settings.window * 1000) / stepMs) + 1;
	const capacity = points + overlapSteps + 2;
	const shown = sliKeys.filter(key => settings.slis[key].show);
	const rings = new Map<SliKey, Map<string, StepRing>>(shown.map(key => [key, new Map()]));
	const errors = new Map<SliKey, string>();
	let status: MetricsStatus = {state: 'starting'};
	let lastKey: string | undefined;
	let lastEnd: number | undefined;
	let lastOk: number | undefined;
	let running: Promise<void> | undefined;
	let timer: NodeJS.Timeout | undefined;
	let stopped = false;
	const stats: Poller['stats'] = {refreshes: 0, queries: 0};

	const ring = (key: SliKey, id: string) => {
		const byVersion = rings.get(key)!;
		let r = byVersion.get(id);
		if (!r) byVersion.set(id, (r = new StepRing(stepMs, capacity)));
		return r;
	};

	const snapshot = (release: Release | undefined, end: number | undefined): MetricsState => {
		const rows: SliRow[] = shown.map(key => {
			const values: Record<string, number[]> = {};
			if (release && end !== undefined) for (const v of release.versions) values[v.id] = ring(key, v.id).window(end, points);
			const row: SliRow = {key, values, threshold: settings.slis[key].threshold};
			const max = settings.slis[key].max;
			if (max !== undefined) row.max = max;
			const error = errors.get(key);
			if (error !== undefined) row.error = error;
			return row;
		});
		const state: MetricsState = {source: source.describe(), status, stepMs, rows, queries: stats.queries, latencyMs: stats.lastLatencyMs};
		if (end !== undefined) state.end = end;
		return state;
	};

	const publish = (release: Release | undefined, end: number | undefined) => store.dispatch({type: 'metrics', metrics: snapshot(release, end)});

	const once = async (): Promise<void> => {
		const release = store.getState().release;
		if (!release || release.versions.length === 0) {
			publish(release, lastEnd);
			return;
		}
		const key = versionsKey(release);
		if (key !== lastKey && lastKey !== undefined && lastKey.split('\u0000')[0] !== release.namespace) {
			for (const byVersion of rings.values()) byVersion.clear();
		}
		const end = alignDown(now() - settleMs, stepMs);
		const fill = key !== lastKey || lastEnd === undefined;
		const start = fill ? end - (points - 1) * stepMs : Math.max(end - (points - 1) * stepMs, lastEnd! - overlapSteps * stepMs);
		const controller = new AbortController();
		// A refresh should end before the next is due; filling the window may take longer.
		const timeout = setTimeout(() => controller.abort(), fill ? fillTimeoutMs : Math.max(2000, Math.min(stepMs * 0.9, 10_000)));
		const began = performance.now();
		let answer: RangeAnswer;
		try {
			answer = await source.range({release, start, end, step: stepMs / 1000, signal: controller.signal});
		} catch (error) {
			answer = {outcomes: {}, queries: 0, problem: {message: (error as Error)?.message ?? String(error), outage: true}};
		} finally {
			clearTimeout(timeout);
		}
		if (stopped) return;
		stats.refreshes++;
		stats.queries = answer.queries;
		stats.lastLatencyMs = performance.now() - began;
		if (answer.problem) {
			status = answer.problem.outage
				? {state: 'outage', message: answer.problem.message, since: status.state === 'outage' ? status.since : now(), ...(lastOk === undefined ? {} : {lastOk})}
				: {state: 'no-metrics', message: answer.problem.message};
			// The window moves on; the steps without answers show as gaps.
			publish(release, Math.max(lastEnd ?? end, end));
			return;
		}
		for (const sli of shown) {
			const outcome = answer.outcomes[sli];
			if (!outcome) continue;
			if (!outcome.ok) {
				errors.set(sli, outcome.error);
				continue;
			}
			errors.delete(sli);
			for (const v of release.versions) {
				const r = ring(sli, v.id);
				for (let t = start; t <= end; t += stepMs) r.set(t, NaN);
				for (const [t, value] of outcome.series.get(v.id) ?? []) if (t >= start && t <= end) r.set(alignDown(t + stepMs / 2, stepMs), value);
			}
		}
		lastKey = key;
		lastEnd = end;
		lastOk = now();
		status = {state: 'ok', at: lastOk};
		publish(release, end);
	};

	const refresh = (): Promise<void> => {
		running ??= once().finally(() => (running = undefined));
		return running;
	};

	const loop = async () => {
		if (stopped) return;
		await refresh();
		if (stopped) return;
		const waiting = !store.getState().release;
		timer = setTimeout(loop, waiting ? Math.min(250, stepMs) : stepMs);
		timer.unref?.();
	};
	publish(undefined, undefined);
	void loop();

	return {
		refresh,
		stop() {
			stopped = true;
			if (timer) clearTimeout(timer);
		},
		stats,
	};
}
