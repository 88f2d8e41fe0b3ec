// Recent events of the release: time, type, reason, object, message; newest first.
import type {ReleaseEvent} from '../release/model.js';
import {text} from './format.js';
import {eventClock} from '../text/format.js';
import {Note} from './Note.js';
import {Pane} from './Pane.js';
import {paneChrome, rangeInfo} from './PodsTable.js';
import {Table, type TableColumn} from './Table.js';
import {matches, windowOf, type Scroll} from './view-state.js';

const columns: readonly TableColumn[] = [
	{key: 'time', title: 'TIME', width: 8},
	{key: 'type', title: 'TYPE', width: 7},
	{key: 'reason', title: 'REASON', width: 16, flex: true, max: 26, drop: 1},
	{key: 'object', title: 'OBJECT', width: 24, flex: true, max: 44, drop: 2},
	{key: 'message', title: 'MESSAGE', width: 12, flex: true, grow: 4},
];

/** Newest first (events whose time does not parse keep their order, last), then filtered. */
export function orderEvents(events: readonly ReleaseEvent[], filter: string): ReleaseEvent[] {
	const at = (e: ReleaseEvent) => {
		const ms = Date.parse(e.time);
		return Number.isNaN(ms) ? -Infinity : ms;
	};
	return events
		.map((e, i) => ({e, i}))
		.sort((a, b) => at(b.e) - at(a.e) || b.i - a.i)
		.map(({e}) => e)
		.filter((e) => matches(filter, e.type, e.reason, e.object, e.message));
}

type Props = {
	/** Events in display order, filtered (see orderEvents). */
	events: readonly ReleaseEvent[];
	total: number;
	filter: string;
	scroll: Scroll;
	width: number;
	height: number;
	focused: boolean;
	tabs: boolean;
};

export function EventsList({events, total, filter, scroll, width, height, focused, tabs}: Props) {
	const visible = Math.max(0, height - paneChrome);
	const win = windowOf(scroll, events.length, visible);
	const shown = visible > 0 ? events.slice(win.offset, win.end) : [];
	const counts = filter ? `${events.length}/${total}` : String(total);
	return (
		<Pane pane="events" focused={focused} tabs={tabs} info={`${counts}${rangeInfo(win.offset, win.end, events.length)}${filter ? `  filter: ${filter}` : ''}`} width={width} height={height}>
			{events.length === 0 ? (
				<Note message={total === 0 ? 'no events' : 'no events match the filter'} />
			) : (
				<Table
					columns={columns}
					width={width}
					selected={focused ? win.cursor - win.offset : undefined}
					rows={shown.map((e, i) => ({
						key: `${win.offset + i}:${e.time}:${e.reason}:${e.object}`,
						cells: {
							time: eventClock(text(e.time)),
							type: {text: text(e.type), colour: e.type === 'Warning' ? 'yellow' : undefined, bold: e.type === 'Warning'},
							reason: text(e.reason),
							object: text(e.object),
							message: `${e.count > 1 ? `×${e.count} ` : ''}${text(e.message)}`,
						},
					}))}
				/>
			)}
		</Pane>
	);
}
