// Every demo scenario, read through rollscope's real path (`--once -o json` against the sim's kubeconfig, so
// lists shaped as kube-apiserver shapes them): the release kind, router and weights its definition sets up.
import assert from 'node:assert/strict';
import {after, before, describe, test} from 'node:test';
import {scenarioNames} from '../../source/sim/scenarios.js';
import {runCli} from '../helpers/cli.js';
import {startTestSim, waitFor, type TestSim} from '../helpers/sim.js';

type Expected = {
	kind: string;
	router: string;
	/** The object that holds the split, as `Kind/name`. */
	object: string;
	managedBy?: string;
	/** [version id, role, weight]; `name-*` is a ReplicaSet `name-<pod-template-hash>`. */
	versions: Array<[string, string, number]>;
};

// Written from source/sim/scenarios/catalog.ts and progressive.ts, as each scenario starts (the sim stays still).
const expected: Record<string, Expected> = {
	rolling: {kind: 'rolling', router: 'deployment', object: 'Deployment/web', versions: [['web-*', 'new', 100]]},
	canary: {kind: 'canary', router: 'istio', object: 'VirtualService/checkout', versions: [['checkout', 'stable', 90], ['checkout-canary', 'canary', 10]]},
	'canary-bad': {kind: 'canary', router: 'istio', object: 'VirtualService/checkout', versions: [['checkout', 'stable', 90], ['checkout-canary', 'canary', 10]]},
	bluegreen: {kind: 'bluegreen', router: 'service-selector', object: 'Service/shop', versions: [['shop-blue', 'active', 100], ['shop-green', 'preview', 0]]},
	gateway: {kind: 'canary', router: 'gateway-api', object: 'HTTPRoute/api', versions: [['api', 'stable', 80], ['api-canary', 'canary', 20]]},
	smi: {kind: 'canary', router: 'smi', object: 'TrafficSplit/pay', versions: [['pay', 'stable', 75], ['pay-canary', 'canary', 25]]},
	nginx: {kind: 'canary', router: 'nginx', object: 'Ingress/cart-canary', versions: [['cart', 'stable', 70], ['cart-canary', 'canary', 30]]},
	bookinfo: {kind: 'canary', router: 'istio', object: 'VirtualService/reviews', versions: [['reviews-v1', 'stable', 80], ['reviews-v2', 'canary', 10], ['reviews-v3', 'canary', 10]]},
	'header-canary': {kind: 'canary', router: 'gateway-api', object: 'HTTPRoute/search', versions: [['search', 'stable', 100], ['search-canary', 'canary', 0]]},
	'argo-canary': {kind: 'argo-rollout', router: 'istio', object: 'VirtualService/orders', managedBy: 'argo-rollouts', versions: [['orders-*', 'stable', 100]]},
	'argo-bluegreen': {kind: 'argo-rollout', router: 'service-selector', object: 'Service/storefront', managedBy: 'argo-rollouts', versions: [['storefront-*', 'active', 100]]},
	flagger: {kind: 'flagger', router: 'istio', object: 'VirtualService/podinfo', managedBy: 'flagger', versions: [['podinfo-primary', 'stable', 100], ['podinfo', 'canary', 0]]},
	stuck: {kind: 'rolling', router: 'deployment', object: 'Deployment/ledger', versions: [['ledger-*', 'new', 100]]},
	// Between releases Kruise has no canary Ingress: the Service sends everything to the one version.
	kruise: {kind: 'kruise-rollout', router: 'service-selector', object: 'Service/echoserver', managedBy: 'kruise-rollouts', versions: [['echoserver-*', 'stable', 100]]},
};

const idMatches = (pattern: string, id: string) => (pattern.endsWith('-*') ? id.startsWith(pattern.slice(0, -1)) && /^[a-z0-9]+$/.test(id.slice(pattern.length - 1)) : id === pattern);

/** Run `work` over `items`, `limit` at a time (each run is a Node process; the machine has two cores). */
async function inBatches<T, R>(items: T[], limit: number, work: (item: T) => Promise<R>): Promise<R[]> {
	const results: R[] = [];
	for (let i = 0; i < items.length; i += limit) results.push(...(await Promise.all(items.slice(i, i + limit).map(work))));
	return results;
}

describe('every demo scenario read through rollscope', () => {
	let t: TestSim;
	before(async () => {
		t = await startTestSim({scenario: 'all'});
		const store = t.sim.store;
		// Wait until the controllers have done what the scenarios start with (none listed is not done).
		const all = <T,>(items: T[], done: (item: T) => boolean) => items.length > 0 && items.every(done);
		await waitFor('the Deployments to be available', () => all(store.list('apps/deployments'), d => (d.status?.availableReplicas ?? 0) === d.spec.replicas && d.status?.observedGeneration === d.metadata.generation), 60_000);
		await waitFor('the Rollouts to be healthy', () => all(store.list('argoproj.io/rollouts'), r => r.status?.phase === 'Healthy'), 60_000);
		await waitFor('the Flagger canary to be initialized', () => all(store.list('flagger.app/canaries'), c => c.status?.phase === 'Initialized'), 60_000);
		await waitFor('the Kruise Rollouts to be healthy', () => all(store.list('rollouts.kruise.io/rollouts'), r => r.status?.phase === 'Healthy' && r.status.canaryStatus), 60_000);
	});
	after(async () => {
		await t.stop();
	});

	test('the expectations cover every scenario', () => {
		assert.deepEqual(Object.keys(expected).sort(), scenarioNames.filter(n => n !== 'all').sort());
	});

	test('each scenario reads as the release its definition sets up: kind, router, the object holding the split, weights', async () => {
		const scenarios = t.sim.scenarios.filter(s => expected[s.name]);
		const releases = await inBatches(scenarios, 2, async s => {
			const run = await runCli([s.target, '-n', s.namespace, '--once', '-o', 'json'], t.kubeconfigPath);
			assert.equal(run.code, 0, `${s.name}: ${run.stderr}`);
			return {scenario: s, release: JSON.parse(run.stdout)};
		});
		for (const {scenario, release} of releases) {
			const want = expected[scenario.name]!;
			const what = `${scenario.name} (${scenario.target})`;
			assert.equal(release.target, scenario.target, what);
			assert.equal(release.kind, want.kind, what);
			assert.equal(release.traffic?.router, want.router, what);
			assert.equal(release.traffic?.object, want.object, what);
			assert.equal(release.traffic?.managedBy, want.managedBy, what);
			const versions: Array<{id: string; role: string; weight: number}> = release.versions;
			assert.equal(versions.length, want.versions.length, `${what}: ${versions.map(v => v.id).join(', ')}`);
			for (const [pattern, role, weight] of want.versions) {
				const v = versions.find(x => idMatches(pattern, x.id));
				assert.ok(v, `${what}: no version ${pattern} in ${versions.map(x => x.id).join(', ')}`);
				assert.deepEqual([v.role, v.weight, release.traffic.weights[v.id]], [role, weight, weight], `${what}: ${v.id}`);
			}
		}
	});
});
