// The Flagger builders as whole plans: skipAnalysis, suspend and resume on the Canary, undo as a revert of the
// target Deployment, for each phase; every refusal word for word. The Canary is Flagger's podinfo example.
import assert from 'node:assert/strict';
import {test} from 'node:test';
import {canaryPath, deploymentPath, flaggerPromote, flaggerRestoreAnalysis, flaggerResume, flaggerSuspend, flaggerUndo} from '../../source/actions/flagger.js';
import type {KObject} from '../../source/kube/object.js';
import {podinfoCanary, podinfoDeployments} from '../release/argo-fixtures.js';
import {planOf} from './helpers.js';

const analysis = {interval: '1m', threshold: 5, maxWeight: 50, stepWeight: 10, metrics: []};
const PATH = '/apis/flagger.app/v1beta1/namespaces/shop/canaries/podinfo';
const regarding = {apiVersion: 'flagger.app/v1beta1', kind: 'Canary', name: 'podinfo', namespace: 'shop', uid: 'uid-canary-podinfo'};
const rv = (o: KObject, value = '99'): KObject => ({...o, metadata: {...o.metadata, resourceVersion: value}});
const canary = (status: Record<string, unknown>, spec: Record<string, unknown> = {}) => rv(podinfoCanary(analysis, status, spec));

const specStep = (patch: object, summary: string) => ({
	method: 'PATCH',
	path: PATH,
	contentType: 'application/merge-patch+json',
	body: {metadata: {resourceVersion: '99'}, ...patch},
	patch,
	precondition: {kind: 'resourceVersion', resourceVersion: '99'},
	object: 'Canary/podinfo',
	summary,
});

test('paths: escaped, in the objects\' API groups', () => {
	assert.equal(canaryPath('my ns', 'a/b'), '/apis/flagger.app/v1beta1/namespaces/my%20ns/canaries/a%2Fb');
	assert.equal(deploymentPath('my ns', 'a/b'), '/apis/apps/v1/namespaces/my%20ns/deployments/a%2Fb');
});

test('promote: skipAnalysis true on a running canary, dangerous, the flag staying set said', () => {
	assert.deepEqual(flaggerPromote(canary({phase: 'Progressing', canaryWeight: 20})), {
		plan: {
			action: 'skip-analysis',
			title: 'promote canary/podinfo (skipAnalysis)',
			changes: [
				'spec.skipAnalysis false → true: Flagger stops the analysis (weight 20%) and promotes podinfo',
				'skipAnalysis stays true: later revisions skip analysis too until it is set back to false',
			],
			steps: [specStep({spec: {skipAnalysis: true}}, 'skip analysis (spec)')],
			regarding,
			dangerous: true,
		},
	});
	for (const phase of ['Waiting', 'WaitingPromotion', 'Promoting', 'Finalising']) assert.equal('plan' in flaggerPromote(canary({phase})), true, phase);
	const noWeight = planOf(flaggerPromote(canary({phase: 'Progressing'})));
	assert.equal(noWeight.changes[0], 'spec.skipAnalysis false → true: Flagger stops the analysis (weight 0%) and promotes podinfo');
	const noTarget = planOf(flaggerPromote(rv({...canary({phase: 'Progressing'}), spec: {analysis}})));
	assert.equal(noTarget.changes[0], 'spec.skipAnalysis false → true: Flagger stops the analysis (weight 0%) and promotes the target');
	for (const phase of ['Succeeded', 'Failed', 'Initialized', 'Initializing']) {
		assert.deepEqual(flaggerPromote(canary({phase})), {message: `canary/podinfo is ${phase}: there is no canary run to promote`});
	}
	assert.deepEqual(flaggerPromote(rv({...canary({}), status: undefined})), {message: 'canary/podinfo is Initializing: there is no canary run to promote'});
	assert.deepEqual(flaggerPromote(canary({phase: 'Progressing'}, {skipAnalysis: true})), {message: 'canary/podinfo already skips analysis (promotion is under way or next)'});
});

test('restore analysis, suspend, resume: spec flags, with their refusals', () => {
	assert.deepEqual(flaggerRestoreAnalysis(canary({phase: 'Succeeded'}, {skipAnalysis: true})), {
		plan: {
			action: 'restore-analysis',
			title: 'analyse canary/podinfo again',
			changes: ['spec.skipAnalysis true → false: the next revision runs the analysis'],
			steps: [specStep({spec: {skipAnalysis: false}}, 'restore analysis (spec)')],
			regarding,
			dangerous: false,
		},
	});
	assert.deepEqual(flaggerRestoreAnalysis(canary({phase: 'Succeeded'})), {message: 'canary/podinfo does not skip analysis'});
	assert.deepEqual(flaggerSuspend(canary({phase: 'Progressing', canaryWeight: 30})), {
		plan: {
			action: 'suspend',
			title: 'suspend canary/podinfo',
			changes: ['spec.suspend false → true: Flagger stops reconciling (phase Progressing, weight 30% held)'],
			steps: [specStep({spec: {suspend: true}}, 'suspend (spec)')],
			regarding,
			dangerous: false,
		},
	});
	assert.deepEqual(planOf(flaggerSuspend(rv({...canary({}), status: undefined}))).changes, ['spec.suspend false → true: Flagger stops reconciling (phase Initializing, weight 0% held)']);
	assert.deepEqual(flaggerSuspend(canary({phase: 'Progressing'}, {suspend: true})), {message: 'canary/podinfo is already suspended'});
	assert.deepEqual(flaggerResume(canary({phase: 'Progressing'}, {suspend: true})), {
		plan: {action: 'resume', title: 'resume canary/podinfo', changes: ['spec.suspend true → false: the analysis carries on'], steps: [specStep({spec: {suspend: false}}, 'resume (spec)')], regarding, dangerous: false},
	});
	assert.deepEqual(flaggerResume(canary({phase: 'Progressing'})), {message: 'canary/podinfo is not suspended'});
	// A Canary without namespace, apiVersion or uid: default, the kind's version, no uid.
	const bare = {kind: 'Canary', metadata: {name: 'podinfo', resourceVersion: '5'}, spec: {suspend: true}, status: {}};
	const plan = planOf(flaggerResume(bare));
	assert.deepEqual([plan.steps[0]!.path, plan.regarding], ['/apis/flagger.app/v1beta1/namespaces/default/canaries/podinfo', {apiVersion: 'flagger.app/v1beta1', kind: 'Canary', name: 'podinfo', namespace: 'default'}]);
});

test('undo to the primary: the target takes the primary template, its renamed selector label put back', () => {
	const [target, primary] = podinfoDeployments('podinfo:6.0.2', 'podinfo:6.0.1', 2) as [KObject, KObject];
	const template = {metadata: {labels: {app: 'podinfo'}}, spec: {containers: [{name: 'app', image: 'podinfo:6.0.1'}]}};
	assert.deepEqual(flaggerUndo(canary({phase: 'Progressing'}), rv(target, '7'), primary), {
		plan: {
			action: 'undo',
			title: 'undo canary/podinfo: deploy/podinfo back to the last promoted version (deploy/podinfo-primary)',
			changes: ['deploy/podinfo spec.template → the last promoted version (deploy/podinfo-primary): podinfo:6.0.1', 'Flagger sees a new revision and runs the analysis on it'],
			steps: [
				{
					method: 'PATCH',
					path: '/apis/apps/v1/namespaces/shop/deployments/podinfo',
					contentType: 'application/json-patch+json',
					body: [{op: 'test', path: '/metadata/resourceVersion', value: '7'}, {op: 'replace', path: '/spec/template', value: template}],
					patch: [{op: 'replace', path: '/spec/template', value: template}],
					precondition: {kind: 'test', path: '/metadata/resourceVersion', value: '7'},
					object: 'Deployment/podinfo',
					summary: 'revert deploy/podinfo',
				},
			],
			regarding,
			dangerous: true,
		},
	});
	assert.deepEqual(primary.spec.template.metadata.labels, {app: 'podinfo-primary'}, 'the primary is left as it was');
	assert.equal(planOf(flaggerUndo(canary({phase: 'Progressing'}, {skipAnalysis: true}), rv(target, '7'), primary)).changes[1], 'skipAnalysis is set: Flagger promotes it without analysis');
	// The label renamed may be name or app.kubernetes.io/name; with none of them, the labels stay.
	for (const label of ['name', 'app.kubernetes.io/name']) {
		const t = rv({...target, spec: {...target.spec, selector: {matchLabels: {[label]: 'podinfo'}}, template: {...target.spec.template, metadata: {labels: {[label]: 'podinfo'}}}}}, '7');
		const p = {...primary, spec: {...primary.spec, template: {...primary.spec.template, metadata: {labels: {[label]: 'podinfo-primary'}}}}};
		assert.deepEqual((planOf(flaggerUndo(canary({phase: 'Progressing'}), t, p)).steps[0]!.patch as any)[0].value.metadata.labels, {[label]: 'podinfo'}, label);
	}
	const unlabelled = rv({...target, spec: {...target.spec, selector: {matchLabels: {tier: 'web'}}}}, '7');
	assert.deepEqual((planOf(flaggerUndo(canary({phase: 'Progressing'}), unlabelled, primary)).steps[0]!.patch as any)[0].value.metadata.labels, {app: 'podinfo-primary'});
	const noLabel = rv({...target, spec: {...target.spec, template: {...target.spec.template, metadata: {}}}}, '7');
	assert.deepEqual((planOf(flaggerUndo(canary({phase: 'Progressing'}), noLabel, primary)).steps[0]!.patch as any)[0].value.metadata.labels, {app: 'podinfo-primary'}, 'the target\'s own value unknown: left as the primary has it');
	const bareTemplate = {...primary, spec: {...primary.spec, template: {spec: {containers: []}}}};
	assert.deepEqual(planOf(flaggerUndo(canary({phase: 'Progressing'}), rv(target, '7'), bareTemplate)).changes[0], 'deploy/podinfo spec.template → the last promoted version (deploy/podinfo-primary)', 'no images, none said');
});

test('undo to a revision of the target: its ReplicaSet template without pod-template-hash; refusals', () => {
	const [target, , rs] = podinfoDeployments('podinfo:6.0.2', 'podinfo:6.0.1', 2) as [KObject, KObject, KObject];
	const older = {...rs, metadata: {...rs.metadata, name: 'podinfo-abc', annotations: {'deployment.kubernetes.io/revision': '2'}}, spec: {...rs.spec, template: {metadata: {labels: {app: 'podinfo', 'pod-template-hash': 'abc'}}, spec: {containers: [{name: 'app', image: 'podinfo:5.9.0'}, {name: 'side', image: 'envoy:1'}]}}}};
	const plan = planOf(flaggerUndo(canary({phase: 'Progressing'}), rv(target, '7'), older));
	assert.equal(plan.title, 'undo canary/podinfo: deploy/podinfo back to revision 2 (ReplicaSet podinfo-abc)');
	assert.deepEqual(plan.changes[0], 'deploy/podinfo spec.template → revision 2 (ReplicaSet podinfo-abc): podinfo:5.9.0, envoy:1');
	assert.deepEqual((plan.steps[0]!.patch as any)[0].value, {metadata: {labels: {app: 'podinfo'}}, spec: {containers: [{name: 'app', image: 'podinfo:5.9.0'}, {name: 'side', image: 'envoy:1'}]}});
	const unnumbered = {...older, metadata: {...older.metadata, annotations: {}}};
	assert.equal(planOf(flaggerUndo(canary({phase: 'Progressing'}), rv(target, '7'), unnumbered)).title, 'undo canary/podinfo: deploy/podinfo back to revision ? (ReplicaSet podinfo-abc)');
	assert.deepEqual(flaggerUndo(canary({phase: 'Progressing'}), rv(target, '7'), rs), {message: 'skipped: deploy/podinfo already runs revision 3 (ReplicaSet podinfo-7c9f5d)'});
	// The same template in another key order, with nulls, still the same.
	const reordered = {...rs, spec: {...rs.spec, template: {spec: {containers: [{image: 'podinfo:6.0.2', name: 'app'}], nodeSelector: null}, metadata: {labels: {'pod-template-hash': 'x', app: 'podinfo'}}}}};
	assert.deepEqual(flaggerUndo(canary({phase: 'Progressing'}), rv(target, '7'), reordered), {message: 'skipped: deploy/podinfo already runs revision 3 (ReplicaSet podinfo-7c9f5d)'});
	assert.deepEqual(flaggerUndo(canary({phase: 'Progressing'}), rv(rs, '7'), rs), {message: 'canary/podinfo targets podinfo, not deploy/podinfo-7c9f5d'});
	assert.deepEqual(flaggerUndo(rv({...canary({}), spec: {}}), rv(target, '7'), rs), {message: 'canary/podinfo targets nothing, not deploy/podinfo'});
});
