// Finding releases of several Deployments and telling their sides apart, literal: canary groups through a
// router object or a Service and a role label, blue-green pairs by one colour-like label, which side is stable
// (labels, names, own Services, DestinationRule subsets, else age then name).
import assert from 'node:assert/strict';
import {test} from 'node:test';
import type {KObject} from '../../source/kube/object.js';
import {findBlueGreenPairs, findCanaryGroups} from '../../source/release/pairs.js';
import {orderPair, orderVersions, ownServices, ROLE_LABELS, sidesOf, toldApartByLabel} from '../../source/release/roles.js';
import {scanSnapshot} from '../../source/release/scan.js';
import {deployment, destinationRule, service, snapshot, trafficSplit, virtualService} from './fixtures.js';

const names = (objects: KObject[]) => objects.map(o => o.metadata.name);
const d = (name: string, labels: Record<string, string>, age = 3600) => deployment(name, {labels, age});
const scanOf = (...objects: KObject[]) => scanSnapshot(snapshot(objects));

test('toldApartByLabel: a role label whose values differ and one of them says canary', () => {
	const told = (a: Record<string, string>, b: Record<string, string>) => toldApartByLabel(d('a', a), d('b', b));
	assert.deepEqual(ROLE_LABELS, ['track', 'version', 'role', 'variant']);
	assert.equal(told({track: 'stable'}, {track: 'canary'}), true);
	assert.equal(told({version: 'Canary'}, {version: 'v1'}), true, 'any case');
	assert.equal(told({role: 'v1'}, {role: 'canary'}), true);
	assert.equal(told({variant: 'canary'}, {variant: 'main'}), true);
	assert.equal(told({track: 'stable'}, {track: 'beta'}), false, 'neither says canary');
	assert.equal(told({track: 'canary'}, {track: 'canary'}), false, 'the same value');
	assert.equal(told({track: 'canary'}, {}), false, 'one side without the label');
	assert.equal(told({tier: 'canary'}, {tier: 'stable'}), false, 'not a role label');
});

test('orderPair: stable first by role label, then name, then own Services, then DestinationRule subsets; else the older, then by name', () => {
	const pair = (a: KObject, b: KObject, ...more: KObject[]) => names(orderPair(a, b, scanOf(a, b, ...more)));
	assert.deepEqual(pair(d('x', {track: 'canary'}), d('y', {track: 'stable'})), ['y', 'x']);
	assert.deepEqual(pair(d('x', {track: 'Production'}), d('y', {track: 'v2'})), ['x', 'y']);
	assert.deepEqual(pair(d('x', {version: 'prod'}), d('y', {})), ['x', 'y']);
	assert.deepEqual(pair(d('web-canary', {app: 'w'}, 9000), d('web', {app: 'w'}, 60)), ['web', 'web-canary'], 'a name with a canary word');
	assert.deepEqual(pair(d('web.next', {app: 'w'}, 60), d('web_primary', {app: 'w', v: '1'}, 9000)), ['web_primary', 'web.next'], 'words split on . and _');
	assert.deepEqual(pair(d('web-main', {app: 'w'}, 60), d('web-b', {app: 'w', v: '2'}, 9000)), ['web-main', 'web-b']);
	// Own Services: one selecting only that Deployment, named with a role word.
	const a = d('a', {app: 'w', v: '1'}, 60);
	const b = d('b', {app: 'w', v: '2'}, 9000);
	assert.deepEqual(pair(a, b, service('w-stable', {v: '1'})), ['a', 'b']);
	assert.deepEqual(pair(a, b, service('w-canary', {v: '1'})), ['b', 'a']);
	assert.deepEqual(pair(a, b, service('w-all', {app: 'w'})), ['b', 'a'], 'a Service of both says nothing: the older first');
	// DestinationRule subsets selecting one Deployment, named with a role word.
	assert.deepEqual(pair(a, b, destinationRule('w', 'w', [{name: 'canary', labels: {v: '1'}}])), ['b', 'a']);
	assert.deepEqual(pair(a, b, destinationRule('w', 'w', [{name: 'primary', labels: {v: '1'}}])), ['a', 'b']);
	assert.deepEqual(pair(a, b, destinationRule('w', 'w', [{name: 'next', labels: {v: '1'}}])), ['b', 'a'], 'a subset name without a role word');
	assert.deepEqual(pair(a, b, {...destinationRule('w', 'w', [{name: 'canary', labels: {v: '1'}}]), kind: 'ServiceEntry'}), ['b', 'a'], 'only DestinationRules');
	// Hints that agree say nothing: the older first, then by name.
	assert.deepEqual(pair(d('x', {track: 'canary'}, 60), d('y', {track: 'canary'}, 9000)), ['y', 'x']);
	assert.deepEqual(pair(d('y', {}, 600), d('x', {}, 600)), ['x', 'y'], 'same age: by name');
	assert.deepEqual(pair(d('x', {}, 600), d('y', {}, 600)), ['x', 'y']);
	// A canary hint on one side is enough, as is a stable hint on the other.
	assert.deepEqual(pair(d('x', {}, 9000), d('y', {track: 'stable'}, 60)), ['y', 'x']);
	assert.deepEqual(pair(d('x', {track: 'canary'}, 60), d('y', {}, 9000)), ['y', 'x']);
	assert.deepEqual(pair(d('x', {}, 60), d('y', {track: 'canary'}, 9000)), ['x', 'y']);
});

test('ownServices and sidesOf: Services that select one Deployment and none of the others', () => {
	const a = d('a', {app: 'w', v: '1'});
	const b = d('b', {app: 'w', v: '2'});
	const scan = scanOf(a, b, service('w', {app: 'w'}), service('w-1', {v: '1'}), service('w-2', {v: '2'}), service('w-1b', {app: 'w', v: '1'}));
	assert.deepEqual(ownServices(a, [a, b], scan), ['w-1', 'w-1b']);
	assert.deepEqual(ownServices(b, [b], scan), ['w', 'w-2'], 'alone, the shared one is its own too');
	assert.deepEqual(sidesOf([a, b], scan), [
		{id: 'a', labels: {app: 'w', v: '1'}, services: ['w-1', 'w-1b']},
		{id: 'b', labels: {app: 'w', v: '2'}, services: ['w-2']},
	]);
});

test('orderVersions: of three or more, the one stable hint, else the oldest; then the others by name', () => {
	const scanned = (...objects: KObject[]) => (list: KObject[]) => names(orderVersions(list, scanOf(...objects)));
	const v1 = d('reviews-v1', {app: 'r', version: 'v1'}, 600);
	const v2 = d('reviews-v2', {app: 'r', version: 'v2'}, 9000);
	const v3 = d('reviews-v3', {app: 'r', version: 'v3'}, 300);
	assert.deepEqual(scanned(v1, v2, v3)([v3, v1, v2]), ['reviews-v2', 'reviews-v1', 'reviews-v3'], 'no hint: the oldest');
	const stable = d('reviews-main', {app: 'r', version: 'v9'}, 60);
	assert.deepEqual(scanned(v1, v2, stable)([v1, stable, v2]), ['reviews-main', 'reviews-v1', 'reviews-v2'], 'one hinted stable');
	const primary = d('reviews-primary', {app: 'r', version: 'v8'}, 30);
	assert.deepEqual(scanned(v1, stable, primary)([v1, stable, primary]), ['reviews-v1', 'reviews-main', 'reviews-primary'], 'two hinted: the oldest');
	const twin = d('reviews-a', {app: 'r', version: 'va'}, 600);
	assert.deepEqual(scanned(v1, twin, v3)([v1, twin, v3]), ['reviews-a', 'reviews-v1', 'reviews-v3'], 'same age: by name');
	assert.deepEqual(scanned(v1, v2)([v1, v2]), ['reviews-v2', 'reviews-v1'], 'two: as orderPair');
});

test('findCanaryGroups: versions a router object splits between, objects by name, each Deployment once', () => {
	const a = d('api', {app: 'api', track: 'stable'});
	const b = d('api-canary', {app: 'api', track: 'canary'});
	const c = d('api-next', {app: 'api', track: 'next'});
	const svcs = [service('api-stable', {track: 'stable'}), service('api-canary', {track: 'canary'}), service('api-next', {track: 'next'})];
	const split = (name: string, backends: Array<[string, number]>) => trafficSplit(name, 'api', backends.map(([s, weight]) => ({service: s, weight})));
	const groups = findCanaryGroups(scanOf(a, b, c, ...svcs, split('b-split', [['api-stable', 80], ['api-next', 20]]), split('a-split', [['api-stable', 90], ['api-canary', 10]])), new Set());
	assert.deepEqual(
		groups.map(g => [names(g.versions), g.traffic?.object.metadata.name, g.traffic?.reading.weights]),
		[[['api', 'api-canary'], 'a-split', {api: 90, 'api-canary': 10}]],
		'a-split first; then b-split finds api taken',
	);
	const claimed = new Set<KObject>([b]);
	assert.deepEqual(
		findCanaryGroups(scanOf(a, b, c, ...svcs, split('a-split', [['api-stable', 90], ['api-canary', 10]]), split('b-split', [['api-stable', 80], ['api-next', 20]])), claimed).map(g => names(g.versions)),
		[['api', 'api-next']],
		'a claimed Deployment is not taken again',
	);
	assert.deepEqual(findCanaryGroups(scanOf(a, b, ...svcs, split('s', [['api-stable', 100]])), new Set()), [], 'one version routed, no Service in front of both');
	assert.deepEqual(findCanaryGroups(scanOf(a, b, ...svcs, service('api', {app: 'api'}), split('s', [['api-stable', 100]])), new Set()).map(g => names(g.versions)), [['api', 'api-canary']], 'the Service in front of both: a pair by its role label');
	assert.deepEqual(findCanaryGroups(scanOf(a, b, split('s', [['api-stable', 50], ['api-canary', 50]])), new Set()), [], 'no Services behind the backends');
	// Istio before SMI, whatever the names.
	const vs = virtualService('z-vs', [{route: [{destination: {host: 'api-stable'}, weight: 70}, {destination: {host: 'api-next'}, weight: 30}]}]);
	assert.deepEqual(findCanaryGroups(scanOf(a, b, c, ...svcs, split('a-split', [['api-stable', 90], ['api-canary', 10]]), vs), new Set()).map(g => [names(g.versions), g.traffic?.router.kind]), [[['api', 'api-next'], 'istio']]);
});

test('findCanaryGroups: more than eight Deployments behind one object or Service are not guessed', () => {
	const many = Array.from({length: 9}, (_, i) => d(`w${i}`, {app: 'w', track: i === 0 ? 'canary' : `t${i}`}));
	const routed = [...many, service('w', {app: 'w'}), trafficSplit('w', 'w', [{service: 'w', weight: 100}])];
	assert.deepEqual(findCanaryGroups(scanOf(...routed), new Set()), []);
	const eight = many.slice(0, 8);
	assert.deepEqual(findCanaryGroups(scanOf(...eight, service('w', {app: 'w'})), new Set()).map(g => names(g.versions)), [['w1', 'w0']], 'eight behind a Service: the first pair told apart');
	// Two behind a Service but not told apart by a role label: no group.
	assert.deepEqual(findCanaryGroups(scanOf(d('x', {app: 'x', track: 'a'}), d('y', {app: 'x', track: 'b'}), service('x', {app: 'x'})), new Set()), []);
});

test('findBlueGreenPairs: one label apart (a colour key, or blue and green under any key); the preview Service selects the other only', () => {
	const blue = d('shop-blue', {app: 'shop', color: 'blue'});
	const green = d('shop-green', {app: 'shop', color: 'green'});
	const pairsOf = (...objects: KObject[]) => findBlueGreenPairs(scanOf(...objects), new Set()).map(p => [p.active.metadata.name, p.preview.metadata.name, p.activeService.metadata.name, p.previewService?.metadata.name]);
	assert.deepEqual(pairsOf(blue, green, service('shop', {app: 'shop', color: 'blue'}), service('shop-preview', {app: 'shop', color: 'green'})), [['shop-blue', 'shop-green', 'shop', 'shop-preview']]);
	assert.deepEqual(pairsOf(blue, green, service('shop', {app: 'shop', color: 'blue'})), [['shop-blue', 'shop-green', 'shop', undefined]], 'no preview Service');
	for (const key of ['colour', 'slot', 'version', 'track', 'variant']) {
		assert.equal(pairsOf(d('a', {app: 's', [key]: 'x'}), d('b', {app: 's', [key]: 'y'}), service('s', {app: 's', [key]: 'x'})).length, 1, key);
	}
	assert.equal(pairsOf(d('a', {app: 's', side: 'blue'}), d('b', {app: 's', side: 'green'}), service('s', {app: 's', side: 'blue'})).length, 1, 'blue and green under another key');
	assert.equal(pairsOf(d('a', {app: 's', side: 'blue'}), d('b', {app: 's', side: 'red'}), service('s', {app: 's', side: 'blue'})).length, 0, 'not a colour key, not both colours');
	assert.equal(pairsOf(d('a', {app: 's', color: 'blue', tier: 'x'}), d('b', {app: 's', color: 'green', tier: 'y'}), service('s', {app: 's', color: 'blue'})).length, 0, 'two labels apart');
	assert.equal(pairsOf(d('a', {color: 'blue'}), d('b', {color: 'green'}), service('s', {color: 'blue'})).length, 0, 'nothing in common');
	assert.equal(pairsOf(d('a', {app: 's', color: 'blue'}), d('b', {app: 's'}), service('s', {app: 's', color: 'blue'})).length, 0, 'the key on one side only');
	assert.deepEqual(pairsOf(blue, green, service('shop', {app: 'shop', color: 'blue'}), service('shop-all', {app: 'shop'})), [], 'a Service in front of both is not blue-green');
	assert.deepEqual(pairsOf(blue, green, service('shop-preview', {app: 'shop', color: 'blue'})), [], 'a preview Service is never the active one');
	// The active Service: non-preview first, then the shortest name, then by name; the preview: a preview one, then shortest.
	const extra = [service('shop-a', {app: 'shop', color: 'green'}), service('shop-green-preview', {app: 'shop', color: 'green'}), service('shop-preview', {app: 'shop', color: 'green'})];
	assert.deepEqual(pairsOf(blue, green, service('shop', {app: 'shop', color: 'blue'}), ...extra), [['shop-blue', 'shop-green', 'shop', 'shop-preview']]);
	const claimed = new Set<KObject>([green]);
	assert.deepEqual(findBlueGreenPairs(scanOf(blue, green, service('shop', {app: 'shop', color: 'blue'})), claimed), []);
	// Of two partners, the one with a preview Service.
	const red = d('shop-red', {app: 'shop', color: 'red'});
	assert.deepEqual(pairsOf(blue, red, green, service('shop', {app: 'shop', color: 'blue'}), service('shop-preview', {app: 'shop', color: 'green'})), [['shop-blue', 'shop-green', 'shop', 'shop-preview']]);
	assert.deepEqual(pairsOf(blue, green, red, service('shop', {app: 'shop', color: 'blue'}), service('shop-preview', {app: 'shop', color: 'red'})), [['shop-blue', 'shop-red', 'shop', 'shop-preview']]);
});

test('findCanaryGroups: eight Deployments behind one router object are eight versions, the stable first', () => {
	const versions = Array.from({length: 8}, (_, i) => d(`v${i}`, {app: 'v', version: `v${i}`}, i === 3 ? 90_000 : 3600));
	const services = versions.map((_, i) => service(`v${i}`, {app: 'v', version: `v${i}`}));
	const split = trafficSplit('v', 'v', versions.map((_, i) => ({service: `v${i}`, weight: i === 3 ? 65 : 5})));
	const groups = findCanaryGroups(scanOf(...versions, ...services, split), new Set());
	assert.deepEqual(groups.map(g => [names(g.versions), g.traffic?.reading.weights]), [[['v3', 'v0', 'v1', 'v2', 'v4', 'v5', 'v6', 'v7'], {v0: 5, v1: 5, v2: 5, v3: 65, v4: 5, v5: 5, v6: 5, v7: 5}]]);
});

test('findBlueGreenPairs: of two Services that each select one colour, the shorter name is the active one, whatever the order by name', () => {
	const blue = d('web-blue', {app: 'web', color: 'blue'});
	const green = d('web-green', {app: 'web', color: 'green'});
	const pairs = findBlueGreenPairs(scanOf(blue, green, service('aaa', {app: 'web', color: 'blue'}), service('zz', {app: 'web', color: 'green'})), new Set());
	assert.deepEqual(pairs.map(p => [p.active.metadata.name, p.preview.metadata.name, p.activeService.metadata.name, p.previewService?.metadata.name]), [['web-green', 'web-blue', 'zz', 'aaa']]);
	const same = findBlueGreenPairs(scanOf(blue, green, service('bb', {app: 'web', color: 'blue'}), service('ab', {app: 'web', color: 'green'})), new Set());
	assert.deepEqual(same.map(p => [p.active.metadata.name, p.activeService.metadata.name]), [['web-green', 'ab']], 'the same length: by name');
});
