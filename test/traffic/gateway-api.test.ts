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

/** An HTTPRoute of these rules, each `[matches, [name, weight?][]]`. */
function rules(...list: Array<[unknown, Array<[string, number?]>]>) {
	const route = httpRoute('r', []);
	route.spec.rules = list.map(([matches, refs]) => ({...(matches === undefined ? {} : {matches}), backendRefs: refs.map(([name, weight]) => ({name, port: 80, ...(weight === undefined ? {} : {weight})}))}));
	return route;
}
const split: Array<[string, number?]> = [['checkout-stable', 90], ['checkout-canary', 10]];
const half: Array<[string, number?]> = [['checkout-stable', 50], ['checkout-canary', 50]];

test('gateway-api: the rule that takes every request is the first with no match, or a match with nothing but the path prefix /', () => {
	const weightsOf = (route: ReturnType<typeof rules>) => read(route, sides, context())?.weights;
	for (const everything of [undefined, [], [{}], [{path: {type: 'PathPrefix', value: '/'}}], [{path: {value: '/'}}], [{path: {type: 'PathPrefix'}}], [{headers: []}], [{queryParams: []}], [{path: {value: '/api'}}, {}], [null]]) {
		assert.deepEqual(weightsOf(rules([[{path: {value: '/api'}}], half], [everything, split])), pair(90, 10), JSON.stringify(everything));
	}
	for (const partial of [[{path: {type: 'Exact', value: '/'}}], [{path: {type: 'PathPrefix', value: '/api'}}], [{headers: [{name: 'x', value: '1'}]}], [{queryParams: [{name: 'q', value: '1'}]}], [{method: 'GET'}], [{path: {type: 'RegularExpression', value: '/'}}]]) {
		assert.deepEqual(weightsOf(rules([[{path: {value: '/api'}}], half], [partial, split])), pair(50, 50), `${JSON.stringify(partial)}: the first rule naming both versions`);
	}
	// No rule takes everything and none names both versions: nothing to read.
	assert.equal(read(rules([[{path: {value: '/a'}}], [['checkout-stable', 1]]], [[{path: {value: '/b'}}], [['checkout-canary', 1]]]), sides, context()), undefined);
	assert.equal(read({...httpRoute('r', []), spec: {rules: 'many'}}, sides, context()), undefined);
	assert.equal(read({...httpRoute('r', []), spec: {}}, sides, context()), undefined);
	const nulls = {...httpRoute('r', []), spec: {rules: [null, {backendRefs: [{name: 'checkout-stable', weight: 3}, {name: 'checkout-canary', weight: 1}]}]}};
	assert.equal(read(nulls, sides, context()), undefined, 'a rule that is not an object is an empty one: it takes every request, to no backend');
	assert.deepEqual(read({...nulls, spec: {rules: nulls.spec.rules.slice(1)}}, sides, context())?.weights, pair(75, 25));
});

test('gateway-api: match routes are rules matching by header before or after the weighted one, to one version', () => {
	const headerRule = (headers: unknown[], refs: Array<[string, number?]> = [['checkout-canary']]) => [[{headers}], refs] as [unknown, Array<[string, number?]>];
	const routesOf = (...extra: Array<[unknown, Array<[string, number?]>]>) => read(rules([undefined, [['checkout-stable', 100]]], ...extra), sides, context())?.routes;
	assert.deepEqual(routesOf(headerRule([{name: 'x-a', value: '1'}, {type: 'Exact', name: 'x-b', value: '2'}])), [{version: 'checkout-canary', match: 'header x-a=1 and header x-b=2'}]);
	assert.deepEqual(routesOf([[{headers: [{name: 'x-a', value: '1'}]}, {headers: [{type: 'RegularExpression', name: 'x-b', value: '^b'}]}], [['checkout-canary']]]), [{version: 'checkout-canary', match: 'header x-a=1 or header x-b ~ ^b'}]);
	assert.equal(routesOf([[{headers: [{name: 'x-a', value: '1'}]}, {path: {value: '/beta'}}], [['checkout-canary']]]), undefined, 'one match not by header: no route, and so no split');
	assert.equal(routesOf(headerRule([{name: 'x-a', value: '1'}], half)), undefined, 'to both versions: not a match route');
	assert.equal(routesOf(headerRule([{name: 'x-a', value: '1'}], [['other']])), undefined, 'to no version');
	assert.equal(routesOf([[], [['checkout-canary']]]), undefined, 'a second rule taking everything is not a match route');
	assert.equal(routesOf(headerRule([])), undefined, 'no header: not a match route');
	assert.deepEqual(read(rules([undefined, [['checkout-stable', 100]]], headerRule([{name: 'x', value: '1'}])), sides, context()), {router: 'gateway-api', object: 'HTTPRoute/r', weights: pair(100, 0), routes: [{version: 'checkout-canary', match: 'header x=1'}]});
	assert.equal(read(rules([undefined, [['checkout-stable', 100]]]), sides, context()), undefined, 'one version, no match route: no split');
});

test('gateway-api: only core Services of this namespace are versions, and backends lists them once', () => {
	const route = httpRoute('r', [
		{name: 'checkout-stable', weight: 90},
		{name: 'checkout-canary', weight: 10},
	]);
	const withRef = (ref: object) => ({...route, spec: {...route.spec, rules: [{backendRefs: [{name: 'checkout-stable', weight: 90}, {name: 'checkout-canary', weight: 10, ...ref}]}]}});
	assert.deepEqual(read(withRef({kind: 'Service', group: '', namespace: 'shop'}), sides, context())?.weights, pair(90, 10));
	assert.deepEqual(read(withRef({group: 'example.com'}), sides, context())?.weights, undefined, 'another API group');
	assert.deepEqual(read(withRef({namespace: 'other'}), sides, context())?.weights, undefined, 'another namespace');
	const many = {...route, spec: {rules: [{backendRefs: [{name: 'a'}, {name: 'b', namespace: 'other'}, {name: 'a'}]}, {backendRefs: [{name: 'c', group: 'x'}, {name: 'd', kind: 'Service'}]}, {}]}};
	assert.deepEqual(gatewayApiRouter.backends(many, context()), ['a', 'd']);
	assert.deepEqual(gatewayApiRouter.backends({...route, spec: {}}, context()), []);
});

test('gateway-api: what cannot be patched, and the router\'s description', () => {
	// An entry of no version with weight in the weighted rule: whole percents of the versions cannot be written.
	assert.equal(setWeightPatch(rules([undefined, [...split, ['other', 5]]]), sides, context(), pair(50, 50)), undefined);
	// In another rule it is only that rule that is left alone.
	const ops = setWeightPatch(rules([undefined, split], [[{path: {value: '/x'}}], [...half, ['other', 5]]]), sides, context(), pair(50, 50));
	assert.deepEqual(ops?.map(o => o.path).filter(p => p.startsWith('/spec/rules/1')), []);
	// A version given weight that no rule sends to: nothing to add it from.
	assert.equal(setWeightPatch(rules([undefined, [['reviews-v1', 100]]], [[{headers: [{name: 'x', value: '1'}]}], [['reviews-v2']]]), reviews, context(), {'reviews-v1': 80, 'reviews-v2': 10, 'reviews-v3': 10}), undefined);
	// A version at 0 with only a match rule is not added.
	const header = rules([[{headers: [{name: 'x', value: '1'}]}], [['checkout-canary']]], [undefined, [['checkout-stable', 100]]]);
	assert.deepEqual(setWeightPatch(header, sides, context(), pair(100, 0)), [
		{op: 'test', path: '/spec/rules/1/backendRefs/0/name', value: 'checkout-stable'},
		{op: 'test', path: '/spec/rules/1/backendRefs/0/weight', value: 100},
		{op: 'add', path: '/spec/rules/1/backendRefs/0/weight', value: 100},
	]);
	assert.equal(setWeightPatch(rules([undefined, [['checkout-stable', 100]]]), sides, context(), pair(50, 50)), undefined, 'no split');
	assert.equal(setWeightPatch(rules([undefined, split]), sides, context(), {other: 100}), undefined, 'weights of none of its versions: no operation');
	assert.throws(() => setWeightPatch(rules([undefined, split]), sides, context(), pair(50, 49)), RangeError);
	assert.equal(gatewayApiRouter.handles(httpRoute('r', [])), true);
	assert.equal(gatewayApiRouter.handles({kind: 'GRPCRoute', metadata: {name: 'r'}}), false);
	assert.deepEqual([gatewayApiRouter.kind, gatewayApiRouter.label, gatewayApiRouter.watches], ['gateway-api', 'Gateway API HTTPRoute', [{kind: 'HTTPRoute', resource: 'httproutes', groupVersions: ['gateway.networking.k8s.io/v1', 'gateway.networking.k8s.io/v1beta1']}]]);
});
