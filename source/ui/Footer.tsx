// The bottom line: a status message, the filter being typed, and the keys of the current mode.
import {Box, Text} from 'ink';
import {bindingsFor, type Mode} from './keymap.js';

type Props = {
	mode: Mode;
	width: number;
	/** Filter text being typed (mode `filter`). */
	draft?: string;
	/** The applied filter, shown when set. */
	filter?: string;
	status?: string;
};

/** Footer entries that fit in `room` cells: lowest rank kept first, shown in keymap order. */
export function footerEntries(mode: Mode, room: number): Array<{keys: string; label: string}> {
	const all = bindingsFor(mode).flatMap((b) => (b.footer ? [b.footer] : []));
	const unique = all.filter((f, i) => all.findIndex((g) => g.keys === f.keys && g.label === f.label) === i);
	const kept = new Set<typeof unique[number]>();
	let used = 0;
	for (const f of [...unique].sort((a, b) => a.rank - b.rank)) {
		const size = f.keys.length + 1 + f.label.length + 2;
		if (used + size > room) continue;
		used += size;
		kept.add(f);
	}
	return unique.filter((f) => kept.has(f)).map(({keys, label}) => ({keys, label}));
}

export function Footer({mode, width, draft, filter, status}: Props) {
	const prompt = mode === 'filter' ? ` filter: ${draft ?? ''}▌ ` : '';
	const applied = mode !== 'filter' && filter ? ` [filter: ${filter}] ` : '';
	const message = status ? ` ! ${status} ` : '';
	const room = Math.max(0, width - 1 - prompt.length - applied.length - message.length);
	const entries = footerEntries(mode, room);
	return (
		<Box width={width} height={1} overflow="hidden" flexShrink={0}>
			<Text wrap="truncate">
				{message ? <Text color="yellow" bold>{message}</Text> : null}
				{prompt ? <Text bold>{prompt}</Text> : null}
				{applied ? <Text color="cyan">{applied}</Text> : null}
				{entries.map((e) => (
					<Text key={`${e.keys}:${e.label}`}>
						<Text bold>{` ${e.keys}`}</Text>
						<Text dimColor>{` ${e.label} `}</Text>
					</Text>
				))}
			</Text>
		</Box>
	);
}
