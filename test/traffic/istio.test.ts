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

test('serviceOfHost: only names of this namespace, and not other kinds of host', () => {
	assert.deepEqual(
		['checkout', 'checkout.shop', 'checkout.shop.svc', 'checkout.shop.svc.cluster.local', 'checkout.shop.pod', 'checkout.other', '', '*', 'check*out', 7, undefined].map(h => serviceOfHost(h, 'shop')),
		['checkout', 'checkout', 'checkout', 'checkout', undefined, undefined, undefined, undefined, undefined, undefined, undefined],
	);
});

test('istio: a subset is the version whose labels the DestinationRule subset selects, when exactly one does', () => {
	const vs = (subsets: [string, string]) =>
		virtualService('checkout', [
			{
				route: [
					{destination: {host: 'checkout', subset: subsets[0]}, weight: 60},
					{destination: {host: 'checkout', subset: subsets[1]}, weight: 40},
				],
			},
		]);
	const rules = (...subsets: Array<{name: string; labels?: Record<string, string>}>) => destinationRule('checkout', 'checkout.shop.svc.cluster.local', subsets as Array<{name: string; labels: Record<string, string>}>);
	assert.deepEqual(read(vs(['a', 'b']), sides, context(rules({name: 'a', labels: {version: 'v1'}}, {name: 'b', labels: {version: 'v2', app: 'checkout'}})))?.weights, pair(60, 40));
	assert.equal(read(vs(['a', 'b']), sides, context(rules({name: 'a', labels: {app: 'checkout'}}, {name: 'b', labels: {version: 'v2'}}))), undefined, 'a subset both versions fit names neither');
	assert.equal(read(vs(['a', 'b']), sides, context(rules({name: 'a', labels: {}}, {name: 'b', labels: {version: 'v2'}}))), undefined, 'a subset without labels names none');
	assert.equal(read(vs(['a', 'b']), sides, context(rules({name: 'a'}, {name: 'b', labels: {version: 'v2'}}))), undefined, 'nor one with no labels field');
	assert.equal(read(vs(['a', 'b']), sides, context(rules({name: 'a', labels: {version: 'v1', zone: 'x'}}, {name: 'b', labels: {version: 'v2'}}))), undefined, 'every label of the subset must match');
	// A subset the rule does not have: by its name, when a version has that name, else nothing.
	assert.deepEqual(read(vs(['checkout', 'checkout-canary']), sides, context(rules({name: 'other', labels: {version: 'v9'}})))?.weights, pair(60, 40));
	assert.deepEqual(read(vs(['stable', 'canary']), sides, context(rules({name: 'other', labels: {version: 'v9'}})))?.weights, pair(60, 40), 'stable and canary too, when the rule has no such subsets');
	// Without a DestinationRule: a version's own name; primary and main are stable too; only for a pair.
	assert.deepEqual(read(vs(['primary', 'canary']), sides, context())?.weights, pair(60, 40));
	assert.deepEqual(read(vs(['main', 'canary']), sides, context())?.weights, pair(60, 40));
	assert.equal(read(vs(['prod', 'canary']), sides, context()), undefined);
	assert.equal(read(vs(['stable', 'canary']), reviews, context()), undefined, 'three versions: stable and canary are no names');
	// Another kind with spec.subsets is no DestinationRule.
	const lookalike = {...rules({name: 'a', labels: {version: 'v1'}}, {name: 'b', labels: {version: 'v2'}}), kind: 'ServiceEntry'};
	assert.equal(read(vs(['a', 'b']), sides, context(lookalike)), undefined);
	// Several rules: the one for this host.
	const other = destinationRule('pay', 'pay', [{name: 'a', labels: {version: 'v2'}}, {name: 'b', labels: {version: 'v1'}}]);
	assert.deepEqual(read(vs(['a', 'b']), sides, context(other, rules({name: 'a', labels: {version: 'v1'}}, {name: 'b', labels: {version: 'v2'}})))?.weights, pair(60, 40));
	const noSubsets = {...rules(), spec: {host: 'checkout'}};
	assert.deepEqual(read(vs(['checkout', 'checkout-canary']), sides, context(noSubsets))?.weights, pair(60, 40), 'a rule without subsets: by name');
});

test('istio: the route that takes every request: no match, an empty one, or only the uri prefix /', () => {
	const vs = (match: unknown) =>
		virtualService('checkout', [
			{match: [{uri: {prefix: '/api'}}], route: [{destination: {host: 'checkout-stable'}, weight: 50}, {destination: {host: 'checkout-canary'}, weight: 50}]},
			{...(match === undefined ? {} : {match}), route: [{destination: {host: 'checkout-stable'}, weight: 90}, {destination: {host: 'checkout-canary'}, weight: 10}]},
		]);
	for (const everything of [undefined, [], [{}], [{name: 'all'}], [{uri: {prefix: '/'}}], [{uri: {prefix: '/'}, name: 'all'}], [null], [{uri: {prefix: '/x'}}, {uri: {prefix: '/'}}]]) {
		assert.deepEqual(read(vs(everything), sides, context())?.weights, pair(90, 10), JSON.stringify(everything));
	}
	for (const partial of [[{uri: {exact: '/'}}], [{uri: {prefix: '/', exact: '/'}}], [{uri: {prefix: '/x'}}], [{headers: {a: {exact: '1'}}}], [{uri: {prefix: '/'}, headers: {a: {exact: '1'}}}], [{port: 80}]]) {
		assert.deepEqual(read(vs(partial), sides, context())?.weights, pair(50, 50), JSON.stringify(partial));
	}
	assert.equal(read({...virtualService('checkout', []), spec: {http: 'x'}}, sides, context()), undefined);
	assert.equal(read({...virtualService('checkout', []), spec: {}}, sides, context()), undefined);
	const nullRoute = {...virtualService('checkout', []), spec: {http: [null, {route: [{destination: {host: 'checkout-stable'}}, {destination: {host: 'checkout-canary'}}]}]}};
	assert.equal(read(nullRoute, sides, context()), undefined, 'a route that is not an object takes everything, to nothing');
});

test('istio: match routes: to one version, every match by header; cookies in words', () => {
	const vs = (first: object) => virtualService('checkout', [first, {route: [{destination: {host: 'checkout-stable'}, weight: 100}]}]);
	const routesOf = (first: object) => read(vs(first), sides, context())?.routes;
	assert.deepEqual(routesOf({match: [{headers: {Cookie: {regex: '^(.*?;)?(beta=1)(;.*)?$'}}}], route: [{destination: {host: 'checkout-canary'}}]}), [{version: 'checkout-canary', match: 'cookie beta=1'}]);
	assert.deepEqual(routesOf({match: [{headers: {cookie: {regex: '^anything$'}}}], route: [{destination: {host: 'checkout-canary'}}]}), [{version: 'checkout-canary', match: 'header cookie ~ ^anything$'}]);
	assert.deepEqual(routesOf({match: [{headers: {cookie: {exact: 'a=b'}}}], route: [{destination: {host: 'checkout-canary'}}]}), [{version: 'checkout-canary', match: 'header cookie=a=b'}]);
	assert.deepEqual(routesOf({match: [{headers: {'x-a': {}}}], route: [{destination: {host: 'checkout-canary'}}]}), [{version: 'checkout-canary', match: 'header x-a'}]);
	assert.deepEqual(routesOf({match: [{headers: {'x-a': null}}], route: [{destination: {host: 'checkout-canary'}}]}), [{version: 'checkout-canary', match: 'header x-a'}]);
	assert.equal(routesOf({match: [{headers: {}}], route: [{destination: {host: 'checkout-canary'}}]}), undefined, 'no header: not a match route');
	assert.equal(routesOf({match: [{headers: {'x-a': {exact: '1'}}}, {uri: {prefix: '/beta'}}], route: [{destination: {host: 'checkout-canary'}}]}), undefined, 'one match not by header');
	assert.equal(routesOf({match: [{headers: {'x-a': {exact: '1'}}}], route: [{destination: {host: 'checkout-canary'}}, {destination: {host: 'checkout-stable'}}]}), undefined, 'to both versions');
	assert.equal(routesOf({match: [{headers: {'x-a': {exact: '1'}}}]}), undefined, 'to nothing');
	// Match routes after the weighted one are never reached.
	const after = virtualService('checkout', [{route: [{destination: {host: 'checkout-stable'}, weight: 100}]}, {match: [{headers: {'x-a': {exact: '1'}}}], route: [{destination: {host: 'checkout-canary'}}]}]);
	assert.equal(read(after, sides, context()), undefined);
});

test('istio: what the router handles, its backends, and what cannot be patched', () => {
	assert.equal(istioRouter.handles(virtualService('x', [])), true);
	assert.equal(istioRouter.handles({...virtualService('x', []), apiVersion: 'networking.istio.io/v1alpha3'}), true);
	assert.equal(istioRouter.handles({...virtualService('x', []), apiVersion: undefined}), true, 'no apiVersion: the kind says it');
	assert.equal(istioRouter.handles({...virtualService('x', []), apiVersion: 'example.com/v1'}), false, 'a VirtualService of another API');
	assert.equal(istioRouter.handles(destinationRule('x', 'x', [])), false);
	const vs = virtualService('checkout', [
		{route: [{destination: {host: 'checkout-stable'}}, {destination: {host: 'checkout-canary.shop.svc.cluster.local'}}, null, {}]},
		{route: [{destination: {host: 'checkout-stable'}}, {destination: {host: 'payments.other.svc.cluster.local'}}]},
		{},
	]);
	assert.deepEqual(istioRouter.backends(vs, context()), ['checkout-stable', 'checkout-canary']);
	assert.deepEqual(istioRouter.backends({...vs, spec: {}}, context()), []);
	// A version given weight that no route sends to: nothing to add it from.
	const header = virtualService('checkout', [{match: [{headers: {'x-a': {exact: '1'}}}], route: [{destination: {host: 'reviews-v2'}}]}, {route: [{destination: {host: 'reviews-v1'}}]}]);
	assert.equal(setWeightPatch(header, reviews, context(), {'reviews-v1': 80, 'reviews-v2': 10, 'reviews-v3': 10}), undefined);
	// The header version at 0 is not added.
	assert.deepEqual(setWeightPatch(header, reviews, context(), {'reviews-v1': 100, 'reviews-v2': 0, 'reviews-v3': 0}), [
		{op: 'test', path: '/spec/http/1/route/0/destination/host', value: 'reviews-v1'},
		{op: 'add', path: '/spec/http/1/route/0/weight', value: 100},
	]);
	assert.equal(setWeightPatch(virtualService('checkout', [{route: [{destination: {host: 'checkout-stable'}}]}]), sides, context(), pair(50, 50)), undefined, 'no split');
	assert.equal(setWeightPatch(virtualService('checkout', [{route: [{destination: {host: 'checkout-stable'}, weight: 80}, {destination: {host: 'legacy'}, weight: 20}, {destination: {host: 'checkout-canary'}}]}]), sides, context(), pair(50, 50)), undefined, 'a destination of no version has weight');
	assert.deepEqual(
		[istioRouter.kind, istioRouter.label, istioRouter.watches],
		[
			'istio',
			'istio VirtualService',
			[
				{kind: 'VirtualService', resource: 'virtualservices', groupVersions: ['networking.istio.io/v1', 'networking.istio.io/v1beta1', 'networking.istio.io/v1alpha3']},
				{kind: 'DestinationRule', resource: 'destinationrules', groupVersions: ['networking.istio.io/v1', 'networking.istio.io/v1beta1', 'networking.istio.io/v1alpha3']},
			],
		],
	);
});
