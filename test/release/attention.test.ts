import assert from 'node:assert/strict';
import {describe, test} from 'node:test';
import {namespaceRows} from '../../source/kinds/rows.js';
import type {KObject} from '../../source/kube/object.js';
import {orderRows, podTrouble, type ReleaseRow} from '../../source/release/attention.js';
import type {ClusterSnapshot} from '../../source/release/snapshot.js';
import {loadCase} from '../helpers/testdata.js';
import {demoSteps, podinfoCanary, podinfoDeployments, podinfoRouting, progressiveSnapshot, rollout, rolloutReplicaSet, svc} from './argo-fixtures.js';
import {canaryPair, deployment, pod, replicaSet, service, snapshot} from './fixtures.js';

/** The first row of a snapshot, as [level, phase]. */
function attentionOf(snap: ClusterSnapshot): [string, string] {
	const [built] = namespaceRows(snap);
	assert.ok(built, 'no release in the snapshot');
	return [built.row.attention, built.row.phase];
}

/** web at revision 2 rolling: 1 of 3 updated; `newPod` says how its new pod is. */
function rollingWeb(o: {newPod?: Parameters<typeof pod>[2]; paused?: boolean; deadline?: boolean} = {}): KObject[] {
	const web = deployment('web', {
		replicas: 3, revision: 2, updated: 1, total: 4, ready: 3, available: 3, paused: o.paused,
		conditions: o.deadline ? [{type: 'Progressing', status: 'False', reason: 'ProgressDeadlineExceeded', message: 'ReplicaSet "web-new" has timed out progressing.'}] : undefined,
	});
	const old = replicaSet(web, {hash: 'old', revision: 1, image: 'web:1.0', replicas: 3});
	const fresh = replicaSet(web, {hash: 'new', revision: 2, image: 'web:1.1', replicas: 1});
	return [web, old, fresh, pod(old, 'a'), pod(old, 'b'), pod(old, 'c'), pod(fresh, 'd', o.newPod), service('web', {app: 'web'})];
}

describe('what a release asks of a person', () => {
	test('the canonical cases: each kind in its own words', () => {
		const expected: Record<string, [string, string]> = {
			'argo-canary': ['steady', 'Healthy'],
			'argo-paused': ['waiting', 'Paused (CanaryPauseStep)'],
			bluegreen: ['steady', 'live on shop-blue'],
			bookinfo: ['progressing', 'canary 10% 10%'],
			canary: ['progressing', 'canary 10%'],
			flagger: ['steady', 'Initialized'],
			'header-canary': ['progressing', 'canary 0%'],
			nginx: ['progressing', 'canary 30%'],
			rolling: ['steady', 'complete'],
		};
		for (const [name, want] of Object.entries(expected)) {
			const {snapshot: snap} = loadCase(name);
			assert.equal(namespaceRows(snap).length, 1, `${name} holds one release`);
			assert.deepEqual(attentionOf(snap), want, name);
		}
	});

	test('a rolling Deployment: crash-looping or unpullable pods and a passed deadline fail it, a pause waits, else it rolls', () => {
		assert.deepEqual(attentionOf(snapshot(rollingWeb())), ['progressing', 'rolling 1/3 updated']);
		assert.deepEqual(attentionOf(snapshot(rollingWeb({newPod: {waiting: 'CrashLoopBackOff', restarts: 4}}))), ['failing', 'CrashLoopBackOff (1 pod)']);
		assert.deepEqual(attentionOf(snapshot(rollingWeb({newPod: {waiting: 'ImagePullBackOff'}}))), ['failing', 'ImagePullBackOff (1 pod)']);
		assert.deepEqual(attentionOf(snapshot(rollingWeb({deadline: true}))), ['failing', 'ProgressDeadlineExceeded']);
		assert.deepEqual(attentionOf(snapshot(rollingWeb({paused: true}))), ['waiting', 'paused']);
		// A pod still starting is no trouble.
		assert.deepEqual(attentionOf(snapshot(rollingWeb({newPod: {waiting: 'ContainerCreating'}}))), ['progressing', 'rolling 1/3 updated']);
	});

	test('a canary pair progresses while its canary has pods; a crash-looping canary fails it; without canary pods it is steady', () => {
		const {objects} = canaryPair();
		assert.deepEqual(attentionOf(snapshot(objects)), ['progressing', 'canary 25%']);
		const crashing = objects.map(o => (o.metadata.name === 'checkout-canary-bbb222-b1' ? {...o, status: {...o.status, containerStatuses: [{name: 'app', ready: false, restartCount: 5, state: {waiting: {reason: 'CrashLoopBackOff'}}}]}} : o));
		assert.deepEqual(attentionOf(snapshot(crashing)), ['failing', 'CrashLoopBackOff (1 pod)']);
		const idle = objects.filter(o => o.metadata.name !== 'checkout-canary-bbb222-b1').map(o => (o.metadata.name === 'checkout-canary' ? {...o, spec: {...o.spec, replicas: 0}, status: {...o.status, replicas: 0, updatedReplicas: 0, readyReplicas: 0, availableReplicas: 0}} : o));
		assert.deepEqual(attentionOf(snapshot(idle)), ['steady', 'stable only']);
	});

	test('an Argo Rollout: a pause without a duration waits for a promote; a timed one progresses; aborted fails', () => {
		const ro = (status: Record<string, unknown>, paused = false) => {
			const r = rollout('demo', {canary: {steps: demoSteps}}, {currentPodHash: 'new', stableRS: 'old', ...status}, {paused});
			const old = rolloutReplicaSet(r, 'old', 1, 'demo:blue', 4);
			const fresh = rolloutReplicaSet(r, 'new', 2, 'demo:yellow', 1);
			return progressiveSnapshot([r, old.rs, ...old.pods, fresh.rs, ...fresh.pods, svc('demo', {app: 'demo'})]);
		};
		assert.deepEqual(attentionOf(ro({phase: 'Paused', currentStepIndex: 1, pauseConditions: [{reason: 'CanaryPauseStep', startTime: 'x'}], controllerPause: true})), ['waiting', 'Paused (CanaryPauseStep)']);
		assert.deepEqual(attentionOf(ro({phase: 'Paused', currentStepIndex: 3, pauseConditions: [{reason: 'CanaryPauseStep', startTime: 'x'}], controllerPause: true})), ['progressing', 'Paused (CanaryPauseStep)']);
		assert.deepEqual(attentionOf(ro({phase: 'Paused', currentStepIndex: 2, message: 'manually paused'}, true)), ['waiting', 'Paused (manual)']);
		assert.deepEqual(attentionOf(ro({phase: 'Progressing', currentStepIndex: 2})), ['progressing', 'Progressing (step 3/8)']);
		assert.deepEqual(attentionOf(ro({phase: 'Degraded', message: 'RolloutAborted: Rollout aborted update to revision 2', abort: true, currentStepIndex: 0})), ['failing', 'Degraded (RolloutAborted)']);
		assert.deepEqual(attentionOf(ro({phase: 'Degraded', message: 'ProgressDeadlineExceeded: ReplicaSet "demo-new" has timed out progressing.', currentStepIndex: 2})), ['failing', 'Degraded (ProgressDeadlineExceeded)']);
	});

	test('a Flagger Canary: Failed fails, WaitingPromotion waits, an analysis under way progresses, suspended waits', () => {
		const canary = (status: Record<string, unknown>, spec: Record<string, unknown> = {}) =>
			progressiveSnapshot([podinfoCanary({interval: '1m', threshold: 5, maxWeight: 50, stepWeight: 10}, status, spec), ...podinfoDeployments('podinfo:6.0.1', 'podinfo:6.0.0', 2), ...podinfoRouting(80, 20)]);
		assert.deepEqual(attentionOf(canary({phase: 'Failed', canaryWeight: 0})), ['failing', 'Failed']);
		assert.deepEqual(attentionOf(canary({phase: 'WaitingPromotion', canaryWeight: 50})), ['waiting', 'WaitingPromotion']);
		assert.deepEqual(attentionOf(canary({phase: 'Progressing', canaryWeight: 20})), ['progressing', 'Progressing (20%)']);
		assert.deepEqual(attentionOf(canary({phase: 'Progressing', canaryWeight: 20}, {suspend: true})), ['waiting', 'Progressing (suspended)']);
		assert.deepEqual(attentionOf(canary({phase: 'Succeeded', canaryWeight: 0})), ['steady', 'Succeeded']);
	});

	test('podTrouble names the most common troubled status and counts its pods; terminating pods do not count', () => {
		const web = deployment('web');
		const rs = replicaSet(web, {hash: 'h', revision: 1, replicas: 4});
		assert.equal(podTrouble([pod(rs, 'a'), pod(rs, 'b', {waiting: 'ContainerCreating'})]), undefined);
		assert.equal(podTrouble([pod(rs, 'a', {waiting: 'CrashLoopBackOff'}), pod(rs, 'b', {waiting: 'CrashLoopBackOff'}), pod(rs, 'c', {waiting: 'ErrImagePull'})]), 'CrashLoopBackOff (2 pods)');
		assert.equal(podTrouble([pod(rs, 'a', {waiting: 'CrashLoopBackOff', deleting: true})]), undefined);
		// Running for a moment between two crashes: still crash-looping; ready again after restarts: fine.
		const between = pod(rs, 'a', {ready: false, restarts: 4});
		between.status.containerStatuses[0].lastState = {terminated: {exitCode: 1, reason: 'Error'}};
		assert.equal(podTrouble([between]), 'CrashLoopBackOff (1 pod)');
		const healed = pod(rs, 'b', {ready: true, restarts: 4});
		healed.status.containerStatuses[0].lastState = {terminated: {exitCode: 1, reason: 'Error'}};
		assert.equal(podTrouble([healed]), undefined);
	});
});

describe('rows of the list of every namespace', () => {
	const row = (namespace: string, target: string, attention: ReleaseRow['attention']): ReleaseRow => ({key: `${namespace}/${target}`, namespace, target, name: target, kind: 'rolling', attention, phase: '', versions: []});

	test('failing first, then waiting, progressing, steady; by namespace and target within each', () => {
		const rows = [row('b', 'deploy/x', 'steady'), row('a', 'deploy/y', 'progressing'), row('c', 'deploy/z', 'failing'), row('a', 'deploy/w', 'waiting'), row('a', 'deploy/a', 'steady'), row('a', 'deploy/b', 'failing')];
		assert.deepEqual(orderRows(rows).map(r => r.key), ['a/deploy/b', 'c/deploy/z', 'a/deploy/w', 'a/deploy/y', 'a/deploy/a', 'b/deploy/x']);
	});

	test('a verdict of fail ranks a row with the failing ones', () => {
		const rows = [row('a', 'deploy/x', 'waiting'), row('b', 'deploy/y', 'progressing'), row('c', 'deploy/z', 'failing')];
		assert.deepEqual(orderRows(rows, r => r.key === 'b/deploy/y').map(r => r.key), ['b/deploy/y', 'c/deploy/z', 'a/deploy/x']);
	});

	test('a row carries the versions in panel order with their images and weights, and its key names the namespace', () => {
		const c = loadCase('bookinfo');
		const [built] = namespaceRows(c.snapshot);
		assert.deepEqual(built!.row, {
			key: 'bookinfo/deploy/reviews-v1',
			namespace: 'bookinfo',
			target: 'deploy/reviews-v1',
			name: 'reviews',
			kind: 'canary',
			attention: 'progressing',
			phase: 'canary 10% 10%',
			versions: [
				{id: 'reviews-v1', role: 'stable', images: ['registry.local/reviews:1.20.1'], weight: 80},
				{id: 'reviews-v2', role: 'canary', images: ['registry.local/reviews:1.20.2'], weight: 10},
				{id: 'reviews-v3', role: 'canary', images: ['registry.local/reviews:1.20.3'], weight: 10},
			],
		});
		assert.equal(built!.release.versions.length, 3);
	});
});
