// The Flagger action builders: skipAnalysis, suspend and resume on the Canary, undo as a revert of the
// target Deployment, each with a precondition; and sent to the simulated cluster.
import assert from 'node:assert/strict';
import {after, before, describe, test} from 'node:test';
import type {ControllerPlan, ControllerPlanned} from '../../source/actions/argo.js';
import {flaggerPromote, flaggerRestoreAnalysis, flaggerResume, flaggerSuspend, flaggerUndo} from '../../source/actions/flagger.js';
import {KubeClient} from '../../source/kube/client.js';
import type {KObject} from '../../source/kube/object.js';
import {startTestSim, waitFor, type TestSim} from '../helpers/sim.js';
import {podinfoCanary, podinfoDeployments} from '../release/argo-fixtures.js';
import {confirmKey, openActions, rollscopeEvents, sendFresh} from './helpers.js';

const canaryPath = '/apis/flagger.app/v1beta1/namespaces/shop/canaries/podinfo';

function planOf(planned: ControllerPlanned): ControllerPlan {
	if ('message' in planned) throw new Error(`no plan: ${planned.message}`);
	return planned.plan;
}

function messageOf(planned: ControllerPlanned): string {
	if ('plan' in planned) throw new Error(`a plan: ${planned.plan.title}`);
	return planned.message;
}

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

describe('against the simulated cluster', () => {
	let t: TestSim;
	let client: KubeClient;
	before(async () => {
		t = await startTestSim({scenario: 'flagger', speed: 20});
		client = KubeClient.fromString(t.sim.kubeconfig('flagger'), 'flagger');
	});
	after(async () => {
		await t.stop();
	});
	const path = '/apis/flagger.app/v1beta1/namespaces/flagger/canaries/podinfo';
	const deployPath = '/apis/apps/v1/namespaces/flagger/deployments/podinfo';
	const get = () => client.request('GET', path);
	const send = (build: (canary: KObject) => ControllerPlanned) => sendFresh(client, get, build);

	test('suspend holds the weight; promote (skipAnalysis) finishes the run; undo starts a new one', async () => {
		await waitFor('Initialized', async () => (await get()).status?.phase === 'Initialized');
		await client.request('PATCH', deployPath, {contentType: 'application/json-patch+json', body: [{op: 'replace', path: '/spec/template/spec/containers/0/image', value: 'registry.local/podinfo:6.6.0'}]});
		await waitFor('weight 10', async () => (await get()).status?.canaryWeight === 10, 30_000);
		await send(flaggerSuspend);
		const held = (await get()).status.canaryWeight;
		await new Promise(r => setTimeout(r, t.sim.clock.toMs(35)));
		assert.equal((await get()).status.canaryWeight, held);
		await send(flaggerResume);
		await send(flaggerPromote);
		await waitFor('Succeeded', async () => (await get()).status?.phase === 'Succeeded', 30_000);
		await send(flaggerRestoreAnalysis);
		const target = await client.request('GET', deployPath);
		const replicaSets = (await client.list('/apis/apps/v1/namespaces/flagger/replicasets')).items.filter((rs: KObject) => rs.metadata.ownerReferences?.[0]?.name === 'podinfo');
		const first = replicaSets.find((rs: KObject) => rs.metadata.annotations?.['deployment.kubernetes.io/revision'] === '1');
		assert.ok(first);
		await send(canary => flaggerUndo(canary, target, first));
		await waitFor('a new run on the old image', async () => {
			const c = await get();
			const d = await client.request('GET', deployPath);
			return c.status?.phase === 'Progressing' && d.spec.template.spec.containers[0].image === 'registry.local/podinfo:6.5.0';
		}, 30_000);
	});

	test('through the view\'s actions: p promotes (skipAnalysis), then r restores the analysis; P says Flagger has none', async () => {
		await waitFor('the run before to end', async () => ['Succeeded', 'Failed'].includes((await get()).status?.phase), 30_000);
		await client.request('PATCH', deployPath, {contentType: 'application/json-patch+json', body: [{op: 'replace', path: '/spec/template/spec/containers/0/image', value: 'registry.local/podinfo:6.7.0'}]});
		await waitFor('a run on 6.7.0', async () => (await get()).status?.phase === 'Progressing', 30_000);
		const o = await openActions(t, 'flagger', 'canary/podinfo');
		try {
			assert.match(String(o.controller.handle({name: 'restoreAnalysis'})), /canary\/podinfo does not skip analysis/);
			assert.match(String(o.controller.handle({name: 'promoteFull'})), /^Flagger has no promote --full: p promotes canary\/podinfo/);
			await confirmKey(o, {name: 'promote'});
			await waitFor('Succeeded without analysis', async () => (await get()).status?.phase === 'Succeeded', 30_000);
			assert.equal((await get()).spec.skipAnalysis, true, 'skipAnalysis stays set after the promotion');
			const done = await confirmKey(o, {name: 'restoreAnalysis'}, c => {
				assert.equal(c.title, 'analyse canary/podinfo again');
				assert.deepEqual(c.lines, ['spec.skipAnalysis true → false: the next revision runs the analysis']);
			});
			assert.equal(done, 'analyse canary/podinfo again: written; Flagger carries on');
			assert.equal((await get()).spec.skipAnalysis, false);
			assert.match(String(o.controller.handle({name: 'restoreAnalysis'})), /does not skip analysis/);
		} finally {
			o.stop();
		}
		const events = (await rollscopeEvents(client, 'flagger')).map(e => [e.reason, `${e.involvedObject.kind}/${e.involvedObject.name}`, e.message]).sort();
		assert.deepEqual(events.map(e => e.slice(0, 2)), [['RollscopePromote', 'Canary/podinfo'], ['RollscopeResume', 'Canary/podinfo']]);
		assert.equal(events[1]![2], 'admin: analyse canary/podinfo again: spec.skipAnalysis true → false: the next revision runs the analysis');
		// The next revision runs the analysis again.
		await client.request('PATCH', deployPath, {contentType: 'application/json-patch+json', body: [{op: 'replace', path: '/spec/template/spec/containers/0/image', value: 'registry.local/podinfo:6.8.0'}]});
		await waitFor('an analysed run on 6.8.0', async () => {
			const c = await get();
			return c.status?.phase === 'Progressing' && (c.status.canaryWeight ?? 0) > 0;
		}, 30_000);
	});
});
