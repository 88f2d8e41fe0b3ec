import assert from 'node:assert/strict';
import {test} from 'node:test';
import {buildRelease} from '../../source/kinds/registry.js';
import {findReleases, resolveTarget} from '../../source/kinds/registry.js';
import type {ClusterSnapshot} from '../../source/release/snapshot.js';
import type {Release} from '../../source/release/model.js';
import {canaryPair, destinationRule, event, httpRoute, ingress, snapshot, traefikService, trafficSplit, virtualService} from './fixtures.js';

function open(snap: ClusterSnapshot, target: string): Release {
	const resolved = resolveTarget(snap, target);
	assert.ok('ref' in resolved, JSON.stringify(resolved));
	return buildRelease(snap, resolved.ref);
}

const istioObjects = () => [
	virtualService('checkout', [
		{
			name: 'primary',
			route: [
				{destination: {host: 'checkout.shop.svc.cluster.local', subset: 'v1'}, weight: 90},
				{destination: {host: 'checkout.shop.svc.cluster.local', subset: 'v2'}, weight: 10},
			],
		},
	]),
	destinationRule('checkout', 'checkout.shop.svc.cluster.local', [
		{name: 'v1', labels: {version: 'v1'}},
		{name: 'v2', labels: {version: 'v2'}},
	]),
];

test('canary: Istio VirtualService with DestinationRule subsets at 90/10', () => {
	// No track labels: only the router names the pair (version v1/v2).
	const {objects} = canaryPair({trackLabels: false});
	const snap = snapshot([...objects, ...istioObjects()]);
	const refs = findReleases(snap);
	assert.equal(refs.length, 1);
	assert.deepEqual(refs[0], {
		target: 'deploy/checkout',
		name: 'checkout',
		kind: 'canary',
		deployments: ['checkout', 'checkout-canary'],
		services: ['checkout', 'checkout-stable', 'checkout-canary'],
		inProgress: true,
	});
	const release = buildRelease(snap, refs[0]);
	assert.equal(release.kind, 'canary');
	assert.equal(release.name, 'checkout');
	assert.deepEqual(release.traffic, {router: 'istio', object: 'VirtualService/checkout', weights: {checkout: 90, 'checkout-canary': 10}});
	assert.deepEqual(
		release.versions.map(v => [v.id, v.role, v.workloadKind, v.revision, v.images[0], v.pods, v.ready, v.restarts, v.weight, v.podTemplateHash]),
		[
			['checkout', 'stable', 'Deployment', 7, 'shop/checkout:1.2.3', 3, 3, 0, 90, 'aaa111'],
			['checkout-canary', 'canary', 'Deployment', 2, 'shop/checkout:1.3.0', 1, 1, 1, 10, 'bbb222'],
		],
	);
	assert.deepEqual(
		release.pods.map(p => [p.name, p.version]),
		[
			['checkout-aaa111-a1', 'checkout'],
			['checkout-aaa111-a2', 'checkout'],
			['checkout-aaa111-a3', 'checkout'],
			['checkout-canary-bbb222-b1', 'checkout-canary'],
		],
	);
	assert.equal(release.progress, undefined);
});

test('canary: revisions of both Deployments, newest first', () => {
	const {objects} = canaryPair({trackLabels: false});
	const snap = snapshot([...objects, ...istioObjects()]);
	const release = open(snap, 'deploy/checkout');
	assert.deepEqual(
		release.revisions.map(r => [r.workload, r.revision, r.replicaSet, r.current, r.pods, r.changeCause]),
		[
			['checkout-canary', 2, 'checkout-canary-bbb222', true, 1, 'try 1.3.0'],
			['checkout', 7, 'checkout-aaa111', true, 3, 'release 1.2.3'],
			['checkout', 6, 'checkout-zzz000', false, 0, undefined],
		],
	);
});

test('canary: either Deployment name and the shared Service open the pair', () => {
	const {objects} = canaryPair({trackLabels: false});
	const snap = snapshot([...objects, ...istioObjects()]);
	for (const target of ['deploy/checkout', 'deployment/checkout-canary', 'svc/checkout', 'checkout', 'checkout-canary']) {
		const release = open(snap, target);
		assert.equal(release.kind, 'canary', target);
		assert.deepEqual(release.versions.map(v => v.role), ['stable', 'canary'], target);
	}
	assert.equal(open(snap, 'deployments/checkout-canary').target, 'deploy/checkout-canary');
});

test('canary: told apart by the track label alone, traffic by ready replicas', () => {
	const {objects} = canaryPair();
	const snap = snapshot(objects);
	const release = open(snap, 'checkout');
	assert.equal(release.kind, 'canary');
	assert.deepEqual(release.traffic, {router: 'replicas', weights: {checkout: 75, 'checkout-canary': 25}});
	assert.deepEqual(release.versions.map(v => v.weight), [75, 25]);
});

test('canary: two Deployments behind one Service without a role label or router are two rolling releases', () => {
	const {objects} = canaryPair({trackLabels: false});
	const refs = findReleases(snapshot(objects));
	assert.deepEqual(refs.map(r => [r.kind, r.target]), [
		['rolling', 'deploy/checkout'],
		['rolling', 'deploy/checkout-canary'],
	]);
});

test('canary: Gateway API HTTPRoute backends (default weight 1)', () => {
	const {objects} = canaryPair({trackLabels: false});
	const route = httpRoute('checkout', [
		{name: 'checkout-stable', weight: 80},
		{name: 'checkout-canary', weight: 20},
	]);
	assert.deepEqual(open(snapshot([...objects, route]), 'checkout').traffic, {router: 'gateway-api', object: 'HTTPRoute/checkout', weights: {checkout: 80, 'checkout-canary': 20}});
	const unweighted = httpRoute('checkout', [{name: 'checkout-stable'}, {name: 'checkout-canary'}]);
	assert.deepEqual(open(snapshot([...objects, unweighted]), 'checkout').traffic?.weights, {checkout: 50, 'checkout-canary': 50});
});

test('canary: SMI TrafficSplit', () => {
	const {objects} = canaryPair({trackLabels: false});
	const split = trafficSplit('checkout', 'checkout', [
		{service: 'checkout-stable', weight: 95},
		{service: 'checkout-canary', weight: 5},
	]);
	const release = open(snapshot([...objects, split]), 'svc/checkout');
	assert.equal(release.kind, 'canary');
	assert.deepEqual(release.traffic, {router: 'smi', object: 'TrafficSplit/checkout', weights: {checkout: 95, 'checkout-canary': 5}});
});

test('canary: NGINX canary Ingress', () => {
	const {objects} = canaryPair({trackLabels: false});
	const main = ingress('checkout', 'shop.example.com', 'checkout-stable');
	const canary = ingress('checkout-canary', 'shop.example.com', 'checkout-canary', {
		'nginx.ingress.kubernetes.io/canary': 'true',
		'nginx.ingress.kubernetes.io/canary-weight': '30',
	});
	const release = open(snapshot([...objects, main, canary]), 'checkout');
	assert.deepEqual(release.traffic, {router: 'nginx', object: 'Ingress/checkout-canary', weights: {checkout: 70, 'checkout-canary': 30}});
});

test('canary: Traefik weighted TraefikService', () => {
	const {objects} = canaryPair({trackLabels: false});
	const wrr = traefikService('checkout-wrr', [
		{name: 'checkout-stable', weight: 3},
		{name: 'checkout-canary', weight: 1},
	]);
	assert.deepEqual(open(snapshot([...objects, wrr]), 'checkout').traffic, {router: 'traefik', object: 'TraefikService/checkout-wrr', weights: {checkout: 75, 'checkout-canary': 25}});
});

test('canary: a router owned by Argo Rollouts is reported as managed', () => {
	const {objects} = canaryPair({trackLabels: false});
	const [vs, dr] = istioObjects();
	vs.metadata.ownerReferences = [{apiVersion: 'argoproj.io/v1alpha1', kind: 'Rollout', name: 'checkout', uid: 'r1', controller: true}];
	assert.equal(open(snapshot([...objects, vs, dr]), 'checkout').traffic?.managedBy, 'argo-rollouts');
});

test('canary: in progress while the canary has pods or a partial weight; at rest otherwise', () => {
	const {objects, canary} = canaryPair();
	const withoutCanaryPods = objects.filter(o => !(o.kind === 'Pod' && o.metadata.name?.startsWith('checkout-canary')));
	canary.spec.replicas = 0;
	canary.status = {observedGeneration: 1, replicas: 0, updatedReplicas: 0, readyReplicas: 0, availableReplicas: 0};
	const vs = virtualService('checkout', [
		{
			route: [
				{destination: {host: 'checkout-stable'}, weight: 100},
				{destination: {host: 'checkout-canary'}, weight: 0},
			],
		},
	]);
	const [ref] = findReleases(snapshot([...withoutCanaryPods, vs]));
	assert.equal(ref.kind, 'canary');
	assert.equal(ref.inProgress, false);
	vs.spec.http[0].route[0].weight = 50;
	vs.spec.http[0].route[1].weight = 50;
	assert.equal(findReleases(snapshot([...withoutCanaryPods, vs]))[0].inProgress, true);
});

test('canary: events of the release objects only, newest first', () => {
	const {objects} = canaryPair({trackLabels: false});
	const [vs, dr] = istioObjects();
	const events = [
		event({kind: 'Pod', name: 'checkout-canary-bbb222-b1', reason: 'Unhealthy', message: 'Readiness probe failed: HTTP 503', type: 'Warning', last: 5, count: 4}),
		event({kind: 'Deployment', name: 'checkout-canary', reason: 'ScalingReplicaSet', message: 'Scaled up replica set checkout-canary-bbb222 to 1', last: 600}),
		event({kind: 'VirtualService', name: 'checkout', reason: 'Updated', first: 60}),
		event({kind: 'ReplicaSet', name: 'checkout-aaa111', reason: 'SuccessfulCreate', eventTime: 30}),
		event({kind: 'Pod', name: 'someone-else-xyz', reason: 'Killing', last: 1}),
		event({kind: 'Deployment', name: 'payments', reason: 'ScalingReplicaSet', last: 2}),
	];
	const release = open(snapshot([...objects, vs, dr, ...events]), 'checkout');
	assert.deepEqual(
		release.events.map(e => [e.object, e.reason, e.type, e.count]),
		[
			['Pod/checkout-canary-bbb222-b1', 'Unhealthy', 'Warning', 4],
			['ReplicaSet/checkout-aaa111', 'SuccessfulCreate', 'Normal', 1],
			['VirtualService/checkout', 'Updated', 'Normal', 1],
			['Deployment/checkout-canary', 'ScalingReplicaSet', 'Normal', 1],
		],
	);
	assert.equal(release.events[0].message, 'Readiness probe failed: HTTP 503');
});
