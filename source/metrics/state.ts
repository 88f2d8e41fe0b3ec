// The metrics slice of the app store: what the panels and the header show, written by the poller.
import {slis, type SliKey, type Threshold} from './slis.js';

export type MetricsStatus =
	/** Nothing asked yet (no release yet, or the first answer is on its way). */
	| {state: 'starting'}
	| {state: 'ok'; at: number}
	/** The source answered but has nothing for this release (no known metrics). */
	| {state: 'no-metrics'; message: string}
	/** The source cannot be reached (or every query failed to get through). */
	| {state: 'outage'; message: string; since: number; lastOk?: number};

export type SliRow = {
	key: SliKey;
	/** Why this SLI's query failed, when it did (the other rows go on). */
	error?: string;
	/** Per version id: one value per step of the window, oldest first; NaN is no data. */
	values: Record<string, number[]>;
	threshold: Threshold;
	/** Fixed top of the scale. */
	max?: number;
};

export type MetricsState = {
	/** Where the series come from, in a few words. */
	source: string;
	status: MetricsStatus;
	/** Time (ms) of the newest step; the values end there. */
	end?: number;
	stepMs: number;
	rows: SliRow[];
	/** Queries the last refresh sent, and how long it took. */
	queries?: number;
	latencyMs?: number;
};

/** The newest value of a series, NaN when the newest step has no data. */
export function latest(values: readonly number[] | undefined): number {
	return values && values.length > 0 ? values[values.length - 1]! : NaN;
}

export function hasData(row: SliRow): boolean {
	return Object.values(row.values).some(values => values.some(v => !Number.isNaN(v)));
}

/** Rows a panel shows: every SLI asked for, but CPU and memory only once some version has data. */
export function visibleRows(metrics: MetricsState | undefined): SliRow[] {
	if (!metrics) return [];
	return metrics.rows.filter(row => !slis[row.key].onlyWithData || hasData(row) || row.error !== undefined);
}

/** Percent of requests per version from the newest request rates; undefined unless every version has a rate. */
export function measuredSplit(metrics: MetricsState | undefined, versionIds: readonly string[]): Record<string, number> | undefined {
	const row = metrics?.rows.find(r => r.key === 'requestRate');
	if (!row || versionIds.length === 0) return undefined;
	const rates = versionIds.map(id => latest(row.values[id]));
	if (rates.some(r => Number.isNaN(r) || r < 0 || !Number.isFinite(r))) return undefined;
	const total = rates.reduce((a, b) => a + b, 0);
	if (!(total > 0)) return undefined;
	return Object.fromEntries(versionIds.map((id, i) => [id, (rates[i]! * 100) / total]));
}
