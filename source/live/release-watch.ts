// Watches everything a release is made of in one namespace and writes the derived Release into the app
// store, with the connection as measured (a health probe beside the watches). Watches only, no polling of
// objects. The built-in kinds are listed at once, the routers' and the kinds' controllers' resources once
// discovery says they are served. Objects are kept as the model reads them (release/lean.ts), Events only
// the namespace's newest. With a target, the pods watched are the release's own (by its selectors) once the
// release is known (guessed from the Deployments while the routers still list), the namespace's otherwise.
// A change is rebuilt 15 ms after a quiet spell (with those it set off), then at most once per `batchMs`
// (less often while rebuilds are costly, up to once a second); nothing is built before everything but the
// Events has listed, and the first build comes as soon as it has and is watched (a live view lists the Events
// only then: eventsAfterFirstBuild).
import {buildRelease, findReleases, releaseKinds, releasePodSelectors, resolveTarget} from '../kinds/registry.js';
import {eventAt} from '../release/events.js';
import {leanProjection} from '../release/lean.js';
import type {Release} from '../release/model.js';
import {ageChangesIn} from '../text/format.js';
import type {ClusterSnapshot, SnapshotField} from '../release/snapshot.js';
import type {KObject} from '../kube/object.js';
import type {WatchedResource} from '../traffic/router.js';
import {routerWatches} from '../traffic/routers.js';
import type {Store} from '../store/store.js';
import type {KubeClient} from '../kube/client.js';
import {defaultBackoff, ListWatch, type WatchState} from '../kube/list-watch.js';
import {toKubeError} from '../kube/errors.js';
import {startHealthProbe, type Health, type HealthProbe} from '../kube/health.js';
import {connectionOf, refusedRead, resourceName, type ConnectionInputs} from './connection.js';

export type Source = WatchedResource & {field: SnapshotField};

const eventsSource: Source = {field: 'events', kind: 'Event', resource: 'events', groupVersions: ['v1']};
/** Served by every API server: listed at once, without waiting for discovery. */
const builtins: Source[] = [
	{field: 'deployments', kind: 'Deployment', resource: 'deployments', groupVersions: ['apps/v1']},
	{field: 'replicaSets', kind: 'ReplicaSet', resource: 'replicasets', groupVersions: ['apps/v1']},
	{field: 'services', kind: 'Service', resource: 'services', groupVersions: ['v1']},
	eventsSource,
];
const podSource: Source = {field: 'pods', kind: 'Pod', resource: 'pods', groupVersions: ['v1']};
/** The routers' resources and those of the kinds' controllers, watched when discovery says they are served. */
const discoveredSources: Source[] = [...routerWatches.map(w => ({...w, field: 'routers' as const})), ...releaseKinds.flatMap(k => k.watches ?? [])];
/** Every resource a release is read from (what the list of every namespace watches too). */
export const sources: readonly Source[] = [...builtins, podSource, ...discoveredSources];

/** Fields that are not what detection reads: the release a target names is known before they have listed. */
const notDetection: ReadonlySet<SnapshotField> = new Set(['replicaSets', 'pods', 'events']);

/** How many Events are kept: the namespace's newest. */
export const MAX_WATCHED_EVENTS = 2000;

/** How long the first change after a quiet spell waits for those it sets off. */
const SETTLE_MS = 15;

/** Rebuilds are at least this many times their cost apart. */
const COST_SPACING = 3;

/**
 * Under a stream of changes (the third rebuild in a row, each within STREAM_MS of the one before), rebuilds are
 * this many times their cost apart instead: a rebuild and the frame it makes (which costs about as much again)
 * then take under a tenth of a core. A rollout of every one of 5,000 pods costs about 35 ms a rebuild, so the
 * view redraws about once a second while it runs, as k9s does every 2 s; a release of a few hundred pods still
 * redraws every `batchMs`. Took a 5,000-pod rollout from 24 % of a core to 14 %. A change after a quiet spell
 * (a scale) is not held back by it: its Deployment, ReplicaSet and new pod are two rebuilds.
 */
const STREAM_COST_SPACING = 25;

/** The longest a change waits behind the rebuild before it, however costly that was. */
const MAX_GAP_MS = 1000;

/** Rebuilds closer than this to the one before are a stream of changes. */
const STREAM_MS = 2 * MAX_GAP_MS;

/** The health probe starts once everything has listed, or after this long: it is one more connection while the lists come. */
const PROBE_DELAY_MS = 2000;

/** Seconds until an age the view shows (a pod's, a revision's) reads differently. */
function nextAgeChange(release: Release): number {
	let soonest = Infinity;
	for (const pod of release.pods) soonest = Math.min(soonest, ageChangesIn(pod.ageSeconds));
	for (const revision of release.revisions) soonest = Math.min(soonest, ageChangesIn(revision.ageSeconds));
	return soonest;
}

/** The group-version to watch a source in: the first the server serves. */
export function versionOf(source: Source, served: Set<string>): string | undefined {
	return source.groupVersions.find(gv => served.has(gv));
}

const pathOf = (groupVersion: string, resource: string, namespace: string) => `${groupVersion === 'v1' ? '/api/v1' : `/apis/${groupVersion}`}/namespaces/${namespace}/${resource}`;

export type ReleaseWatch = {
	stop(): void;
	snapshot(): ClusterSnapshot;
	/** Rebuild now, outside the spacing: after the target changed, or when an action's outcome is to be shown. */
	refresh(): void;
	/** Settles once everything but the Events has listed and the first release (or the problem, or the picker's list) is in the store. */
	loaded: Promise<void>;
};

export type ReleaseWatchOptions = {
	batchMs?: number;
	/** Events kept (default MAX_WATCHED_EVENTS). */
	maxEvents?: number;
	/**
	 * The Events listed once the first release is built, not beside the lists it is built from: a live view's
	 * first frame does not wait for them (they fill in after it), and their pages would share the API server
	 * and this thread with the pods' on the way to it (about 15 ms of the first frame at 1,000 pods, and 0.4 s
	 * at 5,000 pods with 20,000 Events). By default they are listed at once, as --once and the gate print them.
	 */
	eventsAfterFirstBuild?: boolean;
};

const DISCOVERY_TIMEOUT_MS = 10_000;

type Watch = {
	source: Source;
	lw: ListWatch;
	/** The resource as kubectl names it: `virtualservices.networking.istio.io`, `events`. */
	name: string;
	/** A pods watch's label selector ('' for the whole namespace). */
	selector?: string;
	/** A pods watch the scope no longer wants, kept until its successors have listed. */
	retiring?: boolean;
	/**
	 * A watch started once the view was live (a new scope's pods, the Events after the first build): until it
	 * first watches, listing and opening its watch, it does not make the view stale.
	 */
	quiet?: boolean;
	/** Whether it has watched (been live) once. */
	watched?: boolean;
};

/** The pods to watch: the whole namespace's (['']) or those of the release's selectors. */
type PodScope = string[];
const NAMESPACE_PODS: PodScope = [''];

/**
 * Start watching `namespace`; the release shown is the store's current `target`. Returns at once: the lists,
 * discovery and the health probe report into the store's `connection` as they go.
 */
export function watchRelease(client: KubeClient, store: Store, options: ReleaseWatchOptions = {}): ReleaseWatch {
	const namespace = store.getState().namespace;
	// At 10 builds a second a rollout of thousands of pods moves smoothly on screen without a build per event,
	// and the pod a `kubectl scale` adds shows about 0.1 s sooner than at 5 (npm run bench -- side-by-side).
	const batchMs = options.batchMs ?? 100;
	const states = new Map<ListWatch, WatchState>();
	const watches: Watch[] = [];
	let health: Health | undefined;
	let probe: HealthProbe | undefined;
	let discovered = false;
	let discovery: ConnectionInputs['discovery'];
	let discoveryTimer: NodeJS.Timeout | undefined;
	let lastLive: number | undefined;
	let timer: NodeJS.Timeout | undefined;
	let lastRebuildAt = -Infinity;
	let lastCost = 0;
	/** Rebuilds in a row, each within STREAM_MS of the one before, after the first. */
	let streak = 0;
	/** When an age on screen next reads differently: until then the clock alone needs no rebuild. */
	let agesChangeAt = Infinity;
	/** Everything but the Events has listed once: from then on every change is built. */
	let loaded = false;
	let markLoaded = () => {};
	const loadedOnce = new Promise<void>(resolve => (markLoaded = resolve));
	let stopped = false;

	// One snapshot per state of the watches: the rebuild, the actions and --auto-advance all ask for it, and the
	// release scan is cached per snapshot. The list of each kind is kept until a watch of it changes, so the
	// parts of the scan worked out of the lists that did not change are kept too (release/scan.ts).
	const lists = new Map<SnapshotField, KObject[]>();
	let current: ClusterSnapshot | undefined;
	const listOf = (field: SnapshotField): KObject[] => {
		let list = lists.get(field);
		if (list) return list;
		const of = watches.filter(w => w.source.field === field).sort((a, b) => Number(a.retiring ?? false) - Number(b.retiring ?? false));
		if (of.length === 1) list = [...of[0]!.lw.items.values()];
		else {
			// Pods from several watches (selectors that overlap, a scope being replaced): each once. Objects of
			// different resources share a field (a VirtualService and a DestinationRule both named reviews): both kept.
			const seen = new Map<string, KObject>();
			for (const w of of) {
				for (const [id, o] of w.lw.items) {
					const key = `${w.source.resource}\u0000${id}`;
					if (!seen.has(key)) seen.set(key, o);
				}
			}
			list = [...seen.values()];
		}
		lists.set(field, list);
		return list;
	};
	const snapshot = (): ClusterSnapshot => {
		if (current) {
			current.now = Date.now();
			return current;
		}
		const snap: ClusterSnapshot = {namespace, deployments: listOf('deployments'), replicaSets: listOf('replicaSets'), pods: listOf('pods'), services: listOf('services'), events: listOf('events'), routers: listOf('routers'), now: Date.now()};
		for (const w of watches) if (!(w.source.field in snap)) snap[w.source.field] = listOf(w.source.field);
		return (current = snap);
	};
	/** Before the first build: whether what decides the pods to watch (discovery, the lists detection reads) changed since it was last decided. */
	let scopeStale = true;
	const changed = (field: SnapshotField) => {
		lists.delete(field);
		current = undefined;
		if (!notDetection.has(field)) scopeStale = true;
		schedule();
	};

	const startWatch = (source: Source, groupVersion: string, extra: Pick<Watch, 'selector' | 'quiet'> = {}): Watch => {
		const lw: ListWatch = new ListWatch(client, pathOf(groupVersion, source.resource, namespace), {
			kind: source.kind,
			apiVersion: groupVersion,
			resource: source.resource,
			...(extra.selector ? {labelSelector: extra.selector} : {}),
			project: leanProjection(source.kind),
			// The Events fill in after the first frame: their pages are not asked for ahead.
			...(source.field === 'events' ? {bound: {max: options.maxEvents ?? MAX_WATCHED_EVENTS, rank: eventAt}, pageAhead: false} : {}),
			onChange: () => changed(source.field),
			onState: state => {
				states.set(lw, state);
				if (state.state === 'live') watch.watched = true;
				report();
			},
		});
		const watch: Watch = {source, lw, name: resourceName(source.resource, groupVersion), ...extra};
		watches.push(watch);
		lw.start();
		return watch;
	};

	const podWatches = () => watches.filter(w => w.source === podSource);

	/** Watch the pods of `scope`; those of the scope before stay until the new ones have listed. */
	const applyScope = (scope: PodScope) => {
		const pods = podWatches();
		const active = pods.filter(w => !w.retiring);
		if (active.length === scope.length && active.every(w => scope.includes(w.selector!))) return;
		for (const w of pods) w.retiring = !scope.includes(w.selector!);
		for (const selector of scope) if (!pods.some(w => w.selector === selector)) startWatch(podSource, 'v1', {selector, quiet: loaded});
		lists.delete('pods');
		current = undefined;
		retire();
	};
	const retire = () => {
		const pods = podWatches();
		if (!pods.some(w => w.retiring) || !pods.every(w => w.retiring || w.lw.listed)) return;
		for (const w of pods.filter(p => p.retiring)) {
			w.lw.stop();
			states.delete(w.lw);
			watches.splice(watches.indexOf(w), 1);
		}
		lists.delete('pods');
		current = undefined;
		schedule();
	};

	/** Whether what detection reads has listed (discovery included): the release a target names is known. */
	const detectionListed = () => discovered && watches.every(w => notDetection.has(w.source.field) || w.lw.listed);

	/** Whether the built-in kinds detection reads (Deployments, Services) have listed: a guess of the release can be made. */
	const builtinsListed = () => watches.every(w => notDetection.has(w.source.field) || !builtins.includes(w.source) || w.lw.listed || refused(w));

	/**
	 * The pods the target's release is made of, once it is known; the namespace's without a target or while it is
	 * not found. While the routers' and controllers' resources still list, a target the Deployments already
	 * resolve has its pods listed at once, on that guess: the pods are the biggest list and the last on the way
	 * to the first frame. Once detection has everything the scope is decided again, and a guess it does not
	 * keep is replaced as any scope is (its pods stay until the new ones have listed).
	 */
	const decideScope = (snap: ClusterSnapshot) => {
		const target = store.getState().target;
		if (!target) return applyScope(NAMESPACE_PODS);
		const resolved = () => {
			const found = resolveTarget(snap, target);
			return 'ref' in found ? releasePodSelectors(snap, found.ref) : undefined;
		};
		if (detectionListed()) return applyScope(resolved() || NAMESPACE_PODS);
		if (podWatches().length > 0 || !builtinsListed()) return;
		const guess = resolved();
		if (guess) applyScope(guess);
	};

	/** What the first build waits for: everything but the Events (a busy namespace's take many pages; they fill in after). */
	const firstListsIn = () => discovered && podWatches().length > 0 && watches.every(w => w.source.field === 'events' || w.lw.listed || refused(w));

	/** Every watch the first build waits for has opened (the view is live as it is drawn). */
	const firstWatchesOpen = () => watches.every(w => w.source.field === 'events' || w.retiring || states.get(w.lw)?.state === 'live' || refused(w));

	/** Refused to this user, and not needed (refusedRead). It keeps trying, in case the right is granted. */
	const refused = (w: Watch) => refusedRead(w.source.field, states.get(w.lw));

	const rebuild = () => {
		timer = undefined;
		if (stopped) return;
		const began = performance.now();
		let first = false;
		decideScope(snapshot());
		retire();
		if (!loaded) {
			if (!firstListsIn()) return;
			loaded = true;
			first = true;
			startProbe();
		}
		const snap = snapshot();
		const releases = findReleases(snap);
		const target = store.getState().target;
		if (!target) store.dispatch({type: 'release', release: undefined, releases});
		else {
			const resolved = resolveTarget(snap, target);
			if ('error' in resolved) store.dispatch({type: 'release', release: undefined, releases, problem: resolved.error});
			else {
				const release = buildRelease(snap, resolved.ref);
				store.dispatch({type: 'release', release, releases});
				agesChangeAt = Date.now() + 1000 * nextAgeChange(release);
			}
		}
		markLoaded();
		// Once the first release is in the store; not a listing of the view: the connection stays as it is while they come.
		if (first && options.eventsAfterFirstBuild) startWatch(eventsSource, eventsSource.groupVersions[0]!, {quiet: true});
		const now = Date.now();
		streak = now - lastRebuildAt < STREAM_MS ? streak + 1 : 0;
		lastRebuildAt = now;
		lastCost = performance.now() - began;
	};
	/**
	 * Before the first build, each change is looked at once the callback that brought it is done, not after a
	 * timer: what has listed decides the pods to watch (the pods list, the longest on the way to the first frame,
	 * starts as soon as the Deployments tell), and the first build comes as soon as everything it waits for has
	 * listed and is watched, or SETTLE_MS after it has listed whatever its watches say.
	 */
	let lookQueued = false;
	const lookBeforeFirstBuild = () => {
		lookQueued = false;
		if (stopped || loaded) return;
		// A page of pods or Events changes nothing the scope is decided by (and resolving the target over a
		// snapshot of a thousand pods, each time one came in, was 10 ms of the start).
		if (scopeStale) {
			scopeStale = false;
			decideScope(snapshot());
		}
		retire();
		if (!firstListsIn()) return;
		if (firstWatchesOpen()) {
			clearTimeout(timer);
			rebuild();
		} else timer ??= setTimeout(rebuild, SETTLE_MS);
	};

	const schedule = () => {
		if (stopped) return;
		if (!loaded) {
			if (!lookQueued) queueMicrotask(lookBeforeFirstBuild);
			lookQueued = true;
			return;
		}
		if (timer) return;
		// The first change after a quiet spell almost at once, with what comes in the next few milliseconds: one
		// write sets off others (a scale writes the Deployment, then its ReplicaSet and a new pod within about
		// 5 ms), and the pod should not wait a whole batch behind the Deployment. Then no more often than batchMs,
		// nor than a few times what a rebuild costs (more under a stream of changes; up to a second).
		const spacing = streak >= 2 ? STREAM_COST_SPACING : COST_SPACING;
		const gap = batchMs > 0 ? Math.max(batchMs, Math.min(MAX_GAP_MS, spacing * lastCost)) : 0;
		timer = setTimeout(rebuild, Math.max(Math.min(SETTLE_MS, batchMs), lastRebuildAt + gap - Date.now()));
	};

	const report = () => {
		if (stopped) return;
		const now = Date.now();
		const previous = store.getState().connection;
		const watchStates: WatchState[] = [];
		const unreadable: string[] = [];
		for (const w of watches) {
			if (w.retiring) continue;
			const state = states.get(w.lw) ?? {state: 'connecting'};
			if (refused(w)) {
				unreadable.push(w.name);
				continue;
			}
			// A watch started while live lists and opens while the others go on: it is not the view listing again.
			// Until its watch is open, not only until it has listed (an answer of the health probe may come between).
			if (w.quiet && !w.watched && state.state === 'connecting') continue;
			watchStates.push(state);
		}
		// Until discovery answered and the pods are watched, there is more to list.
		if (!loaded && (!discovered || podWatches().length === 0)) watchStates.push({state: 'connecting'});
		const connection = connectionOf({now, previous, health, discovery, watches: watchStates, lastLive, unreadable: [...new Set(unreadable)].sort()});
		// Fresh as of the API server's last answer: after that, it may have frozen with the watches open.
		if (connection.state === 'live') lastLive = health?.answering ? health.at : now;
		if (connection !== previous) store.dispatch({type: 'connection', connection});
		if (!loaded || connection.state !== previous.state) schedule();
	};

	const startDiscovered = (served: Set<string>) => {
		for (const source of discoveredSources) {
			const groupVersion = versionOf(source, served);
			if (groupVersion) startWatch(source, groupVersion);
		}
	};

	const discover = async (attempt: number) => {
		clearTimeout(discoveryTimer);
		try {
			const served = await client.groupVersions(DISCOVERY_TIMEOUT_MS);
			if (stopped || discovered) return;
			discovered = true;
			scopeStale = true;
			discovery = undefined;
			startDiscovered(served);
		} catch (error) {
			if (stopped || discovered) return;
			const wait = defaultBackoff(attempt);
			const e = toKubeError(error);
			discovery = {error: e.message, unreachable: e.unreachable, retryAt: Date.now() + wait, attempt};
			discoveryTimer = setTimeout(() => void discover(attempt + 1), wait);
		}
		report();
	};

	const startProbe = (): void => {
		clearTimeout(probeTimer);
		if (probe || stopped) return;
		probe = startHealthProbe(client, next => {
			const was = health;
			health = next;
			// No answer: the connections may be dead without knowing it; requests from now on open new ones.
			if (!next.answering && (!was || was.answering)) client.renewConnections();
			if (next.answering && was && !was.answering) {
				// Back after a silence: whatever the watches hold may be old, or from before a restore. List it all again.
				if (!discovered) void discover(1);
				for (const w of watches) w.lw.relist('the API server answers again');
			}
			report();
		});
	};

	for (const source of builtins) if (!(source === eventsSource && options.eventsAfterFirstBuild)) startWatch(source, source.groupVersions[0]!);
	void discover(1);
	const probeTimer = setTimeout(startProbe, PROBE_DELAY_MS);
	// Without a target, every pod of the namespace from the start (the picker marks releases in progress by them).
	if (!store.getState().target) applyScope(NAMESPACE_PODS);

	// Every second: a watch quiet for longer than the server's bookmarks allow lists again; while live, nothing on
	// screen needs the clock but ages (rebuilt at most every 5 s, and only when one of them reads differently:
	// seconds while a pod is young, then minutes, hours); otherwise tick so countdowns move.
	let ticks = 0;
	const tick = setInterval(() => {
		ticks++;
		for (const w of watches) w.lw.checkQuiet();
		if (store.getState().connection.state === 'live') {
			if (ticks % 5 === 0 && Date.now() >= agesChangeAt) schedule();
		} else {
			store.dispatch({type: 'tick', now: Date.now()});
		}
	}, 1000);

	return {
		snapshot,
		refresh: () => {
			if (stopped) return;
			clearTimeout(timer);
			rebuild();
		},
		loaded: loadedOnce,
		stop() {
			stopped = true;
			clearInterval(tick);
			clearTimeout(timer);
			clearTimeout(discoveryTimer);
			clearTimeout(probeTimer);
			probe?.stop();
			for (const w of watches) w.lw.stop();
		},
	};
}

/**
 * The release a headless command works on, once every watch has listed: the release, or why there is none
 * (the target's problem, or no answer from the API server at `server` within `timeoutMs`).
 */
export function firstRelease(store: Store, server: string, timeoutMs = 30_000): Promise<Release | string> {
	return new Promise(resolve => {
		const deadline = setTimeout(() => {
			unsubscribe();
			const c = store.getState().connection;
			const why = c.state === 'connecting' ? c.problem : c.state === 'stale' ? c.why : undefined;
			resolve(`no answer from the Kubernetes API at ${server}${why ? `: ${why}` : ''}`);
		}, timeoutMs);
		const check = () => {
			const s = store.getState();
			if (s.connection.state !== 'live' || (!s.release && !s.problem)) return;
			clearTimeout(deadline);
			unsubscribe();
			resolve(s.release ?? s.problem!);
		};
		const unsubscribe = store.subscribe(check);
		check();
	});
}
