// The OpenKruise Rollouts actions: exactly what kubectl-kruise writes (approve on the status subresource only from
// StepPaused, pause and resume by spec.strategy.paused, undo --fast by nextStepIndex), the template put back for u,
// each with its precondition; then the keys through the view's action controller against the sim, on a v1beta1
// Rollout (the kruise scenario) and a v1alpha1 one, with --read-only and --dry-run.
import assert from 'node:assert/strict';
import {join} from 'node:path';
import {after, before, describe, test} from 'node:test';
import type {ControllerPlan, ControllerPlanned} from '../../source/actions/argo.js';
import {kruiseApprove, kruisePause, kruiseResume, kruiseStepBack, kruiseUndo, previousStepWithoutTraffic} from '../../source/actions/kruise.js';
import type {KObject} from '../../source/kube/object.js';
import {kubectlOk, startTestSim, waitFor, type TestSim} from '../helpers/sim.js';
import {confirmation, confirmKey, openActions, rollscopeEvents} from './helpers.js';

function planOf(planned: ControllerPlanned): ControllerPlan {
	if ('message' in planned) throw new Error(`no plan: ${planned.message}`);
	return planned.plan;
}

function messageOf(planned: ControllerPlanned): string {
	if ('plan' in planned) throw new Error(`a plan: ${planned.plan.title}`);
	return planned.message;
}

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

describe('the keys on Kruise Rollouts, against the sim', () => {
	let t: TestSim;
	before(async () => {
		t = await startTestSim({scenario: 'kruise', speed: 20});
		await kubectlOk(t, ['create', 'namespace', 'kruise-v1alpha1']);
		await kubectlOk(t, ['apply', '-n', 'kruise-v1alpha1', '-f', join(import.meta.dirname, '..', 'testdata', 'sim', 'kruise', 'v1alpha1.yaml')]);
	});
	after(async () => {
		await t.stop();
	});

	const rollout = async (ns: string): Promise<KObject> => JSON.parse(await kubectlOk(t, ['-n', ns, 'get', 'rollouts.rollouts.kruise.io', 'rollouts-demo', '-o', 'json']));
	const state = async (ns: string) => (await rollout(ns)).status?.canaryStatus;
	/** A new image once Healthy; then the release paused at step 1 (a canceled release leaves its status until the next begins). */
	async function releasing(ns: string, image: string): Promise<void> {
		await waitFor('Healthy', async () => (await rollout(ns)).status?.phase === 'Healthy' && (await state(ns)) !== undefined, 60_000);
		const before = (await state(ns))?.canaryRevision;
		await kubectlOk(t, ['-n', ns, 'set', 'image', 'deployment/echoserver', `echoserver=${image}`]);
		await waitFor('paused at step 1', async () => {
			const ro = await rollout(ns);
			const sub = ro.status?.canaryStatus;
			return ro.status?.phase === 'Progressing' && sub?.canaryRevision !== before && sub?.currentStepIndex === 1 && sub?.currentStepState === 'StepPaused';
		}, 60_000);
	}

	for (const [ns, version] of [['kruise', 'v1beta1'], ['kruise-v1alpha1', 'v1alpha1']] as const) {
		test(`${version}: p approves the paused step, space pauses and resumes, u puts the template back; each leaves its audit Event`, async () => {
			await releasing(ns, 'registry.local/echoserver:1.10.3');
			const o = await openActions(t, ns, 'rollout/rollouts-demo');
			try {
				await waitFor('access reviewed', () => o.store.getState().actions?.mode === 'enabled');
				assert.equal(o.store.getState().release?.kruise?.apiVersion, version);
				// p: StepPaused → StepReady through the status subresource; Kruise goes on to step 2.
				await confirmKey(o, {name: 'promote'}, c => assert.equal(c.title, 'approve rollout/rollouts-demo'));
				await waitFor('step 2', async () => (await state(ns))?.currentStepIndex === 2, 30_000);
				// space: spec.strategy.paused, twice.
				await confirmKey(o, {name: 'pause'}, c => assert.deepEqual(c.lines, ['spec.strategy.paused false → true: the steps hold where they are (replicas and traffic stay)']));
				assert.equal((await rollout(ns)).spec.strategy.paused, true);
				await waitFor('the view sees it paused', () => o.store.getState().release?.kruise?.paused === true);
				await confirmKey(o, {name: 'pause'}, c => assert.equal(c.title, 'resume rollout/rollouts-demo'));
				assert.equal((await rollout(ns)).spec.strategy.paused, false);
				// u: the revision picker of the Deployment; the stable revision puts the template back and Kruise cancels.
				await waitFor('the view sees it resumed', () => o.store.getState().release?.kruise?.paused === false);
				const picker = o.controller.handle({name: 'undo'});
				assert.ok(picker && typeof picker === 'object' && 'pickRevision' in picker, JSON.stringify(picker));
				assert.equal(picker.pickRevision.workload, 'echoserver');
				const stable = picker.pickRevision.revisions.find(r => r.images.includes('registry.local/echoserver:1.10.2'));
				assert.ok(stable, JSON.stringify(picker.pickRevision.revisions));
				const c = confirmation(picker.pickRevision.onPick(stable.revision));
				assert.ok(c.lines.includes('it is the stable revision: Kruise cancels the release and rolls back at once'), c.lines.join('\n'));
				c.onConfirm();
				await waitFor('the template back', async () => JSON.parse(await kubectlOk(t, ['-n', ns, 'get', 'deploy', 'echoserver', '-o', 'json'])).spec.template.spec.containers[0].image === 'registry.local/echoserver:1.10.2', 30_000);
				await waitFor('canceled, Healthy', async () => (await rollout(ns)).status?.message === 'Rollout progressing has been canceled' && (await rollout(ns)).status?.phase === 'Healthy', 60_000);
				const reasons = (await rollscopeEvents(o.client, ns)).map(e => `${e.reason} ${e.involvedObject.kind}/${e.involvedObject.name}`).sort();
				assert.deepEqual(reasons, ['RollscopePause Rollout/rollouts-demo', 'RollscopePromote Rollout/rollouts-demo', 'RollscopeResume Rollout/rollouts-demo', 'RollscopeUndo Rollout/rollouts-demo']);
				// No weight API, no promote --full, no earlier step without traffic in these steps.
				assert.match(String(o.controller.handle({name: 'weightUp'})), /moves its traffic by its steps/);
				assert.match(String(o.controller.handle({name: 'promoteFull'})), /has no promote --full/);
			} finally {
				o.stop();
			}
		});
	}

	test('--read-only refuses the keys and --dry-run shows the status patch without sending it', async () => {
		await releasing('kruise', 'registry.local/echoserver:1.10.4');
		const before = (await rollout('kruise')).metadata.resourceVersion;
		const readOnly = await openActions(t, 'kruise', 'rollout/rollouts-demo', {readOnly: true});
		try {
			assert.equal(readOnly.controller.handle({name: 'promote'}), 'read-only (started with --read-only): nothing changes');
		} finally {
			readOnly.stop();
		}
		const dry = await openActions(t, 'kruise', 'rollout/rollouts-demo', {dryRun: true});
		try {
			const c = confirmation(dry.controller.handle({name: 'promote'}));
			assert.equal(c.dryRun, true);
			const text = c.lines.join('\n');
			assert.match(text, /PATCH \/apis\/rollouts\.kruise\.io\/v1beta1\/namespaces\/kruise\/rollouts\/rollouts-demo\/status\n {2}Content-Type: application\/merge-patch\+json/);
			assert.match(text, /"currentStepState": "StepReady"/);
			assert.match(String(c.onConfirm()), /^dry run: nothing sent/);
		} finally {
			dry.stop();
		}
		assert.equal((await rollout('kruise')).metadata.resourceVersion, before);
		assert.equal((await state('kruise'))?.currentStepState, 'StepPaused');
	});
});
