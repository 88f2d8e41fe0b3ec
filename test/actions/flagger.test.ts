// The Flagger action builders: skipAnalysis, suspend and resume on the Canary, undo as a revert of the
// target Deployment, each with a precondition. ./flagger-sim.test.ts sends them to the simulated cluster.
import assert from 'node:assert/strict';
import {describe, test} from 'node:test';
import {flaggerPromote, flaggerRestoreAnalysis, flaggerResume, flaggerSuspend, flaggerUndo} from '../../source/actions/flagger.js';
import type {KObject} from '../../source/kube/object.js';
import {podinfoCanary, podinfoDeployments} from '../release/argo-fixtures.js';
import {planOf, messageOf} from './helpers.js';

const canaryPath = '/apis/flagger.app/v1beta1/namespaces/shop/canaries/podinfo';

const rv = (o: KObject, value = '99'): KObject => ({...o, metadata: {...o.metadata, resourceVersion: value}});
const analysis = {interval: '1m', threshold: 5, maxWeight: 50, stepWeight: 10, metrics: []};
const progressing = rv(podinfoCanary(analysis, {phase: 'Progressing', canaryWeight: 20, failedChecks: 1}));

describe('Flagger builders', () => {
	test('promote: {"spec":{"skipAnalysis":true}} on the Canary, with the resourceVersion', () => {
		const plan = planOf(flaggerPromote(progressing));
		assert.deepEqual(plan.steps.map(s => [s.method, s.path, s.contentType, JSON.stringify(s.patch)]), [['PATCH', canaryPath, 'application/merge-patch+json', '{"spec":{"skipAnalysis":true}}']]);
		assert.deepEqual(plan.steps[0]!.body, {metadata: {resourceVersion: '99'}, spec: {skipAnalysis: true}});
		assert.match(plan.changes.join('\n'), /stays true/);
		assert.deepEqual(plan.regarding, {apiVersion: 'flagger.app/v1beta1', kind: 'Canary', name: 'podinfo', namespace: 'shop', uid: 'uid-canary-podinfo'});
		assert.match(messageOf(flaggerPromote(rv(podinfoCanary(analysis, {phase: 'Succeeded'})))), /no canary run to promote/);
		const skipping = rv(podinfoCanary(analysis, {phase: 'Progressing'}, {skipAnalysis: true}));
		assert.match(messageOf(flaggerPromote(skipping)), /already skips analysis/);
		assert.deepEqual(planOf(flaggerRestoreAnalysis(skipping)).steps[0]!.patch, {spec: {skipAnalysis: false}});
	});

	test('suspend and resume: {"spec":{"suspend":true|false}}', () => {
		assert.deepEqual(planOf(flaggerSuspend(progressing)).steps.map(s => JSON.stringify(s.patch)), ['{"spec":{"suspend":true}}']);
		assert.match(messageOf(flaggerResume(progressing)), /not suspended/);
		const suspended = rv(podinfoCanary(analysis, {phase: 'Progressing'}, {suspend: true}));
		assert.deepEqual(planOf(flaggerResume(suspended)).steps.map(s => JSON.stringify(s.patch)), ['{"spec":{"suspend":false}}']);
		assert.match(messageOf(flaggerSuspend(suspended)), /already suspended/);
	});

	test("undo: the target's template back to the primary's (its renamed label restored), after a resourceVersion test", () => {
		const [target, primary, rs] = podinfoDeployments('podinfo:6.0.2', 'podinfo:6.0.1', 2) as [KObject, KObject, KObject];
		const plan = planOf(flaggerUndo(progressing, rv(target, '7'), primary));
		const [step] = plan.steps;
		assert.equal(step!.path, '/apis/apps/v1/namespaces/shop/deployments/podinfo');
		assert.equal(step!.contentType, 'application/json-patch+json');
		const template = {metadata: {labels: {app: 'podinfo'}}, spec: {containers: [{name: 'app', image: 'podinfo:6.0.1'}]}};
		assert.deepEqual(step!.body, [{op: 'test', path: '/metadata/resourceVersion', value: '7'}, {op: 'replace', path: '/spec/template', value: template}]);
		assert.match(plan.changes.join('\n'), /runs the analysis/);
		// Or to a revision of the target, from its ReplicaSet.
		const fromRs = planOf(flaggerUndo(progressing, rv(target, '7'), {...rs, spec: {...rs.spec, template: {metadata: {labels: {app: 'podinfo', 'pod-template-hash': 'abc'}}, spec: {containers: [{name: 'app', image: 'podinfo:5.9.0'}]}}}}));
		assert.deepEqual((fromRs.steps[0]!.patch as any)[0].value.metadata.labels, {app: 'podinfo'});
		assert.match(messageOf(flaggerUndo(progressing, rv(target, '7'), rs!)), /already runs revision 3/);
		assert.match(messageOf(flaggerUndo(progressing, rv(primary, '7'), primary)), /targets podinfo, not deploy\/podinfo-primary/);
	});
});
