// The Argo Rollouts builders as whole plans: for each state of a Rollout, exactly what is sent (paths, bodies,
// preconditions, fallbacks), what the confirmation says, and every refusal, word for word. The Rollout is the
// getting-started rollouts-demo (steps 20% · pause · 40% · pause 10 · 60% · pause 10 · 80% · pause 10).
import assert from 'node:assert/strict';
import {test} from 'node:test';
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
	jsonPatch,
	mergePatch,
	nearestWeightStep,
	rolloutHistory,
	rolloutPath,
	setWeightSteps,
	weightKeyNote,
} from '../../source/actions/argo.js';
import type {KObject} from '../../source/kube/object.js';
import {demoSteps, rollout, rolloutReplicaSet} from '../release/argo-fixtures.js';
import {planOf} from './helpers.js';

const base = '/apis/argoproj.io/v1alpha1/namespaces/shop/rollouts/rollouts-demo';
const regarding = {apiVersion: 'argoproj.io/v1alpha1', kind: 'Rollout', name: 'rollouts-demo', namespace: 'shop', uid: 'uid-ro-rollouts-demo'};

/** A canary rollouts-demo at `status` (resourceVersion 4711), its spec changed by `spec`. */
function canary(status: Record<string, unknown>, spec: Record<string, unknown> = {}): KObject {
	const ro = rollout('rollouts-demo', {canary: {steps: demoSteps}}, {currentPodHash: 'new', stableRS: 'old', ...status});
	return {...ro, metadata: {...ro.metadata, resourceVersion: '4711'}, spec: {...ro.spec, ...spec}};
}

function blueGreen(status: Record<string, unknown>): KObject {
	const ro = rollout('rollouts-demo', {blueGreen: {activeService: 'demo', previewService: 'demo-preview', autoPromotionEnabled: false}}, {currentPodHash: 'new', stableRS: 'old', ...status});
	return {...ro, metadata: {...ro.metadata, resourceVersion: '4711'}};
}

const atPause = (index: number, extra: Record<string, unknown> = {}) => canary({phase: 'Paused', currentStepIndex: index, controllerPause: true, pauseConditions: [{reason: 'CanaryPauseStep', startTime: 'x'}], ...extra});

/** A status-subresource merge patch with its fallback to the main resource, as the plugin sends it. */
function statusStep(patch: object, summary: string, fallback: object = patch) {
	return {
		method: 'PATCH',
		path: `${base}/status`,
		contentType: 'application/merge-patch+json',
		body: {metadata: {resourceVersion: '4711'}, ...patch},
		patch,
		precondition: {kind: 'resourceVersion', resourceVersion: '4711'},
		object: 'Rollout/rollouts-demo',
		summary,
		subresource: 'status',
		fallback: {path: base, patch: fallback, body: {metadata: {resourceVersion: '4711'}, ...fallback}},
	};
}

function specStep(patch: object, summary: string) {
	return {method: 'PATCH', path: base, contentType: 'application/merge-patch+json', body: {metadata: {resourceVersion: '4711'}, ...patch}, patch, precondition: {kind: 'resourceVersion', resourceVersion: '4711'}, object: 'Rollout/rollouts-demo', summary};
}

test('promote at a pause step: the pause conditions cleared, falling back to spec and status together', () => {
	assert.deepEqual(argoPromote(atPause(1)), {
		plan: {
			action: 'promote',
			title: 'promote rollout/rollouts-demo',
			changes: ['clear the pause (CanaryPauseStep): step 2/8 (pause) → next step'],
			steps: [statusStep({status: {pauseConditions: null}}, 'promote (status)', {spec: {paused: false}, status: {pauseConditions: null}})],
			regarding,
			dangerous: false,
		},
	});
	const timed = canary({currentStepIndex: 3, pauseConditions: [{reason: 'CanaryPauseStep'}, {}]});
	assert.deepEqual(planOf(argoPromote(timed)).changes, ['clear the pause (CanaryPauseStep, ?): step 4/8 (pause 10) → next step']);
});

test('promote mid step (not paused): the next step; at the last, the end', () => {
	assert.deepEqual(argoPromote(canary({currentStepIndex: 4})), {
		plan: {
			action: 'promote',
			title: 'promote rollout/rollouts-demo',
			changes: ['skip step 5/8 (setWeight 60) → step 6/8 (pause 10)'],
			steps: [statusStep({status: {pauseConditions: null, currentStepIndex: 5}}, 'promote (status)', {spec: {paused: false}, status: {pauseConditions: null, currentStepIndex: 5}})],
			regarding,
			dangerous: false,
		},
	});
	assert.deepEqual(planOf(argoPromote(canary({currentStepIndex: 7}))).changes, ['skip step 8/8 (pause 10) → all steps done (100%)']);
	assert.deepEqual(planOf(argoPromote(canary({currentStepIndex: 8}))).steps[0]!.patch, {status: {pauseConditions: null, currentStepIndex: 8}}, 'capped at the step count');
	const analysis = rollout('rollouts-demo', {canary: {steps: [{setWeight: 10}, {analysis: {templates: [{templateName: 't'}]}}, {experiment: {}}, {}]}}, {currentPodHash: 'new', stableRS: 'old', currentStepIndex: 1});
	const withRv = {...analysis, metadata: {...analysis.metadata, resourceVersion: '4711'}};
	assert.deepEqual(planOf(argoPromote(withRv)).changes, ['skip step 2/4 (analysis) → step 3/4 (experiment)']);
	assert.deepEqual(planOf(argoPromote({...withRv, status: {...withRv.status, currentStepIndex: 2}})).changes, ['skip step 3/4 (experiment) → step 4/4 (step)']);
});

test('promote an Inconclusive analysis pause: controllerPause false and the next step', () => {
	const ro = canary({currentStepIndex: 4, controllerPause: true, pauseConditions: [{reason: 'InconclusiveAnalysisRun'}], canary: {currentStepAnalysisRunStatus: {name: 'r', status: 'Inconclusive'}}});
	assert.deepEqual(planOf(argoPromote(ro)), {
		action: 'promote',
		title: 'promote rollout/rollouts-demo',
		changes: ['inconclusive analysis: step 5/8 (setWeight 60) → step 6/8 (pause 10)'],
		steps: [statusStep({status: {pauseConditions: null, controllerPause: false, currentStepIndex: 5}}, 'promote (status)', {spec: {paused: false}, status: {pauseConditions: null}})],
		regarding,
		dangerous: false,
	});
	// Inconclusive but not paused by the controller: an ordinary pause.
	const notController = canary({currentStepIndex: 4, controllerPause: false, pauseConditions: [{reason: 'InconclusiveAnalysisRun'}], canary: {currentStepAnalysisRunStatus: {status: 'Inconclusive'}}});
	assert.deepEqual(planOf(argoPromote(notController)).changes, ['clear the pause (InconclusiveAnalysisRun): step 5/8 (setWeight 60) → next step']);
	// Inconclusive without a pause condition: the next step.
	const running = canary({currentStepIndex: 4, controllerPause: true, canary: {currentStepAnalysisRunStatus: {status: 'Inconclusive'}}});
	assert.deepEqual(planOf(argoPromote(running)).changes, ['skip step 5/8 (setWeight 60) → step 6/8 (pause 10)']);
});

test('promote paused by spec: the status patch, then spec.paused false chained to it; paused by spec only, just that', () => {
	const both = atPause(1);
	both.spec.paused = true;
	const plan = planOf(argoPromote(both));
	assert.deepEqual(plan.changes, ['clear the pause (CanaryPauseStep): step 2/8 (pause) → next step', 'resume: spec.paused true → false']);
	assert.deepEqual(plan.steps[1], {
		method: 'PATCH',
		path: base,
		contentType: 'application/merge-patch+json',
		body: {metadata: {uid: 'uid-ro-rollouts-demo'}, spec: {paused: false}},
		patch: {spec: {paused: false}},
		precondition: {kind: 'uid', uid: 'uid-ro-rollouts-demo', resourceVersionFromPrevious: true},
		object: 'Rollout/rollouts-demo',
		summary: 'unpause (spec)',
	});
	// Fully promoted but paused by spec: only the unpause, carrying the resourceVersion itself.
	const done = blueGreen({currentPodHash: 'old'});
	done.spec.paused = true;
	assert.deepEqual(planOf(argoPromote(done)), {
		action: 'promote',
		title: 'promote rollout/rollouts-demo',
		changes: ['resume: spec.paused true → false'],
		steps: [specStep({spec: {paused: false}}, 'unpause (spec)')],
		regarding,
		dangerous: false,
	});
});

test('promote a blue-green Rollout: clear its pause to switch the active Service; refusals', () => {
	const bg = blueGreen({controllerPause: true, pauseConditions: [{reason: 'BlueGreenPause'}]});
	assert.deepEqual(planOf(argoPromote(bg)).changes, ['clear the pause (BlueGreenPause): switch the active Service to the preview']);
	assert.deepEqual(argoPromote(blueGreen({})), {message: 'rollout/rollouts-demo is not paused: nothing to promote (promote fully to skip the remaining steps)'});
	assert.deepEqual(argoPromote(canary({abort: true})), {message: 'rollout/rollouts-demo is aborted: retry it or undo to a revision first'});
	assert.deepEqual(argoPromote(canary({currentPodHash: 'old'})), {message: 'rollout/rollouts-demo is fully promoted: nothing to promote'});
	// A Rollout with no status yet counts as at its first step.
	const fresh = rollout('rollouts-demo', {canary: {steps: demoSteps}}, {});
	assert.deepEqual(planOf(argoPromote({...fresh, metadata: {...fresh.metadata, resourceVersion: '1'}, status: undefined})).changes, ['skip step 1/8 (setWeight 20) → step 2/8 (pause)']);
});

test('promote --full: status promoteFull, dangerous; blue-green words; a note when paused by spec; refusals', () => {
	assert.deepEqual(argoPromoteFull(atPause(1)), {
		plan: {
			action: 'promote-full',
			title: 'promote rollout/rollouts-demo fully',
			changes: ['skip the remaining steps, pauses and analysis: the new version takes all traffic'],
			steps: [statusStep({status: {promoteFull: true}}, 'promote fully (status)')],
			regarding,
			dangerous: true,
		},
	});
	assert.deepEqual(planOf(argoPromoteFull(blueGreen({}))).changes, ['switch the active Service to the new version now, skipping the pause and any analysis']);
	assert.deepEqual(planOf(argoPromoteFull(canary({}, {paused: true}))).changes, [
		'skip the remaining steps, pauses and analysis: the new version takes all traffic',
		'note: spec.paused is true; the controller holds until it is resumed',
	]);
	assert.deepEqual(argoPromoteFull(canary({abort: true})), {message: 'rollout/rollouts-demo is aborted: retry it or undo to a revision first'});
	assert.deepEqual(argoPromoteFull(canary({currentPodHash: 'old'})), {message: 'rollout/rollouts-demo is already fully promoted'});
});

test('abort and retry: status abort true or false, with their words and refusals', () => {
	assert.deepEqual(argoAbort(atPause(1)), {
		plan: {
			action: 'abort',
			title: 'abort rollout/rollouts-demo',
			changes: ['all traffic back to the stable ReplicaSet; the canary is scaled down', 'spec.template still holds the new version: retry re-runs it, undo replaces it'],
			steps: [statusStep({status: {abort: true}}, 'abort (status)')],
			regarding,
			dangerous: true,
		},
	});
	assert.deepEqual(planOf(argoAbort(blueGreen({}))).changes[0], 'the active Service stays on the stable version; the preview is scaled down');
	assert.deepEqual(argoAbort(canary({abort: true})), {message: 'rollout/rollouts-demo is already aborted'});
	assert.deepEqual(argoAbort(canary({currentPodHash: 'old'})), {message: 'rollout/rollouts-demo is fully promoted: nothing to abort (undo to a revision instead)'});
	assert.equal('plan' in argoAbort(canary({currentPodHash: undefined, stableRS: undefined})), true, 'a Rollout with no hashes yet can be aborted');

	assert.deepEqual(argoRetry(canary({abort: true})), {
		plan: {
			action: 'retry',
			title: 'retry rollout/rollouts-demo',
			changes: ['run the update to argoproj/rollouts-demo:yellow again from the first step'],
			steps: [statusStep({status: {abort: false}}, 'retry (status)')],
			regarding,
			dangerous: false,
		},
	});
	const two = canary({abort: true}, {template: {spec: {containers: [{name: 'a', image: 'a:1'}, {name: 'b', image: 'b:2'}]}}});
	assert.deepEqual(planOf(argoRetry(two)).changes, ['run the update to a:1, b:2 again from the first step']);
	assert.deepEqual(planOf(argoRetry(canary({abort: true}, {template: {}}))).changes, ['run the update to the new template again from the first step']);
	assert.deepEqual(argoRetry(atPause(1)), {message: 'rollout/rollouts-demo is not aborted: nothing to retry'});
});

test('pause and resume: spec.paused, with their refusals', () => {
	assert.deepEqual(argoPause(atPause(1)), {
		plan: {
			action: 'pause',
			title: 'pause rollout/rollouts-demo',
			changes: ['spec.paused false → true: steps, weights and scaling hold where they are'],
			steps: [specStep({spec: {paused: true}}, 'pause (spec)')],
			regarding,
			dangerous: false,
		},
	});
	assert.deepEqual(argoPause(canary({}, {paused: true})), {message: 'rollout/rollouts-demo is already paused'});
	assert.deepEqual(argoResume(canary({}, {paused: true})), {
		plan: {action: 'resume', title: 'resume rollout/rollouts-demo', changes: ['spec.paused true → false'], steps: [specStep({spec: {paused: false}}, 'resume (spec)')], regarding, dangerous: false},
	});
	assert.deepEqual(argoResume(atPause(1)), {message: 'rollout/rollouts-demo is not paused by spec: it waits at a pause step, promote it instead'});
	assert.deepEqual(argoResume(canary({})), {message: 'rollout/rollouts-demo is not paused by spec'});
});

test('requests: paths escaped, the Rollout\'s own namespace or default, the precondition required', () => {
	assert.equal(rolloutPath('my ns', 'a/b', 'status'), '/apis/argoproj.io/v1alpha1/namespaces/my%20ns/rollouts/a%2Fb/status');
	assert.equal(rolloutPath('shop', 'demo'), '/apis/argoproj.io/v1alpha1/namespaces/shop/rollouts/demo');
	const bare: KObject = {metadata: {name: 'demo', resourceVersion: '7'}, spec: {paused: true}, status: {}};
	const plan = planOf(argoResume(bare));
	assert.deepEqual([plan.steps[0]!.path, plan.steps[0]!.object, plan.regarding], ['/apis/argoproj.io/v1alpha1/namespaces/default/rollouts/demo', 'Rollout/demo', {apiVersion: 'argoproj.io/v1alpha1', kind: 'Rollout', name: 'demo', namespace: 'default'}]);
	assert.throws(() => argoPause({metadata: {name: 'demo'}, kind: 'Rollout', spec: {}}), {message: 'Rollout/demo has no resourceVersion: read it from the API server first'});
	assert.throws(() => argoPause({metadata: {name: 'demo'}, spec: {}}), {message: 'object/demo has no resourceVersion: read it from the API server first'});
	const chained = mergePatch({metadata: {name: 'x', resourceVersion: '3'}}, '/p', {spec: {a: 1}}, 's', {chained: true});
	assert.deepEqual(chained.body, {metadata: {uid: ''}, spec: {a: 1}}, 'a chained patch names the uid, empty when unknown');
	assert.deepEqual(chainResourceVersion(chained, {metadata: {name: 'x', resourceVersion: '4'}}), {metadata: {resourceVersion: '4'}, spec: {a: 1}});
	assert.deepEqual(chainResourceVersion(chained, {metadata: {name: 'x'}}), chained.body, 'no resourceVersion answered: as it was');
	assert.deepEqual(chainResourceVersion(chained, undefined), chained.body);
	const first = mergePatch({metadata: {name: 'x', resourceVersion: '3'}}, '/p', {spec: {a: 1}}, 's');
	assert.deepEqual(chainResourceVersion(first, {metadata: {name: 'x', resourceVersion: '4'}}), first.body, 'only a chained step changes');
	const json = jsonPatch({kind: 'Canary', metadata: {name: 'c', resourceVersion: '9'}}, '/q', [{op: 'remove', path: '/a'}], 'j');
	assert.deepEqual(json, {method: 'PATCH', path: '/q', contentType: 'application/json-patch+json', body: [{op: 'test', path: '/metadata/resourceVersion', value: '9'}, {op: 'remove', path: '/a'}], patch: [{op: 'remove', path: '/a'}], precondition: {kind: 'test', path: '/metadata/resourceVersion', value: '9'}, object: 'Canary/c', summary: 'j'});
	assert.deepEqual(chainResourceVersion({...json, precondition: {kind: 'uid', uid: 'u', resourceVersionFromPrevious: true}}, {metadata: {name: 'c', resourceVersion: '10'}}), json.body, 'a JSON patch is not rewritten');
	assert.equal(jsonPatch({metadata: {name: 'c', resourceVersion: '9'}}, '/q', [], 'j').object, 'Object/c');
});

test('undo: the revisions of the Rollout only, newest first; the template without the hash label', () => {
	const ro = atPause(1);
	const v1 = rolloutReplicaSet(ro, 'old', 1, 'argoproj/rollouts-demo:blue', 4).rs;
	const v2 = rolloutReplicaSet(ro, 'new', 2, 'argoproj/rollouts-demo:yellow', 1).rs;
	const v3 = rolloutReplicaSet(ro, 'third', 3, 'argoproj/rollouts-demo:red', 0).rs;
	const notController = {...v3, metadata: {...v3.metadata, name: 'x1', ownerReferences: [{...v3.metadata.ownerReferences![0]!, controller: false}]}};
	const otherUid = {...v3, metadata: {...v3.metadata, name: 'x2', ownerReferences: [{...v3.metadata.ownerReferences![0]!, uid: 'someone-else'}]}};
	const otherName = {...v3, metadata: {...v3.metadata, name: 'x3', ownerReferences: [{...v3.metadata.ownerReferences![0]!, name: 'other'}]}};
	const otherKind = {...v3, metadata: {...v3.metadata, name: 'x4', ownerReferences: [{...v3.metadata.ownerReferences![0]!, kind: 'Deployment'}]}};
	const otherLabels = {...v3, metadata: {...v3.metadata, name: 'x5'}, spec: {...v3.spec, template: {...v3.spec.template, metadata: {labels: {app: 'other'}}}}};
	const noUid = {...v1, metadata: {...v1.metadata, name: 'x6', ownerReferences: [{...v1.metadata.ownerReferences![0]!, uid: ''}]}};
	assert.deepEqual(
		rolloutHistory(ro, [v1, notController, v3, otherUid, v2, otherName, otherKind, otherLabels, {metadata: {name: 'orphan'}}]).map(rs => rs.metadata.name),
		['rollouts-demo-third', 'rollouts-demo-new', 'rollouts-demo-old'],
	);
	assert.deepEqual(rolloutHistory(ro, [noUid]).map(rs => rs.metadata.name), ['x6'], 'an owner reference without uid counts');

	const back = planOf(argoUndo(ro, [v1, v2], 1));
	const template = {metadata: {labels: {app: 'rollouts-demo'}}, spec: {containers: [{name: 'rollouts-demo', image: 'argoproj/rollouts-demo:blue'}]}};
	assert.deepEqual(back, {
		action: 'undo',
		title: 'undo rollout/rollouts-demo to revision 1',
		changes: ['spec.template → revision 1 (argoproj/rollouts-demo:blue)', 'it is the stable (or a recent) revision: the Rollout goes back at once'],
		steps: [
			{
				method: 'PATCH',
				path: base,
				contentType: 'application/json-patch+json',
				body: [{op: 'test', path: '/metadata/resourceVersion', value: '4711'}, {op: 'replace', path: '/spec/template', value: template}],
				patch: [{op: 'replace', path: '/spec/template', value: template}],
				precondition: {kind: 'test', path: '/metadata/resourceVersion', value: '4711'},
				object: 'Rollout/rollouts-demo',
				summary: 'undo to revision 1',
			},
		],
		regarding,
		dangerous: true,
	});
	assert.deepEqual(v1.spec.template.metadata.labels, {app: 'rollouts-demo', 'rollouts-pod-template-hash': 'old'}, 'the ReplicaSet is left as it was');
	// Not the stable revision: the steps run again, unless it is within the rollback window.
	const slow = planOf(argoUndo(ro, [v1, v2, v3], 3));
	assert.deepEqual(slow.changes, ['spec.template → revision 3 (argoproj/rollouts-demo:red)', 'the controller treats this as a new update: the steps and analysis run again']);
	const windowed = {...ro, spec: {...ro.spec, rollbackWindow: {revisions: 2}}};
	const v4 = rolloutReplicaSet(ro, 'fourth', 4, 'argoproj/rollouts-demo:green', 0).rs;
	assert.equal(planOf(argoUndo(windowed, [v1, v2, v3, v4], 2)).changes[1], 'it is the stable (or a recent) revision: the Rollout goes back at once', '4 - 2 is within 2');
	assert.equal(planOf(argoUndo(windowed, [v1, v2, v3, v4], 3)).changes[1], 'it is the stable (or a recent) revision: the Rollout goes back at once', '4 - 3 is within 2');
	const narrow = {...ro, spec: {...ro.spec, rollbackWindow: {revisions: 1}}};
	assert.equal(planOf(argoUndo(narrow, [v1, v2, v3, v4], 2)).changes[1], 'the controller treats this as a new update: the steps and analysis run again', '4 - 2 is past 1');
	assert.equal(planOf(argoUndo(narrow, [v1, v2, v3, v4], 3)).changes[1], 'it is the stable (or a recent) revision: the Rollout goes back at once');
	const unhashed = {...v3, metadata: {...v3.metadata, labels: {}}, spec: {...v3.spec, template: {metadata: {labels: {app: 'rollouts-demo'}}, spec: {containers: []}}}};
	assert.deepEqual(planOf(argoUndo(windowed, [unhashed, v4], 3)).changes, ['spec.template → revision 3', 'the controller treats this as a new update: the steps and analysis run again'], 'no hash, no images');
});

test('undo says why not: no revisions, none before the newest, an unknown one, a workloadRef, the same template', () => {
	const ro = atPause(1);
	const v1 = rolloutReplicaSet(ro, 'old', 1, 'argoproj/rollouts-demo:blue', 4).rs;
	const v2 = rolloutReplicaSet(ro, 'new', 2, 'argoproj/rollouts-demo:yellow', 1).rs;
	assert.deepEqual(argoUndo(ro, []), {message: 'no revision found for rollout/rollouts-demo'});
	assert.deepEqual(argoUndo(ro, [v2]), {message: 'no rollout history found for rollout/rollouts-demo: nothing to undo to'});
	assert.deepEqual(argoUndo(ro, [v1, v2], 5), {message: 'unable to find specified revision 5 in history of rollout/rollouts-demo'});
	assert.equal(planOf(argoUndo(ro, [v2, v1])).title, 'undo rollout/rollouts-demo to revision 1', 'revision 0: the one before the newest');
	const ref = {...ro, spec: {...ro.spec, workloadRef: {kind: 'Deployment', name: 'demo'}}};
	assert.deepEqual(argoUndo(ref, [v1, v2], 1), {message: 'rollout/rollouts-demo takes its template from Deployment/demo: undo that instead'});
	assert.deepEqual(argoUndo({...ro, spec: {...ro.spec, workloadRef: {}}}, [v1, v2], 1), {message: 'rollout/rollouts-demo takes its template from a workload/?: undo that instead'});
	// Same template but for the hash label and key order: skipped.
	const same = {...ro, spec: {...ro.spec, template: {spec: {containers: [{image: 'argoproj/rollouts-demo:yellow', name: 'rollouts-demo'}]}, metadata: {labels: {'rollouts-pod-template-hash': 'zzz', app: 'rollouts-demo'}}}}};
	assert.deepEqual(argoUndo(same, [v1, v2], 2), {message: 'skipped rollback (current template already matches revision 2)'});
	const nulls = {...same, spec: {...same.spec, template: {...same.spec.template, spec: {...same.spec.template.spec, nodeSelector: null}}}};
	assert.deepEqual(argoUndo(nulls, [v1, v2], 2), {message: 'skipped rollback (current template already matches revision 2)'}, 'null fields do not count');
	const other = {...same, spec: {...same.spec, template: {...same.spec.template, spec: {containers: [{image: 'argoproj/rollouts-demo:yellow', name: 'rollouts-demo', args: ['x']}]}}}};
	assert.equal('plan' in argoUndo(other, [v1, v2], 2), true);
});

test('weight keys: the setWeight steps in percent of maxTrafficWeight; the nearest, ties to the nearer step', () => {
	assert.deepEqual(setWeightSteps(atPause(1)), [
		{index: 0, weight: 20},
		{index: 2, weight: 40},
		{index: 4, weight: 60},
		{index: 6, weight: 80},
	]);
	const scaled = rollout('r', {canary: {steps: [{setWeight: 5}, {pause: {}}, {setWeight: 30}], trafficRouting: {maxTrafficWeight: 40}}}, {currentStepIndex: 1});
	assert.deepEqual(setWeightSteps(scaled), [
		{index: 0, weight: 12.5},
		{index: 2, weight: 75},
	]);
	// 30 is as near 20 as 40: the step nearer the current one wins.
	assert.deepEqual(nearestWeightStep(atPause(1), 30), {index: 0, weight: 20, direction: 'backward'});
	assert.deepEqual(nearestWeightStep(atPause(3), 30), {index: 2, weight: 40, direction: 'backward'});
	assert.deepEqual(nearestWeightStep(atPause(2), 40), {index: 2, weight: 40, direction: 'current'});
	assert.deepEqual(nearestWeightStep(atPause(5), 70), {index: 4, weight: 60, direction: 'backward'});
	assert.deepEqual(nearestWeightStep(atPause(7), 70), {index: 6, weight: 80, direction: 'backward'});
	assert.deepEqual(nearestWeightStep(canary({currentStepIndex: undefined}), 50), {index: 2, weight: 40, direction: 'forward'}, 'no current step counts as the first');
	assert.equal(nearestWeightStep(blueGreen({}), 50), undefined);
});

test('weight keys + and -: the next step with more weight, the previous with less', () => {
	const steps = [{setWeight: 10}, {setWeight: 10}, {pause: {}}, {setWeight: 30}, {setWeight: 20}, {setWeight: 50}];
	const at = (index: number) => {
		const ro = rollout('r', {canary: {steps}}, {currentPodHash: 'n', stableRS: 'o', currentStepIndex: index});
		return {...ro, metadata: {...ro.metadata, resourceVersion: '1'}};
	};
	assert.deepEqual(adjacentWeightStep(at(2), 1), {index: 3, weight: 30, direction: 'forward'});
	assert.deepEqual(adjacentWeightStep(at(3), 1), {index: 5, weight: 50, direction: 'forward'}, 'skips a later step with less weight');
	assert.deepEqual(adjacentWeightStep(at(0), 1), {index: 3, weight: 30, direction: 'forward'}, 'not the step with the same weight');
	assert.deepEqual(adjacentWeightStep(at(4), -1), {index: 1, weight: 10, direction: 'backward'}, 'the latest earlier one with less');
	assert.deepEqual(adjacentWeightStep(at(5), -1), {index: 4, weight: 20, direction: 'backward'});
	assert.equal(adjacentWeightStep(at(5), 1), undefined);
	assert.equal(adjacentWeightStep(at(1), -1), undefined);
	const scaled = rollout('r', {canary: {steps: [{setWeight: 5}, {setWeight: 30}], trafficRouting: {maxTrafficWeight: 40}}}, {currentStepIndex: 1});
	assert.deepEqual(adjacentWeightStep(scaled, -1), {index: 0, weight: 12.5, direction: 'backward'}, 'the weight now is 75% of 40');
	assert.deepEqual(planOf(argoStepWeight(at(2), 1)).changes, ['step 3/6 (pause) → step 4/6 (setWeight 30): set weight 10% → 30%', 'Argo Rollouts has no weight API: go to step 4, setWeight 30%']);
	assert.deepEqual(argoStepWeight(at(5), 1), {message: 'rollout/r: no later setWeight step with more weight (promote to continue)'});
	assert.deepEqual(argoStepWeight(at(1), -1), {message: 'rollout/r: no earlier setWeight step with less weight (abort sends all traffic to stable)'});
});

test('weightKeyNote: what the weight keys do on a Rollout', () => {
	assert.equal(weightKeyNote(undefined), 'Argo Rollouts has no weight API: this Rollout has no setWeight step to go to');
	assert.equal(weightKeyNote({index: 2, weight: 40, direction: 'forward'}), 'Argo Rollouts has no weight API: go to step 3, setWeight 40%');
	assert.equal(weightKeyNote({index: 2, weight: 40, direction: 'forward'}, 40), 'Argo Rollouts has no weight API: go to step 3, setWeight 40%');
	assert.equal(weightKeyNote({index: 2, weight: 40, direction: 'forward'}, 45), 'Argo Rollouts has no weight API: go to step 3, setWeight 40% (nearest to 45%)');
	assert.equal(weightKeyNote({index: 0, weight: 20, direction: 'backward'}, 10), 'Argo Rollouts has no weight API: go to step 1, setWeight 20% (nearest to 10%); moving back a step is not a documented Argo operation');
	assert.equal(weightKeyNote({index: 2, weight: 40, direction: 'current'}), 'Argo Rollouts has no weight API: go to step 3, setWeight 40%');
});

test('go to a step: currentStepIndex with the pause cleared; back is said, more than one ahead is dangerous; refusals', () => {
	assert.deepEqual(argoGoToStep(atPause(1), 2), {
		plan: {
			action: 'set-step',
			title: 'rollout/rollouts-demo: go to step 3/8 (setWeight 40)',
			changes: ['step 2/8 (pause) → step 3/8 (setWeight 40): set weight 20% → 40%'],
			steps: [statusStep({status: {currentStepIndex: 2, pauseConditions: null}}, 'go to step 3')],
			regarding,
			dangerous: false,
		},
	});
	assert.equal(planOf(argoGoToStep(atPause(1), 3)).dangerous, true, 'two steps ahead');
	assert.equal(planOf(argoGoToStep(atPause(1), 8)).title, 'rollout/rollouts-demo: go to all steps done (100%)');
	const back = planOf(argoGoToStep(atPause(3), 0, 'a note'));
	assert.deepEqual(back.changes, ['step 4/8 (pause 10) → step 1/8 (setWeight 20): set weight 40% → 20%', 'a note', 'moving back is not a documented Argo Rollouts operation: the controller may not scale down at once']);
	assert.equal(back.dangerous, false);
	assert.equal(planOf(argoGoToStep(atPause(1), 1)).changes[0], 'step 2/8 (pause) → step 2/8 (pause): set weight 20% → 20%', 'the current step, to clear its pause');
	assert.deepEqual(argoGoToStep(canary({currentStepIndex: 2}), 2), {message: 'rollout/rollouts-demo is at step 3/8 (setWeight 40) already'});
	assert.deepEqual(argoGoToStep(blueGreen({}), 1), {message: 'rollout/rollouts-demo is blue-green: it has no steps (promote switches the active Service)'});
	const stepless = rollout('rollouts-demo', {canary: {}}, {});
	assert.deepEqual(argoGoToStep({...stepless, metadata: {...stepless.metadata, resourceVersion: '1'}}, 0), {message: 'rollout/rollouts-demo has no steps to go to'});
	for (const index of [-1, 9, 1.5]) assert.deepEqual(argoGoToStep(atPause(1), index), {message: `rollout/rollouts-demo has no step ${index + 1}`});
	assert.deepEqual(argoGoToStep(canary({abort: true}), 2), {message: 'rollout/rollouts-demo is aborted: retry it or undo to a revision first'});
	assert.deepEqual(argoGoToStep(canary({currentPodHash: 'old'}), 2), {message: 'rollout/rollouts-demo is fully promoted: there is no update to move through'});
	assert.equal('plan' in argoGoToStep(canary({currentPodHash: undefined, stableRS: undefined, currentStepIndex: 0}), 2), true, 'no hashes yet is not promoted');
	assert.equal(planOf(argoGoToStep(canary({currentStepIndex: undefined}), 2)).changes[0], 'step 1/8 (setWeight 20) → step 3/8 (setWeight 40): set weight 20% → 40%');
});

test('argoSetWeight: the nearest setWeight step, the note saying so', () => {
	assert.deepEqual(planOf(argoSetWeight(atPause(1), 65)).changes, ['step 2/8 (pause) → step 5/8 (setWeight 60): set weight 20% → 60%', 'Argo Rollouts has no weight API: go to step 5, setWeight 60% (nearest to 65%)']);
	assert.deepEqual(argoSetWeight(blueGreen({}), 50), {message: 'Argo Rollouts has no weight API: this Rollout has no setWeight step to go to'});
});
