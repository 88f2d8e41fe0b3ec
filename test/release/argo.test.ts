// Argo Rollouts read into the release model: rollouts-demo shaped like the project's own examples,
// in several strategies and phases.
import assert from 'node:assert/strict';
import {describe, test} from 'node:test';
import {rolloutPhase} from '../../source/release/argo.js';
import {buildRelease} from '../../source/kinds/registry.js';
import {findReleases, resolveTarget} from '../../source/kinds/registry.js';
import type {Release} from '../../source/release/model.js';
import type {ClusterSnapshot} from '../../source/release/snapshot.js';
import {event} from './fixtures.js';
import {analysisRun, demoSteps, progressiveSnapshot, rollout, rolloutReplicaSet, svc, virtualServiceOf} from './argo-fixtures.js';

function open(snap: ClusterSnapshot, target: string): Release {
	const resolved = resolveTarget(snap, target);
	if ('error' in resolved) throw new Error(resolved.error);
	return buildRelease(snap, resolved.ref);
}

/** rollouts-demo, basic canary (no traffic routing), paused at its first pause: the guide's "ActualWeight: 20". */
function basicPaused() {
	const ro = rollout('rollouts-demo', {canary: {steps: demoSteps}}, {
		phase: 'Paused',
		message: 'CanaryPauseStep',
		currentPodHash: '6cf78c66c5',
		stableRS: '687d76d795',
		currentStepHash: '7db8d7b87d',
		currentStepIndex: 1,
		pauseConditions: [{reason: 'CanaryPauseStep', startTime: '2025-06-01T11:59:00Z'}],
		controllerPause: true,
		replicas: 5,
		updatedReplicas: 1,
		readyReplicas: 5,
		availableReplicas: 5,
		HPAReplicas: 5,
		canary: {},
		conditions: [
			{type: 'Available', status: 'True', reason: 'AvailableReason', message: 'Rollout has minimum availability'},
			{type: 'Paused', status: 'True', reason: 'RolloutPaused', message: 'Rollout is paused'},
			{type: 'Progressing', status: 'Unknown', reason: 'RolloutPaused', message: 'Rollout is paused'},
		],
	});
	const stable = rolloutReplicaSet(ro, '687d76d795', 1, 'argoproj/rollouts-demo:blue', 4, 840);
	const canary = rolloutReplicaSet(ro, '6cf78c66c5', 2, 'argoproj/rollouts-demo:yellow', 1, 37);
	return {ro, objects: [ro, stable.rs, ...stable.pods, canary.rs, ...canary.pods, svc('rollouts-demo', {app: 'rollouts-demo'})]};
}

describe('a basic canary paused at CanaryPauseStep (rollouts-demo)', () => {
	const {objects} = basicPaused();
	const snap = progressiveSnapshot(objects);
	const release = open(snap, 'rollout/rollouts-demo');

	test('is an argo-rollout with a stable and a canary ReplicaSet', () => {
		assert.equal(release.kind, 'argo-rollout');
		assert.equal(release.target, 'rollout/rollouts-demo');
		assert.deepEqual(release.versions.map(v => [v.id, v.role, v.revision, v.pods, v.podTemplateHash, v.images[0]]), [
			['rollouts-demo-687d76d795', 'stable', 1, 4, '687d76d795', 'argoproj/rollouts-demo:blue'],
			['rollouts-demo-6cf78c66c5', 'canary', 2, 1, '6cf78c66c5', 'argoproj/rollouts-demo:yellow'],
		]);
		assert.equal(release.pods.length, 5);
		assert.deepEqual(release.revisions.map(r => [r.revision, r.current, r.workload, r.pods]), [[2, true, 'rollouts-demo', 1], [1, false, 'rollouts-demo', 4]]);
	});

	test('shows the step, the pause reason, SetWeight 20 and ActualWeight 20 (1 of 5 available)', () => {
		const argo = release.argo!;
		assert.equal(argo.phase, 'Paused');
		assert.equal(argo.message, 'CanaryPauseStep');
		assert.deepEqual(argo.step, {index: 1, count: 8});
		assert.deepEqual(argo.pauseReasons, ['CanaryPauseStep']);
		assert.equal(argo.setWeight, 20);
		assert.equal(argo.actualWeight, 20);
		assert.equal(argo.strategy, 'canary');
		assert.deepEqual(argo.steps.map(s => `${s.state}:${s.label}`), [
			'done:20%', 'current:pause', 'pending:40%', 'pending:pause 10s', 'pending:60%', 'pending:pause 10s', 'pending:80%', 'pending:pause 10s',
		]);
		assert.equal(release.traffic?.router, 'replicas');
		assert.equal(release.traffic?.managedBy, 'argo-rollouts');
		assert.equal(release.progress?.paused, true);
		assert.equal(release.progress?.complete, false);
	});

	test('is found by rollout/, ro/, rollouts/ and by bare name, and listed as in progress', () => {
		for (const target of ['rollout/rollouts-demo', 'ro/rollouts-demo', 'rollouts/rollouts-demo', 'rollouts.argoproj.io/rollouts-demo', 'rollouts-demo']) {
			const resolved = resolveTarget(snap, target);
			assert.ok('ref' in resolved, target);
			assert.equal(resolved.ref.kind, 'argo-rollout', target);
			assert.equal(resolved.ref.target, 'rollout/rollouts-demo', target);
		}
		const nope = resolveTarget(snap, 'rollout/nope');
		assert.ok('error' in nope && /no Argo Rollout or Kruise Rollout named "nope"/.test(nope.error));
		assert.deepEqual(findReleases(snap).map(r => [r.target, r.kind, r.inProgress]), [['rollout/rollouts-demo', 'argo-rollout', true]]);
	});
});

describe('a canary with Istio traffic routing, mid analysis', () => {
	const ro = rollout('rollouts-demo', {
		canary: {
			canaryService: 'rollouts-demo-canary',
			stableService: 'rollouts-demo-stable',
			trafficRouting: {istio: {virtualService: {name: 'rollouts-demo-vsvc', routes: ['primary']}}},
			steps: [{setWeight: 5}, {pause: {duration: '1m'}}, {analysis: {templates: [{templateName: 'success-rate'}]}}, {setWeight: 50}, {pause: {}}],
		},
	}, {
		phase: 'Progressing',
		message: 'more replicas need to be updated',
		currentPodHash: '7b6c8b7d9f',
		stableRS: '5f9d7c6b8d',
		currentStepIndex: 2,
		canary: {
			weights: {canary: {weight: 5, serviceName: 'rollouts-demo-canary', podTemplateHash: '7b6c8b7d9f'}, stable: {weight: 95, serviceName: 'rollouts-demo-stable', podTemplateHash: '5f9d7c6b8d'}},
			currentStepAnalysisRunStatus: {name: 'rollouts-demo-7b6c8b7d9f-3-2', status: 'Running'},
		},
		replicas: 6,
		updatedReplicas: 1,
		availableReplicas: 6,
	});
	const stable = rolloutReplicaSet(ro, '5f9d7c6b8d', 2, 'argoproj/rollouts-demo:blue', 5);
	const canary = rolloutReplicaSet(ro, '7b6c8b7d9f', 3, 'argoproj/rollouts-demo:yellow', 1, 120);
	const run = analysisRun(ro, 'rollouts-demo-7b6c8b7d9f-3-2', {
		hash: '7b6c8b7d9f',
		revision: 3,
		stepIndex: 2,
		phase: 'Running',
		metrics: [{name: 'success-rate', interval: '5m', successCondition: 'result[0] >= 0.95', failureLimit: 3, provider: {prometheus: {address: 'http://prometheus.example.com:9090', query: 'sum(...)'}}}],
		results: [{
			name: 'success-rate',
			phase: 'Running',
			count: 2,
			successful: 1,
			failed: 1,
			measurements: [
				{phase: 'Successful', value: '[0.9857]', startedAt: '2025-06-01T11:55:00Z', finishedAt: '2025-06-01T11:55:01Z'},
				{phase: 'Failed', value: '[0.9312]', startedAt: '2025-06-01T12:00:00Z', finishedAt: '2025-06-01T12:00:01Z'},
			],
		}],
	});
	const older = analysisRun(ro, 'rollouts-demo-5f9d7c6b8d-2-2', {hash: '5f9d7c6b8d', revision: 2, stepIndex: 2, phase: 'Successful', metrics: [], results: []});
	const objects = [
		ro, stable.rs, ...stable.pods, canary.rs, ...canary.pods, run, older,
		svc('rollouts-demo-stable', {app: 'rollouts-demo', 'rollouts-pod-template-hash': '5f9d7c6b8d'}),
		svc('rollouts-demo-canary', {app: 'rollouts-demo', 'rollouts-pod-template-hash': '7b6c8b7d9f'}),
		virtualServiceOf('rollouts-demo-vsvc', 'rollouts-demo-stable', 'rollouts-demo-canary', 95, 5),
		event({kind: 'Rollout', name: 'rollouts-demo', reason: 'AnalysisRunRunning', message: "Step Analysis Run 'rollouts-demo-7b6c8b7d9f-3-2' Status New: 'Running' Previous: ''", last: 30}),
		event({kind: 'AnalysisRun', name: 'rollouts-demo-7b6c8b7d9f-3-2', reason: 'MetricFailed', message: "Metric 'success-rate' Completed. Result: Failed", last: 10, type: 'Warning'}),
	];
	const release = open(progressiveSnapshot(objects), 'rollouts-demo');

	test('takes the weights from the VirtualService the controller writes', () => {
		assert.deepEqual(release.traffic, {
			router: 'istio',
			object: 'VirtualService/rollouts-demo-vsvc',
			weights: {'rollouts-demo-5f9d7c6b8d': 95, 'rollouts-demo-7b6c8b7d9f': 5},
			managedBy: 'argo-rollouts',
		});
		assert.equal(release.argo?.setWeight, 5);
		assert.equal(release.argo?.actualWeight, 5);
		assert.equal(release.argo?.trafficRouter, 'istio VirtualService/rollouts-demo-vsvc');
		assert.deepEqual(release.argo?.steps.map(s => s.state), ['done', 'done', 'current', 'pending', 'pending']);
		assert.equal(release.argo?.steps[1]?.durationSeconds, 60);
	});

	test('shows the analysis with its measured values and its limits, the current hash first', () => {
		const runs = release.argo!.analysisRuns;
		assert.deepEqual(runs.map(r => r.name), ['rollouts-demo-7b6c8b7d9f-3-2', 'rollouts-demo-5f9d7c6b8d-2-2']);
		const [current] = runs;
		assert.equal(current!.phase, 'Running');
		assert.equal(current!.type, 'Step');
		assert.equal(current!.stepIndex, 2);
		assert.equal(current!.revision, 3);
		assert.deepEqual(current!.metrics, [{
			name: 'success-rate',
			phase: 'Running',
			successCondition: 'result[0] >= 0.95',
			failureLimit: 3,
			inconclusiveLimit: 0,
			interval: '5m',
			measured: 2,
			successful: 1,
			failed: 1,
			inconclusive: 0,
			error: 0,
			values: ['[0.9857]', '[0.9312]'],
			valuePhases: ['Successful', 'Failed'],
		}]);
	});

	test('collects the events of the Rollout and its AnalysisRuns', () => {
		assert.deepEqual(release.events.map(e => e.reason), ['MetricFailed', 'AnalysisRunRunning']);
		assert.ok(release.services.includes('rollouts-demo-stable') && release.services.includes('rollouts-demo-canary'));
	});
});

describe('an aborted canary (Degraded)', () => {
	const ro = rollout('rollouts-demo', {
		canary: {canaryService: 'c', stableService: 's', trafficRouting: {istio: {virtualService: {name: 'vs'}}}, steps: demoSteps},
	}, {
		phase: 'Degraded',
		message: 'RolloutAborted: Rollout aborted update to revision 2',
		abort: true,
		abortedAt: '2025-06-01T11:58:00Z',
		currentPodHash: '6cf78c66c5',
		stableRS: '687d76d795',
		currentStepIndex: 0,
		canary: {weights: {canary: {weight: 0, serviceName: 'c', podTemplateHash: '6cf78c66c5'}, stable: {weight: 100, serviceName: 's', podTemplateHash: '687d76d795'}}},
		conditions: [{type: 'Progressing', status: 'False', reason: 'RolloutAborted', message: 'Rollout aborted update to revision 2'}],
	});
	const stable = rolloutReplicaSet(ro, '687d76d795', 1, 'argoproj/rollouts-demo:blue', 5);
	const canary = rolloutReplicaSet(ro, '6cf78c66c5', 2, 'argoproj/rollouts-demo:yellow', 0);
	const release = open(progressiveSnapshot([ro, stable.rs, ...stable.pods, canary.rs]), 'rollout/rollouts-demo');

	test('says so, with no weight asked and none given to the canary', () => {
		const argo = release.argo!;
		assert.equal(argo.phase, 'Degraded');
		assert.equal(argo.message, 'RolloutAborted: Rollout aborted update to revision 2');
		assert.equal(argo.aborted, true);
		assert.equal(argo.setWeight, 0);
		assert.equal(argo.actualWeight, 0);
		assert.deepEqual(argo.step, {index: 0, count: 8});
		// No VirtualService in the snapshot: the weights come from status.canary.weights.
		assert.deepEqual(release.traffic?.weights, {'rollouts-demo-687d76d795': 100, 'rollouts-demo-6cf78c66c5': 0});
	});
});

describe('a blue-green Rollout waiting for promotion (rollout-bluegreen)', () => {
	const ro = rollout('rollout-bluegreen', {
		blueGreen: {activeService: 'rollout-bluegreen-active', previewService: 'rollout-bluegreen-preview', autoPromotionEnabled: false},
	}, {
		phase: 'Paused',
		message: 'BlueGreenPause',
		currentPodHash: '8fd6d4cdc',
		stableRS: '74d8f7b46d',
		pauseConditions: [{reason: 'BlueGreenPause', startTime: '2025-06-01T11:59:30Z'}],
		controllerPause: true,
		blueGreen: {activeSelector: '74d8f7b46d', previewSelector: '8fd6d4cdc'},
		replicas: 4,
		updatedReplicas: 2,
		availableReplicas: 4,
	}, {replicas: 2});
	const active = rolloutReplicaSet(ro, '74d8f7b46d', 1, 'argoproj/rollouts-demo:blue', 2);
	const preview = rolloutReplicaSet(ro, '8fd6d4cdc', 2, 'argoproj/rollouts-demo:green', 2, 30);
	const objects = [
		ro, active.rs, ...active.pods, preview.rs, ...preview.pods,
		svc('rollout-bluegreen-active', {app: 'rollout-bluegreen', 'rollouts-pod-template-hash': '74d8f7b46d'}),
		svc('rollout-bluegreen-preview', {app: 'rollout-bluegreen', 'rollouts-pod-template-hash': '8fd6d4cdc'}),
	];
	const release = open(progressiveSnapshot(objects), 'rollout/rollout-bluegreen');

	test('has an active and a preview version; all traffic through the active Service', () => {
		assert.deepEqual(release.versions.map(v => [v.role, v.podTemplateHash]), [['active', '74d8f7b46d'], ['preview', '8fd6d4cdc']]);
		assert.deepEqual(release.traffic, {
			router: 'service-selector',
			object: 'Service/rollout-bluegreen-active',
			weights: {'rollout-bluegreen-74d8f7b46d': 100, 'rollout-bluegreen-8fd6d4cdc': 0},
			managedBy: 'argo-rollouts',
		});
		const argo = release.argo!;
		assert.equal(argo.strategy, 'blueGreen');
		assert.deepEqual(argo.pauseReasons, ['BlueGreenPause']);
		assert.equal(argo.activeSelector, '74d8f7b46d');
		assert.equal(argo.previewSelector, '8fd6d4cdc');
		assert.equal(argo.step, undefined);
		assert.deepEqual(argo.steps, []);
		assert.deepEqual(release.services, ['rollout-bluegreen-active', 'rollout-bluegreen-preview']);
	});
});

describe('a fully promoted Rollout (Healthy), and one whose spec the controller has not seen', () => {
	const ro = rollout('rollouts-demo', {canary: {steps: demoSteps}}, {
		phase: 'Healthy',
		currentPodHash: '6cf78c66c5',
		stableRS: '6cf78c66c5',
		currentStepIndex: 8,
		replicas: 5,
		updatedReplicas: 5,
		availableReplicas: 5,
	});
	const current = rolloutReplicaSet(ro, '6cf78c66c5', 2, 'argoproj/rollouts-demo:yellow', 5);
	const old = rolloutReplicaSet(ro, '687d76d795', 1, 'argoproj/rollouts-demo:blue', 0);

	test('Healthy: one version with all the weight; SetWeight and ActualWeight 100; not in progress', () => {
		const snap = progressiveSnapshot([ro, current.rs, ...current.pods, old.rs]);
		const release = open(snap, 'rollout/rollouts-demo');
		assert.deepEqual(release.versions.map(v => [v.role, v.weight]), [['stable', 100]]);
		assert.equal(release.argo?.setWeight, 100);
		assert.equal(release.argo?.actualWeight, 100);
		assert.deepEqual(release.argo?.steps.map(s => s.state), Array(8).fill('done'));
		assert.equal(release.progress?.complete, true);
		assert.equal(findReleases(snap)[0]?.inProgress, false);
	});

	test('a newer generation than observed is Progressing, whatever status.phase says', () => {
		const newer = {...ro, metadata: {...ro.metadata, generation: 3}};
		assert.deepEqual(rolloutPhase(newer), {phase: 'Progressing', message: 'waiting for rollout spec update to be observed'});
		const unpausing = {...ro, status: {...ro.status, controllerPause: true, pauseConditions: []}};
		assert.deepEqual(rolloutPhase(unpausing), {phase: 'Progressing', message: 'waiting for rollout to unpause'});
	});

	test('without status.phase (before v1.0) the phase is calculated', () => {
		const {phase: _p, ...rest} = ro.status;
		assert.deepEqual(rolloutPhase({...ro, status: rest}), {phase: 'Healthy', message: ''});
		assert.deepEqual(rolloutPhase({...ro, spec: {...ro.spec, paused: true}, status: rest}), {phase: 'Paused', message: 'manually paused'});
	});
});

describe('maxTrafficWeight', () => {
	test('weights are shown in percent of it', () => {
		const ro = rollout('fine', {
			canary: {canaryService: 'c', stableService: 's', trafficRouting: {maxTrafficWeight: 1000, istio: {virtualService: {name: 'vs'}}}, steps: [{setWeight: 5}, {pause: {}}]},
		}, {
			phase: 'Paused',
			currentPodHash: 'bbbb',
			stableRS: 'aaaa',
			currentStepIndex: 1,
			availableReplicas: 3,
			canary: {weights: {canary: {weight: 5, serviceName: 'c', podTemplateHash: 'bbbb'}, stable: {weight: 995, serviceName: 's', podTemplateHash: 'aaaa'}}},
		});
		const a = rolloutReplicaSet(ro, 'aaaa', 1, 'x:1', 2);
		const b = rolloutReplicaSet(ro, 'bbbb', 2, 'x:2', 1);
		const release = open(progressiveSnapshot([ro, a.rs, b.rs]), 'ro/fine');
		assert.equal(release.argo?.maxTrafficWeight, 1000);
		assert.equal(release.argo?.setWeight, 0.5);
		assert.equal(release.argo?.actualWeight, 0.5);
		assert.equal(release.traffic?.weights['fine-bbbb'], 0.5);
	});
});
