// Choose a release to watch: releases of the namespace, in-progress ones first and marked.
import {Box, Text} from 'ink';
import type {ReleaseRef} from '../release/snapshot.js';
import {kindLabel, text} from './format.js';
import {Note} from './Note.js';
import {rangeInfo} from './PodsTable.js';
import {Table, type TableColumn} from './Table.js';
import {matches, windowOf, type Scroll} from './view-state.js';

const columns: readonly TableColumn[] = [
	{key: 'state', title: 'STATE', width: 13},
	{key: 'target', title: 'RELEASE', width: 16, flex: true, grow: 2, max: 48},
	{key: 'kind', title: 'KIND', width: 18, drop: 1},
	{key: 'deployments', title: 'DEPLOYMENTS', width: 16, flex: true, max: 60, drop: 2},
	{key: 'services', title: 'SERVICES', width: 12, flex: true, max: 40, drop: 3},
];

/** In-progress releases first, then by target; then filtered. */
export function orderReleases(releases: readonly ReleaseRef[], filter = ''): ReleaseRef[] {
	return [...releases]
		.sort((a, b) => Number(b.inProgress) - Number(a.inProgress) || a.target.localeCompare(b.target))
		.filter((r) => matches(filter, r.target, r.name, r.kind, ...r.deployments, ...r.services));
}

/** Rows of the picker taken by its title, column header and problem line. */
export function pickerChrome(problem?: string): number {
	return 2 + (problem ? 1 : 0);
}

type Props = {
	/** Releases in display order (see orderReleases). */
	releases: readonly ReleaseRef[];
	total: number;
	namespace: string;
	filter: string;
	scroll: Scroll;
	problem?: string;
	width: number;
	height: number;
};

export function Picker({releases, total, namespace, filter, scroll, problem, width, height}: Props) {
	if (height <= 0) return null;
	const visible = Math.max(0, height - pickerChrome(problem));
	const win = windowOf(scroll, releases.length, visible);
	const shown = visible > 0 ? releases.slice(win.offset, win.end) : [];
	const counts = filter ? `${releases.length}/${total}` : String(total);
	return (
		<Box flexDirection="column" width={width} height={height} overflow="hidden" flexShrink={0}>
			{problem ? (
				<Box width={width} height={1} overflow="hidden">
					<Text wrap="truncate" color="red" bold>{` ✗ ${text(problem)}`}</Text>
				</Box>
			) : null}
			<Box width={width} height={1} overflow="hidden">
				<Text wrap="truncate">
					<Text bold inverse>{' RELEASES '}</Text>
					<Text dimColor>{` in ${namespace}: ${counts}${rangeInfo(win.offset, win.end, releases.length)}${filter ? `  filter: ${filter}` : ''}  · enter watches`}</Text>
				</Text>
			</Box>
			{releases.length === 0 ? (
				<Note message={total === 0 ? 'no releases found in this namespace (yet)' : 'no releases match the filter'} />
			) : (
				<Table
					columns={columns}
					width={width}
					selected={win.cursor - win.offset}
					rows={shown.map((r) => ({
						key: r.target,
						cells: {
							state: r.inProgress ? {text: '● in progress', colour: 'yellow', bold: true} : {text: '  idle', dim: true},
							target: text(r.target),
							kind: kindLabel(r.kind),
							deployments: r.deployments.map(text).join(', '),
							services: r.services.map(text).join(', '),
						},
					}))}
				/>
			)}
		</Box>
	);
}
