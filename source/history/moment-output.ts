// What `rollscope replay FILE --once --at T` prints: the release as it was then, with each version's SLIs of
// the last step before then and the verdict, as text (like `--once`) or JSON.
import {kindSpec} from '../kinds/registry.js';
import {releaseWithSlis, slisAsText} from '../metrics/latest.js';
import type {SliKey} from '../metrics/slis.js';
import type {RangeAnswer, SliOutcome} from '../metrics/source.js';
import type {Release} from '../release/model.js';
import type {AppState} from '../store/state.js';
import {clock} from '../text/format.js';
import {sanitize} from '../release/sanitize.js';
import {releaseAsText} from '../text/release-text.js';
import {elapsed, localDate} from './time.js';

/** The release with the SLI values of the metrics window's last step (none without SLIs). */
export function releaseWithRecordedSlis(state: AppState): Release | undefined {
	const {release, metrics} = state;
	if (!release || !metrics || metrics.end === undefined) return release;
	const outcomes: Partial<Record<SliKey, SliOutcome>> = {};
	for (const row of metrics.rows) {
		outcomes[row.key] = {ok: true, series: new Map(Object.entries(row.values).map(([id, values]) => [id, values.length > 0 ? [[metrics.end!, values[values.length - 1]!]] : []]))};
	}
	const answer: RangeAnswer = {outcomes, queries: 0};
	return releaseWithSlis(release, answer, metrics.end, metrics.source);
}

export type MomentJson = {
	recording: string;
	/** The moment (ISO 8601). */
	at: string;
	release: Release | null;
	/** Why there is no release then (unknown target, not loaded yet). */
	problem?: string;
	verdict: NonNullable<AppState['verdict']>['verdict'] | null;
	connection: AppState['connection'];
};

export function momentJson(file: string, at: number, state: AppState): MomentJson {
	return {
		recording: file,
		at: new Date(at).toISOString(),
		release: releaseWithRecordedSlis(state) ?? null,
		...(state.problem ? {problem: state.problem} : {}),
		verdict: state.verdict?.verdict ?? null,
		connection: state.connection,
	};
}

/** Each line of a text sanitised (what a recording says may come from anywhere); the line breaks stay. */
const sanitizeLines = (text: string) => text.split('\n').map(sanitize).join('\n');

export function momentText(file: string, at: number, start: number, state: AppState): string {
	const lines = [`${file} at ${clock(at)} on ${localDate(at)} (${elapsed(at - start)} after the recording started)`];
	const release = releaseWithRecordedSlis(state);
	if (!release) {
		lines.push(state.problem ? `no release: ${state.problem}` : `no release yet${state.target ? ` (${state.target} not loaded)` : ''}`);
		return lines.map(sanitizeLines).join('\n') + '\n';
	}
	const verdict = state.verdict?.verdict;
	const note = state.verdict?.note;
	lines.push(`verdict: ${verdict ? `${verdict.state} — ${verdict.reason}` : note ?? 'none recorded'}`);
	return [...lines, releaseAsText(release, state.context, kindSpec(release.kind).summary?.(release)) + slisAsText(release)].map(sanitizeLines).join('\n');
}
