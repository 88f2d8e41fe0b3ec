// Blue-green: p switches the active Service to the other colour once it is all available and records where
// from; a switches back to the recorded colour. Whole plans as data, from the canonical bluegreen case
// (Service shop selecting color=blue: shop-blue active, shop-green preview, 3 replicas each).
import assert from 'node:assert/strict';
import {test} from 'node:test';
import {planBlueGreenAbort, planBlueGreenPromote, SWITCHED_FROM} from '../../source/actions/bluegreen.js';
import type {ActionTarget} from '../../source/actions/target.js';
import type {Plan} from '../../source/actions/types.js';
import {actionTarget} from '../../source/kinds/registry.js';
import type {ClusterSnapshot} from '../../source/release/snapshot.js';
import {loadCase} from '../helpers/testdata.js';

type Edit = (snap: ClusterSnapshot) => void;
const serviceOf = (snap: ClusterSnapshot) => snap.services.find(s => s.metadata.name === 'shop')!;
const deploymentIn = (snap: ClusterSnapshot, name: string) => snap.deployments.find(d => d.metadata.name === name)!;
const data = ({verify, ...rest}: Plan) => ({...rest, verify: typeof verify});

/** The Service switched to green by rollscope, recorded as coming from `from`. */
const switched =
	(from = 'color=blue'): Edit =>
	snap => {
		const service = serviceOf(snap);
		service.spec.selector.color = 'green';
		service.metadata.annotations = {...service.metadata.annotations, [SWITCHED_FROM]: from};
	};

function bluegreen(...edits: Edit[]): {snap: ClusterSnapshot; t: ActionTarget} {
	const snap = loadCase('bluegreen').snapshot;
	for (const edit of edits) edit(snap);
	const t = actionTarget(snap, 'svc/shop', 'dave');
	assert.ok(t);
	return {snap, t};
}

function planOf(planned: {plan: Plan} | {message: string}): Plan {
	assert.ok('plan' in planned, 'message' in planned ? planned.message : '');
	return planned.plan;
}

const selecting = (color: string | undefined): ClusterSnapshot => {
	const snap = loadCase('bluegreen').snapshot;
	if (color === undefined) snap.services = snap.services.filter(s => s.metadata.name !== 'shop');
	else serviceOf(snap).spec.selector.color = color;
	return snap;
};

test('promote: the selector to green, testing blue first, and where it came from recorded', () => {
	const {snap, t} = bluegreen();
	const plan = planOf(planBlueGreenPromote(t));
	assert.deepEqual(data(plan), {
		title: 'switch shop to green',
		changes: ['Service/shop selector color: blue (shop-blue) → green (shop-green)', 'all traffic moves at once'],
		steps: [
			{
				method: 'PATCH',
				path: '/api/v1/namespaces/bluegreen/services/shop',
				contentType: 'application/json-patch+json',
				body: [
					{op: 'test', path: '/spec/selector/color', value: 'blue'},
					{op: 'replace', path: '/spec/selector/color', value: 'green'},
					{op: 'add', path: '/metadata/annotations', value: {[SWITCHED_FROM]: 'color=blue'}},
				],
				object: 'Service/shop',
				summary: 'Service/shop selector color: blue (shop-blue) → green (shop-green)',
			},
		],
		event: {
			reason: 'RollscopePromote',
			regarding: {apiVersion: 'v1', kind: 'Service', name: 'shop', namespace: 'bluegreen', uid: serviceOf(snap).metadata.uid},
			message: 'dave switched Service shop color=blue (shop-blue) -> color=green (shop-green)',
		},
		verify: 'function',
		done: 'Service/shop now selects color=green (shop-green)',
	});
	assert.equal(plan.verify!(selecting('green')), true);
	assert.equal(plan.verify!(selecting('blue')), false);
	assert.equal(plan.verify!(selecting(undefined)), false, 'the Service gone');
	// A Service with annotations already: the record is one more.
	const annotated = bluegreen(snap => (serviceOf(snap).metadata.annotations = {team: 'shop'}));
	assert.deepEqual((planOf(planBlueGreenPromote(annotated.t)).steps[0]!.body as unknown[]).at(-1), {op: 'add', path: '/metadata/annotations/rollscope.dev~1switched-from', value: 'color=blue'});
});

test('promote waits for every pod of the other colour to be available', () => {
	assert.deepEqual(planBlueGreenPromote(bluegreen(snap => (deploymentIn(snap, 'shop-green').status.availableReplicas = 2)).t), {message: 'shop-green has 2/3 pods available: not switching traffic to it yet'});
	assert.deepEqual(planBlueGreenPromote(bluegreen(snap => delete deploymentIn(snap, 'shop-green').status.availableReplicas).t), {message: 'shop-green has 0/3 pods available: not switching traffic to it yet'});
	assert.deepEqual(planBlueGreenPromote(bluegreen(snap => (deploymentIn(snap, 'shop-green').spec.replicas = 0)).t), {message: 'shop-green has 3/0 pods available: not switching traffic to it yet'}, 'no pods wanted is not ready');
	const one = bluegreen(snap => {
		delete deploymentIn(snap, 'shop-green').spec.replicas;
		deploymentIn(snap, 'shop-green').status.availableReplicas = 1;
	});
	assert.equal('plan' in planBlueGreenPromote(one.t), true, 'no spec.replicas wants 1');
	assert.equal('plan' in planBlueGreenPromote(bluegreen(snap => (deploymentIn(snap, 'shop-green').status.availableReplicas = 4)).t), true, 'more than wanted is enough');
});

test('promote and abort say why not: a Service a controller owns, a selector that does not tell the colours apart, not blue-green', () => {
	const owned = bluegreen(snap => (serviceOf(snap).metadata.ownerReferences = [{apiVersion: 'argoproj.io/v1alpha1', kind: 'Rollout', name: 'shop', uid: 'u'}]));
	const ownedMessage = "Service/shop is managed by argo-rollouts: rollscope does not patch it behind the controller's back; use kubectl argo rollouts promote|abort|set weight";
	assert.deepEqual(planBlueGreenPromote(owned.t), {message: ownedMessage});
	const ownedSwitched = bluegreen(switched(), snap => (serviceOf(snap).metadata.ownerReferences = [{apiVersion: 'argoproj.io/v1alpha1', kind: 'Rollout', name: 'shop', uid: 'u'}]));
	assert.deepEqual(planBlueGreenAbort(ownedSwitched.t), {message: ownedMessage});
	const canary = loadCase('canary');
	const checkout = actionTarget(canary.snapshot, canary.target, 'dave')!;
	assert.deepEqual(planBlueGreenPromote(checkout), {message: 'deploy/checkout is not a blue-green pair'});
	assert.deepEqual(planBlueGreenAbort(checkout), {message: 'deploy/checkout is not a blue-green pair'});
});

test('abort: back to the recorded colour, the record removed; done when the Service selects it', () => {
	const {snap, t} = bluegreen(switched());
	const plan = planOf(planBlueGreenAbort(t));
	assert.deepEqual(data(plan), {
		title: 'switch shop back to blue',
		changes: ['Service/shop selector color: green (shop-green) → blue (shop-blue)', 'all traffic moves at once'],
		steps: [
			{
				method: 'PATCH',
				path: '/api/v1/namespaces/bluegreen/services/shop',
				contentType: 'application/json-patch+json',
				body: [
					{op: 'test', path: '/spec/selector/color', value: 'green'},
					{op: 'replace', path: '/spec/selector/color', value: 'blue'},
					{op: 'test', path: '/metadata/annotations/rollscope.dev~1switched-from', value: 'color=blue'},
					{op: 'remove', path: '/metadata/annotations/rollscope.dev~1switched-from'},
				],
				object: 'Service/shop',
				summary: 'Service/shop selector color: green (shop-green) → blue (shop-blue)',
			},
		],
		event: {
			reason: 'RollscopeAbort',
			regarding: {apiVersion: 'v1', kind: 'Service', name: 'shop', namespace: 'bluegreen', uid: serviceOf(snap).metadata.uid},
			message: 'dave switched Service shop color=green (shop-green) -> color=blue (shop-blue)',
		},
		verify: 'function',
		done: 'Service/shop now selects color=blue (shop-blue)',
	});
	assert.equal(plan.verify!(selecting('blue')), true);
	assert.equal(plan.verify!(selecting('green')), false);
});

test('abort says why not: nothing recorded, a record of another label, already there, a colour neither has, not ready', () => {
	assert.deepEqual(planBlueGreenAbort(bluegreen().t), {message: 'nothing to switch back: rollscope has not switched Service/shop (p switches it to green)'});
	assert.deepEqual(planBlueGreenAbort(bluegreen(switched('tier=blue')).t), {message: 'nothing to switch back: rollscope has not switched Service/shop (p switches it to blue)'});
	assert.deepEqual(planBlueGreenAbort(bluegreen(switched('color=green')).t), {message: 'Service/shop already selects color=green'});
	assert.deepEqual(planBlueGreenAbort(bluegreen(switched('color=red')).t), {message: 'Service/shop was switched from color=red, which neither Deployment has now'});
	assert.deepEqual(planBlueGreenAbort(bluegreen(switched(), snap => (deploymentIn(snap, 'shop-blue').status.availableReplicas = 1)).t), {message: 'shop-blue has 1/3 pods available: not switching traffic back to it'});
	// A value with an = in it is kept whole.
	assert.deepEqual(planBlueGreenAbort(bluegreen(switched('color=blue=x')).t), {message: 'Service/shop was switched from color=blue=x, which neither Deployment has now'});
});
