// Watches everything a release is made of in one namespace and writes the derived Release into the app
// store, with the connection as measured (a health probe beside the watches). Watches only, no polling of
// objects; rebuilds are coalesced to one per `batchMs`.
import {buildRelease, findReleases, releaseKinds, resolveTarget} from '../kinds/registry.js';
import type {ClusterSnapshot, SnapshotField} from '../release/snapshot.js';
import type {WatchedResource} from '../traffic/router.js';
import {routerWatches} from '../traffic/routers.js';
import type {Store} from '../store/store.js';
import type {KubeClient} from '../kube/client.js';
import {defaultBackoff, ListWatch, type WatchState} from '../kube/list-watch.js';
import {toKubeError} from '../kube/errors.js';
import {startHealthProbe, type Health} from '../kube/health.js';
import {connectionOf, type ConnectionInputs} from './connection.js';

export type Source = WatchedResource & {
	field: SnapshotField;
	/** A kind's controller's resource (watched, as every source, only when discovery says its group is served). */
	optional?: boolean;
};

/** The built-in kinds every release is made of, the routers' resources and those of the kinds' controllers. */
export const sources: Source[] = [
	{field: 'deployments', kind: 'Deployment', resource: 'deployments', groupVersions: ['apps/v1']},
	{field: 'replicaSets', kind: 'ReplicaSet', resource: 'replicasets', groupVersions: ['apps/v1']},
	{field: 'pods', kind: 'Pod', resource: 'pods', groupVersions: ['v1']},
	{field: 'services', kind: 'Service', resource: 'services', groupVersions: ['v1']},
	{field: 'events', kind: 'Event', resource: 'events', groupVersions: ['v1']},
	...routerWatches.map(w => ({...w, field: 'routers' as const})),
	...releaseKinds.flatMap(k => (k.watches ?? []).map(w => ({...w, optional: true}))),
];

/** The group-version to watch a source in: the first the server serves. */
export function versionOf(source: Source, served: Set<string>): string | undefined {
	return source.groupVersions.find(gv => served.has(gv));
}

const pathOf = (groupVersion: string, resource: string, namespace: string) => `${groupVersion === 'v1' ? '/api/v1' : `/apis/${groupVersion}`}/namespaces/${namespace}/${resource}`;

export type ReleaseWatch = {stop(): void; snapshot(): ClusterSnapshot; /** Rebuild now, e.g. after the target changed. */ refresh(): void};

export type ReleaseWatchOptions = {batchMs?: number};

const DISCOVERY_TIMEOUT_MS = 10_000;

/**
 * Start watching `namespace`; the release shown is the store's current `target`. Returns at once: discovery,
 * the watches and the health probe report into the store's `connection` as they go.
 */
export function watchRelease(client: KubeClient, store: Store, options: ReleaseWatchOptions = {}): ReleaseWatch {
	const namespace = store.getState().namespace;
	const batchMs = options.batchMs ?? 50;
	const states = new Map<ListWatch, WatchState>();
	let watches: {source: Source; lw: ListWatch}[] = [];
	let health: Health | undefined;
	let discovery: ConnectionInputs['discovery'];
	let discoveryTimer: NodeJS.Timeout | undefined;
	let lastLive: number | undefined;
	let timer: NodeJS.Timeout | undefined;
	let stopped = false;

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
			const loaded = watches.length > 0 && watches.every(w => w.lw.listed);
			store.dispatch({type: 'release', release: undefined, releases, problem: loaded ? resolved.error : undefined});
			return;
		}
		store.dispatch({type: 'release', release: buildRelease(snap, resolved.ref), releases});
	};
	const schedule = () => {
		if (!stopped) timer ??= setTimeout(rebuild, batchMs);
	};

	const report = () => {
		if (stopped) return;
		const now = Date.now();
		const previous = store.getState().connection;
		const connection = connectionOf({now, previous, health, discovery, watches: watches.map(w => states.get(w.lw) ?? {state: 'connecting'}), lastLive});
		// Fresh as of the API server's last answer: after that, it may have frozen with the watches open.
		if (connection.state === 'live') lastLive = health?.answering ? health.at : now;
		if (connection !== previous) store.dispatch({type: 'connection', connection});
		schedule();
	};

	const startWatches = (served: Set<string>) => {
		const active = sources.flatMap(source => {
			const groupVersion = versionOf(source, served);
			return groupVersion ? [{source, groupVersion}] : [];
		});
		watches = active.map(({source, groupVersion}) => {
			const lw: ListWatch = new ListWatch(client, pathOf(groupVersion, source.resource, namespace), {
				kind: source.kind,
				apiVersion: groupVersion,
				resource: source.resource,
				onChange: changed,
				onState: state => {
					states.set(lw, state);
					report();
				},
			});
			return {source, lw};
		});
		for (const w of watches) w.lw.start();
	};

	const discover = async (attempt: number) => {
		clearTimeout(discoveryTimer);
		try {
			const served = await client.groupVersions(DISCOVERY_TIMEOUT_MS);
			if (stopped || watches.length > 0) return;
			discovery = undefined;
			startWatches(served);
		} catch (error) {
			if (stopped || watches.length > 0) return;
			const wait = defaultBackoff(attempt);
			const e = toKubeError(error);
			discovery = {error: e.message, unreachable: e.unreachable, retryAt: Date.now() + wait, attempt};
			discoveryTimer = setTimeout(() => void discover(attempt + 1), wait);
		}
		report();
	};

	const probe = startHealthProbe(
		client,
		next => {
			const was = health;
			health = next;
			// No answer: the connections may be dead without knowing it; requests from now on open new ones.
			if (!next.answering && (!was || was.answering)) client.renewConnections();
			if (next.answering && was && !was.answering) {
				// Back after a silence: whatever the watches hold may be old, or from before a restore. List it all again.
				if (watches.length === 0) void discover(1);
				for (const w of watches) w.lw.relist('the API server answers again');
			}
			report();
		},
	);
	void discover(1);

	// Every second: a watch quiet for longer than the server's bookmarks allow lists again; while live, nothing on
	// screen needs the clock but ages (rebuild every 5 s for those); otherwise tick so countdowns move.
	let ticks = 0;
	const tick = setInterval(() => {
		ticks++;
		for (const w of watches) w.lw.checkQuiet();
		if (store.getState().connection.state === 'live') {
			if (ticks % 5 === 0) schedule();
		} else {
			store.dispatch({type: 'tick', now: Date.now()});
		}
	}, 1000);

	return {
		snapshot,
		refresh: schedule,
		stop() {
			stopped = true;
			clearInterval(tick);
			clearTimeout(timer);
			clearTimeout(discoveryTimer);
			probe.stop();
			for (const w of watches) w.lw.stop();
		},
	};
}
