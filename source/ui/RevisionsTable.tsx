// The revision history: revision, image, change-cause, age, pods, and which one is current.
import type {Revision} from '../release/model.js';
import {text} from './format.js';
import {age, imagesLabel} from '../text/format.js';
import {Note} from './Note.js';
import {Pane} from './Pane.js';
import {paneChrome, rangeInfo} from './PodsTable.js';
import {Table, type TableColumn} from './Table.js';
import {windowOf, type Scroll} from './view-state.js';

/**
 * Newest first; revisions of several Deployments (canary pair) grouped by workload. Workload names are DNS
 * names: comparing code units orders them as localeCompare would, without the collator it makes at its first use
 * (about 8 ms of the first frame).
 */
export function orderRevisions(revisions: readonly Revision[]): Revision[] {
	return [...revisions].sort((a, b) => b.revision - a.revision || (a.workload < b.workload ? -1 : a.workload > b.workload ? 1 : 0));
}

type Props = {
	/** Revisions in display order (see orderRevisions). */
	revisions: readonly Revision[];
	scroll: Scroll;
	width: number;
	height: number;
	focused: boolean;
	tabs: boolean;
};

export function RevisionsTable({revisions, scroll, width, height, focused, tabs}: Props) {
	const visible = Math.max(0, height - paneChrome);
	const win = windowOf(scroll, revisions.length, visible);
	const workloads = new Set(revisions.map((r) => r.workload));
	const columns: TableColumn[] = [
		{key: 'revision', title: 'REV', width: 4},
		{key: 'current', title: '', width: 7},
		{key: 'image', title: 'IMAGE', width: 8, flex: true, max: 40, drop: 2},
		...(workloads.size > 1 ? [{key: 'workload', title: 'DEPLOYMENT', width: 16, drop: 3}] : []),
		{key: 'cause', title: 'CHANGE-CAUSE', width: 12, flex: true, grow: 3, max: 80},
		{key: 'age', title: 'AGE', width: 5},
		{key: 'pods', title: 'PODS', width: 4, drop: 1},
	];
	const shown = visible > 0 ? revisions.slice(win.offset, win.end) : [];
	return (
		<Pane pane="revisions" focused={focused} tabs={tabs} info={`${revisions.length}${rangeInfo(win.offset, win.end, revisions.length)}`} width={width} height={height}>
			{revisions.length === 0 ? (
				<Note message="no revisions" />
			) : (
				<Table
					columns={columns}
					width={width}
					selected={focused ? win.cursor - win.offset : undefined}
					rows={shown.map((r) => ({
						key: `${r.workload}/${r.revision}/${r.replicaSet}`,
						cells: {
							revision: {text: String(r.revision), bold: r.current},
							current: r.current ? {text: 'current', colour: 'green', bold: true} : undefined,
							image: imagesLabel(r.images),
							workload: text(r.workload),
							cause: r.changeCause ? text(r.changeCause) : {text: '—', dim: true},
							age: age(r.ageSeconds),
							pods: {text: String(r.pods), dim: r.pods === 0},
						},
					}))}
				/>
			)}
		</Pane>
	);
}
