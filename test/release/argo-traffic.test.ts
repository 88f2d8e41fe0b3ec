// A Rollout's versions, traffic and actual weight, for each way its traffic can be split: by pods (a basic
// canary), through an Istio VirtualService, from status.canary.weights when the VirtualService cannot be
// read, by the active Service of a blue-green Rollout; with old ReplicaSets still scaling down, its Services,
// revisions and progress.
import assert from 'node:assert/strict';
import {test} from 'node:test';
import {buildRolloutRelease} from '../../source/release/argo.js';
import type {KObject} from '../../source/kube/object.js';
import type {Release} from '../../source/release/model.js';
import {demoSteps, progressiveSnapshot, rollout, rolloutReplicaSet, svc, virtualServiceOf} from './argo-fixtures.js';
import {destinationRule} from './fixtures.js';

type Options = {strategy?: Record<string, unknown>; status?: Record<string, unknown>; stable?: number; canary?: number; extra?: KObject[]; canaryAvailable?: number};

/** rollouts-demo with a stable ReplicaSet (hash old, revision 1) and, unless 0, a canary (hash new, revision 2). */
function build(o: Options = {}): Release {
	const ro = rollout('rollouts-demo', {canary: {steps: demoSteps, ...o.strategy}}, {currentPodHash: 'new', stableRS: 'old', currentStepIndex: 1, availableReplicas: 5, ...o.status});
	const stable = rolloutReplicaSet(ro, 'old', 1, 'argoproj/rollouts-demo:blue', o.stable ?? 4, 3600);
	const objects: KObject[] = [ro, stable.rs, ...stable.pods];
	if ((o.canary ?? 1) > 0 || o.status?.currentPodHash === 'new' || o.status?.currentPodHash === undefined) {
		const canary = rolloutReplicaSet(ro, 'new', 2, 'argoproj/rollouts-demo:yellow', o.canary ?? 1, 60);
		if (o.canaryAvailable !== undefined) {
			canary.rs.status.availableReplicas = o.canaryAvailable;
		}
		objects.push(canary.rs, ...canary.pods);
	}
	return buildRolloutRelease(progressiveSnapshot([...objects, ...(o.extra ?? [])]), ro, 'rollout/rollouts-demo');
}

const summary = (r: Release) => ({
	versions: r.versions.map(v => `${v.id} ${v.role} ${v.weight}`),
	traffic: r.traffic,
	actual: r.argo?.actualWeight,
});

test('a basic canary: traffic follows the pods; the actual weight is the canary\'s share of the available pods', () => {
	assert.deepEqual(summary(build()), {
		versions: ['rollouts-demo-old stable 80', 'rollouts-demo-new canary 20'],
		traffic: {router: 'replicas', weights: {'rollouts-demo-old': 80, 'rollouts-demo-new': 20}, managedBy: 'argo-rollouts'},
		actual: 20,
	});
	assert.equal(build({status: {availableReplicas: 3}}).argo?.actualWeight, 33, 'one of three available: a whole percent, rounded down, as the plugin computes it');
	assert.equal(build({status: {availableReplicas: 0}}).argo?.actualWeight, 0);
	assert.equal(build({status: {currentPodHash: 'old', currentStepIndex: 8}, canary: 0}).argo?.actualWeight, 100, 'promoted and past the steps');
	assert.equal(build({status: {currentPodHash: 'old', currentStepIndex: 3}, canary: 0}).argo?.actualWeight, 0, 'promoted but steps left: no canary pods');
});

const istio = {canaryService: 'demo-canary', stableService: 'demo-stable', trafficRouting: {istio: {virtualService: {name: 'demo-vs', routes: ['primary']}}}};
const services = [svc('demo-stable', {app: 'rollouts-demo', 'rollouts-pod-template-hash': 'old'}), svc('demo-canary', {app: 'rollouts-demo', 'rollouts-pod-template-hash': 'new'})];

test('Istio: the weights the VirtualService has, its header routes too; the actual weight is the controller\'s (the set weight without status.canary.weights), as the plugin shows it', () => {
	const vs = virtualServiceOf('demo-vs', 'demo-stable', 'demo-canary', 70, 30);
	vs.spec.http.unshift({match: [{headers: {'x-beta': {exact: '1'}}}], route: [{destination: {host: 'demo-canary'}}]});
	assert.deepEqual(summary(build({strategy: istio, extra: [vs, ...services]})), {
		versions: ['rollouts-demo-old stable 70', 'rollouts-demo-new canary 30'],
		traffic: {router: 'istio', weights: {'rollouts-demo-old': 70, 'rollouts-demo-new': 30}, managedBy: 'argo-rollouts', object: 'VirtualService/demo-vs', routes: [{version: 'rollouts-demo-new', match: 'header x-beta=1'}]},
		actual: 20,
	});
	// Named with its namespace; or as the first of several; subsets through a DestinationRule.
	const named = {...istio, trafficRouting: {istio: {virtualServices: [{name: 'demo-vs.shop', routes: ['primary']}]}}};
	assert.equal(build({strategy: named, extra: [virtualServiceOf('demo-vs', 'demo-stable', 'demo-canary', 60, 40), ...services]}).traffic?.weights['rollouts-demo-new'], 40);
	const subsets = virtualServiceOf('demo-vs', 'demo', 'demo', 85, 15);
	subsets.spec.http[0].route[0].destination.subset = 'stable';
	subsets.spec.http[0].route[1].destination.subset = 'canary';
	const rule = destinationRule('demo', 'demo', [
		{name: 'stable', labels: {'rollouts-pod-template-hash': 'old'}},
		{name: 'canary', labels: {'rollouts-pod-template-hash': 'new'}},
	]);
	assert.deepEqual(build({strategy: {trafficRouting: istio.trafficRouting}, extra: [subsets, rule]}).traffic?.weights, {'rollouts-demo-old': 85, 'rollouts-demo-new': 15}, 'no canary or stable Service: the subsets tell');
});

test('Istio: without the VirtualService, status.canary.weights (out of maxTrafficWeight); without either, the set weight', () => {
	const weights = {canary: {weights: {canary: {weight: 10}, stable: {weight: 40}}}};
	assert.deepEqual(summary(build({strategy: {...istio, trafficRouting: {...istio.trafficRouting, maxTrafficWeight: 50}}, status: weights})), {
		versions: ['rollouts-demo-old stable 80', 'rollouts-demo-new canary 20'],
		traffic: {router: 'istio', weights: {'rollouts-demo-old': 80, 'rollouts-demo-new': 20}, managedBy: 'argo-rollouts', object: 'VirtualService/demo-vs'},
		actual: 20,
	});
	assert.deepEqual(summary(build({strategy: istio, status: {currentStepIndex: 3}})), {
		versions: ['rollouts-demo-old stable 60', 'rollouts-demo-new canary 40'],
		traffic: {router: 'istio', weights: {'rollouts-demo-old': 60, 'rollouts-demo-new': 40}, managedBy: 'argo-rollouts', object: 'VirtualService/demo-vs'},
		actual: 40,
	});
	// A VirtualService that does not route to the versions: its name, not its weights.
	const elsewhere = virtualServiceOf('demo-vs', 'payments', 'payments-next', 50, 50);
	assert.deepEqual(build({strategy: istio, extra: [elsewhere], status: weights}).traffic, {router: 'istio', weights: {'rollouts-demo-old': 40, 'rollouts-demo-new': 10}, managedBy: 'argo-rollouts', object: 'VirtualService/demo-vs'});
	// SMI: the weights from the status, the TrafficSplit the controller names after the Rollout.
	assert.deepEqual(build({strategy: {trafficRouting: {smi: {}}}, status: weights}).traffic, {router: 'smi', weights: {'rollouts-demo-old': 40, 'rollouts-demo-new': 10}, managedBy: 'argo-rollouts', object: 'TrafficSplit/rollouts-demo'});
});

test('Istio: promoted, all traffic on the stable; past the last step the actual weight is 100 (no current step), aborted or not, as the plugin shows it', () => {
	const vs = virtualServiceOf('demo-vs', 'demo-stable', 'demo-canary', 100, 0);
	const promoted = build({strategy: istio, status: {currentPodHash: 'old', currentStepIndex: 8}, canary: 0, extra: [vs, ...services]});
	assert.deepEqual(summary(promoted), {
		versions: ['rollouts-demo-old stable 100'],
		traffic: {router: 'istio', weights: {'rollouts-demo-old': 100}, managedBy: 'argo-rollouts', object: 'VirtualService/demo-vs'},
		actual: 100,
	});
	assert.deepEqual(summary(build({strategy: istio, status: {currentPodHash: 'old', currentStepIndex: 8}, canary: 0})).traffic?.weights, {'rollouts-demo-old': 100}, 'no VirtualService either');
	const last = virtualServiceOf('demo-vs', 'demo-stable', 'demo-canary', 20, 80);
	assert.equal(build({strategy: istio, status: {currentStepIndex: 8}, extra: [last, ...services]}).argo?.actualWeight, 100, 'past the steps, not yet promoted: 100 whatever the router has');
	assert.equal(build({strategy: istio, status: {currentStepIndex: 8}}).argo?.actualWeight, 100, 'past the steps, no reading: 100');
	assert.equal(build({strategy: istio, status: {currentStepIndex: 8, abort: true}}).argo?.actualWeight, 100, 'aborted past the steps: still no current step');
	assert.equal(build({strategy: istio, status: {currentStepIndex: 3, abort: true}}).argo?.actualWeight, 0, 'aborted at a step: the set weight, 0');
	assert.equal(build({strategy: istio, status: {currentStepIndex: 8, abort: true}, extra: [last, ...services]}).traffic?.weights['rollouts-demo-new'], 80, 'aborted: the split shows what the router still has');
});

test('blue-green: the active version has all the traffic through its Service', () => {
	const ro = rollout('shop', {blueGreen: {activeService: 'shop-active', previewService: 'shop-preview'}}, {currentPodHash: 'new', stableRS: 'old', blueGreen: {activeSelector: 'old', previewSelector: 'new'}});
	const active = rolloutReplicaSet(ro, 'old', 1, 'shop:1', 2);
	const preview = rolloutReplicaSet(ro, 'new', 2, 'shop:2', 2);
	const release = buildRolloutRelease(progressiveSnapshot([ro, active.rs, ...active.pods, preview.rs, ...preview.pods]), ro, 'rollout/shop');
	assert.deepEqual(summary(release), {
		versions: ['shop-old active 100', 'shop-new preview 0'],
		traffic: {router: 'service-selector', weights: {'shop-old': 100, 'shop-new': 0}, managedBy: 'argo-rollouts', object: 'Service/shop-active'},
		actual: undefined,
	});
	// Without status.blueGreen: stable and current hash; without an active Service, no object.
	const bare = rollout('shop', {blueGreen: {}}, {currentPodHash: 'new', stableRS: 'old'});
	const b1 = rolloutReplicaSet(bare, 'old', 1, 'shop:1', 1);
	const b2 = rolloutReplicaSet(bare, 'new', 2, 'shop:2', 1);
	assert.deepEqual(summary(buildRolloutRelease(progressiveSnapshot([bare, b1.rs, b2.rs]), bare, 'rollout/shop')).traffic, {router: 'service-selector', weights: {'shop-old': 100, 'shop-new': 0}, managedBy: 'argo-rollouts'});
});

test('ReplicaSets still scaling down are old versions; pods by version then name; Services named and selecting; revisions newest first', () => {
	const ro = rollout('rollouts-demo', {canary: {steps: demoSteps, canaryService: 'demo-canary', stableService: ''}}, {currentPodHash: 'new', stableRS: 'mid', currentStepIndex: 1, updatedReplicas: 1, readyReplicas: 5, availableReplicas: 4});
	const old = rolloutReplicaSet(ro, 'old', 1, 'i:1', 1, 7200);
	old.rs.metadata.annotations!['kubernetes.io/change-cause'] = 'first';
	const mid = rolloutReplicaSet(ro, 'mid', 2, 'i:2', 3, 3600);
	const next = rolloutReplicaSet(ro, 'new', 3, 'i:3', 1, 60);
	const idle = rolloutReplicaSet(ro, 'idle', 0, 'i:0', 0, 9000);
	const twin = {...rolloutReplicaSet(ro, 'twin', 3, 'i:3b', 0, 60).rs};
	const release = buildRolloutRelease(
		progressiveSnapshot([
			ro,
			...[old, mid, next, idle].flatMap(x => [x.rs, ...x.pods]),
			twin,
			svc('demo-all', {app: 'rollouts-demo'}),
			svc('demo-empty', {}),
			svc('other', {app: 'other'}),
		]),
		ro,
		'rollout/rollouts-demo',
	);
	assert.deepEqual(release.versions.map(v => `${v.id} ${v.role}`), ['rollouts-demo-mid stable', 'rollouts-demo-new canary', 'rollouts-demo-old old']);
	assert.deepEqual(release.pods.map(p => p.name), ['rollouts-demo-mid-p0', 'rollouts-demo-mid-p1', 'rollouts-demo-mid-p2', 'rollouts-demo-new-p0', 'rollouts-demo-old-p0']);
	assert.deepEqual(release.services, ['demo-canary', 'demo-all']);
	assert.deepEqual(
		release.revisions.map(r => [r.revision, r.replicaSet, r.pods, r.current, r.changeCause, r.images]),
		[
			[3, 'rollouts-demo-new', 1, true, undefined, ['i:3']],
			[3, 'rollouts-demo-twin', 0, false, undefined, ['i:3b']],
			[2, 'rollouts-demo-mid', 3, false, undefined, ['i:2']],
			[1, 'rollouts-demo-old', 1, false, 'first', ['i:1']],
			[0, 'rollouts-demo-idle', 0, false, undefined, ['i:0']],
		],
	);
	assert.deepEqual(release.progress, {desired: 5, updated: 1, ready: 5, available: 4, paused: false, conditions: [], deadlineExceeded: false, complete: false});
	assert.deepEqual([release.kind, release.name, release.namespace, release.target], ['argo-rollout', 'rollouts-demo', 'shop', 'rollout/rollouts-demo']);
});
