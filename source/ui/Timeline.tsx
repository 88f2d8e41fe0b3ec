// The timeline strip: one row from the start of the history (or of the recording) to now (or its end), a
// letter where something happened (R revision, W weight, V verdict, A action, ! warning), the moment shown
// marked, and in words the mark that comes next (in the past) or the last one (live).
import {Box, Text} from 'ink';
import type {Mark} from '../history/marks.js';
import {markSymbols} from '../history/marks.js';
import type {TimeTravel, TravelView} from '../history/travel.js';
import {clock} from '../text/format.js';
import {text, type Colour} from './format.js';
import {useTravel} from './use-travel.js';

/** Which mark a cell shows when several fall in it: the one that matters most. */
const priority: Record<Mark['kind'], number> = {action: 5, verdict: 4, weight: 3, revision: 2, warning: 1};

function colourOf(mark: Mark): Colour {
	switch (mark.kind) {
		case 'revision':
			return 'cyan';
		case 'weight':
			return 'magenta';
		case 'verdict':
			return mark.state === 'fail' ? 'red' : mark.state === 'marginal' ? 'yellow' : mark.state === 'pass' ? 'green' : undefined;
		case 'action':
			return 'blue';
		case 'warning':
			return 'yellow';
	}
}

export type Cell = {char: string; colour?: Colour; cursor?: boolean};

/** The strip's cells: `width` columns over [start, end], marks by priority, the cursor at `at`. */
export function stripCells(marks: readonly Mark[], start: number, end: number, width: number, at?: number): Cell[] {
	const cells: Array<Cell & {rank?: number}> = Array.from({length: width}, () => ({char: '─'}));
	const span = Math.max(1, end - start);
	const column = (t: number) => Math.min(width - 1, Math.max(0, Math.floor(((t - start) / span) * width)));
	for (const mark of marks) {
		if (mark.at < start || mark.at > end) continue;
		const cell = cells[column(mark.at)]!;
		if ((cell.rank ?? 0) >= priority[mark.kind]) continue;
		cell.char = markSymbols[mark.kind];
		cell.colour = colourOf(mark);
		cell.rank = priority[mark.kind];
	}
	if (at !== undefined && width > 0) {
		const cell = cells[column(at)]!;
		cell.cursor = true;
		if (cell.char === '─') cell.char = '●';
	}
	return cells.map(({rank: _rank, ...cell}) => cell);
}

/** What the row says beside the strip: the next mark (in the past) or the last (live). */
export function timelineNote(marks: readonly Mark[], view: TravelView): string {
	if (view.at === undefined) {
		const last = marks.at(-1);
		return last ? `last ${clock(last.at)} ${last.text}` : 'nothing happened yet';
	}
	const at = view.at;
	const next = marks.find(m => m.at > at);
	return next ? `next ${clock(next.at)} ${next.text}` : view.recording ? 'no more marks before the end' : 'no more marks before now';
}

type Props = {travel: TimeTravel; width: number};

export function Timeline({travel, width}: Props) {
	const view = useTravel(travel)!;
	const marks = travel.marks();
	// The present moves on between changes: the strip ends now.
	const {start, end} = travel.span();
	const left = ` ${clock(start)} `;
	const right = view.recording ? ` ${clock(end)} ` : ' now ';
	const stripWidth = Math.max(0, Math.min(60, Math.floor((width - left.length - right.length) * 0.4)));
	const cells = stripWidth >= 8 ? stripCells(marks, start, end, stripWidth, view.at) : [];
	const note = text(timelineNote(marks, view));
	return (
		<Box width={width} height={1} overflow="hidden" flexShrink={0}>
			<Text wrap="truncate">
				<Text dimColor>{cells.length > 0 ? left : ' '}</Text>
				{cells.map((cell, i) => (
					<Text key={i} color={cell.colour} inverse={cell.cursor} bold={cell.cursor || cell.char !== '─'} dimColor={!cell.colour && !cell.cursor}>
						{cell.char}
					</Text>
				))}
				<Text dimColor>{cells.length > 0 ? right : ''}</Text>
				<Text>{` ${note}`}</Text>
			</Text>
		</Box>
	);
}
