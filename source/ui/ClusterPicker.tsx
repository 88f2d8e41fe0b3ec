// The releases of every namespace (`rollscope -A`), one row each: what it asks of a person, namespace,
// release, kind, versions, weights, phase and verdict; those that need a person first.
import {Box, Text} from 'ink';
import {orderRows, type AttentionLevel, type ReleaseRow} from '../release/attention.js';
import {versionsText, weightsText} from '../text/cluster-text.js';
import type {Verdict, VerdictState} from '../verdict/judge.js';
import {kindLabel, text, type Colour} from './format.js';
import {Note} from './Note.js';
import {rangeInfo} from './PodsTable.js';
import {Table, type Cell, type TableColumn} from './Table.js';
import {matches, windowOf, type Scroll} from './view-state.js';

const columns: readonly TableColumn[] = [
	{key: 'state', title: 'STATE', width: 13},
	{key: 'namespace', title: 'NAMESPACE', width: 10, flex: true, max: 30, min: 6},
	{key: 'target', title: 'RELEASE', width: 14, flex: true, grow: 2, max: 40, min: 8},
	{key: 'kind', title: 'KIND', width: 18, drop: 3},
	{key: 'versions', title: 'VERSIONS', width: 12, flex: true, max: 40, drop: 2},
	{key: 'weight', title: 'WEIGHT', width: 11, flex: true, max: 20, drop: 4},
	{key: 'phase', title: 'PHASE', width: 16, flex: true, grow: 2, max: 48, min: 8},
	{key: 'verdict', title: 'VERDICT', width: 10, drop: 1},
];

const states: Record<AttentionLevel, Cell> = {
	failing: {text: '✗ failing', colour: 'red', bold: true},
	waiting: {text: '‖ waiting', colour: 'yellow', bold: true},
	progressing: {text: '● progressing', colour: 'cyan'},
	steady: {text: '  steady', dim: true},
};

const verdictColours: Record<VerdictState, Colour> = {pass: 'green', marginal: 'yellow', fail: 'red', collecting: undefined};

/** The rows to show: those that need a person first (a verdict of fail counts as failing), then filtered. */
export function orderClusterRows(rows: readonly ReleaseRow[], verdicts: Readonly<Record<string, Verdict>>, filter = ''): ReleaseRow[] {
	return orderRows(rows, row => verdicts[row.key]?.state === 'fail').filter(r =>
		matches(filter, r.namespace, r.target, r.name, r.kind, kindLabel(r.kind), r.attention, r.phase, ...r.versions.flatMap(v => [v.id, ...v.images])),
	);
}

/** Rows of the list taken by its title and column header. */
export const clusterPickerChrome = 2;

type Props = {
	/** Rows in display order (see orderClusterRows). */
	rows: readonly ReleaseRow[];
	total: number;
	namespaces: number;
	verdicts: Readonly<Record<string, Verdict>>;
	/** Where the verdicts come from, or why there are none. */
	verdictNote?: string;
	/** Every watch has listed once. */
	loaded: boolean;
	filter: string;
	scroll: Scroll;
	width: number;
	height: number;
};

export function ClusterPicker({rows, total, namespaces, verdicts, verdictNote, loaded, filter, scroll, width, height}: Props) {
	if (height <= 0) return null;
	const visible = Math.max(0, height - clusterPickerChrome);
	const win = windowOf(scroll, rows.length, visible);
	const shown = visible > 0 ? rows.slice(win.offset, win.end) : [];
	const counts = filter ? `${rows.length}/${total}` : String(total);
	return (
		<Box flexDirection="column" width={width} height={height} overflow="hidden" flexShrink={0}>
			<Box width={width} height={1} overflow="hidden">
				<Text wrap="truncate">
					<Text bold inverse>{' RELEASES '}</Text>
					<Text dimColor>{` in all namespaces: ${counts} in ${namespaces} namespace${namespaces === 1 ? '' : 's'}${rangeInfo(win.offset, win.end, rows.length)}${filter ? `  filter: ${filter}` : ''}  · enter watches${verdictNote ? `  · ${verdictNote}` : ''}`}</Text>
				</Text>
			</Box>
			{rows.length === 0 ? (
				<Note message={total > 0 ? 'no releases match the filter' : loaded ? 'no releases found in any namespace' : 'listing every namespace…'} />
			) : (
				<Table
					columns={columns}
					width={width}
					selected={win.cursor - win.offset}
					rows={shown.map(r => {
						const verdict = verdicts[r.key];
						return {
							key: r.key,
							cells: {
								state: verdict?.state === 'fail' ? states.failing : states[r.attention],
								namespace: text(r.namespace),
								target: text(r.target),
								kind: kindLabel(r.kind),
								versions: versionsText(r.versions),
								weight: weightsText(r.versions),
								phase: {text: text(r.phase), colour: r.attention === 'failing' ? 'red' : r.attention === 'waiting' ? 'yellow' : undefined},
								verdict: verdict ? {text: verdict.state, colour: verdictColours[verdict.state], bold: verdict.state === 'fail'} : {text: '-', dim: true},
							},
						};
					})}
				/>
			)}
		</Box>
	);
}
