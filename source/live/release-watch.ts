// Watches everything a release is made of in one namespace and writes the derived Release
// into the app store. Watches only (no polling); rebuilds are coalesced to one per `batchMs`.
import {buildRelease, findReleases, releaseKinds, resolveTarget} from '../kinds/registry.js';
import type {ClusterSnapshot, SnapshotField} from '../release/snapshot.js';
import type {WatchedResource} from '../traffic/router.js';
import {routerWatches} from '../traffic/routers.js';
import type {Store} from '../store/store.js';
import type {KubeClient} from '../kube/client.js';
import {ListWatch, type WatchState} from '../kube/list-watch.js';

type Source = WatchedResource & {
	field: SnapshotField;
	/** Watched only when discovery says the group is served (never guessed when discovery fails). */
	optional?: boolean;
};

/** The built-in kinds every release is made of, the routers' resources and those of the kinds' controllers. */
const sources: Source[] = [
	{field: 'deployments', kind: 'Deployment', resource: 'deployments', groupVersions: ['apps/v1']},
	{field: 'replicaSets', kind: 'ReplicaSet', resource: 'replicasets', groupVersions: ['apps/v1']},
	{field: 'pods', kind: 'Pod', resource: 'pods', groupVersions: ['v1']},
	{field: 'services', kind: 'Service', resource: 'services', groupVersions: ['v1']},
	{field: 'events', kind: 'Event', resource: 'events', groupVersions: ['v1']},
	...routerWatches.map(w => ({...w, field: 'routers' as const})),
	...releaseKinds.flatMap(k => (k.watches ?? []).map(w => ({...w, optional: true}))),
];

/** The group-version to watch a source in: the first the server serves; without discovery, the first unless optional. */
function versionOf(source: Source, served: Set<string> | undefined): string | undefined {
	if (!served) return source.optional ? undefined : source.groupVersions[0];
	return source.groupVersions.find(gv => served.has(gv));
}

const pathOf = (groupVersion: string, resource: string, namespace: string) => `${groupVersion === 'v1' ? '/api/v1' : `/apis/${groupVersion}`}/namespaces/${namespace}/${resource}`;

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
	const active = sources.flatMap(source => {
		const groupVersion = versionOf(source, served);
		return groupVersion ? [{source, groupVersion}] : [];
	});
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

	const watches = active.map(({source, groupVersion}) => {
		const lw: ListWatch = new ListWatch(client, pathOf(groupVersion, source.resource, namespace), {
			kind: source.kind,
			apiVersion: groupVersion,
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
