import assert from 'node:assert/strict';
import {test} from 'node:test';
import {read, setWeightPatch, smiRouter} from '../../source/traffic/smi.js';
import {trafficSplit} from '../release/fixtures.js';
import {context, pair, reviews, sides} from './sides.js';

test('smi: reads backends weights', () => {
	const split = trafficSplit('checkout', 'checkout', [
		{service: 'checkout-stable', weight: 900},
		{service: 'checkout-canary', weight: 100},
	]);
	assert.deepEqual(read(split, sides, context()), {router: 'smi', object: 'TrafficSplit/checkout', weights: pair(90, 10)});
	assert.deepEqual(smiRouter.backends(split, context()), ['checkout-stable', 'checkout-canary']);
});

test('smi: a backend of no version still counts in the total; three versions', () => {
	const withOther = trafficSplit('checkout', 'checkout', [{service: 'checkout-stable', weight: 80}, {service: 'checkout-canary', weight: 10}, {service: 'legacy', weight: 10}]);
	assert.deepEqual(read(withOther, sides, context())?.weights, pair(80, 10));
	assert.equal(setWeightPatch(withOther, sides, context(), pair(50, 50)), undefined, 'the pair does not own the split');
	const three = trafficSplit('reviews', 'reviews', [{service: 'reviews-v1', weight: 70}, {service: 'reviews-v2', weight: 20}, {service: 'reviews-v3', weight: 10}]);
	assert.deepEqual(read(three, reviews, context())?.weights, {'reviews-v1': 70, 'reviews-v2': 20, 'reviews-v3': 10});
});

test('smi: v1alpha1 Quantity weights', () => {
	const split = trafficSplit('checkout', 'checkout', [{service: 'checkout-stable', weight: '750m'}, {service: 'checkout-canary', weight: '250m'}], 'split.smi-spec.io/v1alpha1');
	assert.deepEqual(read(split, sides, context())?.weights, pair(75, 25));
	assert.deepEqual(setWeightPatch(split, sides, context(), pair(60, 40)), [
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
	assert.deepEqual(setWeightPatch(split, sides, context(), pair(50, 50)), [
		{op: 'test', path: '/spec/backends/0/service', value: 'checkout-canary'},
		{op: 'test', path: '/spec/backends/0/weight', value: 10},
		{op: 'add', path: '/spec/backends/0/weight', value: 50},
		{op: 'test', path: '/spec/backends/1/service', value: 'checkout-stable'},
		{op: 'test', path: '/spec/backends/1/weight', value: 90},
		{op: 'add', path: '/spec/backends/1/weight', value: 50},
	]);
	assert.equal(setWeightPatch(trafficSplit('x', 'x', [{service: 'a', weight: 1}]), sides, context(), pair(50, 50)), undefined);
});

test('smi: weights that are no number count as 0; backends that are not objects are no version; the router\'s description', () => {
	const split = trafficSplit('checkout', 'checkout', [{service: 'checkout-stable', weight: 'lots'}, {service: 'checkout-canary', weight: 100}]);
	assert.deepEqual(read(split, sides, context())?.weights, pair(0, 100));
	const odd = {...split, spec: {backends: [null, {service: 'checkout-stable', weight: 1}, {service: 'checkout-canary', weight: 1}, {weight: 1}, {service: 7}]}};
	assert.deepEqual(read(odd, sides, context())?.weights, pair(33.3, 33.3));
	assert.deepEqual(smiRouter.backends(odd, context()), ['checkout-stable', 'checkout-canary']);
	assert.deepEqual(smiRouter.backends({...split, spec: {}}, context()), []);
	assert.equal(read({...split, spec: {backends: 'x'}}, sides, context()), undefined);
	// A split of one version is no split; a backend of no version without weight does not stop the patch.
	assert.equal(read(trafficSplit('x', 'x', [{service: 'checkout-stable', weight: 1}]), sides, context()), undefined);
	const zeroOther = trafficSplit('checkout', 'checkout', [{service: 'checkout-stable', weight: 90}, {service: 'checkout-canary', weight: 10}, {service: 'legacy', weight: 0}]);
	assert.deepEqual(setWeightPatch(zeroOther, sides, context(), pair(80, 20))?.filter(o => o.op === 'add'), [
		{op: 'add', path: '/spec/backends/0/weight', value: 80},
		{op: 'add', path: '/spec/backends/1/weight', value: 20},
	]);
	// Written as a Quantity only for v1alpha1; no apiVersion writes integers.
	const noVersion = {...trafficSplit('x', 'x', [{service: 'checkout-stable', weight: 90}, {service: 'checkout-canary', weight: 10}]), apiVersion: undefined};
	assert.deepEqual(setWeightPatch(noVersion, sides, context(), pair(70, 30))?.filter(o => o.op === 'add').map(o => o.value), [70, 30]);
	assert.equal(smiRouter.handles(split), true);
	assert.equal(smiRouter.handles({kind: 'TrafficTarget', metadata: {name: 'x'}}), false);
	assert.deepEqual(
		[smiRouter.kind, smiRouter.label, smiRouter.watches],
		['smi', 'SMI TrafficSplit', [{kind: 'TrafficSplit', resource: 'trafficsplits', groupVersions: ['split.smi-spec.io/v1alpha2', 'split.smi-spec.io/v1alpha1', 'split.smi-spec.io/v1alpha3', 'split.smi-spec.io/v1alpha4']}]],
	);
});
