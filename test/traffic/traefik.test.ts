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

test('traefik: only Services of this namespace are versions; what cannot be patched; the router\'s description', () => {
	const entry = (extra: object) => traefikService('wrr', [{name: 'checkout-stable', weight: 3}, {name: 'checkout-canary', weight: 1, ...extra}]);
	assert.deepEqual(read(entry({kind: 'Service', namespace: 'shop'}), sides, context())?.weights, pair(75, 25));
	assert.equal(read(entry({kind: 'TraefikService'}), sides, context()), undefined, 'another TraefikService is no version');
	assert.equal(read(entry({namespace: 'other'}), sides, context()), undefined, 'another namespace');
	const withOther = traefikService('wrr', [{name: 'checkout-stable', weight: 8}, {name: 'checkout-canary', weight: 1}, {name: 'legacy', weight: 1}]);
	assert.deepEqual(read(withOther, sides, context())?.weights, pair(80, 10));
	assert.equal(setWeightPatch(withOther, sides, context(), pair(50, 50)), undefined, 'legacy has weight: the versions do not own the split');
	assert.equal(setWeightPatch(traefikService('wrr', [{name: 'checkout-stable', weight: 1}]), sides, context(), pair(50, 50)), undefined, 'one version: no split');
	assert.deepEqual(setWeightPatch(traefikService('wrr', [{name: 'checkout-stable'}, {name: 'checkout-canary'}]), sides, context(), pair(30, 70)), [
		{op: 'test', path: '/spec/weighted/services/0/name', value: 'checkout-stable'},
		{op: 'add', path: '/spec/weighted/services/0/weight', value: 30},
		{op: 'test', path: '/spec/weighted/services/1/name', value: 'checkout-canary'},
		{op: 'add', path: '/spec/weighted/services/1/weight', value: 70},
	]);
	const odd = {...withOther, spec: {weighted: {services: [null, {name: 'a'}, {name: 'b', namespace: 'other'}, {name: 'a'}, {name: 'c', kind: 'TraefikService'}]}}};
	assert.deepEqual(traefikRouter.backends(odd, context()), ['a']);
	assert.deepEqual(traefikRouter.backends({...withOther, spec: {}}, context()), []);
	assert.equal(read({...withOther, spec: {weighted: {services: 'x'}}}, sides, context()), undefined);
	assert.equal(traefikRouter.handles({kind: 'IngressRoute', metadata: {name: 'x'}, spec: {weighted: {services: []}}}), false);
	assert.deepEqual(
		[traefikRouter.kind, traefikRouter.label, traefikRouter.watches],
		['traefik', 'Traefik weighted service', [{kind: 'TraefikService', resource: 'traefikservices', groupVersions: ['traefik.io/v1alpha1', 'traefik.containo.us/v1alpha1']}]],
	);
});
