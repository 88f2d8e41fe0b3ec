// What each kind of release asks of a person, each side of every condition: pods that crash-loop (and those that
// only look like it), a pair's Deployments, an Argo Rollout's pauses (Argo's PauseReasons), a Flagger Canary's
// phases, the row's weights.
import assert from 'node:assert/strict';
import {describe, test} from 'node:test';
import {namespaceRows} from '../../source/kinds/rows.js';
import type {KObject} from '../../source/kube/object.js';
import {defaultAttention, flaggerAttention, podTrouble, releaseRow, rolloutAttention} from '../../source/release/attention.js';
import type {DetectedRelease} from '../../source/release/detected.js';
import {scanSnapshot} from '../../source/release/scan.js';
import type {ClusterSnapshot} from '../../source/release/snapshot.js';
import {loadCase} from '../helpers/testdata.js';
import {demoSteps, podinfoCanary, podinfoDeployments, podinfoRouting, progressiveSnapshot, rollout, rolloutReplicaSet, svc} from './argo-fixtures.js';
import {canaryPair, deployment, pod, replicaSet, service, snapshot} from './fixtures.js';

function attentionOf(snap: ClusterSnapshot): [string, string] {
	const [built] = namespaceRows(snap);
	assert.ok(built, 'no release in the snapshot');
	return [built.row.attention, built.row.phase];
}

const web = deployment('web');
const rs = replicaSet(web, {hash: 'h', revision: 1, replicas: 4});

/** A pod whose one container runs now, not ready, after `restarts` restarts, the last ended as `last`. */
function restarting(suffix: string, restarts: number, last?: Record<string, unknown>, o: {deleting?: boolean} = {}): KObject {
	const p = pod(rs, suffix, {ready: false, restarts, deleting: o.deleting});
	if (last) p.status.containerStatuses[0].lastState = last;
	return p;
}

describe('pods in trouble', () => {
	test('running between crashes: not ready, at least two restarts, the last ending in an error', () => {
		assert.equal(podTrouble([restarting('a', 2, {terminated: {exitCode: 1}})]), 'CrashLoopBackOff (1 pod)');
		assert.equal(podTrouble([restarting('a', 1, {terminated: {exitCode: 1}})]), undefined);
		assert.equal(podTrouble([restarting('a', 3, {terminated: {exitCode: 0, reason: 'Completed'}})]), undefined);
		assert.equal(podTrouble([restarting('a', 3)]), undefined);
		assert.equal(podTrouble([restarting('a', 3, {})]), undefined);
		assert.equal(podTrouble([restarting('a', 3, {terminated: {exitCode: 1}}, {deleting: true})]), undefined);
	});

	test('one crashing container among ready ones is enough; odd status entries are skipped', () => {
		const p = pod(rs, 'a', {ready: true});
		p.status.containerStatuses = [{}, {name: 'sidecar', ready: true, restartCount: 0, state: {running: {}}}, {name: 'app', ready: false, restartCount: 5, state: {running: {}}, lastState: {terminated: {exitCode: 2}}}];
		assert.equal(podTrouble([p]), 'CrashLoopBackOff (1 pod)');
		assert.equal(podTrouble([{apiVersion: 'v1', kind: 'Pod', metadata: {name: 'bare'}}]), undefined);
	});

	test('the most common status first, then by name; an init container\'s status only when it is one that does not heal', () => {
		assert.equal(podTrouble([pod(rs, 'a', {waiting: 'ErrImagePull'}), pod(rs, 'b', {waiting: 'CrashLoopBackOff'}), pod(rs, 'c', {waiting: 'CrashLoopBackOff'})]), 'CrashLoopBackOff (2 pods)');
		assert.equal(podTrouble([pod(rs, 'a', {waiting: 'ImagePullBackOff'}), pod(rs, 'b', {waiting: 'CrashLoopBackOff'})]), 'CrashLoopBackOff (1 pod)');
		assert.equal(podTrouble([pod(rs, 'a', {waiting: 'CrashLoopBackOff'}), pod(rs, 'b', {waiting: 'ImagePullBackOff'})]), 'CrashLoopBackOff (1 pod)');
		const init = (reason: string) => {
			const p = pod(rs, 'i', {phase: 'Pending'});
			p.status.initContainerStatuses = [{name: 'init', ready: false, restartCount: 0, state: {waiting: {reason}}}];
			return p;
		};
		assert.equal(podTrouble([init('CrashLoopBackOff')]), 'Init:CrashLoopBackOff (1 pod)');
		assert.equal(podTrouble([init('CreateContainerError')]), undefined);
	});
});

describe('a pair of Deployments', () => {
	test('a canary pair names the Deployment past its deadline or paused', () => {
		const late = canaryPair().objects.map(o => (o.kind === 'Deployment' && o.metadata.name === 'checkout' ? {...o, status: {...o.status, conditions: [{type: 'Progressing', status: 'False', reason: 'ProgressDeadlineExceeded'}]}} : o));
		assert.deepEqual(attentionOf(snapshot(late)), ['failing', 'ProgressDeadlineExceeded (checkout)']);
		const paused = canaryPair().objects.map(o => (o.kind === 'Deployment' && o.metadata.name === 'checkout-canary' ? {...o, spec: {...o.spec, paused: true}} : o));
		assert.deepEqual(attentionOf(snapshot(paused)), ['waiting', 'paused (checkout-canary)']);
	});

	test('a canary with weight but no pods is live; without either, a rolling side is rolling', () => {
		const nginx = loadCase('nginx').snapshot;
		const canaryRs = new Set(nginx.replicaSets.filter(r => r.metadata.ownerReferences?.some(ref => ref.name === 'cart-canary')).map(r => r.metadata.name));
		const noPods = {...nginx, pods: nginx.pods.filter(p => !p.metadata.ownerReferences?.some(ref => canaryRs.has(ref.name)))};
		assert.notEqual(noPods.pods.length, nginx.pods.length);
		assert.deepEqual(attentionOf(noPods), ['progressing', 'canary 30%']);
		const idle = canaryPair().objects
			.filter(o => o.metadata.name !== 'checkout-canary-bbb222-b1')
			.map(o => (o.metadata.name === 'checkout-canary' ? {...o, spec: {...o.spec, replicas: 0}, status: {...o.status, replicas: 0, updatedReplicas: 0, readyReplicas: 0, availableReplicas: 0}} : o))
			.map(o => (o.metadata.name === 'checkout' ? {...o, status: {...o.status, updatedReplicas: 1}} : o));
		assert.deepEqual(attentionOf(snapshot(idle)), ['progressing', 'rolling']);
	});

	test('blue-green: crash-looping pods fail it, a rolling side rolls, else live on the side the Service selects', () => {
		const pairOf = (active: string, o: {crash?: boolean; rolling?: boolean} = {}) => {
			const blue = deployment('shop-blue', {labels: {app: 'shop', color: 'blue'}, replicas: 2, image: 'shop/web:1.0', revision: 3, updated: o.rolling ? 1 : 2});
			const green = deployment('shop-green', {labels: {app: 'shop', color: 'green'}, replicas: 2, image: 'shop/web:1.1', revision: 1});
			const blueRs = replicaSet(blue, {hash: 'b1', revision: 3, replicas: 2, image: 'shop/web:1.0'});
			const greenRs = replicaSet(green, {hash: 'g1', revision: 1, replicas: 2, image: 'shop/web:1.1'});
			return snapshot([blue, green, blueRs, greenRs, pod(blueRs, 'x1'), pod(blueRs, 'x2'), pod(greenRs, 'y1'), pod(greenRs, 'y2', o.crash ? {waiting: 'CrashLoopBackOff', restarts: 3} : {}),
				service('shop', {app: 'shop', color: active}), service('shop-preview', {app: 'shop', color: active === 'blue' ? 'green' : 'blue'})]);
		};
		assert.deepEqual(attentionOf(pairOf('green')), ['steady', 'live on shop-green']);
		assert.deepEqual(attentionOf(pairOf('blue')), ['steady', 'live on shop-blue']);
		assert.deepEqual(attentionOf(pairOf('blue', {crash: true})), ['failing', 'CrashLoopBackOff (1 pod)']);
		assert.deepEqual(attentionOf(pairOf('blue', {rolling: true})), ['progressing', 'rolling']);
	});
});

describe('an Argo Rollout', () => {
	const canary = (status: Record<string, unknown>, o: {paused?: boolean; steps?: unknown[]; crash?: boolean} = {}) => {
		const r = rollout('demo', {canary: {steps: o.steps ?? demoSteps}}, {currentPodHash: 'new', stableRS: 'old', ...status}, {paused: o.paused});
		const old = rolloutReplicaSet(r, 'old', 1, 'demo:blue', 4);
		const fresh = rolloutReplicaSet(r, 'new', 2, 'demo:yellow', 1);
		if (o.crash) fresh.pods[0] = pod(fresh.rs, 'p0', {waiting: 'CrashLoopBackOff', restarts: 3});
		return progressiveSnapshot([r, old.rs, ...old.pods, fresh.rs, ...fresh.pods, svc('demo', {app: 'demo'})]);
	};
	const blueGreen = (blueGreenSpec: Record<string, unknown>, status: Record<string, unknown>) => {
		const r = rollout('demo', {blueGreen: {activeService: 'demo', previewService: 'demo-preview', ...blueGreenSpec}}, {currentPodHash: 'new', stableRS: 'old', ...status});
		const old = rolloutReplicaSet(r, 'old', 1, 'demo:blue', 2);
		const fresh = rolloutReplicaSet(r, 'new', 2, 'demo:yellow', 2);
		return progressiveSnapshot([r, old.rs, ...old.pods, fresh.rs, ...fresh.pods, svc('demo', {app: 'demo'}), svc('demo-preview', {app: 'demo'})]);
	};
	const pausedAt = (index: number, reasons: unknown[], message?: string) => ({phase: 'Paused', currentStepIndex: index, pauseConditions: reasons, controllerPause: true, ...(message ? {message} : {})});

	test('Degraded in the controller\'s words: the reason before the colon, aborted, the message, or none given', () => {
		assert.deepEqual(attentionOf(canary({phase: 'Degraded', message: 'RolloutAborted: Rollout aborted update to revision 2', currentStepIndex: 0})), ['failing', 'Degraded (RolloutAborted)']);
		assert.deepEqual(attentionOf(canary({phase: 'Progressing', abort: true, currentStepIndex: 0})), ['failing', 'Degraded (aborted)']);
		assert.deepEqual(attentionOf(canary({phase: 'Degraded', message: 'the update failed, see Logs: none', currentStepIndex: 0})), ['failing', 'Degraded (the update failed, see Logs: none)']);
		assert.deepEqual(attentionOf(canary({phase: 'Degraded', currentStepIndex: 0})), ['failing', 'Degraded (no reason given)']);
		assert.deepEqual(attentionOf(canary({phase: 'Progressing', currentStepIndex: 2, abort: false})), ['progressing', 'Progressing (step 3/8)']);
	});

	test('crash-looping pods of its ReplicaSets fail it', () => {
		assert.deepEqual(attentionOf(canary({phase: 'Progressing', currentStepIndex: 2}, {crash: true})), ['failing', 'CrashLoopBackOff (1 pod)']);
	});

	test('each of Argo\'s pause reasons waits for a person; a timed step only with nothing but CanaryPauseStep', () => {
		for (const reason of ['CanaryPauseStep', 'InconclusiveAnalysisRun', 'InconclusiveExperiment']) {
			assert.deepEqual(attentionOf(canary(pausedAt(1, [{reason}]))), ['waiting', `Paused (${reason})`], reason);
		}
		assert.deepEqual(attentionOf(canary(pausedAt(3, [null, {reason: 'CanaryPauseStep'}, {}]))), ['progressing', 'Paused (CanaryPauseStep)']);
		assert.deepEqual(attentionOf(canary(pausedAt(3, [{reason: 'CanaryPauseStep'}, {reason: 'InconclusiveAnalysisRun'}]))), ['waiting', 'Paused (CanaryPauseStep, InconclusiveAnalysisRun)']);
		// A reason Argo may add one day, beside a person's pause: still waits.
		assert.deepEqual(attentionOf(canary(pausedAt(1, [{reason: 'CanaryPauseStep'}, {reason: 'SomethingNew'}]))), ['waiting', 'Paused (CanaryPauseStep, SomethingNew)']);
		assert.deepEqual(attentionOf(canary(pausedAt(1, [{reason: 'SomethingNew'}]))), ['progressing', 'Paused (SomethingNew)']);
	});

	test('paused with no reason: the message, else `paused`; at a step that is no pause it waits', () => {
		assert.deepEqual(attentionOf(canary({phase: 'Paused', currentStepIndex: 0, message: 'held'})), ['waiting', 'Paused (held)']);
		assert.deepEqual(attentionOf(canary({phase: 'Paused', currentStepIndex: 2})), ['waiting', 'Paused (paused)']);
		assert.deepEqual(attentionOf(canary({phase: 'Paused', currentStepIndex: 3})), ['progressing', 'Paused (paused)']);
		assert.deepEqual(attentionOf(canary({phase: 'Paused', currentStepIndex: 1, message: 'manually paused'}, {paused: true})), ['waiting', 'Paused (manual)']);
	});

	test('blue-green: BlueGreenPause waits unless autoPromotionSeconds promotes it on a clock', () => {
		assert.deepEqual(attentionOf(blueGreen({}, {phase: 'Paused', pauseConditions: [{reason: 'BlueGreenPause'}], controllerPause: true})), ['waiting', 'Paused (BlueGreenPause)']);
		assert.deepEqual(attentionOf(blueGreen({autoPromotionSeconds: 30}, {phase: 'Paused', pauseConditions: [{reason: 'BlueGreenPause'}], controllerPause: true})), ['progressing', 'Paused (BlueGreenPause)']);
		assert.deepEqual(attentionOf(blueGreen({autoPromotionSeconds: 30}, {phase: 'Paused', pauseConditions: [{reason: 'BlueGreenPause'}, {reason: 'InconclusiveAnalysisRun'}], controllerPause: true})), ['waiting', 'Paused (BlueGreenPause, InconclusiveAnalysisRun)']);
		assert.deepEqual(attentionOf(blueGreen({autoPromotionSeconds: 30}, {phase: 'Progressing'})), ['progressing', 'Progressing']);
	});

	test('progressing shows the step while there is one; past the last step, or without steps, the phase alone', () => {
		assert.deepEqual(attentionOf(canary({phase: 'Progressing', currentStepIndex: 7})), ['progressing', 'Progressing (step 8/8)']);
		assert.deepEqual(attentionOf(canary({phase: 'Progressing', currentStepIndex: 8})), ['progressing', 'Progressing']);
		assert.deepEqual(attentionOf(canary({phase: 'Progressing'}, {steps: []})), ['progressing', 'Progressing']);
		assert.deepEqual(attentionOf(canary({phase: 'Healthy', currentStepIndex: 8})), ['steady', 'Healthy']);
	});
});

describe('a Flagger Canary', () => {
	const flagger = (status: Record<string, unknown> | undefined, o: {crash?: boolean} = {}) => {
		const c = podinfoCanary({interval: '1m', threshold: 5, maxWeight: 50, stepWeight: 10}, status ?? {});
		if (!status) delete c.status;
		const deployments = podinfoDeployments('podinfo:6.0.1', 'podinfo:6.0.0', 2);
		const objects = o.crash ? deployments.map(x => (x.kind === 'Pod' && x.metadata.name?.endsWith('-c0') ? {...x, status: {...x.status, containerStatuses: [{name: 'app', ready: false, restartCount: 4, state: {waiting: {reason: 'CrashLoopBackOff'}}}]}} : x)) : deployments;
		return progressiveSnapshot([c, ...objects, ...podinfoRouting(80, 20)]);
	};

	test('each phase: Initializing before a status, Waiting waits, the weight only above 0, crash-looping pods fail it', () => {
		assert.deepEqual(attentionOf(flagger(undefined)), ['progressing', 'Initializing']);
		assert.deepEqual(attentionOf(flagger({phase: 'Waiting'})), ['waiting', 'Waiting']);
		assert.deepEqual(attentionOf(flagger({phase: 'Progressing', canaryWeight: 0})), ['progressing', 'Progressing']);
		assert.deepEqual(attentionOf(flagger({phase: 'Progressing'})), ['progressing', 'Progressing']);
		assert.deepEqual(attentionOf(flagger({phase: 'Promoting', canaryWeight: 50})), ['progressing', 'Promoting (50%)']);
		assert.deepEqual(attentionOf(flagger({phase: 'Progressing', canaryWeight: 20}, {crash: true})), ['failing', 'CrashLoopBackOff (1 pod)']);
	});
});

describe('without the controller\'s object, and the row', () => {
	const bare = (kind: DetectedRelease['kind'], inProgress: boolean): DetectedRelease => ({target: 'rollout/demo', name: 'demo', kind, deployments: [], services: [], inProgress, members: []});
	const scan = scanSnapshot(snapshot([]));

	test('an Argo Rollout or a Flagger Canary without its object is unknown; the default says whether it is in progress', () => {
		assert.deepEqual(rolloutAttention(bare('argo-rollout', true), scan), {level: 'steady', phase: 'unknown'});
		assert.deepEqual(flaggerAttention(bare('flagger', true), scan), {level: 'steady', phase: 'unknown'});
		// Objects as a partial watch may hold them: a status and no spec.
		const rolloutOnly: KObject = {apiVersion: 'argoproj.io/v1alpha1', kind: 'Rollout', metadata: {name: 'demo'}, status: {phase: 'Paused'}};
		assert.deepEqual(rolloutAttention({...bare('argo-rollout', true), object: rolloutOnly}, scan), {level: 'waiting', phase: 'Paused (paused)'});
		const canaryOnly: KObject = {apiVersion: 'flagger.app/v1beta1', kind: 'Canary', metadata: {name: 'demo'}, status: {phase: 'Progressing', canaryWeight: 10}};
		assert.deepEqual(flaggerAttention({...bare('flagger', true), object: canaryOnly}, scan), {level: 'progressing', phase: 'Progressing (10%)'});
		assert.deepEqual(defaultAttention(bare('rolling', true)), {level: 'progressing', phase: 'in progress'});
		assert.deepEqual(defaultAttention(bare('rolling', false)), {level: 'steady', phase: 'steady'});
	});

	test('a row\'s weights are the traffic\'s, else the version\'s own, else none', () => {
		const [built] = namespaceRows(snapshot(canaryPair().objects));
		const release = built!.release;
		const ids = release.versions.map(v => v.id);
		assert.deepEqual(ids, ['checkout', 'checkout-canary']);
		const own = {...release, traffic: {...release.traffic!, weights: {checkout: 60}}, versions: release.versions.map(v => ({...v, weight: v.id === 'checkout' ? 10 : 40}))};
		assert.deepEqual(releaseRow(own, {level: 'progressing', phase: 'x'}).versions.map(v => [v.id, v.weight]), [['checkout', 60], ['checkout-canary', 40]]);
		const none = {...release, traffic: undefined, versions: release.versions.map(v => ({...v, weight: undefined}))};
		assert.deepEqual(releaseRow(none, {level: 'steady', phase: 'y'}).versions, [
			{id: 'checkout', role: 'stable', images: ['shop/checkout:1.2.3']},
			{id: 'checkout-canary', role: 'canary', images: ['shop/checkout:1.3.0']},
		]);
	});
});
