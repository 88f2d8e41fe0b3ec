// The pods of the release: name, version, status, ready, restarts, age; scrollable and filterable.
import type {PodInfo, Version} from '../release/model.js';
import {statusColour, text} from './format.js';
import {age} from '../text/format.js';
import {orderVersions} from '../release/versions.js';
import {Note} from './Note.js';
import {Pane} from './Pane.js';
import {Table, type TableColumn} from './Table.js';
import {matches, windowOf, type Scroll} from './view-state.js';

/** Rows of a pane taken by its title and column header. */
export const paneChrome = 2;

const columns: readonly TableColumn[] = [
	{key: 'name', title: 'NAME', width: 14, flex: true, max: 64, min: 10},
	{key: 'version', title: 'VERSION', width: 12, drop: 2},
	{key: 'status', title: 'STATUS', width: 16, min: 11},
	{key: 'ready', title: 'READY', width: 5},
	{key: 'restarts', title: 'RESTARTS', width: 8, drop: 1},
	{key: 'age', title: 'AGE', width: 5},
];

export function versionLabel(version: Version | undefined, fallback: string, revision = version?.revision): string {
	if (!version) return fallback;
	return revision === undefined ? version.role : `${version.role} r${revision}`;
}

/**
 * Pods that match the filter (by name, status, version, role, revision or node), the new
 * version's pods first (that is what a rollout is about), then by name.
 */
export function filterPods(pods: readonly PodInfo[], versions: readonly Version[], filter: string): PodInfo[] {
	const byId = new Map(versions.map((v) => [v.id, v]));
	const rank = new Map(orderVersions(versions).reverse().map((v, i) => [v.id, i]));
	return pods
		.filter((p) => {
			const v = byId.get(p.version);
			return matches(filter, p.name, p.status, p.version, v?.role, v?.revision, p.node);
		})
		// Pod names are DNS labels: comparing code units orders them as localeCompare would, at a fraction of the cost.
		.sort((a, b) => (rank.get(a.version) ?? rank.size) - (rank.get(b.version) ?? rank.size) || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

type Props = {
	/** Pods after filtering. */
	pods: readonly PodInfo[];
	total: number;
	versions: readonly Version[];
	filter: string;
	scroll: Scroll;
	width: number;
	height: number;
	focused: boolean;
	tabs: boolean;
};

export function rangeInfo(start: number, end: number, count: number): string {
	return count > end - start && count > 0 ? ` ${start + 1}-${end} of ${count}` : '';
}

export function PodsTable({pods, total, versions, filter, scroll, width, height, focused, tabs}: Props) {
	const visible = Math.max(0, height - paneChrome);
	const win = windowOf(scroll, pods.length, visible);
	const byId = new Map(versions.map((v) => [v.id, v]));
	const shown = visible > 0 ? pods.slice(win.offset, win.end) : [];
	const counts = filter ? `${pods.length}/${total}` : String(total);
	const info = `${counts}${rangeInfo(win.offset, win.end, pods.length)}${filter ? `  filter: ${filter}` : ''}`;
	return (
		<Pane pane="pods" focused={focused} tabs={tabs} info={info} width={width} height={height}>
			{pods.length === 0 ? (
				<Note message={total === 0 ? 'no pods' : 'no pods match the filter'} />
			) : (
				<Table
					columns={columns}
					width={width}
					selected={focused ? win.cursor - win.offset : undefined}
					rows={shown.map((p) => ({
						key: p.name,
						cells: {
							name: text(p.name),
							version: versionLabel(byId.get(p.version), text(p.version), p.revision ?? byId.get(p.version)?.revision),
							status: {text: text(p.status) || text(p.phase), colour: statusColour(p.status || p.phase)},
							ready: {text: `${p.containersReady}/${p.containers}`, colour: p.ready ? undefined : 'yellow'},
							restarts: {text: String(p.restarts), colour: p.restarts > 0 ? 'yellow' : undefined},
							age: age(p.ageSeconds),
						},
					}))}
				/>
			)}
		</Pane>
	);
}

