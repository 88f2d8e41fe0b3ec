// Reading an Argo Rollout, piece by piece and literal: its steps and the current one, the weight they ask for,
// the phase as the plugin's GetRolloutPhase says it (each rule), AnalysisRuns and their metrics, which
// ReplicaSets are its own, and the strip's information for a canary and a blue-green Rollout.
import assert from 'node:assert/strict';
import {test} from 'node:test';
import {
	analysisRunInfo,
	argoInfo,
	argoRevision,
	canarySteps,
	currentStepIndex,
	desiredSetWeight,
	detectRollouts,
	isBlueGreen,
	maxTrafficWeight,
	rolloutAnalysisRuns,
	rolloutHash,
	rolloutInProgress,
	rolloutPhase,
	rolloutReplicaSets,
	rolloutSteps,
	stepWeightAt,
} from '../../source/release/argo.js';
import type {KObject} from '../../source/kube/object.js';
import {scanSnapshot} from '../../source/release/scan.js';
import {analysisRun, demoSteps, progressiveSnapshot, rollout, rolloutReplicaSet} from './argo-fixtures.js';
import {deployment, NOW} from './fixtures.js';

const canary = (status: Record<string, unknown> = {}, strategy: Record<string, unknown> = {}, o: {generation?: number; paused?: boolean; replicas?: number} = {}) =>
	rollout('rollouts-demo', {canary: {steps: demoSteps, ...strategy}}, status, o);
const blueGreen = (status: Record<string, unknown> = {}, strategy: Record<string, unknown> = {}) =>
	rollout('rollouts-demo', {blueGreen: {activeService: 'demo', previewService: 'demo-preview', ...strategy}}, status);

test('the strategy, the steps that are objects, revisions and hashes', () => {
	assert.equal(isBlueGreen(blueGreen()), true);
	assert.equal(isBlueGreen(canary()), false);
	assert.equal(isBlueGreen(rollout('r', {blueGreen: null}, {})), false);
	assert.equal(isBlueGreen({metadata: {name: 'r'}}), false);
	assert.deepEqual(canarySteps(rollout('r', {canary: {steps: [{setWeight: 10}, null, 'x', 5, {pause: {}}]}}, {})), [{setWeight: 10}, {pause: {}}]);
	assert.deepEqual(canarySteps(rollout('r', {canary: {steps: 'many'}}, {})), []);
	assert.deepEqual(canarySteps(rollout('r', {canary: {steps: [{setWeight: 1}]}, blueGreen: {}}, {})), [], 'blue-green has no steps');
	assert.deepEqual(canarySteps({metadata: {name: 'r'}}), []);
	const rs = (annotation?: string, hash?: string): KObject => ({metadata: {name: 'x', annotations: annotation === undefined ? {} : {'rollout.argoproj.io/revision': annotation}, labels: hash ? {'rollouts-pod-template-hash': hash} : {}}});
	assert.deepEqual([argoRevision(rs('7')), argoRevision(rs('07')), argoRevision(rs('x')), argoRevision(rs()), argoRevision({metadata: {name: 'x'}})], [7, 7, undefined, undefined, undefined]);
	assert.deepEqual([rolloutHash(rs(undefined, 'abc')), rolloutHash(rs()), rolloutHash(undefined)], ['abc', undefined, undefined]);
});

test('rolloutReplicaSets: those whose controller is the Rollout, by name and (when both have one) uid', () => {
	const ro = canary();
	const own = rolloutReplicaSet(ro, 'a', 1, 'i', 1).rs;
	const ref = own.metadata.ownerReferences![0]!;
	const variant = (name: string, refs: object[]) => ({...own, metadata: {...own.metadata, name, ownerReferences: refs as never}});
	const sets = [
		own,
		variant('no-uid', [{...ref, uid: undefined}]),
		variant('other-uid', [{...ref, uid: 'other'}]),
		variant('other-name', [{...ref, name: 'other'}]),
		variant('not-controller', [{...ref, controller: false}]),
		variant('implicit-controller', [{...ref, controller: undefined}]),
		variant('deployment', [{...ref, kind: 'Deployment'}]),
		variant('none', []),
	];
	assert.deepEqual(rolloutReplicaSets(ro, sets).map(nameOfRs), ['rollouts-demo-a', 'no-uid', 'implicit-controller']);
	const uidless = {...ro, metadata: {...ro.metadata, uid: undefined}};
	assert.deepEqual(rolloutReplicaSets(uidless, sets).map(nameOfRs), ['rollouts-demo-a', 'no-uid', 'other-uid', 'implicit-controller']);
});

const nameOfRs = (rs: KObject) => rs.metadata.name;

test('currentStepIndex, stepWeightAt, maxTrafficWeight, desiredSetWeight', () => {
	assert.deepEqual([0, 3, 8, 12, -2, 2.7, '3', undefined].map(i => currentStepIndex(canary({currentStepIndex: i}))), [0, 3, 8, 8, 0, 2, 0, 0]);
	assert.equal(currentStepIndex(blueGreen({currentStepIndex: 1})), undefined);
	assert.equal(currentStepIndex(rollout('r', {canary: {}}, {currentStepIndex: 1})), undefined);
	const steps = [{pause: {}}, {setWeight: 20}, {pause: {}}, {setWeight: 40.7}, {pause: {}}];
	assert.deepEqual([0, 1, 2, 3, 4, 5, 9, -1].map(i => stepWeightAt(steps, i)), [0, 20, 20, 40, 40, 100, 100, 0]);
	assert.equal(stepWeightAt([], 0), 100);
	assert.deepEqual([undefined, 40, 0, -5, 12.9, '50'].map(m => maxTrafficWeight(canary({}, {trafficRouting: {maxTrafficWeight: m}}))), [100, 40, 100, 100, 12, 100]);
	assert.equal(maxTrafficWeight(blueGreen()), 100);
	assert.equal(desiredSetWeight(canary({currentStepIndex: 3, abort: true})), 0);
	assert.equal(desiredSetWeight(canary({currentStepIndex: 3, promoteFull: true})), 40, 'nor at promoteFull: the steps say until the controller moves the index');
	assert.equal(desiredSetWeight(canary({currentStepIndex: 3, currentPodHash: 'a', stableRS: 'a'})), 40, 'GetCurrentSetWeight does not look at the hashes');
	assert.equal(desiredSetWeight(canary({currentStepIndex: 3, currentPodHash: 'b', stableRS: 'a'})), 40);
	assert.equal(desiredSetWeight(canary({currentStepIndex: 3, stableRS: 'a'})), 40, 'no current hash is not promoted');
	assert.equal(desiredSetWeight(canary({currentStepIndex: 3})), 40, 'neither hash: not promoted');
	assert.equal(desiredSetWeight(blueGreen({})), 100, 'no steps: 100');
	assert.equal(desiredSetWeight({metadata: {name: 'r'}}), 100);
});

test('rolloutSteps: each kind of step in words, done before the current one, all done once promoted', () => {
	const ro = rollout(
		'r',
		{
			canary: {
				steps: [
					{setWeight: 10},
					{pause: {}},
					{pause: {duration: 30}},
					{pause: {duration: '45s'}},
					{pause: {duration: '5m'}},
					{pause: {duration: ' 2h '}},
					{pause: {duration: '1d'}},
					{pause: {duration: {}}},
					{analysis: {templates: [{templateName: 'errors'}, {templateName: 'latency'}, {}]}},
					{analysis: {}},
					{setCanaryScale: {matchTrafficWeight: true}},
					{setCanaryScale: {replicas: 3}},
					{setCanaryScale: {weight: 25}},
					{setCanaryScale: {}},
					{experiment: {templates: []}},
					{setHeaderRoute: {name: 'beta'}},
					{setHeaderRoute: {}},
					{setMirrorRoute: {name: 'shadow'}},
					{plugin: {name: 'argoproj-labs/step'}},
					{somethingNew: {}},
				],
			},
		},
		{currentStepIndex: 2},
	);
	assert.deepEqual(
		rolloutSteps(ro).map(s => `${s.index} ${s.kind} ${s.label} ${s.state}${s.setWeight !== undefined ? ` w${s.setWeight}` : ''}${s.durationSeconds !== undefined ? ` ${s.durationSeconds}s` : ''}`),
		[
			'0 setWeight 10% done w10',
			'1 pause pause done',
			'2 pause pause 30s current 30s',
			'3 pause pause 45s pending 45s',
			'4 pause pause 5m pending 300s',
			'5 pause pause 2h pending 7200s',
			'6 pause pause 1d pending',
			'7 pause pause pending',
			'8 analysis analysis errors,latency pending',
			'9 analysis analysis pending',
			'10 setCanaryScale scale=weight pending',
			'11 setCanaryScale scale 3 pods pending',
			'12 setCanaryScale scale 25% pending',
			'13 setCanaryScale scale 0% pending',
			'14 experiment experiment pending',
			'15 setHeaderRoute header route beta pending',
			'16 setHeaderRoute header route pending',
			'17 setMirrorRoute mirror shadow pending',
			'18 plugin plugin argoproj-labs/step pending',
			'19 unknown ? pending',
		],
	);
	const promoted = canary({currentStepIndex: 1, currentPodHash: 'a', stableRS: 'a'});
	assert.deepEqual(rolloutSteps(promoted).map(s => s.state), Array(8).fill('done'));
	assert.deepEqual(rolloutSteps(canary({currentStepIndex: 8})).map(s => s.state), Array(8).fill('done'), 'past the last step');
	assert.deepEqual(rolloutSteps(canary({currentPodHash: 'b', stableRS: 'a'})).map(s => s.state), ['current', ...Array(7).fill('pending')]);
});

test('rolloutPhase: each of GetRolloutPhase\'s rules, in order', () => {
	const phase = (status: Record<string, unknown>, o: {generation?: number; paused?: boolean; replicas?: number; blueGreen?: boolean; conditions?: object[]} = {}) => {
		const ro = o.blueGreen ? blueGreen(status) : canary(status, {}, {generation: o.generation, paused: o.paused, replicas: o.replicas});
		if (o.conditions) ro.status.conditions = o.conditions;
		return rolloutPhase(ro);
	};
	const settled = {updatedReplicas: 5, availableReplicas: 5, replicas: 5, currentPodHash: 'a', stableRS: 'a', observedGeneration: '2'};
	assert.deepEqual(phase({...settled, observedGeneration: '1'}), {phase: 'Progressing', message: 'waiting for rollout spec update to be observed'});
	assert.deepEqual(phase({...settled, observedGeneration: 2}), {phase: 'Healthy', message: ''}, 'a number compares as its text');
	assert.deepEqual(phase({...settled, controllerPause: true}), {phase: 'Progressing', message: 'waiting for rollout to unpause'});
	assert.deepEqual(phase({...settled, controllerPause: true, pauseConditions: [{reason: 'CanaryPauseStep'}]}), {phase: 'Paused', message: 'CanaryPauseStep'});
	assert.deepEqual(phase({...settled, phase: 'Degraded', message: 'ProgressDeadlineExceeded: \x1b[1mslow'}), {phase: 'Degraded', message: 'ProgressDeadlineExceeded: slow'}, 'the phase the controller wrote');
	assert.deepEqual(phase({...settled, phase: 'Paused'}), {phase: 'Paused', message: ''});
	assert.deepEqual(phase({...settled, phase: ''}), {phase: 'Healthy', message: ''}, 'an empty phase is none');
	assert.deepEqual(phase(settled, {conditions: [{type: 'InvalidSpec', status: 'True', message: 'bad steps'}]}), {phase: 'Degraded', message: 'InvalidSpec: bad steps'});
	assert.deepEqual(phase(settled, {conditions: [{type: 'InvalidSpec', status: 'True'}]}), {phase: 'Degraded', message: 'InvalidSpec: '});
	assert.deepEqual(phase(settled, {conditions: [{type: 'Progressing', status: 'False', reason: 'RolloutAborted', message: 'aborted'}]}), {phase: 'Degraded', message: 'RolloutAborted: aborted'});
	assert.deepEqual(phase(settled, {conditions: [{type: 'Progressing', status: 'False', reason: 'ProgressDeadlineExceeded'}]}), {phase: 'Degraded', message: 'ProgressDeadlineExceeded: '});
	assert.deepEqual(phase(settled, {conditions: [{type: 'Progressing', status: 'True', reason: 'NewReplicaSetAvailable'}]}), {phase: 'Healthy', message: ''});
	assert.deepEqual(phase(settled, {paused: true}), {phase: 'Paused', message: 'manually paused'});
	assert.deepEqual(phase({...settled, pauseConditions: [{reason: 'BlueGreenPause'}]}), {phase: 'Paused', message: 'BlueGreenPause'});
	assert.deepEqual(phase({...settled, pauseConditions: [{}]}), {phase: 'Paused', message: ''});
	assert.deepEqual(phase({...settled, updatedReplicas: 4}), {phase: 'Progressing', message: 'more replicas need to be updated'});
	assert.deepEqual(phase({...settled, updatedReplicas: 5, availableReplicas: 4}), {phase: 'Progressing', message: 'updated replicas are still becoming available'});
	assert.deepEqual(phase({...settled, stableRS: 'b'}), {phase: 'Progressing', message: 'waiting for all steps to complete'});
	assert.deepEqual(phase({...settled, replicas: 6}), {phase: 'Progressing', message: 'old replicas are pending termination'});
	const unsized = canary({updatedReplicas: 1, availableReplicas: 1, replicas: 1, currentPodHash: 'a', stableRS: 'a'});
	delete unsized.spec.replicas;
	assert.deepEqual(rolloutPhase(unsized), {phase: 'Healthy', message: ''}, 'no spec.replicas is 1');
	assert.deepEqual(phase({...settled, updatedReplicas: 6, availableReplicas: 6, replicas: 6}, {replicas: 0}), {phase: 'Healthy', message: ''}, 'more than wanted is enough');
	assert.deepEqual(phase({...settled, blueGreen: {activeSelector: 'a'}}, {blueGreen: true}), {phase: 'Healthy', message: ''});
	assert.deepEqual(phase({...settled, blueGreen: {activeSelector: 'b'}}, {blueGreen: true}), {phase: 'Progressing', message: 'active service cutover pending'});
	assert.deepEqual(phase({...settled, stableRS: 'b', blueGreen: {activeSelector: 'a'}}, {blueGreen: true}), {phase: 'Healthy', message: ''}, 'blue-green goes by the active selector');
	assert.deepEqual(rolloutPhase({metadata: {name: 'r'}}), {phase: 'Progressing', message: 'more replicas need to be updated'});
});

test('rolloutInProgress: not Healthy, or the canary not yet stable', () => {
	const settled = {updatedReplicas: 5, availableReplicas: 5, replicas: 5, currentPodHash: 'a', stableRS: 'a', phase: 'Healthy'};
	assert.equal(rolloutInProgress(canary(settled)), false);
	assert.equal(rolloutInProgress(canary({...settled, phase: 'Paused'})), true);
	assert.equal(rolloutInProgress(canary({...settled, currentPodHash: 'b'})), true, 'Healthy as written, but a new hash');
});

test('analysisRunInfo: each metric with its limits, counts and values; the run\'s type, step, revision and hash', () => {
	const ro = canary();
	const run = analysisRun(ro, 'demo-run', {
		hash: 'abc',
		revision: 3,
		stepIndex: 4,
		type: 'Step',
		phase: 'Running',
		message: 'metric "errors" assessed \x1b[31mFailed',
		metrics: [
			{name: 'errors', interval: '30s', failureLimit: 2, inconclusiveLimit: 1, count: 5, successCondition: 'result[0] < 0.01', failureCondition: 'result[0] > 0.05'},
			{name: 'latency', count: '3'},
			{name: 'once'},
			{name: 'forever', interval: '1m'},
			{name: 'bad-count', count: 'x', interval: '10s'},
		],
		results: [
			{name: 'errors', phase: 'Failed', count: 3, successful: 1, failed: 2, inconclusive: 0, error: 0, message: 'too many', measurements: [{value: '[0.002]', phase: 'Successful'}, {value: '[0.07]', phase: 'Failed'}, {}]},
			{name: 'orphan', phase: 'Successful', count: 1, successful: 1},
		],
	});
	assert.deepEqual(analysisRunInfo(run, NOW), {
		name: 'demo-run',
		phase: 'Running',
		ageSeconds: 60,
		metrics: [
			{name: 'errors', phase: 'Failed', failureLimit: 2, inconclusiveLimit: 1, measured: 3, successful: 1, failed: 2, inconclusive: 0, error: 0, values: ['[0.002]', '[0.07]', ''], valuePhases: ['Successful', 'Failed', ''], successCondition: 'result[0] < 0.01', failureCondition: 'result[0] > 0.05', count: 5, interval: '30s', message: 'too many'},
			{name: 'latency', phase: 'Pending', failureLimit: 0, inconclusiveLimit: 0, measured: 0, successful: 0, failed: 0, inconclusive: 0, error: 0, values: [], valuePhases: [], count: 3},
			{name: 'once', phase: 'Pending', failureLimit: 0, inconclusiveLimit: 0, measured: 0, successful: 0, failed: 0, inconclusive: 0, error: 0, values: [], valuePhases: [], count: 1},
			{name: 'forever', phase: 'Pending', failureLimit: 0, inconclusiveLimit: 0, measured: 0, successful: 0, failed: 0, inconclusive: 0, error: 0, values: [], valuePhases: [], interval: '1m'},
			{name: 'bad-count', phase: 'Pending', failureLimit: 0, inconclusiveLimit: 0, measured: 0, successful: 0, failed: 0, inconclusive: 0, error: 0, values: [], valuePhases: [], interval: '10s'},
			{name: 'orphan', phase: 'Successful', failureLimit: 0, inconclusiveLimit: 0, measured: 1, successful: 1, failed: 0, inconclusive: 0, error: 0, values: [], valuePhases: [], count: 1},
		],
		type: 'Step',
		stepIndex: 4,
		revision: 3,
		podTemplateHash: 'abc',
		message: 'metric "errors" assessed Failed',
	});
	const bare: KObject = {metadata: {name: 'bare', creationTimestamp: new Date(NOW - 5000).toISOString()}, spec: {metrics: 'x'}, status: {metricResults: [{name: 7}]}};
	assert.deepEqual(analysisRunInfo(bare, NOW), {name: 'bare', phase: 'Pending', ageSeconds: 5, metrics: []});
});

test('rolloutAnalysisRuns: the Rollout\'s own, the current hash\'s first, then newest first, then by name', () => {
	const ro = canary({currentPodHash: 'new'});
	const run = (name: string, hash: string, age: number, owner = ro) => {
		const r = analysisRun(owner, name, {hash, revision: 1, phase: 'Successful', metrics: [], results: []});
		r.metadata.creationTimestamp = new Date(NOW - age * 1000).toISOString();
		return r;
	};
	const other = rollout('other', {canary: {steps: demoSteps}}, {});
	const runs = [run('old-a', 'old', 30), run('new-late', 'new', 10), run('old-b', 'old', 30), run('new-early', 'new', 50), run('old-c', 'old', 5), run('theirs', 'new', 1, other), {metadata: {name: 'loose'}}];
	assert.deepEqual(rolloutAnalysisRuns(ro, runs, NOW).map(r => r.name), ['new-late', 'new-early', 'old-c', 'old-b', 'old-a']);
});

test('argoInfo: a canary with Istio routing mid-steps, and a blue-green Rollout', () => {
	const ro = canary(
		{currentStepIndex: 3, currentPodHash: 'new', stableRS: 'old', phase: 'Paused', message: 'CanaryPauseStep', controllerPause: true, pauseConditions: [{reason: 'CanaryPauseStep'}, {}], abortedAt: '2025-06-01T11:00:00Z', observedGeneration: '1'},
		{canaryService: 'demo-canary', stableService: 'demo-stable', trafficRouting: {maxTrafficWeight: 50, istio: {virtualServices: [{name: 'demo-vs'}]}}},
		{generation: 1, paused: true},
	);
	assert.deepEqual(argoInfo(ro, progressiveSnapshot([ro]), 30), {
		name: 'rollouts-demo',
		strategy: 'canary',
		phase: 'Paused',
		observed: true,
		steps: rolloutSteps(ro),
		maxTrafficWeight: 50,
		paused: true,
		pauseReasons: ['CanaryPauseStep'],
		controllerPause: true,
		aborted: false,
		promoteFull: false,
		analysisRuns: [],
		message: 'CanaryPauseStep',
		step: {index: 3, count: 8},
		setWeight: 80, // 40 of maxTrafficWeight 50, in percent as the plugin shows it
		actualWeight: 30,
		trafficRouter: 'istio VirtualService/demo-vs',
		canaryService: 'demo-canary',
		stableService: 'demo-stable',
		abortedAt: '2025-06-01T11:00:00Z',
		stableHash: 'old',
		canaryHash: 'new',
	});
	const smi = canary({}, {trafficRouting: {maxTrafficWeight: 100, managedRoutes: [], smi: {}, nginx: {}}});
	const smiInfo = argoInfo(smi, progressiveSnapshot([smi]), undefined);
	assert.deepEqual([smiInfo.trafficRouter, smiInfo.actualWeight, smiInfo.observed, smiInfo.message], ['smi TrafficSplit/rollouts-demo, nginx', undefined, true, 'more replicas need to be updated']);
	const healthy = canary({updatedReplicas: 5, availableReplicas: 5, replicas: 5, currentPodHash: 'a', stableRS: 'a'});
	assert.equal('message' in argoInfo(healthy, progressiveSnapshot([healthy]), 100), false, 'Healthy says no message');
	assert.equal(argoInfo(canary({observedGeneration: '1'}, {}, {generation: 2}), progressiveSnapshot([]), 0).observed, false);
	assert.equal(argoInfo(canary({}, {trafficRouting: {istio: {virtualService: {name: 'vs1'}}}}), progressiveSnapshot([]), 0).trafficRouter, 'istio VirtualService/vs1');
	const bg = blueGreen({currentPodHash: 'new', stableRS: 'old', blueGreen: {activeSelector: 'old', previewSelector: 'new'}, abort: true, promoteFull: true});
	assert.deepEqual(argoInfo(bg, progressiveSnapshot([bg]), 50), {
		name: 'rollouts-demo',
		strategy: 'blueGreen',
		phase: 'Progressing',
		observed: true,
		steps: [],
		maxTrafficWeight: 100,
		paused: false,
		pauseReasons: [],
		controllerPause: false,
		aborted: true,
		promoteFull: true,
		analysisRuns: [],
		message: 'more replicas need to be updated',
		activeService: 'demo',
		previewService: 'demo-preview',
		activeSelector: 'old',
		previewSelector: 'new',
		stableHash: 'old',
		canaryHash: 'new',
	});
	const plainBg = rollout('r', {blueGreen: {}}, {});
	const plainInfo = argoInfo(plainBg, progressiveSnapshot([plainBg]), undefined);
	assert.deepEqual([plainInfo.activeService, plainInfo.previewService, plainInfo.activeSelector, plainInfo.stableHash], [undefined, undefined, undefined, undefined]);
});

test('detectRollouts: every Rollout by name, the Services it names, the Deployment of a workloadRef claimed', () => {
	const a = rollout('b-demo', {canary: {steps: demoSteps, canaryService: 'c', stableService: 's'}}, {phase: 'Healthy', updatedReplicas: 5, availableReplicas: 5, replicas: 5, currentPodHash: 'x', stableRS: 'x'});
	const b = rollout('a-demo', {blueGreen: {activeService: 'act', previewService: ''}}, {phase: 'Paused'});
	b.spec.workloadRef = {apiVersion: 'apps/v1', kind: 'Deployment', name: 'web'};
	const c = rollout('c-demo', {canary: {}}, {});
	c.spec.workloadRef = {kind: 'Deployment', name: 'missing'};
	const d = rollout('d-demo', {canary: {}}, {});
	d.spec.workloadRef = {kind: 'StatefulSet', name: 'web'};
	const web = deployment('web');
	const claimed = new Set<KObject>();
	const found = detectRollouts(scanSnapshot(progressiveSnapshot([a, b, c, d, web])), claimed);
	assert.deepEqual(
		found.map(r => ({...r, object: r.object?.metadata.name})),
		[
			{target: 'rollout/a-demo', name: 'a-demo', kind: 'argo-rollout', deployments: ['web'], services: ['act'], inProgress: true, members: [], object: 'a-demo'},
			{target: 'rollout/b-demo', name: 'b-demo', kind: 'argo-rollout', deployments: [], services: ['s', 'c'], inProgress: false, members: [], object: 'b-demo'},
			{target: 'rollout/c-demo', name: 'c-demo', kind: 'argo-rollout', deployments: [], services: [], inProgress: true, members: [], object: 'c-demo'},
			{target: 'rollout/d-demo', name: 'd-demo', kind: 'argo-rollout', deployments: [], services: [], inProgress: true, members: [], object: 'd-demo'},
		],
	);
	assert.deepEqual([...claimed].map(o => o.metadata.name), ['web']);
	assert.deepEqual(detectRollouts(scanSnapshot({...progressiveSnapshot([]), rollouts: undefined}), new Set()), []);
});
