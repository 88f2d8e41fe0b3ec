// UI-local state (focus, cursors, filter, help, status line) and its pure reducer.
// The app store holds what the cluster says; this holds only what the operator is looking at.
import type {Dialog} from './dialogs.js';
import {commandLabel, type Command, type Mode} from './keymap.js';

export type Pane = 'pods' | 'revisions' | 'events';
export const panes: readonly Pane[] = ['pods', 'revisions', 'events'];

/** A scrollable list: `cursor` is the selected row, `offset` the first row shown. */
export type Scroll = {cursor: number; offset: number};

/** Lists the keyboard can move in: the three panes and the release picker. */
export type List = Pane | 'picker';

export type ViewState = {
	focus: Pane;
	scroll: Record<List, Scroll>;
	/** The applied filter. */
	filter: string;
	/** True while typing a filter after `/`; `draft` holds what is typed so far. */
	editingFilter: boolean;
	draft: string;
	helpOpen: boolean;
	/** First help line shown, when help does not fit. */
	helpOffset: number;
	/** One-line message for the footer (cleared by the next key). */
	status?: string;
	/** An action's dialog (confirm, revision picker, weight prompt): it takes the keys while open. */
	dialog?: Dialog;
	/** The version panel the weight keys act on (a version id), when the release has several it could be. */
	version?: string;
};

/** What the reducer needs to know about the screen: rows in each list and rows visible. */
export type ViewContext = {
	rows: Record<List, number>;
	visible: Record<List, number>;
	/** True while the picker is on screen (no release chosen). */
	picking: boolean;
	/** Help lines that do not fit on screen (how far help can scroll). */
	helpOverflow?: number;
	/** Rows between header and footer (the revision picker scrolls within them). */
	bodyRows?: number;
	/** The versions ← and → move between (the canaries of a release that has several), in panel order. */
	focusable?: readonly string[];
};

export type ViewAction =
	| {type: 'command'; command: Command; context: ViewContext}
	| {type: 'status'; message: string | undefined};

const top: Scroll = {cursor: 0, offset: 0};

export function initialViewState(): ViewState {
	return {
		focus: 'pods',
		scroll: {pods: top, revisions: top, events: top, picker: top},
		filter: '',
		editingFilter: false,
		draft: '',
		helpOpen: false,
		helpOffset: 0,
	};
}

/** The keymap mode for the current view. */
export function modeOf(view: ViewState, picking: boolean): Mode {
	if (view.dialog) return dialogMode(view.dialog);
	if (view.editingFilter) return 'filter';
	if (view.helpOpen) return 'help';
	return picking ? 'picker' : 'normal';
}

export function dialogMode(dialog: Dialog): Mode {
	switch (dialog.kind) {
		case 'confirm':
			return dialog.confirmation.typeToConfirm ? 'confirm-name' : 'confirm';
		case 'revisions':
			return 'picker-revision';
		case 'weight':
			return 'weight-input';
	}
}

/** Rows of the revision picker's list, for scrolling it (the rest of the dialog shows the diff). */
export const revisionPickerRows = (bodyRows: number) => Math.max(1, Math.min(8, Math.floor((bodyRows - 4) / 2)));

/** Keys inside an open dialog: typing, moving the revision cursor, cancelling. Confirming is the App's. */
function reduceDialog(view: ViewState, dialog: Dialog, command: Command, context: ViewContext): ViewState {
	switch (command.name) {
		case 'cancel':
			return {...view, dialog: undefined, status: 'cancelled: nothing changed'};
		case 'textInput':
			if (dialog.kind === 'revisions') return view;
			return {...view, dialog: {...dialog, typed: (dialog.typed + command.text).slice(0, 253)}};
		case 'textBackspace':
			if (dialog.kind === 'revisions') return view;
			return {...view, dialog: {...dialog, typed: [...dialog.typed].slice(0, -1).join('')}};
		default: {
			if (dialog.kind !== 'revisions') return view;
			const count = dialog.pick.revisions.length;
			const rows = revisionPickerRows(context.bodyRows ?? 20);
			const page = Math.max(1, rows - 1);
			const by: Partial<Record<Command['name'], number>> = {scrollUp: -1, scrollDown: 1, pageUp: -page, pageDown: page, top: -Infinity, bottom: Infinity};
			const delta = by[command.name];
			if (delta === undefined) return view;
			const target = Math.min(Math.max(0, dialog.cursor + delta), Math.max(0, count - 1));
			const {cursor, offset} = windowOf({cursor: target, offset: dialog.offset}, count, rows);
			return {...view, dialog: {...dialog, cursor, offset}};
		}
	}
}

/** The filter the lists show: the draft while typing (a live preview), else the applied one. */
export function activeFilter(view: ViewState): string {
	return view.editingFilter ? view.draft : view.filter;
}

/**
 * The rows to show for a list: keeps the cursor inside [0, count) and on screen, and never
 * scrolls past the end. Used by the reducer and again at render time (sizes change on resize).
 */
export function windowOf(scroll: Scroll, count: number, visible: number): Scroll & {end: number} {
	const rows = Math.max(1, visible);
	const cursor = count === 0 ? 0 : Math.min(Math.max(0, scroll.cursor), count - 1);
	let offset = Math.min(Math.max(0, scroll.offset), Math.max(0, count - rows));
	if (cursor < offset) offset = cursor;
	if (cursor >= offset + rows) offset = cursor - rows + 1;
	return {cursor, offset, end: Math.min(count, offset + rows)};
}

function move(view: ViewState, list: List, delta: number | 'top' | 'bottom', context: ViewContext): ViewState {
	const count = context.rows[list];
	const visible = context.visible[list];
	const current = windowOf(view.scroll[list], count, visible);
	const target = delta === 'top' ? 0 : delta === 'bottom' ? count - 1 : current.cursor + delta;
	const {cursor, offset} = windowOf({cursor: target, offset: current.offset}, count, visible);
	return {...view, scroll: {...view.scroll, [list]: {cursor, offset}}};
}

/** Filtering changes the rows, so lists that filter start again at the top. */
function resetFiltered(view: ViewState): ViewState {
	return {...view, scroll: {...view.scroll, pods: top, events: top, picker: top}};
}

function step(focus: Pane, by: number): Pane {
	const i = panes.indexOf(focus);
	return panes[(i + by + panes.length) % panes.length];
}

export function reduceView(state: ViewState, action: ViewAction): ViewState {
	if (action.type === 'status') return {...state, status: action.message};
	const {command, context} = action;
	// Any key dismisses the last message; commands below may set a new one.
	const view: ViewState = state.status === undefined ? state : {...state, status: undefined};
	if (view.dialog) return reduceDialog(view, view.dialog, command, context);
	const list: List = context.picking ? 'picker' : view.focus;
	const page = Math.max(1, context.visible[list] - 1);
	if (view.helpOpen) {
		const by: Partial<Record<Command['name'], number>> = {scrollUp: -1, scrollDown: 1, pageUp: -page, pageDown: page, top: -Infinity, bottom: Infinity};
		const delta = by[command.name];
		if (delta !== undefined) {
			const helpOffset = Math.min(Math.max(0, view.helpOffset + delta), context.helpOverflow ?? 0);
			return {...view, helpOffset};
		}
	}
	switch (command.name) {
		case 'help':
			return {...view, helpOpen: !view.helpOpen, helpOffset: 0};
		case 'escape':
			if (view.helpOpen) return {...view, helpOpen: false};
			if (state.status !== undefined) return view;
			if (view.filter !== '') return resetFiltered({...view, filter: '', draft: ''});
			return view;
		case 'focusNext':
			return {...view, focus: step(view.focus, 1)};
		case 'focusPrev':
			return {...view, focus: step(view.focus, -1)};
		case 'versionNext':
		case 'versionPrev': {
			const ids = context.focusable ?? [];
			if (ids.length === 0) return {...view, status: 'one version takes the weight keys here: nothing to move between'};
			const at = Math.max(0, ids.indexOf(view.version ?? ids[0]!));
			return {...view, version: ids[(at + (command.name === 'versionNext' ? 1 : -1) + ids.length) % ids.length]};
		}
		case 'scrollUp':
			return move(view, list, -1, context);
		case 'scrollDown':
			return move(view, list, 1, context);
		case 'pageUp':
			return move(view, list, -page, context);
		case 'pageDown':
			return move(view, list, page, context);
		case 'top':
			return move(view, list, 'top', context);
		case 'bottom':
			return move(view, list, 'bottom', context);
		case 'filter':
			return {...view, editingFilter: true, draft: view.filter, helpOpen: false};
		case 'filterInput':
			return resetFiltered({...view, draft: view.draft + command.text});
		case 'filterBackspace':
			return resetFiltered({...view, draft: [...view.draft].slice(0, -1).join('')});
		case 'filterApply':
			return {...view, editingFilter: false, filter: view.draft.trim()};
		case 'filterClear':
			return resetFiltered({...view, editingFilter: false, filter: '', draft: ''});
		case 'weightUp':
		case 'weightDown':
		case 'setWeight':
		case 'typeWeight':
		case 'exactWeight':
		case 'planPrev':
		case 'planNext':
		case 'promote':
		case 'promoteFull':
		case 'restoreAnalysis':
		case 'abort':
		case 'pause':
		case 'undo':
			return {...view, status: `${commandLabel(command)}: not available yet`};
		case 'quit':
		case 'redraw':
		case 'suspend':
		case 'select':
		case 'confirmYes':
		case 'cancel':
		case 'textInput':
		case 'textBackspace':
		case 'textSubmit':
		case 'pickRevision':
		case 'cancelAutoAbort':
		case 'travelBack':
		case 'travelForward':
		case 'travelMinuteBack':
		case 'travelMinuteForward':
		case 'travelLive':
		case 'travelPlay':
			// Side effects (or dialog keys without a dialog); the App performs them.
			return view;
	}
}

/** Case-insensitive match of a filter against any of the given fields. */
export function matches(filter: string, ...fields: Array<string | number | undefined>): boolean {
	const f = filter.trim().toLowerCase();
	if (f === '') return true;
	return fields.some((field) => field !== undefined && String(field).toLowerCase().includes(f));
}
