// A titled lower pane (pods, revisions, events). When only one fits, its title lists the others as tabs.
import type {ReactNode} from 'react';
import {Box, Text} from 'ink';
import {panes, type Pane as PaneName} from './view-state.js';

type Props = {
	pane: PaneName;
	focused: boolean;
	/** Show all pane names as tabs (only the focused pane is on screen). */
	tabs: boolean;
	/** Text after the title: counts, range, filter. */
	info?: string;
	width: number;
	height: number;
	children?: ReactNode;
};

export function Pane({pane, focused, tabs, info, width, height, children}: Props) {
	if (height <= 0) return null;
	const names = tabs ? panes : [pane];
	return (
		<Box flexDirection="column" width={width} height={height} overflow="hidden" flexShrink={0}>
			<Box width={width} height={1} overflow="hidden">
				<Text wrap="truncate">
					{names.map((name) => {
						const active = name === pane;
						const label = active ? `${focused ? '▸' : ' '}${name.toUpperCase()}` : ` ${name}`;
						return (
							<Text key={name} bold={active} inverse={active && focused} dimColor={!active}>
								{label + ' '}
							</Text>
						);
					})}
					{info ? <Text dimColor> {info}</Text> : null}
				</Text>
			</Box>
			{height > 1 ? (
				<Box flexDirection="column" width={width} height={height - 1} overflow="hidden">
					{children}
				</Box>
			) : null}
		</Box>
	);
}
