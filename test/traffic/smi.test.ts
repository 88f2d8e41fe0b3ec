import assert from 'node:assert/strict';
import {test} from 'node:test';
import {read, setWeightPatch, smiRouter} from '../../source/traffic/smi.js';
import {trafficSplit} from '../release/fixtures.js';
import {context, sides} from './sides.js';

test('smi: reads backends weights', () => {
	const split = trafficSplit('checkout', 'checkout', [
		{service: 'checkout-stable', weight: 900},
		{service: 'checkout-canary', weight: 100},
	]);
	assert.deepEqual(read(split, sides, context()), {router: 'smi', object: 'TrafficSplit/checkout', weights: {stable: 90, canary: 10}});
	assert.deepEqual(smiRouter.backends(split, context()), ['checkout-stable', 'checkout-canary']);
});

test('smi: v1alpha1 Quantity weights', () => {
	const split = trafficSplit('checkout', 'checkout', [{service: 'checkout-stable', weight: '750m'}, {service: 'checkout-canary', weight: '250m'}], 'split.smi-spec.io/v1alpha1');
	assert.deepEqual(read(split, sides, context())?.weights, {stable: 75, canary: 25});
	assert.deepEqual(setWeightPatch(split, sides, context(), 40), [
		{op: 'test', path: '/spec/backends/0/service', value: 'checkout-stable'},
		{op: 'test', path: '/spec/backends/0/weight', value: '750m'},
		{op: 'add', path: '/spec/backends/0/weight', value: '60'},
		{op: 'test', path: '/spec/backends/1/service', value: 'checkout-canary'},
		{op: 'test', path: '/spec/backends/1/weight', value: '250m'},
		{op: 'add', path: '/spec/backends/1/weight', value: '40'},
	]);
});

test('smi: set-weight patch on v1alpha4 writes integers', () => {
	const split = trafficSplit('checkout', 'checkout', [
		{service: 'checkout-canary', weight: 10},
		{service: 'checkout-stable', weight: 90},
	]);
	assert.deepEqual(setWeightPatch(split, sides, context(), 50), [
		{op: 'test', path: '/spec/backends/1/service', value: 'checkout-stable'},
		{op: 'test', path: '/spec/backends/1/weight', value: 90},
		{op: 'add', path: '/spec/backends/1/weight', value: 50},
		{op: 'test', path: '/spec/backends/0/service', value: 'checkout-canary'},
		{op: 'test', path: '/spec/backends/0/weight', value: 10},
		{op: 'add', path: '/spec/backends/0/weight', value: 50},
	]);
	assert.equal(setWeightPatch(trafficSplit('x', 'x', [{service: 'a', weight: 1}]), sides, context(), 50), undefined);
});
