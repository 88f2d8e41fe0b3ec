// OpenKruise Rollouts read into the release model, on objects shaped after Kruise's own basic usage guide
// (echoserver behind ingress-nginx): a v1alpha1 Rollout (objectRef, weight, the canary style with its canary
// Deployment) and a v1beta1 one (workloadRef, traffic, the partition style), paused at a step; the traffic from the
// canary Ingress; the targets that open them, and `rollout/` when an Argo Rollout has the same name.
import assert from 'node:assert/strict';
import {describe, test} from 'node:test';
import {buildRelease, findReleases, resolveTarget} from '../../source/kinds/registry.js';
import type {KObject} from '../../source/kube/object.js';
import type {Release} from '../../source/release/model.js';
import type {ClusterSnapshot} from '../../source/release/snapshot.js';
import {kruiseLines} from '../../source/text/progressive.js';
import {kruiseStrip} from '../../source/text/strip.js';
import {releaseAsText} from '../../source/text/release-text.js';
import {progressiveSnapshot, rollout as argoRollout, rolloutReplicaSet} from './argo-fixtures.js';
import {ago, deployment, ingress, NAMESPACE, pod, replicaSet, service} from './fixtures.js';

function open(snap: ClusterSnapshot, target: string): Release {
	const resolved = resolveTarget(snap, target);
	if ('error' in resolved) throw new Error(resolved.error);
	return buildRelease(snap, resolved.ref);
}

const paused = {
	phase: 'Progressing',
	message: 'Rollout is in step(1/2), and you need manually confirm to enter the next step',
	conditions: [{type: 'Progressing', status: 'True', reason: 'InRolling', message: 'Rollout is in step(1/2), and you need manually confirm to enter the next step'}],
};

function canaryStatus(extra: Record<string, unknown> = {}) {
	return {
		observedWorkloadGeneration: 2,
		stableRevision: '5c8d9f7b6',
		canaryRevision: '7b9d6c8f5',
		podTemplateHash: '7b9d6c8f5',
		canaryReplicas: 1,
		canaryReadyReplicas: 1,
		currentStepIndex: 1,
		nextStepIndex: 2,
		currentStepState: 'StepPaused',
		finalisingStep: '',
		lastUpdateTime: ago(30),
		...extra,
	};
}

/** The guide's v1alpha1 Rollout: 5% of the traffic, 20% of the pods, wait for approval; the canary style. */
function v1alpha1(status: Record<string, unknown>): KObject {
	return {
		apiVersion: 'rollouts.kruise.io/v1alpha1',
		kind: 'Rollout',
		metadata: {name: 'rollouts-demo', namespace: NAMESPACE, uid: 'uid-kruise-demo', generation: 1, creationTimestamp: ago(3600), resourceVersion: '700'},
		spec: {
			objectRef: {workloadRef: {apiVersion: 'apps/v1', kind: 'Deployment', name: 'echoserver'}},
			strategy: {canary: {steps: [{weight: 5, replicas: '20%', pause: {}}, {weight: 40, pause: {duration: 60}}], trafficRoutings: [{service: 'echoserver', ingress: {name: 'echoserver'}}]}},
		},
		status,
	};
}

/** The workload, paused by Kruise's webhook, its stable ReplicaSet and pods. */
function echoserver(stableReplicas = 5, image = 'cilium/echoserver:1.10.3') {
	const d = deployment('echoserver', {replicas: 5, image, revision: 2, generation: 2, paused: true});
	d.metadata.labels = {app: 'echoserver', 'rollouts.kruise.io/stable-revision': '5c8d9f7b6'};
	d.metadata.annotations = {...d.metadata.annotations, 'rollouts.kruise.io/in-progressing': '{"rolloutName":"rollouts-demo"}'};
	const stable = replicaSet(d, {hash: '5c8d9f7b6', revision: 1, image: 'cilium/echoserver:1.10.2', replicas: stableReplicas});
	return {d, stable, pods: ['a', 'b', 'c', 'd', 'e'].slice(0, stableReplicas).map(p => pod(stable, p))};
}

function routing(weight: string, header?: string): KObject[] {
	const canaryIngress = ingress('echoserver-canary', 'echoserver.example.com', 'echoserver-canary', {
		'nginx.ingress.kubernetes.io/canary': 'true',
		'nginx.ingress.kubernetes.io/canary-weight': weight,
		...(header ? {'nginx.ingress.kubernetes.io/canary-by-header': header, 'nginx.ingress.kubernetes.io/canary-by-header-value': 'always'} : {}),
	});
	canaryIngress.metadata.ownerReferences = [{apiVersion: 'rollouts.kruise.io/v1beta1', kind: 'Rollout', name: 'rollouts-demo', uid: 'uid-kruise-demo', controller: true}];
	return [
		ingress('echoserver', 'echoserver.example.com', 'echoserver'),
		canaryIngress,
		service('echoserver', {app: 'echoserver', 'pod-template-hash': '5c8d9f7b6'}),
		service('echoserver-canary', {app: 'echoserver', 'pod-template-hash': '7b9d6c8f5'}),
	];
}

describe('a v1alpha1 Rollout in the canary style, paused at its first step', () => {
	const {d, stable, pods} = echoserver();
	const canary = deployment('echoserver-7x9kq', {replicas: 1, image: 'cilium/echoserver:1.10.3', revision: 1});
	canary.metadata.labels = {'rollouts.kruise.io/canary-deployment': 'echoserver'};
	canary.metadata.ownerReferences = [{apiVersion: 'rollouts.kruise.io/v1beta1', kind: 'BatchRelease', name: 'rollouts-demo', uid: 'uid-br', controller: true}];
	canary.spec.template.metadata.labels = {app: 'echoserver'};
	const canaryRS = replicaSet(canary, {hash: '7b9d6c8f5', revision: 1, image: 'cilium/echoserver:1.10.3', replicas: 1});
	const ro = v1alpha1({...paused, observedGeneration: 1, canaryStatus: canaryStatus()});
	const snap = progressiveSnapshot([ro, d, stable, ...pods, canary, canaryRS, pod(canaryRS, 'x'), ...routing('5')]);

	test('opens by rollout/, krollout/, rollouts.rollouts.kruise.io/, the Deployment, the canary Deployment and the Services', () => {
		for (const target of ['rollout/rollouts-demo', 'krollout/rollouts-demo', 'rollouts.rollouts.kruise.io/rollouts-demo', 'rollouts-demo', 'deploy/echoserver', 'deploy/echoserver-7x9kq', 'svc/echoserver', 'svc/echoserver-canary']) {
			const resolved = resolveTarget(snap, target);
			assert.ok('ref' in resolved, `${target}: ${'error' in resolved ? resolved.error : ''}`);
			assert.equal(resolved.ref.kind, 'kruise-rollout', target);
		}
		assert.deepEqual(findReleases(snap).map(r => [r.target, r.kind, r.inProgress, r.deployments]), [['rollout/rollouts-demo', 'kruise-rollout', true, ['echoserver', 'echoserver-7x9kq']]]);
		const nope = resolveTarget(snap, 'rollout/nope');
		assert.ok('error' in nope && nope.error.includes('no Argo Rollout or Kruise Rollout named "nope"'));
	});

	test('the stable ReplicaSet of the workload and the canary one of the canary Deployment are the versions; the canary Ingress splits them', () => {
		const release = open(snap, 'rollout/rollouts-demo');
		assert.equal(release.kind, 'kruise-rollout');
		assert.deepEqual(release.versions.map(v => [v.id, v.role, v.podTemplateHash, v.pods, v.weight]), [
			['echoserver-5c8d9f7b6', 'stable', '5c8d9f7b6', 5, 95],
			['echoserver-7x9kq-7b9d6c8f5', 'canary', '7b9d6c8f5', 1, 5],
		]);
		assert.deepEqual(release.traffic, {router: 'nginx', object: 'Ingress/echoserver-canary', weights: {'echoserver-5c8d9f7b6': 95, 'echoserver-7x9kq-7b9d6c8f5': 5}, managedBy: 'kruise-rollouts'});
		assert.deepEqual(release.services, ['echoserver', 'echoserver-canary']);
		assert.deepEqual(release.progress && [release.progress.desired, release.progress.updated, release.progress.paused, release.progress.complete], [5, 1, true, false]);
	});

	test('the steps (v1alpha1 weight as traffic, replicas defaulting to it), the state, the revisions', () => {
		const kruise = open(snap, 'rollout/rollouts-demo').kruise!;
		assert.deepEqual([kruise.apiVersion, kruise.style, kruise.workload, kruise.phase, kruise.state, kruise.step, kruise.nextStepIndex], ['v1alpha1', 'canary', 'Deployment/echoserver', 'Progressing', 'StepPaused', {index: 1, count: 2}, 2]);
		assert.deepEqual(kruise.steps.map(s => [s.label, s.state, s.traffic, s.replicas, s.pause]), [
			['5% · 20% pods · pause', 'current', '5%', '20%', 'manual'],
			['40% · 40% pods · pause 60s', 'pending', '40%', '40%', 60],
		]);
		assert.deepEqual(kruiseLines(kruise), [
			'kruise rollout (canary, v1alpha1) of Deployment/echoserver: Progressing · step 1/2 StepPaused · Rollout is in step(1/2), and you need manually confirm to enter the next step',
			'steps: ▶5% · 20% pods · pause  ·40% · 40% pods · pause 60s',
			'canary revision 7b9d6c8f5 1/1 ready · stable revision 5c8d9f7b6 · Ingress/echoserver (nginx) for Service/echoserver',
		]);
	});

	test('the strip: phase, step and state, the steps with the approval note, the revisions', () => {
		const lines = kruiseStrip(open(snap, 'rollout/rollouts-demo').kruise!, 160).map(line => line.map(s => s.text).join(''));
		assert.deepEqual(lines, [
			' KRUISE  ◌ Progressing · step 1/2 StepPaused · Rollout is in step(1/2), and you need manually confirm to enter the next step',
			' STEPS  ▶5% · 20% pods · pause  ·40% · 40% pods · pause 60s  p approves the paused step',
			' REVISIONS canary revision 7b9d6c8f5 1/1 ready · stable revision 5c8d9f7b6 · Ingress/echoserver (nginx) for Service/echoserver',
		]);
		// The current step stands out in yellow while it waits.
		const current = kruiseStrip(open(snap, 'rollout/rollouts-demo').kruise!, 160)[1]!.find(s => s.text.startsWith('▶'));
		assert.deepEqual([current?.colour, current?.inverse], ['yellow', true]);
	});
});

describe('a v1beta1 Rollout in the partition style (the workload\'s own ReplicaSets)', () => {
	function partition(state: Record<string, unknown>, header?: string) {
		const {d, stable, pods} = echoserver(4);
		const fresh = replicaSet(d, {hash: '7b9d6c8f5', revision: 2, image: 'cilium/echoserver:1.10.3', replicas: 1});
		const ro: KObject = {
			apiVersion: 'rollouts.kruise.io/v1beta1',
			kind: 'Rollout',
			metadata: {name: 'rollouts-demo', namespace: NAMESPACE, uid: 'uid-kruise-demo', generation: 1, creationTimestamp: ago(3600), resourceVersion: '800'},
			spec: {
				workloadRef: {apiVersion: 'apps/v1', kind: 'Deployment', name: 'echoserver'},
				strategy: {canary: {steps: [{traffic: '20%', replicas: 1, pause: {}, ...(header ? {matches: [{headers: [{type: 'Exact', name: header, value: 'always'}]}]} : {})}, {traffic: '100%', replicas: '100%'}], trafficRoutings: [{service: 'echoserver', ingress: {classType: 'nginx', name: 'echoserver'}}]}},
			},
			status: {...paused, observedGeneration: 1, currentStepIndex: 1, currentStepState: 'StepPaused', canaryStatus: canaryStatus(state)},
		};
		return progressiveSnapshot([ro, d, stable, ...pods, fresh, pod(fresh, 'n'), ...routing('20', header)]);
	}

	test('the stable and canary ReplicaSets both belong to the Deployment, told apart by stableRevision and podTemplateHash', () => {
		const release = open(partition({}), 'deploy/echoserver');
		assert.equal(release.target, 'deploy/echoserver');
		assert.deepEqual(release.versions.map(v => [v.id, v.role, v.revision, v.weight]), [['echoserver-5c8d9f7b6', 'stable', 1, 80], ['echoserver-7b9d6c8f5', 'canary', 2, 20]]);
		assert.deepEqual([release.kruise?.apiVersion, release.kruise?.style], ['v1beta1', 'partition']);
		assert.deepEqual(release.kruise?.steps.map(s => s.label), ['20% · 1 pod · pause', '100% · 100% pods']);
		assert.match(releaseAsText(release, 'ctx', kruiseLines(release.kruise!)), /^shop\/rollouts-demo {2}kruise-rollout via nginx Ingress\/echoserver-canary {2}context ctx\nprogress: 1\/5 updated, 5 ready, 5 available \(paused\)\nkruise rollout \(partition, v1beta1\)/);
	});

	test('a step with header matches: the canary Ingress\'s header route is the release\'s route to the canary', () => {
		const release = open(partition({}, 'x-canary'), 'rollout/rollouts-demo');
		assert.deepEqual(release.kruise?.steps[0]?.matches, ['header x-canary=always']);
		assert.equal(release.kruise?.steps[0]?.label, 'header x-canary=always · 1 pod · pause');
		assert.deepEqual(release.traffic?.routes, [{version: 'echoserver-7b9d6c8f5', match: 'header x-canary=always'}]);
	});

	test('a jump back (nextStepIndex) shows beside the step; spec.strategy.paused is a flag of its own', () => {
		const snap = partition({currentStepIndex: 2, nextStepIndex: 1, currentStepState: 'StepUpgrade'});
		snap.kruiseRollouts![0]!.spec.strategy.paused = true;
		const kruise = open(snap, 'rollout/rollouts-demo').kruise!;
		assert.equal(kruise.paused, true);
		assert.match(kruiseLines(kruise)[0]!, /step 2\/2 \(next 1\) StepUpgrade · PAUSED \(spec\.strategy\.paused\)/);
	});

	test('when done (Healthy, Completed): the one current ReplicaSet takes everything through the Service; not in progress', () => {
		const {d, stable} = echoserver();
		d.spec.paused = false;
		delete d.metadata.annotations!['rollouts.kruise.io/in-progressing'];
		const ro = v1alpha1({phase: 'Healthy', message: 'Rollout progressing has been completed', observedGeneration: 1, canaryStatus: canaryStatus({currentStepIndex: 2, nextStepIndex: -1, currentStepState: 'Completed', finalisingStep: 'END'})});
		d.spec.template.spec.containers[0].image = 'cilium/echoserver:1.10.2';
		const snap = progressiveSnapshot([ro, d, stable, pod(stable, 'a'), service('echoserver', {app: 'echoserver'})]);
		const release = open(snap, 'rollout/rollouts-demo');
		assert.deepEqual(release.versions.map(v => [v.role, v.weight]), [['stable', 100]]);
		assert.deepEqual([release.traffic?.router, release.traffic?.object], ['service-selector', 'Service/echoserver']);
		assert.equal(findReleases(snap)[0]?.inProgress, false);
		assert.ok(release.kruise?.steps.every(s => s.state === 'done'));
		assert.equal(release.progress?.complete, true);
		assert.match(kruiseLines(release.kruise!)[2]!, /^released revision 7b9d6c8f5 · /);
	});
});

describe('a Kruise Rollout and an Argo Rollout of the same name', () => {
	const argo = argoRollout('rollouts-demo', {canary: {steps: [{setWeight: 20}]}}, {phase: 'Healthy', currentPodHash: 'aaaa', stableRS: 'aaaa', currentStepIndex: 1});
	const argoRS = rolloutReplicaSet(argo, 'aaaa', 1, 'x:1', 1);
	const {d, stable, pods} = echoserver();
	const kruise = v1alpha1({...paused, canaryStatus: canaryStatus()});
	const snap = progressiveSnapshot([argo, argoRS.rs, kruise, d, stable, ...pods]);

	test('rollout/NAME and the bare name open the Argo Rollout (as kubectl does); krollout/NAME the Kruise one', () => {
		for (const [target, kind, normal] of [
			['rollout/rollouts-demo', 'argo-rollout', 'rollout/rollouts-demo'],
			['rollouts-demo', 'argo-rollout', 'rollout/rollouts-demo'],
			['krollout/rollouts-demo', 'kruise-rollout', 'krollout/rollouts-demo'],
			['rollouts.rollouts.kruise.io/rollouts-demo', 'kruise-rollout', 'krollout/rollouts-demo'],
			['deploy/echoserver', 'kruise-rollout', 'deploy/echoserver'],
		] as const) {
			const resolved = resolveTarget(snap, target);
			assert.ok('ref' in resolved, target);
			assert.deepEqual([resolved.ref.kind, resolved.ref.target], [kind, normal], target);
		}
		assert.deepEqual(findReleases(snap).map(r => r.target).sort(), ['krollout/rollouts-demo', 'rollout/rollouts-demo']);
	});
});

describe('without trafficRoutings', () => {
	test('traffic follows the pods behind the Service (replicas); the strip says so', () => {
		const {d, stable, pods} = echoserver(4);
		const fresh = replicaSet(d, {hash: '7b9d6c8f5', revision: 2, image: 'cilium/echoserver:1.10.3', replicas: 1});
		const ro = v1alpha1({...paused, canaryStatus: canaryStatus()});
		delete ro.spec.strategy.canary.trafficRoutings;
		ro.metadata.annotations = {'rollouts.kruise.io/rolling-style': 'partition'};
		const release = open(progressiveSnapshot([ro, d, stable, ...pods, fresh, pod(fresh, 'n')]), 'rollout/rollouts-demo');
		assert.equal(release.kruise?.style, 'partition');
		assert.deepEqual(release.traffic, {router: 'replicas', weights: {'echoserver-5c8d9f7b6': 80, 'echoserver-7b9d6c8f5': 20}, managedBy: 'kruise-rollouts'});
		assert.match(kruiseLines(release.kruise!)[2]!, /no traffic routing: traffic follows the pods$/);
	});
});
