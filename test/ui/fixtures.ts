// Fixture releases for the view tests: a canary pair, a rolling Deployment mid-rollout, a blue-green pair.
import type {PodInfo, Release, ReleaseEvent, Revision, Version} from '../../source/release/model.js';
import type {ReleaseRef} from '../../source/release/snapshot.js';
import {initialState, type AppState, type ConnectionState} from '../../source/store/state.js';
import {Store} from '../../source/store/store.js';

/** 2026-03-01T12:00:00Z, the fixtures' wall clock. */
export const now = Date.parse('2026-03-01T12:00:00Z');

function pod(name: string, version: string, status: string, extra: Partial<PodInfo> = {}): PodInfo {
	const running = status === 'Running';
	return {
		name,
		version,
		phase: status === 'CrashLoopBackOff' ? 'CrashLoopBackOff' : running ? 'Running' : status === 'ContainerCreating' ? 'ContainerCreating' : 'Pending',
		status,
		ready: running,
		containersReady: running ? 1 : 0,
		containers: 1,
		restarts: 0,
		ageSeconds: 600,
		...extra,
	};
}

function version(v: Partial<Version> & Pick<Version, 'id' | 'role'>): Version {
	return {
		workload: v.id,
		workloadKind: 'Deployment',
		images: [],
		desired: 0,
		pods: 0,
		ready: 0,
		available: 0,
		restarts: 0,
		phases: {},
		selector: `app=${v.id}`,
		...v,
	};
}

function event(time: string, type: 'Normal' | 'Warning', reason: string, object: string, message: string, count = 1): ReleaseEvent {
	return {time, type, reason, object, message, count};
}

function revision(r: Partial<Revision> & Pick<Revision, 'revision' | 'workload'>): Revision {
	return {images: [], ageSeconds: 3600, pods: 0, replicaSet: `${r.workload}-${r.revision}`, current: false, ...r};
}

/** Canary pair at 90/10 behind an Istio VirtualService; one canary pod crash-loops. `stablePods` sets the stable size. */
export function canaryRelease(stablePods = 6): Release {
	const stablePodList = Array.from({length: stablePods}, (_, i) => pod(`checkout-7c9f5d-s${String(i).padStart(2, '0')}`, 'checkout', 'Running', {ageSeconds: 86_400 + i}));
	return {
		target: 'deploy/checkout',
		namespace: 'shop',
		name: 'checkout',
		kind: 'canary',
		versions: [
			version({id: 'checkout-canary', role: 'canary', revision: 8, images: ['registry.local:5000/shop/checkout:v1.3.0'], desired: 2, pods: 2, ready: 1, available: 1, restarts: 5, phases: {Running: 1, CrashLoopBackOff: 1}, weight: 10}),
			version({id: 'checkout', role: 'stable', revision: 7, images: ['registry.local:5000/shop/checkout:v1.2.3'], desired: stablePods, pods: stablePods, ready: stablePods, available: stablePods, phases: {Running: stablePods}, weight: 90}),
		],
		traffic: {router: 'istio', object: 'VirtualService/checkout', weights: {checkout: 90, 'checkout-canary': 10}},
		pods: [
			...stablePodList,
			pod('checkout-canary-5b7d9-x2k4p', 'checkout-canary', 'Running', {ageSeconds: 95}),
			pod('checkout-canary-5b7d9-crash', 'checkout-canary', 'CrashLoopBackOff', {restarts: 5, ageSeconds: 95}),
		],
		revisions: [
			revision({revision: 6, workload: 'checkout', images: ['shop/checkout:v1.2.2'], changeCause: 'bump to v1.2.2', ageSeconds: 7 * 86_400}),
			revision({revision: 7, workload: 'checkout', images: ['shop/checkout:v1.2.3'], changeCause: 'hotfix payment timeout', pods: stablePods, current: true, ageSeconds: 2 * 86_400}),
			revision({revision: 8, workload: 'checkout-canary', images: ['shop/checkout:v1.3.0'], changeCause: 'canary v1.3.0 new cart', pods: 2, current: true, ageSeconds: 120}),
		],
		events: [
			event('2026-03-01T11:58:10Z', 'Normal', 'ScalingReplicaSet', 'Deployment/checkout-canary', 'Scaled up replica set checkout-canary-5b7d9 to 2'),
			event('2026-03-01T11:59:30Z', 'Warning', 'BackOff', 'Pod/checkout-canary-5b7d9-crash', 'Back-off restarting failed container', 7),
		],
		services: ['checkout'],
	};
}

/** A rolling Deployment with three ReplicaSets, stuck: ProgressDeadlineExceeded. */
export function rollingRelease(): Release {
	return {
		target: 'deploy/payments',
		namespace: 'shop',
		name: 'payments',
		kind: 'rolling',
		versions: [
			version({id: 'payments-9ab', role: 'new', workload: 'payments-9ab', workloadKind: 'ReplicaSet', revision: 12, images: ['shop/payments:v4.1.0'], desired: 3, pods: 3, ready: 2, available: 2, restarts: 1, phases: {Running: 2, ContainerCreating: 1}, weight: 40}),
			version({id: 'payments-7f8', role: 'old', workload: 'payments-7f8', workloadKind: 'ReplicaSet', revision: 11, images: ['shop/payments:v4.0.1'], desired: 2, pods: 2, ready: 2, available: 2, phases: {Running: 2}, weight: 40}),
			version({id: 'payments-6d4', role: 'old', workload: 'payments-6d4', workloadKind: 'ReplicaSet', revision: 10, images: ['shop/payments:v4.0.0'], desired: 1, pods: 1, ready: 1, available: 1, phases: {Running: 1}, weight: 20}),
		],
		traffic: {router: 'deployment', weights: {}},
		pods: [
			pod('payments-9ab-aaaaa', 'payments-9ab', 'Running', {restarts: 1}),
			pod('payments-9ab-bbbbb', 'payments-9ab', 'Running'),
			pod('payments-9ab-ccccc', 'payments-9ab', 'ContainerCreating', {ageSeconds: 700}),
			pod('payments-7f8-ddddd', 'payments-7f8', 'Running', {ageSeconds: 90_000}),
			pod('payments-7f8-eeeee', 'payments-7f8', 'Running', {ageSeconds: 90_000}),
			pod('payments-6d4-fffff', 'payments-6d4', 'Running', {ageSeconds: 200_000}),
		],
		revisions: [
			revision({revision: 10, workload: 'payments', replicaSet: 'payments-6d4', images: ['shop/payments:v4.0.0'], changeCause: 'release 4.0.0', pods: 1}),
			revision({revision: 11, workload: 'payments', replicaSet: 'payments-7f8', images: ['shop/payments:v4.0.1'], changeCause: 'release 4.0.1', pods: 2}),
			revision({revision: 12, workload: 'payments', replicaSet: 'payments-9ab', images: ['shop/payments:v4.1.0'], changeCause: 'release 4.1.0 ledger v2', pods: 3, current: true, ageSeconds: 900}),
		],
		events: [
			event('2026-03-01T11:45:00Z', 'Normal', 'ScalingReplicaSet', 'Deployment/payments', 'Scaled up replica set payments-9ab to 3'),
			event('2026-03-01T11:55:00Z', 'Warning', 'ProgressDeadlineExceeded', 'Deployment/payments', 'ReplicaSet "payments-9ab" has timed out progressing.'),
		],
		progress: {
			desired: 5,
			updated: 3,
			ready: 2,
			available: 2,
			paused: false,
			deadlineExceeded: true,
			complete: false,
			conditions: [{type: 'Progressing', status: 'False', reason: 'ProgressDeadlineExceeded'}],
		},
		services: ['payments'],
	};
}

/** Blue-green: the Service selects blue (active); green (preview) is up and idle. */
export function blueGreenRelease(): Release {
	return {
		target: 'svc/web',
		namespace: 'shop',
		name: 'web',
		kind: 'bluegreen',
		versions: [
			version({id: 'web-green', role: 'preview', revision: 4, images: ['shop/web:v2.1.0'], desired: 3, pods: 3, ready: 3, available: 3, phases: {Running: 3}, weight: 0}),
			version({id: 'web-blue', role: 'active', revision: 3, images: ['shop/web:v2.0.0'], desired: 3, pods: 3, ready: 3, available: 3, phases: {Running: 3}, weight: 100}),
		],
		traffic: {router: 'service-selector', object: 'Service/web', weights: {'web-blue': 100, 'web-green': 0}},
		pods: [
			...['a', 'b', 'c'].map((s) => pod(`web-blue-${s}`, 'web-blue', 'Running')),
			...['d', 'e', 'f'].map((s) => pod(`web-green-${s}`, 'web-green', 'Running', {ageSeconds: 300})),
		],
		revisions: [
			revision({revision: 3, workload: 'web-blue', images: ['shop/web:v2.0.0'], changeCause: 'blue 2.0.0', pods: 3, current: true}),
			revision({revision: 4, workload: 'web-green', images: ['shop/web:v2.1.0'], changeCause: 'green 2.1.0', pods: 3, current: true}),
		],
		events: [event('2026-03-01T11:50:00Z', 'Normal', 'Created', 'Pod/web-green-d', 'Created container web')],
		services: ['web', 'web-preview'],
	};
}

/** Bookinfo's reviews: three versions at 80/10/10 behind one VirtualService, the user jason sent to v2 by header. */
export function bookinfoRelease(weights: [number, number, number] = [80, 10, 10]): Release {
	const ids = ['reviews-v1', 'reviews-v2', 'reviews-v3'];
	return {
		target: 'deploy/reviews-v1',
		namespace: 'bookinfo',
		name: 'reviews',
		kind: 'canary',
		versions: ids.map((id, i) => version({id, role: i === 0 ? 'stable' : 'canary', revision: 1, images: [`docker.io/istio/examples-bookinfo-${id}:1.20.${i + 1}`], desired: i === 0 ? 3 : 1, pods: i === 0 ? 3 : 1, ready: i === 0 ? 3 : 1, available: i === 0 ? 3 : 1, phases: {Running: i === 0 ? 3 : 1}, weight: weights[i]})),
		traffic: {router: 'istio', object: 'VirtualService/reviews', weights: Object.fromEntries(ids.map((id, i) => [id, weights[i]!])), routes: [{version: 'reviews-v2', match: 'header end-user=jason'}]},
		pods: ids.map(id => pod(`${id}-abc12`, id, 'Running')),
		revisions: ids.map(id => revision({revision: 1, workload: id, current: true, pods: 1})),
		events: [],
		services: ['reviews'],
	};
}

export const releaseRefs: ReleaseRef[] = [
	{target: 'deploy/api', name: 'api', kind: 'rolling', deployments: ['api'], services: ['api'], inProgress: false},
	{target: 'deploy/payments', name: 'payments', kind: 'rolling', deployments: ['payments'], services: ['payments'], inProgress: true},
	{target: 'deploy/checkout', name: 'checkout', kind: 'canary', deployments: ['checkout', 'checkout-canary'], services: ['checkout'], inProgress: true},
	{target: 'svc/web', name: 'web', kind: 'bluegreen', deployments: ['web-blue', 'web-green'], services: ['web', 'web-preview'], inProgress: false},
];

/** A store (no batching delay) holding `release`, live. */
export function storeWith(release: Release | undefined, options: {connection?: ConnectionState; target?: string; problem?: string} = {}): Store {
	const state: AppState = {...initialState('prod-eu', 'shop', options.target ?? release?.target), now};
	const store = new Store(state, 0);
	store.dispatch({type: 'release', release, releases: releaseRefs, problem: options.problem});
	store.dispatch({type: 'connection', connection: options.connection ?? {state: 'live', since: now}});
	return store;
}
