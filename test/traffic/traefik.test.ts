import assert from 'node:assert/strict';
import {test} from 'node:test';
import {read, setWeightPatch, traefikRouter} from '../../source/traffic/traefik.js';
import {traefikService} from '../release/fixtures.js';
import {context, pair, sides} from './sides.js';

test('traefik: weighted services, default weight 1', () => {
	const wrr = traefikService('wrr', [{name: 'checkout-stable', weight: 9}, {name: 'checkout-canary', weight: 1}]);
	assert.deepEqual(read(wrr, sides, context()), {router: 'traefik', object: 'TraefikService/wrr', weights: pair(90, 10)});
	assert.deepEqual(read(traefikService('wrr', [{name: 'checkout-stable'}, {name: 'checkout-canary'}]), sides, context())?.weights, pair(50, 50));
	assert.ok(traefikRouter.handles(wrr));
	assert.ok(!traefikRouter.handles({kind: 'TraefikService', metadata: {name: 'mirror'}, spec: {mirroring: {name: 'x'}}}));
});

test('traefik: set-weight patch', () => {
	const wrr = traefikService('wrr', [{name: 'checkout-stable', weight: 90}, {name: 'checkout-canary', weight: 10}]);
	assert.deepEqual(setWeightPatch(wrr, sides, context(), pair(100, 0)), [
		{op: 'test', path: '/spec/weighted/services/0/name', value: 'checkout-stable'},
		{op: 'test', path: '/spec/weighted/services/0/weight', value: 90},
		{op: 'add', path: '/spec/weighted/services/0/weight', value: 100},
		{op: 'test', path: '/spec/weighted/services/1/name', value: 'checkout-canary'},
		{op: 'test', path: '/spec/weighted/services/1/weight', value: 10},
		{op: 'add', path: '/spec/weighted/services/1/weight', value: 0},
	]);
});
