// The one keymap: which key does what in which mode. The footer, the help overlay and the input
// handler all read `bindings`, so what the screen says and what a key does cannot disagree.
import {isActionName, type ActionCommand, type ActionName} from '../actions/commands.js';
import {kindRegistry} from '../kinds/registry.js';
import type {ReleaseKind} from '../release/model.js';

/** The subset of Ink's `Key` the keymap looks at; missing fields mean false. */
export type KeyLike = {
	upArrow?: boolean;
	downArrow?: boolean;
	leftArrow?: boolean;
	rightArrow?: boolean;
	pageUp?: boolean;
	pageDown?: boolean;
	home?: boolean;
	end?: boolean;
	return?: boolean;
	escape?: boolean;
	ctrl?: boolean;
	shift?: boolean;
	tab?: boolean;
	backspace?: boolean;
	delete?: boolean;
	meta?: boolean;
};

/**
 * What the keyboard is talking to:
 * - normal: the release screen;
 * - filter: typing a filter after `/`;
 * - help: the help overlay is open;
 * - picker: choosing a release to watch;
 * - confirm: an action asks y/N before it changes the cluster;
 * - confirm-name: the same, confirmed by typing the release name (namespaces such as prod*);
 * - picker-revision: choosing the revision to undo to;
 * - weight-input: typing an exact weight after `=`.
 */
export type Mode = 'normal' | 'filter' | 'help' | 'picker' | 'confirm' | 'confirm-name' | 'picker-revision' | 'weight-input';

/** Dialog modes: they take every key until they close. */
export const dialogModes: readonly Mode[] = ['confirm', 'confirm-name', 'picker-revision', 'weight-input'];

/**
 * Whether a command applies to a release of this kind (undefined: no release on screen yet). Keys that only
 * some kinds have (kinds/spec.ts `extraActions`) apply only there: the footer leaves them out elsewhere (help
 * still lists them), and the key answers there why it does nothing.
 */
export function appliesToRelease(command: CommandName, kind: ReleaseKind | undefined): boolean {
	const only = kindRegistry.kinds.filter(k => k.extraActions?.includes(command as ActionName));
	return only.length === 0 || (kind !== undefined && only.some(k => k.kind === kind));
}

export type CommandName =
	| 'quit'
	| 'help'
	| 'focusNext'
	| 'focusPrev'
	| 'versionNext'
	| 'versionPrev'
	| 'scrollUp'
	| 'scrollDown'
	| 'pageUp'
	| 'pageDown'
	| 'top'
	| 'bottom'
	| 'filter'
	| 'filterInput'
	| 'filterBackspace'
	| 'filterApply'
	| 'filterClear'
	| 'redraw'
	| 'suspend'
	| 'escape'
	| 'select'
	| 'confirmYes'
	| 'cancel'
	| 'textInput'
	| 'textBackspace'
	| 'textSubmit'
	| 'pickRevision'
	| 'cancelAutoAbort'
	| TravelName
	| ActionName;

/** Keys that move in time: through the history of a live view, or a recording being replayed. */
export type TravelName = 'travelBack' | 'travelForward' | 'travelMinuteBack' | 'travelMinuteForward' | 'travelLive' | 'travelPlay';

export const travelNames: readonly CommandName[] = ['travelBack', 'travelForward', 'travelMinuteBack', 'travelMinuteForward', 'travelLive', 'travelPlay'];

export type Command =
	| {name: Exclude<CommandName, 'setWeight' | 'exactWeight' | 'filterInput' | 'textInput'>}
	/** Digit pressed: weight to digit × 10 percent. */
	| {name: 'setWeight'; digit: number}
	/** A weight typed after `=`. */
	| {name: 'exactWeight'; percent: number}
	| {name: 'filterInput'; text: string}
	/** Text typed into a dialog (the release name, a weight). */
	| {name: 'textInput'; text: string};

export type Group = 'general' | 'navigation' | 'time' | 'filter' | 'actions' | 'dialog';

export type Binding = {
	command: CommandName;
	/** How the key is written in the help overlay. */
	keys: string;
	/** What it does, for the help overlay. */
	description: string;
	group: Group;
	modes: readonly Mode[];
	/** Shown in the footer when set: rank decides what stays on a narrow footer (lower stays). */
	footer?: {keys: string; label: string; rank: number};
	match: (input: string, key: KeyLike) => boolean;
	/** Builds a command that carries data (digit, typed text). */
	build?: (input: string) => Command;
	/** Only while this is going on (an --auto-abort countdown); otherwise the key means nothing. */
	when?: keyof Situation;
};

/** What is going on besides the mode, for the bindings that only apply then. */
export type Situation = {
	countdown?: boolean;
	/** The release has several canaries to move the focus between. */
	versions?: boolean;
	/** The view keeps a history (or replays a recording): the time keys move through it. */
	history?: boolean;
	/** A live view shows a moment of the past. */
	past?: boolean;
	/** A recording is replayed: space plays and pauses it. */
	replay?: boolean;
	/** A recording is shown before its end. */
	rewound?: boolean;
	/** Opened from the list of every namespace's releases (-A): esc goes back to it. */
	back?: boolean;
};

const applies = (binding: Binding, mode: Mode, situation: Situation) => binding.modes.includes(mode) && (!binding.when || Boolean(situation[binding.when]));

const all: readonly Mode[] = ['normal', 'filter', 'help', 'picker', 'confirm', 'confirm-name', 'picker-revision', 'weight-input'];
const browse: readonly Mode[] = ['normal', 'picker'];
/** Modes where the arrows and j/k scroll (the help overlay scrolls when it does not fit). */
const scrolling: readonly Mode[] = ['normal', 'picker', 'help', 'picker-revision'];
const plain = (key: KeyLike) => !key.ctrl && !key.meta;
const char = (c: string) => (input: string, key: KeyLike) => input === c && plain(key);
const typed = (input: string, key: KeyLike) => input.length > 0 && plain(key) && !key.tab && !key.return && !key.escape && !/[\u0000-\u001f\u007f]/.test(input);

export const bindings: readonly Binding[] = [
	// Anywhere.
	{command: 'quit', keys: 'ctrl-c', description: 'quit', group: 'general', modes: all, match: (input, key) => Boolean(key.ctrl) && input === 'c'},
	{command: 'redraw', keys: 'ctrl-l', description: 'redraw the screen', group: 'general', modes: all, match: (input, key) => Boolean(key.ctrl) && input === 'l'},
	{command: 'suspend', keys: 'ctrl-z', description: 'suspend to the shell (fg resumes)', group: 'general', modes: all, match: (input, key) => Boolean(key.ctrl) && input === 'z'},

	// Filter editing comes before single-letter keys so that typed letters go into the filter.
	{command: 'filterApply', keys: 'enter', description: 'apply the filter', group: 'filter', modes: ['filter'], footer: {keys: 'enter', label: 'apply', rank: 1}, match: (_i, key) => Boolean(key.return)},
	{command: 'filterClear', keys: 'esc', description: 'clear the filter', group: 'filter', modes: ['filter'], footer: {keys: 'esc', label: 'clear', rank: 2}, match: (_i, key) => Boolean(key.escape)},
	{command: 'filterBackspace', keys: 'backspace', description: 'delete a character', group: 'filter', modes: ['filter'], match: (_i, key) => Boolean(key.backspace || key.delete)},
	{
		command: 'filterInput', keys: 'text', description: 'type the filter (pods, events, releases)', group: 'filter', modes: ['filter'],
		match: (input, key) => input.length > 0 && plain(key) && !key.tab && !key.return && !key.escape && !/[\u0000-\u001f\u007f]/.test(input),
		build: (input) => ({name: 'filterInput', text: input}),
	},

	// Dialogs of the actions: they come first, so their keys mean what the dialog says.
	{command: 'confirmYes', keys: 'y', description: 'yes: make the change', group: 'dialog', modes: ['confirm'], footer: {keys: 'y', label: 'apply', rank: 0}, match: (input, key) => (input === 'y' || input === 'Y') && plain(key)},
	{command: 'cancel', keys: 'n esc enter', description: 'no: change nothing', group: 'dialog', modes: ['confirm'], footer: {keys: 'n/esc', label: 'cancel', rank: 1}, match: (input, key) => Boolean(key.escape || key.return) || ((input === 'n' || input === 'N') && plain(key))},
	{command: 'cancel', keys: 'esc', description: 'change nothing', group: 'dialog', modes: ['confirm-name', 'picker-revision', 'weight-input'], footer: {keys: 'esc', label: 'cancel', rank: 1}, match: (_i, key) => Boolean(key.escape)},
	{command: 'textSubmit', keys: 'enter', description: 'confirm what is typed', group: 'dialog', modes: ['confirm-name', 'weight-input'], footer: {keys: 'enter', label: 'confirm', rank: 0}, match: (_i, key) => Boolean(key.return)},
	{command: 'textBackspace', keys: 'backspace', description: 'delete a character', group: 'dialog', modes: ['confirm-name', 'weight-input'], match: (_i, key) => Boolean(key.backspace || key.delete)},
	{command: 'textInput', keys: 'text', description: 'type the release name', group: 'dialog', modes: ['confirm-name'], match: typed, build: (input) => ({name: 'textInput', text: input})},
	{command: 'textInput', keys: '0-9', description: 'type the weight', group: 'dialog', modes: ['weight-input'], match: (input, key) => /^[0-9]+$/.test(input) && plain(key), build: (input) => ({name: 'textInput', text: input})},
	{command: 'pickRevision', keys: 'enter', description: 'undo to the chosen revision', group: 'dialog', modes: ['picker-revision'], footer: {keys: 'enter', label: 'undo to it', rank: 0}, match: (_i, key) => Boolean(key.return)},

	// Only while an --auto-abort countdown runs.
	{command: 'cancelAutoAbort', keys: 'c', description: 'cancel the auto-abort countdown (while it runs)', group: 'general', modes: ['normal'], when: 'countdown', footer: {keys: 'c', label: 'cancel auto-abort', rank: 0}, match: char('c')},

	// Time: before the keys they would shadow (esc, end, space, shift-← →), and only while they apply.
	{command: 'travelBack', keys: '<', description: 'back to just before the previous mark (revision, weight, verdict, action, warning)', group: 'time', modes: ['normal'], when: 'history', footer: {keys: '</>', label: 'history', rank: 15}, match: char('<')},
	{command: 'travelForward', keys: '>', description: 'forward to just before the next mark; past the last, the present', group: 'time', modes: ['normal'], when: 'history', match: char('>')},
	{command: 'travelMinuteBack', keys: 'shift-← ,', description: 'a minute back', group: 'time', modes: ['normal'], when: 'history', match: (input, key) => (Boolean(key.leftArrow) && Boolean(key.shift)) || char(',')(input, key)},
	{command: 'travelMinuteForward', keys: 'shift-→ .', description: 'a minute forward', group: 'time', modes: ['normal'], when: 'history', match: (input, key) => (Boolean(key.rightArrow) && Boolean(key.shift)) || char('.')(input, key)},
	{command: 'travelLive', keys: 'end esc', description: 'back to the present (live)', group: 'time', modes: ['normal'], when: 'past', footer: {keys: 'end', label: 'live', rank: 0}, match: (_i, key) => Boolean(key.end || key.escape)},
	{command: 'travelLive', keys: 'end esc', description: 'to the end of the recording', group: 'time', modes: ['normal'], when: 'rewound', footer: {keys: 'end', label: 'jump to the end', rank: 1}, match: (_i, key) => Boolean(key.end || key.escape)},
	{command: 'travelPlay', keys: 'space', description: 'play or pause the recording', group: 'time', modes: ['normal'], when: 'replay', footer: {keys: 'space', label: 'play/pause', rank: 0}, match: char(' ')},

	// Help overlay.
	{command: 'help', keys: '?', description: 'show or hide this help', group: 'general', modes: ['normal', 'help', 'picker'], footer: {keys: '?', label: 'help', rank: 1}, match: char('?')},
	{command: 'quit', keys: 'q', description: 'quit', group: 'general', modes: ['normal', 'help', 'picker'], footer: {keys: 'q', label: 'quit', rank: 0}, match: char('q')},
	{command: 'escape', keys: 'esc', description: 'close help, dismiss a message, clear the filter', group: 'general', modes: ['normal', 'help', 'picker'], match: (_i, key) => Boolean(key.escape)},
	{command: 'escape', keys: 'esc', description: 'back to the releases of every namespace (opened with -A)', group: 'general', modes: ['normal', 'picker'], when: 'back', footer: {keys: 'esc', label: 'all releases', rank: 3}, match: (_i, key) => Boolean(key.escape)},

	// Navigation.
	{command: 'focusNext', keys: 'tab', description: 'next pane (pods, revisions, events)', group: 'navigation', modes: ['normal'], footer: {keys: 'tab', label: 'pane', rank: 3}, match: (_i, key) => Boolean(key.tab) && !key.shift},
	{command: 'focusPrev', keys: 'shift-tab', description: 'previous pane', group: 'navigation', modes: ['normal'], match: (_i, key) => Boolean(key.tab) && Boolean(key.shift)},
	{command: 'versionNext', keys: '→', description: 'next canary (on a release with several): the one the weight keys act on', group: 'navigation', modes: ['normal'], when: 'versions', footer: {keys: '←/→', label: 'canary', rank: 5}, match: (_i, key) => Boolean(key.rightArrow)},
	{command: 'versionPrev', keys: '←', description: 'previous canary', group: 'navigation', modes: ['normal'], when: 'versions', match: (_i, key) => Boolean(key.leftArrow)},
	{command: 'scrollUp', keys: '↑ k', description: 'move up', group: 'navigation', modes: scrolling, match: (input, key) => Boolean(key.upArrow) || (input === 'k' && plain(key))},
	{command: 'scrollDown', keys: '↓ j', description: 'move down', group: 'navigation', modes: scrolling, footer: {keys: 'j/k', label: 'scroll', rank: 4}, match: (input, key) => Boolean(key.downArrow) || (input === 'j' && plain(key))},
	{command: 'pageUp', keys: 'pgup', description: 'page up', group: 'navigation', modes: scrolling, match: (_i, key) => Boolean(key.pageUp)},
	{command: 'pageDown', keys: 'pgdn', description: 'page down', group: 'navigation', modes: scrolling, match: (_i, key) => Boolean(key.pageDown)},
	{command: 'top', keys: 'home g', description: 'first row', group: 'navigation', modes: scrolling, match: (input, key) => Boolean(key.home) || (input === 'g' && plain(key))},
	{command: 'bottom', keys: 'end G', description: 'last row', group: 'navigation', modes: scrolling, match: (input, key) => Boolean(key.end) || (input === 'G' && plain(key))},
	{command: 'select', keys: 'enter', description: 'watch the chosen release', group: 'navigation', modes: ['picker'], footer: {keys: 'enter', label: 'watch', rank: 2}, match: (_i, key) => Boolean(key.return)},
	{command: 'filter', keys: '/', description: 'filter (enter applies, esc clears)', group: 'filter', modes: browse, footer: {keys: '/', label: 'filter', rank: 2}, match: char('/')},

	// Actions on the release (they change the cluster).
	{command: 'weightUp', keys: '+', description: 'shift a step of weight to the canary', group: 'actions', modes: ['normal'], footer: {keys: '+/-', label: 'weight', rank: 6}, match: char('+')},
	{command: 'weightDown', keys: '-', description: 'shift a step of weight back to stable', group: 'actions', modes: ['normal'], match: (input, key) => (input === '-' || input === '_') && plain(key)},
	{command: 'typeWeight', keys: '=', description: 'type an exact canary weight', group: 'actions', modes: ['normal'], footer: {keys: '=', label: 'exact', rank: 12}, match: char('=')},
	{command: 'planPrev', keys: '[', description: 'previous step of the weight plan', group: 'actions', modes: ['normal'], match: char('[')},
	{command: 'planNext', keys: ']', description: 'next step of the weight plan', group: 'actions', modes: ['normal'], footer: {keys: '[/]', label: 'plan', rank: 13}, match: char(']')},
	{
		command: 'setWeight', keys: '0-9', description: 'set the new version\'s weight to N×10%', group: 'actions', modes: ['normal'], footer: {keys: '0-9', label: 'set', rank: 10},
		match: (input, key) => /^[0-9]$/.test(input) && plain(key),
		build: (input) => ({name: 'setWeight', digit: Number(input)}),
	},
	{command: 'promote', keys: 'p', description: 'promote the new version', group: 'actions', modes: ['normal'], footer: {keys: 'p', label: 'promote', rank: 7}, match: char('p')},
	{command: 'promoteFull', keys: 'P', description: 'promote fully, skipping steps and analysis (Argo)', group: 'actions', modes: ['normal'], footer: {keys: 'P', label: 'promote fully', rank: 14}, match: char('P')},
	{command: 'abort', keys: 'a', description: 'abort: all traffic back to the old version', group: 'actions', modes: ['normal'], footer: {keys: 'a', label: 'abort', rank: 8}, match: char('a')},
	{command: 'undo', keys: 'u', description: 'undo: pick a revision of the focused Deployment', group: 'actions', modes: ['normal'], footer: {keys: 'u', label: 'undo…', rank: 9}, match: char('u')},
	{command: 'pause', keys: 'space', description: 'pause or resume the rollout', group: 'actions', modes: ['normal'], footer: {keys: 'space', label: 'pause', rank: 11}, match: char(' ')},
	{command: 'restoreAnalysis', keys: 'r', description: 'restore analysis: skipAnalysis false (Flagger)', group: 'actions', modes: ['normal'], footer: {keys: 'r', label: 'restore analysis', rank: 14}, match: char('r')},
];

export function isAction(command: Command): command is ActionCommand {
	return isActionName(command.name);
}

/** The command a key means in a mode, or undefined when the key means nothing there. */
export function commandFor(input: string, key: KeyLike, mode: Mode, situation: Situation = {}): Command | undefined {
	for (const binding of bindings) {
		if (!applies(binding, mode, situation)) continue;
		if (!binding.match(input, key)) continue;
		if (binding.build) return binding.build(input);
		return {name: binding.command} as Command;
	}
	return undefined;
}

/** The bindings that apply in a mode, in keymap order. */
export function bindingsFor(mode: Mode, situation: Situation = {}): Binding[] {
	return bindings.filter((b) => applies(b, mode, situation));
}

/** A short name for a command, for status messages: `promote`, `set weight 30%`. */
export function commandLabel(command: Command): string {
	switch (command.name) {
		case 'setWeight':
			return `set weight ${command.digit * 10}%`;
		case 'exactWeight':
			return `set weight ${command.percent}%`;
		case 'typeWeight':
			return 'set weight';
		case 'planPrev':
		case 'planNext':
			return 'weight plan';
		case 'weightUp':
			return 'weight +';
		case 'weightDown':
			return 'weight -';
		case 'pause':
			return 'pause/resume';
		case 'promoteFull':
			return 'promote fully';
		case 'restoreAnalysis':
			return 'restore analysis';
		case 'cancelAutoAbort':
			return 'cancel auto-abort';
		case 'travelMinuteBack':
		case 'travelMinuteForward':
			return 'a minute';
		default:
			return command.name;
	}
}
