import assert from 'node:assert/strict';
import {test} from 'node:test';
import {nginxRouter, read, setWeightPatch} from '../../source/traffic/nginx.js';
import {ingress} from '../release/fixtures.js';
import {context, pair, sides} from './sides.js';

const main = ingress('checkout', 'shop.example.com', 'checkout-stable');
const canary = (annotations: Record<string, string>) => ingress('checkout-canary', 'shop.example.com', 'checkout-canary', {'nginx.ingress.kubernetes.io/canary': 'true', ...annotations});

test('nginx: canary-weight out of 100 by default', () => {
	const obj = canary({'nginx.ingress.kubernetes.io/canary-weight': '10'});
	assert.deepEqual(read(obj, sides, context(main, obj)), {router: 'nginx', object: 'Ingress/checkout-canary', weights: pair(90, 10)});
	assert.ok(nginxRouter.handles(obj));
	assert.ok(!nginxRouter.handles(main));
	assert.deepEqual(nginxRouter.backends(obj, context(main, obj)), ['checkout-canary', 'checkout-stable']);
});

test('nginx: canary-weight-total scales the weight; no weight is 0', () => {
	const obj = canary({'nginx.ingress.kubernetes.io/canary-weight': '5', 'nginx.ingress.kubernetes.io/canary-weight-total': '1000'});
	assert.deepEqual(read(obj, sides, context(main, obj))?.weights, pair(99.5, 0.5));
	const none = canary({});
	assert.deepEqual(read(none, sides, context(main, none))?.weights, pair(100, 0));
});

test('nginx: canary-by-header (always, a value, a pattern) and canary-by-cookie are match routes, in nginx\'s order', () => {
	const always = canary({'nginx.ingress.kubernetes.io/canary-by-header': 'x-canary', 'nginx.ingress.kubernetes.io/canary-by-cookie': 'canary'});
	assert.deepEqual(read(always, sides, context(main, always))?.routes, [
		{version: 'checkout-canary', match: 'header x-canary=always'},
		{version: 'checkout-canary', match: 'cookie canary=always'},
	]);
	const value = canary({'nginx.ingress.kubernetes.io/canary-by-header': 'x-region', 'nginx.ingress.kubernetes.io/canary-by-header-value': 'eu'});
	assert.deepEqual(read(value, sides, context(main, value))?.routes, [{version: 'checkout-canary', match: 'header x-region=eu'}]);
	const pattern = canary({'nginx.ingress.kubernetes.io/canary-by-header': 'x-user', 'nginx.ingress.kubernetes.io/canary-by-header-pattern': '^beta'});
	assert.deepEqual(read(pattern, sides, context(main, pattern))?.routes, [{version: 'checkout-canary', match: 'header x-user ~ ^beta'}]);
});

test('nginx: the main Ingress\'s defaultBackend counts as its Service', () => {
	const byDefault = {...ingress('checkout', 'shop.example.com', 'unused'), spec: {ingressClassName: 'nginx', defaultBackend: {service: {name: 'checkout-stable', port: {number: 80}}}, rules: [{host: 'shop.example.com'}]}};
	const obj = canary({'nginx.ingress.kubernetes.io/canary-weight': '30'});
	assert.deepEqual(read(obj, sides, context(byDefault, obj))?.weights, pair(70, 30));
});

test('nginx: needs a main Ingress for the same host pointing at the stable side', () => {
	const obj = canary({'nginx.ingress.kubernetes.io/canary-weight': '10'});
	assert.equal(read(obj, sides, context(obj)), undefined);
	const elsewhere = ingress('other', 'other.example.com', 'checkout-stable');
	assert.equal(read(obj, sides, context(elsewhere, obj)), undefined);
});

test('nginx: set-weight patch tests the canary flag and old weight, writes a string', () => {
	const obj = canary({'nginx.ingress.kubernetes.io/canary-weight': '10', 'nginx.ingress.kubernetes.io/canary-weight-total': '1000'});
	assert.deepEqual(setWeightPatch(obj, sides, context(main, obj), pair(75, 25)), [
		{op: 'test', path: '/metadata/annotations/nginx.ingress.kubernetes.io~1canary', value: 'true'},
		{op: 'test', path: '/metadata/annotations/nginx.ingress.kubernetes.io~1canary-weight', value: '10'},
		{op: 'add', path: '/metadata/annotations/nginx.ingress.kubernetes.io~1canary-weight', value: '250'},
	]);
	const fresh = canary({});
	assert.deepEqual(setWeightPatch(fresh, sides, context(main, fresh), pair(90, 10)), [
		{op: 'test', path: '/metadata/annotations/nginx.ingress.kubernetes.io~1canary', value: 'true'},
		{op: 'add', path: '/metadata/annotations/nginx.ingress.kubernetes.io~1canary-weight', value: '10'},
	]);
});
