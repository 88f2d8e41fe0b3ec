// The simulated Argo Rollouts controller, in process: steps, pauses, analysis, traffic, and the effect
// of the plugin's patches (written to the store as the API server would after a PATCH).
import assert from 'node:assert/strict';
import {after, describe, test} from 'node:test';
import {SimClock} from '../../source/sim/clock.js';
import {startControllers} from '../../source/sim/controllers/index.js';
import {assess, durationSeconds, evaluateCondition, setWeightAt} from '../../source/sim/controllers/argo-rollout.js';
import type {KObject} from '../../source/sim/object.js';
import {applyMergePatch} from '../../source/sim/patch.js';
import {animateScenario, loadScenario} from '../../source/sim/scenarios.js';
import {ObjectStore} from '../../source/sim/store.js';
import {waitFor} from '../helpers/sim.js';

const RO = 'argoproj.io/rollouts';
const VS = 'networking.istio.io/virtualservices';

function cluster(scenario: string, speed = 40) {
	const store = new ObjectStore();
	const clock = new SimClock(speed);
	const errors: unknown[] = [];
	loadScenario(store, scenario);
	const controllers = startControllers(store, clock, {onError: e => errors.push(e)});
	return {
		store,
		clock,
		errors,
		stop() {
			controllers.stop();
			clock.stop();
		},
	};
}

/** What a PATCH with a merge patch does (to status when asked, as through the status subresource). */
function mergeStatus(store: ObjectStore, namespace: string, name: string, patch: Record<string, unknown>): void {
	const current = store.mustGet(RO, namespace, name);
	store.update(RO, applyMergePatch(structuredClone(current), patch) as KObject, {subresource: 'status'});
}

function mergeSpec(store: ObjectStore, key: string, namespace: string, name: string, patch: Record<string, unknown>): void {
	const current = store.mustGet(key, namespace, name);
	store.update(key, applyMergePatch(structuredClone(current), patch) as KObject);
}

function setImage(store: ObjectStore, namespace: string, name: string, image: string): void {
	store.mutate(RO, namespace, name, o => {
		o.spec.template.spec.containers[0].image = image;
	});
}

const weights = (store: ObjectStore, namespace: string, name: string) => store.mustGet(VS, namespace, name).spec.http[0].route.map((r: any) => r.weight);

describe('pure helpers', () => {
	test('durations', () => {
		assert.equal(durationSeconds('30s'), 30);
		assert.equal(durationSeconds('1h30m'), 5400);
		assert.equal(durationSeconds(45), 45);
		assert.equal(durationSeconds('250ms'), 0.25);
		assert.equal(durationSeconds('10'), 10);
		assert.equal(durationSeconds('soon'), undefined);
	});

	test('conditions over a one-value result', () => {
		assert.equal(evaluateCondition('result[0] <= 0.01', 0.002), true);
		assert.equal(evaluateCondition('result[0] <= 0.01', 0.2), false);
		assert.equal(evaluateCondition('result[0] >= 0.95 && result[0] <= 1', 0.97), true);
		assert.equal(evaluateCondition('all(result, # < 1000)', 400), true);
		assert.equal(evaluateCondition('asFloat(result) > 0.5 || result[0] < 0.1', 0.05), true);
		assert.equal(evaluateCondition('len(result) == 1', 1), undefined);
		assert.equal(assess({successCondition: 'result[0] <= 0.01'}, 0.05), 'Failed');
		assert.equal(assess({successCondition: 'result[0] <= 0.01', failureCondition: 'result[0] > 0.1'}, 0.05), 'Inconclusive');
		assert.equal(assess({failureCondition: 'result[0] > 0.1'}, 0.05), 'Successful');
		assert.equal(assess({successCondition: 'nonsense('}, 0.05), 'Error');
	});

	test('the weight a step list asks for', () => {
		const steps = [{setWeight: 20}, {pause: {}}, {setWeight: 40}, {analysis: {}}];
		assert.equal(setWeightAt(steps, 0), 20);
		assert.equal(setWeightAt(steps, 1), 20);
		assert.equal(setWeightAt(steps, 3), 40);
		assert.equal(setWeightAt(steps, 4), 100);
		assert.equal(setWeightAt([{pause: {}}], 0), 0);
	});
});

describe('argo-canary: a Rollout with steps behind an Istio VirtualService', () => {
	const c = cluster('argo-canary');
	after(() => c.stop());
	const ro = () => c.store.mustGet(RO, 'argo-canary', 'orders');

	test('the first version goes straight to stable, with the Services pinned to its hash', async () => {
		await waitFor('the Rollout to be Healthy', () => ro().status?.phase === 'Healthy');
		const s = ro().status;
		assert.equal(s.stableRS, s.currentPodHash);
		assert.equal(s.currentStepIndex, 9);
		assert.equal(s.observedGeneration, '1');
		const rs = c.store.list('apps/replicasets', 'argo-canary');
		assert.equal(rs.length, 1);
		assert.equal(rs[0]!.metadata.labels?.['rollouts-pod-template-hash'], s.stableRS);
		assert.equal(rs[0]!.metadata.annotations?.['rollout.argoproj.io/revision'], '1');
		assert.equal(c.store.list('pods', 'argo-canary').length, 5);
		assert.equal(c.store.mustGet('services', 'argo-canary', 'orders-stable').spec.selector['rollouts-pod-template-hash'], s.stableRS);
		assert.equal(c.store.mustGet('services', 'argo-canary', 'orders-canary').spec.selector['rollouts-pod-template-hash'], s.stableRS);
		assert.deepEqual(weights(c.store, 'argo-canary', 'orders'), [100, 0]);
	});

	test('a new image walks the steps: 20%, then waits at the pause without a duration', async () => {
		const stable = ro().status.stableRS;
		setImage(c.store, 'argo-canary', 'orders', 'registry.local/orders:2.5.0');
		await waitFor('the pause step', () => ro().status?.currentStepIndex === 1 && ro().status?.phase === 'Paused');
		const s = ro().status;
		assert.notEqual(s.currentPodHash, stable);
		assert.equal(s.stableRS, stable);
		assert.equal(s.message, 'CanaryPauseStep');
		assert.equal(s.controllerPause, true);
		assert.equal(s.pauseConditions[0].reason, 'CanaryPauseStep');
		assert.deepEqual(s.canary.weights.canary, {weight: 20, serviceName: 'orders-canary', podTemplateHash: s.currentPodHash});
		assert.deepEqual(weights(c.store, 'argo-canary', 'orders'), [80, 20]);
		assert.equal(c.store.mustGet('services', 'argo-canary', 'orders-canary').spec.selector['rollouts-pod-template-hash'], s.currentPodHash);
		// It stays there.
		await new Promise(r => setTimeout(r, c.clock.toMs(15)));
		assert.equal(ro().status.currentStepIndex, 1);
	});

	test("promote's patch clears the pause; the timed pauses and the analysis pass; the update completes", async () => {
		mergeStatus(c.store, 'argo-canary', 'orders', {status: {pauseConditions: null}});
		await waitFor('the 40% step and its timed pause', () => ro().status?.currentStepIndex === 3);
		assert.deepEqual(weights(c.store, 'argo-canary', 'orders'), [60, 40]);
		await waitFor('the analysis step', () => (ro().status?.currentStepIndex ?? 0) >= 4, 20_000);
		const run = await waitFor('an AnalysisRun', () => c.store.list('argoproj.io/analysisruns', 'argo-canary')[0]);
		assert.equal(run.metadata.labels?.['rollout-type'], 'Step');
		assert.equal(run.metadata.labels?.['step-index'], '4');
		assert.equal(run.spec.metrics[0].successCondition, 'result[0] <= 0.01');
		await waitFor('the update to complete', () => ro().status?.phase === 'Healthy' && ro().status.stableRS === ro().status.currentPodHash, 30_000);
		const done = c.store.mustGet('argoproj.io/analysisruns', 'argo-canary', run.metadata.name!);
		assert.equal(done.status.phase, 'Successful');
		assert.equal(done.status.metricResults[0].count, 3);
		assert.equal(done.status.metricResults[0].measurements[0].value, '[0.002]');
		assert.deepEqual(weights(c.store, 'argo-canary', 'orders'), [100, 0]);
		assert.deepEqual(c.errors, []);
	});

	test('abort sends all traffic back to stable; retry starts the steps again', async () => {
		setImage(c.store, 'argo-canary', 'orders', 'registry.local/orders:2.6.0');
		await waitFor('the pause step', () => ro().status?.currentStepIndex === 1 && ro().status?.phase === 'Paused');
		mergeStatus(c.store, 'argo-canary', 'orders', {status: {abort: true}});
		await waitFor('Degraded', () => ro().status?.phase === 'Degraded');
		const s = ro().status;
		assert.match(s.message, /^RolloutAborted: Rollout aborted update to revision \d+$/);
		assert.equal(s.currentStepIndex, 0);
		assert.equal(s.pauseConditions, undefined);
		assert.equal(s.canary.weights.canary.weight, 0);
		assert.deepEqual(weights(c.store, 'argo-canary', 'orders'), [100, 0]);
		assert.equal(s.conditions.find((x: any) => x.type === 'Progressing').reason, 'RolloutAborted');
		// The canary goes after abortScaleDownDelaySeconds (30 s simulated).
		await waitFor('the canary to scale down', () => c.store.get('apps/replicasets', 'argo-canary', `orders-${ro().status.currentPodHash}`)?.spec.replicas === 0, 10_000);
		mergeStatus(c.store, 'argo-canary', 'orders', {status: {abort: false}});
		await waitFor('the steps to start again', () => ro().status?.phase === 'Paused' && ro().status.currentStepIndex === 1 && weights(c.store, 'argo-canary', 'orders')[1] === 20);
	});

	test('a high error rate fails the analysis and aborts the update', async () => {
		mergeStatus(c.store, 'argo-canary', 'orders', {status: {pauseConditions: null}});
		await waitFor('the 40% step', () => (ro().status?.currentStepIndex ?? 0) >= 3);
		c.store.mutate(RO, 'argo-canary', 'orders', o => {
			o.spec.template.metadata.annotations['sim.rollscope.dev/error-rate'] = '0.2';
		});
		// A template change is a new update: steps from 0; promote past the first pause again.
		await waitFor('the pause step', () => ro().status?.currentStepIndex === 1 && ro().status?.phase === 'Paused');
		mergeStatus(c.store, 'argo-canary', 'orders', {status: {pauseConditions: null}});
		await waitFor('the abort', () => ro().status?.phase === 'Degraded', 30_000);
		assert.match(ro().status.message, /Metric "error-rate" assessed Failed due to failed \(2\) > failureLimit \(1\)/);
		const run = c.store.list('argoproj.io/analysisruns', 'argo-canary').find(r => r.status?.phase === 'Failed');
		assert.ok(run);
		assert.equal(run.status.metricResults[0].measurements[0].value, '[0.2]');
		assert.deepEqual(weights(c.store, 'argo-canary', 'orders'), [100, 0]);
	});

	test('undo to the stable revision goes back at once', async () => {
		const stable = ro().status.stableRS;
		const rs = c.store.mustGet('apps/replicasets', 'argo-canary', `orders-${stable}`);
		const template = structuredClone(rs.spec.template);
		delete template.metadata.labels['rollouts-pod-template-hash'];
		c.store.mutate(RO, 'argo-canary', 'orders', o => {
			o.spec.template = template;
		});
		await waitFor('Healthy on the stable hash', () => ro().status?.phase === 'Healthy' && ro().status.currentPodHash === stable);
		assert.equal(ro().status.abort, undefined);
		assert.deepEqual(weights(c.store, 'argo-canary', 'orders'), [100, 0]);
	});

	test('spec.paused holds; promote --full skips the remaining steps', async () => {
		setImage(c.store, 'argo-canary', 'orders', 'registry.local/orders:2.7.0');
		await waitFor('the pause step', () => ro().status?.currentStepIndex === 1);
		mergeSpec(c.store, RO, 'argo-canary', 'orders', {spec: {paused: true}});
		mergeStatus(c.store, 'argo-canary', 'orders', {status: {pauseConditions: null}});
		await waitFor('manually paused', () => ro().status?.message === 'manually paused');
		await new Promise(r => setTimeout(r, c.clock.toMs(5)));
		assert.equal(ro().status.currentStepIndex, 1);
		mergeSpec(c.store, RO, 'argo-canary', 'orders', {spec: {paused: false}});
		mergeStatus(c.store, 'argo-canary', 'orders', {status: {promoteFull: true}});
		await waitFor('full promotion', () => ro().status?.phase === 'Healthy' && ro().status.stableRS === ro().status.currentPodHash, 20_000);
		assert.equal(ro().status.promoteFull, undefined);
		assert.equal(ro().status.currentStepIndex, 9);
	});
});

describe('argo-bluegreen: active and preview Services', () => {
	const c = cluster('argo-bluegreen');
	after(() => c.stop());
	const ro = () => c.store.mustGet(RO, 'argo-bluegreen', 'storefront');
	const selector = (svc: string) => c.store.mustGet('services', 'argo-bluegreen', svc).spec.selector['rollouts-pod-template-hash'];

	test('a new image runs behind the preview Service and waits; promote switches the active Service', async () => {
		await waitFor('Healthy', () => ro().status?.phase === 'Healthy');
		const first = ro().status.stableRS;
		assert.equal(selector('storefront'), first);
		setImage(c.store, 'argo-bluegreen', 'storefront', 'registry.local/storefront:3.2.0');
		await waitFor('BlueGreenPause', () => ro().status?.phase === 'Paused');
		const s = ro().status;
		assert.equal(s.pauseConditions[0].reason, 'BlueGreenPause');
		assert.deepEqual(s.blueGreen, {activeSelector: first, previewSelector: s.currentPodHash});
		assert.equal(selector('storefront'), first);
		assert.equal(selector('storefront-preview'), s.currentPodHash);
		mergeStatus(c.store, 'argo-bluegreen', 'storefront', {status: {pauseConditions: null}});
		await waitFor('the switch', () => selector('storefront') === s.currentPodHash);
		await waitFor('Healthy again', () => ro().status?.phase === 'Healthy');
		assert.equal(ro().status.stableRS, s.currentPodHash);
		// The old version is scaled down after scaleDownDelaySeconds.
		await waitFor('the old ReplicaSet to scale down', () => c.store.mustGet('apps/replicasets', 'argo-bluegreen', `storefront-${first}`).spec.replicas === 0, 10_000);
	});
});

describe('the demo loop of the progressive scenarios', () => {
	test('argo-canary gets a new image, then is promoted at its pause; flagger gets a new image once initialised', async () => {
		const store = new ObjectStore();
		const clock = new SimClock(200);
		const scenarios = loadScenario(store, 'all').filter(s => s.name === 'argo-canary' || s.name === 'argo-bluegreen' || s.name === 'flagger');
		assert.deepEqual(scenarios.map(s => [s.name, s.target]), [['argo-canary', 'rollout/orders'], ['argo-bluegreen', 'rollout/storefront'], ['flagger', 'canary/podinfo']]);
		const controllers = startControllers(store, clock);
		const stop = animateScenario(store, clock, scenarios);
		try {
			const image = () => store.mustGet(RO, 'argo-canary', 'orders').spec.template.spec.containers[0].image;
			await waitFor('a new orders image', () => image() !== 'registry.local/orders:2.4.0');
			assert.match(image(), /^registry\.local\/orders:2\.4\.\d+$/);
			assert.equal(store.mustGet(RO, 'argo-canary', 'orders').metadata.annotations?.['kubernetes.io/change-cause'], `deploy ${image().slice('registry.local/'.length)}`);
			const first = store.mustGet(RO, 'argo-canary', 'orders').status.stableRS;
			// Promoted past its indefinite pause by the loop, through the steps, to stable.
			await waitFor('a new stable version of orders', () => {
				const st = store.mustGet(RO, 'argo-canary', 'orders').status;
				return st?.stableRS !== first && st.stableRS === st.currentPodHash;
			}, 20_000, 5);
			await waitFor('a new podinfo image', () => store.mustGet('apps/deployments', 'flagger', 'podinfo').spec.template.spec.containers[0].image !== 'registry.local/podinfo:6.5.0');
			await waitFor('a storefront version promoted', () => {
				const sf = store.mustGet(RO, 'argo-bluegreen', 'storefront');
				return sf.spec.template.spec.containers[0].image !== 'registry.local/storefront:3.1.0' && sf.status?.phase === 'Healthy' && sf.status.blueGreen?.activeSelector === sf.status.currentPodHash;
			}, 20_000, 5);
		} finally {
			stop();
			controllers.stop();
			clock.stop();
		}
	});
});
