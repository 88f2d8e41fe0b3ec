// The screen of `rollscope -A`: the releases of every namespace, read from the cluster store and laid out
// to the terminal's size; the keymap's picker keys move, filter and open one. No I/O: the owner opens it.
import {useMemo, useRef, useState, useSyncExternalStore} from 'react';
import {Box, Text, useInput, useStdin, useWindowSize} from 'ink';
import type {ReleaseRow} from '../release/attention.js';
import type {ClusterStore} from '../store/cluster-store.js';
import {tooSmallMessage} from './App.js';
import {ClusterPicker, clusterPickerChrome, orderClusterRows} from './ClusterPicker.js';
import {Footer} from './Footer.js';
import {Header} from './Header.js';
import {Help, helpFit} from './Help.js';
import {commandFor} from './keymap.js';
import {footerRows, headerRows, isTooSmall} from './layout.js';
import {activeFilter, initialViewState, modeOf, reduceView, windowOf, type ViewContext, type ViewState} from './view-state.js';

export type AllReleasesProps = {
	store: ClusterStore;
	/** Terminal size; taken from the terminal (and followed on resize) when not given. */
	width?: number;
	height?: number;
	onQuit: () => void;
	/** enter on a row: the owner opens the release's live view. */
	onOpen: (row: ReleaseRow) => void;
	/** Ctrl-L: the owner clears and repaints the terminal. */
	onRedraw?: () => void;
	/** Ctrl-Z: the owner gives the terminal back to the shell until fg. */
	onSuspend?: () => void;
	/** Where the list keeps its cursor and filter while a release is open, so esc comes back to them. */
	memory?: {view?: ViewState};
};

export function AllReleases({store, width, height, onQuit, onOpen, onRedraw, onSuspend, memory}: AllReleasesProps) {
	const state = useSyncExternalStore(store.subscribe, store.getState);
	const windowSize = useWindowSize();
	const columns = Math.max(0, Math.floor(width ?? windowSize.columns));
	const rows = Math.max(0, Math.floor(height ?? windowSize.rows));
	const [view, setView] = useState<ViewState>(() => memory?.view ?? initialViewState());
	const viewRef = useRef(view);
	const {isRawModeSupported} = useStdin();

	const filter = activeFilter(view);
	const ordered = useMemo(() => orderClusterRows(state.rows, state.verdicts, filter), [state.rows, state.verdicts, filter]);
	const body = Math.max(0, rows - headerRows - footerRows);
	const visible = Math.max(1, body - clusterPickerChrome);
	const context: ViewContext = {
		rows: {pods: 0, revisions: 0, events: 0, picker: ordered.length},
		visible: {pods: 1, revisions: 1, events: 1, picker: visible},
		picking: true,
		helpOverflow: helpFit(columns, body).overflow,
		bodyRows: body,
	};
	const mode = modeOf(view, true);

	useInput((input, key) => {
		const current = viewRef.current;
		const command = commandFor(input, key, modeOf(current, true));
		if (!command) return;
		if (command.name === 'quit') {
			onQuit();
			return;
		}
		let next = reduceView(current, {type: 'command', command, context});
		if (command.name === 'redraw') onRedraw?.();
		if (command.name === 'suspend') onSuspend?.();
		if (command.name === 'select') {
			const chosen = ordered[windowOf(current.scroll.picker, ordered.length, visible).cursor];
			if (chosen) onOpen(chosen);
			else next = reduceView(next, {type: 'status', message: 'no release to watch'});
		}
		viewRef.current = next;
		if (memory) memory.view = next;
		setView(next);
	}, {isActive: isRawModeSupported});

	if (isTooSmall(columns, rows)) {
		return (
			<Box width={columns} height={rows} overflow="hidden">
				<Text wrap="truncate">{tooSmallMessage(columns, rows)}</Text>
			</Box>
		);
	}
	return (
		<Box width={columns} height={rows} flexDirection="column" overflow="hidden">
			<Header namespace="all namespaces" context={state.context} connection={state.connection} now={state.now} width={columns} />
			<Box width={columns} height={body} flexDirection="column" overflow="hidden" flexShrink={0}>
				{mode === 'help' ? (
					<Help width={columns} height={body} offset={view.helpOffset} actionsAvailable />
				) : (
					<ClusterPicker
						rows={ordered}
						total={state.rows.length}
						namespaces={state.namespaces}
						verdicts={state.verdicts}
						verdictNote={state.verdictNote}
						loaded={state.loaded}
						filter={filter}
						scroll={view.scroll.picker}
						width={columns}
						height={body}
					/>
				)}
			</Box>
			<Footer mode={mode} width={columns} draft={view.draft} filter={view.filter} status={view.status} />
		</Box>
	);
}
