import assert from 'node:assert/strict';
import {test} from 'node:test';
import {istioRouter, read, serviceOfHost, setWeightPatch} from '../../source/traffic/istio.js';
import {destinationRule, virtualService} from '../release/fixtures.js';
import {context, pair, reviews, sides} from './sides.js';

const rule = destinationRule('checkout', 'checkout', [
	{name: 'v1', labels: {version: 'v1'}},
	{name: 'v2', labels: {version: 'v2'}},
]);

function subsetVs() {
	return virtualService('checkout', [
		{name: 'header', match: [{headers: {'x-canary': {exact: 'always'}}}], route: [{destination: {host: 'checkout', subset: 'v2'}}]},
		{
			name: 'primary',
			route: [
				{destination: {host: 'checkout.shop.svc.cluster.local', subset: 'v1'}, weight: 90},
				{destination: {host: 'checkout.shop.svc.cluster.local', subset: 'v2'}, weight: 10},
			],
		},
	]);
}

/** Bookinfo's reviews: one Service, three subsets. */
const reviewsRule = destinationRule('reviews', 'reviews', ['v1', 'v2', 'v3'].map(v => ({name: v, labels: {version: v}})));
const reviewsVs = (weights: [number, number, number]) =>
	virtualService('reviews', [{route: weights.map((weight, i) => ({destination: {host: 'reviews', subset: `v${i + 1}`}, weight}))}]);

test('serviceOfHost: short names, name.namespace and FQDNs of this namespace only', () => {
	assert.equal(serviceOfHost('checkout', 'shop'), 'checkout');
	assert.equal(serviceOfHost('checkout.shop', 'shop'), 'checkout');
	assert.equal(serviceOfHost('checkout.shop.svc.cluster.local', 'shop'), 'checkout');
	assert.equal(serviceOfHost('checkout.other.svc.cluster.local', 'shop'), undefined);
	assert.equal(serviceOfHost('shop.example.com', 'shop'), undefined);
	assert.equal(serviceOfHost('*.example.com', 'shop'), undefined);
});

test('istio: the route that takes every request carries the weights; a header route above it is a match route', () => {
	assert.deepEqual(read(subsetVs(), sides, context(rule)), {
		router: 'istio',
		object: 'VirtualService/checkout',
		weights: pair(90, 10),
		routes: [{version: 'checkout-canary', match: 'header x-canary=always'}],
	});
	assert.ok(istioRouter.handles(subsetVs()));
	assert.deepEqual(istioRouter.backends(subsetVs(), context(rule)), ['checkout']);
});

test('istio: bookinfo reviews at 80/10/10 is read for all three versions', () => {
	assert.deepEqual(read(reviewsVs([80, 10, 10]), reviews, context(reviewsRule))?.weights, {'reviews-v1': 80, 'reviews-v2': 10, 'reviews-v3': 10});
	// Asked about two of them, the third destination still counts in the total.
	assert.deepEqual(read(reviewsVs([80, 10, 10]), reviews.slice(0, 2), context(reviewsRule))?.weights, {'reviews-v1': 80, 'reviews-v2': 10});
	assert.deepEqual(read(reviewsVs([50, 0, 50]), reviews, context(reviewsRule))?.weights, {'reviews-v1': 50, 'reviews-v2': 0, 'reviews-v3': 50});
});

test('istio: the first route that takes every request counts, not a later one, nor a path route above it', () => {
	const vs = virtualService('checkout', [
		{match: [{uri: {prefix: '/api'}}], route: [{destination: {host: 'checkout', subset: 'v1'}, weight: 50}, {destination: {host: 'checkout', subset: 'v2'}, weight: 50}]},
		{match: [{uri: {prefix: '/'}}], route: [{destination: {host: 'checkout', subset: 'v1'}, weight: 70}, {destination: {host: 'checkout', subset: 'v2'}, weight: 30}]},
		{route: [{destination: {host: 'checkout', subset: 'v1'}, weight: 20}, {destination: {host: 'checkout', subset: 'v2'}, weight: 80}]},
	]);
	assert.deepEqual(read(vs, sides, context(rule))?.weights, pair(70, 30));
	assert.deepEqual(read(vs, sides, context(rule))?.routes, undefined, 'a path route is not a header route');
});

test('istio: only path routes: the first that names two versions', () => {
	const vs = virtualService('checkout', [
		{match: [{uri: {prefix: '/static'}}], route: [{destination: {host: 'checkout', subset: 'v1'}}]},
		{match: [{uri: {prefix: '/api'}}], route: [{destination: {host: 'checkout', subset: 'v1'}, weight: 60}, {destination: {host: 'checkout', subset: 'v2'}, weight: 40}]},
		{match: [{uri: {prefix: '/v2'}}], route: [{destination: {host: 'checkout', subset: 'v1'}, weight: 10}, {destination: {host: 'checkout', subset: 'v2'}, weight: 90}]},
	]);
	assert.deepEqual(read(vs, sides, context(rule))?.weights, pair(60, 40));
});

test('istio: a DestinationRule for another host does not name these subsets', () => {
	const other = destinationRule('payments', 'payments', [{name: 'v1', labels: {version: 'v1'}}, {name: 'v2', labels: {version: 'v2'}}]);
	assert.equal(read(subsetVs(), sides, context(other)), undefined);
});

test('istio: without a DestinationRule, subsets named stable/canary are the pair', () => {
	const vs = virtualService('checkout', [
		{
			route: [
				{destination: {host: 'checkout', subset: 'stable'}, weight: 75},
				{destination: {host: 'checkout', subset: 'canary'}, weight: 25},
			],
		},
	]);
	assert.deepEqual(read(vs, sides, context())?.weights, pair(75, 25));
});

test('istio: host-based split by the version Services; missing weight is 0; a lone destination takes all', () => {
	const vs = virtualService('checkout', [{route: [{destination: {host: 'checkout-stable'}, weight: 100}, {destination: {host: 'checkout-canary'}}]}]);
	assert.deepEqual(read(vs, sides, context())?.weights, pair(100, 0));
	const lone = virtualService('checkout', [{match: [{headers: {cookie: {regex: '^(.*?;)?(canary=always)(;.*)?$'}}}], route: [{destination: {host: 'checkout-canary'}}]}, {route: [{destination: {host: 'checkout-stable'}}]}]);
	assert.deepEqual(read(lone, sides, context()), {router: 'istio', object: 'VirtualService/checkout', weights: pair(100, 0), routes: [{version: 'checkout-canary', match: 'cookie canary=always'}]});
});

test('istio: a header match in words, with prefix, regex and two headers', () => {
	const vs = virtualService('checkout', [
		{match: [{headers: {'x-user': {prefix: 'beta-'}, 'x-b': {regex: '^1$'}}}, {headers: {'x-canary': {exact: '1'}}}], route: [{destination: {host: 'checkout-canary'}}]},
		{route: [{destination: {host: 'checkout-stable'}}]},
	]);
	assert.deepEqual(read(vs, sides, context())?.routes, [{version: 'checkout-canary', match: 'header x-user starting beta- and header x-b ~ ^1$ or header x-canary=1'}]);
});

test('istio: a VirtualService of other Services reads nothing', () => {
	const vs = virtualService('payments', [{route: [{destination: {host: 'payments'}, weight: 100}]}]);
	assert.equal(read(vs, sides, context(rule)), undefined);
	assert.equal(setWeightPatch(vs, sides, context(rule), pair(80, 20)), undefined);
	// One version only, and no match route to another: not a split.
	assert.equal(read(virtualService('checkout', [{route: [{destination: {host: 'checkout-stable'}}]}]), sides, context()), undefined);
});

test('istio: set-weight patch tests route name, subsets and old weights', () => {
	assert.deepEqual(setWeightPatch(subsetVs(), sides, context(rule), pair(75, 25)), [
		{op: 'test', path: '/spec/http/1/name', value: 'primary'},
		{op: 'test', path: '/spec/http/1/route/0/destination/subset', value: 'v1'},
		{op: 'test', path: '/spec/http/1/route/0/weight', value: 90},
		{op: 'add', path: '/spec/http/1/route/0/weight', value: 75},
		{op: 'test', path: '/spec/http/1/route/1/destination/subset', value: 'v2'},
		{op: 'test', path: '/spec/http/1/route/1/weight', value: 10},
		{op: 'add', path: '/spec/http/1/route/1/weight', value: 25},
	]);
});

test('istio: three versions at once', () => {
	assert.deepEqual(setWeightPatch(reviewsVs([80, 10, 10]), reviews, context(reviewsRule), {'reviews-v1': 60, 'reviews-v2': 10, 'reviews-v3': 30}), [
		{op: 'test', path: '/spec/http/0/route/0/destination/subset', value: 'v1'},
		{op: 'test', path: '/spec/http/0/route/0/weight', value: 80},
		{op: 'add', path: '/spec/http/0/route/0/weight', value: 60},
		{op: 'test', path: '/spec/http/0/route/1/destination/subset', value: 'v2'},
		{op: 'test', path: '/spec/http/0/route/1/weight', value: 10},
		{op: 'add', path: '/spec/http/0/route/1/weight', value: 10},
		{op: 'test', path: '/spec/http/0/route/2/destination/subset', value: 'v3'},
		{op: 'test', path: '/spec/http/0/route/2/weight', value: 10},
		{op: 'add', path: '/spec/http/0/route/2/weight', value: 30},
	]);
	// Weights for a pair inside a three-way route: the third destination has weight, so the pair does not own the split.
	assert.equal(setWeightPatch(reviewsVs([80, 10, 10]), reviews.slice(0, 2), context(reviewsRule), {'reviews-v1': 90, 'reviews-v2': 10}), undefined);
});

test('istio: host-based patch tests hosts and skips the test of an absent weight', () => {
	const vs = virtualService('checkout', [{route: [{destination: {host: 'checkout-stable'}, weight: 100}, {destination: {host: 'checkout-canary'}}]}]);
	assert.deepEqual(setWeightPatch(vs, sides, context(), pair(0, 100)), [
		{op: 'test', path: '/spec/http/0/route/0/destination/host', value: 'checkout-stable'},
		{op: 'test', path: '/spec/http/0/route/0/weight', value: 100},
		{op: 'add', path: '/spec/http/0/route/0/weight', value: 0},
		{op: 'test', path: '/spec/http/0/route/1/destination/host', value: 'checkout-canary'},
		{op: 'add', path: '/spec/http/0/route/1/weight', value: 100},
	]);
});

test('istio: a header canary at 0 gets its destination added to the weighted route', () => {
	const route = [{destination: {host: 'checkout-stable'}}];
	const vs = virtualService('checkout', [{name: 'canary-header', match: [{headers: {'x-canary': {exact: 'always'}}}], route: [{destination: {host: 'checkout-canary'}}]}, {name: 'main', route}]);
	assert.deepEqual(setWeightPatch(vs, sides, context(), pair(90, 10)), [
		{op: 'test', path: '/spec/http/1/name', value: 'main'},
		{op: 'test', path: '/spec/http/1/route', value: route},
		{op: 'test', path: '/spec/http/1/route/0/destination/host', value: 'checkout-stable'},
		{op: 'add', path: '/spec/http/1/route/0/weight', value: 90},
		{op: 'add', path: '/spec/http/1/route/-', value: {destination: {host: 'checkout-canary'}, weight: 10}},
	]);
});

test('istio: weights that are not whole percents adding up to 100 are refused', () => {
	assert.throws(() => setWeightPatch(subsetVs(), sides, context(rule), pair(0, 101)), RangeError);
	assert.throws(() => setWeightPatch(subsetVs(), sides, context(rule), pair(87.5, 12.5)), RangeError);
	assert.throws(() => setWeightPatch(subsetVs(), sides, context(rule), pair(80, 10)), RangeError);
});
