import assert from 'node:assert/strict';
import {test} from 'node:test';
import {CANARY, CANARY_BY_COOKIE, CANARY_BY_HEADER, CANARY_BY_HEADER_PATTERN, CANARY_BY_HEADER_VALUE, CANARY_WEIGHT, CANARY_WEIGHT_TOTAL, nginxRouter, read, setWeightPatch} from '../../source/traffic/nginx.js';
import {ingress} from '../release/fixtures.js';
import {context, pair, sides} from './sides.js';

const main = ingress('checkout', 'shop.example.com', 'checkout-stable');
const canary = (annotations: Record<string, string>) => ingress('checkout-canary', 'shop.example.com', 'checkout-canary', {'nginx.ingress.kubernetes.io/canary': 'true', ...annotations});

test('nginx: canary-weight out of 100 by default', () => {
	const obj = canary({'nginx.ingress.kubernetes.io/canary-weight': '10'});
	assert.deepEqual(read(obj, sides, context(main, obj)), {router: 'nginx', object: 'Ingress/checkout-canary', weights: pair(90, 10)});
	assert.ok(nginxRouter.handles(obj));
	assert.ok(!nginxRouter.handles(main));
	assert.deepEqual(nginxRouter.backends(obj, context(main, obj)), ['checkout-canary', 'checkout-stable']);
});

test('nginx: canary-weight-total scales the weight; no weight is 0', () => {
	const obj = canary({'nginx.ingress.kubernetes.io/canary-weight': '5', 'nginx.ingress.kubernetes.io/canary-weight-total': '1000'});
	assert.deepEqual(read(obj, sides, context(main, obj))?.weights, pair(99.5, 0.5));
	const none = canary({});
	assert.deepEqual(read(none, sides, context(main, none))?.weights, pair(100, 0));
});

test('nginx: canary-by-header (always, a value, a pattern) and canary-by-cookie are match routes, in nginx\'s order', () => {
	const always = canary({'nginx.ingress.kubernetes.io/canary-by-header': 'x-canary', 'nginx.ingress.kubernetes.io/canary-by-cookie': 'canary'});
	assert.deepEqual(read(always, sides, context(main, always))?.routes, [
		{version: 'checkout-canary', match: 'header x-canary=always'},
		{version: 'checkout-canary', match: 'cookie canary=always'},
	]);
	const value = canary({'nginx.ingress.kubernetes.io/canary-by-header': 'x-region', 'nginx.ingress.kubernetes.io/canary-by-header-value': 'eu'});
	assert.deepEqual(read(value, sides, context(main, value))?.routes, [{version: 'checkout-canary', match: 'header x-region=eu'}]);
	const pattern = canary({'nginx.ingress.kubernetes.io/canary-by-header': 'x-user', 'nginx.ingress.kubernetes.io/canary-by-header-pattern': '^beta'});
	assert.deepEqual(read(pattern, sides, context(main, pattern))?.routes, [{version: 'checkout-canary', match: 'header x-user ~ ^beta'}]);
});

test('nginx: the main Ingress\'s defaultBackend counts as its Service', () => {
	const byDefault = {...ingress('checkout', 'shop.example.com', 'unused'), spec: {ingressClassName: 'nginx', defaultBackend: {service: {name: 'checkout-stable', port: {number: 80}}}, rules: [{host: 'shop.example.com'}]}};
	const obj = canary({'nginx.ingress.kubernetes.io/canary-weight': '30'});
	assert.deepEqual(read(obj, sides, context(byDefault, obj))?.weights, pair(70, 30));
});

test('nginx: needs a main Ingress for the same host pointing at the stable side', () => {
	const obj = canary({'nginx.ingress.kubernetes.io/canary-weight': '10'});
	assert.equal(read(obj, sides, context(obj)), undefined);
	const elsewhere = ingress('other', 'other.example.com', 'checkout-stable');
	assert.equal(read(obj, sides, context(elsewhere, obj)), undefined);
});

test('nginx: set-weight patch tests the canary flag and old weight, writes a string', () => {
	const obj = canary({'nginx.ingress.kubernetes.io/canary-weight': '10', 'nginx.ingress.kubernetes.io/canary-weight-total': '1000'});
	assert.deepEqual(setWeightPatch(obj, sides, context(main, obj), pair(75, 25)), [
		{op: 'test', path: '/metadata/annotations/nginx.ingress.kubernetes.io~1canary', value: 'true'},
		{op: 'test', path: '/metadata/annotations/nginx.ingress.kubernetes.io~1canary-weight', value: '10'},
		{op: 'add', path: '/metadata/annotations/nginx.ingress.kubernetes.io~1canary-weight', value: '250'},
	]);
	const fresh = canary({});
	assert.deepEqual(setWeightPatch(fresh, sides, context(main, fresh), pair(90, 10)), [
		{op: 'test', path: '/metadata/annotations/nginx.ingress.kubernetes.io~1canary', value: 'true'},
		{op: 'add', path: '/metadata/annotations/nginx.ingress.kubernetes.io~1canary-weight', value: '10'},
	]);
});

test('nginx: the main Ingress is a non-canary Ingress sharing a host (any, when the canary names none)', () => {
	const obj = canary({'nginx.ingress.kubernetes.io/canary-weight': '20'});
	const twoHosts = {...ingress('checkout', 'a.example.com', 'checkout-stable'), spec: {ingressClassName: 'nginx', rules: [{host: 'a.example.com', http: {paths: [{backend: {service: {name: 'checkout-stable'}}}]}}, {host: 'shop.example.com'}]}};
	assert.deepEqual(read(obj, sides, context(twoHosts, obj))?.weights, pair(80, 20), 'one shared host is enough');
	const otherCanary = ingress('zz-canary', 'shop.example.com', 'checkout-stable', {'nginx.ingress.kubernetes.io/canary': 'true'});
	assert.equal(read(obj, sides, context(otherCanary, obj)), undefined, 'another canary is no main Ingress');
	const notIngress = {...main, kind: 'Service'};
	assert.equal(read(obj, sides, context(notIngress, obj)), undefined);
	const hostless = {...obj, spec: {ingressClassName: 'nginx', rules: [{http: {paths: [{backend: {service: {name: 'checkout-canary'}}}]}}]}};
	const anyMain = ingress('checkout', 'x.example.com', 'checkout-stable');
	const hostlessMain = {...anyMain, spec: {rules: [{http: {paths: [{backend: {service: {name: 'checkout-stable'}}}]}}]}};
	assert.deepEqual(read(hostless, sides, context(hostlessMain, hostless))?.weights, pair(80, 20), 'a rule without host matches a main rule without host');
	assert.equal(read(hostless, sides, context(anyMain, hostless)), undefined, 'and not one with a host');
	const noRules = {...obj, spec: {defaultBackend: {service: {name: 'checkout-canary'}}}};
	assert.deepEqual(read(noRules, sides, context(anyMain, noRules))?.weights, pair(80, 20), 'no rules at all: any main Ingress');
	assert.equal(read(obj, sides, context(obj)), undefined, 'no main Ingress');
});

test('nginx: the versions are the canary Ingress\'s first Service of a version and the main\'s first other one', () => {
	const obj = {...canary({'nginx.ingress.kubernetes.io/canary-weight': '20'}), spec: {ingressClassName: 'nginx', rules: [{host: 'shop.example.com', http: {paths: [{backend: {service: {name: 'legacy'}}}, {backend: {service: {name: 'checkout-canary'}}}, {}]}}, null]}};
	const mainBoth = {...main, spec: {ingressClassName: 'nginx', rules: [{host: 'shop.example.com', http: {paths: [{backend: {service: {name: 'checkout-canary'}}}, {backend: {service: {name: 'checkout-stable'}}}]}}]}};
	assert.deepEqual(read(obj, sides, context(mainBoth, obj))?.weights, pair(80, 20));
	const mainCanaryOnly = {...main, spec: {ingressClassName: 'nginx', rules: [{host: 'shop.example.com', http: {paths: [{backend: {service: {name: 'checkout-canary'}}}]}}]}};
	assert.equal(read(obj, sides, context(mainCanaryOnly, obj)), undefined, 'the main sends to the canary only');
	const noVersion = {...obj, spec: {rules: [{host: 'shop.example.com', http: {paths: [{backend: {service: {name: 'legacy'}}}]}}]}};
	assert.equal(read(noVersion, sides, context(main, noVersion)), undefined);
	assert.deepEqual(nginxRouter.backends(obj, context(mainBoth, obj)), ['legacy', 'checkout-canary', 'checkout-stable']);
	assert.deepEqual(nginxRouter.backends(obj, context(obj)), ['legacy', 'checkout-canary'], 'no main');
	const blank = {...obj, spec: {defaultBackend: {service: {name: ''}}, rules: [{host: 'shop.example.com', http: {paths: [{backend: {service: {name: 7}}}]}}]}};
	assert.deepEqual(nginxRouter.backends(blank, context(blank)), [], 'empty and non-string names are none');
});

test('nginx: odd weights are clamped to 0..total; only the two versions the Ingresses name can have traffic', () => {
	const weightOf = (annotations: Record<string, string>) => {
		const obj = canary(annotations);
		return read(obj, sides, context(main, obj))?.weights;
	};
	assert.deepEqual(weightOf({'nginx.ingress.kubernetes.io/canary-weight': '-5'}), pair(100, 0));
	assert.deepEqual(weightOf({'nginx.ingress.kubernetes.io/canary-weight': '150'}), pair(0, 100));
	assert.deepEqual(weightOf({'nginx.ingress.kubernetes.io/canary-weight': 'ten'}), pair(100, 0));
	assert.deepEqual(weightOf({'nginx.ingress.kubernetes.io/canary-weight': '1', 'nginx.ingress.kubernetes.io/canary-weight-total': '3'}), pair(66.7, 33.3));
	assert.deepEqual(weightOf({'nginx.ingress.kubernetes.io/canary-weight': '10', 'nginx.ingress.kubernetes.io/canary-weight-total': 'x'}), pair(90, 10), 'a total that is no number is 100');
	const obj = canary({'nginx.ingress.kubernetes.io/canary-weight': '10'});
	const three = [...sides, {id: 'checkout-next', labels: {}, services: ['checkout-next']}];
	assert.equal(setWeightPatch(obj, three, context(main, obj), {checkout: 80, 'checkout-canary': 10, 'checkout-next': 10}), undefined);
	assert.deepEqual(setWeightPatch(obj, three, context(main, obj), {checkout: 80, 'checkout-canary': 20, 'checkout-next': 0})?.at(-1), {op: 'add', path: '/metadata/annotations/nginx.ingress.kubernetes.io~1canary-weight', value: '20'});
	assert.equal(setWeightPatch(obj, sides, context(obj), pair(80, 20)), undefined, 'no main Ingress');
	assert.equal(setWeightPatch(main, sides, context(main), pair(80, 20)), undefined, 'not a canary Ingress');
	const noAnnotations = {...main, metadata: {name: 'x', namespace: 'shop'}};
	assert.equal(nginxRouter.handles(noAnnotations), false);
	assert.equal(nginxRouter.handles({...canary({}), kind: 'Service'}), false);
	assert.equal(nginxRouter.handles(ingress('c', 'h', 's', {'nginx.ingress.kubernetes.io/canary': 'false'})), false);
	assert.deepEqual([nginxRouter.kind, nginxRouter.label, nginxRouter.watches], ['nginx', 'NGINX canary Ingress', [{kind: 'Ingress', resource: 'ingresses', groupVersions: ['networking.k8s.io/v1']}]]);
	assert.deepEqual(
		[CANARY, CANARY_WEIGHT, CANARY_WEIGHT_TOTAL, CANARY_BY_HEADER, CANARY_BY_HEADER_VALUE, CANARY_BY_HEADER_PATTERN, CANARY_BY_COOKIE],
		[
			'nginx.ingress.kubernetes.io/canary',
			'nginx.ingress.kubernetes.io/canary-weight',
			'nginx.ingress.kubernetes.io/canary-weight-total',
			'nginx.ingress.kubernetes.io/canary-by-header',
			'nginx.ingress.kubernetes.io/canary-by-header-value',
			'nginx.ingress.kubernetes.io/canary-by-header-pattern',
			'nginx.ingress.kubernetes.io/canary-by-cookie',
		],
	);
});
