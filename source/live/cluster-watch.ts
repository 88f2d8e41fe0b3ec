// Watches what releases are made of in every namespace (`rollscope -A`): the release watch's sources listed
// cluster-wide (`/apis/apps/v1/deployments`…) but events, with the same list-watch, health probe and
// staleness. Objects are grouped per namespace into snapshots, and only a namespace whose objects changed
// is asked again for its releases; the rows go into the cluster store, coalesced to one rebuild per `batchMs`.
import type {KubeClient} from '../kube/client.js';
import {toKubeError} from '../kube/errors.js';
import {startHealthProbe, type Health} from '../kube/health.js';
import {defaultBackoff, ListWatch, type WatchState} from '../kube/list-watch.js';
import type {KObject} from '../kube/object.js';
import {namespaceRows, type BuiltRow} from '../kinds/rows.js';
import {orderRows} from '../release/attention.js';
import type {Release} from '../release/model.js';
import type {ClusterSnapshot, SnapshotField} from '../release/snapshot.js';
import type {ClusterStore} from '../store/cluster-store.js';
import {connectionOf, refusedRead, resourceName, type ConnectionInputs} from './connection.js';
import {sources as releaseSources, versionOf, type Source} from './release-watch.js';

/** What a namespace's releases are made of. Events are left out: the list shows none, and a cluster has many. */
const sources: Source[] = releaseSources.filter(s => s.field !== 'events');

const clusterPath = (groupVersion: string, resource: string) => `${groupVersion === 'v1' ? '/api/v1' : `/apis/${groupVersion}`}/${resource}`;

type Lists = Partial<Record<SnapshotField, KObject[]>>;

/** Same objects in the same order, field by field (a changed object is a new object in the list-watch). */
function sameLists(a: Lists, b: Lists): boolean {
	const fields = new Set([...Object.keys(a), ...Object.keys(b)] as SnapshotField[]);
	for (const field of fields) {
		const x = a[field] ?? [];
		const y = b[field] ?? [];
		if (x.length !== y.length) return false;
		for (let i = 0; i < x.length; i++) if (x[i] !== y[i]) return false;
	}
	return true;
}

export function snapshotOfLists(namespace: string, lists: Lists, now: number): ClusterSnapshot {
	return {namespace, deployments: [], replicaSets: [], pods: [], services: [], events: [], routers: [], ...lists, now};
}

/**
 * Rows of every namespace, made again only for namespaces whose objects changed: `rebuild(groups)` takes the
 * objects grouped per namespace and answers every row (in attention order) and how many namespaces were built.
 */
export function namespaceCache(build: (snap: ClusterSnapshot) => BuiltRow[] = namespaceRows) {
	const cache = new Map<string, {lists: Lists; built: BuiltRow[]}>();
	return {
		/** `changed`: a namespace was built again or is gone. */
		rebuild(groups: Map<string, Lists>, now = Date.now()): {built: BuiltRow[]; rebuilt: number; changed: boolean; namespaces: number} {
			let rebuilt = 0;
			let gone = 0;
			for (const namespace of cache.keys()) {
				if (groups.has(namespace)) continue;
				cache.delete(namespace);
				gone++;
			}
			for (const [namespace, lists] of groups) {
				const cached = cache.get(namespace);
				if (cached && sameLists(cached.lists, lists)) continue;
				cache.set(namespace, {lists, built: build(snapshotOfLists(namespace, lists, now))});
				rebuilt++;
			}
			const built = [...cache.values()].flatMap(c => c.built);
			const namespaces = [...cache.values()].filter(c => c.built.length > 0).length;
			const order = new Map(orderRows(built.map(b => b.row)).map((row, i) => [row, i]));
			built.sort((a, b) => order.get(a.row)! - order.get(b.row)!);
			return {built, rebuilt, changed: rebuilt + gone > 0, namespaces};
		},
	};
}

export type ClusterWatch = {
	stop(): void;
	/** The Release behind a row key, as last built. */
	release(key: string): Release | undefined;
	/** Every release, most in need of a person first. */
	releases(): Release[];
	/** Rebuild now. */
	refresh(): void;
};

export type ClusterWatchOptions = {batchMs?: number};

const DISCOVERY_TIMEOUT_MS = 10_000;

/** How long the first rows wait for every watch's first list (after that, they show what has come). */
const FIRST_LISTS_MS = 5000;

/** Start watching every namespace. Returns at once: discovery, the watches and the health probe report into the store's `connection`. */
export function watchCluster(client: KubeClient, store: ClusterStore, options: ClusterWatchOptions = {}): ClusterWatch {
	const batchMs = options.batchMs ?? 200;
	const states = new Map<ListWatch, WatchState>();
	const cache = namespaceCache();
	let watches: {source: Source; lw: ListWatch; name: string}[] = [];
	let built: BuiltRow[] = [];
	let byKey = new Map<string, Release>();
	let health: Health | undefined;
	let discovery: ConnectionInputs['discovery'];
	let discoveryTimer: NodeJS.Timeout | undefined;
	let lastLive: number | undefined;
	let timer: NodeJS.Timeout | undefined;
	let stopped = false;

	const started = Date.now();
	const rebuild = () => {
		timer = undefined;
		// While the first lists come in, one after another, wait for all of them (a while at most) rather than build every namespace once per list.
		const loaded = watches.length > 0 && watches.every(w => w.lw.listed || refusedRead(w.source.field, states.get(w.lw)));
		if (!loaded && Date.now() - started < FIRST_LISTS_MS) {
			if (!stopped) timer = setTimeout(rebuild, Math.max(batchMs, 50));
			return;
		}
		const groups = new Map<string, Lists>();
		for (const {source, lw} of watches) {
			for (const o of lw.items.values()) {
				const namespace = o.metadata?.namespace;
				if (!namespace) continue;
				let lists = groups.get(namespace);
				if (!lists) groups.set(namespace, (lists = {}));
				(lists[source.field] ??= []).push(o);
			}
		}
		const result = cache.rebuild(groups);
		if (!result.changed && loaded === store.getState().loaded) return;
		built = result.built;
		byKey = new Map(built.map(b => [b.row.key, b.release]));
		store.dispatch({type: 'rows', rows: built.map(b => b.row), namespaces: result.namespaces, loaded});
	};
	const schedule = () => {
		if (!stopped) timer ??= setTimeout(rebuild, batchMs);
	};

	const report = () => {
		if (stopped) return;
		const now = Date.now();
		const previous = store.getState().connection;
		const refused = watches.filter(w => refusedRead(w.source.field, states.get(w.lw)));
		const unreadable = [...new Set(refused.map(w => w.name))].sort();
		const counted = watches.filter(w => !refused.includes(w)).map((w): WatchState => states.get(w.lw) ?? {state: 'connecting'});
		const connection = connectionOf({now, previous, health, discovery, watches: counted, lastLive, unreadable});
		if (connection.state === 'live') lastLive = health?.answering ? health.at : now;
		if (connection !== previous) store.dispatch({type: 'connection', connection});
		schedule();
	};

	const startWatches = (served: Set<string>) => {
		watches = sources.flatMap(source => {
			const groupVersion = versionOf(source, served);
			if (!groupVersion) return [];
			const lw: ListWatch = new ListWatch(client, clusterPath(groupVersion, source.resource), {
				kind: source.kind,
				apiVersion: groupVersion,
				resource: source.resource,
				onChange: schedule,
				onState: state => {
					states.set(lw, state);
					report();
				},
			});
			return [{source, lw, name: resourceName(source.resource, groupVersion)}];
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

	const probe = startHealthProbe(client, next => {
		const was = health;
		health = next;
		if (!next.answering && (!was || was.answering)) client.renewConnections();
		if (next.answering && was && !was.answering) {
			if (watches.length === 0) void discover(1);
			for (const w of watches) w.lw.relist('the API server answers again');
		}
		report();
	});
	void discover(1);

	// A watch quiet for longer than the server's bookmarks allow lists again; while not live, tick so countdowns move.
	const tick = setInterval(() => {
		for (const w of watches) w.lw.checkQuiet();
		if (store.getState().connection.state !== 'live') store.dispatch({type: 'tick', now: Date.now()});
	}, 1000);

	return {
		release: key => byKey.get(key),
		releases: () => built.map(b => b.release),
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
