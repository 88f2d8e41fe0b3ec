// Opens the live view (or prints a snapshot) for one client and target; shared by watch and demo.
import {render} from 'ink';
import {ActionController} from '../live/action-controller.js';
import type {ActionOptions} from '../actions/config.js';
import type {KubeClient} from '../kube/client.js';
import {watchRelease} from '../live/release-watch.js';
import {needsTerminal, startWatching, type Started} from './start-watching.js';
import {slisAsText, withLatestSlis} from '../metrics/latest.js';
import {startPoller} from '../live/metrics-poller.js';
import type {MetricsSetup} from './metrics-setup.js';
import {kindSpec} from '../kinds/registry.js';
import {releaseAsText} from '../text/release-text.js';
import {initialState, type AppState} from '../store/state.js';
import {Store} from '../store/store.js';
import {App} from '../ui/App.js';
import {WithMetrics} from '../ui/WithMetrics.js';
import type {Settings} from '../config/settings.js';
import {startGuard} from '../live/guard.js';
import {startVerdictPoller} from '../live/verdict-poller.js';
import type {JudgeConfig} from '../verdict/judge.js';
import {startAdvancer} from '../live/advancer.js';
import type {Flags} from './flags.js';

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
	/** The store and the watch, when the lists were started before the view's code was loaded (start-watching.ts). */
	started?: Started;
};

/** How long the first frame waits for the lists: after that it shows what is there (connecting, the problem). */
const FIRST_FRAME_WAIT_MS = 1500;

/** Resolves once the watch has built what the first frame shows, the API server cannot be reached, or after `waitMs`. */
function firstData({store, watch}: Started, waitMs: number): Promise<void> {
	return new Promise(resolve => {
		const failing = () => {
			const c = store.getState().connection;
			return c.state === 'stale' || (c.state === 'connecting' && c.problem !== undefined);
		};
		const timer = setTimeout(done, waitMs);
		const unsubscribe = store.subscribe(() => {
			if (failing()) done();
		});
		void watch.loaded.then(done);
		function done() {
			clearTimeout(timer);
			unsubscribe();
			resolve();
		}
	});
}

export async function openView(client: KubeClient, options: ViewOptions): Promise<number> {
	if (options.once) return snapshot(client, new Store(initialState(client.context, client.namespace, options.target)), options);
	if (!options.started && needsTerminal()) return 2;
	const settings = options.actions;
	const started = options.started ?? startWatching(client, options.target);
	const {store, watch} = started;
	// The first frame is the whole picture: it waits (a little) for the lists, and nothing else asks the API
	// server anything before they are in.
	await firstData(started, FIRST_FRAME_WAIT_MS);
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
	let exitCode = 0;
	const instance = render(
		<WithMetrics store={store}>
			<App
				store={store}
				onQuit={() => instance.unmount()}
				onRetarget={target => {
					store.dispatch({type: 'target', target});
					watch.refresh();
				}}
				onRedraw={() => {
					// Ctrl-L: wipe the (alternate) screen and draw the whole frame again.
					process.stdout.write('\x1b[2J\x1b[H');
					instance.clear();
					store.dispatch({type: 'tick', now: Date.now()});
				}}
				onAction={(command, focus) => actions.handle(command, focus)}
				onCancelAutoAbort={guard ? () => guard.cancel() : undefined}
			/>
		</WithMetrics>,
		// interactive: we checked for a TTY above; Ink would otherwise turn itself off when CI is set.
		{alternateScreen: true, incrementalRendering: true, maxFps: 20, exitOnCtrlC: false, patchConsole: false, interactive: true},
	);
	// The access reviews and who-am-I wait for the first frame.
	setImmediate(() => actions.start());
	const stop = () => instance.unmount();
	process.once('SIGTERM', stop);
	process.once('SIGHUP', stop);
	const crash = (error: unknown) => {
		exitCode = 1;
		instance.unmount();
		process.stderr.write(`rollscope: crashed: ${(error as Error)?.stack ?? String(error)}\n`);
	};
	process.once('uncaughtException', crash);
	process.once('unhandledRejection', crash);
	try {
		await instance.waitUntilExit();
	} finally {
		guard?.stop();
		advancer?.stop();
		verdictPoller?.stop();
		actions.stop();
		poller?.stop();
		watch.stop();
		store.close();
		void client.close();
		process.off('SIGTERM', stop);
		process.off('SIGHUP', stop);
		process.off('uncaughtException', crash);
		process.off('unhandledRejection', crash);
	}
	if (options.farewell) process.stdout.write(options.farewell);
	return exitCode;
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
