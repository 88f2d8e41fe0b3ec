// Asks before a change: what will change (old → new), then y/N, or the release name to type for
// namespaces that ask for it. With --dry-run it shows the requests instead and sends nothing.
import {Box, Text} from 'ink';
import type {Confirmation} from '../actions/responses.js';
import {text} from './format.js';

type Props = {
	confirmation: Confirmation;
	/** What is typed so far (confirm by name). */
	typed: string;
	width: number;
	height: number;
};

/** Rows the dialog needs around its lines: border (2), title, blank, prompt. */
export const confirmChrome = 5;

export function ConfirmDialog({confirmation, typed, width, height}: Props) {
	if (height <= 0) return null;
	const {title, lines, typeToConfirm, dryRun} = confirmation;
	const room = Math.max(0, height - confirmChrome);
	const clipped = lines.length > room;
	const shown = clipped ? lines.slice(0, Math.max(0, room - 1)) : lines;
	const more = clipped && room > 0;
	const spacer = height >= confirmChrome;
	const boxHeight = Math.min(height, 4 + (spacer ? 1 : 0) + shown.length + (more ? 1 : 0));
	const inner = Math.max(1, width - 4);
	const prompt = typeToConfirm
		? `type ${text(typeToConfirm)} to confirm: ${typed}▌   enter confirms · esc cancels`
		: dryRun
			? 'y: close (nothing is sent) · n/esc: close'
			: 'apply? y yes · n/esc/enter no';
	return (
		<Box flexDirection="column" width={width} height={boxHeight} borderStyle="round" borderColor={dryRun ? 'cyan' : 'yellow'} paddingX={1} overflow="hidden" flexShrink={0}>
			<Box width={inner} height={1} overflow="hidden">
				<Text wrap="truncate" bold>{`${dryRun ? 'DRY RUN (nothing will be sent): ' : ''}${text(title)}`}</Text>
			</Box>
			{shown.map((line, i) => (
				<Box key={i} width={inner} height={1} overflow="hidden">
					<Text wrap="truncate">{`  ${text(line)}`}</Text>
				</Box>
			))}
			{more ? (
				<Box width={inner} height={1} overflow="hidden">
					<Text wrap="truncate" dimColor>{`  … ${lines.length - shown.length} more line(s)`}</Text>
				</Box>
			) : null}
			<Box width={inner} height={1} overflow="hidden" marginTop={spacer ? 1 : 0}>
				<Text wrap="truncate" color={typeToConfirm ? 'red' : 'yellow'} bold>{prompt}</Text>
			</Box>
		</Box>
	);
}
