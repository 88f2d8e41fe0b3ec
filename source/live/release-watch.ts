// Watches everything a release is made of in one namespace and writes the derived Release
// into the app store. Watches only (no polling); rebuilds are coalesced to one per `batchMs`.
import {buildRelease, findReleases, resolveTarget} from '../kinds/registry.js';
import type {ClusterSnapshot} from '../release/snapshot.js';
import type {Store} from '../store/store.js';
import type {KubeClient} from '../kube/client.js';
import {ListWatch, type WatchState} from '../kube/list-watch.js';

type Source = {
	field: keyof Omit<ClusterSnapshot, 'namespace' | 'now'>;
	groupVersion: string;
	plural: string;
	/** The kind of the objects listed: stamped on each, as a real API server leaves it off list items. */
	kind: string;
	/** Watched only when discovery says the group is served (never guessed when discovery fails). */
	optional?: boolean;
	/** An older version, watched only when the server does not serve this group-version. */
	insteadOf?: string;
};

const sources: Source[] = [
	{field: 'deployments', groupVersion: 'apps/v1', plural: 'deployments', kind: 'Deployment'},
	{field: 'replicaSets', groupVersion: 'apps/v1', plural: 'replicasets', kind: 'ReplicaSet'},
	{field: 'pods', groupVersion: 'v1', plural: 'pods', kind: 'Pod'},
	{field: 'services', groupVersion: 'v1', plural: 'services', kind: 'Service'},
	{field: 'events', groupVersion: 'v1', plural: 'events', kind: 'Event'},
	{field: 'routers', groupVersion: 'networking.istio.io/v1', plural: 'virtualservices', kind: 'VirtualService'},
	{field: 'routers', groupVersion: 'networking.istio.io/v1', plural: 'destinationrules', kind: 'DestinationRule'},
	{field: 'routers', groupVersion: 'gateway.networking.k8s.io/v1', plural: 'httproutes', kind: 'HTTPRoute'},
	{field: 'routers', groupVersion: 'gateway.networking.k8s.io/v1beta1', plural: 'httproutes', kind: 'HTTPRoute', optional: true, insteadOf: 'gateway.networking.k8s.io/v1'},
	{field: 'routers', groupVersion: 'split.smi-spec.io/v1alpha2', plural: 'trafficsplits', kind: 'TrafficSplit'},
	{field: 'routers', groupVersion: 'networking.k8s.io/v1', plural: 'ingresses', kind: 'Ingress'},
	{field: 'routers', groupVersion: 'traefik.io/v1alpha1', plural: 'traefikservices', kind: 'TraefikService'},
	{field: 'rollouts', groupVersion: 'argoproj.io/v1alpha1', plural: 'rollouts', kind: 'Rollout', optional: true},
	{field: 'analysisRuns', groupVersion: 'argoproj.io/v1alpha1', plural: 'analysisruns', kind: 'AnalysisRun', optional: true},
	{field: 'canaries', groupVersion: 'flagger.app/v1beta1', plural: 'canaries', kind: 'Canary', optional: true},
];

const pathOf = (s: Source, namespace: string) => `${s.groupVersion === 'v1' ? '/api/v1' : `/apis/${s.groupVersion}`}/namespaces/${namespace}/${s.plural}`;

export type ReleaseWatch = {stop(): void; snapshot(): ClusterSnapshot; /** Rebuild now, e.g. after the target changed. */ refresh(): void};

/** Start watching `namespace`; the release shown is the store's current `target`. */
export async function watchRelease(client: KubeClient, store: Store, options: {batchMs?: number} = {}): Promise<ReleaseWatch> {
	const namespace = store.getState().namespace;
	const batchMs = options.batchMs ?? 50;
	let served: Set<string> | undefined;
	try {
		served = await client.groupVersions();
	} catch {
		// Discovery failed (unreachable?): watch the built-in kinds; each watch retries on its own.
	}
	const active = sources.filter(s => (served ? served.has(s.groupVersion) && !(s.insteadOf && served.has(s.insteadOf)) : !s.optional));
	const states = new Map<ListWatch, WatchState>();
	let lastLive: number | undefined;
	let timer: NodeJS.Timeout | undefined;

	// One snapshot per state of the watches: the rebuild, the actions and --auto-advance all ask for it, and
	// the release scan is cached per snapshot, so while nothing changed they share one (only `now` moves).
	let current: ClusterSnapshot | undefined;
	const snapshot = (): ClusterSnapshot => {
		if (current) {
			current.now = Date.now();
			return current;
		}
		const snap: ClusterSnapshot = {namespace, deployments: [], replicaSets: [], pods: [], services: [], events: [], routers: [], now: Date.now()};
		for (const w of watches) (snap[w.source.field] ??= []).push(...w.lw.items.values());
		return (current = snap);
	};
	const changed = () => {
		current = undefined;
		schedule();
	};

	const rebuild = () => {
		timer = undefined;
		const snap = snapshot();
		const releases = findReleases(snap);
		const target = store.getState().target;
		if (!target) {
			store.dispatch({type: 'release', release: undefined, releases});
			return;
		}
		const resolved = resolveTarget(snap, target);
		if ('error' in resolved) {
			// Until every watch has listed once, an unknown target may only be not loaded yet.
			const loaded = [...states.values()].every(s => s.state !== 'connecting');
			store.dispatch({type: 'release', release: undefined, releases, problem: loaded ? resolved.error : undefined});
			return;
		}
		store.dispatch({type: 'release', release: buildRelease(snap, resolved.ref), releases});
	};
	const schedule = () => {
		timer ??= setTimeout(rebuild, batchMs);
	};

	const report = () => {
		const all = [...states.values()];
		const failing = all.filter((s): s is Extract<WatchState, {state: 'reconnecting'}> => s.state === 'reconnecting');
		if (failing.length > 0) {
			const first = failing.reduce((a, b) => (a.retryAt <= b.retryAt ? a : b));
			store.dispatch({type: 'connection', connection: {state: 'reconnecting', retryAt: first.retryAt, attempt: first.attempt, error: first.error.message, lastLive}});
		} else if (all.every(s => s.state === 'live')) {
			const current = store.getState().connection;
			if (current.state !== 'live') store.dispatch({type: 'connection', connection: {state: 'live', since: Date.now()}});
			lastLive = Date.now();
		}
		schedule();
	};

	const watches = active.map(source => {
		const lw: ListWatch = new ListWatch(client, pathOf(source, namespace), {
			kind: source.kind,
			apiVersion: source.groupVersion,
			onChange: changed,
			onState: state => {
				states.set(lw, state);
				if (state.state === 'live') lastLive = Date.now();
				report();
			},
		});
		return {source, lw};
	});
	for (const w of watches) w.lw.start();
	// While live, nothing on screen needs the clock but ages: rebuild every 5 s for those.
	// Otherwise tick every second so reconnect countdowns move.
	let ticks = 0;
	const tick = setInterval(() => {
		ticks++;
		if (store.getState().connection.state === 'live') {
			lastLive = Date.now();
			if (ticks % 5 === 0) schedule();
		} else {
			store.dispatch({type: 'tick', now: Date.now()});
		}
	}, 1000);

	return {
		snapshot,
		refresh: schedule,
		stop() {
			clearInterval(tick);
			clearTimeout(timer);
			for (const w of watches) w.lw.stop();
		},
	};
}
