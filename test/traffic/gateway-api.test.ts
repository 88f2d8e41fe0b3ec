import assert from 'node:assert/strict';
import {test} from 'node:test';
import {gatewayApiRouter, read, setWeightPatch} from '../../source/traffic/gateway-api.js';
import {httpRoute} from '../release/fixtures.js';
import {context, sides} from './sides.js';

test('gateway-api: weights are relative, default 1', () => {
	assert.deepEqual(read(httpRoute('r', [{name: 'checkout-stable', weight: 9}, {name: 'checkout-canary', weight: 1}]), sides, context()), {
		router: 'gateway-api',
		object: 'HTTPRoute/r',
		weights: {stable: 90, canary: 10},
	});
	assert.deepEqual(read(httpRoute('r', [{name: 'checkout-stable', weight: 2}, {name: 'checkout-canary'}]), sides, context())?.weights, {stable: 66.7, canary: 33.3});
});

test('gateway-api: only Service backends in this namespace count', () => {
	const route = httpRoute('r', [{name: 'checkout-stable', weight: 90}, {name: 'checkout-canary', weight: 10, kind: 'ServiceImport'}]);
	assert.equal(read(route, sides, context()), undefined);
	assert.deepEqual(gatewayApiRouter.backends(route, context()), ['checkout-stable']);
});

test('gateway-api: set-weight patch covers every rule with both sides, adding absent weights', () => {
	const route = httpRoute('r', [{name: 'checkout-stable', weight: 90}, {name: 'checkout-canary'}]);
	route.spec.rules.push({matches: [{path: {value: '/api'}}], backendRefs: [{name: 'checkout-canary', weight: 5}, {name: 'checkout-stable', weight: 95}]});
	route.spec.rules.push({backendRefs: [{name: 'other', weight: 1}]});
	assert.deepEqual(setWeightPatch(route, sides, context(), 30), [
		{op: 'test', path: '/spec/rules/0/backendRefs/0/name', value: 'checkout-stable'},
		{op: 'test', path: '/spec/rules/0/backendRefs/0/weight', value: 90},
		{op: 'add', path: '/spec/rules/0/backendRefs/0/weight', value: 70},
		{op: 'test', path: '/spec/rules/0/backendRefs/1/name', value: 'checkout-canary'},
		{op: 'add', path: '/spec/rules/0/backendRefs/1/weight', value: 30},
		{op: 'test', path: '/spec/rules/1/backendRefs/1/name', value: 'checkout-stable'},
		{op: 'test', path: '/spec/rules/1/backendRefs/1/weight', value: 95},
		{op: 'add', path: '/spec/rules/1/backendRefs/1/weight', value: 70},
		{op: 'test', path: '/spec/rules/1/backendRefs/0/name', value: 'checkout-canary'},
		{op: 'test', path: '/spec/rules/1/backendRefs/0/weight', value: 5},
		{op: 'add', path: '/spec/rules/1/backendRefs/0/weight', value: 30},
	]);
});
