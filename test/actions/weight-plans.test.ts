// Setting a canary's weight, every part literal: which lever moves it (--router, the router object found, the
// replica ratio), whole plans with their Events and what the watch must show, the keys + - [ ] = and their
// messages. Planned from the canonical canary case (checkout 4 and checkout-canary 2 replicas, an Istio
// VirtualService at 90/10) and from small fixtures.
import assert from 'node:assert/strict';
import {test} from 'node:test';
import {actionTarget} from '../../source/kinds/registry.js';
import type {ActionTarget} from '../../source/actions/target.js';
import type {Plan} from '../../source/actions/types.js';
import {
	canaryWeightKey,
	canaryWeightOf,
	currentCanaryWeight,
	currentWeights,
	managedMessage,
	managedObject,
	planSetWeight,
	planWeight,
	steppedWeight,
	weightMover,
	weightSteps,
	type WeightMover,
} from '../../source/actions/weights.js';
import type {ClusterSnapshot} from '../../source/release/snapshot.js';
import {loadCase} from '../helpers/testdata.js';
import {canaryPair as canaryObjects, snapshot} from '../release/fixtures.js';

const config = {weightStep: 10, weightPlan: [5, 25, 50, 100]};

/** The canary case, its VirtualService at `stable`/`canary` (when given), changed by `edit`. */
function canaryCase(weights?: [number, number], edit: (snap: ClusterSnapshot) => void = () => {}): ClusterSnapshot {
	const snap = loadCase('canary').snapshot;
	if (weights) {
		const vs = snap.routers.find(r => r.kind === 'VirtualService')!;
		vs.spec.http[0].route[0].weight = weights[0];
		vs.spec.http[0].route[1].weight = weights[1];
	}
	edit(snap);
	return snap;
}

function target(snap: ClusterSnapshot, name = 'deploy/checkout', user = 'ann'): ActionTarget {
	const t = actionTarget(snap, name, user);
	assert.ok(t, `no release ${name}`);
	return t;
}

function pairOf(t: ActionTarget) {
	assert.ok(t.pair, t.noWeights);
	return t.pair;
}

function planOf(planned: ReturnType<typeof planSetWeight>): Plan {
	assert.ok('plan' in planned, 'message' in planned ? planned.message : '');
	return planned.plan;
}

/** A plan as data: everything but the verify function. */
const data = ({verify, ...rest}: Plan) => ({...rest, verify: typeof verify});

const vsOf = (snap: ClusterSnapshot) => snap.routers.find(r => r.kind === 'VirtualService')!;

test('weightMover: the router object found, --router naming one, --router replicas, or the replica ratio without a router', () => {
	const t = target(canaryCase());
	const pair = pairOf(t);
	const found = weightMover(t, pair) as WeightMover;
	assert.ok(found.kind === 'router');
	assert.deepEqual([found.router.kind, found.object.metadata.name, found.reading], ['istio', 'checkout', {router: 'istio', object: 'VirtualService/checkout', weights: {checkout: 90, 'checkout-canary': 10}}]);
	const named = weightMover(t, pair, 'istio') as WeightMover;
	assert.ok(named.kind === 'router');
	assert.deepEqual([named.router.kind, named.object.metadata.name, named.reading.weights], ['istio', 'checkout', {checkout: 90, 'checkout-canary': 10}]);
	assert.deepEqual(weightMover(t, pair, 'replicas'), {kind: 'replicas', weights: {checkout: 66.7, 'checkout-canary': 33.3}});
	assert.deepEqual(weightMover(t, pair, 'linkerd'), {message: '--router linkerd: unknown; use one of istio, gateway-api, smi, traefik, nginx, replicas'});
	assert.deepEqual(weightMover(t, pair, 'gateway-api'), {message: '--router gateway-api: no gateway-api object splits traffic between checkout and checkout-canary'});
	// A VirtualService that names only the canary does not split the pair.
	const lone = target(canaryCase(undefined, snap => (vsOf(snap).spec.http[0].route = [{destination: {host: 'checkout', subset: 'canary'}, weight: 100}])));
	assert.deepEqual(weightMover(lone, pairOf(lone), 'istio'), {message: '--router istio: no istio object splits traffic between checkout and checkout-canary'});

	const plain = target(snapshot(canaryObjects().objects));
	assert.deepEqual(weightMover(plain, pairOf(plain)), {kind: 'replicas', weights: {checkout: 75, 'checkout-canary': 25}});
	const {objects, stable, canary} = canaryObjects();
	delete stable.spec.replicas;
	canary.spec.replicas = 3;
	const defaulted = target(snapshot(objects));
	assert.deepEqual(weightMover(defaulted, pairOf(defaulted)), {kind: 'replicas', weights: {checkout: 25, 'checkout-canary': 75}}, 'no spec.replicas is 1');
	const none = canaryObjects();
	none.stable.spec.replicas = 0;
	none.canary.spec.replicas = 0;
	const zero = target(snapshot(none.objects));
	assert.deepEqual(weightMover(zero, pairOf(zero)), {kind: 'replicas', weights: {checkout: 0, 'checkout-canary': 0}});
});

test('what a controller owns is not patched: the router object, or a Deployment when replicas carry the weight', () => {
	assert.equal(
		managedMessage('VirtualService/checkout', 'argo-rollouts'),
		"VirtualService/checkout is managed by argo-rollouts: rollscope does not patch it behind the controller's back; use kubectl argo rollouts promote|abort|set weight",
	);
	assert.equal(
		managedMessage('Deployment/podinfo', 'flagger'),
		"Deployment/podinfo is managed by flagger: rollscope does not patch it behind the controller's back; use the Canary resource (Flagger moves the weight itself)",
	);
	const t = target(canaryCase());
	const pair = pairOf(t);
	assert.equal(managedObject(pair, weightMover(t, pair) as never), undefined);
	const owned = target(canaryCase(undefined, snap => (vsOf(snap).metadata.ownerReferences = [{apiVersion: 'argoproj.io/v1alpha1', kind: 'Rollout', name: 'checkout', uid: 'u'}])));
	const ownedPair = pairOf(owned);
	assert.deepEqual(managedObject(ownedPair, weightMover(owned, ownedPair) as never), {what: 'VirtualService/checkout', controller: 'argo-rollouts'});
	assert.deepEqual(planSetWeight(owned, 30), {message: managedMessage('VirtualService/checkout', 'argo-rollouts')});
	assert.equal(managedObject(ownedPair, weightMover(owned, ownedPair, 'replicas') as never), undefined, 'replicas do not write the VirtualService');
	const {objects, canary} = canaryObjects();
	canary.metadata.labels = {'app.kubernetes.io/managed-by': 'flagger'};
	const flagged = target(snapshot(objects));
	const flaggedPair = pairOf(flagged);
	assert.deepEqual(managedObject(flaggedPair, weightMover(flagged, flaggedPair) as never), {what: 'Deployment/checkout-canary', controller: 'flagger'});
});

test('currentWeights and canaryWeightOf: every member, 0 for one the mover does not name', () => {
	const t = target(canaryCase([100, 0]));
	const pair = pairOf(t);
	const mover = weightMover(t, pair);
	assert.ok(!('message' in mover));
	assert.deepEqual(currentWeights(pair, mover), {checkout: 100, 'checkout-canary': 0});
	assert.equal(canaryWeightOf(pair, mover), 0);
	assert.deepEqual(currentWeights(pair, {kind: 'replicas', weights: {checkout: 70}}), {checkout: 70, 'checkout-canary': 0});
	assert.equal(canaryWeightOf(pair, {kind: 'replicas', weights: {checkout: 70}}), 0);
	assert.equal(canaryWeightOf(pair, {kind: 'replicas', weights: {checkout: 70, 'checkout-canary': 30}}), 30);
});

test('planSetWeight through the VirtualService: the whole plan', () => {
	const snap = canaryCase();
	const vs = vsOf(snap);
	const plan = planOf(planSetWeight(target(snap), 25));
	assert.deepEqual(data(plan), {
		title: 'set the weight of checkout-canary: 10% → 25%',
		changes: ['VirtualService/checkout: checkout 90% → 75%, checkout-canary 10% → 25%'],
		steps: [
			{
				method: 'PATCH',
				path: '/apis/networking.istio.io/v1/namespaces/canary/virtualservices/checkout',
				contentType: 'application/json-patch+json',
				body: [
					{op: 'test', path: '/spec/http/0/name', value: 'primary'},
					{op: 'test', path: '/spec/http/0/route/0/destination/subset', value: 'stable'},
					{op: 'test', path: '/spec/http/0/route/0/weight', value: 90},
					{op: 'add', path: '/spec/http/0/route/0/weight', value: 75},
					{op: 'test', path: '/spec/http/0/route/1/destination/subset', value: 'canary'},
					{op: 'test', path: '/spec/http/0/route/1/weight', value: 10},
					{op: 'add', path: '/spec/http/0/route/1/weight', value: 25},
				],
				object: 'VirtualService/checkout',
				summary: 'VirtualService/checkout: weights checkout 75, checkout-canary 25',
			},
		],
		event: {
			reason: 'RollscopeSetWeight',
			regarding: {apiVersion: 'networking.istio.io/v1', kind: 'VirtualService', name: 'checkout', namespace: 'canary', uid: vs.metadata.uid},
			message: 'ann set the weight of checkout-canary 10% -> 25% (VirtualService/checkout)',
		},
		verify: 'function',
		done: 'checkout-canary now has 25% (VirtualService/checkout)',
	});
	// Done once the watch reads the canary within half a percent of 25.
	const verify = plan.verify!;
	assert.equal(verify(canaryCase()), false, 'as it was');
	assert.equal(verify(canaryCase([75, 25])), true);
	assert.equal(verify(canaryCase([749, 251])), true, '25.1%');
	assert.equal(verify(canaryCase([746, 254])), true, '25.4% is within half a percent');
	assert.equal(verify(canaryCase([745, 255])), true, '25.5% is half a percent away');
	assert.equal(verify(canaryCase([744, 256])), false, '25.6%');
	assert.equal(verify(canaryCase([75, 25], s => (s.routers = s.routers.filter(r => r.kind !== 'VirtualService')))), false, 'the VirtualService gone');
	assert.equal(verify(canaryCase([75, 25], s => (vsOf(s).spec.http[0].route[1].destination.subset = 'other'))), false, 'it no longer names the canary');
});

test('planSetWeight by replica ratio: the scale subresource, the growing side first, done when both have their replicas', () => {
	const plan = planOf(planSetWeight(target(canaryCase()), 50, 'replicas'));
	const uid = canaryCase().deployments.find(d => d.metadata.name === 'checkout-canary')!.metadata.uid;
	assert.deepEqual(data(plan), {
		title: 'set the weight of checkout-canary: 33.3% → 50%',
		changes: ['replicas: checkout 4 → 3, checkout-canary 2 → 3 (50% by replica ratio)'],
		steps: [
			{
				method: 'PATCH',
				path: '/apis/apps/v1/namespaces/canary/deployments/checkout-canary/scale',
				contentType: 'application/json-patch+json',
				body: [
					{op: 'test', path: '/spec/replicas', value: 2},
					{op: 'replace', path: '/spec/replicas', value: 3},
				],
				object: 'Deployment/checkout-canary',
				summary: 'scale checkout-canary 2 → 3',
			},
			{
				method: 'PATCH',
				path: '/apis/apps/v1/namespaces/canary/deployments/checkout/scale',
				contentType: 'application/json-patch+json',
				body: [
					{op: 'test', path: '/spec/replicas', value: 4},
					{op: 'replace', path: '/spec/replicas', value: 3},
				],
				object: 'Deployment/checkout',
				summary: 'scale checkout 4 → 3',
			},
		],
		event: {
			reason: 'RollscopeSetWeight',
			regarding: {apiVersion: 'apps/v1', kind: 'Deployment', name: 'checkout-canary', namespace: 'canary', uid},
			message: 'ann set the weight of checkout-canary 33.3% -> 50% (replica ratio)',
		},
		verify: 'function',
		done: 'checkout-canary now has 50% (replica ratio)',
	});
	const scaled = (stable: number, canary: number | undefined) =>
		canaryCase(undefined, snap => {
			for (const d of snap.deployments) d.spec.replicas = d.metadata.name === 'checkout' ? stable : canary;
			if (canary === undefined) snap.deployments = snap.deployments.filter(d => d.metadata.name === 'checkout');
		});
	assert.equal(plan.verify!(scaled(3, 3)), true);
	assert.equal(plan.verify!(scaled(4, 3)), false, 'the stable not yet down');
	assert.equal(plan.verify!(scaled(3, 2)), false);
	assert.equal(plan.verify!(scaled(3, undefined)), false, 'the canary gone');
	// Down to 0: the stable grows before the canary shrinks.
	const down = planOf(planSetWeight(target(canaryCase()), 0, 'replicas'));
	assert.deepEqual(
		down.steps.map(s => s.summary),
		['scale checkout 4 → 6', 'scale checkout-canary 2 → 0'],
	);
});

test('by replica ratio with three versions (bookinfo): the versions that grow are scaled first', () => {
	const bookinfo = loadCase('bookinfo');
	const t = actionTarget(bookinfo.snapshot, bookinfo.target, 'ann', 'reviews-v3');
	assert.ok(t);
	const plan = planOf(planSetWeight(t, 40, 'replicas'));
	assert.deepEqual(plan.changes, ['replicas: reviews-v1 3 → 2, reviews-v2 1 → 1, reviews-v3 1 → 2 (40% by replica ratio)']);
	assert.deepEqual(plan.steps.map(s => s.summary), ['scale reviews-v3 1 → 2', 'scale reviews-v1 3 → 2']);
	const down = planOf(planSetWeight(t, 0, 'replicas'));
	assert.deepEqual(down.steps.map(s => s.summary), ['scale reviews-v1 3 → 4', 'scale reviews-v3 1 → 0']);
});

test('planSetWeight says why not: not a canary, not a whole percent, already there, a destination that is no version', () => {
	const rolling = loadCase('rolling');
	assert.deepEqual(planSetWeight(target(rolling.snapshot, rolling.target), 10), {message: `${rolling.target} is a rolling Deployment: its traffic follows its ReplicaSets (space pauses, u undoes)`});
	const t = target(canaryCase());
	for (const bad of [2.5, -1, 101, Number.NaN]) assert.deepEqual(planSetWeight(t, bad), {message: `weight must be a whole number from 0 to 100, not ${bad}`});
	assert.equal('plan' in planSetWeight(t, 0) && 'plan' in planSetWeight(t, 100), true, '0 and 100 are weights');
	assert.deepEqual(planSetWeight(t, 10), {message: 'checkout-canary is already at 10%'});
	assert.deepEqual(planSetWeight(t, 33, 'replicas'), {message: 'checkout-canary is already at 33%'}, 'replicas 4 and 2 already give 33%');
	assert.deepEqual(planSetWeight(t, 10, 'linkerd'), {message: '--router linkerd: unknown; use one of istio, gateway-api, smi, traefik, nginx, replicas'});
	const third = target(canaryCase(undefined, snap => vsOf(snap).spec.http[0].route.push({destination: {host: 'legacy'}, weight: 5})));
	assert.deepEqual(planSetWeight(third, 30), {message: 'VirtualService/checkout also sends traffic to what is not a version of deploy/checkout: rollscope cannot set whole percents there'});
	const pair = pairOf(third);
	assert.deepEqual(weightSteps(third, pair, weightMover(third, pair) as never, 30), {message: 'VirtualService/checkout also sends traffic to what is not a version of deploy/checkout: rollscope cannot set whole percents there'});
});

test('a weight read between whole percents: the title and the changes round to one decimal', () => {
	const plan = planOf(planSetWeight(target(canaryCase([2, 1])), 50));
	assert.equal(plan.title, 'set the weight of checkout-canary: 33.3% → 50%');
	assert.deepEqual(plan.changes, ['VirtualService/checkout: checkout 66.7% → 50%, checkout-canary 33.3% → 50%']);
	assert.equal(plan.event?.message, 'ann set the weight of checkout-canary 33.3% -> 50% (VirtualService/checkout)');
});

test('steppedWeight: from the rounded weight, by the step, within 0..100', () => {
	assert.deepEqual(
		[steppedWeight(10, 1, 10), steppedWeight(12.4, 1, 10), steppedWeight(12.6, 1, 10), steppedWeight(12.6, -1, 5), steppedWeight(95, 1, 10), steppedWeight(3, -1, 10), steppedWeight(100, 1, 10), steppedWeight(0, -1, 10)],
		[20, 22, 23, 8, 100, 0, 100, 0],
	);
});

test('planWeight: the plan sorted, a twentieth of a percent counts as there', () => {
	const plan = [50, 5, 100, 25];
	assert.deepEqual(
		[planWeight(0, 1, plan), planWeight(24.9, 1, plan), planWeight(24.96, 1, plan), planWeight(25, 1, plan), planWeight(99.9, 1, plan), planWeight(99.96, 1, plan)],
		[5, 25, 50, 50, 100, undefined],
	);
	assert.deepEqual(
		[planWeight(100, -1, plan), planWeight(25.06, -1, plan), planWeight(25.04, -1, plan), planWeight(5.04, -1, plan), planWeight(0.06, -1, plan), planWeight(0.04, -1, plan)],
		[50, 25, 5, 0, 0, undefined],
	);
	// Exactly a twentieth away still counts as there.
	assert.deepEqual([planWeight(24.95, 1, plan), planWeight(25.05, -1, plan), planWeight(0.05, -1, plan)], [50, 5, undefined]);
	assert.deepEqual(plan, [50, 5, 100, 25], 'the plan given is left as it is');
});

test('the weight keys: = prompts from the weight now, + - step, [ ] walk the plan, and say why not at the ends', () => {
	const at = (weights: [number, number]) => target(canaryCase(weights));
	assert.deepEqual(canaryWeightKey(at([90, 10]), 'typeWeight', config), {prompt: {current: 10}});
	assert.deepEqual(canaryWeightKey(at([90, 10]), 'weightUp', config), {intent: {name: 'setWeight', percent: 20}});
	assert.deepEqual(canaryWeightKey(at([90, 10]), 'weightDown', config), {intent: {name: 'setWeight', percent: 0}});
	assert.deepEqual(canaryWeightKey(at([90, 10]), 'weightUp', {...config, weightStep: 5}), {intent: {name: 'setWeight', percent: 15}});
	assert.deepEqual(canaryWeightKey(at([0, 100]), 'weightUp', config), {message: 'the canary is already at 100%'});
	assert.deepEqual(canaryWeightKey(at([100, 0]), 'weightDown', config), {message: 'the canary is already at 0%'});
	assert.deepEqual(canaryWeightKey(at([1, 2]), 'weightUp', config), {intent: {name: 'setWeight', percent: 77}}, '66.7% rounds to 67');
	assert.deepEqual(canaryWeightKey(at([1999, 1]), 'weightDown', config), {intent: {name: 'setWeight', percent: 0}}, '0.05% is not 0%');
	assert.deepEqual(canaryWeightKey(at([90, 10]), 'planNext', config), {intent: {name: 'setWeight', percent: 25}});
	assert.deepEqual(canaryWeightKey(at([90, 10]), 'planPrev', config), {intent: {name: 'setWeight', percent: 5}});
	assert.deepEqual(canaryWeightKey(at([0, 100]), 'planNext', config), {message: 'no next step in the weight plan (5, 25, 50, 100) from 100%'});
	assert.deepEqual(canaryWeightKey(at([100, 0]), 'planPrev', config), {message: 'no previous step in the weight plan (5, 25, 50, 100) from 0%'});
	assert.deepEqual(canaryWeightKey(at([90, 10]), 'planNext', config, 'replicas'), {intent: {name: 'setWeight', percent: 50}}, 'by replicas the canary has 33.3%');
	assert.deepEqual(canaryWeightKey(at([90, 10]), 'planNext', config, 'linkerd'), {message: '--router linkerd: unknown; use one of istio, gateway-api, smi, traefik, nginx, replicas'});
	const rolling = loadCase('rolling');
	const web = target(rolling.snapshot, rolling.target);
	assert.deepEqual(currentCanaryWeight(web), {message: web.noWeights});
	assert.deepEqual(canaryWeightKey(web, 'weightUp', config), {message: web.noWeights});
	assert.equal(currentCanaryWeight(at([70, 30])), 30);
	assert.equal(currentCanaryWeight(at([70, 30]), 'replicas'), 33.3);
});
