// The Release of Deployment releases as build.ts assembles it, literal: a rolling Deployment's ReplicaSets that
// count as versions and their order, pods in version order with the revision of their ReplicaSet, and the
// Events of every object involved (its router object, the DestinationRules of its Services, an NGINX main Ingress).
import assert from 'node:assert/strict';
import {test} from 'node:test';
import type {KObject} from '../../source/kube/object.js';
import {detectReleases} from '../../source/kinds/registry.js';
import {assembleRelease, pairParts, rollingParts} from '../../source/release/build.js';
import {scanSnapshot} from '../../source/release/scan.js';
import type {ClusterSnapshot} from '../../source/release/snapshot.js';
import {canaryPair, deployment, destinationRule, event, ingress, pod, replicaSet, snapshot, virtualService} from './fixtures.js';

function detected(snap: ClusterSnapshot, name: string) {
	const scan = scanSnapshot(snap);
	const release = detectReleases(scan).find(r => r.name === name);
	assert.ok(release, name);
	return {scan, release};
}

test('rollingParts: the current ReplicaSet and those with pods or replicas asked, by revision; an idle one left out', () => {
	const web = deployment('web', {revision: 4, replicas: 2});
	const current = replicaSet(web, {hash: 'd4', revision: 4, image: 'web:4', replicas: 0});
	const draining = replicaSet(web, {hash: 'c3', revision: 3, image: 'web:3', replicas: 0});
	const scaling = replicaSet(web, {hash: 'b2', revision: 2, image: 'web:2', replicas: 2});
	const idle = replicaSet(web, {hash: 'a1', revision: 1, image: 'web:1', replicas: 0});
	const unnumbered = replicaSet(web, {hash: 'x0', revision: 0, image: 'web:0', replicas: 1});
	delete unnumbered.metadata.annotations;
	delete unnumbered.spec.replicas;
	const objects = [web, current, idle, draining, unnumbered, scaling, pod(draining, 'p1'), pod(unnumbered, 'p1')];
	const snap = snapshot(objects);
	const {scan, release} = detected(snap, 'web');
	const parts = rollingParts(release, scan);
	assert.deepEqual(parts.versions.map(v => `${v.id} ${v.role}`), ['web-x0 old', 'web-b2 old', 'web-c3 old', 'web-d4 new']);
	assert.deepEqual(parts.pods.map(p => `${p.version} ${p.pod.metadata.name}`), ['web-x0 web-x0-p1', 'web-c3 web-c3-p1']);
	assert.equal(parts.traffic?.router, 'deployment');
	assert.equal(parts.traffic?.object, 'Deployment/web');
});

test('pairParts: a weight only for the versions the traffic has one for', () => {
	const {objects} = canaryPair();
	const {scan, release} = detected(snapshot(objects), 'checkout');
	const parts = pairParts(release, scan, {router: 'replicas', weights: {checkout: 100}});
	assert.deepEqual(parts.versions.map(v => [v.id, 'weight' in v, v.weight]), [['checkout', true, 100], ['checkout-canary', false, undefined]]);
	assert.deepEqual(parts.pods.map(p => p.version), ['checkout', 'checkout', 'checkout', 'checkout-canary']);
});

test('assembleRelease: pods by version then name, each with its ReplicaSet\'s revision when that has a uid and a whole one', () => {
	const {objects} = canaryPair();
	const snap = snapshot(objects);
	const {scan, release} = detected(snap, 'checkout');
	const [stableRs, , canaryRs] = snap.replicaSets;
	const podOf = (rs: KObject, suffix: string, refs?: KObject['metadata']['ownerReferences']) => {
		const p = pod(rs, suffix);
		if (refs === undefined) delete p.metadata.ownerReferences;
		else p.metadata.ownerReferences = refs;
		return p;
	};
	const rsRef = (rs: KObject) => ({apiVersion: 'apps/v1', kind: 'ReplicaSet', name: rs.metadata.name!, uid: rs.metadata.uid!, controller: true});
	const pods = [
		{pod: podOf(canaryRs!, 'b', [rsRef(canaryRs!)]), version: 'checkout-canary'},
		{pod: podOf(stableRs!, 'z', [{apiVersion: 'v1', kind: 'Node', name: 'n', uid: canaryRs!.metadata.uid!}, rsRef(stableRs!)]), version: 'checkout'},
		{pod: podOf(stableRs!, 'a', undefined), version: 'checkout'},
		{pod: podOf(canaryRs!, 'a', [rsRef(canaryRs!)]), version: 'checkout-canary'},
		{pod: podOf(stableRs!, 'm', [rsRef(stableRs!)]), version: 'checkout'},
	];
	const parts = pairParts(release, scan, {router: 'replicas', weights: {}});
	// The versions in the other order: the canary's pods come first although their names sort last.
	const built = assembleRelease(snap, scan, release, 'deploy/checkout', {versions: [...parts.versions].reverse(), pods});
	assert.deepEqual(built.pods.map(p => [p.version, p.name, 'revision' in p, p.revision]), [
		['checkout-canary', 'checkout-canary-bbb222-a', true, 2],
		['checkout-canary', 'checkout-canary-bbb222-b', true, 2],
		['checkout', 'checkout-aaa111-a', false, undefined],
		['checkout', 'checkout-aaa111-m', true, 7],
		['checkout', 'checkout-aaa111-z', true, 7],
	]);
	assert.equal('traffic' in built, false, 'no traffic part, no traffic');
	// A ReplicaSet without a uid, with a revision that is not whole, or without annotations gives none.
	const odd = snapshot(objects.map(o => (o === stableRs ? {...o, metadata: {...o.metadata, uid: undefined}} : o === canaryRs ? {...o, metadata: {...o.metadata, annotations: {'deployment.kubernetes.io/revision': '2.5'}}} : o.kind === 'ReplicaSet' ? {...o, metadata: {...o.metadata, annotations: undefined}} : o)));
	const again = detected(odd, 'checkout');
	const rebuilt = assembleRelease(odd, again.scan, again.release, 'deploy/checkout', pairParts(again.release, again.scan, {router: 'replicas', weights: {}}));
	assert.deepEqual(rebuilt.pods.map(p => p.revision), [undefined, undefined, undefined, undefined]);
});

test('assembleRelease: the Events of the pair, its Services, its router object and the DestinationRules of its Services', () => {
	const {objects} = canaryPair({trackLabels: false});
	const routing = [
		virtualService('checkout', [{route: [{destination: {host: 'checkout', subset: 'v1'}, weight: 90}, {destination: {host: 'checkout', subset: 'v2'}, weight: 10}]}]),
		destinationRule('checkout', 'checkout.shop.svc.cluster.local', [{name: 'v1', labels: {version: 'v1'}}, {name: 'v2', labels: {version: 'v2'}}]),
		destinationRule('payments', 'payments', [{name: 'v1', labels: {version: 'v1'}}]),
		{...virtualService('payments', []), kind: 'VirtualService'},
		{apiVersion: 'networking.istio.io/v1beta1', kind: 'DestinationRule', metadata: {name: 'hostless', namespace: 'shop'}},
	];
	const events = [
		event({kind: 'VirtualService', name: 'checkout', reason: 'Updated', last: 1}),
		event({kind: 'DestinationRule', name: 'checkout', reason: 'Updated', last: 2}),
		event({kind: 'DestinationRule', name: 'payments', reason: 'Updated', last: 3}),
		event({kind: 'DestinationRule', name: 'hostless', reason: 'Updated', last: 3}),
		event({kind: 'VirtualService', name: 'payments', reason: 'Updated', last: 4}),
		event({kind: 'Service', name: 'checkout', reason: 'Synced', last: 5}),
		event({kind: 'Service', name: 'payments', reason: 'Synced', last: 6}),
		event({kind: 'Deployment', name: 'checkout-canary', reason: 'ScalingReplicaSet', last: 7}),
		event({kind: 'ReplicaSet', name: 'checkout-zzz000', reason: 'SuccessfulDelete', last: 8}),
		event({kind: 'Pod', name: 'checkout-canary-bbb222-b1', reason: 'Started', last: 9}),
	];
	const snap = snapshot([...objects, ...routing, ...events]);
	const {scan, release} = detected(snap, 'checkout');
	const built = assembleRelease(snap, scan, release, 'deploy/checkout', pairParts(release, scan, {router: 'istio', weights: {}}));
	assert.deepEqual(built.events.map(e => `${e.object} ${e.reason}`), [
		'VirtualService/checkout Updated',
		'DestinationRule/checkout Updated',
		'Service/checkout Synced',
		'Deployment/checkout-canary ScalingReplicaSet',
		'ReplicaSet/checkout-zzz000 SuccessfulDelete',
		'Pod/checkout-canary-bbb222-b1 Started',
	]);
});

test('assembleRelease: an NGINX canary Ingress brings the Events of the main Ingress it shadows; without a router, no router Events', () => {
	const {objects} = canaryPair();
	const main = ingress('checkout', 'shop.example.com', 'checkout-stable');
	const canary = ingress('checkout-canary', 'shop.example.com', 'checkout-canary', {'nginx.ingress.kubernetes.io/canary': 'true', 'nginx.ingress.kubernetes.io/canary-weight': '30'});
	const other = ingress('elsewhere', 'other.example.com', 'checkout-stable');
	const events = [
		event({kind: 'Ingress', name: 'checkout-canary', reason: 'Sync', last: 1}),
		event({kind: 'Ingress', name: 'checkout', reason: 'Sync', last: 2}),
		event({kind: 'Ingress', name: 'elsewhere', reason: 'Sync', last: 3}),
	];
	const snap = snapshot([...objects, main, canary, other, ...events]);
	const {scan, release} = detected(snap, 'checkout');
	assert.equal(release.router?.object.kind, 'Ingress');
	const built = assembleRelease(snap, scan, release, 'deploy/checkout', pairParts(release, scan, {router: 'nginx', weights: {}}));
	assert.deepEqual(built.events.map(e => `${e.object} ${e.reason}`), ['Ingress/checkout-canary Sync', 'Ingress/checkout Sync']);
	const unrouted = assembleRelease(snap, scan, {...release, router: undefined}, 'deploy/checkout', pairParts(release, scan, {router: 'replicas', weights: {}}));
	assert.deepEqual(unrouted.events.map(e => `${e.object} ${e.reason}`), []);
});
