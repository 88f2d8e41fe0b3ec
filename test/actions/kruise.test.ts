// The OpenKruise Rollouts actions: exactly what kubectl-kruise writes (approve on the status subresource only from
// StepPaused, pause and resume by spec.strategy.paused, undo --fast by nextStepIndex), the template put back for u,
// each with its precondition (the keys against the sim: kruise-sim.test.ts).
import assert from 'node:assert/strict';
import {describe, test} from 'node:test';
import {kruiseApprove, kruisePause, kruiseResume, kruiseStepBack, kruiseUndo, previousStepWithoutTraffic} from '../../source/actions/kruise.js';
import type {KObject} from '../../source/kube/object.js';
import {planOf, messageOf} from './helpers.js';

function kruiseRollout(steps: unknown[], canaryStatus: Record<string, unknown> | undefined, o: {paused?: boolean; blueGreen?: boolean} = {}): KObject {
	return {
		apiVersion: 'rollouts.kruise.io/v1beta1',
		kind: 'Rollout',
		metadata: {name: 'rollouts-demo', namespace: 'shop', uid: 'uid-ro', resourceVersion: '4711'},
		spec: {workloadRef: {apiVersion: 'apps/v1', kind: 'Deployment', name: 'echoserver'}, strategy: {...(o.paused ? {paused: true} : {}), [o.blueGreen ? 'blueGreen' : 'canary']: {steps}}},
		status: {phase: 'Progressing', ...(canaryStatus ? {[o.blueGreen ? 'blueGreenStatus' : 'canaryStatus']: canaryStatus, currentStepIndex: canaryStatus.currentStepIndex, currentStepState: canaryStatus.currentStepState} : {})},
	};
}

const steps = [{traffic: '5%', replicas: 1, pause: {}}, {replicas: '50%'}, {traffic: '50%', replicas: '50%', pause: {duration: 60}}, {traffic: '100%', replicas: '100%'}];
const base = '/apis/rollouts.kruise.io/v1beta1/namespaces/shop/rollouts/rollouts-demo';

describe('approve (kubectl-kruise rollout approve)', () => {
	test('at StepPaused: StepReady on the status subresource, a merge patch with the resourceVersion as precondition', () => {
		const plan = planOf(kruiseApprove(kruiseRollout(steps, {currentStepIndex: 1, currentStepState: 'StepPaused'})));
		assert.equal(plan.title, 'approve rollout/rollouts-demo');
		assert.deepEqual(plan.changes, ['step 1/4 (5% · 1 pod · pause): StepPaused → StepReady', 'Kruise moves on to step 2/4 (50% pods · pause)']);
		assert.equal(plan.steps.length, 1);
		const [step] = plan.steps;
		assert.deepEqual([step!.method, step!.path, step!.contentType, step!.subresource, step!.fallback], ['PATCH', `${base}/status`, 'application/merge-patch+json', 'status', undefined]);
		assert.deepEqual(step!.patch, {status: {canaryStatus: {currentStepState: 'StepReady'}}});
		assert.deepEqual(step!.body, {metadata: {resourceVersion: '4711'}, status: {canaryStatus: {currentStepState: 'StepReady'}}});
		assert.deepEqual(plan.regarding, {apiVersion: 'rollouts.kruise.io/v1beta1', kind: 'Rollout', name: 'rollouts-demo', namespace: 'shop', uid: 'uid-ro'});
		assert.equal(plan.dangerous, false);
	});

	test('blue-green: blueGreenStatus; the last step says the release completes', () => {
		const plan = planOf(kruiseApprove(kruiseRollout([{traffic: '50%', replicas: '100%', pause: {}}], {currentStepIndex: 1, currentStepState: 'StepPaused'}, {blueGreen: true})));
		assert.deepEqual(plan.steps[0]!.patch, {status: {blueGreenStatus: {currentStepState: 'StepReady'}}});
		assert.match(plan.changes[1]!, /last step: Kruise completes the release/);
	});

	test('refused unless StepPaused, saying why; nothing to approve without a release', () => {
		assert.equal(messageOf(kruiseApprove(kruiseRollout(steps, {currentStepIndex: 1, currentStepState: 'StepUpgrade'}))), "rollout/rollouts-demo: does not allow to approve, because the current canary state is StepUpgrade, not 'StepPaused'");
		assert.match(messageOf(kruiseApprove(kruiseRollout(steps, {currentStepIndex: 1, currentStepState: 'StepTrafficRouting'}, {paused: true}))), /the Rollout is paused: space resumes it/);
		assert.match(messageOf(kruiseApprove(kruiseRollout(steps, {currentStepIndex: 4, currentStepState: 'Completed'}))), /every step is done/);
		assert.equal(messageOf(kruiseApprove(kruiseRollout(steps, undefined))), 'rollout/rollouts-demo: no need to approve: not in canary or blue-green progress');
	});

	test('an object without a resourceVersion gets no plan (no precondition possible)', () => {
		const ro = kruiseRollout(steps, {currentStepIndex: 1, currentStepState: 'StepPaused'});
		delete ro.metadata.resourceVersion;
		assert.throws(() => kruiseApprove(ro), /has no resourceVersion/);
	});
});

describe('pause and resume (kubectl-kruise rollout pause / resume)', () => {
	test('spec.strategy.paused on the main resource', () => {
		const pause = planOf(kruisePause(kruiseRollout(steps, {currentStepIndex: 1, currentStepState: 'StepPaused'})));
		assert.deepEqual([pause.steps[0]!.path, pause.steps[0]!.subresource, pause.steps[0]!.body], [base, undefined, {metadata: {resourceVersion: '4711'}, spec: {strategy: {paused: true}}}]);
		const resume = planOf(kruiseResume(kruiseRollout(steps, undefined, {paused: true})));
		assert.deepEqual(resume.steps[0]!.patch, {spec: {strategy: {paused: false}}});
		assert.equal(messageOf(kruisePause(kruiseRollout(steps, undefined, {paused: true}))), 'rollout/rollouts-demo is already paused');
		assert.equal(messageOf(kruiseResume(kruiseRollout(steps, undefined))), 'rollout/rollouts-demo is not paused');
	});
});

describe('back to an earlier step without traffic (kubectl-kruise rollout undo rollout/NAME --fast)', () => {
	test('the earlier step without traffic and with the most replicas: nextStepIndex on the status subresource', () => {
		const ro = kruiseRollout(steps, {currentStepIndex: 4, currentStepState: 'StepUpgrade', nextStepIndex: -1});
		assert.equal(previousStepWithoutTraffic(ro, 4), 2);
		const plan = planOf(kruiseStepBack(ro));
		assert.equal(plan.title, 'rollout/rollouts-demo: back to step 2/4 (50% pods · pause)');
		assert.deepEqual([plan.steps[0]!.path, plan.steps[0]!.subresource, plan.steps[0]!.patch], [`${base}/status`, 'status', {status: {canaryStatus: {nextStepIndex: 2}}}]);
		assert.equal(plan.dangerous, true);
	});

	test('none to go back to: at the first step, or every earlier step has traffic', () => {
		assert.match(messageOf(kruiseStepBack(kruiseRollout(steps, {currentStepIndex: 1, currentStepState: 'StepPaused'}))), /already at the first step/);
		assert.match(messageOf(kruiseStepBack(kruiseRollout(steps, {currentStepIndex: 2, currentStepState: 'StepPaused'}))), /no previous step without traffic/);
		assert.match(messageOf(kruiseStepBack(kruiseRollout(steps, {currentStepIndex: 4, currentStepState: 'Completed'}))), /has done every step/);
	});
});

describe('undo: the workload\'s template back to a revision', () => {
	const deployment: KObject = {
		apiVersion: 'apps/v1',
		kind: 'Deployment',
		metadata: {name: 'echoserver', namespace: 'shop', resourceVersion: '99'},
		spec: {paused: true, template: {metadata: {labels: {app: 'echoserver'}}, spec: {containers: [{name: 'echoserver', image: 'echoserver:1.10.3'}]}}},
	};
	const stable: KObject = {
		apiVersion: 'apps/v1',
		kind: 'ReplicaSet',
		metadata: {name: 'echoserver-5c8d9f7b6', namespace: 'shop', labels: {app: 'echoserver', 'pod-template-hash': '5c8d9f7b6'}},
		spec: {template: {metadata: {labels: {app: 'echoserver', 'pod-template-hash': '5c8d9f7b6'}}, spec: {containers: [{name: 'echoserver', image: 'echoserver:1.10.2'}]}}},
	};

	test('a JSON patch testing the resourceVersion and the template seen, replacing the template (without pod-template-hash)', () => {
		const ro = kruiseRollout(steps, {currentStepIndex: 1, currentStepState: 'StepPaused', stableRevision: '5c8d9f7b6'});
		const plan = planOf(kruiseUndo(ro, deployment, stable, 1));
		assert.equal(plan.title, 'undo deploy/echoserver to revision 1 (rollout/rollouts-demo)');
		assert.deepEqual(plan.steps[0]!.body, [
			{op: 'test', path: '/metadata/resourceVersion', value: '99'},
			{op: 'test', path: '/spec/template', value: deployment.spec.template},
			{op: 'replace', path: '/spec/template', value: {metadata: {labels: {app: 'echoserver'}}, spec: {containers: [{name: 'echoserver', image: 'echoserver:1.10.2'}]}}},
		]);
		assert.equal(plan.steps[0]!.path, '/apis/apps/v1/namespaces/shop/deployments/echoserver');
		assert.ok(plan.changes.includes('it is the stable revision: Kruise cancels the release and rolls back at once'));
		assert.match(messageOf(kruiseUndo(ro, {...deployment, spec: {...deployment.spec, template: stable.spec.template}}, stable, 1)), /already matches revision 1/);
	});
});
