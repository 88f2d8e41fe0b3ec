// The Release of an OpenKruise Rollout, case by case: which ReplicaSet is stable and which the canary (by the
// status's stableRevision and podTemplateHash, the workload's stable-revision label, the canary Deployment), the
// traffic without a router object, the progress, the events, and what detection claims.
import assert from 'node:assert/strict';
import {describe, test} from 'node:test';
import type {KObject} from '../../source/kube/object.js';
import {buildKruiseRelease, canaryDeployments, detectKruiseRollouts} from '../../source/release/kruise.js';
import type {Release} from '../../source/release/model.js';
import {scanSnapshot} from '../../source/release/scan.js';
import type {ClusterSnapshot} from '../../source/release/snapshot.js';
import {progressiveSnapshot, rollout as argoRollout} from './argo-fixtures.js';
import {deployment, event, ingress, NAMESPACE, pod, replicaSet, service} from './fixtures.js';

/** A Kruise Rollout of Deployment/web: v1beta1 (partition unless `canaryStyle`), the canary status as given. */
function kruise(o: {status?: Record<string, unknown>; canary?: Record<string, unknown>; canaryStyle?: boolean; name?: string; workloadRef?: Record<string, unknown>} = {}): KObject {
	return {
		apiVersion: 'rollouts.kruise.io/v1beta1',
		kind: 'Rollout',
		metadata: {name: o.name ?? 'demo', namespace: NAMESPACE, uid: `uid-kruise-${o.name ?? 'demo'}`},
		spec: {
			workloadRef: o.workloadRef ?? {apiVersion: 'apps/v1', kind: 'Deployment', name: 'web'},
			strategy: {canary: {steps: [{traffic: '20%', replicas: 1, pause: {}}, {traffic: '100%', replicas: '100%'}], ...(o.canaryStyle ? {enableExtraWorkloadForCanary: true} : {}), ...o.canary}},
		},
		...(o.status ? {status: o.status} : {}),
	};
}

const progressing = (canaryStatus?: Record<string, unknown>) => ({phase: 'Progressing', ...(canaryStatus ? {canaryStatus: {currentStepIndex: 1, currentStepState: 'StepPaused', ...canaryStatus}} : {})});

/** Deployment/web at `revision`, marked in progress by Kruise (unless `released`), its stable-revision label when given. */
function web(revision: number, o: {stableLabel?: string; released?: boolean; replicas?: number; updated?: number} = {}): KObject {
	const d = deployment('web', {replicas: o.replicas ?? 4, revision, updated: o.updated});
	d.metadata.labels = {app: 'web', ...(o.stableLabel ? {'rollouts.kruise.io/stable-revision': o.stableLabel} : {})};
	if (!o.released) d.metadata.annotations = {...d.metadata.annotations, 'rollouts.kruise.io/in-progressing': '{"rolloutName":"demo"}'};
	return d;
}

/** A ReplicaSet of `owner` and its pods, each available. */
function rs(owner: KObject, hash: string, revision: number, replicas: number, pods: string[] = []): KObject[] {
	const set = replicaSet(owner, {hash, revision, replicas, available: pods.length, image: `web:${hash}`});
	return [set, ...pods.map(p => pod(set, p))];
}

function build(objects: KObject[], ro: KObject): Release {
	const snap = progressiveSnapshot([ro, ...objects]);
	return buildKruiseRelease(snap, scanSnapshot(snap), ro, 'rollout/demo');
}

const roles = (release: Release) => release.versions.map(v => [v.id, v.role]);

describe('the stable and canary ReplicaSets', () => {
	test('by stableRevision and podTemplateHash; the others that still run pods or want replicas are old; pods in version order', () => {
		const d = web(4);
		const objects = [d, ...rs(d, 'f5', 1, 2, ['b', 'a']), ...rs(d, 'a1', 3, 2, ['y', 'x']), ...rs(d, 'c9', 4, 1), ...rs(d, 'd0', 2, 0, ['y']), ...rs(d, 'e0', 0, 0)];
		const release = build(objects, kruise({status: progressing({stableRevision: 'f5', podTemplateHash: 'a1'})}));
		assert.deepEqual(roles(release), [['web-f5', 'stable'], ['web-a1', 'canary'], ['web-c9', 'old'], ['web-d0', 'old']]);
		assert.deepEqual(release.pods.map(p => [p.name, p.version, p.revision]), [['web-f5-a', 'web-f5', 1], ['web-f5-b', 'web-f5', 1], ['web-a1-x', 'web-a1', 3], ['web-a1-y', 'web-a1', 3], ['web-d0-y', 'web-d0', 2]]);
		// A ReplicaSet without a revision annotation gives its pods none.
		const unnumbered = objects.map(o => (o.metadata.name === 'web-d0' ? {...o, metadata: {...o.metadata, annotations: {}}} : o));
		const pods = build(unnumbered, kruise({status: progressing({stableRevision: 'f5', podTemplateHash: 'a1'})})).pods;
		assert.deepEqual(pods.map(p => 'revision' in p), [true, true, true, true, false]);
		assert.deepEqual(release.traffic, {router: 'replicas', weights: {'web-f5': 40, 'web-a1': 40, 'web-c9': 0, 'web-d0': 20}, managedBy: 'kruise-rollouts'});
	});

	test('before podTemplateHash is written, the workload\'s new ReplicaSet is the canary; none while the workload is not yet updated', () => {
		const d = web(2);
		// A ReplicaSet without a pod-template-hash (adopted, scaled down) is never taken for the canary.
		const [unhashed] = rs(d, 'zz', 1, 0);
		unhashed!.metadata.name = 'web-adopted';
		unhashed!.metadata.labels = undefined;
		assert.deepEqual(roles(build([d, unhashed!, ...rs(d, 'f5', 1, 3, ['a']), ...rs(d, 'a1', 2, 1, ['x'])], kruise({status: progressing({stableRevision: 'f5'})}))), [['web-f5', 'stable'], ['web-a1', 'canary']]);
		const still = web(1);
		assert.deepEqual(roles(build([still, ...rs(still, 'f5', 1, 3, ['a'])], kruise({status: progressing({stableRevision: 'f5'})}))), [['web-f5', 'stable']]);
	});

	test('a podTemplateHash equal to the stable revision (a rollback) makes no canary', () => {
		const d = web(1);
		assert.deepEqual(roles(build([d, ...rs(d, 'f5', 1, 3, ['a'])], kruise({status: progressing({stableRevision: 'f5', podTemplateHash: 'f5'})}))), [['web-f5', 'stable']]);
	});

	test('without stableRevision the workload\'s stable-revision label says; without either, no stable in the partition style', () => {
		const labelled = web(2, {stableLabel: 'f5'});
		assert.deepEqual(roles(build([labelled, ...rs(labelled, 'f5', 1, 3, ['a']), ...rs(labelled, 'a1', 2, 1, ['x'])], kruise({status: progressing()}))), [['web-f5', 'stable'], ['web-a1', 'canary']]);
		const bare = web(2);
		bare.metadata.labels = undefined;
		assert.deepEqual(roles(build([bare, ...rs(bare, 'f5', 1, 3, ['a']), ...rs(bare, 'a1', 2, 1, ['x'])], kruise({status: progressing({podTemplateHash: 'a1'})}))), [['web-a1', 'canary'], ['web-f5', 'old']]);
	});

	test('the canary style: the canary Deployment\'s ReplicaSet is the canary before podTemplateHash; the workload\'s current one is stable when no hash matches', () => {
		const d = web(1);
		const canary = deployment('web-x7k', {replicas: 1, revision: 1});
		canary.metadata.labels = {'rollouts.kruise.io/canary-deployment': 'web'};
		const other = deployment('other', {replicas: 1});
		const objects = [d, ...rs(d, 'f5', 1, 4, ['a']), canary, ...rs(canary, 'a1', 1, 1, ['x']), other];
		assert.deepEqual(roles(build(objects, kruise({canaryStyle: true, status: progressing({stableRevision: 'f5'})}))), [['web-f5', 'stable'], ['web-x7k-a1', 'canary']]);
		assert.deepEqual(roles(build(objects, kruise({canaryStyle: true, status: progressing({stableRevision: 'zz', podTemplateHash: 'a1'})}))), [['web-f5', 'stable'], ['web-x7k-a1', 'canary']]);
		const snap = progressiveSnapshot(objects);
		assert.deepEqual(canaryDeployments(scanSnapshot(snap), d).map(x => x.metadata.name), ['web-x7k']);
	});

	test('a workload updated again mid-release: the canary is still podTemplateHash\'s ReplicaSet, the newest one old', () => {
		const d = web(3);
		const release = build([d, ...rs(d, 'f5', 1, 3, ['a']), ...rs(d, 'a1', 2, 1, ['x']), ...rs(d, 'c9', 3, 1, ['z'])], kruise({status: progressing({stableRevision: 'f5', podTemplateHash: 'a1'})}));
		assert.deepEqual(roles(release), [['web-f5', 'stable'], ['web-a1', 'canary'], ['web-c9', 'old']]);
	});

	test('in progress without a canary status yet (phase Progressing): the label gives the stable one', () => {
		const d = web(2, {stableLabel: 'f5'});
		assert.deepEqual(roles(build([d, ...rs(d, 'f5', 1, 3, ['a']), ...rs(d, 'a1', 2, 1)], kruise({status: {phase: 'Progressing'}}))), [['web-f5', 'stable'], ['web-a1', 'canary']]);
	});

	test('not in progress: the current ReplicaSet is stable whatever stableRevision still says', () => {
		const d = web(2, {released: true});
		const release = build([d, ...rs(d, 'f5', 1, 0, ['old']), ...rs(d, 'a1', 2, 4, ['a'])], kruise({status: {phase: 'Healthy', canaryStatus: {stableRevision: 'f5', podTemplateHash: 'a1', currentStepIndex: 2, currentStepState: 'Completed'}}}));
		assert.deepEqual(roles(release), [['web-a1', 'stable'], ['web-f5', 'old']]);
	});

	test('a workload that is no Deployment: no versions, nothing of a Deployment of the same name', () => {
		const d = web(1);
		const release = build([d, ...rs(d, 'f5', 1, 3, ['a'])], kruise({workloadRef: {apiVersion: 'apps.kruise.io/v1alpha1', kind: 'CloneSet', name: 'web'}, status: progressing({stableRevision: 'f5'})}));
		assert.deepEqual(release.versions, []);
		assert.deepEqual(release.pods, []);
		assert.deepEqual(release.services, []);
		assert.deepEqual(release.progress && [release.progress.desired, release.progress.updated, release.progress.complete], [1, 0, false]);
		assert.deepEqual(build([], kruise({workloadRef: {}})).versions, []);
		const healthy = build([d], kruise({workloadRef: {kind: 'CloneSet', name: 'web'}, status: {phase: 'Healthy'}}));
		assert.deepEqual(healthy.progress && [healthy.progress.updated, healthy.progress.complete], [0, true]);
	});
});

describe('the traffic without a router object', () => {
	const routed = (status: Record<string, unknown>) => kruise({status, canary: {trafficRoutings: [{service: 'web', ingress: {name: 'web'}}]}});
	const pair = () => {
		const d = web(2);
		return [d, ...rs(d, 'f5', 1, 3, ['a', 'b', 'c']), ...rs(d, 'a1', 2, 1, ['x'])];
	};
	const status = progressing({stableRevision: 'f5', podTemplateHash: 'a1'});

	test('the stable Service pinned to the stable revision sends it everything', () => {
		const release = build([...pair(), service('web', {app: 'web', 'pod-template-hash': 'f5'})], routed(status));
		assert.deepEqual(release.traffic, {router: 'service-selector', object: 'Service/web', weights: {'web-f5': 100, 'web-a1': 0}, managedBy: 'kruise-rollouts'});
		assert.deepEqual(release.services, ['web']);
	});

	test('unpinned, pinned elsewhere, without a selector or without the Service: by the pods', () => {
		const byPods = {router: 'service-selector', object: 'Service/web', weights: {'web-f5': 75, 'web-a1': 25}, managedBy: 'kruise-rollouts'};
		assert.deepEqual(build([...pair(), service('web', {app: 'web'})], routed(status)).traffic, byPods);
		assert.deepEqual(build([...pair(), service('web', {app: 'web', 'pod-template-hash': 'a1'}), service('web-canary', {app: 'web', 'pod-template-hash': 'a1'})], routed(status)).traffic, byPods);
		assert.deepEqual(build([...pair(), {apiVersion: 'v1', kind: 'Service', metadata: {name: 'web', namespace: NAMESPACE}, spec: {}}], routed(status)).traffic, byPods);
		assert.deepEqual(build([...pair(), {apiVersion: 'v1', kind: 'Service', metadata: {name: 'web', namespace: NAMESPACE}}], routed(status)).traffic, byPods);
		assert.deepEqual(build(pair(), routed(status)).traffic, byPods);
	});

	test('the stable one alone takes everything, even with the canary Ingress still there', () => {
		const d = web(2);
		const canaryIngress = ingress('web-canary', 'web.example.com', 'web-canary', {'nginx.ingress.kubernetes.io/canary': 'true', 'nginx.ingress.kubernetes.io/canary-weight': '20'});
		const release = build([d, ...rs(d, 'd0', 1, 1, ['o']), ...rs(d, 'f5', 2, 3, ['a']), canaryIngress, service('web', {app: 'web'})], routed(progressing({stableRevision: 'f5'})));
		assert.deepEqual(roles(release), [['web-f5', 'stable'], ['web-d0', 'old']]);
		assert.deepEqual(release.traffic, {router: 'nginx', object: 'Ingress/web-canary', weights: {'web-f5': 100, 'web-d0': 0}, managedBy: 'kruise-rollouts'});
	});

	test('the canary Ingress is the one of that name Kruise made and nginx reads; another Ingress is not it', () => {
		const other = ingress('shop-canary', 'shop.example.com', 'shop-canary', {'nginx.ingress.kubernetes.io/canary': 'true', 'nginx.ingress.kubernetes.io/canary-weight': '90'});
		const plain = ingress('web-canary', 'web.example.com', 'web-canary');
		const release = build([...pair(), other, plain, service('web', {app: 'web', 'pod-template-hash': 'f5'})], routed(status));
		assert.deepEqual(release.traffic, {router: 'service-selector', object: 'Service/web', weights: {'web-f5': 100, 'web-a1': 0}, managedBy: 'kruise-rollouts'});
		const kruiseIngress = ingress('web-canary', 'web.example.com', 'web-canary', {'nginx.ingress.kubernetes.io/canary': 'true', 'nginx.ingress.kubernetes.io/canary-weight': '20'});
		const read = build([...pair(), other, ingress('web', 'web.example.com', 'web'), kruiseIngress, service('web', {app: 'web', 'pod-template-hash': 'f5'}), service('web-canary', {app: 'web', 'pod-template-hash': 'a1'})], routed(status));
		assert.deepEqual(read.traffic, {router: 'nginx', object: 'Ingress/web-canary', weights: {'web-f5': 80, 'web-a1': 20}, managedBy: 'kruise-rollouts'});
	});
});

describe('the progress and the events', () => {
	const d = () => web(2, {updated: 3});
	const objects = (w: KObject) => [w, ...rs(w, 'f5', 1, 3, ['a', 'b', 'c']), ...rs(w, 'a1', 2, 2, ['x'])];

	test('updated while releasing: canaryReplicas, else the canary\'s pods; paused at a StepPaused step or by spec.strategy.paused', () => {
		const withCount = build(objects(d()), kruise({status: progressing({stableRevision: 'f5', podTemplateHash: 'a1', canaryReplicas: 2})}));
		assert.deepEqual(withCount.progress && [withCount.progress.updated, withCount.progress.paused, withCount.progress.complete], [2, true, false]);
		const withoutCount = build(objects(d()), kruise({status: progressing({stableRevision: 'f5', podTemplateHash: 'a1', currentStepState: 'StepUpgrade'})}));
		assert.deepEqual(withoutCount.progress && [withoutCount.progress.updated, withoutCount.progress.paused], [1, false]);
		const pausedRo = kruise({status: progressing({stableRevision: 'f5', podTemplateHash: 'a1', currentStepState: 'StepUpgrade'})});
		pausedRo.spec.strategy.paused = true;
		assert.equal(build(objects(d()), pausedRo).progress?.paused, true);
	});

	test('not releasing: the Deployment\'s updatedReplicas; complete only when Healthy', () => {
		const released = web(2, {updated: 3, released: true});
		const healthy = build(objects(released), kruise({status: {phase: 'Healthy'}}));
		assert.deepEqual(healthy.progress && [healthy.progress.desired, healthy.progress.updated, healthy.progress.complete], [4, 3, true]);
		const disabled = build(objects(released), kruise({status: {phase: 'Disabled'}}));
		assert.deepEqual(disabled.progress && [disabled.progress.updated, disabled.progress.complete], [3, false]);
		const inProgressHealthy = build(objects(d()), kruise({status: {phase: 'Healthy'}}));
		assert.equal(inProgressHealthy.progress?.complete, false);
	});

	test('the events of the Rollout, its BatchRelease, the Deployment, its ReplicaSets and pods, the Services and the router object', () => {
		const w = d();
		const kruiseIngress = ingress('web-canary', 'web.example.com', 'web-canary', {'nginx.ingress.kubernetes.io/canary': 'true', 'nginx.ingress.kubernetes.io/canary-weight': '20'});
		const events = [
			event({kind: 'Rollout', name: 'demo', reason: 'RolloutPaused', last: 10}),
			event({kind: 'BatchRelease', name: 'demo', reason: 'BatchReleased', last: 20}),
			event({kind: 'Service', name: 'web', reason: 'Updated', last: 30}),
			event({kind: 'Ingress', name: 'web-canary', reason: 'Sync', last: 40}),
			event({kind: 'Pod', name: 'web-a1-x', reason: 'Started', last: 50}),
			event({kind: 'Ingress', name: 'shop', reason: 'Sync', last: 60}),
			event({kind: 'Service', name: 'shop', reason: 'Updated', last: 70}),
		];
		const release = build([...objects(w), kruiseIngress, service('web', {app: 'web'}), ...events], kruise({status: progressing({stableRevision: 'f5', podTemplateHash: 'a1'}), canary: {trafficRoutings: [{service: 'web', ingress: {name: 'web'}}]}}));
		assert.deepEqual(release.events.map(e => e.reason).sort(), ['BatchReleased', 'RolloutPaused', 'Started', 'Sync', 'Updated']);
		assert.deepEqual(release.services, ['web']);
	});
});

describe('detection', () => {
	test('sorted by name, each claiming its Deployment and canary Deployments; the snapshot\'s list is left as it was', () => {
		const w = web(1);
		const canary = deployment('web-x7k', {replicas: 1});
		canary.metadata.labels = {'rollouts.kruise.io/canary-deployment': 'web'};
		const other = deployment('other', {replicas: 1});
		const zeta = kruise({name: 'zeta', canaryStyle: true, status: progressing({stableRevision: 'f5'})});
		const alpha = kruise({name: 'alpha', workloadRef: {kind: 'CloneSet', name: 'other'}, status: {phase: 'Healthy'}});
		const nowhere = kruise({name: 'mid', workloadRef: {}, status: {phase: 'Initial'}});
		const snap = progressiveSnapshot([zeta, nowhere, alpha, w, canary, other, service('web', {app: 'web'})]);
		const claimed = new Set<KObject>();
		const found = detectKruiseRollouts(scanSnapshot(snap), claimed);
		assert.deepEqual(found.map(r => [r.target, r.name, r.kind, r.deployments, r.services, r.inProgress, r.members.map(m => [m.deployment.metadata.name, m.role]), r.object === zeta || r.object === alpha || r.object === nowhere]), [
			['rollout/alpha', 'alpha', 'kruise-rollout', [], [], false, [], true],
			['rollout/mid', 'mid', 'kruise-rollout', [], [], false, [], true],
			['rollout/zeta', 'zeta', 'kruise-rollout', ['web', 'web-x7k'], ['web'], true, [['web', 'stable'], ['web-x7k', 'canary']], true],
		]);
		assert.deepEqual([...claimed].map(o => o.metadata.name), ['web', 'web-x7k']);
		assert.deepEqual(snap.kruiseRollouts!.map(o => o.metadata.name), ['zeta', 'mid', 'alpha']);
	});

	test('krollout/ only beside an Argo Rollout of the same name; what is no Kruise Rollout is left out', () => {
		const ro = kruise({status: {phase: 'Healthy'}});
		const base = progressiveSnapshot([ro, web(1, {released: true})]);
		const withKruiseInArgoList: ClusterSnapshot = {...base, rollouts: [ro]};
		assert.deepEqual(detectKruiseRollouts(scanSnapshot(withKruiseInArgoList), new Set()).map(r => r.target), ['rollout/demo']);
		const argo = argoRollout('demo', {canary: {steps: []}}, {phase: 'Healthy'});
		const mixed: ClusterSnapshot = {...base, rollouts: [argo], kruiseRollouts: [ro, argoRollout('argo-only', {canary: {steps: []}}, {phase: 'Healthy'})]};
		assert.deepEqual(detectKruiseRollouts(scanSnapshot(mixed), new Set()).map(r => r.target), ['krollout/demo']);
		assert.deepEqual(detectKruiseRollouts(scanSnapshot({...base, kruiseRollouts: undefined}), new Set()), []);
	});
});

