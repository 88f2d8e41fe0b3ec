// One moment of a release in the history: the model after a change, with what the view shows beside it
// (connection, verdict, the action under way, where the SLIs come from). The SLI values live apart, in series.
import type {Activity} from '../actions/activity.js';
import type {MetricsState} from '../metrics/state.js';
import type {ConnectionState, VerdictSlice} from '../store/state.js';
import type {StoredRelease} from './compact.js';

/** The verdict as it stood: the judged window and why there is none; not the live view's countdowns. */
export type VerdictMoment = Pick<VerdictSlice, 'verdict' | 'windowStart' | 'note'>;

/** The metrics slice without its values: the source, its state, the step and the rows' thresholds. */
export type MetricsMoment = Omit<MetricsState, 'rows' | 'end' | 'queries' | 'latencyMs'> & {
	rows: Array<Omit<MetricsState['rows'][number], 'values'>>;
	/** Steps in the window the view showed. */
	points: number;
};

export type Frame = {
	/** Wall-clock ms of the change. */
	at: number;
	target?: string;
	release?: StoredRelease;
	problem?: string;
	connection: ConnectionState;
	verdict?: VerdictMoment;
	activity?: Activity;
	metrics?: MetricsMoment;
	/** Never thinned: the frame of a mark, or the one just before it (what `<` shows). */
	keep: boolean;
	/** Estimated bytes this frame holds beyond the one before it. */
	bytes: number;
};

/** The verdict parts a frame keeps, or undefined when there are none. */
export function verdictMoment(slice: VerdictSlice | undefined): VerdictMoment | undefined {
	if (!slice) return undefined;
	const moment: VerdictMoment = {};
	if (slice.verdict) moment.verdict = slice.verdict;
	if (slice.windowStart !== undefined) moment.windowStart = slice.windowStart;
	if (slice.note !== undefined) moment.note = slice.note;
	return moment;
}

/** The metrics slice without values. */
export function metricsMoment(metrics: MetricsState | undefined): MetricsMoment | undefined {
	if (!metrics) return undefined;
	const points = Math.max(0, ...metrics.rows.flatMap(row => Object.values(row.values).map(values => values.length)));
	return {source: metrics.source, status: metrics.status, stepMs: metrics.stepMs, rows: metrics.rows.map(({values: _values, ...row}) => row), points};
}
