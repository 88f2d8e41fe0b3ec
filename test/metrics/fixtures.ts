// Metrics slices for view tests: every SLI row filled from a function of (version, step).
import type {MetricsState, MetricsStatus, SliRow} from '../../source/metrics/state.js';
import {sliKeys, slis, type SliKey} from '../../source/metrics/slis.js';
import {now} from '../ui/fixtures.js';

export type Values = Partial<Record<SliKey, Record<string, number[]>>>;

export function metricsState(values: Values, options: {status?: MetricsStatus; points?: number; errors?: Partial<Record<SliKey, string>>; max?: Partial<Record<SliKey, number>>} = {}): MetricsState {
	const points = options.points ?? 12;
	const rows: SliRow[] = sliKeys.map(key => {
		const row: SliRow = {key, values: {}, threshold: {...slis[key].threshold}};
		for (const [id, series] of Object.entries(values[key] ?? {})) row.values[id] = series.length >= points ? series : [...Array<number>(points - series.length).fill(NaN), ...series];
		const error = options.errors?.[key];
		if (error) row.error = error;
		const max = options.max?.[key];
		if (max !== undefined) row.max = max;
		return row;
	});
	return {source: 'prometheus 127.0.0.1:9090 · istio', status: options.status ?? {state: 'ok', at: now}, end: now, stepMs: 5000, rows};
}

export const flat = (value: number, n = 12) => Array<number>(n).fill(value);
