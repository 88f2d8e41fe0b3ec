// Pause, resume, promote, abort and undo on Deployments, as whole plans: the patches (testing what was
// seen), the Events, what the watch must show, and every refusal; and what is said on a Deployment a
// controller owns or for a key only some kinds have.
import assert from 'node:assert/strict';
import {test} from 'node:test';
import {controllerMessage, onlyOnControllers, planDeploymentUndo} from '../../source/actions/plan.js';
import {planPauseResume, planRollingAbort, planRollingPromote} from '../../source/actions/rolling.js';
import type {ActionTarget} from '../../source/actions/target.js';
import type {Plan, Planned} from '../../source/actions/types.js';
import {planUndo, previousRevision, revisionEntries, type RevisionEntry} from '../../source/actions/undo.js';
import {actionTarget} from '../../source/kinds/registry.js';
import type {KObject} from '../../source/kube/object.js';
import type {ClusterSnapshot} from '../../source/release/snapshot.js';
import {canaryPair, deployment, pod, replicaSet, snapshot} from '../release/fixtures.js';

const data = ({verify, ...rest}: Plan) => ({...rest, verify: typeof verify});

function planOf(planned: Planned): Plan {
	assert.ok('plan' in planned, 'message' in planned ? planned.message : '');
	return planned.plan;
}

/** deploy/web at revision 3 (web:3), revisions 1 (web:1, one pod left) and 2 (web:2) behind it. */
function web(o: {paused?: boolean; annotations?: Record<string, string> | null} = {}) {
	const d = deployment('web', {image: 'web:3', revision: 3, paused: o.paused});
	if (o.annotations === null) delete d.metadata.annotations;
	else if (o.annotations) d.metadata.annotations = o.annotations;
	const rs1 = replicaSet(d, {hash: 'h1', revision: 1, image: 'web:1', replicas: 1});
	const rs2 = replicaSet(d, {hash: 'h2', revision: 2, image: 'web:2'});
	const rs3 = replicaSet(d, {hash: 'h3', revision: 3, image: 'web:3', replicas: 2, changeCause: 'v3'});
	d.spec.template.spec.containers[0] = {...rs3.spec.template.spec.containers[0]};
	const snap = snapshot([d, rs1, rs2, rs3, pod(rs1, 'p1'), pod(rs3, 'p3')]);
	const t = actionTarget(snap, 'deploy/web', 'bob');
	assert.ok(t);
	return {d, rs1, rs2, rs3, snap, t};
}

const withDeployment = (snap: ClusterSnapshot, edit: (d: KObject) => void): ClusterSnapshot => {
	const copy = structuredClone(snap);
	edit(copy.deployments[0]!);
	return copy;
};

test('pause: a JSON Patch testing the template, then paused true; done when the watch shows it paused', () => {
	const {d, snap, t} = web();
	const plan = planOf(planPauseResume(t, d));
	assert.deepEqual(data(plan), {
		title: 'pause deploy/web',
		changes: ['deploy/web: paused false → true, at revision 3 (web:3)'],
		steps: [
			{
				method: 'PATCH',
				path: '/apis/apps/v1/namespaces/shop/deployments/web',
				contentType: 'application/json-patch+json',
				body: [
					{op: 'test', path: '/spec/template', value: d.spec.template},
					{op: 'add', path: '/spec/paused', value: true},
				],
				object: 'Deployment/web',
				summary: 'pause deploy/web',
			},
		],
		event: {reason: 'RollscopePause', regarding: {apiVersion: 'apps/v1', kind: 'Deployment', name: 'web', namespace: 'shop', uid: 'uid-deploy-web'}, message: 'bob paused deploy/web at revision 3 (web:3): paused false -> true'},
		verify: 'function',
		done: 'deploy/web is paused',
	});
	assert.equal(plan.verify!(snap), false);
	assert.equal(plan.verify!(withDeployment(snap, x => (x.spec.paused = true))), true);
	assert.equal(plan.verify!(withDeployment(snap, x => (x.metadata.name = 'other'))), false, 'the Deployment gone');
	// paused: false written out is tested too.
	const explicit = web();
	explicit.d.spec.paused = false;
	assert.deepEqual((planOf(planPauseResume(explicit.t, explicit.d)).steps[0]!.body as unknown[]).slice(1), [
		{op: 'test', path: '/spec/paused', value: false},
		{op: 'add', path: '/spec/paused', value: true},
	]);
	assert.deepEqual(planPauseResume(t, d, 'resume'), {message: 'deploy/web is not paused'});
});

test('resume: testing the template and paused, then removing paused; done when the watch shows it not paused', () => {
	const {d, snap, t} = web({paused: true});
	const plan = planOf(planPauseResume(t, d));
	assert.deepEqual(data(plan), {
		title: 'resume deploy/web',
		changes: ['deploy/web: paused true → false, at revision 3 (web:3)'],
		steps: [
			{
				method: 'PATCH',
				path: '/apis/apps/v1/namespaces/shop/deployments/web',
				contentType: 'application/json-patch+json',
				body: [
					{op: 'test', path: '/spec/template', value: d.spec.template},
					{op: 'test', path: '/spec/paused', value: true},
					{op: 'remove', path: '/spec/paused'},
				],
				object: 'Deployment/web',
				summary: 'resume deploy/web',
			},
		],
		event: {reason: 'RollscopeResume', regarding: {apiVersion: 'apps/v1', kind: 'Deployment', name: 'web', namespace: 'shop', uid: 'uid-deploy-web'}, message: 'bob resumed deploy/web at revision 3 (web:3): paused true -> false'},
		verify: 'function',
		done: 'deploy/web is resumed',
	});
	assert.equal(plan.verify!(snap), false);
	assert.equal(plan.verify!(withDeployment(snap, x => delete x.spec.paused)), true);
	assert.deepEqual(planPauseResume(t, d, 'pause'), {message: 'deploy/web is already paused'});
	const unknown = web({annotations: null});
	assert.equal(planOf(planPauseResume(unknown.t, unknown.d)).changes[0], 'deploy/web: paused false → true, at revision ? (web:3)');
});

test('promote resumes a paused rolling Deployment; abort undoes to the previous revision, resuming it', () => {
	const paused = web({paused: true});
	assert.equal(planOf(planRollingPromote(paused.t, paused.d)).title, 'resume deploy/web');
	const running = web();
	assert.deepEqual(planRollingPromote(running.t, running.d), {message: 'deploy/web is not paused: a rolling Deployment promotes itself (space pauses it)'});
	const abort = planOf(planRollingAbort(running.t, running.d));
	assert.equal(abort.title, 'abort: undo deploy/web to revision 2');
	assert.equal(abort.event?.reason, 'RollscopeAbort');
	const pausedAbort = planOf(planRollingAbort(paused.t, paused.d));
	assert.deepEqual(pausedAbort.changes.at(-1), 'and the rollout is resumed');
	assert.deepEqual((pausedAbort.steps[0]!.body as unknown[]).slice(-2), [
		{op: 'test', path: '/spec/paused', value: true},
		{op: 'remove', path: '/spec/paused'},
	]);
});

test('undo: the whole plan, kubectl\'s content, and its lines', () => {
	const {d, rs1, t} = web();
	const plan = planOf(planUndo(t, d, 1));
	const template = {metadata: {labels: {app: 'web'}}, spec: {containers: [{name: 'app', image: 'web:1'}]}};
	assert.deepEqual(data(plan), {
		title: 'undo deploy/web to revision 1',
		changes: [
			'image app: web:3 → web:1',
			'annotations from revision 1',
			'revision 1 comes back as a new revision number (as with kubectl rollout undo)',
			'ReplicaSet web-h1 still has 1 pod(s): it is scaled back up',
		],
		steps: [
			{
				method: 'PATCH',
				path: '/apis/apps/v1/namespaces/shop/deployments/web',
				contentType: 'application/json-patch+json',
				body: [
					{op: 'test', path: '/spec/template', value: d.spec.template},
					{op: 'test', path: '/metadata/annotations', value: d.metadata.annotations},
					{op: 'replace', path: '/spec/template', value: template},
					{op: 'replace', path: '/metadata/annotations', value: {'deployment.kubernetes.io/revision': '3'}},
				],
				object: 'Deployment/web',
				summary: 'deploy/web: template and annotations of revision 1',
			},
		],
		event: {reason: 'RollscopeUndo', regarding: {apiVersion: 'apps/v1', kind: 'Deployment', name: 'web', namespace: 'shop', uid: 'uid-deploy-web'}, message: 'bob rolled deploy/web back to revision 1: revision 3 -> 1, image web:3 -> web:1'},
		verify: 'function',
		done: 'deploy/web is back at the template of revision 1 (web:1)',
	});
	assert.equal(rs1.spec.template.metadata.labels['pod-template-hash'], 'h1', 'the ReplicaSet is left as it was');
	// A revision with a change-cause and no pods; a template differing only in metadata.
	const two = planOf(planUndo(t, d, 2));
	assert.deepEqual(two.changes, ['image app: web:3 → web:2', 'annotations from revision 2', 'revision 2 comes back as a new revision number (as with kubectl rollout undo)']);
	// The same variables in another order: no line for them, but the template is not the same.
	const reordered = web();
	const env = [{name: 'A', value: '1'}, {name: 'B', value: '2'}];
	reordered.d.spec.template.spec.containers[0].env = env;
	reordered.rs2.spec.template = structuredClone(reordered.d.spec.template);
	reordered.rs2.spec.template.metadata.labels = {app: 'web', 'pod-template-hash': 'h2'};
	reordered.rs2.spec.template.spec.containers[0].env = [...env].reverse();
	reordered.rs2.metadata.annotations!['kubernetes.io/change-cause'] = 'v2 \x1b[31mred';
	const metaOnly = planOf(planUndo(reordered.t, reordered.d, 2));
	assert.deepEqual(metaOnly.changes.slice(0, 2), ['pod template (metadata only)', 'annotations from revision 2 (change-cause: v2 red)']);
	// A Deployment without annotations: they are added, not tested.
	const bare = web({annotations: null});
	const added = planOf(planUndo(bare.t, bare.d, 1));
	assert.deepEqual((added.steps[0]!.body as Array<{op: string; path: string}>).map(o => `${o.op} ${o.path}`), ['test /spec/template', 'replace /spec/template', 'add /metadata/annotations']);
	assert.equal(added.event?.message, 'bob rolled deploy/web back to revision 1: revision ? -> 1, image web:3 -> web:1');
});

test('undo options: left paused, resumed, keys dropped, the abort reason', () => {
	const {d, t} = web({paused: true});
	assert.deepEqual(planUndo(t, d, 1), {message: 'deploy/web is paused: like kubectl, rollscope does not undo a paused Deployment; resume it first (space)'});
	const stays = planOf(planUndo(t, d, 1, {allowPaused: true}));
	assert.equal(stays.changes.at(-1), 'deploy/web stays paused');
	assert.deepEqual((stays.steps[0]!.body as Array<{op: string; path: string}>).map(o => `${o.op} ${o.path}`), ['test /spec/template', 'test /metadata/annotations', 'replace /spec/template', 'replace /metadata/annotations']);
	const resumed = planOf(planUndo(t, d, 1, {resume: true, reason: 'RollscopeAbort'}));
	assert.equal(resumed.title, 'abort: undo deploy/web to revision 1');
	assert.equal(resumed.event?.reason, 'RollscopeAbort');
	const running = web();
	running.rs1.metadata.annotations = {...running.rs1.metadata.annotations, team: 'shop', 'rollscope.dev/promotion': '{}', 'rollscope.dev/auto-advance': '{}'};
	const dropped = planOf(planUndo(running.t, running.d, 1, {drop: ['rollscope.dev/auto-advance']}));
	assert.deepEqual((dropped.steps[0]!.body as Array<{op: string; path: string; value: unknown}>).at(-1)!.value, {'deployment.kubernetes.io/revision': '3', team: 'shop'});
});

test('revisions: newest first, only those with a revision; --to-revision=0 is the second-highest distinct one', () => {
	const {d, t, rs3} = web();
	const entries = revisionEntries(t, d);
	assert.deepEqual(entries.map(e => [e.revision, e.pods, e.current]), [[3, 1, true], [2, 0, false], [1, 1, false]]);
	assert.deepEqual(entries[0]!.diff, []);
	const unnumbered = {...rs3, metadata: {...rs3.metadata, name: 'web-hx', uid: 'uid-x', annotations: {}}};
	const snap = snapshot([d, rs3, unnumbered]);
	assert.deepEqual(revisionEntries(actionTarget(snap, 'deploy/web', 'bob')!, d).map(e => e.revision), [3]);
	const entry = (revision: number) => ({revision}) as RevisionEntry;
	assert.equal(previousRevision([entry(3), entry(3), entry(1), entry(2)]), 2);
	assert.equal(previousRevision([entry(1), entry(5), entry(4)]), 4);
	assert.equal(previousRevision([entry(2)]), undefined);
	assert.equal(previousRevision([]), undefined);
});

test('on Deployments a controller owns, what to use instead; keys only some kinds have', () => {
	const plain = web();
	assert.equal(controllerMessage(plain.t), undefined);
	const argo = web();
	argo.d.metadata.ownerReferences = [{apiVersion: 'argoproj.io/v1alpha1', kind: 'Rollout', name: 'web', uid: 'u'}];
	assert.equal(controllerMessage(argo.t), "deploy/web is managed by argo-rollouts: rollscope does not patch it behind the controller's back; use kubectl argo rollouts");
	const flagger = web();
	flagger.d.metadata.labels = {'app.kubernetes.io/managed-by': 'flagger'};
	assert.equal(controllerMessage(flagger.t), "deploy/web is managed by flagger: rollscope does not patch it behind the controller's back; use Flagger's Canary resource");
	const t: ActionTarget = plain.t;
	assert.deepEqual(onlyOnControllers(t, 'a rolling Deployment', {name: 'stepWeight', delta: 1}), {message: 'only an Argo Rollout has setWeight steps to move between'});
	assert.deepEqual(onlyOnControllers(t, 'a rolling Deployment', {name: 'promoteFull'}), {message: 'promote fully (P) is for an Argo Rollout: deploy/web is a rolling Deployment (p promotes it)'});
	assert.deepEqual(onlyOnControllers(t, 'a rolling Deployment', {name: 'restoreAnalysis'}), {message: 'restore analysis (r) is for a Flagger Canary: deploy/web is a rolling Deployment, it has no analysis to restore'});
	assert.equal(onlyOnControllers(t, 'a rolling Deployment', {name: 'promote'}), undefined);
});

test('undo on a release of Deployments: the focused row\'s Deployment, else the new side', () => {
	const {objects} = canaryPair();
	const t = actionTarget(snapshot(objects), 'deploy/checkout', 'bob')!;
	assert.equal(planOf(planDeploymentUndo(t, {name: 'undo', deployment: 'checkout', revision: 6})).title, 'undo deploy/checkout to revision 6');
	assert.deepEqual(planDeploymentUndo(t, {name: 'undo', revision: 6}), {message: 'deploy/checkout-canary has no revision 6'}, 'nothing focused: the canary');
	assert.deepEqual(planDeploymentUndo(t, {name: 'undo', deployment: 'elsewhere', revision: 6}), {message: 'deploy/checkout-canary has no revision 6'}, 'not a member: the canary');
});
