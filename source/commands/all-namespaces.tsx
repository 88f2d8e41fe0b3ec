// `rollscope -A` (and `rollscope demo -A`): the releases of every namespace, those that need a person first;
// enter opens one in the normal live view of its namespace, esc comes back to the list. With --once, the
// list as a table (or JSON) once every watch has listed.
import {useState} from 'react';
import type {KubeClient} from '../kube/client.js';
import {startClusterVerdicts} from '../live/cluster-verdicts.js';
import type {WindowSource} from '../verdict/window-source.js';
import {watchCluster, type ClusterWatch} from '../live/cluster-watch.js';
import type {ReleaseRow} from '../release/attention.js';
import {initialClusterState, type ClusterState} from '../store/cluster-state.js';
import {ClusterStore} from '../store/cluster-store.js';
import {Store} from '../store/store.js';
import {clusterAsText} from '../text/cluster-text.js';
import {AllReleases} from '../ui/AllReleases.js';
import type {ViewState} from '../ui/view-state.js';
import {startWatching} from './start-watching.js';
import {LiveApp, runFullScreen, startLiveView, type FullScreen, type LiveView, type ViewOptions} from './open-view.js';

export type AllNamespacesOptions = Omit<ViewOptions, 'target'>;

/** The least time between two rounds of verdicts from a Prometheus: three queries per canary release each round. */
const PROMETHEUS_ROUND_MS = 15_000;

/** Where the list's verdicts come from: the view's windows (a Prometheus, the user's or the demo's, else the demo's own series), a Prometheus asked less often; none without metrics. */
function windowSource(options: AllNamespacesOptions): {source: WindowSource; intervalMs: number} | undefined {
	const {metrics, verdict} = options;
	if (!metrics || !verdict) return undefined;
	// A source with no tag is where the SLIs come from too: a Prometheus.
	const fromPrometheus = metrics.windows.tag === undefined;
	return {source: metrics.windows, intervalMs: fromPrometheus ? Math.max(PROMETHEUS_ROUND_MS, verdict.intervalMs) : verdict.intervalMs};
}

export async function runAllNamespaces(client: KubeClient, options: AllNamespacesOptions): Promise<number> {
	if (options.once) return snapshotAll(client, options);
	if (!process.stdout.isTTY || !process.stdin.isTTY) {
		process.stderr.write('rollscope: the live view needs a terminal (no TTY here). Use --once -A for a text snapshot, or --once -A -o json.\n');
		return 2;
	}
	const judged = windowSource(options);
	// Who you are is asked at once: a release opened from the list may be acted on at its first frame.
	if (!options.actions.readOnly) void client.whoami();
	const cluster = new ClusterStore(initialClusterState(client.context, judged ? undefined : 'verdicts need --prometheus'));
	const watch = watchCluster(client, cluster);
	const verdicts = judged ? startClusterVerdicts({store: cluster, releases: watch.releases, source: judged.source, windowSeconds: options.verdict!.windowSeconds, intervalMs: judged.intervalMs, judge: options.verdict?.judge}) : undefined;
	// The release open now, if any: its store and runners, stopped when esc goes back or the view ends.
	let opened: {store: Store; live: LiveView} | undefined;
	const open = (row: ReleaseRow) => {
		const started = startWatching(client, row.target, row.namespace);
		return (opened = {store: started.store, live: startLiveView(client, started, options)});
	};
	const close = () => {
		const closing = opened;
		opened = undefined;
		void closing?.live.stop().then(() => closing.store.close());
	};
	const {code, quiet} = await runFullScreen(
		screen => <Root cluster={cluster} watch={watch} screen={screen} open={open} close={close} />,
		() => {
			close();
			verdicts?.stop();
			watch.stop();
			cluster.close();
			void client.close();
		},
	);
	if (!quiet && options.farewell) process.stdout.write(options.farewell);
	return code;
}

type RootProps = {
	cluster: ClusterStore;
	watch: ClusterWatch;
	screen: FullScreen;
	open: (row: ReleaseRow) => {store: Store; live: LiveView};
	close: () => void;
};

/** The list, or the release opened from it. */
function Root({cluster, watch, screen, open, close}: RootProps) {
	const [opened, setOpened] = useState<{store: Store; live: LiveView}>();
	// The list's cursor and filter, kept while a release is open.
	const [memory] = useState<{view?: ViewState}>({});
	if (opened) {
		const back = () => {
			close();
			setOpened(undefined);
			watch.refresh();
		};
		return <LiveApp store={opened.store} live={opened.live} screen={screen} onBack={back} />;
	}
	return <AllReleases store={cluster} onQuit={screen.quit} onOpen={row => setOpened(open(row))} onRedraw={screen.redraw} onSuspend={screen.suspend} memory={memory} />;
}

/** Wait until every watch has listed (or failed for a while), then print the list once. */
async function snapshotAll(client: KubeClient, options: AllNamespacesOptions): Promise<number> {
	const store = new ClusterStore(initialClusterState(client.context), 0);
	const watch = watchCluster(client, store, {batchMs: 0});
	const state = await new Promise<ClusterState>(resolve => {
		const deadline = setTimeout(() => resolve(store.getState()), 15_000);
		store.subscribe(() => {
			const s = store.getState();
			if (s.connection.state === 'live' && s.loaded) {
				clearTimeout(deadline);
				resolve(s);
			}
		});
	});
	watch.stop();
	store.close();
	void client.close();
	if (state.connection.state !== 'live' || !state.loaded) {
		const c = state.connection;
		const why = c.state === 'connecting' ? (c.problem ?? 'no complete answer in 15s') : c.state === 'stale' ? c.why : 'no complete answer in 15s';
		process.stderr.write(`rollscope: ${why} (the Kubernetes API at ${client.server})\n`);
		return 1;
	}
	process.stdout.write(options.output === 'json' ? JSON.stringify({context: state.context, releases: state.rows}, null, 2) + '\n' : clusterAsText(state.rows));
	return 0;
}
