// One-row sparklines of block characters: one column per step (or per few steps when the series is
// longer than the width, keeping each group's peak), the newest on the right. Values are placed on
// a scale shared by every version, clamped to it; steps without data are gaps (spaces).
import {Text} from 'ink';
import type {Threshold} from '../metrics/slis.js';
import type {Colour} from './format.js';

export const blocks = '▁▂▃▄▅▆▇█';

export type Scale = {min: number; max: number};

/** 0 to the highest finite value of all the series (and the red threshold), or a fixed top. */
export function sharedScale(series: ReadonlyArray<readonly number[]>, options: {max?: number; threshold?: Threshold} = {}): Scale {
	if (options.max !== undefined && options.max > 0) return {min: 0, max: options.max};
	let top = options.threshold?.bad ?? 0;
	for (const values of series) for (const v of values) if (Number.isFinite(v) && v > top) top = v;
	return {min: 0, max: top > 0 ? top : 1};
}

/** The block for one value; values outside the scale are clamped to its ends. */
export function block(value: number, scale: Scale): string {
	if (Number.isNaN(value)) return ' ';
	const span = scale.max - scale.min;
	const level = span > 0 ? (value - scale.min) / span : value > scale.min ? 1 : 0;
	const clamped = Math.min(1, Math.max(0, level));
	return blocks[Math.min(blocks.length - 1, Math.floor(clamped * blocks.length))]!;
}

/** The peak of each column: at most `width` columns, each the peak of `ceil(n / width)` consecutive values (grouped from the newest). */
export function columnPeaks(values: readonly number[], width: number): number[] {
	const w = Math.floor(width);
	if (w <= 0 || values.length === 0) return [];
	const per = Math.ceil(values.length / w);
	const columns = Math.ceil(values.length / per);
	const peaks: number[] = [];
	for (let c = 0; c < columns; c++) {
		const end = values.length - (columns - 1 - c) * per;
		let peak = NaN;
		for (let i = Math.max(0, end - per); i < end; i++) {
			const v = values[i]!;
			if (!Number.isNaN(v) && !(v <= peak)) peak = v;
		}
		peaks.push(peak);
	}
	return peaks;
}

/**
 * At most `width` columns. With more values than columns, each column holds `ceil(n / width)`
 * consecutive values (grouped from the newest) and shows their peak; a column without data is a gap.
 */
export function sparkline(values: readonly number[], scale: Scale, width: number): string {
	return columnPeaks(values, width).map(v => block(v, scale)).join('');
}

type Props = {
	values: readonly number[];
	scale: Scale;
	width: number;
	colour?: Colour;
	dim?: boolean;
	/** Columns above the threshold are drawn in its colour (yellow over warn, red over bad). */
	threshold?: Threshold;
};

/** A sparkline padded on the left to exactly `width` cells, so rows line up. */
export function Sparkline({values, scale, width, colour, dim, threshold}: Props) {
	const peaks = columnPeaks(values, width);
	const pad = ' '.repeat(Math.max(0, Math.floor(width) - peaks.length));
	if (!threshold || (threshold.bad === undefined && threshold.warn === undefined) || dim) {
		return (
			<Text color={colour} dimColor={dim}>
				{pad + peaks.map(v => block(v, scale)).join('')}
			</Text>
		);
	}
	// Runs of columns of one colour: over the threshold they take its colour, the rest the row's.
	const runs: Array<{colour: Colour; text: string}> = [];
	for (const v of peaks) {
		const over = threshold.bad !== undefined && v > threshold.bad ? 'red' : threshold.warn !== undefined && v > threshold.warn ? 'yellow' : colour;
		const last = runs[runs.length - 1];
		if (last && last.colour === over) last.text += block(v, scale);
		else runs.push({colour: over, text: block(v, scale)});
	}
	return (
		<Text>
			{pad}
			{runs.map((run, i) => (
				<Text key={i} color={run.colour}>
					{run.text}
				</Text>
			))}
		</Text>
	);
}
