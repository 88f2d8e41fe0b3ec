import assert from 'node:assert/strict';
import {test} from 'node:test';
import {findReleases, resolveTarget} from '../../source/kinds/registry.js';
import {canaryPair, deployment, replicaSet, service, snapshot} from './fixtures.js';

function shop() {
	const {objects} = canaryPair();
	const payments = deployment('payments', {revision: 4, updated: 1, total: 3}); // rolling, in progress
	const cart = deployment('cart', {revision: 1});
	return snapshot([
		...objects,
		payments,
		replicaSet(payments, {hash: 'p4', revision: 4, replicas: 1}),
		cart,
		replicaSet(cart, {hash: 'c1', revision: 1, replicas: 2}),
		service('cart-svc', {app: 'cart'}),
		service('orphan', {app: 'nothing'}),
	]);
}

test('findReleases: in progress first, then by name', () => {
	assert.deepEqual(
		findReleases(shop()).map(r => [r.target, r.kind, r.inProgress]),
		[
			['deploy/checkout', 'canary', true],
			['deploy/payments', 'rolling', true],
			['deploy/cart', 'rolling', false],
		],
	);
});

test('resolveTarget: deployment forms', () => {
	for (const target of ['deploy/cart', 'deployment/cart', 'deployments/cart', 'deployment.apps/cart', 'cart', ' deploy/cart ']) {
		const resolved = resolveTarget(shop(), target);
		assert.ok('ref' in resolved, target);
		assert.equal(resolved.ref.target, 'deploy/cart', target);
		assert.deepEqual(resolved.ref.deployments, ['cart']);
	}
});

test('resolveTarget: service forms', () => {
	for (const target of ['svc/cart-svc', 'service/cart-svc', 'cart-svc']) {
		const resolved = resolveTarget(shop(), target);
		assert.ok('ref' in resolved, target);
		assert.equal(resolved.ref.target, 'svc/cart-svc', target);
		assert.deepEqual(resolved.ref.deployments, ['cart']);
	}
});

test('resolveTarget: unknown names list the candidates', () => {
	const candidates = ['deploy/checkout', 'deploy/payments', 'deploy/cart'];
	assert.deepEqual(resolveTarget(shop(), 'x'), {error: 'no Deployment or Service named "x" in namespace "shop"', candidates});
	assert.deepEqual(resolveTarget(shop(), 'deploy/x'), {error: 'no Deployment named "x" in namespace "shop"', candidates});
	assert.deepEqual(resolveTarget(shop(), 'svc/x'), {error: 'no Service named "x" in namespace "shop"', candidates});
	assert.deepEqual(resolveTarget(shop(), 'svc/orphan'), {error: 'Service "orphan" in namespace "shop" selects no Deployment', candidates});
	const unsupported = resolveTarget(shop(), 'sts/db');
	assert.ok('error' in unsupported && unsupported.error.startsWith('unsupported target kind "sts"'));
	const control = resolveTarget(shop(), 'x\x1b[31m');
	assert.ok('error' in control && !control.error.includes('\x1b'));
});

test('resolveTarget: an empty namespace resolves nothing', () => {
	assert.deepEqual(resolveTarget(snapshot([]), 'web'), {error: 'no Deployment or Service named "web" in namespace "shop"', candidates: []});
});
