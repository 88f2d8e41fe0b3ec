// Promoting and aborting a canary pair stage by stage, and switching a blue-green Service, planned from the
// canonical cases of test/testdata (the demo's canary and bluegreen namespaces as the sim served them).
import assert from 'node:assert/strict';
import {describe, test} from 'node:test';
import {planBlueGreenAbort, planBlueGreenPromote, SWITCHED_FROM} from '../../source/actions/bluegreen.js';
import {planCanaryAbort, planCanaryPromote} from '../../source/actions/canary.js';
import {promotedTemplate, promotionStatus, readPromotion, stageSteps, PROMOTION_ANNOTATION, type PromotionRecord} from '../../source/actions/promotion.js';
import {canaryPair} from '../../source/actions/target.js';
import {actionTarget} from '../../source/kinds/registry.js';
import type {Plan} from '../../source/actions/types.js';
import {weightMover} from '../../source/actions/weights.js';
import type {KObject} from '../../source/kube/object.js';
import type {ClusterSnapshot} from '../../source/release/snapshot.js';
import {loadCase} from '../helpers/testdata.js';

/** A fresh copy of a canonical case's namespace. */
const caseSnapshot = (name: string): ClusterSnapshot => loadCase(name).snapshot;

type Op = {op: string; path: string; value?: any};
const ops = (plan: Plan, i = 0) => plan.steps[i].body as Op[];
const opNames = (plan: Plan, i = 0) => ops(plan, i).map(o => `${o.op} ${o.path}`);
const deploymentIn = (snap: ClusterSnapshot, name: string) => snap.deployments.find(d => d.metadata.name === name)!;

function planOf(planned: {plan: Plan} | {message: string}): Plan {
	assert.ok('plan' in planned, 'message' in planned ? planned.message : '');
	return planned.plan;
}

describe('canary promotion, stage by stage, from what the cluster shows', () => {
	/** The canary namespace as the watch sees it, with a promotion recorded at `stage`, changed by `edit`. */
	function canaryAt(record: Partial<PromotionRecord> | undefined, edit: (snap: ClusterSnapshot) => void = () => {}) {
		const snap = caseSnapshot('canary');
		const stable = deploymentIn(snap, 'checkout');
		const canary = deploymentIn(snap, 'checkout-canary');
		if (record) {
			stable.metadata.annotations = {
				...stable.metadata.annotations,
				[PROMOTION_ANNOTATION]: JSON.stringify({canary: 'checkout-canary', stage: 'ready', images: ['registry.local/checkout:1.3.0'], fromRevision: 1, by: 'ann', at: '2026-01-01T00:00:00Z', ...record}),
			};
		}
		edit(snap);
		const t = actionTarget(snap, 'deploy/checkout', 'carol')!;
		const pair = canaryPair(t)!;
		const mover = weightMover(t, pair);
		assert.ok(!('message' in mover));
		return {t, pair, mover, stable, canary, snap};
	}

	const promoted = (snap: ClusterSnapshot) => {
		const stable = deploymentIn(snap, 'checkout');
		stable.spec.template = promotedTemplate(stable, deploymentIn(snap, 'checkout-canary'));
	};
	const weight = (canary: number) => (snap: ClusterSnapshot) => {
		const vs = snap.routers.find(r => r.kind === 'VirtualService')!;
		vs.spec.http[0].route[0].weight = 100 - canary;
		vs.spec.http[0].route[1].weight = canary;
	};
	const canaryReplicas = (n: number) => (snap: ClusterSnapshot) => {
		deploymentIn(snap, 'checkout-canary').spec.replicas = n;
	};
	const all = (...edits: Array<(snap: ClusterSnapshot) => void>) => (snap: ClusterSnapshot) => edits.forEach(e => e(snap));

	test('start: the stable takes the canary template (keeping its own labels) and records the promotion', () => {
		const {t} = canaryAt(undefined);
		const plan = planOf(planCanaryPromote(t, '2026-01-01T00:00:00Z'));
		assert.equal(plan.continues, 'promotion');
		assert.deepEqual(opNames(plan), ['test /spec/template', 'replace /spec/template', 'add /metadata/annotations/rollscope.dev~1promotion', 'add /metadata/annotations/kubernetes.io~1change-cause']);
		const template = ops(plan)[1].value;
		assert.equal(template.spec.containers[0].image, 'registry.local/checkout:1.3.0');
		assert.deepEqual(template.metadata.labels, {app: 'checkout', track: 'stable'});
		const record = JSON.parse(ops(plan)[2].value);
		assert.deepEqual(record, {canary: 'checkout-canary', stage: 'ready', images: ['registry.local/checkout:1.3.0'], fromRevision: 1, by: 'carol', at: '2026-01-01T00:00:00Z'});
		assert.equal(plan.event?.reason, 'RollscopePromote');
		assert.match(plan.event!.message, /^carol promoting checkout-canary into checkout: image registry\.local\/checkout:1\.2\.3 -> registry\.local\/checkout:1\.3\.0$/);
		assert.ok(plan.changes.some(l => l.includes('VirtualService/checkout: checkout → 100%, checkout-canary → 0%')), plan.changes.join('\n'));
	});

	test('each stage in turn: template, ready, traffic, scale, finish, done', () => {
		let s = canaryAt({stage: 'template'});
		let status = promotionStatus(s.t, s.pair, s.mover, readPromotion(s.stable) as PromotionRecord);
		assert.equal(status.stage, 'template');
		assert.ok('plan' in status && opNames(status.plan).includes('replace /spec/template'));

		s = canaryAt({stage: 'ready'}, all(promoted, snap => (deploymentIn(snap, 'checkout').status.updatedReplicas = 1)));
		status = promotionStatus(s.t, s.pair, s.mover, readPromotion(s.stable) as PromotionRecord);
		assert.deepEqual(status, {stage: 'ready', waiting: 'checkout: 1/4 updated, 4 available, 3 old pending termination'});

		s = canaryAt({stage: 'ready'}, promoted);
		status = promotionStatus(s.t, s.pair, s.mover, readPromotion(s.stable) as PromotionRecord);
		assert.equal(status.stage, 'traffic');
		assert.ok('plan' in status);
		assert.equal(JSON.parse(ops(status.plan, 0).at(-1)!.value).stage, 'traffic', 'the record moves first');
		assert.deepEqual(ops(status.plan, 1).filter(o => o.op === 'add').map(o => o.value), [100, 0], 'then the canary goes to 0%');

		s = canaryAt({stage: 'traffic'}, all(promoted, weight(0)));
		status = promotionStatus(s.t, s.pair, s.mover, readPromotion(s.stable) as PromotionRecord);
		assert.equal(status.stage, 'scale');
		assert.ok('plan' in status);
		assert.equal(status.plan.steps[1].path, '/apis/apps/v1/namespaces/canary/deployments/checkout-canary/scale');
		assert.deepEqual(ops(status.plan, 1), [{op: 'test', path: '/spec/replicas', value: 2}, {op: 'replace', path: '/spec/replicas', value: 0}]);

		s = canaryAt({stage: 'scale'}, all(promoted, weight(0), canaryReplicas(0)));
		status = promotionStatus(s.t, s.pair, s.mover, readPromotion(s.stable) as PromotionRecord);
		assert.equal(status.stage, 'finish');
		assert.ok('plan' in status);
		assert.deepEqual(opNames(status.plan), ['test /metadata/annotations/rollscope.dev~1promotion', 'remove /metadata/annotations/rollscope.dev~1promotion']);
		assert.match(status.plan.event!.message, /done; checkout runs registry\.local\/checkout:1\.3\.0 with 100% of traffic, checkout-canary scaled to 0/);

		s = canaryAt(undefined, all(promoted, weight(0), canaryReplicas(0)));
		status = promotionStatus(s.t, s.pair, s.mover, {canary: 'checkout-canary', stage: 'finish', images: ['registry.local/checkout:1.3.0'], by: 'x', at: 'y'});
		assert.deepEqual(status, {stage: 'finish', done: true});
	});

	test('traffic never moves before the stable is ready, nor the canary go before its traffic', () => {
		const notReady = canaryAt({stage: 'traffic'}, all(promoted, snap => (deploymentIn(snap, 'checkout').status.availableReplicas = 2)));
		assert.equal(promotionStatus(notReady.t, notReady.pair, notReady.mover, readPromotion(notReady.stable) as PromotionRecord).stage, 'ready');
		const stillTraffic = canaryAt({stage: 'scale'}, all(promoted, weight(5)));
		assert.equal(promotionStatus(stillTraffic.t, stillTraffic.pair, stillTraffic.mover, readPromotion(stillTraffic.stable) as PromotionRecord).stage, 'traffic');
	});

	test('a canary changed under a promotion stops it; a record that does not parse is said', () => {
		const s = canaryAt({stage: 'ready', images: ['registry.local/checkout:1.2.9']});
		const status = promotionStatus(s.t, s.pair, s.mover, readPromotion(s.stable) as PromotionRecord);
		assert.ok('error' in status && /checkout-canary changed since the promotion started/.test(status.error));
		const broken = canaryAt(undefined, snap => (deploymentIn(snap, 'checkout').metadata.annotations![PROMOTION_ANNOTATION] = 'nope'));
		assert.deepEqual(readPromotion(broken.stable), {broken: 'nope'});
		assert.match((planCanaryPromote(broken.t, 'now') as {message: string}).message, /cannot be read: a aborts/);
	});

	test('resume: p on a recorded promotion plans the stage the cluster is at', () => {
		const s = canaryAt({stage: 'traffic'}, promoted);
		const plan = planOf(planCanaryPromote(s.t, 'now'));
		assert.match(plan.title, /^resume the promotion of checkout-canary \(started by ann at 2026-01-01T00:00:00Z\)$/);
		assert.equal(plan.changes[0], 'at stage: 100% to stable');
		assert.equal(plan.continues, 'promotion');
		assert.deepEqual(stageSteps('ready', false, '1/4').map(x => x.state), ['done', 'active', 'pending', 'pending', 'pending']);
	});

	test('abort: weight to 0 at once, then the canary to 0; a promotion under way is undone too', () => {
		const plain = planOf(planCanaryAbort(canaryAt(undefined).t, {scaleCanary: true}));
		assert.deepEqual(plain.steps.map(s => s.object), ['VirtualService/checkout', 'Deployment/checkout-canary']);
		assert.equal(plain.event?.reason, 'RollscopeAbort');
		assert.equal(plain.event?.message, 'carol aborted checkout-canary: weight 10% -> 0%, replicas 2 -> 0');
		const keep = planOf(planCanaryAbort(canaryAt(undefined).t, {scaleCanary: false}));
		assert.deepEqual(keep.steps.map(s => s.object), ['VirtualService/checkout']);
		const during = canaryAt({stage: 'ready', fromRevision: 1}, promoted);
		const plan = planOf(planCanaryAbort(during.t, {scaleCanary: true}));
		assert.deepEqual(plan.steps.map(s => s.object), ['VirtualService/checkout', 'Deployment/checkout', 'Deployment/checkout-canary']);
		const undo = ops(plan, 1);
		assert.equal(undo.find(o => o.op === 'replace' && o.path === '/spec/template')!.value.spec.containers[0].image, 'registry.local/checkout:1.2.3');
		assert.equal(undo.find(o => o.path === '/metadata/annotations' && o.op === 'replace')!.value[PROMOTION_ANNOTATION], undefined, 'the record goes with the undo');
		const idle = canaryAt(undefined, all(weight(0), canaryReplicas(0)));
		assert.deepEqual(planCanaryAbort(idle.t, {scaleCanary: true}), {message: 'nothing to abort: checkout-canary has no traffic and no replicas'});
	});

	test('blue-green: promote switches the selector to the ready other colour and records where from; abort switches back', () => {
		const snap = caseSnapshot('bluegreen');
		const t = actionTarget(snap, 'svc/shop', 'dave')!;
		const plan = planOf(planBlueGreenPromote(t));
		assert.equal(plan.steps[0].path, '/api/v1/namespaces/bluegreen/services/shop');
		assert.deepEqual(ops(plan), [
			{op: 'test', path: '/spec/selector/color', value: 'blue'},
			{op: 'replace', path: '/spec/selector/color', value: 'green'},
			{op: 'add', path: '/metadata/annotations', value: {[SWITCHED_FROM]: 'color=blue'}},
		]);
		assert.equal(plan.event?.message, 'dave switched Service shop color=blue (shop-blue) -> color=green (shop-green)');
		assert.match((planBlueGreenAbort(t) as {message: string}).message, /nothing to switch back: rollscope has not switched Service\/shop/);

		const after = caseSnapshot('bluegreen');
		const service = after.services.find((s: KObject) => s.metadata.name === 'shop')!;
		service.spec.selector.color = 'green';
		service.metadata.annotations = {[SWITCHED_FROM]: 'color=blue'};
		const back = planOf(planBlueGreenAbort(actionTarget(after, 'svc/shop', 'dave')!));
		assert.deepEqual(ops(back), [
			{op: 'test', path: '/spec/selector/color', value: 'green'},
			{op: 'replace', path: '/spec/selector/color', value: 'blue'},
			{op: 'test', path: '/metadata/annotations/rollscope.dev~1switched-from', value: 'color=blue'},
			{op: 'remove', path: '/metadata/annotations/rollscope.dev~1switched-from'},
		]);
		assert.equal(back.event?.reason, 'RollscopeAbort');

		const unready = caseSnapshot('bluegreen');
		deploymentIn(unready, 'shop-green').status.availableReplicas = 1;
		assert.deepEqual(planBlueGreenPromote(actionTarget(unready, 'svc/shop', 'dave')!), {message: 'shop-green has 1/3 pods available: not switching traffic to it yet'});
	});
});
