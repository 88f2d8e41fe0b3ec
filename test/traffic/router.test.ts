// What the router modules share: weights checked, percents, readings, the versions a list names and their
// shares, whether an object splits traffic, the JSON Patch operations of one entry, and the registry that
// picks which object holds a release's weights.
import assert from 'node:assert/strict';
import {test} from 'node:test';
import {managedBy} from '../../source/traffic/managed.js';
import {
	checkWeights,
	entryWeightOps,
	entryWeights,
	objectRef,
	percent,
	type RouterKind,
	readingOf,
	sideOfService,
	splits,
	versionsIn,
	weightsOf,
	weightValue,
} from '../../source/traffic/router.js';
import {findTraffic, routerChoices, routerFor, routerLabel, routers, routerWatches} from '../../source/traffic/routers.js';
import {destinationRule, httpRoute, ingress, trafficSplit, traefikService, virtualService} from '../release/fixtures.js';
import {context, sides} from './sides.js';

test('checkWeights: whole percents from 0 to 100 adding up to 100, else a RangeError naming them', () => {
	checkWeights({a: 100});
	checkWeights({a: 0, b: 100});
	checkWeights({a: 33, b: 33, c: 34});
	for (const bad of [{a: 50, b: 49}, {a: 50.5, b: 49.5}, {a: -10, b: 110}, {a: 101, b: -1}, {a: 60, b: 50}, {}] as Array<Record<string, number>>) {
		assert.throws(() => checkWeights(bad), {name: 'RangeError', message: `weights must be whole percents from 0 to 100 adding up to 100, got ${JSON.stringify(bad)}`});
	}
});

test('percent: one decimal, 0 of nothing', () => {
	assert.deepEqual([percent(1, 3), percent(2, 3), percent(1, 8), percent(0, 5), percent(5, 0), percent(3, -1)], [33.3, 66.7, 12.5, 0, 0, 0]);
});

test('weightValue: numbers and Quantities, nothing else', () => {
	const values = ['90', ' 90 ', '12.5', '500m', '1.5m', 90, 0, Number.NaN, Number.POSITIVE_INFINITY, '', 'm', '90 %', '-5', '+5', '5x', 'a5', '5.', '.5', '5.m', true, null, {}];
	assert.deepEqual(
		values.map(weightValue),
		[90, 90, 12.5, 0.5, 0.0015, 90, 0, undefined, undefined, undefined, undefined, undefined, undefined, undefined, undefined, undefined, undefined, undefined, undefined, undefined, undefined, undefined],
	);
});

test('objectRef and readingOf: Kind/name; the versions of match routes get 0 when unweighted; the controller that owns it', () => {
	assert.equal(objectRef({kind: 'VirtualService', metadata: {name: 'checkout'}}), 'VirtualService/checkout');
	assert.equal(objectRef({metadata: {}}), 'Object/');
	const vs = virtualService('checkout', []);
	assert.deepEqual(readingOf('istio', vs, {a: 90, b: 10}), {router: 'istio', object: 'VirtualService/checkout', weights: {a: 90, b: 10}});
	assert.deepEqual(readingOf('istio', vs, {a: 100}, [{version: 'b', match: 'header x=1'}, {version: 'a', match: 'cookie c=1'}]), {
		router: 'istio',
		object: 'VirtualService/checkout',
		weights: {a: 100, b: 0},
		routes: [
			{version: 'b', match: 'header x=1'},
			{version: 'a', match: 'cookie c=1'},
		],
	});
	const owned = virtualService('checkout', [], {ownerReferences: [{apiVersion: 'argoproj.io/v1alpha1', kind: 'Rollout', name: 'r', uid: 'u'}]});
	assert.deepEqual(readingOf('istio', owned, {a: 100}), {router: 'istio', object: 'VirtualService/checkout', weights: {a: 100}, managedBy: 'argo-rollouts'});
	const weights = {a: 100};
	readingOf('istio', vs, weights, [{version: 'b', match: 'm'}]);
	assert.deepEqual(weights, {a: 100}, 'the weights given are left as they are');
});

test('sideOfService, versionsIn, weightsOf: which version a Service is, the versions a list names, each one\'s share of it', () => {
	assert.equal(sideOfService('checkout-canary', sides), 'checkout-canary');
	assert.equal(sideOfService('checkout', sides), undefined);
	assert.equal(sideOfService(7, sides), undefined);
	assert.deepEqual(versionsIn([{side: 'b'}, {}, {side: 'a'}, {side: 'b'}]), ['b', 'a']);
	assert.deepEqual(
		weightsOf([
			{side: 'a', weight: 60},
			{side: 'b', weight: 20},
			{side: 'a', weight: 10},
			{weight: 10},
			{side: 'b', weight: -5},
		]),
		{a: 70, b: 20},
		'entries of no version count in the total; negative weights count as 0',
	);
	assert.deepEqual(weightsOf([{side: 'a', weight: 0}, {side: 'b', weight: 0}]), {a: 0, b: 0});
});

test('splits: two versions by weight, or one by weight and another by a match route', () => {
	assert.equal(splits(['a', 'b'], []), true);
	assert.equal(splits(['a'], [{version: 'b', match: 'm'}]), true);
	assert.equal(splits(['a'], [{version: 'a', match: 'm'}]), false);
	assert.equal(splits(['a'], []), false);
	assert.equal(splits([], [{version: 'a', match: 'm'}, {version: 'b', match: 'n'}]), false, 'match routes alone do not split');
});

test('entryWeightOps: test the entry, test its old weight when it had one, add the new one', () => {
	assert.deepEqual(entryWeightOps('/spec/x/0', {field: 'name', value: 'a'}, 90, 50), [
		{op: 'test', path: '/spec/x/0/name', value: 'a'},
		{op: 'test', path: '/spec/x/0/weight', value: 90},
		{op: 'add', path: '/spec/x/0/weight', value: 50},
	]);
	assert.deepEqual(entryWeightOps('/spec/x/1', {field: 'service', value: 'b'}, undefined, 50), [
		{op: 'test', path: '/spec/x/1/service', value: 'b'},
		{op: 'add', path: '/spec/x/1/weight', value: 50},
	]);
	assert.deepEqual(entryWeightOps('/spec/x/1', {field: 'service', value: 'b'}, 0, '50'), [
		{op: 'test', path: '/spec/x/1/service', value: 'b'},
		{op: 'test', path: '/spec/x/1/weight', value: 0},
		{op: 'add', path: '/spec/x/1/weight', value: '50'},
	]);
});

test('entryWeights: a version\'s share to its first entry, 0 to its others; entries of no version left alone unless they carry weight', () => {
	assert.deepEqual(
		entryWeights(
			[
				{side: 'a', weight: 50},
				{side: 'b', weight: 30},
				{side: 'a', weight: 20},
				{weight: 0},
				{side: 'c', weight: 0},
			],
			{a: 70, b: 30},
		),
		[70, 30, 0, undefined, undefined],
	);
	assert.equal(entryWeights([{side: 'a', weight: 90}, {weight: 10}], {a: 100}), undefined);
	assert.deepEqual(entryWeights([{side: 'a', weight: 90}, {weight: -1}], {a: 100}), [100, undefined], 'a negative weight is none');
});

test('the registry: routers in order of preference, --router choices, labels, what the release watch lists', () => {
	assert.deepEqual(
		routers.map(r => [r.kind, r.label]),
		[
			['istio', 'istio VirtualService'],
			['gateway-api', 'Gateway API HTTPRoute'],
			['smi', 'SMI TrafficSplit'],
			['traefik', 'Traefik weighted service'],
			['nginx', 'NGINX canary Ingress'],
		],
	);
	assert.deepEqual(routerChoices, ['istio', 'gateway-api', 'smi', 'traefik', 'nginx', 'replicas']);
	assert.deepEqual(
		(['istio', 'replicas', 'service-selector', 'deployment', 'nginx', 'other'] as RouterKind[]).map(k => routerLabel(k)),
		['istio VirtualService', 'replica ratio', 'Service selector', 'Deployment controller', 'NGINX canary Ingress', 'other'],
	);
	assert.equal(routerLabel('istio', []), 'istio', 'a router not in the list: its name');
	assert.deepEqual(
		routerWatches.map(w => w.kind),
		['VirtualService', 'DestinationRule', 'HTTPRoute', 'TrafficSplit', 'TraefikService', 'Ingress'],
	);
	assert.equal(routerFor(virtualService('x', []))?.kind, 'istio');
	assert.equal(routerFor(httpRoute('x', []))?.kind, 'gateway-api');
	assert.equal(routerFor(trafficSplit('x', 'x', []))?.kind, 'smi');
	assert.equal(routerFor(traefikService('x', []))?.kind, 'traefik');
	assert.equal(routerFor(ingress('x', 'h', 's', {'nginx.ingress.kubernetes.io/canary': 'true'}))?.kind, 'nginx');
	assert.equal(routerFor(destinationRule('x', 'x', [])), undefined);
	assert.equal(routerFor(virtualService('x', []), routers.slice(1)), undefined);
});

test('findTraffic: by router preference, then by object name; an object that does not split is passed over', () => {
	const vs = (name: string, weights: [number, number]) =>
		virtualService(name, [
			{
				route: [
					{destination: {host: 'checkout-stable'}, weight: weights[0]},
					{destination: {host: 'checkout-canary'}, weight: weights[1]},
				],
			},
		]);
	const split = trafficSplit('a-split', 'checkout', [
		{service: 'checkout-stable', weight: 50},
		{service: 'checkout-canary', weight: 50},
	]);
	const found = findTraffic(sides, context(split, vs('zeta', [70, 30]), vs('beta', [80, 20]), vs('alpha', [100, 0])));
	assert.deepEqual([found?.router.kind, found?.object.metadata.name, found?.reading.weights], ['istio', 'alpha', {checkout: 100, 'checkout-canary': 0}]);
	const notSplitting = virtualService('aaa', [{route: [{destination: {host: 'checkout-stable'}}]}]);
	assert.equal(findTraffic(sides, context(notSplitting, vs('bbb', [80, 20])))?.object.metadata.name, 'bbb');
	assert.equal(findTraffic(sides, context(split, notSplitting))?.router.kind, 'smi');
	const unnamed = {...vs('', [60, 40]), metadata: {namespace: 'shop'}};
	assert.equal(findTraffic(sides, context(vs('b', [80, 20]), unnamed))?.reading.weights['checkout-canary'], 40, 'no name sorts first');
	assert.equal(findTraffic(sides, context(vs('b', [80, 20]), vs('a', [90, 10])), routers.slice(1)), undefined);
	assert.equal(findTraffic(sides, context()), undefined);
});

test('managedBy: owner references, then marks in label and annotation keys, or in the values of managed-by, created-by, controller keys', () => {
	const meta = (metadata: object) => managedBy({metadata: {name: 'x', ...metadata}});
	assert.equal(meta({ownerReferences: [{apiVersion: 'apps/v1', kind: 'Deployment', name: 'd', uid: '1'}]}), undefined);
	assert.equal(meta({ownerReferences: [{apiVersion: 'example.com/v1', kind: 'Canary', name: 'c', uid: '1'}]}), undefined, 'another project\'s Canary');
	assert.equal(meta({ownerReferences: [{kind: 'Canary', name: 'c', uid: '1'}]}), 'flagger', 'a Canary without apiVersion');
	assert.equal(meta({ownerReferences: [{apiVersion: 'x/v1', kind: 'Rollout', name: 'r', uid: '1'}]}), 'argo-rollouts');
	assert.equal(meta({labels: {'rollouts-pod-template-hash': 'x'}}), undefined);
	assert.equal(meta({labels: {'argo-rollouts.argoproj.io/something': 'x'}}), 'argo-rollouts');
	assert.equal(meta({annotations: {'argorollouts/x': 'y'}}), 'argo-rollouts');
	assert.equal(meta({annotations: {'ArgoProj.io/x': 'y'}}), 'argo-rollouts', 'case does not matter');
	assert.equal(meta({labels: {'flagger-id': 'x'}}), 'flagger');
	assert.equal(meta({labels: {'app.kubernetes.io/managed-by': 'Helm'}}), undefined);
	assert.equal(meta({labels: {'app.kubernetes.io/managed-by': 'argo-rollouts'}}), 'argo-rollouts');
	assert.equal(meta({annotations: {'created-by': 'Flagger'}}), 'flagger');
	assert.equal(meta({annotations: {'my-controller': 'flagger'}}), 'flagger');
	assert.equal(meta({annotations: {owner: 'flagger'}}), undefined, 'a value counts only under managed-by, created-by or controller');
	assert.equal(meta({annotations: {'kubectl.kubernetes.io/last-applied-configuration': '{"metadata":{"labels":{"app.kubernetes.io/managed-by":"flagger"}}}'}}), undefined);
	assert.equal(meta({annotations: {'kubectl.kubernetes.io/last-applied-configuration': '{}', 'managed-by': 'flagger'}}), 'flagger', 'the other keys still count');
	assert.equal(meta({labels: {'managed-by': 'argo'}, annotations: {}}), undefined, 'argo alone is not Argo Rollouts');
});
