// The help overlay: every binding of the keymap, grouped, in as many columns as fit; j/k scroll
// it when the terminal is too small to show it all.
import {Box, Text} from 'ink';
import type {ActionsState} from '../actions/activity.js';
import {actionKind, type ActionName} from '../actions/commands.js';
import {bindings, type Group} from './keymap.js';

const groups: Array<{group: Group; title: string}> = [
	{group: 'general', title: 'GENERAL'},
	{group: 'navigation', title: 'NAVIGATION'},
	{group: 'time', title: 'TIME (history, replay)'},
	{group: 'filter', title: 'FILTER'},
	{group: 'actions', title: 'ACTIONS (change the cluster)'},
];

export type HelpLine = {kind: 'title' | 'entry' | 'blank'; keys?: string; text: string};

/** All help lines: per group a title, then one line per binding (same keys and text once). */
export function helpLines(actions?: ActionsState): HelpLine[] {
	const lines: HelpLine[] = [];
	for (const {group, title} of groups) {
		if (group === 'actions' && actions?.mode === 'read-only') {
			lines.push({kind: 'blank', text: ''}, {kind: 'title', text: 'ACTIONS'}, {kind: 'entry', keys: '', text: 'read-only (--read-only): no key changes the cluster'});
			continue;
		}
		const seen = new Set<string>();
		const entries = bindings.filter((b) => b.group === group).filter((b) => {
			const id = `${b.keys}|${b.description}`;
			if (seen.has(id)) return false;
			seen.add(id);
			return true;
		});
		if (entries.length === 0) continue;
		if (lines.length > 0) lines.push({kind: 'blank', text: ''});
		lines.push({kind: 'title', text: title});
		for (const b of entries) {
			const denied = b.group === 'actions' && actions?.denied[actionKind(b.command as ActionName)] !== undefined;
			lines.push({kind: 'entry', keys: b.keys, text: denied ? `${b.description} (not permitted)` : b.description});
		}
	}
	return lines;
}

const minColumn = 28;

/** How the help fits a box: columns, lines per column, and how many lines are left over. */
export function helpFit(width: number, height: number, actions?: ActionsState): {count: number; perColumn: number; overflow: number} {
	const total = helpLines(actions).length;
	const perColumn = Math.max(1, height - 1);
	const count = Math.max(1, Math.min(Math.ceil(total / perColumn), Math.floor(width / minColumn)));
	return {count, perColumn, overflow: Math.max(0, total - count * perColumn)};
}

type Props = {
	width: number;
	height: number;
	/** First line shown (scrolled with j/k when it does not all fit). */
	offset?: number;
	actionsAvailable?: boolean;
	actions?: ActionsState;
};

export function Help({width, height, offset = 0, actionsAvailable = false, actions}: Props) {
	if (height <= 0) return null;
	const {count, perColumn, overflow} = helpFit(width, height, actions);
	const start = Math.min(Math.max(0, offset), overflow);
	const shown = helpLines(actions).slice(start, start + count * perColumn);
	const columns = Array.from({length: count}, (_, i) => shown.slice(i * perColumn, (i + 1) * perColumn));
	const columnWidth = Math.floor(width / count);
	const more = overflow > 0 ? ` · j/k scroll (${start} above, ${overflow - start} below)` : '';
	return (
		<Box flexDirection="column" width={width} height={height} overflow="hidden" flexShrink={0}>
			<Box width={width} height={1} overflow="hidden">
				<Text wrap="truncate">
					<Text bold inverse> HELP </Text>
					<Text dimColor>{`  ? or esc closes${more}${actionsAvailable ? '' : ' · actions are not available yet'}`}</Text>
				</Text>
			</Box>
			<Box width={width} height={height - 1} overflow="hidden">
				{columns.map((column, i) => (
					<Box key={i} flexDirection="column" width={columnWidth} paddingRight={1} flexShrink={0} overflow="hidden">
						{column.map((line, j) => (
							<Box key={j} width={Math.max(1, columnWidth - 1)} height={1} overflow="hidden">
								{line.kind === 'entry' ? (
									<Text wrap="truncate">
										<Text bold>{`  ${(line.keys ?? '').padEnd(10)}`}</Text>
										<Text>{line.text}</Text>
									</Text>
								) : (
									<Text wrap="truncate" bold={line.kind === 'title'}>{` ${line.text}`}</Text>
								)}
							</Box>
						))}
					</Box>
				))}
			</Box>
		</Box>
	);
}
