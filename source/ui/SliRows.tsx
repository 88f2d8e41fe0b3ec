// The SLI rows of one version panel: label, sparkline on the scale all versions share (columns over the
// threshold in its colour), current value with its unit, coloured against the threshold, and the threshold
// (red when crossed). With a history, the version's weight over the same steps comes first, so that a step
// of weight lines up with what followed. A line above says when the source is unreachable or has nothing;
// a failing query shows in its own row.
import {useContext} from 'react';
import {Box, Text} from 'ink';
import {formatValue} from '../metrics/format.js';
import {judge, slis, type Judgement} from '../metrics/slis.js';
import {latest, visibleRows, type MetricsState, type SliRow} from '../metrics/state.js';
import type {Version} from '../release/model.js';
import {text, type Colour} from './format.js';
import {clock} from '../text/format.js';
import {useMetrics} from './metrics-context.js';
import {sharedScale, Sparkline} from './Sparkline.js';
import {TravelContext} from './travel-context.js';
import type {TimeTravel} from '../history/travel.js';

export const labelWidth = 3;
export const valueWidth = 7;
const suffixWidth = 8;

const judgementColour: Record<Judgement, Colour> = {good: 'green', warn: 'yellow', bad: 'red', none: undefined};

/** The line above the rows, when there is something to say about the source. */
export function statusLine(metrics: MetricsState): {text: string; colour?: Colour; dim?: boolean} | undefined {
	const {status} = metrics;
	switch (status.state) {
		case 'ok':
			return undefined;
		case 'starting':
			return {text: `SLIs: asking ${metrics.source}…`, dim: true};
		case 'no-metrics':
			return {text: `SLIs: ${status.message}`, colour: 'yellow'};
		case 'outage':
			return {text: `✗ ${metrics.source} unreachable since ${clock(status.since)}: ${status.message} · retrying`, colour: 'red'};
	}
}

/** Rows a panel needs: one per SLI shown, one more for the status line; one for the note when metrics are off; one for the weight with a history. */
export function sliRowCount(metrics: MetricsState | undefined, withWeight = false): number {
	const weight = withWeight ? 1 : 0;
	if (!metrics) return 1 + weight;
	return visibleRows(metrics).length + (statusLine(metrics) ? 1 : 0) + weight;
}

/** Columns for the sparkline in a row `width` wide (0 when there is no room for one). */
export function sparkWidth(width: number, withSuffix: boolean): number {
	const w = width - labelWidth - 1 - 1 - valueWidth - (withSuffix ? suffixWidth : 0);
	return w >= 4 ? w : 0;
}

type RowProps = {
	row: SliRow;
	versionId: string;
	width: number;
	stale: boolean;
	/** Keep room for `> threshold` (the same in every row of a panel, so the columns line up). */
	withSuffix: boolean;
};

export function SliRowLine({row, versionId, width, stale, withSuffix}: RowProps) {
	const info = slis[row.key];
	const label = info.label.padEnd(labelWidth);
	if (row.error !== undefined) {
		return (
			<Box width={width} height={1} overflow="hidden">
				<Text wrap="truncate" color="red">{`${label} ✗ ${text(row.error)}`}</Text>
			</Box>
		);
	}
	const values = row.values[versionId] ?? [];
	const scale = sharedScale(Object.values(row.values), {max: row.max, threshold: row.threshold});
	const value = latest(values);
	const judgement = judge(value, row.threshold);
	const colour = stale ? undefined : judgementColour[judgement];
	const spark = sparkWidth(width, withSuffix);
	const shown = formatValue(value, info.unit);
	const crossed = judgement === 'bad' && !stale;
	const suffix = withSuffix && row.threshold.bad !== undefined ? ` ${crossed ? '>' : '≤'} ${formatValue(row.threshold.bad, info.unit)}` : '';
	return (
		<Box width={width} height={1} overflow="hidden">
			<Text wrap="truncate">
				<Text dimColor={stale}>{`${label} `}</Text>
				{spark > 0 ? <Sparkline values={values} scale={scale} width={spark} colour={colour} dim={stale} threshold={row.threshold} /> : null}
				<Text color={colour} dimColor={stale || Number.isNaN(value)} bold={judgement === 'bad' && !stale}>{`${spark > 0 ? ' ' : ''}${shown.padStart(valueWidth)}`}</Text>
				{suffix ? <Text color={crossed ? 'red' : undefined} dimColor={!crossed}>{suffix}</Text> : null}
			</Text>
		</Box>
	);
}

/** Without SLIs, the weight row spans ten minutes in steps of five seconds. */
const defaultAxis = {stepMs: 5000, points: 121};

/** The version's weight at the steps of the SLI rows (the same time axis), from the history. */
export function WeightRowLine({travel, version, metrics, width, withSuffix}: {travel: TimeTravel; version: Version; metrics: MetricsState | undefined; width: number; withSuffix: boolean}) {
	const view = travel.view();
	const points = metrics ? Math.max(0, ...metrics.rows.flatMap(r => Object.values(r.values).map(v => v.length))) : 0;
	// The present moves on between changes: the row ends now (its last step, rounded up, holds the weight of now).
	const at = view.at ?? travel.span().end;
	const axis = metrics?.end !== undefined && points > 0 ? {end: metrics.end, stepMs: metrics.stepMs, points} : {...defaultAxis, end: Math.ceil(at / defaultAxis.stepMs) * defaultAxis.stepMs};
	const values = travel.history.weights(version.id, axis.end, axis.stepMs, axis.points);
	const now = latest(values);
	const spark = sparkWidth(width, withSuffix);
	const shown = Number.isNaN(now) ? '?' : `${Math.round(now)}%`;
	return (
		<Box width={width} height={1} overflow="hidden">
			<Text wrap="truncate">
				<Text>{'wt'.padEnd(labelWidth) + ' '}</Text>
				{spark > 0 ? <Sparkline values={values} scale={{min: 0, max: 100}} width={spark} colour="magenta" /> : null}
				<Text bold>{`${spark > 0 ? ' ' : ''}${shown.padStart(valueWidth)}`}</Text>
			</Text>
		</Box>
	);
}

type Props = {version: Version; width: number};

/** What renderSli shows in a version panel. */
export function SliRows({version, width}: Props) {
	const metrics = useMetrics();
	const travel = useContext(TravelContext);
	if (!metrics) {
		return (
			<Box flexDirection="column" width={width}>
				{travel ? <WeightRowLine travel={travel} version={version} metrics={undefined} width={width} withSuffix={false} /> : null}
				<Text wrap="truncate" dimColor>
					SLIs off: --prometheus URL (or ROLLSCOPE_PROMETHEUS_URL)
				</Text>
			</Box>
		);
	}
	const status = statusLine(metrics);
	const stale = metrics.status.state === 'outage';
	const rows = visibleRows(metrics);
	const withSuffix = rows.some(row => row.threshold.bad !== undefined) && sparkWidth(width, true) >= 8;
	return (
		<Box flexDirection="column" width={width}>
			{travel ? <WeightRowLine travel={travel} version={version} metrics={metrics} width={width} withSuffix={withSuffix} /> : null}
			{status ? (
				<Box width={width} height={1} overflow="hidden">
					<Text wrap="truncate" color={status.colour} dimColor={status.dim}>{text(status.text)}</Text>
				</Box>
			) : null}
			{rows.map(row => (
				<SliRowLine key={row.key} row={row} versionId={version.id} width={width} stale={stale} withSuffix={withSuffix} />
			))}
		</Box>
	);
}
