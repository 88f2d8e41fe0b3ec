// The bottom line: a status message, the filter being typed, and the keys of the current mode.
import {Box, Text} from 'ink';
import type {ReleaseKind} from '../release/model.js';
import type {ActionsState} from '../actions/activity.js';
import {actionKind, type ActionName} from '../actions/commands.js';
import {appliesToRelease, bindingsFor, type Binding, type Mode, type Situation} from './keymap.js';

type Props = {
	mode: Mode;
	width: number;
	/** Filter text being typed (mode `filter`). */
	draft?: string;
	/** The applied filter, shown when set. */
	filter?: string;
	status?: string;
	/** A dialog's prompt shown in the footer (the weight being typed). */
	prompt?: string;
	/** Actions: hidden with --read-only, and those the user may not take. */
	actions?: ActionsState;
	/** Keys that apply only now (c while an auto-abort counts down). */
	situation?: Situation;
	/** The kind of release on screen: keys for other kinds (P on an Argo Rollout, r on a Flagger Canary) are left out. */
	releaseKind?: ReleaseKind;
};

/** Whether the footer and help leave a binding out: every action with --read-only, denied ones otherwise. */
export function actionHidden(binding: Binding, actions: ActionsState | undefined): boolean {
	if (binding.group !== 'actions' || !actions) return false;
	return actions.mode === 'read-only' || actions.denied[actionKind(binding.command as ActionName)] !== undefined;
}

/** Whether the footer leaves a binding out: an action hidden as above, or one for another kind of release. */
export function footerHidden(binding: Binding, actions: ActionsState | undefined, releaseKind: ReleaseKind | undefined): boolean {
	return actionHidden(binding, actions) || !appliesToRelease(binding.command, releaseKind);
}

/** A word on the actions when some are off: `read-only`, `actions not permitted`. */
export function actionsNote(actions: ActionsState | undefined): string {
	if (!actions) return '';
	if (actions.mode === 'read-only') return 'read-only';
	const denied = Object.keys(actions.denied).length;
	if (denied === 0) return '';
	return denied >= 5 ? 'actions not permitted' : 'some actions not permitted';
}

/** Footer entries that fit in `room` cells: lowest rank kept first, shown in keymap order. */
export function footerEntries(mode: Mode, room: number, hidden: (b: Binding) => boolean = () => false, situation: Situation = {}): Array<{keys: string; label: string}> {
	const all = bindingsFor(mode, situation).flatMap((b) => (b.footer && !hidden(b) ? [b.footer] : []));
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

export function Footer({mode, width, draft, filter, status, prompt: dialogPrompt, actions, situation, releaseKind}: Props) {
	const prompt = mode === 'filter' ? ` filter: ${draft ?? ''}▌ ` : dialogPrompt ? ` ${dialogPrompt} ` : '';
	const applied = mode !== 'filter' && filter ? ` [filter: ${filter}] ` : '';
	const message = status ? ` ! ${status} ` : '';
	// In the past (or a recording) the action keys do nothing: the note says why they are not listed.
	const timeNote = situation?.past ? 'the past: actions act only on the present' : situation?.replay ? 'a recording: no actions' : '';
	const noteText = mode === 'normal' ? timeNote || actionsNote(actions) : '';
	const note = noteText ? ` [${noteText}] ` : '';
	const room = Math.max(0, width - 1 - prompt.length - applied.length - message.length - note.length);
	const entries = footerEntries(mode, room, (b) => footerHidden(b, actions, releaseKind) || (Boolean(timeNote) && b.group === 'actions'), situation);
	return (
		<Box width={width} height={1} overflow="hidden" flexShrink={0}>
			<Text wrap="truncate">
				{message ? <Text color="yellow" bold>{message}</Text> : null}
				{prompt ? <Text bold>{prompt}</Text> : null}
				{applied ? <Text color="cyan">{applied}</Text> : null}
				{note ? <Text color="magenta">{note}</Text> : null}
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
