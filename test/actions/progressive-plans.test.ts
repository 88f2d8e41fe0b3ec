// The controllers' plans in the action flow, as data: a controller plan turned into a Plan (its Event and
// when the watch shows it done), the audit reason of each action, the weight keys and revisions of a Rollout,
// and undo on a Flagger Canary.
import assert from 'node:assert/strict';
import {test} from 'node:test';
import {argoPromote, type ControllerPlan} from '../../source/actions/argo.js';
import {defaultActionConfig} from '../../source/actions/config.js';
import {argoCurrentWeight, argoRevisionEntries, argoWeightKey, fromControllerPlan, planFlagger, REASONS} from '../../source/actions/progressive.js';
import type {Plan, Planned} from '../../source/actions/types.js';
import {actionTarget, planIntent} from '../../source/kinds/registry.js';
import type {KObject} from '../../source/kube/object.js';
import {demoSteps, podinfoCanary, podinfoDeployments, podinfoRouting, progressiveSnapshot, rollout, rolloutReplicaSet} from '../release/argo-fixtures.js';

const options = {config: defaultActionConfig, now: '2026-01-01T00:00:00Z'};
const withRv = (o: KObject, rv = '4711'): KObject => ({...o, metadata: {...o.metadata, resourceVersion: rv}});

function planOf(planned: Planned): Plan {
	if ('message' in planned) throw new Error(`no plan: ${planned.message}`);
	return planned.plan;
}

const paused = (status: Record<string, unknown> = {}, strategy: Record<string, unknown> = {}) =>
	withRv(rollout('rollouts-demo', {canary: {steps: demoSteps, ...strategy}}, {phase: 'Paused', currentPodHash: 'new', stableRS: 'old', currentStepIndex: 1, controllerPause: true, pauseConditions: [{reason: 'CanaryPauseStep'}], ...status}));

test('REASONS: the audit reason of each controller action', () => {
	assert.deepEqual(REASONS, {
		promote: 'RollscopePromote',
		'promote-full': 'RollscopePromote',
		'skip-analysis': 'RollscopePromote',
		retry: 'RollscopeResume',
		abort: 'RollscopeAbort',
		pause: 'RollscopePause',
		suspend: 'RollscopePause',
		resume: 'RollscopeResume',
		'restore-analysis': 'RollscopeResume',
		undo: 'RollscopeUndo',
		'set-step': 'RollscopeSetWeight',
	});
});

test('fromControllerPlan: the steps as they are, the Event naming who and every change, done once the object moves on', () => {
	const ro = paused({}, {});
	ro.spec.paused = true;
	const t = actionTarget(progressiveSnapshot([ro]), 'rollout/rollouts-demo', 'fay')!;
	const cp = (argoPromote(ro) as {plan: ControllerPlan}).plan;
	const plan = fromControllerPlan(t, cp, 'Argo Rollouts');
	const {verify, ...rest} = plan;
	assert.deepEqual(rest, {
		title: 'promote rollout/rollouts-demo',
		changes: cp.changes,
		steps: cp.steps,
		event: {
			reason: 'RollscopePromote',
			regarding: cp.regarding,
			message: 'fay: promote rollout/rollouts-demo: clear the pause (CanaryPauseStep): step 2/8 (pause) → next step; resume: spec.paused true → false',
		},
		done: 'promote rollout/rollouts-demo: written; Argo Rollouts carries on',
	});
	assert.equal(verify!(progressiveSnapshot([ro])), false, 'the same resourceVersion');
	assert.equal(verify!(progressiveSnapshot([withRv(ro, '4712')])), true);
	assert.equal(verify!(progressiveSnapshot([])), false, 'the Rollout gone');
	assert.equal(verify!({...progressiveSnapshot([withRv(ro, '4712')]), rollouts: undefined}), false, 'no Rollouts listed');
	assert.equal(fromControllerPlan(t, cp, 'Argo Rollouts', {...REASONS, promote: 'RollscopeResume'}).event?.reason, 'RollscopeResume', 'the reasons can be given');
});

test('a Flagger plan is done when its Canary, or the Deployment it reverts, moves on', () => {
	const canary = withRv(podinfoCanary({interval: '1m', threshold: 5, maxWeight: 50, stepWeight: 10}, {phase: 'Progressing', canaryWeight: 20}));
	const deployments = podinfoDeployments('podinfo:6.6.0', 'podinfo:6.5.0', 1).map(o => withRv(o, '17'));
	const objects = [canary, ...deployments, ...podinfoRouting(80, 20)];
	const t = actionTarget(progressiveSnapshot(objects), 'canary/podinfo', 'fay')!;
	const promote = planOf(planIntent(t, {name: 'promote'}, options));
	assert.equal(promote.verify!(progressiveSnapshot(objects)), false);
	assert.equal(promote.verify!(progressiveSnapshot([withRv(canary, '4712'), ...deployments])), true);
	assert.equal(promote.verify!({...progressiveSnapshot([withRv(canary, '4712')]), canaries: undefined}), false, 'no Canaries listed');
	assert.equal(promote.done, 'promote canary/podinfo (skipAnalysis): written; Flagger carries on');
	const undo = planOf(planIntent(t, {name: 'undo', deployment: 'podinfo-primary', revision: 2}, options));
	assert.equal(undo.steps.at(-1)!.object, 'Deployment/podinfo');
	assert.equal(undo.verify!(progressiveSnapshot(objects)), false);
	const moved = objects.map(o => (o.kind === 'Deployment' && o.metadata.name === 'podinfo' ? withRv(o, '18') : o));
	assert.equal(undo.verify!(progressiveSnapshot(moved)), true);
});

test('planFlagger: undo to a revision of the target, or to the primary when it is focused; pause resumes a suspended Canary', () => {
	const canary = withRv(podinfoCanary({interval: '1m'}, {phase: 'Progressing'}));
	const [target, primary, rs, ...rest] = podinfoDeployments('podinfo:6.6.0', 'podinfo:6.5.0', 1).map(o => withRv(o, '17')) as KObject[];
	const older = {...rs!, metadata: {...rs!.metadata, name: 'podinfo-0ld', uid: 'uid-old', annotations: {'deployment.kubernetes.io/revision': '2'}}, spec: {...rs!.spec, replicas: 0, template: {metadata: {labels: {app: 'podinfo', 'pod-template-hash': '0ld'}}, spec: {containers: [{name: 'app', image: 'podinfo:6.4.0'}]}}}};
	const objects = [canary, target!, primary!, rs!, older, ...rest];
	const t = actionTarget(progressiveSnapshot(objects), 'canary/podinfo', 'fay')!;
	const toRevision = planOf(planFlagger(t, canary, {name: 'undo', deployment: 'podinfo', revision: 2}));
	assert.equal(toRevision.title, 'undo canary/podinfo: deploy/podinfo back to revision 2 (ReplicaSet podinfo-0ld)');
	assert.equal(toRevision.event?.reason, 'RollscopeUndo');
	const toPrimary = planOf(planFlagger(t, canary, {name: 'undo', deployment: 'podinfo-primary', revision: 9}));
	assert.equal(toPrimary.title, 'undo canary/podinfo: deploy/podinfo back to the last promoted version (deploy/podinfo-primary)');
	assert.deepEqual(planFlagger(t, canary, {name: 'undo', deployment: 'podinfo', revision: 9}), {message: 'deploy/podinfo has no revision 9'});
	const suspended = withRv(podinfoCanary({interval: '1m'}, {phase: 'Progressing'}, {suspend: true}));
	assert.equal(planOf(planFlagger(t, suspended, {name: 'pause'})).title, 'resume canary/podinfo');
	assert.equal(planOf(planFlagger(t, canary, {name: 'pause'})).title, 'suspend canary/podinfo');
	assert.deepEqual(planFlagger(t, canary, {name: 'stepWeight', delta: 1}), {message: 'Flagger has no weight API: canary/podinfo moves its weight by itself (p promotes, skipping the analysis)'});
	assert.deepEqual(planFlagger(t, canary, {name: 'abort'}), {message: 'Flagger has no abort: canary/podinfo rolls back by itself when its checks fail (u reverts the target Deployment)'});
	// Without the target Deployment in the watch, nothing to revert.
	const noTarget = {...t, release: {...t.release, members: t.release.members.filter(m => m.role !== 'canary')}};
	assert.deepEqual(planFlagger(noTarget, canary, {name: 'undo', deployment: 'podinfo', revision: 2}), {message: 'canary/podinfo has no target Deployment in the watch'});
});

test('the weight keys on a Rollout: steps up and down, the prompt from the current setWeight in percent of the maximum', () => {
	const ro = paused({currentStepIndex: 3});
	assert.deepEqual(argoWeightKey(ro, 'typeWeight'), {prompt: {current: 40}});
	assert.deepEqual(argoWeightKey(ro, 'weightUp'), {intent: {name: 'stepWeight', delta: 1}});
	assert.deepEqual(argoWeightKey(ro, 'planNext'), {intent: {name: 'stepWeight', delta: 1}});
	assert.deepEqual(argoWeightKey(ro, 'weightDown'), {intent: {name: 'stepWeight', delta: -1}});
	assert.deepEqual(argoWeightKey(ro, 'planPrev'), {intent: {name: 'stepWeight', delta: -1}});
	assert.equal(argoCurrentWeight(paused({currentStepIndex: 0})), 20);
	assert.equal(argoCurrentWeight(paused({currentStepIndex: undefined})), 20, 'no index: the first step');
	assert.equal(argoCurrentWeight(paused({currentStepIndex: 2}, {trafficRouting: {maxTrafficWeight: 30}})), 133.3);
	assert.equal(argoCurrentWeight(paused({currentStepIndex: 1}, {trafficRouting: {maxTrafficWeight: 30}})), 66.7);
});

test('argoRevisionEntries: the Rollout\'s revisions newest first, with pods, which is current, and what differs', () => {
	const ro = paused({currentPodHash: 'h2'});
	const v1 = rolloutReplicaSet(ro, 'h1', 1, 'argoproj/rollouts-demo:blue', 2);
	const v2 = rolloutReplicaSet(ro, 'h2', 2, 'argoproj/rollouts-demo:yellow', 1);
	ro.spec.template = structuredClone(v2.rs.spec.template);
	const unnumbered = rolloutReplicaSet(ro, 'h0', 0, 'argoproj/rollouts-demo:red', 0).rs;
	delete unnumbered.metadata.annotations!['rollout.argoproj.io/revision'];
	const t = actionTarget(progressiveSnapshot([ro, v1.rs, ...v1.pods, v2.rs, ...v2.pods, unnumbered]), 'rollout/rollouts-demo', 'fay')!;
	const entries = argoRevisionEntries(t, ro);
	assert.deepEqual(
		entries.map(e => [e.revision, e.replicaSet.metadata.name, e.pods, e.current, e.diff]),
		[
			[2, 'rollouts-demo-h2', 1, true, []],
			[1, 'rollouts-demo-h1', 2, false, [{container: 'rollouts-demo', field: 'image', from: 'argoproj/rollouts-demo:yellow', to: 'argoproj/rollouts-demo:blue'}]],
		],
	);
	// A ReplicaSet without the hash label is never current.
	const unhashed = {...v2.rs, metadata: {...v2.rs.metadata, labels: {app: 'rollouts-demo'}}};
	const other = actionTarget(progressiveSnapshot([paused({currentPodHash: undefined}), unhashed]), 'rollout/rollouts-demo', 'fay')!;
	assert.deepEqual(argoRevisionEntries(other, paused({currentPodHash: undefined})).map(e => e.current), [false]);
});
