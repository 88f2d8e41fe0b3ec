// Choose the revision to undo to: the focused Deployment's revisions, newest first, and what would change
// going back to the one under the cursor (images, env, resources, probes).
import {Box, Text} from 'ink';
import type {RevisionPick} from '../actions/responses.js';
import {text} from './format.js';
import {imagesLabel} from '../text/format.js';
import {revisionPickerRows, windowOf} from './view-state.js';

type Props = {
	pick: RevisionPick;
	cursor: number;
	offset: number;
	width: number;
	height: number;
};

function Line({width, children, ...style}: {width: number; children: string; bold?: boolean; dimColor?: boolean; inverse?: boolean; color?: string}) {
	return (
		<Box width={width} height={1} overflow="hidden" flexShrink={0}>
			<Text wrap="truncate" {...style}>{children}</Text>
		</Box>
	);
}

export function RevisionPicker({pick, cursor, offset, width, height}: Props) {
	if (height <= 0) return null;
	const {revisions} = pick;
	const rows = revisionPickerRows(height);
	const win = windowOf({cursor, offset}, revisions.length, rows);
	const shown = revisions.slice(win.offset, win.end);
	const chosen = revisions[win.cursor];
	const diffRoom = Math.max(0, height - 3 - shown.length);
	const diff = chosen ? (chosen.current ? ['this is the current revision: nothing to undo'] : chosen.diff.length > 0 ? chosen.diff : ['same images, env, resources and probes (other fields differ)']) : [];
	const diffShown = diff.length > diffRoom ? [...diff.slice(0, Math.max(0, diffRoom - 1)), `… ${diff.length - diffRoom + 1} more`] : diff;
	return (
		<Box flexDirection="column" width={width} height={height} overflow="hidden" flexShrink={0}>
			<Line width={width} bold>{` UNDO deploy/${text(pick.workload)}: pick a revision · enter undoes to it · esc cancels`}</Line>
			{revisions.length === 0 ? <Line width={width} dimColor>{'  no revisions'}</Line> : null}
			{shown.map((r, i) => {
				const selected = win.offset + i === win.cursor;
				const row = `${selected ? '▸' : ' '} ${String(r.revision).padStart(4)}  ${r.current ? 'current' : '       '}  ${imagesLabel(r.images)}  ${r.pods} pod${r.pods === 1 ? '' : 's'}${r.changeCause ? `  ${text(r.changeCause)}` : ''}`;
				return <Line key={r.revision} width={width} inverse={selected} bold={r.current}>{row}</Line>;
			})}
			{chosen ? <Line width={width} bold color="cyan">{` WHAT CHANGES going back to revision ${chosen.revision}`}</Line> : null}
			{diffShown.map((line, i) => (
				<Line key={i} width={width}>{`   ${text(line)}`}</Line>
			))}
		</Box>
	);
}
