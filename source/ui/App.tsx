// The root view: reads the app store, lays the screen out to the terminal's size, and turns keys
// into commands through the one keymap. No I/O here: the owner passes the store and callbacks.
import {useRef, useState, useSyncExternalStore, type ReactNode} from 'react';
import {Box, Text, useInput, useStdin, useWindowSize} from 'ink';
import type {Version} from '../release/model.js';
import type {Store} from '../store/store.js';
import {EventsList, orderEvents} from './EventsList.js';
import {Footer} from './Footer.js';
import {orderVersions} from './format.js';
import {Header, weightOf} from './Header.js';
import {Help, helpFit} from './Help.js';
import {commandFor, isAction, type ActionCommand} from './keymap.js';
import {footerRows, headerRows, isTooSmall, layout, minColumns, minRows} from './layout.js';
import {Note} from './Note.js';
import {orderReleases, Picker, pickerChrome} from './Picker.js';
import {filterPods, paneChrome, PodsTable} from './PodsTable.js';
import {orderRevisions, RevisionsTable} from './RevisionsTable.js';
import {VersionPanel} from './VersionPanel.js';
import {activeFilter, initialViewState, modeOf, reduceView, windowOf, type List, type Pane, type ViewContext, type ViewState} from './view-state.js';

export type AppProps = {
	store: Store;
	/** Terminal size; taken from the terminal (and followed on resize) when not given. */
	width?: number;
	height?: number;
	onQuit: () => void;
	/** The operator chose another release in the picker. */
	onRetarget?: (target: string) => void;
	/** Ctrl-L: the owner clears and repaints the terminal. */
	onRedraw?: () => void;
	/**
	 * Action keys (weight, promote, abort, pause, undo). Returns a status line to show.
	 * Until this is given, the footer says the action is not available yet.
	 */
	onAction?: (command: ActionCommand) => string | void;
	/** SLI sparklines for a version panel (a later feature), and the rows they need. */
	renderSli?: (version: Version, width: number) => ReactNode;
	sliRows?: number;
};

/** The one line shown on a terminal under the minimum size, shortened to fit when it can. */
export function tooSmallMessage(columns: number, rows: number): string {
	const size = `${columns}x${rows}`;
	const need = `${minColumns}x${minRows}`;
	const forms = [`terminal too small (${size}), need at least ${need}`, `too small (${size}), need ${need}`, `${size} < ${need}`];
	return forms.find((f) => f.length <= columns) ?? forms[forms.length - 1];
}

export function App({store, width, height, onQuit, onRetarget, onRedraw, onAction, renderSli, sliRows = 1}: AppProps) {
	const state = useSyncExternalStore(store.subscribe, store.getState);
	const windowSize = useWindowSize();
	const columns = Math.max(0, Math.floor(width ?? windowSize.columns));
	const rows = Math.max(0, Math.floor(height ?? windowSize.rows));
	const [view, setView] = useState<ViewState>(initialViewState);
	// The handler reads the latest view from here, so keys arriving before a re-render still chain.
	const viewRef = useRef(view);
	const {isRawModeSupported} = useStdin();

	const {release} = state;
	const picking = release === undefined && (state.target === undefined || state.problem !== undefined);
	const filter = activeFilter(view);
	const versions = release ? orderVersions(release.versions) : [];
	const pods = release ? filterPods(release.pods, release.versions, filter) : [];
	const revisions = release ? orderRevisions(release.revisions) : [];
	const events = release ? orderEvents(release.events, filter) : [];
	const releases = orderReleases(state.releases, filter);
	const counts: Record<List, number> = {pods: pods.length, revisions: revisions.length, events: events.length, picker: releases.length};
	const lay = layout(columns, rows, versions.length, view.focus, {
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
	const body = rows - headerRows - footerRows;
	const context: ViewContext = {rows: counts, visible, picking, helpOverflow: helpFit(columns, body).overflow};
	const mode = modeOf(view, picking);

	useInput((input, key) => {
		const current = viewRef.current;
		const command = commandFor(input, key, modeOf(current, picking));
		if (!command) return;
		if (command.name === 'quit') {
			onQuit();
			return;
		}
		let next: ViewState;
		if (isAction(command) && onAction) {
			const message = onAction(command);
			next = reduceView(current, {type: 'status', message: message || undefined});
		} else {
			next = reduceView(current, {type: 'command', command, context});
		}
		if (command.name === 'redraw') onRedraw?.();
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
	if (mode === 'help') {
		content = <Help width={columns} height={body} offset={view.helpOffset} actionsAvailable={Boolean(onAction)} />;
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
				{panels.total > 0 ? (
					<Box flexDirection={panels.direction} width={columns} height={panels.total} overflow="hidden" flexShrink={0}>
						{versions.map((v, i) => (
							<VersionPanel key={v.id} version={v} weight={weightOf(release, v)} width={panels.widths[i]} level={panels.level} sliRows={panels.sliRows}>
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
			<Header release={release} target={state.target} namespace={state.namespace} context={state.context} connection={state.connection} now={state.now} width={columns} />
			<Box width={columns} height={body} flexDirection="column" overflow="hidden" flexShrink={0}>
				{content}
			</Box>
			<Footer mode={mode} width={columns} draft={view.draft} filter={view.filter} status={view.status} />
		</Box>
	);
}
