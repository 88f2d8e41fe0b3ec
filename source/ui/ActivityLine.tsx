// One line above the footer: what an action is doing (progress steps of a promotion) or how it ended.
import {Box, Text} from 'ink';
import type {Activity} from '../actions/activity.js';
import {text, type Colour} from './format.js';

const tones: Record<Activity['tone'], {symbol: string; colour?: Colour}> = {
	info: {symbol: '·'},
	busy: {symbol: '…', colour: 'cyan'},
	ok: {symbol: '✓', colour: 'green'},
	warn: {symbol: '!', colour: 'yellow'},
	error: {symbol: '✗', colour: 'red'},
};

const marks = {done: '✓', active: '●', pending: '○'} as const;

export function ActivityLine({activity, width}: {activity: Activity; width: number}) {
	const tone = tones[activity.tone];
	return (
		<Box width={width} height={1} overflow="hidden" flexShrink={0}>
			<Text wrap="truncate">
				<Text color={tone.colour} bold>{` ${tone.symbol} ${text(activity.text)}`}</Text>
				{(activity.steps ?? []).map((step, i) => (
					<Text key={i} dimColor={step.state === 'pending'} bold={step.state === 'active'} color={step.state === 'done' ? 'green' : undefined}>
						{`${i === 0 ? '  ' : ' · '}${marks[step.state]} ${text(step.label)}`}
					</Text>
				))}
			</Text>
		</Box>
	);
}
