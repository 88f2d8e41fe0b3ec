// Setting weights through each router object and by replica ratio, planned from the canonical cases of
// test/testdata (the demo's namespaces as the sim served them), plus a Traefik weighted service beside the HTTPRoute.
import assert from 'node:assert/strict';
import {describe, test} from 'node:test';
import {actionTarget} from '../../source/kinds/registry.js';
import {nextWeights, planSetWeight, planWeight, steppedWeight} from '../../source/actions/weights.js';
import type {ActionTarget} from '../../source/actions/target.js';
import type {Plan} from '../../source/actions/types.js';
import type {ClusterSnapshot} from '../../source/release/snapshot.js';
import {loadCase} from '../helpers/testdata.js';

/** A fresh copy of a canonical case's namespace; the gateway one also has a TraefikService api-wrr at 60/40. */
function caseSnapshot(name: string): ClusterSnapshot {
	const snap = loadCase(name).snapshot;
	if (name === 'gateway') {
		snap.routers.push({
			apiVersion: 'traefik.io/v1alpha1',
			kind: 'TraefikService',
			metadata: {name: 'api-wrr', namespace: 'gateway'},
			spec: {weighted: {services: [{name: 'api-stable', port: 80, weight: 60}, {name: 'api-canary', port: 80, weight: 40}]}},
		});
	}
	return snap;
}

function caseTarget(name: string, target: string, user = 'tester'): ActionTarget {
	const t = actionTarget(caseSnapshot(name), target, user);
	assert.ok(t, `no release ${target} in ${name}`);
	return t;
}

function planOf(planned: ReturnType<typeof planSetWeight>): Plan {
	assert.ok('plan' in planned, 'message' in planned ? planned.message : '');
	return planned.plan;
}

describe('set weight: one JSON Patch per router object, testing the old values', () => {
	test('Istio VirtualService: both route weights, after tests of route name, subsets and old weights', () => {
		const plan = planOf(planSetWeight(caseTarget('canary', 'deploy/checkout', 'alice'), 50));
		assert.equal(plan.steps.length, 1);
		const [step] = plan.steps;
		assert.equal(step.method, 'PATCH');
		assert.equal(step.path, '/apis/networking.istio.io/v1/namespaces/canary/virtualservices/checkout');
		assert.equal(step.contentType, 'application/json-patch+json');
		assert.deepEqual(step.body, [
			{op: 'test', path: '/spec/http/0/name', value: 'primary'},
			{op: 'test', path: '/spec/http/0/route/0/destination/subset', value: 'stable'},
			{op: 'test', path: '/spec/http/0/route/0/weight', value: 90},
			{op: 'add', path: '/spec/http/0/route/0/weight', value: 50},
			{op: 'test', path: '/spec/http/0/route/1/destination/subset', value: 'canary'},
			{op: 'test', path: '/spec/http/0/route/1/weight', value: 10},
			{op: 'add', path: '/spec/http/0/route/1/weight', value: 50},
		]);
		assert.deepEqual(plan.changes, ['VirtualService/checkout: checkout 90% → 50%, checkout-canary 10% → 50%']);
		assert.equal(plan.event?.reason, 'RollscopeSetWeight');
		assert.deepEqual({...plan.event?.regarding, uid: undefined}, {apiVersion: 'networking.istio.io/v1', kind: 'VirtualService', name: 'checkout', namespace: 'canary', uid: undefined});
		assert.equal(plan.event?.message, 'alice set the weight of checkout-canary 10% -> 50% (VirtualService/checkout)');
		assert.equal(plan.verify?.(caseSnapshot('canary')), false, 'not yet written');
	});

	test('Gateway API HTTPRoute, SMI TrafficSplit, ingress-nginx and Traefik', () => {
		const gateway = planOf(planSetWeight(caseTarget('gateway', 'deploy/api'), 25));
		assert.equal(gateway.steps[0].path, '/apis/gateway.networking.k8s.io/v1/namespaces/gateway/httproutes/api');
		assert.deepEqual((gateway.steps[0].body as Array<{op: string; path: string; value: unknown}>).filter(o => o.op === 'add'), [
			{op: 'add', path: '/spec/rules/0/backendRefs/0/weight', value: 75},
			{op: 'add', path: '/spec/rules/0/backendRefs/1/weight', value: 25},
		]);
		const smi = planOf(planSetWeight(caseTarget('smi', 'deploy/pay'), 40));
		assert.equal(smi.steps[0].path, '/apis/split.smi-spec.io/v1alpha4/namespaces/smi/trafficsplits/pay');
		assert.ok((smi.steps[0].body as unknown[]).some(o => JSON.stringify(o) === JSON.stringify({op: 'test', path: '/spec/backends/1/weight', value: 25})));
		const nginx = planOf(planSetWeight(caseTarget('nginx', 'deploy/cart'), 45));
		assert.equal(nginx.steps[0].path, '/apis/networking.k8s.io/v1/namespaces/nginx/ingresses/cart-canary');
		assert.deepEqual(nginx.steps[0].body, [
			{op: 'test', path: '/metadata/annotations/nginx.ingress.kubernetes.io~1canary', value: 'true'},
			{op: 'test', path: '/metadata/annotations/nginx.ingress.kubernetes.io~1canary-weight', value: '30'},
			{op: 'add', path: '/metadata/annotations/nginx.ingress.kubernetes.io~1canary-weight', value: '45'},
		]);
		const traefik = planOf(planSetWeight(caseTarget('gateway', 'deploy/api'), 10, 'traefik'));
		assert.equal(traefik.steps[0].path, '/apis/traefik.io/v1alpha1/namespaces/gateway/traefikservices/api-wrr');
		assert.deepEqual(traefik.changes, ['TraefikService/api-wrr: api 60% → 90%, api-canary 40% → 10%']);
	});

	test('an HTTPRoute read as v1beta1 is written as v1beta1', () => {
		const snap = caseSnapshot('gateway');
		for (const r of snap.routers) if (r.kind === 'HTTPRoute') r.apiVersion = 'gateway.networking.k8s.io/v1beta1';
		const t = actionTarget(snap, 'deploy/api', 'tester')!;
		const plan = planOf(planSetWeight(t, 30));
		assert.equal(plan.steps[0].path, '/apis/gateway.networking.k8s.io/v1beta1/namespaces/gateway/httproutes/api');
	});

	test('replica ratio (--router replicas): the scale subresource of both, the growing side first', () => {
		const plan = planOf(planSetWeight(caseTarget('canary', 'deploy/checkout'), 50, 'replicas'));
		assert.deepEqual(
			plan.steps.map(s => [s.path, s.body]),
			[
				['/apis/apps/v1/namespaces/canary/deployments/checkout-canary/scale', [{op: 'test', path: '/spec/replicas', value: 2}, {op: 'replace', path: '/spec/replicas', value: 3}]],
				['/apis/apps/v1/namespaces/canary/deployments/checkout/scale', [{op: 'test', path: '/spec/replicas', value: 4}, {op: 'replace', path: '/spec/replicas', value: 3}]],
			],
		);
		const down = planOf(planSetWeight(caseTarget('canary', 'deploy/checkout'), 0, 'replicas'));
		assert.deepEqual(down.steps.map(s => s.path.split('/')[7]), ['checkout', 'checkout-canary'], 'stable grows before the canary shrinks');
		assert.equal(down.event?.regarding.kind, 'Deployment');
	});

	test('nothing to do, not a canary, a controller owns the router, an override that finds nothing', () => {
		assert.deepEqual(planSetWeight(caseTarget('canary', 'deploy/checkout'), 10), {message: 'checkout-canary is already at 10%'});
		assert.match((planSetWeight(caseTarget('bluegreen', 'svc/shop'), 10) as {message: string}).message, /blue-green: traffic moves all at once/);
		assert.match((planSetWeight(caseTarget('rolling', 'deploy/web'), 10) as {message: string}).message, /rolling Deployment/);
		assert.match((planSetWeight(caseTarget('canary', 'deploy/checkout'), 10, 'smi') as {message: string}).message, /--router smi: no smi object splits traffic between checkout and checkout-canary/);
		const t = caseTarget('canary', 'deploy/checkout');
		t.release.router!.object.metadata.ownerReferences = [{apiVersion: 'argoproj.io/v1alpha1', kind: 'Rollout', name: 'checkout', uid: 'u'}];
		assert.match((planSetWeight(t, 30) as {message: string}).message, /VirtualService\/checkout is managed by argo-rollouts: rollscope does not patch it/);
		assert.match((planSetWeight(caseTarget('canary', 'deploy/checkout'), 101) as {message: string}).message, /0 to 100/);
	});
});

test('+/- step from the current weight within 0..100; [ and ] walk the plan', () => {
	assert.equal(steppedWeight(10, 1, 10), 20);
	assert.equal(steppedWeight(25, 1, 10), 35);
	assert.equal(steppedWeight(95, 1, 10), 100);
	assert.equal(steppedWeight(5, -1, 10), 0);
	const plan = [5, 25, 50, 100];
	assert.equal(planWeight(0, 1, plan), 5);
	assert.equal(planWeight(10, 1, plan), 25);
	assert.equal(planWeight(25, 1, plan), 50);
	assert.equal(planWeight(100, 1, plan), undefined);
	assert.equal(planWeight(30, -1, plan), 25);
	assert.equal(planWeight(5, -1, plan), 0, 'below the first step is 0');
	assert.equal(planWeight(0, -1, plan), undefined);
});

test('nextWeights: the canary gets W, other canaries keep theirs, the stable version the rest; whole percents adding to 100', () => {
	assert.deepEqual(nextWeights({v1: 80, v2: 10, v3: 10}, 'v1', 'v3', 30), {v1: 60, v2: 10, v3: 30});
	assert.deepEqual(nextWeights({v1: 80, v2: 10, v3: 10}, 'v1', 'v3', 0), {v1: 90, v2: 10, v3: 0});
	assert.deepEqual(nextWeights({s: 66.7, c: 33.3}, 's', 'c', 50), {s: 50, c: 50});
	// Not enough room beside the canary: the other canaries share what is left, the stable version gets none.
	assert.deepEqual(nextWeights({v1: 20, v2: 50, v3: 30}, 'v1', 'v3', 80), {v1: 0, v2: 20, v3: 80});
	assert.deepEqual(nextWeights({a: 10, b: 45, c: 45, d: 0}, 'a', 'd', 70), {a: 0, b: 15, c: 15, d: 70});
	assert.deepEqual(nextWeights({a: 10, b: 33, c: 33, d: 24}, 'a', 'd', 35), {a: 0, b: 33, c: 32, d: 35});
	// The largest remainders are rounded up, whatever their order; among equal ones, the first.
	assert.deepEqual(nextWeights({s: 10, b: 34, c: 31, k: 25}, 's', 'k', 40), {s: 0, b: 31, c: 29, k: 40});
	assert.deepEqual(nextWeights({s: 0, a: 30, b: 30, c: 30, k: 10}, 's', 'k', 20), {s: 0, a: 27, b: 27, c: 26, k: 20});
});
