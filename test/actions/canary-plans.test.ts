// Promoting and aborting a canary pair, whole plans as data: each stage of a promotion with its record, its
// Event and what the watch must show; an abort with and without a promotion under way. From the canonical
// canary case: checkout (4 replicas, registry.local/checkout:1.2.3, revision 1) and checkout-canary (2
// replicas, 1.3.0) behind an Istio VirtualService at 90/10.
import assert from 'node:assert/strict';
import {test} from 'node:test';
import {planCanaryAbort, planCanaryPromote, recordedPromotion} from '../../source/actions/canary.js';
import {PROMOTION_ANNOTATION, promotionStatus, readPromotion, rolledOut, stageLabels, stageSteps, type PromotionRecord} from '../../source/actions/promotion.js';
import type {ActionTarget} from '../../source/actions/target.js';
import type {Plan} from '../../source/actions/types.js';
import {weightMover, type WeightMover} from '../../source/actions/weights.js';
import {actionTarget} from '../../source/kinds/registry.js';
import type {KObject} from '../../source/kube/object.js';
import type {ClusterSnapshot} from '../../source/release/snapshot.js';
import {loadCase} from '../helpers/testdata.js';
import {canaryPair as canaryObjects, snapshot} from '../release/fixtures.js';

const NOW = '2026-01-01T00:00:00Z';
const IMAGE = 'registry.local/checkout:1.3.0';
const OLD_IMAGE = 'registry.local/checkout:1.2.3';

const deploymentIn = (snap: ClusterSnapshot, name: string) => snap.deployments.find(d => d.metadata.name === name)!;
const vsOf = (snap: ClusterSnapshot) => snap.routers.find(r => r.kind === 'VirtualService')!;
const data = ({verify, ...rest}: Plan) => ({...rest, verify: typeof verify});

type Edit = (snap: ClusterSnapshot) => void;
const record = (r: Partial<PromotionRecord>): Edit => snap => {
	const stable = deploymentIn(snap, 'checkout');
	stable.metadata.annotations = {...stable.metadata.annotations, [PROMOTION_ANNOTATION]: JSON.stringify({canary: 'checkout-canary', stage: 'ready', images: [IMAGE], fromRevision: 1, by: 'bob', at: NOW, ...r})};
};
/** The stable Deployment on the canary's template, rolled out. */
const promoted: Edit = snap => {
	const stable = deploymentIn(snap, 'checkout');
	stable.spec.template = stableTemplate(snap);
};
const weight = (canary: number): Edit => snap => {
	const vs = vsOf(snap);
	vs.spec.http[0].route[0].weight = 100 - canary;
	vs.spec.http[0].route[1].weight = canary;
};
const canaryReplicas = (n: number): Edit => snap => {
	deploymentIn(snap, 'checkout-canary').spec.replicas = n;
};

/** The canary's pod template with the stable's labels: what promotion writes into the stable Deployment. */
function stableTemplate(snap: ClusterSnapshot): any {
	const template = structuredClone(deploymentIn(snap, 'checkout-canary').spec.template);
	template.metadata.labels = {app: 'checkout', track: 'stable'};
	return template;
}

function canaryCase(...edits: Edit[]): {snap: ClusterSnapshot; t: ActionTarget} {
	const snap = loadCase('canary').snapshot;
	for (const edit of edits) edit(snap);
	const t = actionTarget(snap, 'deploy/checkout', 'ann');
	assert.ok(t);
	return {snap, t};
}

function planOf(planned: {plan: Plan} | {message: string}): Plan {
	assert.ok('plan' in planned, 'message' in planned ? planned.message : '');
	return planned.plan;
}

function status(t: ActionTarget, r?: PromotionRecord) {
	const pair = t.pair!;
	const mover = weightMover(t, pair) as WeightMover;
	return promotionStatus(t, pair, mover, r ?? (readPromotion(pair.stable) as PromotionRecord));
}

const STABLE_PATH = '/apis/apps/v1/namespaces/canary/deployments/checkout';
const uid = (snap: ClusterSnapshot, name: string) => deploymentIn(snap, name).metadata.uid;

test('promote: the stable Deployment takes the canary template with the record and a change-cause, in one patch', () => {
	const {snap, t} = canaryCase();
	const stable = deploymentIn(snap, 'checkout');
	const plan = planOf(planCanaryPromote(t, NOW));
	assert.deepEqual(data(plan), {
		title: 'promote checkout-canary into checkout',
		changes: [
			'1. deploy/checkout takes the pod template of checkout-canary:',
			`     image checkout: ${OLD_IMAGE} → ${IMAGE}`,
			'2. wait until all pods of checkout are ready',
			'3. VirtualService/checkout: checkout → 100%, checkout-canary → 0%',
			'4. scale checkout-canary 2 → 0',
			'(recorded in rollscope.dev/promotion on deploy/checkout: an interrupted promotion can be resumed or aborted)',
		],
		steps: [
			{
				method: 'PATCH',
				path: STABLE_PATH,
				contentType: 'application/json-patch+json',
				body: [
					{op: 'test', path: '/spec/template', value: stable.spec.template},
					{op: 'replace', path: '/spec/template', value: stableTemplate(snap)},
					{op: 'add', path: '/metadata/annotations/rollscope.dev~1promotion', value: JSON.stringify({canary: 'checkout-canary', stage: 'ready', images: [IMAGE], fromRevision: 1, by: 'ann', at: NOW})},
					{op: 'add', path: '/metadata/annotations/kubernetes.io~1change-cause', value: `rollscope promote checkout-canary (${IMAGE})`},
				],
				object: 'Deployment/checkout',
				summary: 'deploy/checkout: template of checkout-canary, promotion recorded',
			},
		],
		event: {
			reason: 'RollscopePromote',
			regarding: {apiVersion: 'apps/v1', kind: 'Deployment', name: 'checkout', namespace: 'canary', uid: uid(snap, 'checkout')},
			message: `ann promoting checkout-canary into checkout: image ${OLD_IMAGE} -> ${IMAGE}`,
		},
		verify: 'function',
		done: "checkout runs checkout-canary's template",
		continues: 'promotion',
	});
	assert.equal(plan.verify!(canaryCase().snap), false, 'as it was');
	assert.equal(plan.verify!(canaryCase(promoted).snap), false, 'the template without the record');
	assert.equal(plan.verify!(canaryCase(record({}), promoted).snap), true);
	assert.equal(plan.verify!(canaryCase(record({})).snap), false, 'the record without the template');
});

test('promote when the stable already runs the canary template: only the record', () => {
	const {t} = canaryCase(promoted);
	const plan = planOf(planCanaryPromote(t, NOW));
	assert.deepEqual(plan.changes.slice(0, 2), ['1. deploy/checkout takes the pod template of checkout-canary', '2. wait until all pods of checkout are ready']);
	assert.deepEqual(plan.steps[0]!.body, [{op: 'add', path: '/metadata/annotations/rollscope.dev~1promotion', value: JSON.stringify({canary: 'checkout-canary', stage: 'ready', images: [IMAGE], fromRevision: 1, by: 'ann', at: NOW})}]);
	// Without annotations at all, the record makes the map.
	const bare = canaryCase(promoted, snap => delete deploymentIn(snap, 'checkout').metadata.annotations);
	assert.deepEqual(planOf(planCanaryPromote(bare.t, NOW)).steps[0]!.body, [{op: 'add', path: '/metadata/annotations', value: {[PROMOTION_ANNOTATION]: JSON.stringify({canary: 'checkout-canary', stage: 'ready', images: [IMAGE], by: 'ann', at: NOW})}}]);
});

test('promote says why not: no canary pods, nothing left to promote, a record that does not parse, not a canary', () => {
	assert.deepEqual(planCanaryPromote(canaryCase(canaryReplicas(0)).t, NOW), {message: 'checkout-canary has no available pods: nothing to promote'});
	assert.deepEqual(planCanaryPromote(canaryCase(snap => (deploymentIn(snap, 'checkout-canary').status.availableReplicas = 0)).t, NOW), {message: 'checkout-canary has no available pods: nothing to promote'});
	assert.deepEqual(planCanaryPromote(canaryCase(snap => delete deploymentIn(snap, 'checkout-canary').status.availableReplicas).t, NOW), {message: 'checkout-canary has no available pods: nothing to promote'});
	const broken = canaryCase(snap => (deploymentIn(snap, 'checkout').metadata.annotations![PROMOTION_ANNOTATION] = '{"canary":'));
	assert.deepEqual(planCanaryPromote(broken.t, NOW), {message: 'the rollscope.dev/promotion annotation on deploy/checkout cannot be read: a aborts (and removes it)'});
	assert.deepEqual(recordedPromotion(broken.t), {broken: '{"canary":'});
	assert.equal(recordedPromotion(canaryCase().t), undefined);
	const rolling = loadCase('rolling');
	const web = actionTarget(rolling.snapshot, rolling.target, 'ann')!;
	assert.deepEqual(planCanaryPromote(web, NOW), {message: web.noWeights});
	assert.equal(recordedPromotion(web), undefined);
	assert.deepEqual(planCanaryPromote(canaryCase().t, NOW, 'linkerd'), {message: '--router linkerd: unknown; use one of istio, gateway-api, smi, traefik, nginx, replicas'});
	const owned = canaryCase(snap => (vsOf(snap).metadata.labels = {'app.kubernetes.io/managed-by': 'flagger'}));
	assert.match((planCanaryPromote(owned.t, NOW) as {message: string}).message, /^VirtualService\/checkout is managed by flagger/);
});

test('readPromotion: a record needs a canary, a known stage and a list of images', () => {
	const stable = (raw?: string): KObject => ({metadata: {name: 'checkout', annotations: raw === undefined ? {} : {[PROMOTION_ANNOTATION]: raw}}});
	assert.equal(readPromotion(stable()), undefined);
	assert.equal(readPromotion({metadata: {name: 'checkout'}}), undefined);
	const good = {canary: 'c', stage: 'traffic', images: ['i'], by: 'b', at: 'a'};
	assert.deepEqual(readPromotion(stable(JSON.stringify(good))), good);
	for (const bad of [{...good, canary: 1}, {...good, stage: 'later'}, {...good, images: 'i'}, null, 'x']) {
		const raw = JSON.stringify(bad);
		assert.deepEqual(readPromotion(stable(raw)), {broken: raw}, raw);
	}
	assert.deepEqual(readPromotion(stable('nope')), {broken: 'nope'});
});

test('stage template: a record at a later stage whose template is not there yet writes it again, the record back to ready', () => {
	const {snap, t} = canaryCase(record({stage: 'traffic', by: 'bob'}));
	const stable = deploymentIn(snap, 'checkout');
	const s = status(t);
	assert.ok('plan' in s);
	assert.equal(s.stage, 'template');
	assert.deepEqual(data(s.plan), {
		title: 'promote checkout-canary: template',
		changes: ['deploy/checkout takes the pod template of checkout-canary'],
		steps: [
			{
				method: 'PATCH',
				path: STABLE_PATH,
				contentType: 'application/json-patch+json',
				body: [
					{op: 'test', path: '/spec/template', value: stable.spec.template},
					{op: 'replace', path: '/spec/template', value: stableTemplate(snap)},
					{op: 'test', path: '/metadata/annotations/rollscope.dev~1promotion', value: stable.metadata.annotations![PROMOTION_ANNOTATION]},
					{op: 'add', path: '/metadata/annotations/rollscope.dev~1promotion', value: JSON.stringify({canary: 'checkout-canary', stage: 'ready', images: [IMAGE], fromRevision: 1, by: 'bob', at: NOW})},
				],
				object: 'Deployment/checkout',
				summary: 'deploy/checkout: template of checkout-canary',
			},
		],
		event: {reason: 'RollscopePromote', regarding: {apiVersion: 'apps/v1', kind: 'Deployment', name: 'checkout', namespace: 'canary', uid: uid(snap, 'checkout')}, message: `ann promoting checkout-canary into checkout: image ${OLD_IMAGE} -> ${IMAGE}`},
		verify: 'function',
		done: "checkout runs checkout-canary's template",
	});
	assert.equal(s.plan.verify!(canaryCase(promoted).snap), true);
	assert.equal(s.plan.verify!(canaryCase().snap), false);
	const gone = loadCase('canary').snapshot;
	gone.deployments = gone.deployments.filter(d => d.metadata.name !== 'checkout');
	assert.equal(s.plan.verify!(gone), false, 'the stable gone');
});

test('stage ready: waits, saying what the rollout lacks', () => {
	const waiting = (edit: Edit) => status(canaryCase(record({}), promoted, edit).t);
	assert.deepEqual(waiting(snap => (deploymentIn(snap, 'checkout').status.updatedReplicas = 1)), {stage: 'ready', waiting: 'checkout: 1/4 updated, 4 available, 3 old pending termination'});
	assert.deepEqual(waiting(snap => (deploymentIn(snap, 'checkout').status.availableReplicas = 3)), {stage: 'ready', waiting: 'checkout: 4/4 updated, 3 available'});
	assert.deepEqual(waiting(snap => (deploymentIn(snap, 'checkout').metadata.generation = 9)), {stage: 'ready', waiting: 'checkout: 4/4 updated, 4 available'}, 'the controller has not seen the new template');
	assert.deepEqual(
		waiting(snap => Object.assign(deploymentIn(snap, 'checkout'), {spec: {...deploymentIn(snap, 'checkout').spec, paused: true}, status: {...deploymentIn(snap, 'checkout').status, updatedReplicas: 0}})),
		{stage: 'ready', waiting: 'checkout: 0/4 updated, 4 available, 4 old pending termination (deploy/checkout is paused: the promotion goes on once it is resumed)'},
	);
});

test('rolledOut: kubectl rollout status\'s test', () => {
	const d = (spec: object, status: object, generation = 2): KObject => ({metadata: {name: 'w', generation}, spec, status});
	assert.deepEqual(rolledOut(d({replicas: 3}, {observedGeneration: 2, updatedReplicas: 3, availableReplicas: 3, replicas: 3})), {done: true, text: 'w: 3/3 updated, 3 available'});
	assert.deepEqual(rolledOut(d({replicas: 3}, {observedGeneration: 1, updatedReplicas: 3, availableReplicas: 3, replicas: 3})), {done: false, text: 'w: 3/3 updated, 3 available'});
	assert.deepEqual(rolledOut(d({replicas: 3}, {observedGeneration: 3, updatedReplicas: 3, availableReplicas: 3, replicas: 3})), {done: true, text: 'w: 3/3 updated, 3 available'});
	assert.deepEqual(rolledOut(d({replicas: 3}, {observedGeneration: 2, updatedReplicas: 2, availableReplicas: 3, replicas: 3})), {done: false, text: 'w: 2/3 updated, 3 available, 1 old pending termination'});
	assert.deepEqual(rolledOut(d({replicas: 3}, {observedGeneration: 2, updatedReplicas: 3, availableReplicas: 2, replicas: 3})), {done: false, text: 'w: 3/3 updated, 2 available'});
	assert.deepEqual(rolledOut(d({replicas: 3}, {observedGeneration: 2, updatedReplicas: 3, availableReplicas: 3, replicas: 4})), {done: false, text: 'w: 3/3 updated, 3 available, 1 old pending termination'});
	assert.deepEqual(rolledOut(d({}, {observedGeneration: 2, updatedReplicas: 1, availableReplicas: 1, replicas: 1})), {done: true, text: 'w: 1/1 updated, 1 available'}, 'no spec.replicas is 1');
	assert.deepEqual(rolledOut({metadata: {name: 'w'}, spec: {replicas: 0}}), {done: true, text: 'w: 0/0 updated, 0 available'});
	assert.deepEqual(rolledOut({metadata: {name: 'w'}, spec: {replicas: 1, paused: true}}), {done: false, text: 'w: 0/1 updated, 0 available (deploy/w is paused: the promotion goes on once it is resumed)'});
	assert.deepEqual(rolledOut({metadata: {name: 'w'}, spec: {replicas: 0, paused: true}}), {done: true, text: 'w: 0/0 updated, 0 available'}, 'paused but done says nothing of it');
});

test('stage traffic: the record moves first, then the canary to 0% through the VirtualService', () => {
	const {snap, t} = canaryCase(record({}), promoted);
	const stable = deploymentIn(snap, 'checkout');
	const s = status(t);
	assert.ok('plan' in s);
	assert.equal(s.stage, 'traffic');
	assert.deepEqual(data(s.plan), {
		title: 'promote checkout-canary: traffic',
		changes: ['VirtualService/checkout: checkout 90% → 100%, checkout-canary 10% → 0%'],
		steps: [
			{
				method: 'PATCH',
				path: STABLE_PATH,
				contentType: 'application/json-patch+json',
				body: [
					{op: 'test', path: '/metadata/annotations/rollscope.dev~1promotion', value: stable.metadata.annotations![PROMOTION_ANNOTATION]},
					{op: 'add', path: '/metadata/annotations/rollscope.dev~1promotion', value: JSON.stringify({canary: 'checkout-canary', stage: 'traffic', images: [IMAGE], fromRevision: 1, by: 'bob', at: NOW})},
				],
				object: 'Deployment/checkout',
				summary: 'record stage traffic',
			},
			{
				method: 'PATCH',
				path: '/apis/networking.istio.io/v1/namespaces/canary/virtualservices/checkout',
				contentType: 'application/json-patch+json',
				body: [
					{op: 'test', path: '/spec/http/0/name', value: 'primary'},
					{op: 'test', path: '/spec/http/0/route/0/destination/subset', value: 'stable'},
					{op: 'test', path: '/spec/http/0/route/0/weight', value: 90},
					{op: 'add', path: '/spec/http/0/route/0/weight', value: 100},
					{op: 'test', path: '/spec/http/0/route/1/destination/subset', value: 'canary'},
					{op: 'test', path: '/spec/http/0/route/1/weight', value: 10},
					{op: 'add', path: '/spec/http/0/route/1/weight', value: 0},
				],
				object: 'VirtualService/checkout',
				summary: 'VirtualService/checkout: weights checkout 100, checkout-canary 0',
			},
		],
		event: {reason: 'RollscopePromote', regarding: {apiVersion: 'apps/v1', kind: 'Deployment', name: 'checkout', namespace: 'canary', uid: uid(snap, 'checkout')}, message: 'ann promoting checkout-canary into checkout: traffic to checkout-canary 10% -> 0%, checkout -> 100%'},
		verify: 'function',
		done: '100% of traffic on checkout',
	});
	assert.equal(s.plan.verify!(canaryCase(weight(0)).snap), true);
	assert.equal(s.plan.verify!(canaryCase().snap), false);
	// A VirtualService that also sends traffic elsewhere cannot be set: the stage says so.
	const third = canaryCase(record({}), promoted, snap => vsOf(snap).spec.http[0].route.push({destination: {host: 'legacy'}, weight: 5}));
	assert.deepEqual(status(third.t), {stage: 'traffic', error: 'VirtualService/checkout also sends traffic to what is not a version of deploy/checkout: rollscope cannot set whole percents there'});
});

test('stage scale: the record moves, then the canary to 0 replicas through the scale subresource', () => {
	const {snap, t} = canaryCase(record({stage: 'traffic'}), promoted, weight(0));
	const stable = deploymentIn(snap, 'checkout');
	const s = status(t);
	assert.ok('plan' in s);
	assert.equal(s.stage, 'scale');
	assert.deepEqual(data(s.plan), {
		title: 'promote checkout-canary: scale down',
		changes: ['scale checkout-canary 2 → 0'],
		steps: [
			{
				method: 'PATCH',
				path: STABLE_PATH,
				contentType: 'application/json-patch+json',
				body: [
					{op: 'test', path: '/metadata/annotations/rollscope.dev~1promotion', value: stable.metadata.annotations![PROMOTION_ANNOTATION]},
					{op: 'add', path: '/metadata/annotations/rollscope.dev~1promotion', value: JSON.stringify({canary: 'checkout-canary', stage: 'scale', images: [IMAGE], fromRevision: 1, by: 'bob', at: NOW})},
				],
				object: 'Deployment/checkout',
				summary: 'record stage scale',
			},
			{
				method: 'PATCH',
				path: '/apis/apps/v1/namespaces/canary/deployments/checkout-canary/scale',
				contentType: 'application/json-patch+json',
				body: [
					{op: 'test', path: '/spec/replicas', value: 2},
					{op: 'replace', path: '/spec/replicas', value: 0},
				],
				object: 'Deployment/checkout-canary',
				summary: 'scale checkout-canary 2 → 0',
			},
		],
		event: {reason: 'RollscopePromote', regarding: {apiVersion: 'apps/v1', kind: 'Deployment', name: 'checkout-canary', namespace: 'canary', uid: uid(snap, 'checkout-canary')}, message: 'ann promoting checkout-canary into checkout: checkout-canary replicas 2 -> 0'},
		verify: 'function',
		done: 'checkout-canary scaled to 0',
	});
	assert.equal(s.plan.verify!(canaryCase(canaryReplicas(0)).snap), true);
	assert.equal(s.plan.verify!(canaryCase(canaryReplicas(1)).snap), false);
	const gone = loadCase('canary').snapshot;
	gone.deployments = gone.deployments.filter(d => d.metadata.name !== 'checkout-canary');
	assert.equal(s.plan.verify!(gone), false, 'the canary gone');
	// A canary without spec.replicas has one.
	const one = status(canaryCase(record({stage: 'traffic'}), promoted, weight(0), snap => delete deploymentIn(snap, 'checkout-canary').spec.replicas).t);
	assert.ok('plan' in one);
	assert.deepEqual(one.plan.changes, ['scale checkout-canary 1 → 0']);
});

test('stage finish: the record removed; with no record left, done', () => {
	const {snap, t} = canaryCase(record({stage: 'scale'}), promoted, weight(0), canaryReplicas(0));
	const stable = deploymentIn(snap, 'checkout');
	const s = status(t);
	assert.ok('plan' in s);
	assert.equal(s.stage, 'finish');
	assert.deepEqual(data(s.plan), {
		title: 'promote checkout-canary: finish',
		changes: ['remove rollscope.dev/promotion from deploy/checkout'],
		steps: [
			{
				method: 'PATCH',
				path: STABLE_PATH,
				contentType: 'application/json-patch+json',
				body: [
					{op: 'test', path: '/metadata/annotations/rollscope.dev~1promotion', value: stable.metadata.annotations![PROMOTION_ANNOTATION]},
					{op: 'remove', path: '/metadata/annotations/rollscope.dev~1promotion'},
				],
				object: 'Deployment/checkout',
				summary: 'promotion done: record removed',
			},
		],
		event: {reason: 'RollscopePromote', regarding: {apiVersion: 'apps/v1', kind: 'Deployment', name: 'checkout', namespace: 'canary', uid: uid(snap, 'checkout')}, message: `ann promoting checkout-canary into checkout: done; checkout runs ${IMAGE} with 100% of traffic, checkout-canary scaled to 0`},
		verify: 'function',
		done: `promoted: checkout runs ${IMAGE} with all traffic; checkout-canary is at 0`,
	});
	assert.equal(s.plan.verify!(canaryCase().snap), true);
	assert.equal(s.plan.verify!(canaryCase(record({})).snap), false);
	const over = canaryCase(promoted, weight(0), canaryReplicas(0));
	assert.deepEqual(status(over.t, {canary: 'checkout-canary', stage: 'finish', images: [IMAGE], by: 'x', at: 'y'}), {stage: 'finish', done: true});
});

test('a recorded promotion of another canary, or of other images, is not carried on', () => {
	const {t} = canaryCase(promoted);
	assert.deepEqual(status(t, {canary: 'other', stage: 'scale', images: [IMAGE], by: 'x', at: 'y'}), {stage: 'scale', error: 'the recorded promotion is of other, not checkout-canary'});
	assert.deepEqual(status(t, {canary: 'checkout-canary', stage: 'traffic', images: ['a:1', 'b:2'], by: 'x', at: 'y'}), {stage: 'traffic', error: `checkout-canary changed since the promotion started (a:1, b:2 -> ${IMAGE}): a aborts it`});
	assert.deepEqual(planCanaryPromote(canaryCase(record({canary: 'other'})).t, NOW), {message: 'the recorded promotion is of other, not checkout-canary'});
});

test('resume: p on a recorded promotion plans the stage the cluster is at, or says what it waits for', () => {
	const at = canaryCase(record({stage: 'ready'}), promoted, snap => (deploymentIn(snap, 'checkout').status.availableReplicas = 2));
	assert.deepEqual(data(planOf(planCanaryPromote(at.t, NOW))), {
		title: `resume the promotion of checkout-canary (started by bob at ${NOW})`,
		changes: ['at stage: stable pods ready', 'waiting: checkout: 4/4 updated, 2 available'],
		steps: [],
		event: undefined,
		verify: 'undefined',
		done: 'resumed',
		continues: 'promotion',
	});
	const traffic = planOf(planCanaryPromote(canaryCase(record({}), promoted).t, NOW));
	assert.deepEqual(traffic.changes, ['at stage: 100% to stable', 'VirtualService/checkout: checkout 90% → 100%, checkout-canary 10% → 0%']);
	assert.deepEqual(traffic.steps.map(s => s.summary), ['record stage traffic', 'VirtualService/checkout: weights checkout 100, checkout-canary 0']);
	assert.equal(traffic.done, '100% of traffic on checkout');
	assert.equal(traffic.event?.message, 'ann promoting checkout-canary into checkout: traffic to checkout-canary 10% -> 0%, checkout -> 100%');
	assert.equal(traffic.verify!(canaryCase(weight(0)).snap), true);
	assert.equal(traffic.continues, 'promotion');
	assert.deepEqual(stageLabels, {template: 'stable takes the canary template', ready: 'stable pods ready', traffic: '100% to stable', scale: 'canary scaled to 0', finish: 'record removed'});
	assert.deepEqual(stageSteps('traffic', false, '1/4'), [
		{label: 'stable takes the canary template', state: 'done'},
		{label: 'stable pods ready', state: 'done'},
		{label: '100% to stable (1/4)', state: 'active'},
		{label: 'canary scaled to 0', state: 'pending'},
		{label: 'record removed', state: 'pending'},
	]);
	assert.deepEqual(stageSteps('scale', true).map(s => s.state), ['done', 'done', 'done', 'done', 'done']);
	assert.deepEqual(stageSteps('template').map(s => `${s.state} ${s.label}`), ['active stable takes the canary template', 'pending stable pods ready', 'pending 100% to stable', 'pending canary scaled to 0', 'pending record removed']);
});

test('abort: the weight to 0% at once, then the canary to 0 replicas; done when both show', () => {
	const {snap, t} = canaryCase();
	const plan = planOf(planCanaryAbort(t, {scaleCanary: true}));
	assert.deepEqual(data(plan), {
		title: 'abort checkout-canary',
		changes: ['VirtualService/checkout: checkout 90% → 100%, checkout-canary 10% → 0%', 'then scale checkout-canary 2 → 0'],
		steps: [
			{
				method: 'PATCH',
				path: '/apis/networking.istio.io/v1/namespaces/canary/virtualservices/checkout',
				contentType: 'application/json-patch+json',
				body: [
					{op: 'test', path: '/spec/http/0/name', value: 'primary'},
					{op: 'test', path: '/spec/http/0/route/0/destination/subset', value: 'stable'},
					{op: 'test', path: '/spec/http/0/route/0/weight', value: 90},
					{op: 'add', path: '/spec/http/0/route/0/weight', value: 100},
					{op: 'test', path: '/spec/http/0/route/1/destination/subset', value: 'canary'},
					{op: 'test', path: '/spec/http/0/route/1/weight', value: 10},
					{op: 'add', path: '/spec/http/0/route/1/weight', value: 0},
				],
				object: 'VirtualService/checkout',
				summary: 'VirtualService/checkout: weights checkout 100, checkout-canary 0',
			},
			{
				method: 'PATCH',
				path: '/apis/apps/v1/namespaces/canary/deployments/checkout-canary/scale',
				contentType: 'application/json-patch+json',
				body: [
					{op: 'test', path: '/spec/replicas', value: 2},
					{op: 'replace', path: '/spec/replicas', value: 0},
				],
				object: 'Deployment/checkout-canary',
				summary: 'scale checkout-canary 2 → 0',
			},
		],
		event: {reason: 'RollscopeAbort', regarding: {apiVersion: 'apps/v1', kind: 'Deployment', name: 'checkout-canary', namespace: 'canary', uid: uid(snap, 'checkout-canary')}, message: 'ann aborted checkout-canary: weight 10% -> 0%, replicas 2 -> 0'},
		verify: 'function',
		done: 'aborted: checkout-canary has no traffic and is scaled to 0',
	});
	assert.equal(plan.verify!(canaryCase(weight(0), canaryReplicas(0)).snap), true);
	assert.equal(plan.verify!(canaryCase(weight(0)).snap), false, 'still 2 replicas');
	assert.equal(plan.verify!(canaryCase(canaryReplicas(0)).snap), false, 'still 10%');
	// Without scaling: only the weight.
	const keep = planOf(planCanaryAbort(canaryCase().t, {scaleCanary: false}));
	assert.deepEqual([keep.changes, keep.steps.length, keep.event?.message, keep.done], [['VirtualService/checkout: checkout 90% → 100%, checkout-canary 10% → 0%'], 1, 'ann aborted checkout-canary: weight 10% -> 0%', 'aborted: checkout-canary has no traffic']);
	assert.equal(keep.verify!(canaryCase(weight(0)).snap), true);
	// No traffic, replicas left: only the scale.
	const scaleOnly = planOf(planCanaryAbort(canaryCase(weight(0)).t, {scaleCanary: true}));
	assert.deepEqual([scaleOnly.changes, scaleOnly.event?.message], [['then scale checkout-canary 2 → 0'], 'ann aborted checkout-canary: replicas 2 -> 0']);
	const noReplicasField = planOf(planCanaryAbort(canaryCase(weight(0), snap => delete deploymentIn(snap, 'checkout-canary').spec.replicas).t, {scaleCanary: true}));
	assert.deepEqual(noReplicasField.changes, ['then scale checkout-canary 1 → 0']);
	assert.deepEqual(planCanaryAbort(canaryCase(weight(0), canaryReplicas(0)).t, {scaleCanary: true}), {message: 'nothing to abort: checkout-canary has no traffic and no replicas'});
	assert.deepEqual(planCanaryAbort(canaryCase(weight(0)).t, {scaleCanary: false}), {message: 'nothing to abort: checkout-canary has no traffic'});
});

test('abort by replica ratio: the weight steps scale the canary down already, no second scale', () => {
	const plan = planOf(planCanaryAbort(canaryCase().t, {scaleCanary: true, routerOverride: 'replicas'}));
	assert.deepEqual(plan.changes, ['replicas: checkout 4 → 6, checkout-canary 2 → 0 (0% by replica ratio)']);
	assert.deepEqual(plan.steps.map(s => s.summary), ['scale checkout 4 → 6', 'scale checkout-canary 2 → 0']);
	assert.equal(plan.event?.message, 'ann aborted checkout-canary: weight 33.3% -> 0%');
	// The fixture pair (3 and 1 replicas, no router object) the same way.
	const plain = actionTarget(snapshot(canaryObjects().objects), 'deploy/checkout', 'ann')!;
	assert.deepEqual(planOf(planCanaryAbort(plain, {scaleCanary: true})).changes, ['replicas: checkout 3 → 4, checkout-canary 1 → 0 (0% by replica ratio)']);
});

test('abort during a promotion: the stable back to the revision before it (the record goes with it), then weight and scale', () => {
	const {t} = canaryCase(record({fromRevision: 1}), promoted);
	// Revision 1 is the template now replaced: its ReplicaSet still holds 1.2.3.
	const plan = planOf(planCanaryAbort(t, {scaleCanary: true}));
	assert.deepEqual(plan.steps.map(s => s.object), ['VirtualService/checkout', 'Deployment/checkout', 'Deployment/checkout-canary']);
	assert.equal(plan.changes[1], 'deploy/checkout back to revision 1 (before the promotion):');
	assert.ok(plan.changes.slice(2, -1).every(l => l.startsWith('     ')), plan.changes.join('\n'));
	assert.equal(plan.changes.at(-1), 'then scale checkout-canary 2 → 0');
	assert.equal(plan.event?.message, 'ann aborted checkout-canary: weight 10% -> 0%, checkout back to revision 1, replicas 2 -> 0');
	const undo = plan.steps[1]!.body as Array<{op: string; path: string; value: any}>;
	assert.equal(undo.find(o => o.op === 'replace' && o.path === '/spec/template')!.value.spec.containers[0].image, OLD_IMAGE);
	assert.equal(undo.find(o => o.op === 'replace' && o.path === '/metadata/annotations')!.value[PROMOTION_ANNOTATION], undefined);
	// Done once the weight, the stable's template, the record and the canary's replicas all show.
	const after = canaryCase(weight(0), canaryReplicas(0)).snap;
	assert.equal(plan.verify!(after), true);
	assert.equal(plan.verify!(canaryCase(record({}), weight(0), canaryReplicas(0)).snap), false, 'the record still there');
	assert.equal(plan.verify!(canaryCase(promoted, weight(0), canaryReplicas(0)).snap), false, 'the stable still on the canary template');
});

test('abort with a record that cannot be undone: the record is removed, and why is said', () => {
	const check = (edit: Edit, line: string) => {
		const {snap, t} = canaryCase(edit, weight(0), canaryReplicas(0));
		const stable = deploymentIn(snap, 'checkout');
		const plan = planOf(planCanaryAbort(t, {scaleCanary: true}));
		assert.deepEqual(data(plan), {
			title: 'abort checkout-canary',
			changes: [line],
			steps: [
				{
					method: 'PATCH',
					path: STABLE_PATH,
					contentType: 'application/json-patch+json',
					body: [
						{op: 'test', path: '/metadata/annotations/rollscope.dev~1promotion', value: stable.metadata.annotations![PROMOTION_ANNOTATION]},
						{op: 'remove', path: '/metadata/annotations/rollscope.dev~1promotion'},
					],
					object: 'Deployment/checkout',
					summary: 'remove the promotion record',
				},
			],
			event: {reason: 'RollscopeAbort', regarding: {apiVersion: 'apps/v1', kind: 'Deployment', name: 'checkout-canary', namespace: 'canary', uid: uid(snap, 'checkout-canary')}, message: 'ann aborted checkout-canary: promotion record removed'},
			verify: 'function',
			done: 'aborted: checkout-canary has no traffic and is scaled to 0',
		});
		assert.equal(plan.verify!(canaryCase(weight(0), canaryReplicas(0)).snap), true);
		assert.equal(plan.verify!(canaryCase(edit, weight(0), canaryReplicas(0)).snap), false);
	};
	check(snap => (deploymentIn(snap, 'checkout').metadata.annotations![PROMOTION_ANNOTATION] = 'nope'), 'remove the promotion record from deploy/checkout');
	check(record({fromRevision: undefined}), 'remove the promotion record from deploy/checkout');
	check(record({fromRevision: 7}), 'remove the promotion record from deploy/checkout (deploy/checkout has no revision 7)');
	check(record({fromRevision: 1}), 'remove the promotion record from deploy/checkout (skipped: the template of deploy/checkout already matches revision 1)');
});

test('abort says why not: not a canary, a router a controller owns', () => {
	const rolling = loadCase('rolling');
	const web = actionTarget(rolling.snapshot, rolling.target, 'ann')!;
	assert.deepEqual(planCanaryAbort(web, {scaleCanary: true}), {message: web.noWeights});
	const owned = canaryCase(snap => (vsOf(snap).metadata.ownerReferences = [{apiVersion: 'argoproj.io/v1alpha1', kind: 'Rollout', name: 'checkout', uid: 'u'}]));
	assert.match((planCanaryAbort(owned.t, {scaleCanary: true}) as {message: string}).message, /^VirtualService\/checkout is managed by argo-rollouts/);
	const third = canaryCase(snap => vsOf(snap).spec.http[0].route.push({destination: {host: 'legacy'}, weight: 5}));
	assert.deepEqual(planCanaryAbort(third.t, {scaleCanary: true}), {message: 'VirtualService/checkout also sends traffic to what is not a version of deploy/checkout: rollscope cannot set whole percents there'});
});
