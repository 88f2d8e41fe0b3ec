// Asks before a change: what will change (old → new), then y/N, or the release name to type for
// namespaces that ask for it. With --dry-run it shows the requests instead and sends nothing. Long lines
// wrap onto more rows rather than being cut: the title and every change must be read before y; when even
// the whole screen cannot hold them, the dialog says so and y waits for a larger terminal.
import {Box, Text} from 'ink';
import type {Confirmation} from '../actions/responses.js';
import {text} from './format.js';
import {wrapText} from './wrap.js';

type Props = {
	confirmation: Confirmation;
	/** What is typed so far (confirm by name). */
	typed: string;
	width: number;
	height: number;
};

type Row = {text: string; kind: 'title' | 'line' | 'more' | 'warning' | 'prompt' | 'blank'};

export type ConfirmLayout = {
	rows: Row[];
	/** Rows the dialog takes, border included. */
	height: number;
	/** Rows it would take to show everything, border included. */
	wanted: number;
	/** Whether the title and every change are on screen (y is taken only then). */
	complete: boolean;
};

function promptText(confirmation: Confirmation, typed: string): string {
	const {typeToConfirm, dryRun} = confirmation;
	if (typeToConfirm) return `type ${text(typeToConfirm)} to confirm: ${typed}▌   enter confirms · esc cancels`;
	return dryRun ? 'y: close (nothing is sent) · n/esc: close' : 'apply? y yes · n/esc/enter no';
}

/** The rows of the dialog at this size: everything that must be read, wrapped, then what fits of the rest. */
export function confirmLayout(confirmation: Confirmation, typed: string, width: number, height: number): ConfirmLayout {
	const inner = Math.max(1, width - 4);
	const {title, lines, dryRun} = confirmation;
	const titleRows = wrapText(`${dryRun ? 'DRY RUN (nothing will be sent): ' : ''}${text(title)}`, inner).map((t): Row => ({text: t, kind: 'title'}));
	// With --dry-run the changes come first, then a blank line and the requests, which may be left out.
	const cut = dryRun ? lines.indexOf('') : -1;
	const must = cut < 0 ? lines : lines.slice(0, cut);
	const may = cut < 0 ? [] : lines.slice(cut + 1);
	const lineRows = (list: readonly string[]) => list.flatMap(l => wrapText(text(l), inner, '  ', '    ').map((t): Row => ({text: t, kind: 'line'})));
	const mustRows = lineRows(must);
	const mayRows = lineRows(may);
	const prompt = wrapText(promptText(confirmation, typed), inner).map((t): Row => ({text: t, kind: 'prompt'}));
	const blank: Row = {text: '', kind: 'blank'};
	const wanted = 2 + titleRows.length + mustRows.length + (mayRows.length > 0 ? 1 + mayRows.length : 0) + 1 + prompt.length;
	const room = Math.max(0, height - 2);
	const needed = titleRows.length + mustRows.length + prompt.length;
	if (needed > room) {
		// Not even the changes fit: show what does, say so; y waits.
		const shown = Math.max(0, room - prompt.length - 1);
		const body = [...titleRows, ...mustRows].slice(0, shown);
		const hidden = titleRows.length + mustRows.length - body.length;
		const more: Row = {text: `… ${hidden} more: enlarge the terminal`, kind: 'warning'};
		const rows = [...body, ...(room > prompt.length ? [more] : []), ...prompt].slice(0, room);
		return {rows, height: Math.min(height, rows.length + 2), wanted, complete: false};
	}
	let left = room - needed;
	const rows: Row[] = [...titleRows, ...mustRows];
	if (mayRows.length > 0 && left > 0) {
		const fit = mayRows.length + 1 <= left ? mayRows : mayRows.slice(0, Math.max(0, left - 2));
		const extra: Row[] = [blank, ...fit];
		if (fit.length < mayRows.length && left >= 2) extra.push({text: `  … ${mayRows.length - fit.length} more line(s)`, kind: 'more'});
		rows.push(...extra.slice(0, left));
		left -= Math.min(left, extra.length);
	}
	if (left > 0) rows.push(blank);
	rows.push(...prompt);
	return {rows, height: rows.length + 2, wanted, complete: true};
}

export function ConfirmDialog({confirmation, typed, width, height}: Props) {
	if (height <= 2) return null;
	const layout = confirmLayout(confirmation, typed, width, height);
	const inner = Math.max(1, width - 4);
	const {typeToConfirm, dryRun} = confirmation;
	return (
		<Box flexDirection="column" width={width} height={layout.height} borderStyle="round" borderColor={dryRun ? 'cyan' : 'yellow'} paddingX={1} overflow="hidden" flexShrink={0}>
			{layout.rows.map((row, i) => (
				<Box key={i} width={inner} height={1} overflow="hidden">
					{row.kind === 'title' ? <Text wrap="truncate" bold>{row.text}</Text>
						: row.kind === 'prompt' ? <Text wrap="truncate" color={typeToConfirm ? 'red' : 'yellow'} bold>{row.text}</Text>
							: row.kind === 'warning' ? <Text wrap="truncate" color="red" bold>{row.text}</Text>
								: row.kind === 'more' ? <Text wrap="truncate" dimColor>{row.text}</Text>
								: <Text wrap="truncate">{row.text || ' '}</Text>}
				</Box>
			))}
		</Box>
	);
}
