import assert from 'node:assert/strict';
import {test} from 'node:test';
import {gatewayApiRouter, read, setWeightPatch} from '../../source/traffic/gateway-api.js';
import {httpRoute} from '../release/fixtures.js';
import {context, pair, reviews, sides} from './sides.js';

test('gateway-api: weights are relative, default 1', () => {
	assert.deepEqual(read(httpRoute('r', [{name: 'checkout-stable', weight: 9}, {name: 'checkout-canary', weight: 1}]), sides, context()), {
		router: 'gateway-api',
		object: 'HTTPRoute/r',
		weights: pair(90, 10),
	});
	assert.deepEqual(read(httpRoute('r', [{name: 'checkout-stable', weight: 2}, {name: 'checkout-canary'}]), sides, context())?.weights, pair(66.7, 33.3));
});

test('gateway-api: three backends in one rule', () => {
	const route = httpRoute('reviews', [{name: 'reviews-v1', weight: 8}, {name: 'reviews-v2', weight: 1}, {name: 'reviews-v3', weight: 1}]);
	assert.deepEqual(read(route, reviews, context())?.weights, {'reviews-v1': 80, 'reviews-v2': 10, 'reviews-v3': 10});
	assert.deepEqual(setWeightPatch(route, reviews, context(), {'reviews-v1': 50, 'reviews-v2': 0, 'reviews-v3': 50})?.filter(op => op.op === 'add'), [
		{op: 'add', path: '/spec/rules/0/backendRefs/0/weight', value: 50},
		{op: 'add', path: '/spec/rules/0/backendRefs/1/weight', value: 0},
		{op: 'add', path: '/spec/rules/0/backendRefs/2/weight', value: 50},
	]);
});

test('gateway-api: only Service backends in this namespace count', () => {
	const route = httpRoute('r', [{name: 'checkout-stable', weight: 90}, {name: 'checkout-canary', weight: 10, kind: 'ServiceImport'}]);
	assert.equal(read(route, sides, context()), undefined);
	assert.deepEqual(gatewayApiRouter.backends(route, context()), ['checkout-stable']);
});

test('gateway-api: a rule matching a header in front of the weighted rule is a match route', () => {
	const route = httpRoute('r', [{name: 'checkout-stable', weight: 100}]);
	route.spec.rules.unshift({matches: [{headers: [{type: 'Exact', name: 'x-canary', value: 'always'}]}], backendRefs: [{name: 'checkout-canary', port: 80}]});
	route.spec.rules.push({matches: [{headers: [{type: 'RegularExpression', name: 'x-user', value: '^beta'}], path: {type: 'PathPrefix', value: '/'}}], backendRefs: [{name: 'checkout-canary', port: 80}]});
	assert.deepEqual(read(route, sides, context()), {
		router: 'gateway-api',
		object: 'HTTPRoute/r',
		weights: pair(100, 0),
		routes: [
			{version: 'checkout-canary', match: 'header x-canary=always'},
			{version: 'checkout-canary', match: 'header x-user ~ ^beta'},
		],
	});
	// The header canary at 0 gets a backendRef in the weighted rule.
	assert.deepEqual(setWeightPatch(route, sides, context(), pair(80, 20)), [
		{op: 'test', path: '/spec/rules/1/backendRefs', value: [{name: 'checkout-stable', weight: 100, port: 80}]},
		{op: 'test', path: '/spec/rules/1/backendRefs/0/name', value: 'checkout-stable'},
		{op: 'test', path: '/spec/rules/1/backendRefs/0/weight', value: 100},
		{op: 'add', path: '/spec/rules/1/backendRefs/0/weight', value: 80},
		{op: 'add', path: '/spec/rules/1/backendRefs/-', value: {name: 'checkout-canary', port: 80, weight: 20}},
	]);
});

test('gateway-api: set-weight patch covers every rule with both versions, adding absent weights', () => {
	const route = httpRoute('r', [{name: 'checkout-stable', weight: 90}, {name: 'checkout-canary'}]);
	route.spec.rules.push({matches: [{path: {value: '/api'}}], backendRefs: [{name: 'checkout-canary', weight: 5}, {name: 'checkout-stable', weight: 95}]});
	route.spec.rules.push({backendRefs: [{name: 'other', weight: 1}]});
	assert.deepEqual(setWeightPatch(route, sides, context(), pair(70, 30)), [
		{op: 'test', path: '/spec/rules/0/backendRefs/0/name', value: 'checkout-stable'},
		{op: 'test', path: '/spec/rules/0/backendRefs/0/weight', value: 90},
		{op: 'add', path: '/spec/rules/0/backendRefs/0/weight', value: 70},
		{op: 'test', path: '/spec/rules/0/backendRefs/1/name', value: 'checkout-canary'},
		{op: 'add', path: '/spec/rules/0/backendRefs/1/weight', value: 30},
		{op: 'test', path: '/spec/rules/1/backendRefs/0/name', value: 'checkout-canary'},
		{op: 'test', path: '/spec/rules/1/backendRefs/0/weight', value: 5},
		{op: 'add', path: '/spec/rules/1/backendRefs/0/weight', value: 30},
		{op: 'test', path: '/spec/rules/1/backendRefs/1/name', value: 'checkout-stable'},
		{op: 'test', path: '/spec/rules/1/backendRefs/1/weight', value: 95},
		{op: 'add', path: '/spec/rules/1/backendRefs/1/weight', value: 70},
	]);
});
