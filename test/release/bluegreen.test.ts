import assert from 'node:assert/strict';
import {test} from 'node:test';
import {buildRelease} from '../../source/kinds/registry.js';
import {findReleases, resolveTarget} from '../../source/kinds/registry.js';
import type {KObject} from '../../source/kube/object.js';
import {deployment, pod, replicaSet, service, snapshot} from './fixtures.js';

function blueGreen(activeColour = 'blue'): KObject[] {
	const blue = deployment('shop-blue', {labels: {app: 'shop', color: 'blue'}, replicas: 2, image: 'shop/web:1.0', revision: 3});
	const green = deployment('shop-green', {labels: {app: 'shop', color: 'green'}, replicas: 2, image: 'shop/web:1.1', revision: 1});
	const blueRs = replicaSet(blue, {hash: 'b1', revision: 3, replicas: 2, image: 'shop/web:1.0'});
	const greenRs = replicaSet(green, {hash: 'g1', revision: 1, replicas: 2, image: 'shop/web:1.1'});
	const previewColour = activeColour === 'blue' ? 'green' : 'blue';
	return [
		blue,
		green,
		blueRs,
		greenRs,
		pod(blueRs, 'x1'),
		pod(blueRs, 'x2'),
		pod(greenRs, 'y1'),
		pod(greenRs, 'y2', {ready: false}),
		service('shop', {app: 'shop', color: activeColour}),
		service('shop-preview', {app: 'shop', color: previewColour}),
	];
}

test('blue-green: active side by the Service selector, preview by the preview Service', () => {
	const snap = snapshot(blueGreen());
	const refs = findReleases(snap);
	assert.equal(refs.length, 1);
	assert.deepEqual(refs[0], {
		target: 'svc/shop',
		name: 'shop',
		kind: 'bluegreen',
		deployments: ['shop-blue', 'shop-green'],
		services: ['shop', 'shop-preview'],
		inProgress: false,
	});
	const release = buildRelease(snap, refs[0]);
	assert.deepEqual(
		release.versions.map(v => [v.id, v.role, v.images[0], v.pods, v.ready, v.weight]),
		[
			['shop-blue', 'active', 'shop/web:1.0', 2, 2, 100],
			['shop-green', 'preview', 'shop/web:1.1', 2, 1, 0],
		],
	);
	assert.deepEqual(release.traffic, {router: 'service-selector', object: 'Service/shop', weights: {'shop-blue': 100, 'shop-green': 0}});
	assert.deepEqual(release.services, ['shop', 'shop-preview']);
});

test('blue-green: after the switch the roles follow the selector', () => {
	const release = buildRelease(snapshot(blueGreen('green')), {target: 'svc/shop', name: 'shop', kind: 'bluegreen', deployments: ['shop-blue', 'shop-green'], services: [], inProgress: false});
	assert.deepEqual(release.versions.map(v => [v.id, v.role]), [
		['shop-green', 'active'],
		['shop-blue', 'preview'],
	]);
});

test('blue-green: resolves by Service, either Deployment, and the preview Service', () => {
	const snap = snapshot(blueGreen());
	for (const target of ['svc/shop', 'shop', 'deploy/shop-green', 'shop-blue', 'service/shop-preview']) {
		const resolved = resolveTarget(snap, target);
		assert.ok('ref' in resolved, target);
		assert.equal(resolved.ref.kind, 'bluegreen', target);
	}
});

test('blue-green: without a preview Service the other colour is still the preview', () => {
	const objects = blueGreen().filter(o => o.metadata.name !== 'shop-preview');
	const [ref] = findReleases(snapshot(objects));
	assert.equal(ref.kind, 'bluegreen');
	assert.deepEqual(ref.services, ['shop']);
});
