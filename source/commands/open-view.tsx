// Opens the live view (or prints a snapshot) for one client and target; shared by watch and demo.
import type {ReactElement} from 'react';
import {render} from 'ink';
import {ActionController} from '../live/action-controller.js';
import type {ActionOptions} from '../actions/config.js';
import type {KubeClient} from '../kube/client.js';
import {watchRelease} from '../live/release-watch.js';
import {canDraw, startWatching, type Started} from './start-watching.js';
import {slisAsText, withLatestSlis} from '../metrics/latest.js';
import {startPoller} from '../live/metrics-poller.js';
import type {MetricsSetup} from './metrics-setup.js';
import {kindSpec} from '../kinds/registry.js';
import {releaseAsText} from '../text/release-text.js';
import {initialState, type AppState} from '../store/state.js';
import {Store} from '../store/store.js';
import {App, type AppProps} from '../ui/App.js';
import {WithMetrics} from '../ui/WithMetrics.js';
import type {Settings} from '../config/settings.js';
import {startGuard} from '../live/guard.js';
import {startVerdictPoller} from '../live/verdict-poller.js';
import type {JudgeConfig} from '../verdict/judge.js';
import {startAdvancer} from '../live/advancer.js';
import type {Flags} from './flags.js';
import {History} from '../history/history.js';
import {TimeTravel} from '../history/travel.js';
import {RecordingWriter} from '../history/recording-file.js';
import {RecordingError} from '../history/recording.js';
import {feedHistory} from '../live/history-feed.js';
import {startRecorder, type Recorder} from '../live/recorder.js';
import {elapsed} from '../history/time.js';
import {isOutputGone} from './crash.js';
import {TerminalSession} from './terminal-session.js';
import {TerminalHandle} from '../ui/TerminalHandle.js';
import {settleHeapWhileRunning} from './heap-settle.js';

/** The verdict in the view: the window, how often, the judge's limits, --auto-abort's countdown, --auto-advance's step interval. */
export type VerdictOptions = {windowSeconds: number; intervalMs: number; judge: JudgeConfig; autoAbortDelayMs?: number; autoAdvanceMs?: number};

/** The verdict of the view from the run's settings, with --auto-abort's countdown and --auto-advance's step interval when asked for. */
export function verdictOptions(settings: Pick<Settings, 'verdict' | 'interval'>, flags: Pick<Flags, 'autoAbort' | 'autoAdvance'>): VerdictOptions {
	const {verdict} = settings;
	return {
		windowSeconds: verdict.windowSeconds,
		intervalMs: settings.interval * 1000,
		judge: verdict.judge,
		...(flags.autoAbort ? {autoAbortDelayMs: verdict.autoAbortDelaySeconds * 1000} : {}),
		...(flags.autoAdvance ? {autoAdvanceMs: verdict.stepIntervalSeconds * 1000} : {}),
	};
}

export type ViewOptions = {
	target?: string;
	once: boolean;
	output: string;
	/** Printed on the primary screen after the view closes. */
	farewell?: string;
	/** --read-only, --dry-run, --router and the config file's action keys. */
	actions: ActionOptions;
	/** Where SLIs come from; absent: metrics off. */
	metrics?: MetricsSetup;
	/** The verdict poller (from where the metrics come from) and --auto-abort. */
	verdict?: VerdictOptions;
	/** --record FILE: write a recording of the view's release while it runs. */
	record?: string;
	/** TERM=dumb: no live view. */
	dumbTerminal?: boolean;
	/** -v N in the live view: where the requests are logged, said on screen and on exit. */
	requestLog?: {level: number; path: string};
	/** The store and the watch, when the lists were started before the view's code was loaded (start-watching.ts). */
	started?: Started;
};

/** How long the first frame waits for the lists: after that it shows what is there (connecting, the problem). */
const FIRST_FRAME_WAIT_MS = 1500;

/**
 * Resolves once the watch has built what the first frame shows and `identity` (who you are) is known, the API
 * server cannot be reached, or after `waitMs`: a key pressed on the first frame can then act.
 */
function firstData({store, watch}: Started, waitMs: number, identity: Promise<unknown>): Promise<void> {
	return new Promise(resolve => {
		const failing = () => {
			const c = store.getState().connection;
			return c.state === 'stale' || (c.state === 'connecting' && c.problem !== undefined);
		};
		const timer = setTimeout(done, waitMs);
		const unsubscribe = store.subscribe(() => {
			if (failing()) done();
		});
		void Promise.all([watch.loaded, identity.catch(() => {})]).then(done);
		function done() {
			clearTimeout(timer);
			unsubscribe();
			resolve();
		}
	});
}

/** Frames per second at most: enough to follow a rollout, little enough for SSH. */
const maxFps = 20;

export async function openView(client: KubeClient, options: ViewOptions): Promise<number> {
	if (options.once) return snapshot(client, new Store(initialState(client.context, client.namespace, options.target)), options);
	// A caller that started the lists has checked the terminal (canDraw).
	if (!options.started && !canDraw(options.dumbTerminal)) return 2;
	let writer: RecordingWriter | undefined;
	if (options.record) {
		try {
			writer = await RecordingWriter.create(options.record, {started: Date.now(), context: client.context, namespace: client.namespace, ...(options.target ? {target: options.target} : {})});
		} catch (error) {
			if (!(error instanceof RecordingError)) throw error;
			process.stderr.write(`rollscope: ${error.message}\n`);
			options.started?.watch.stop();
			options.started?.store.close();
			return 2;
		}
	}
	const started = options.started ?? startWatching(client, options.target);
	const {store} = started;
	// Who you are (the audit Events name you) is asked beside the lists: a key pressed on the first frame needs it.
	const identity = options.actions.readOnly ? Promise.resolve() : client.whoami();
	// The first frame is the whole picture: it waits (a little) for the lists and who you are, and nothing
	// else asks the API server anything before they are in.
	await firstData(started, FIRST_FRAME_WAIT_MS, identity);
	const live = startLiveView(client, started, options, writer);
	if (options.requestLog) store.dispatch({type: 'actions', actions: {activity: {tone: 'info', text: `-v ${options.requestLog.level}: requests logged to ${options.requestLog.path}`}}});
	const {code, quiet} = await runFullScreen(
		screen => <LiveApp store={store} live={live} screen={screen} />,
		async () => {
			await live.stop();
			store.close();
			void client.close();
		},
	);
	if (quiet) return code;
	if (options.requestLog) process.stderr.write(`rollscope: the requests (-v ${options.requestLog.level}) are in ${options.requestLog.path}\n`);
	if (options.farewell) process.stdout.write(options.farewell);
	if (writer) {
		const problem = writer.problem ? ` (stopped early: ${writer.problem})` : '';
		process.stdout.write(`Recorded ${elapsed(Date.now() - (live.history.start ?? Date.now()))} of ${options.target ?? client.namespace} to ${writer.path}: ${writer.entries} records, ${Math.ceil(writer.bytes / 1024)} KB${problem}. Replay it with: rollscope replay ${writer.path}\n`);
	}
	return code;
}

/** What a full-screen view can ask of the terminal: to end, to be drawn anew (Ctrl-L) and to be suspended (Ctrl-Z). */
export type FullScreen = {quit(): void; redraw(): void; suspend(): void};

/** The view of one live release on a full screen: the App over the moment the history shows; esc calls onBack when given. */
export function LiveApp({store, live, screen, onBack}: {store: Store; live: LiveView; screen: FullScreen; onBack?: () => void}) {
	return (
		<WithMetrics store={live.travel.viewed} travel={live.travel}>
			<App
				store={live.travel.viewed}
				travel={live.travel}
				onQuit={screen.quit}
				{...live.handlers}
				onRedraw={() => {
					screen.redraw();
					store.dispatch({type: 'tick', now: Date.now()});
				}}
				onSuspend={screen.suspend}
				{...(onBack ? {onBack} : {})}
			/>
		</WithMetrics>
	);
}

/** How a full-screen view ended: its exit code, and quiet when nothing more should be printed (hung up, output gone). */
export type FullScreenEnd = {code: number; quiet: boolean};

/**
 * Render a view on the alternate screen until it quits, SIGTERM, SIGHUP, the end of input or a crash (the
 * TerminalSession: resizes, Ctrl-Z and fg, hang-ups); then `cleanup`. The caller has checked for a TTY.
 */
export async function runFullScreen(view: (screen: FullScreen) => ReactElement, cleanup: () => void | Promise<void>): Promise<FullScreenEnd> {
	const session = new TerminalSession({stdin: process.stdin, stdout: process.stdout, frameMs: Math.ceil(1000 / maxFps), end: () => instance.unmount()});
	const screen: FullScreen = {
		quit: () => instance.unmount(),
		redraw: () => session.redraw(),
		suspend: () => void session.suspend(),
	};
	const tree = (
		<>
			<TerminalHandle onReady={session.setControls} />
			{view(screen)}
		</>
	);
	// interactive: we checked for a TTY; Ink would otherwise turn itself off when CI is set.
	const instance = render(tree, {alternateScreen: true, incrementalRendering: true, maxFps, exitOnCtrlC: false, patchConsole: false, interactive: true});
	session.attach(instance, () => instance.rerender(tree));
	const stopSettling = settleHeapWhileRunning();
	try {
		await instance.waitUntilExit();
	} finally {
		stopSettling();
		// Stop reading the terminal (Ink only turns raw mode off): what is typed while the watches close
		// is the shell's, not swallowed by a process that is ending.
		process.stdin.pause();
		session.close();
		await cleanup();
	}
	const quiet = session.exitCode !== undefined || isOutputGone();
	return {code: session.exitCode ?? 0, quiet};
}

/** The runners of one release's live view and what the App needs of them: the handlers, and its history (what the view reads). */
export type LiveView = {
	handlers: Pick<AppProps, 'onRetarget' | 'onAction' | 'onCancelAutoAbort'>;
	history: History;
	travel: TimeTravel;
	stop(): Promise<void>;
};

/**
 * Start what keeps a started watch's release live: the actions, the metrics and verdict pollers, the guard
 * (bell, --auto-abort), --auto-advance, the view's history (the time keys) and, with a writer, its recording.
 */
export function startLiveView(client: KubeClient, {store, watch}: Started, options: Pick<ViewOptions, 'actions' | 'metrics' | 'verdict'>, writer?: RecordingWriter): LiveView {
	const settings = options.actions;
	// The view's past: a frame on every change, and the time keys to go back to one.
	const history = new History();
	const unfeed = feedHistory(store, history);
	const travel = new TimeTravel(store, history);
	const recorder: Recorder | undefined = writer ? startRecorder({store, snapshot: watch.snapshot, writer}) : undefined;
	const actions = new ActionController({client, snapshot: watch.snapshot, refresh: watch.refresh, store}, settings);
	const poller = options.metrics ? startPoller({store, source: options.metrics.source, settings: options.metrics.settings}) : undefined;
	const windows = options.metrics?.windows;
	const verdict = options.verdict;
	const verdictPoller = verdict && windows ? startVerdictPoller({store, windows, windowSeconds: verdict.windowSeconds, intervalMs: verdict.intervalMs, judge: verdict.judge}) : undefined;
	if (verdict && !windows) store.dispatch({type: 'verdict', verdict: {note: 'needs Prometheus'}});
	const autoAbortMs = verdictPoller ? verdict!.autoAbortDelayMs : undefined;
	if (autoAbortMs !== undefined) store.dispatch({type: 'verdict', verdict: {autoAbort: settings.readOnly ? 'auto-abort off: read-only' : `auto-abort ${autoAbortMs / 1000}s after fail`}});
	const guard = verdictPoller
		? startGuard({
				store,
				// The terminal bell, once per fail episode.
				bell: () => process.stdout.write('\x07'),
				autoAbort: autoAbortMs !== undefined && !settings.readOnly ? {delayMs: autoAbortMs, abort: reason => actions.autoAbort(reason)} : undefined,
				onProblem: message => store.dispatch({type: 'actions', actions: {activity: {tone: 'error', text: message}}}),
			})
		: undefined;
	const advanceMs = verdictPoller ? verdict!.autoAdvanceMs : undefined;
	if (advanceMs !== undefined && settings.readOnly) store.dispatch({type: 'verdict', verdict: {autoAdvance: 'auto-advance off: read-only'}});
	const advancer =
		verdictPoller && advanceMs !== undefined && !settings.readOnly
			? startAdvancer({store, intervalMs: advanceMs, position: () => actions.advancePosition(), advance: (to, step, reason) => actions.autoAdvance(to, step, reason), recordStop: stop => actions.recordAdvanceStop(stop)})
			: undefined;
	// The access reviews and who-am-I: after the lists (firstData), so they do not slow the first frame.
	actions.start();
	return {
		handlers: {
			onRetarget: target => {
				store.dispatch({type: 'target', target});
				watch.refresh();
			},
			onAction: (command, focus) => actions.handle(command, focus),
			onCancelAutoAbort: guard ? () => guard.cancel() : undefined,
		},
		history,
		travel,
		async stop() {
			guard?.stop();
			advancer?.stop();
			verdictPoller?.stop();
			actions.stop();
			poller?.stop();
			watch.stop();
			await recorder?.stop();
			travel.stop();
			unfeed();
		},
	};
}

/** Wait until every watch has listed (or failed for a while), then print once. */
async function snapshot(client: KubeClient, store: Store, options: ViewOptions): Promise<number> {
	const watch = watchRelease(client, store, {batchMs: 0});
	const state = await new Promise<AppState>(resolve => {
		const deadline = setTimeout(() => resolve(store.getState()), 15_000);
		const check = () => {
			const s = store.getState();
			if (s.connection.state === 'live' && (s.release || s.problem || !s.target)) {
				clearTimeout(deadline);
				resolve(s);
			}
		};
		store.subscribe(check);
	});
	watch.stop();
	store.close();
	void client.close();
	if (state.connection.state !== 'live') {
		const c = state.connection;
		const why = c.state === 'connecting' ? (c.problem ?? 'no complete answer in 15s') : c.why;
		process.stderr.write(`rollscope: ${why} (the Kubernetes API at ${client.server})\n`);
		return 1;
	}
	const {unreadable} = state.connection;
	if (unreadable?.length) process.stderr.write(`rollscope: user ${client.user} may not read ${unreadable.join(', ')} (403 Forbidden): shown without them\n`);
	if (state.problem) {
		process.stderr.write(`rollscope: ${state.problem}\n`);
		if (state.releases.length > 0) process.stderr.write(`releases in namespace ${state.namespace}: ${state.releases.map(r => r.target).join(', ')}\n`);
		return 1;
	}
	if (!state.release) {
		if (options.output === 'json') process.stdout.write(JSON.stringify({namespace: state.namespace, releases: state.releases}, null, 2) + '\n');
		else process.stdout.write(state.releases.map(r => `${r.target}\t${r.kind}${r.inProgress ? '\tin progress' : ''}`).join('\n') + '\n');
		return 0;
	}
	const release = options.metrics ? await withLatestSlis(state.release, options.metrics.source, options.metrics.settings) : state.release;
	process.stdout.write(options.output === 'json' ? JSON.stringify(release, null, 2) + '\n' : releaseAsText(release, state.context, kindSpec(release.kind).summary?.(release)) + slisAsText(release));
	return 0;
}
