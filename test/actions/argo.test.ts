// The Argo Rollouts action builders: exactly the plugin's patches, with preconditions; the weight keys'
// nearest setWeight step. ./argo-sim.test.ts sends them to the simulated cluster.
import assert from 'node:assert/strict';
import {describe, test} from 'node:test';
import {
	adjacentWeightStep,
	argoAbort,
	argoGoToStep,
	argoPause,
	argoPromote,
	argoPromoteFull,
	argoResume,
	argoRetry,
	argoSetWeight,
	argoStepWeight,
	argoUndo,
	chainResourceVersion,
	nearestWeightStep,
	weightKeyNote,
} from '../../source/actions/argo.js';
import type {KObject} from '../../source/kube/object.js';
import {demoSteps, rollout, rolloutReplicaSet} from '../release/argo-fixtures.js';
import {planOf, messageOf} from './helpers.js';

const base = '/apis/argoproj.io/v1alpha1/namespaces/shop/rollouts/rollouts-demo';

function withRv(o: KObject, rv = '4711'): KObject {
	return {...o, metadata: {...o.metadata, resourceVersion: rv}};
}

const pausedAtStep1 = withRv(rollout('rollouts-demo', {canary: {steps: demoSteps}}, {
	phase: 'Paused',
	currentPodHash: '6cf78c66c5',
	stableRS: '687d76d795',
	currentStepIndex: 1,
	controllerPause: true,
	pauseConditions: [{reason: 'CanaryPauseStep', startTime: '2025-06-01T11:59:00Z'}],
}));

describe('promote', () => {
	test('paused at a pause step: clear the pause conditions through the status subresource', () => {
		const plan = planOf(argoPromote(pausedAtStep1));
		assert.equal(plan.steps.length, 1);
		const [step] = plan.steps;
		assert.equal(step!.method, 'PATCH');
		assert.equal(step!.path, `${base}/status`);
		assert.equal(step!.contentType, 'application/merge-patch+json');
		assert.equal(JSON.stringify(step!.patch), '{"status":{"pauseConditions":null}}');
		assert.deepEqual(step!.body, {metadata: {resourceVersion: '4711'}, status: {pauseConditions: null}});
		assert.deepEqual(step!.precondition, {kind: 'resourceVersion', resourceVersion: '4711'});
		assert.deepEqual(step!.fallback, {path: base, patch: {spec: {paused: false}, status: {pauseConditions: null}}, body: {metadata: {resourceVersion: '4711'}, spec: {paused: false}, status: {pauseConditions: null}}});
		assert.equal(plan.regarding.kind, 'Rollout');
		assert.equal(plan.dangerous, false);
	});

	test('not paused (mid analysis): the next step, with the pause conditions cleared', () => {
		const ro = withRv(rollout('rollouts-demo', {canary: {steps: demoSteps}}, {currentPodHash: 'b', stableRS: 'a', currentStepIndex: 4}));
		const plan = planOf(argoPromote(ro));
		assert.deepEqual(plan.steps.map(s => s.patch), [{status: {pauseConditions: null, currentStepIndex: 5}}]);
		assert.deepEqual(plan.steps[0]!.fallback?.patch, {spec: {paused: false}, status: {pauseConditions: null, currentStepIndex: 5}});
		// Capped at the step count.
		const last = withRv(rollout('rollouts-demo', {canary: {steps: demoSteps}}, {currentPodHash: 'b', stableRS: 'a', currentStepIndex: 8}));
		assert.deepEqual(planOf(argoPromote(last)).steps[0]!.patch, {status: {pauseConditions: null, currentStepIndex: 8}});
	});

	test('an Inconclusive analysis pause: also controllerPause false and the next step', () => {
		const ro = withRv(rollout('rollouts-demo', {canary: {steps: demoSteps}}, {
			currentPodHash: 'b',
			stableRS: 'a',
			currentStepIndex: 4,
			controllerPause: true,
			pauseConditions: [{reason: 'InconclusiveAnalysisRun', startTime: 'x'}],
			canary: {currentStepAnalysisRunStatus: {name: 'r', status: 'Inconclusive'}},
		}));
		assert.deepEqual(planOf(argoPromote(ro)).steps[0]!.patch, {status: {pauseConditions: null, controllerPause: false, currentStepIndex: 5}});
	});

	test('paused by spec as well: the status patch first, then {"spec":{"paused":false}} chained to it', () => {
		const ro = withRv({...pausedAtStep1, spec: {...pausedAtStep1.spec, paused: true}});
		const plan = planOf(argoPromote(ro));
		assert.deepEqual(plan.steps.map(s => [s.path, JSON.stringify(s.patch)]), [
			[`${base}/status`, '{"status":{"pauseConditions":null}}'],
			[base, '{"spec":{"paused":false}}'],
		]);
		const spec = plan.steps[1]!;
		assert.deepEqual(spec.precondition, {kind: 'uid', uid: 'uid-ro-rollouts-demo', resourceVersionFromPrevious: true});
		assert.deepEqual(spec.body, {metadata: {uid: 'uid-ro-rollouts-demo'}, spec: {paused: false}});
		assert.deepEqual(chainResourceVersion(spec, {metadata: {resourceVersion: '4712'}}), {metadata: {resourceVersion: '4712'}, spec: {paused: false}});
	});

	test('blue-green waiting for promotion: clear BlueGreenPause; refuses aborted and finished rollouts', () => {
		const bg = withRv(rollout('rollouts-demo', {blueGreen: {activeService: 'a', previewService: 'p', autoPromotionEnabled: false}}, {
			currentPodHash: 'b', stableRS: 'a', controllerPause: true, pauseConditions: [{reason: 'BlueGreenPause', startTime: 'x'}],
		}));
		assert.deepEqual(planOf(argoPromote(bg)).steps.map(s => s.patch), [{status: {pauseConditions: null}}]);
		const aborted = withRv(rollout('rollouts-demo', {canary: {steps: demoSteps}}, {currentPodHash: 'b', stableRS: 'a', abort: true}));
		assert.match(messageOf(argoPromote(aborted)), /aborted: retry it or undo/);
		const done = withRv(rollout('rollouts-demo', {canary: {steps: demoSteps}}, {currentPodHash: 'a', stableRS: 'a', currentStepIndex: 8}));
		assert.match(messageOf(argoPromote(done)), /fully promoted/);
	});
});

describe('promote --full, abort, retry, pause, resume', () => {
	test('promote --full: {"status":{"promoteFull":true}} unless already stable', () => {
		const plan = planOf(argoPromoteFull(pausedAtStep1));
		assert.deepEqual(plan.steps.map(s => [s.path, JSON.stringify(s.patch)]), [[`${base}/status`, '{"status":{"promoteFull":true}}']]);
		assert.equal(plan.dangerous, true);
		const done = withRv(rollout('rollouts-demo', {canary: {steps: demoSteps}}, {currentPodHash: 'a', stableRS: 'a'}));
		assert.match(messageOf(argoPromoteFull(done)), /already fully promoted/);
	});

	test('abort: {"status":{"abort":true}} status-first; retry: {"status":{"abort":false}} only when aborted', () => {
		const abort = planOf(argoAbort(pausedAtStep1));
		assert.deepEqual(abort.steps.map(s => [s.path, JSON.stringify(s.patch), JSON.stringify(s.fallback?.patch)]), [[`${base}/status`, '{"status":{"abort":true}}', '{"status":{"abort":true}}']]);
		assert.match(messageOf(argoRetry(pausedAtStep1)), /not aborted/);
		const aborted = withRv(rollout('rollouts-demo', {canary: {steps: demoSteps}}, {currentPodHash: 'b', stableRS: 'a', abort: true}));
		assert.match(messageOf(argoAbort(aborted)), /already aborted/);
		const retry = planOf(argoRetry(aborted));
		assert.deepEqual(retry.steps.map(s => [s.path, JSON.stringify(s.patch)]), [[`${base}/status`, '{"status":{"abort":false}}']]);
	});

	test('pause and resume: {"spec":{"paused":true|false}} on the main resource', () => {
		const pause = planOf(argoPause(pausedAtStep1));
		assert.deepEqual(pause.steps.map(s => [s.path, s.contentType, JSON.stringify(s.patch)]), [[base, 'application/merge-patch+json', '{"spec":{"paused":true}}']]);
		assert.match(messageOf(argoResume(pausedAtStep1)), /not paused by spec: it waits at a pause step, promote it instead/);
		const paused = withRv({...pausedAtStep1, spec: {...pausedAtStep1.spec, paused: true}});
		assert.deepEqual(planOf(argoResume(paused)).steps.map(s => JSON.stringify(s.patch)), ['{"spec":{"paused":false}}']);
		assert.match(messageOf(argoPause(paused)), /already paused/);
	});

	test('a Rollout read without a resourceVersion cannot be acted on blindly', () => {
		const {resourceVersion: _rv, ...metadata} = pausedAtStep1.metadata;
		assert.throws(() => argoPromote({...pausedAtStep1, metadata}), /no resourceVersion/);
	});
});

describe('undo', () => {
	const ro = pausedAtStep1;
	const v1 = rolloutReplicaSet(ro, '687d76d795', 1, 'argoproj/rollouts-demo:blue', 4).rs;
	const v2 = rolloutReplicaSet(ro, '6cf78c66c5', 2, 'argoproj/rollouts-demo:yellow', 1).rs;
	const stranger = {...rolloutReplicaSet(ro, 'ffff', 7, 'x', 0).rs, metadata: {...v1.metadata, name: 'other-ffff', ownerReferences: [{apiVersion: 'apps/v1', kind: 'Deployment', name: 'other', uid: 'u', controller: true}]}};

	test('to a revision: a JSON patch replacing /spec/template without the hash label, after a resourceVersion test', () => {
		const plan = planOf(argoUndo(ro, [v2, v1, stranger], 1));
		const [step] = plan.steps;
		assert.equal(step!.contentType, 'application/json-patch+json');
		assert.equal(step!.path, base);
		const template = {metadata: {labels: {app: 'rollouts-demo'}}, spec: {containers: [{name: 'rollouts-demo', image: 'argoproj/rollouts-demo:blue'}]}};
		assert.deepEqual(step!.patch, [{op: 'replace', path: '/spec/template', value: template}]);
		assert.deepEqual(step!.body, [{op: 'test', path: '/metadata/resourceVersion', value: '4711'}, {op: 'replace', path: '/spec/template', value: template}]);
		assert.match(plan.changes.join('\n'), /stable .*at once/);
	});

	test('revision 0 is the one before the newest; unknown revisions and matching templates say so', () => {
		const newer = {...ro, spec: {...ro.spec, template: v2.spec.template}};
		const plan = planOf(argoUndo(withRv(newer), [v1, v2], 0));
		assert.equal((plan.steps[0]!.patch as any)[0].value.spec.containers[0].image, 'argoproj/rollouts-demo:blue');
		assert.match(messageOf(argoUndo(ro, [v1, v2], 9)), /unable to find specified revision 9/);
		const current = {...ro, spec: {...ro.spec, template: {metadata: {labels: {app: 'rollouts-demo'}}, spec: v2.spec.template.spec}}};
		assert.match(messageOf(argoUndo(withRv(current), [v1, v2], 2)), /skipped rollback \(current template already matches revision 2\)/);
		assert.match(messageOf(argoUndo(ro, [], 0)), /no revision found/);
	});
});

describe('weight keys: the nearest setWeight step', () => {
	test('picks the setWeight nearest the asked weight and says what it does', () => {
		assert.deepEqual(nearestWeightStep(pausedAtStep1, 45), {index: 2, weight: 40, direction: 'forward'});
		assert.deepEqual(nearestWeightStep(pausedAtStep1, 100), {index: 6, weight: 80, direction: 'forward'});
		assert.deepEqual(nearestWeightStep(pausedAtStep1, 10), {index: 0, weight: 20, direction: 'backward'});
		assert.equal(weightKeyNote(nearestWeightStep(pausedAtStep1, 45), 45), 'Argo Rollouts has no weight API: go to step 3, setWeight 40% (nearest to 45%)');
		assert.deepEqual(adjacentWeightStep(pausedAtStep1, 1), {index: 2, weight: 40, direction: 'forward'});
		assert.equal(adjacentWeightStep(pausedAtStep1, -1), undefined);
	});

	test('the plan sets currentStepIndex and clears the pause conditions, as promote does', () => {
		const plan = planOf(argoSetWeight(pausedAtStep1, 60));
		assert.deepEqual(plan.steps.map(s => [s.path, JSON.stringify(s.patch)]), [[`${base}/status`, '{"status":{"currentStepIndex":4,"pauseConditions":null}}']]);
		assert.match(plan.changes[0]!, /step 2\/8 \(pause\) → step 5\/8 \(setWeight 60\): set weight 20% → 60%/);
		assert.match(plan.changes[1]!, /no weight API: go to step 5, setWeight 60%/);
		assert.deepEqual(planOf(argoStepWeight(pausedAtStep1, 1)).steps[0]!.patch, {status: {currentStepIndex: 2, pauseConditions: null}});
		assert.match(messageOf(argoStepWeight(pausedAtStep1, -1)), /no earlier setWeight step/);
		const bg = withRv(rollout('x', {blueGreen: {activeService: 'a'}}, {}));
		assert.match(messageOf(argoGoToStep(bg, 0)), /blue-green/);
		assert.match(messageOf(argoSetWeight(bg, 50)), /no setWeight step/);
	});
});
