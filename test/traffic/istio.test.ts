import assert from 'node:assert/strict';
import {test} from 'node:test';
import {istioRouter, read, serviceOfHost, setWeightPatch} from '../../source/traffic/istio.js';
import {destinationRule, virtualService} from '../release/fixtures.js';
import {context, sides} from './sides.js';

const rule = destinationRule('checkout', 'checkout', [
	{name: 'v1', labels: {version: 'v1'}},
	{name: 'v2', labels: {version: 'v2'}},
]);

function subsetVs() {
	return virtualService('checkout', [
		{name: 'header', match: [{headers: {x: {exact: '1'}}}], route: [{destination: {host: 'checkout', subset: 'v2'}}]},
		{
			name: 'primary',
			route: [
				{destination: {host: 'checkout.shop.svc.cluster.local', subset: 'v1'}, weight: 90},
				{destination: {host: 'checkout.shop.svc.cluster.local', subset: 'v2'}, weight: 10},
			],
		},
	]);
}

test('serviceOfHost: short names, name.namespace and FQDNs of this namespace only', () => {
	assert.equal(serviceOfHost('checkout', 'shop'), 'checkout');
	assert.equal(serviceOfHost('checkout.shop', 'shop'), 'checkout');
	assert.equal(serviceOfHost('checkout.shop.svc.cluster.local', 'shop'), 'checkout');
	assert.equal(serviceOfHost('checkout.other.svc.cluster.local', 'shop'), undefined);
	assert.equal(serviceOfHost('shop.example.com', 'shop'), undefined);
	assert.equal(serviceOfHost('*.example.com', 'shop'), undefined);
});

test('istio: reads the route that mentions both sides, subsets resolved by the DestinationRule', () => {
	assert.deepEqual(read(subsetVs(), sides, context(rule)), {router: 'istio', object: 'VirtualService/checkout', weights: {stable: 90, canary: 10}});
	assert.ok(istioRouter.handles(subsetVs()));
	assert.deepEqual(istioRouter.backends(subsetVs(), context(rule)), ['checkout']);
});

test('istio: without a DestinationRule, subsets named stable/canary are the sides', () => {
	const vs = virtualService('checkout', [
		{
			route: [
				{destination: {host: 'checkout', subset: 'stable'}, weight: 75},
				{destination: {host: 'checkout', subset: 'canary'}, weight: 25},
			],
		},
	]);
	assert.deepEqual(read(vs, sides, context())?.weights, {stable: 75, canary: 25});
});

test('istio: host-based split by the side Services; missing weight is 0', () => {
	const vs = virtualService('checkout', [{route: [{destination: {host: 'checkout-stable'}, weight: 100}, {destination: {host: 'checkout-canary'}}]}]);
	assert.deepEqual(read(vs, sides, context())?.weights, {stable: 100, canary: 0});
});

test('istio: a VirtualService of other Services reads nothing', () => {
	const vs = virtualService('payments', [{route: [{destination: {host: 'payments'}, weight: 100}]}]);
	assert.equal(read(vs, sides, context(rule)), undefined);
	assert.equal(setWeightPatch(vs, sides, context(rule), 20), undefined);
});

test('istio: set-weight patch tests route name, subsets and old weights', () => {
	assert.deepEqual(setWeightPatch(subsetVs(), sides, context(rule), 25), [
		{op: 'test', path: '/spec/http/1/name', value: 'primary'},
		{op: 'test', path: '/spec/http/1/route/0/destination/subset', value: 'v1'},
		{op: 'test', path: '/spec/http/1/route/0/weight', value: 90},
		{op: 'add', path: '/spec/http/1/route/0/weight', value: 75},
		{op: 'test', path: '/spec/http/1/route/1/destination/subset', value: 'v2'},
		{op: 'test', path: '/spec/http/1/route/1/weight', value: 10},
		{op: 'add', path: '/spec/http/1/route/1/weight', value: 25},
	]);
});

test('istio: host-based patch tests hosts and skips the test of an absent weight', () => {
	const vs = virtualService('checkout', [{route: [{destination: {host: 'checkout-stable'}, weight: 100}, {destination: {host: 'checkout-canary'}}]}]);
	assert.deepEqual(setWeightPatch(vs, sides, context(), 100), [
		{op: 'test', path: '/spec/http/0/route/0/destination/host', value: 'checkout-stable'},
		{op: 'test', path: '/spec/http/0/route/0/weight', value: 100},
		{op: 'add', path: '/spec/http/0/route/0/weight', value: 0},
		{op: 'test', path: '/spec/http/0/route/1/destination/host', value: 'checkout-canary'},
		{op: 'add', path: '/spec/http/0/route/1/weight', value: 100},
	]);
});

test('istio: weights outside 0..100 or fractional are refused', () => {
	assert.throws(() => setWeightPatch(subsetVs(), sides, context(rule), 101), RangeError);
	assert.throws(() => setWeightPatch(subsetVs(), sides, context(rule), 12.5), RangeError);
});
