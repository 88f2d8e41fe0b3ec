// Argo Rollouts and Flagger in the action flow: intents to the controllers' builders, as Plans with the
// audit Event and a watch check; the executor's status fallback and resourceVersion chaining.
import assert from 'node:assert/strict';
import {test} from 'node:test';
import {accessChecks} from '../../source/kinds/registry.js';
import {defaultActionConfig} from '../../source/actions/config.js';
import {execute, planAsText, type Requester} from '../../source/actions/execute.js';
import {planIntent} from '../../source/kinds/registry.js';
import {actionTarget} from '../../source/kinds/registry.js';
import type {Plan, Planned} from '../../source/actions/types.js';
import {KubeError} from '../../source/kube/errors.js';
import type {KObject} from '../../source/kube/object.js';
import {demoSteps, podinfoCanary, podinfoDeployments, podinfoRouting, progressiveSnapshot, rollout} from '../release/argo-fixtures.js';

const options = {config: defaultActionConfig, now: '2026-01-01T00:00:00Z'};
const base = '/apis/argoproj.io/v1alpha1/namespaces/shop/rollouts/rollouts-demo';

function withRv(o: KObject, rv = '4711'): KObject {
	return {...o, metadata: {...o.metadata, resourceVersion: rv}};
}

const paused = (status: Record<string, unknown> = {}, o: {paused?: boolean} = {}) =>
	withRv(rollout('rollouts-demo', {canary: {steps: demoSteps}}, {
		phase: 'Paused',
		currentPodHash: '6cf78c66c5',
		stableRS: '687d76d795',
		currentStepIndex: 1,
		controllerPause: true,
		pauseConditions: [{reason: 'CanaryPauseStep', startTime: '2025-06-01T11:59:00Z'}],
		...status,
	}, o));

const argoTarget = (ro: KObject) => actionTarget(progressiveSnapshot([ro]), 'rollout/rollouts-demo', 'fay')!;

function planOf(planned: Planned): Plan {
	if ('message' in planned) throw new Error(`no plan: ${planned.message}`);
	return planned.plan;
}

test('argo: p promotes (status patch, fallback, precondition), a aborts, space pauses, each with its audit Event', () => {
	const t = argoTarget(paused());
	assert.equal(t.release.kind, 'argo-rollout');
	const promote = planOf(planIntent(t, {name: 'promote'}, options));
	assert.equal(promote.title, 'promote rollout/rollouts-demo');
	assert.deepEqual(promote.steps.map(s => [s.path, s.body]), [[`${base}/status`, {metadata: {resourceVersion: '4711'}, status: {pauseConditions: null}}]]);
	assert.equal(promote.steps[0]!.fallback?.path, base);
	assert.ok(planAsText(promote).includes(`  (on 404: PATCH ${base} with {"spec":{"paused":false},"status":{"pauseConditions":null}})`), planAsText(promote).join('\n'));
	assert.equal(promote.event?.reason, 'RollscopePromote');
	assert.deepEqual(promote.event?.regarding, {apiVersion: 'argoproj.io/v1alpha1', kind: 'Rollout', name: 'rollouts-demo', namespace: 'shop', uid: 'uid-ro-rollouts-demo'});
	assert.match(promote.event!.message, /^fay: promote rollout\/rollouts-demo: clear the pause \(CanaryPauseStep\)/);

	const abort = planOf(planIntent(t, {name: 'abort'}, options));
	assert.equal(abort.event?.reason, 'RollscopeAbort');
	assert.deepEqual(abort.steps[0]!.body, {metadata: {resourceVersion: '4711'}, status: {abort: true}});

	const pause = planOf(planIntent(t, {name: 'pause'}, options));
	assert.equal(pause.event?.reason, 'RollscopePause');
	assert.deepEqual(pause.steps.map(s => [s.path, s.body]), [[base, {metadata: {resourceVersion: '4711'}, spec: {paused: true}}]]);
	const resume = planOf(planIntent(argoTarget(paused({}, {paused: true})), {name: 'pause'}, options));
	assert.equal(resume.event?.reason, 'RollscopeResume');
	assert.deepEqual(resume.steps[0]!.patch, {spec: {paused: false}});
});

test('argo: the plan is done once the watch shows the Rollout at a newer resourceVersion', () => {
	const t = argoTarget(paused());
	const promote = planOf(planIntent(t, {name: 'promote'}, options));
	assert.equal(promote.verify!(progressiveSnapshot([paused()])), false);
	assert.equal(promote.verify!(progressiveSnapshot([paused({}, {}), withRv(paused(), '4712')].slice(1))), true);
	assert.match(promote.done, /Argo Rollouts carries on/);
});

test('argo: p on an aborted Rollout retries; weight keys go to the nearest setWeight step and say so', () => {
	const retry = planOf(planIntent(argoTarget(paused({abort: true, pauseConditions: undefined, controllerPause: undefined})), {name: 'promote'}, options));
	assert.equal(retry.title, 'retry rollout/rollouts-demo');
	assert.deepEqual(retry.steps[0]!.patch, {status: {abort: false}});
	assert.equal(retry.event?.reason, 'RollscopeResume');

	const t = argoTarget(paused());
	const weight = planOf(planIntent(t, {name: 'setWeight', percent: 50}, options));
	assert.equal(weight.event?.reason, 'RollscopeSetWeight');
	assert.ok(weight.changes.some(c => /Argo Rollouts has no weight API: go to step \d, setWeight (40|60)% \(nearest to 50%\)/.test(c)), weight.changes.join('\n'));
	const up = planOf(planIntent(t, {name: 'stepWeight', delta: 1}, options));
	assert.deepEqual(up.steps[0]!.patch, {status: {currentStepIndex: 2, pauseConditions: null}});
	assert.ok(up.changes.some(c => /go to step 3, setWeight 40%/.test(c)));
});

test('argo: P promotes fully (promoteFull on the status subresource, RollscopePromote naming who); r is for Flagger', () => {
	const t = argoTarget(paused());
	const full = planOf(planIntent(t, {name: 'promoteFull'}, options));
	assert.equal(full.title, 'promote rollout/rollouts-demo fully');
	assert.deepEqual(full.steps.map(s => [s.path, s.body]), [[`${base}/status`, {metadata: {resourceVersion: '4711'}, status: {promoteFull: true}}]]);
	assert.deepEqual(full.steps[0]!.precondition, {kind: 'resourceVersion', resourceVersion: '4711'});
	assert.equal(full.steps[0]!.fallback?.path, base);
	assert.ok(planAsText(full).includes(`  (on 404: PATCH ${base} with {"status":{"promoteFull":true}})`), planAsText(full).join('\n'));
	assert.equal(full.event?.reason, 'RollscopePromote');
	assert.deepEqual(full.event?.regarding, {apiVersion: 'argoproj.io/v1alpha1', kind: 'Rollout', name: 'rollouts-demo', namespace: 'shop', uid: 'uid-ro-rollouts-demo'});
	assert.equal(full.event?.message, 'fay: promote rollout/rollouts-demo fully: skip the remaining steps, pauses and analysis: the new version takes all traffic');
	assert.match(full.done, /^promote rollout\/rollouts-demo fully: written; Argo Rollouts carries on/);
	// Paused by spec: the controller holds until resumed, and the confirmation says so.
	assert.ok(planOf(planIntent(argoTarget(paused({}, {paused: true})), {name: 'promoteFull'}, options)).changes.some(c => /spec\.paused is true/.test(c)));
	// Blue-green: the same patch, said as a switch of the active Service.
	const bg = withRv(rollout('rollouts-demo', {blueGreen: {activeService: 'a', previewService: 'p', autoPromotionEnabled: false}}, {currentPodHash: 'b', stableRS: 'a', controllerPause: true, pauseConditions: [{reason: 'BlueGreenPause', startTime: 'x'}]}));
	const bgFull = planOf(planIntent(argoTarget(bg), {name: 'promoteFull'}, options));
	assert.deepEqual(bgFull.steps[0]!.patch, {status: {promoteFull: true}});
	assert.match(bgFull.changes[0]!, /switch the active Service to the new version now/);
	// Nothing to promote, or aborted: a message, no plan.
	const done = planIntent(argoTarget(paused({currentPodHash: '687d76d795', pauseConditions: undefined, controllerPause: undefined})), {name: 'promoteFull'}, options);
	assert.ok('message' in done && /already fully promoted/.test(done.message));
	const aborted = planIntent(argoTarget(paused({abort: true})), {name: 'promoteFull'}, options);
	assert.ok('message' in aborted && /aborted: retry it or undo/.test(aborted.message));
	const restore = planIntent(t, {name: 'restoreAnalysis'}, options);
	assert.ok('message' in restore && restore.message === 'restore analysis (r) is for a Flagger Canary: rollout/rollouts-demo is an Argo Rollout (P promotes it fully, skipping its analysis)');
});

test('argo: u undoes to a revision of the Rollout', () => {
	const ro = paused();
	const rs = (hash: string, revision: number, image: string): KObject => ({
		apiVersion: 'apps/v1',
		kind: 'ReplicaSet',
		metadata: {name: `rollouts-demo-${hash}`, namespace: 'shop', labels: {app: 'rollouts-demo', 'rollouts-pod-template-hash': hash}, annotations: {'rollout.argoproj.io/revision': String(revision)}, ownerReferences: [{apiVersion: 'argoproj.io/v1alpha1', kind: 'Rollout', name: 'rollouts-demo', uid: 'uid-ro-rollouts-demo', controller: true}]},
		spec: {replicas: 1, selector: {matchLabels: {app: 'rollouts-demo', 'rollouts-pod-template-hash': hash}}, template: {metadata: {labels: {app: 'rollouts-demo', 'rollouts-pod-template-hash': hash}}, spec: {containers: [{name: 'rollouts-demo', image}]}}},
	});
	const t = actionTarget(progressiveSnapshot([ro, rs('687d76d795', 1, 'argoproj/rollouts-demo:blue'), rs('6cf78c66c5', 2, 'argoproj/rollouts-demo:yellow')]), 'rollout/rollouts-demo', 'fay')!;
	const undo = planOf(planIntent(t, {name: 'undo', deployment: 'rollouts-demo', revision: 1}, options));
	assert.equal(undo.title, 'undo rollout/rollouts-demo to revision 1');
	assert.equal(undo.event?.reason, 'RollscopeUndo');
	assert.deepEqual((undo.steps[0]!.body as any[])[0], {op: 'test', path: '/metadata/resourceVersion', value: '4711'});
});

test('flagger: p sets skipAnalysis with its warning, space suspends, a and the weight keys say why not', () => {
	const canary = withRv(podinfoCanary({interval: '1m', threshold: 5, maxWeight: 50, stepWeight: 10}, {phase: 'Progressing', canaryWeight: 20}));
	const t = actionTarget(progressiveSnapshot([canary, ...podinfoDeployments('podinfo:6.6.0', 'podinfo:6.5.0', 1).map(o => withRv(o, '17')), ...podinfoRouting(80, 20)]), 'canary/podinfo', 'fay')!;
	assert.equal(t.release.kind, 'flagger');
	const promote = planOf(planIntent(t, {name: 'promote'}, options));
	assert.equal(promote.event?.reason, 'RollscopePromote');
	assert.deepEqual(promote.steps[0]!.body, {metadata: {resourceVersion: '4711'}, spec: {skipAnalysis: true}});
	assert.ok(promote.changes.some(c => /later revisions skip analysis too/.test(c)));
	const suspend = planOf(planIntent(t, {name: 'pause'}, options));
	assert.equal(suspend.event?.reason, 'RollscopePause');
	assert.deepEqual(suspend.steps[0]!.patch, {spec: {suspend: true}});
	const abort = planIntent(t, {name: 'abort'}, options);
	assert.ok('message' in abort && /Flagger has no abort/.test(abort.message));
	const weight = planIntent(t, {name: 'setWeight', percent: 30}, options);
	assert.ok('message' in weight && /Flagger has no weight API/.test(weight.message));
	const undo = planOf(planIntent(t, {name: 'undo', deployment: 'podinfo-primary', revision: 2}, options));
	assert.equal(undo.event?.reason, 'RollscopeUndo');
	assert.match(undo.steps[0]!.path, /\/deployments\/podinfo$/);
	assert.ok(undo.changes.some(c => /podinfo:6\.5\.0/.test(c)), undo.changes.join('\n'));
	// r restores the analysis once p has set skipAnalysis; P says Flagger has no promote --full.
	const notSkipping = planIntent(t, {name: 'restoreAnalysis'}, options);
	assert.ok('message' in notSkipping && /canary\/podinfo does not skip analysis/.test(notSkipping.message));
	const full = planIntent(t, {name: 'promoteFull'}, options);
	assert.ok('message' in full && full.message === 'Flagger has no promote --full: p promotes canary/podinfo at once, skipping the rest of its analysis (r restores the analysis afterwards)');
	const skipping = withRv(podinfoCanary({interval: '1m', threshold: 5, maxWeight: 50, stepWeight: 10}, {phase: 'Succeeded', canaryWeight: 0}, {skipAnalysis: true}));
	const promoted = actionTarget(progressiveSnapshot([skipping, ...podinfoDeployments('podinfo:6.6.0', 'podinfo:6.6.0', 0).map(o => withRv(o, '17')), ...podinfoRouting(100, 0)]), 'canary/podinfo', 'fay')!;
	const restore = planOf(planIntent(promoted, {name: 'restoreAnalysis'}, options));
	assert.equal(restore.title, 'analyse canary/podinfo again');
	assert.deepEqual(restore.steps.map(s => [s.path, s.body]), [['/apis/flagger.app/v1beta1/namespaces/shop/canaries/podinfo', {metadata: {resourceVersion: '4711'}, spec: {skipAnalysis: false}}]]);
	assert.equal(restore.event?.reason, 'RollscopeResume');
	assert.equal(restore.event?.regarding.kind, 'Canary');
	assert.equal(restore.event?.message, 'fay: analyse canary/podinfo again: spec.skipAnalysis true → false: the next revision runs the analysis');
	// An object without a resourceVersion (never read from the API server) is a message, not a crash.
	const unread = actionTarget(progressiveSnapshot([podinfoCanary({}, {phase: 'Progressing'}), ...podinfoDeployments('podinfo:6.6.0', 'podinfo:6.5.0', 1)]), 'canary/podinfo', 'fay')!;
	const refused = planIntent(unread, {name: 'promote'}, options);
	assert.ok('message' in refused && /has no resourceVersion/.test(refused.message));
});

test('access: Argo needs rollouts and rollouts/status, Flagger canaries', () => {
	const checks = accessChecks(argoTarget(paused()));
	assert.deepEqual(checks.promote, [{verb: 'patch', group: 'argoproj.io', resource: 'rollouts', subresource: 'status'}]);
	assert.deepEqual(checks.pause, [{verb: 'patch', group: 'argoproj.io', resource: 'rollouts'}]);
});

type Call = {method: string; path: string; body?: unknown};

function fake(answer: (call: Call) => unknown): Requester & {calls: Call[]} {
	const calls: Call[] = [];
	return {
		calls,
		async request(method, path, o = {}) {
			const call = {method, path, body: o.body};
			calls.push(call);
			return answer(call);
		},
	};
}

test('execute: a 404 from the status subresource sends the fallback to the main resource', async () => {
	const promote = planOf(planIntent(argoTarget(paused()), {name: 'promote'}, options));
	const client = fake(call => {
		if (call.path.endsWith('/status')) throw new KubeError(404, 'NotFound', 'the server could not find the requested resource');
		return {metadata: {resourceVersion: '4712'}};
	});
	const outcome = await execute(client, promote, {now: () => new Date('2026-01-01T00:00:00Z')});
	assert.equal(outcome.ok, true);
	assert.deepEqual(client.calls.map(c => [c.path, c.body]).slice(0, 2), [
		[`${base}/status`, {metadata: {resourceVersion: '4711'}, status: {pauseConditions: null}}],
		[base, {metadata: {resourceVersion: '4711'}, spec: {paused: false}, status: {pauseConditions: null}}],
	]);
	assert.equal((client.calls[2]!.body as any).reason, 'RollscopePromote');
	// A 404 elsewhere is not retried.
	const abort = planOf(planIntent(argoTarget(paused()), {name: 'pause'}, options));
	const gone = fake(() => {
		throw new KubeError(404, 'NotFound', 'rollouts.argoproj.io "rollouts-demo" not found');
	});
	const failed = await execute(gone, abort);
	assert.equal(failed.ok, false);
	assert.equal(gone.calls.length, 1);
});

test('execute: a chained step takes the resourceVersion of the previous response', async () => {
	const promote = planOf(planIntent(argoTarget(paused({}, {paused: true})), {name: 'promote'}, options));
	assert.equal(promote.steps.length, 2);
	const client = fake(() => ({metadata: {resourceVersion: '4712'}}));
	await execute(client, promote);
	assert.deepEqual(client.calls[1]!.body, {metadata: {resourceVersion: '4712'}, spec: {paused: false}});
	// A 409 on the status patch stops before the spec patch.
	const conflict = fake(() => {
		throw new KubeError(409, 'Conflict', 'the object has been modified');
	});
	const outcome = await execute(conflict, promote);
	assert.ok(!outcome.ok && outcome.kind === 'conflict');
	assert.equal(conflict.calls.length, 1);
});
