// The root view: reads the app store, lays the screen out to the terminal's size, and turns keys
// into commands through the one keymap. No I/O here: the owner passes the store and callbacks.
import {useMemo, useRef, useState, useSyncExternalStore, type ReactNode} from 'react';
import {Box, Text, useInput, useStdin, useWindowSize} from 'ink';
import type {ReleaseKind, Version} from '../release/model.js';
import type {ActionsState} from '../actions/activity.js';
import type {StateSource} from '../store/store.js';
import type {TimeTravel} from '../history/travel.js';
import {ActivityLine} from './ActivityLine.js';
import {ConfirmDialog, confirmLayout} from './ConfirmDialog.js';
import type {ActionFocus, ActionResponse} from '../actions/responses.js';
import {dialogFor, type Dialog} from './dialogs.js';
import {EventsList, orderEvents} from './EventsList.js';
import {Footer} from './Footer.js';
import {countdownLabel} from './format.js';
import {orderVersions} from '../release/versions.js';
import {Header, routesOf, weightOf} from './Header.js';
import {Help, helpFit} from './Help.js';
import {actionKind, type ActionCommand} from '../actions/commands.js';
import {appliesToRelease, commandFor, commandLabel, isAction, type Command} from './keymap.js';
import {footerRows, headerRows, isTooSmall, layout, minColumns, minRows} from './layout.js';
import {Note} from './Note.js';
import {orderReleases, Picker, pickerChrome} from './Picker.js';
import {filterPods, paneChrome, PodsTable} from './PodsTable.js';
import {RevisionPicker} from './RevisionPicker.js';
import {orderRevisions, RevisionsTable} from './RevisionsTable.js';
import {Strip, stripRows as stripRowsOf} from './Strip.js';
import {VersionPanel} from './VersionPanel.js';
import {Timeline} from './Timeline.js';
import {travelCommand, travelLabel, travelSituation, useTravel} from './use-travel.js';
import {activeFilter, initialViewState, modeOf, reduceView, windowOf, type List, type Pane, type ViewContext, type ViewState} from './view-state.js';

export type AppProps = {
	/** The app state: the store, or one that shows a moment of its past (`travel.viewed`). */
	store: StateSource;
	/** Terminal size; taken from the terminal (and followed on resize) when not given. */
	width?: number;
	height?: number;
	onQuit: () => void;
	/** The operator chose another release in the picker. */
	onRetarget?: (target: string) => void;
	/** Ctrl-L: the owner clears and repaints the terminal. */
	onRedraw?: () => void;
	/** Ctrl-Z: the owner hands the terminal back to the shell and stops until fg. */
	onSuspend?: () => void;
	/**
	 * Action keys (weight, promote, abort, pause, undo), with what the operator has selected. Answers a status
	 * line, or a dialog to open (confirm, revision picker, weight prompt). Until this is given, the footer says
	 * the action is not available yet.
	 */
	onAction?: (command: ActionCommand, focus: ActionFocus) => ActionResponse;
	/** SLI sparklines for a version panel (a later feature), and the rows they need. */
	renderSli?: (version: Version, width: number) => ReactNode;
	sliRows?: number;
	/** `c` while an --auto-abort countdown runs: answers the status line. */
	onCancelAutoAbort?: () => string;
	/** esc with nothing else to close: back to where the release was chosen (the list of every namespace, -A). */
	onBack?: () => void;
	/** The history (or the recording) the time keys move through; absent: the view shows only the present. */
	travel?: TimeTravel;
};

/** The view after an action's answer: a dialog opens, or the answer is the status line. */
export function respond(view: ViewState, response: ActionResponse): ViewState {
	const dialog = dialogFor(response);
	if (dialog) return {...view, dialog, status: undefined, helpOpen: false, editingFilter: false};
	return {...view, dialog: undefined, status: typeof response === 'string' && response !== '' ? response : undefined};
}

/**
 * Why an action key does nothing: --read-only, or the user may not (SelfSubjectAccessReview). A key for another
 * kind of release (P, r) is not refused as denied: the handler says what it is for.
 */
export function actionRefusal(command: ActionCommand, actions: ActionsState | undefined, releaseKind?: ReleaseKind): string | undefined {
	if (!actions) return undefined;
	const label = commandLabel(command);
	if (actions.mode === 'read-only') return `${label}: read-only (started with --read-only), nothing changes`;
	const denied = actions.denied[actionKind(command.name)];
	return denied && appliesToRelease(command.name, releaseKind) ? `${label}: not permitted (${denied})` : undefined;
}

/** Confirming a dialog: y, enter on what is typed, or enter on a revision. */
function answer(view: ViewState, dialog: Dialog, command: Command): ViewState {
	const closed: ViewState = {...view, dialog: undefined};
	switch (dialog.kind) {
		case 'confirm': {
			const {confirmation} = dialog;
			if (confirmation.typeToConfirm !== undefined && command.name === 'textSubmit' && dialog.typed.trim() !== confirmation.typeToConfirm) {
				return {...closed, status: `not confirmed: "${dialog.typed.trim()}" is not "${confirmation.typeToConfirm}"; nothing changed`};
			}
			return respond(closed, confirmation.onConfirm());
		}
		case 'weight': {
			const typed = dialog.typed.trim();
			const percent = Number(typed);
			if (typed === '' || !Number.isInteger(percent) || percent < 0 || percent > 100) return {...closed, status: 'the weight must be a whole number from 0 to 100; nothing changed'};
			return respond(closed, dialog.prompt.onWeight(percent));
		}
		case 'revisions': {
			const chosen = dialog.pick.revisions[dialog.cursor];
			return chosen ? respond(closed, dialog.pick.onPick(chosen.revision)) : {...closed, status: 'no revision to undo to'};
		}
	}
}

/** The one line shown on a terminal under the minimum size, shortened to fit when it can. */
export function tooSmallMessage(columns: number, rows: number): string {
	const size = `${columns}x${rows}`;
	const need = `${minColumns}x${minRows}`;
	const forms = [`terminal too small (${size}), need at least ${need}`, `too small (${size}), need ${need}`, `${size} < ${need}`];
	return forms.find((f) => f.length <= columns) ?? forms[forms.length - 1];
}

function weightPrompt(dialog: Dialog | undefined): string | undefined {
	if (dialog?.kind !== 'weight') return undefined;
	const now = dialog.prompt.current === undefined ? '' : ` (now ${Math.round(dialog.prompt.current)}%)`;
	return `canary weight %${now}: ${dialog.typed}▌`;
}

export function App({store, width, height, onQuit, onRetarget, onRedraw, onSuspend, onAction, renderSli, sliRows = 1, onCancelAutoAbort, onBack, travel}: AppProps) {
	const state = useSyncExternalStore(store.subscribe, store.getState);
	const moment = useTravel(travel);
	const inPast = moment?.at !== undefined;
	const windowSize = useWindowSize();
	const columns = Math.max(0, Math.floor(width ?? windowSize.columns));
	const rows = Math.max(0, Math.floor(height ?? windowSize.rows));
	const [view, setView] = useState<ViewState>(initialViewState);
	// The handler reads the latest view from here, so keys arriving before a re-render still chain.
	const viewRef = useRef(view);
	const {isRawModeSupported} = useStdin();

	const {release} = state;
	const activity = state.actions?.activity;
	const countdown = state.verdict?.countdown;
	const activityRows = (activity && rows > minRows ? 1 : 0) + (countdown && rows > minRows ? 1 : 0);
	// Argo Rollout / Flagger strip (steps, weights, analysis) above the panels, when the body has room for it.
	const stripRows = rows - headerRows - footerRows - activityRows >= 16 ? stripRowsOf(release) : 0;
	// The timeline of the history, when the body has room for it.
	const timelineRows = travel && release && rows - headerRows - footerRows - activityRows - stripRows >= 14 ? 1 : 0;
	const picking = release === undefined && (state.target === undefined || state.problem !== undefined);
	const filter = activeFilter(view);
	// Worked out again only when the release (or the filter) changes, not on every tick of the store.
	const versions = useMemo(() => (release ? orderVersions(release.versions) : []), [release]);
	const pods = useMemo(() => (release ? filterPods(release.pods, release.versions, filter) : []), [release, filter]);
	const revisions = useMemo(() => (release ? orderRevisions(release.revisions) : []), [release]);
	const events = useMemo(() => (release ? orderEvents(release.events, filter) : []), [release, filter]);
	const releases = useMemo(() => orderReleases(state.releases, filter), [state.releases, filter]);
	const counts: Record<List, number> = {pods: pods.length, revisions: revisions.length, events: events.length, picker: releases.length};
	const lay = layout(columns, rows - activityRows - stripRows - timelineRows, versions.length, view.focus, {
		pods: paneChrome + counts.pods,
		revisions: paneChrome + counts.revisions,
		events: paneChrome + counts.events,
	}, Math.max(0, sliRows));
	const paneHeight = (pane: Pane) => lay.lower.find((p) => p.pane === pane)?.height ?? 0;
	const visible: Record<List, number> = {
		pods: Math.max(1, paneHeight('pods') - paneChrome),
		revisions: Math.max(1, paneHeight('revisions') - paneChrome),
		events: Math.max(1, paneHeight('events') - paneChrome),
		picker: Math.max(1, lay.body - pickerChrome(state.problem)),
	};
	const body = rows - headerRows - footerRows - activityRows;
	// A confirmation that does not fit the body takes the header's rows too; y waits until every change is on screen.
	const confirmRows = (d: Dialog | undefined) => (d?.kind === 'confirm' && !confirmLayout(d.confirmation, d.typed, columns, body).complete ? body + headerRows : body);
	const confirmShown = (d: Dialog) => d.kind !== 'confirm' || confirmLayout(d.confirmation, d.typed, columns, confirmRows(d)).complete;
	const dialogBody = confirmRows(view.dialog);
	// With several canaries, ← and → pick the one the weight keys act on; the first by default.
	const canaries = versions.filter(v => v.role === 'canary').map(v => v.id);
	const focusable = canaries.length > 1 ? canaries : [];
	const focusedVersion = focusable.length > 0 ? (focusable.includes(view.version ?? '') ? view.version : focusable[0]) : undefined;
	const context: ViewContext = {rows: counts, visible, picking, helpOverflow: helpFit(columns, body, state.actions).overflow, bodyRows: body, focusable};
	const mode = modeOf(view, picking);
	const situation = {countdown: Boolean(state.verdict?.countdown), versions: focusable.length > 0, back: Boolean(onBack), ...travelSituation(moment)};

	/** What the operator has selected: the revision row, or the Deployment of the pod row. */
	const focusOf = (current: ViewState): ActionFocus => {
		if (!release) return {};
		const version = focusable.length > 0 ? {version: focusable.includes(current.version ?? '') ? current.version : focusable[0]} : {};
		if (current.focus === 'revisions') {
			const row = revisions[windowOf(current.scroll.revisions, revisions.length, visible.revisions).cursor];
			return row ? {...version, workload: row.workload, revision: row.revision} : version;
		}
		if (current.focus === 'pods') {
			// A pod's Deployment, when its version is one (a rolling release's versions are ReplicaSets).
			const pod = pods[windowOf(current.scroll.pods, pods.length, visible.pods).cursor];
			const owner = pod && release.versions.find(v => v.id === pod.version);
			return owner?.workloadKind === 'Deployment' ? {...version, workload: owner.workload} : version;
		}
		return version;
	};

	useInput((input, key) => {
		const current = viewRef.current;
		const command = commandFor(input, key, modeOf(current, picking), {countdown: Boolean(store.getState().verdict?.countdown), versions: focusable.length > 0, back: Boolean(onBack), ...travelSituation(travel?.view())});
		if (!command) return;
		if (command.name === 'escape' && onBack && !current.helpOpen && current.status === undefined && current.filter === '') {
			onBack();
			return;
		}
		if (command.name === 'quit') {
			onQuit();
			return;
		}
		if (command.name === 'suspend') {
			onSuspend?.();
			return;
		}
		let next: ViewState;
		const moved = travel ? travelCommand(travel, command) : false;
		if (moved !== false) {
			next = {...current, status: moved};
		} else if (travelSituation(travel?.view()).past && isAction(command)) {
			// The past is for looking: an action would change the present, which is not on screen.
			next = {...current, status: `${commandLabel(command)}: actions act only on the present — end returns to it`};
		} else if (current.dialog && (command.name === 'confirmYes' || command.name === 'textSubmit' || command.name === 'pickRevision')) {
			next = confirmShown(current.dialog) ? answer({...current, status: undefined}, current.dialog, command) : {...current, status: 'the terminal is too small to show every change: enlarge it to confirm'};
		} else if (isAction(command) && onAction) {
			const refusal = actionRefusal(command, store.getState().actions, store.getState().release?.kind);
			next = refusal ? {...current, status: refusal} : respond({...current, status: undefined}, onAction(command, focusOf(current)));
		} else {
			next = reduceView(current, {type: 'command', command, context});
		}
		if (command.name === 'redraw') onRedraw?.();
		if (command.name === 'cancelAutoAbort' && onCancelAutoAbort) next = {...next, status: onCancelAutoAbort()};
		if (command.name === 'select') {
			const chosen = releases[windowOf(current.scroll.picker, releases.length, visible.picker).cursor];
			if (chosen && onRetarget) {
				onRetarget(chosen.target);
				next = {...initialViewState(), focus: next.focus};
			} else if (!chosen) {
				next = reduceView(next, {type: 'status', message: 'no release to watch'});
			}
		}
		viewRef.current = next;
		setView(next);
	}, {isActive: isRawModeSupported});

	if (isTooSmall(columns, rows)) {
		return (
			<Box width={columns} height={rows} overflow="hidden">
				<Text wrap="truncate">{tooSmallMessage(columns, rows)}</Text>
			</Box>
		);
	}

	let content: ReactNode;
	if (view.dialog?.kind === 'confirm') {
		content = <ConfirmDialog confirmation={view.dialog.confirmation} typed={view.dialog.typed} width={columns} height={dialogBody} />;
	} else if (view.dialog?.kind === 'revisions') {
		content = <RevisionPicker pick={view.dialog.pick} cursor={view.dialog.cursor} offset={view.dialog.offset} width={columns} height={body} />;
	} else if (mode === 'help') {
		content = <Help width={columns} height={body} offset={view.helpOffset} actionsAvailable={Boolean(onAction)} actions={state.actions} />;
	} else if (picking) {
		content = (
			<Picker
				releases={releases}
				total={state.releases.length}
				namespace={state.namespace}
				filter={filter}
				scroll={view.scroll.picker}
				problem={state.problem}
				width={columns}
				height={body}
			/>
		);
	} else if (!release) {
		content = <Note message={`loading ${state.target ?? ''}…`} />;
	} else {
		const {panels} = lay;
		content = (
			<>
				{timelineRows > 0 && travel ? <Timeline travel={travel} width={columns} /> : null}
				{stripRows > 0 ? <Strip release={release} width={columns} /> : null}
				{panels.total > 0 ? (
					<Box flexDirection={panels.direction} width={columns} height={panels.total} overflow="hidden" flexShrink={0}>
						{versions.map((v, i) => (
							<VersionPanel key={v.id} version={v} weight={weightOf(release, v)} routes={routesOf(release, v)} focused={v.id === focusedVersion} width={panels.widths[i]} level={panels.level} sliRows={panels.sliRows}>
								{renderSli?.(v, Math.max(1, panels.widths[i] - 4))}
							</VersionPanel>
						))}
					</Box>
				) : null}
				{lay.lower.map(({pane, height: h}) => {
					const common = {width: columns, height: h, focused: pane === view.focus, tabs: lay.tabs, scroll: view.scroll[pane]};
					switch (pane) {
						case 'pods':
							return <PodsTable {...common} key={pane} pods={pods} total={release.pods.length} versions={release.versions} filter={filter} />;
						case 'revisions':
							return <RevisionsTable {...common} key={pane} revisions={revisions} />;
						case 'events':
							return <EventsList {...common} key={pane} events={events} total={release.events.length} filter={filter} />;
					}
				})}
			</>
		);
	}

	return (
		<Box width={columns} height={rows} flexDirection="column" overflow="hidden">
			{dialogBody === body ? <Header release={release} target={state.target} namespace={state.namespace} context={state.context} connection={state.connection} now={state.now} width={columns} verdict={state.verdict} travel={travelLabel(moment)} past={inPast} /> : null}
			<Box width={columns} height={dialogBody} flexDirection="column" overflow="hidden" flexShrink={0}>
				{content}
			</Box>
			{countdown && rows > minRows ? <ActivityLine activity={{tone: 'error', text: countdownLabel(countdown, state.now)}} width={columns} /> : null}
			{activity && rows > minRows ? <ActivityLine activity={activity} width={columns} /> : null}
			<Footer mode={mode} width={columns} draft={view.draft} filter={view.filter} status={view.status} prompt={weightPrompt(view.dialog)} actions={state.actions} situation={situation} releaseKind={release?.kind} />
		</Box>
	);
}
