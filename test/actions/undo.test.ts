import assert from 'node:assert/strict';
import {test} from 'node:test';
import {actionTarget} from '../../source/kinds/registry.js';
import type {Plan} from '../../source/actions/types.js';
import {KEPT_ANNOTATIONS, planUndo, previousRevision, revisionEntries, rollbackContent} from '../../source/actions/undo.js';
import {planPauseResume, planRollingAbort, planRollingPromote} from '../../source/actions/rolling.js';
import type {KObject} from '../../source/kube/object.js';
import {deployment, pod, replicaSet, snapshot} from '../release/fixtures.js';

/** deploy/web at revision 3 (web:3); revision 1 still has pods (a stuck rollout went back and forth). */
function web(o: {paused?: boolean} = {}) {
	const d = deployment('web', {image: 'web:3', revision: 3, replicas: 2, paused: o.paused});
	d.metadata.annotations = {
		...d.metadata.annotations,
		'kubernetes.io/change-cause': 'v3',
		'kubectl.kubernetes.io/last-applied-configuration': '{"kind":"Deployment"}',
		'deployment.kubernetes.io/revision-history': '0',
		'team': 'shop',
	};
	const rs1 = replicaSet(d, {hash: 'h1', revision: 1, image: 'web:1', replicas: 1, changeCause: 'v1'});
	rs1.metadata.annotations = {...rs1.metadata.annotations, 'deployment.kubernetes.io/desired-replicas': '2', 'deployment.kubernetes.io/max-replicas': '3', 'rollscope.dev/promotion': '{"old":true}'};
	rs1.spec.template.spec.containers[0].env = [{name: 'MODE', value: 'old'}];
	const rs2 = replicaSet(d, {hash: 'h2', revision: 2, image: 'web:2', changeCause: 'v2'});
	const rs3 = replicaSet(d, {hash: 'h3', revision: 3, image: 'web:3', replicas: 2, changeCause: 'v3'});
	rs3.spec.template.spec.containers[0].image = 'web:3';
	d.spec.template.spec.containers[0] = {...rs3.spec.template.spec.containers[0]};
	const objects: KObject[] = [d, rs1, rs2, rs3, pod(rs1, 'p1'), pod(rs3, 'p3'), pod(rs3, 'p4')];
	return {d, rs1, rs2, rs3, t: actionTarget(snapshot(objects), 'deploy/web', 'bob')!};
}

function planOf(planned: ReturnType<typeof planUndo>): Plan {
	assert.ok('plan' in planned, 'message' in planned ? planned.message : '');
	return planned.plan;
}

test('revisions newest first, with their pods and what differs from the template now', () => {
	const {t, d} = web();
	const entries = revisionEntries(t, d);
	assert.deepEqual(entries.map(e => [e.revision, e.pods, e.current]), [[3, 2, true], [2, 0, false], [1, 1, false]]);
	assert.deepEqual(entries[2].diff, [
		{container: 'app', field: 'image', from: 'web:3', to: 'web:1'},
		{container: 'app', field: 'env', name: 'MODE', to: 'old'},
	]);
	assert.equal(previousRevision(entries), 2, 'like kubectl --to-revision=0: the second-highest');
});

test('the rollback content is kubectl\'s: the ReplicaSet template without pod-template-hash, its annotations but the kept ones', () => {
	const {d, rs1} = web();
	const {template, annotations} = rollbackContent(d, rs1);
	assert.deepEqual(template.metadata.labels, {app: 'web'});
	assert.equal(template.spec.containers[0].image, 'web:1');
	assert.deepEqual(annotations, {
		'kubectl.kubernetes.io/last-applied-configuration': '{"kind":"Deployment"}',
		'deployment.kubernetes.io/revision': '3',
		'deployment.kubernetes.io/revision-history': '0',
		'kubernetes.io/change-cause': 'v1',
		'rollscope.dev/promotion': '{"old":true}',
	}, 'desired/max-replicas of the ReplicaSet are skipped; the Deployment\'s own `team` annotation goes, as with kubectl');
	assert.ok(KEPT_ANNOTATIONS.includes('deployment.kubernetes.io/desired-replicas'));
});

test('undo to a revision whose ReplicaSet still has pods: one JSON Patch, testing what was seen first', () => {
	const {t, d} = web();
	const plan = planOf(planUndo(t, d, 1));
	assert.equal(plan.steps.length, 1);
	const [step] = plan.steps;
	assert.equal(step.path, '/apis/apps/v1/namespaces/shop/deployments/web');
	assert.equal(step.contentType, 'application/json-patch+json');
	const ops = step.body as Array<{op: string; path: string; value: any}>;
	assert.deepEqual(ops.map(o => `${o.op} ${o.path}`), ['test /spec/template', 'test /metadata/annotations', 'replace /spec/template', 'replace /metadata/annotations']);
	assert.deepEqual(ops[0].value, d.spec.template);
	assert.equal(ops[2].value.spec.containers[0].image, 'web:1');
	assert.equal(ops[3].value['rollscope.dev/promotion'], undefined, 'rollscope\'s own record does not come back');
	assert.ok(plan.changes.some(c => /still has 1 pod/.test(c)), plan.changes.join('\n'));
	assert.ok(plan.changes.includes('image app: web:3 → web:1'));
	assert.equal(plan.event?.reason, 'RollscopeUndo');
	assert.equal(plan.event?.message, 'bob rolled deploy/web back to revision 1: revision 3 -> 1, image web:3 -> web:1');
	assert.equal(plan.event?.regarding.kind, 'Deployment');
});

test('kubectl\'s refusals: paused, unknown revision, already at that template, no history', () => {
	const paused = web({paused: true});
	assert.match((planUndo(paused.t, paused.d, 1) as {message: string}).message, /is paused: like kubectl, rollscope does not undo a paused Deployment; resume it first/);
	const {t, d} = web();
	assert.deepEqual(planUndo(t, d, 9), {message: 'deploy/web has no revision 9'});
	assert.deepEqual(planUndo(t, d, 3), {message: 'skipped: the template of deploy/web already matches revision 3'});
	const lone = deployment('solo', {revision: 1});
	const only = actionTarget(snapshot([lone, replicaSet(lone, {hash: 's1', revision: 1, image: 'solo:1.0'})]), 'deploy/solo', 'bob')!;
	assert.deepEqual(planUndo(only, lone, 0), {message: 'deploy/solo has no rollout history to go back to'});
});

test('rolling: space pauses and resumes (testing the template), p resumes, a undoes to the previous revision', () => {
	const {t} = web();
	const pause = (planPauseResume(t, t.release.members[0].deployment) as {plan: Plan}).plan;
	assert.deepEqual((pause.steps[0].body as Array<{op: string; path: string}>).map(o => `${o.op} ${o.path}`), ['test /spec/template', 'add /spec/paused']);
	assert.equal(pause.event?.reason, 'RollscopePause');
	assert.match(pause.event!.message, /^bob paused deploy\/web at revision 3 \(web:3\): paused false -> true$/);
	assert.match((planRollingPromote(t, t.release.members[0].deployment) as {message: string}).message, /not paused/);
	const p = web({paused: true});
	const resume = (planPauseResume(p.t, p.t.release.members[0].deployment) as {plan: Plan}).plan;
	assert.deepEqual((resume.steps[0].body as Array<{op: string; path: string}>).map(o => `${o.op} ${o.path}`), ['test /spec/template', 'test /spec/paused', 'remove /spec/paused']);
	assert.equal(resume.event?.reason, 'RollscopeResume');
	assert.equal((planRollingPromote(p.t, p.t.release.members[0].deployment) as {plan: Plan}).plan.title, 'resume deploy/web');
	const abort = (planRollingAbort(t, t.release.members[0].deployment) as {plan: Plan}).plan;
	assert.equal(abort.title, 'abort: undo deploy/web to revision 2');
	assert.equal(abort.event?.reason, 'RollscopeAbort');
	const pausedAbort = (planRollingAbort(p.t, p.t.release.members[0].deployment) as {plan: Plan}).plan;
	assert.deepEqual((pausedAbort.steps[0].body as Array<{op: string; path: string}>).slice(-2).map(o => `${o.op} ${o.path}`), ['test /spec/paused', 'remove /spec/paused'], 'abort of a paused rollout resumes it in the same patch');
});

test('undo is done once the watch shows the Deployment at the template of the revision, not before', () => {
	const {t, d, rs1, rs3} = web();
	const plan = planOf(planUndo(t, d, 1));
	assert.equal(plan.done, 'deploy/web is back at the template of revision 1 (web:1)');
	const verify = plan.verify!;
	const withTemplate = (template: unknown, name = 'web') => {
		const now = deployment(name, {image: 'web:3', revision: 4});
		now.spec.template = structuredClone(template);
		return snapshot([now, rs1, rs3]);
	};
	assert.equal(verify(snapshot([d, rs1, rs3])), false, 'as it was');
	const back = structuredClone(rs1.spec.template);
	delete back.metadata.labels['pod-template-hash'];
	assert.equal(verify(withTemplate(back)), true, 'the template of revision 1');
	assert.equal(verify(withTemplate(rs1.spec.template)), true, 'the hash label does not count');
	assert.equal(verify(withTemplate(rs3.spec.template)), false, 'revision 3 again');
	assert.equal(verify(withTemplate(back, 'other')), false, 'deploy/web is gone');
});
