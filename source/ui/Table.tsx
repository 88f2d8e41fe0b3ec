// A table of columns of exact widths: one line of text per row, every cell cut to its column (as Ink's
// wrap="truncate" cuts) and padded.
import {Box, Text} from 'ink';
import type {Colour} from './format.js';
import {fitColumns, type ColumnSpec} from './layout.js';
import {truncateToWidth} from './wrap.js';

export type Cell = {text: string; colour?: Colour; bold?: boolean; dim?: boolean};

export type TableColumn = ColumnSpec & {title: string};

export type TableRow = {key: string; cells: Record<string, Cell | string | number | undefined>};

type Props = {
	columns: readonly TableColumn[];
	/** The rows to draw (already windowed to what fits). */
	rows: readonly TableRow[];
	width: number;
	/** Index in `rows` of the selected row, drawn with a marker and inverse text. */
	selected?: number;
	header?: boolean;
};

function toCell(value: Cell | string | number | undefined): Cell {
	if (value === undefined) return {text: ''};
	if (typeof value === 'string' || typeof value === 'number') return {text: String(value)};
	return value;
}

/** Width taken by the selection marker in front of each row. */
export const markerWidth = 2;

type Segment = {text: string; style?: Omit<Cell, 'text'> & {inverse?: boolean}};

/** One line: the marker, then the cells, each cut to its column and padded, one space between columns; styled parts apart. */
function line(marker: Segment[], cells: ReadonlyArray<{cell: Cell; width: number}>, inverse: boolean): Segment[] {
	const out: Segment[] = marker.map(m => ({...m}));
	const plain = (text: string) => {
		const last = out[out.length - 1]!;
		if (last.style === undefined) last.text += text;
		else out.push({text});
	};
	cells.forEach(({cell, width}, i) => {
		const {text, rest} = truncateToWidth(cell.text, width);
		const styled = inverse || cell.colour !== undefined || cell.bold || cell.dim;
		if (styled && text !== '') out.push({text, style: {colour: cell.colour, bold: cell.bold, dim: cell.dim, inverse}});
		else plain(text);
		plain(' '.repeat(rest + (i < cells.length - 1 ? 1 : 0)));
	});
	return out;
}

/**
 * One row: a single line of text (its styled parts nested), not a box per cell. A frame of tables is most
 * of what the view draws, and Ink lays out and writes every box: at a box per cell the events pane alone
 * was some 300 of them.
 */
function Row({segments, width}: {segments: Segment[]; width: number}) {
	return (
		<Box width={width} height={1} overflow="hidden">
			<Text wrap="truncate">
				{segments.map((s, i) =>
					s.style === undefined ? (
						s.text
					) : (
						<Text key={i} color={s.style.colour} bold={s.style.bold} dimColor={s.style.dim} inverse={s.style.inverse}>
							{s.text}
						</Text>
					),
				)}
			</Text>
		</Box>
	);
}

export function Table({columns, rows, width, selected, header = true}: Props) {
	const fitted = fitColumns(columns, Math.max(1, width - markerWidth));
	const titles = new Map(columns.map((c) => [c.key, c.title]));
	const blank: Segment[] = [{text: ' '.repeat(markerWidth)}];
	const pointer: Segment[] = [{text: '›', style: {bold: true}}, {text: ' '.repeat(markerWidth - 1)}];
	return (
		<Box flexDirection="column" width={width} flexShrink={0}>
			{header ? <Row width={width} segments={line(blank, fitted.map((c) => ({cell: {text: titles.get(c.key) ?? '', dim: true, bold: true}, width: c.width})), false)} /> : null}
			{rows.map((row, index) => {
				const isSelected = index === selected;
				const segments = line(isSelected ? pointer : blank, fitted.map((c) => ({cell: toCell(row.cells[c.key]), width: c.width})), isSelected);
				return <Row key={row.key} width={width} segments={segments} />;
			})}
		</Box>
	);
}
