// A table made of <Box> cells of exact widths; one line per row, every cell truncated.
import {Box, Text} from 'ink';
import type {Colour} from './format.js';
import {fitColumns, type ColumnSpec} from './layout.js';

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

export function Table({columns, rows, width, selected, header = true}: Props) {
	const fitted = fitColumns(columns, Math.max(1, width - markerWidth));
	const titles = new Map(columns.map((c) => [c.key, c.title]));
	return (
		<Box flexDirection="column" width={width} flexShrink={0}>
			{header ? (
				<Box width={width} height={1} overflow="hidden">
					<Box width={markerWidth} flexShrink={0}><Text> </Text></Box>
					{fitted.map((c, i) => (
						<Box key={c.key} width={c.width} marginRight={i < fitted.length - 1 ? 1 : 0} flexShrink={0}>
							<Text wrap="truncate" dimColor bold>{titles.get(c.key)}</Text>
						</Box>
					))}
				</Box>
			) : null}
			{rows.map((row, index) => {
				const isSelected = index === selected;
				return (
					<Box key={row.key} width={width} height={1} overflow="hidden">
						<Box width={markerWidth} flexShrink={0}><Text bold={isSelected}>{isSelected ? '›' : ' '}</Text></Box>
						{fitted.map((c, i) => {
							const cell = toCell(row.cells[c.key]);
							return (
								<Box key={c.key} width={c.width} marginRight={i < fitted.length - 1 ? 1 : 0} flexShrink={0}>
									<Text wrap="truncate" color={cell.colour} bold={cell.bold} dimColor={cell.dim} inverse={isSelected}>{cell.text}</Text>
								</Box>
							);
						})}
					</Box>
				);
			})}
		</Box>
	);
}
