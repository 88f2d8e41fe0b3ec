// The sim's traffic model against the routers' documented behaviour: objects written out here in the
// shape of the public examples (Istio bookinfo, the Gateway API and Traefik docs, SMI, ingress-nginx),
// and the requests per second each pod gets, worked out by hand. Nothing here goes through
// rollscope's own readers, so a misreading there cannot hide behind an agreeing sim.
import assert from 'node:assert/strict';
import {describe, test} from 'node:test';
import type {KObject} from '../../source/sim/object.js';
import {demandAnnotation, routeTraffic, type NamespaceObjects} from '../../source/sim/traffic.js';

const NS = 'default';

function pod(name: string, labels: Record<string, string>, state: {ready?: boolean; terminating?: boolean; namespace?: string} = {}): KObject {
	return {
		apiVersion: 'v1',
		kind: 'Pod',
		metadata: {name, namespace: state.namespace ?? NS, labels, ...(state.terminating ? {deletionTimestamp: '2025-01-01T00:00:00Z'} : {})},
		status: {phase: 'Running', conditions: [{type: 'Ready', status: state.ready === false ? 'False' : 'True'}]},
	};
}

function service(name: string, selector: Record<string, string> | undefined, annotations?: Record<string, string>): KObject {
	return {
		apiVersion: 'v1',
		kind: 'Service',
		metadata: {name, namespace: NS, ...(annotations ? {annotations} : {})},
		spec: {...(selector ? {selector} : {}), ports: [{port: 80}]},
	};
}

const rps = (n: number) => ({[demandAnnotation]: String(n)});

/** Requests per second per pod name (0 for a pod without traffic), rounded off float noise. */
function perPod(ns: Omit<NamespaceObjects, 'namespace'> & {namespace?: string}): Record<string, number> {
	const out: Record<string, number> = {};
	for (const load of routeTraffic({namespace: NS, ...ns})) {
		const total = load.shares.reduce((s, share) => s + share.rps, 0);
		out[load.pod.metadata.name!] = Math.round(total * 1e9) / 1e9;
	}
	return out;
}

describe('Istio: VirtualService and DestinationRule', () => {
	const reviewsPods = [
		pod('reviews-v1-a', {app: 'reviews', version: 'v1'}),
		pod('reviews-v1-b', {app: 'reviews', version: 'v1'}),
		pod('reviews-v2-a', {app: 'reviews', version: 'v2'}),
		pod('reviews-v3-a', {app: 'reviews', version: 'v3'}),
	];
	const reviewsRule: KObject = {
		apiVersion: 'networking.istio.io/v1alpha3',
		kind: 'DestinationRule',
		metadata: {name: 'reviews', namespace: NS},
		spec: {
			host: 'reviews',
			subsets: [
				{name: 'v1', labels: {version: 'v1'}},
				{name: 'v2', labels: {version: 'v2'}},
				{name: 'v3', labels: {version: 'v3'}},
			],
		},
	};
	const reviewsRoute = (annotations?: Record<string, string>): KObject => ({
		apiVersion: 'networking.istio.io/v1alpha3',
		kind: 'VirtualService',
		metadata: {name: 'reviews', namespace: NS, ...(annotations ? {annotations} : {})},
		spec: {
			hosts: ['reviews'],
			http: [
				{match: [{headers: {'end-user': {exact: 'jason'}}}], route: [{destination: {host: 'reviews', subset: 'v2'}}]},
				{
					route: [
						{destination: {host: 'reviews', subset: 'v1'}, weight: 80},
						{destination: {host: 'reviews', subset: 'v2'}, weight: 10},
						{destination: {host: 'reviews', subset: 'v3'}, weight: 10},
					],
				},
			],
		},
	});

	test('bookinfo reviews at 80/10/10: plain requests skip the header route and split three ways', () => {
		// 100 rps: v1 gets 80 over two pods, v2 and v3 get 10 each.
		const loads = perPod({services: [service('reviews', {app: 'reviews'})], pods: reviewsPods, routers: [reviewsRule, reviewsRoute(rps(100))]});
		assert.deepEqual(loads, {'reviews-v1-a': 40, 'reviews-v1-b': 40, 'reviews-v2-a': 10, 'reviews-v3-a': 10});
	});

	test('without a demand annotation a front takes 10 rps per pod behind it', () => {
		// Four pods: 40 rps; v1 32 over two pods, v2 4, v3 4.
		const loads = perPod({services: [service('reviews', {app: 'reviews'})], pods: reviewsPods, routers: [reviewsRule, reviewsRoute()]});
		assert.deepEqual(loads, {'reviews-v1-a': 16, 'reviews-v1-b': 16, 'reviews-v2-a': 4, 'reviews-v3-a': 4});
	});

	test('a route matching only uri prefix "/" takes plain requests; one on /api, on a method or on a query does not', () => {
		const vs: KObject = {
			apiVersion: 'networking.istio.io/v1',
			kind: 'VirtualService',
			metadata: {name: 'reviews', namespace: NS, annotations: rps(60)},
			spec: {
				hosts: ['reviews.default.svc.cluster.local'],
				http: [
					{match: [{uri: {prefix: '/api'}}], route: [{destination: {host: 'reviews', subset: 'v2'}}]},
					{match: [{method: {exact: 'POST'}}], route: [{destination: {host: 'reviews', subset: 'v2'}}]},
					{match: [{queryParams: {canary: {exact: 'yes'}}}], route: [{destination: {host: 'reviews', subset: 'v2'}}]},
					{match: [{uri: {prefix: '/'}}], route: [{destination: {host: 'reviews', subset: 'v3'}, weight: 50}, {destination: {host: 'reviews', subset: 'v1'}, weight: 50}]},
					{route: [{destination: {host: 'reviews', subset: 'v2'}}]},
				],
			},
		};
		// 60 rps: v3 30, v1 30 over two pods.
		const loads = perPod({services: [service('reviews', {app: 'reviews'})], pods: reviewsPods, routers: [reviewsRule, vs]});
		assert.deepEqual(loads, {'reviews-v1-a': 15, 'reviews-v1-b': 15, 'reviews-v2-a': 0, 'reviews-v3-a': 30});
	});

	test('a lone destination without a weight takes everything; a subset without labels is the whole Service', () => {
		const rule: KObject = {...reviewsRule, spec: {host: 'reviews.default.svc.cluster.local', subsets: [{name: 'all'}]}};
		const vs: KObject = {
			apiVersion: 'networking.istio.io/v1',
			kind: 'VirtualService',
			metadata: {name: 'reviews', namespace: NS, annotations: rps(40)},
			spec: {hosts: ['reviews'], http: [{route: [{destination: {host: 'reviews', subset: 'all'}}]}]},
		};
		const loads = perPod({services: [service('reviews', {app: 'reviews'})], pods: reviewsPods, routers: [rule, vs]});
		assert.deepEqual(loads, {'reviews-v1-a': 10, 'reviews-v1-b': 10, 'reviews-v2-a': 10, 'reviews-v3-a': 10});
	});

	test('a subset defined only by a DestinationRule for another host gets no endpoints: its share is lost', () => {
		const rules: KObject[] = [
			{...reviewsRule, spec: {host: 'reviews', subsets: [{name: 'v2', labels: {version: 'v2'}}]}},
			{...reviewsRule, metadata: {name: 'ratings', namespace: NS}, spec: {host: 'ratings', subsets: [{name: 'v1', labels: {version: 'v1'}}]}},
		];
		const vs: KObject = {
			apiVersion: 'networking.istio.io/v1',
			kind: 'VirtualService',
			metadata: {name: 'reviews', namespace: NS, annotations: rps(100)},
			spec: {hosts: ['reviews'], http: [{route: [{destination: {host: 'reviews', subset: 'v1'}, weight: 60}, {destination: {host: 'reviews', subset: 'v2'}, weight: 40}]}]},
		};
		// v1 (60 rps) has no subset for reviews: Istio answers 503; v2 keeps its 40.
		const loads = perPod({services: [service('reviews', {app: 'reviews'}), service('ratings', {app: 'ratings'})], pods: reviewsPods, routers: [...rules, vs]});
		assert.deepEqual(loads, {'reviews-v1-a': 0, 'reviews-v1-b': 0, 'reviews-v2-a': 40, 'reviews-v3-a': 0});
	});

	test('a destination host in another namespace is another Service: its share leaves the namespace', () => {
		const pods = [pod('cart-a', {app: 'cart'}), pod('cart-b', {app: 'cart'})];
		const vs: KObject = {
			apiVersion: 'networking.istio.io/v1',
			kind: 'VirtualService',
			metadata: {name: 'cart', namespace: NS, annotations: rps(100)},
			spec: {
				hosts: ['cart'],
				http: [{route: [{destination: {host: 'cart'}, weight: 70}, {destination: {host: 'cart.staging.svc.cluster.local'}, weight: 20}, {destination: {host: 'cart.staging'}, weight: 10}]}],
			},
		};
		// 70 rps stay with cart of this namespace (two pods); 30 go to staging's cart, whose pods are elsewhere.
		const loads = perPod({services: [service('cart', {app: 'cart'})], pods, routers: [vs]});
		assert.deepEqual(loads, {'cart-a': 35, 'cart-b': 35});
	});
});

describe('Gateway API HTTPRoute', () => {
	const pods = [
		pod('store-v1-a', {app: 'store', version: 'v1'}),
		pod('store-v1-b', {app: 'store', version: 'v1'}),
		pod('store-v2-a', {app: 'store', version: 'v2'}),
		pod('store-v3-a', {app: 'store', version: 'v3'}),
		pod('store-v4-a', {app: 'store', version: 'v4'}),
	];
	const services = ['v1', 'v2', 'v3', 'v4'].map(v => service(`store-${v}`, {app: 'store', version: v}));

	test('weighted backendRefs across three Services (weight 1 by default, 0 gets nothing); a header rule above is skipped', () => {
		const route: KObject = {
			apiVersion: 'gateway.networking.k8s.io/v1',
			kind: 'HTTPRoute',
			metadata: {name: 'store', namespace: NS, annotations: rps(100)},
			spec: {
				parentRefs: [{name: 'example-gateway'}],
				hostnames: ['store.example.com'],
				rules: [
					{matches: [{headers: [{name: 'env', value: 'canary'}]}], backendRefs: [{name: 'store-v4', port: 8080}]},
					{
						backendRefs: [
							{name: 'store-v1', port: 8080, weight: 6},
							{group: '', kind: 'Service', name: 'store-v2', port: 8080, weight: 3},
							{name: 'store-v3', port: 8080},
							{name: 'store-v4', port: 8080, weight: 0},
						],
					},
				],
			},
		};
		// Weights 6, 3, 1 (default), 0 of 10: 60 rps over two v1 pods, 30 to v2, 10 to v3, none to v4.
		assert.deepEqual(perPod({services, pods, routers: [route]}), {'store-v1-a': 30, 'store-v1-b': 30, 'store-v2-a': 30, 'store-v3-a': 10, 'store-v4-a': 0});
	});

	test('an Exact "/" match outranks an earlier PathPrefix "/"; a backend of another kind or namespace keeps its share from the pods here', () => {
		const route: KObject = {
			apiVersion: 'gateway.networking.k8s.io/v1',
			kind: 'HTTPRoute',
			metadata: {name: 'store', namespace: NS, annotations: rps(90)},
			spec: {
				rules: [
					{matches: [{path: {type: 'PathPrefix', value: '/'}}], backendRefs: [{name: 'store-v4'}]},
					{matches: [{path: {type: 'PathPrefix', value: '/cart'}}, {path: {type: 'Exact', value: '/'}}], backendRefs: [
						{name: 'store-v2', weight: 1},
						{name: 'store-v1', namespace: 'other', weight: 1},
						{group: 'example.com', kind: 'Bucket', name: 'store-v3', weight: 1},
					]},
				],
			},
		};
		// 90 rps over three backends of weight 1: 30 to store-v2 here; the other two shares reach no pod of this
		// namespace. (Only store-v2 has a Service here, so no Service takes requests of its own.)
		assert.deepEqual(perPod({services: services.filter(s => s.metadata.name === 'store-v2'), pods, routers: [route]}), {'store-v1-a': 0, 'store-v1-b': 0, 'store-v2-a': 30, 'store-v3-a': 0, 'store-v4-a': 0});
	});
});

describe('SMI TrafficSplit', () => {
	const pods = [
		pod('web-v1-a', {app: 'web', version: 'v1'}),
		pod('web-v1-b', {app: 'web', version: 'v1'}),
		pod('web-v1-c', {app: 'web', version: 'v1'}),
		pod('web-v2-a', {app: 'web', version: 'v2'}),
	];
	const services = [service('web', {app: 'web'}), service('web-v1', {app: 'web', version: 'v1'}), service('web-v2', {app: 'web', version: 'v2'})];

	test('v1alpha1 weights are Quantities; the root Service adds no traffic of its own', () => {
		const split: KObject = {
			apiVersion: 'split.smi-spec.io/v1alpha1',
			kind: 'TrafficSplit',
			metadata: {name: 'web', namespace: NS, annotations: rps(100)},
			spec: {service: 'web', backends: [{service: 'web-v1', weight: '1.5'}, {service: 'web-v2', weight: '500m'}]},
		};
		// 1.5 : 500m = 3 : 1; 75 rps over three v1 pods, 25 to v2.
		assert.deepEqual(perPod({services, pods, routers: [split]}), {'web-v1-a': 25, 'web-v1-b': 25, 'web-v1-c': 25, 'web-v2-a': 25});
	});

	test('"90" and "10" are Quantities too; later versions weigh with integers', () => {
		const v1alpha1: KObject = {
			apiVersion: 'split.smi-spec.io/v1alpha1',
			kind: 'TrafficSplit',
			metadata: {name: 'web', namespace: NS, annotations: rps(120)},
			spec: {service: 'web', backends: [{service: 'web-v1', weight: '90'}, {service: 'web-v2', weight: '10'}]},
		};
		// 120 rps: 108 over three v1 pods, 12 to v2.
		assert.deepEqual(perPod({services, pods, routers: [v1alpha1]}), {'web-v1-a': 36, 'web-v1-b': 36, 'web-v1-c': 36, 'web-v2-a': 12});
		const v1alpha3: KObject = {...v1alpha1, apiVersion: 'split.smi-spec.io/v1alpha3', spec: {service: 'web', backends: [{service: 'web-v1', weight: 1}, {service: 'web-v2', weight: 3}]}};
		// 120 rps: 30 over three v1 pods, 90 to v2.
		assert.deepEqual(perPod({services, pods, routers: [v1alpha3]}), {'web-v1-a': 10, 'web-v1-b': 10, 'web-v1-c': 10, 'web-v2-a': 90});
	});
});

describe('ingress-nginx', () => {
	test('an Ingress with only a defaultBackend sends everything to it', () => {
		const ingress: KObject = {
			apiVersion: 'networking.k8s.io/v1',
			kind: 'Ingress',
			metadata: {name: 'test-ingress', namespace: NS, annotations: rps(100)},
			spec: {defaultBackend: {service: {name: 'test', port: {number: 80}}}},
		};
		const pods = [pod('test-a', {app: 'test'}), pod('test-b', {app: 'test'})];
		assert.deepEqual(perPod({services: [service('test', {app: 'test'})], pods, routers: [ingress]}), {'test-a': 50, 'test-b': 50});
	});

	const echoPods = [pod('echo-a', {app: 'echo', track: 'stable'}), pod('echo-b', {app: 'echo', track: 'stable'}), pod('echo-canary-a', {app: 'echo', track: 'canary'})];
	const echoServices = [service('echo', {app: 'echo', track: 'stable'}), service('echo-canary', {app: 'echo', track: 'canary'})];
	const ingress = (name: string, backend: string, annotations: Record<string, string>): KObject => ({
		apiVersion: 'networking.k8s.io/v1',
		kind: 'Ingress',
		metadata: {name, namespace: NS, annotations},
		spec: {
			ingressClassName: 'nginx',
			rules: [{host: 'echo.example.com', http: {paths: [{path: '/', pathType: 'Prefix', backend: {service: {name: backend, port: {number: 80}}}}]}}],
		},
	});

	test('a canary Ingress at canary-weight 30 takes 30% of the main Ingress; its by-header rule takes no plain request', () => {
		const routers = [
			ingress('echo', 'echo', rps(100)),
			ingress('echo-canary', 'echo-canary', {
				'nginx.ingress.kubernetes.io/canary': 'true',
				'nginx.ingress.kubernetes.io/canary-weight': '30',
				'nginx.ingress.kubernetes.io/canary-by-header': 'X-Canary',
				'nginx.ingress.kubernetes.io/canary-by-cookie': 'canary',
			}),
		];
		// 70 rps over two stable pods, 30 to the canary.
		assert.deepEqual(perPod({services: echoServices, pods: echoPods, routers}), {'echo-a': 35, 'echo-b': 35, 'echo-canary-a': 30});
	});

	test('canary-weight counts out of canary-weight-total', () => {
		const routers = [
			ingress('echo', 'echo', rps(100)),
			ingress('echo-canary', 'echo-canary', {'nginx.ingress.kubernetes.io/canary': 'true', 'nginx.ingress.kubernetes.io/canary-weight': '1', 'nginx.ingress.kubernetes.io/canary-weight-total': '4'}),
		];
		// 1 of 4: 25 rps to the canary, 75 over two stable pods.
		assert.deepEqual(perPod({services: echoServices, pods: echoPods, routers}), {'echo-a': 37.5, 'echo-b': 37.5, 'echo-canary-a': 25});
	});
});

describe('Traefik TraefikService', () => {
	test('a nested weighted TraefikService splits its share again; weight is 1 by default', () => {
		const wrr = (name: string, services: unknown[]): KObject => ({apiVersion: 'traefik.io/v1alpha1', kind: 'TraefikService', metadata: {name, namespace: NS, ...(name === 'wrr1' ? {annotations: rps(100)} : {})}, spec: {weighted: {services}}});
		const routers = [
			wrr('wrr1', [{name: 'svc1', port: 80, weight: 1}, {name: 'wrr2', kind: 'TraefikService', weight: 1}]),
			wrr('wrr2', [{name: 'svc2', port: 80, weight: 1}, {name: 'svc3', port: 80}]),
		];
		const services = ['svc1', 'svc2', 'svc3'].map(s => service(s, {task: s}));
		const pods = [pod('app1', {task: 'svc1'}), pod('app2', {task: 'svc2'}), pod('app3', {task: 'svc3'})];
		// svc1 half; wrr2 the other half, split evenly between svc2 and svc3.
		assert.deepEqual(perPod({services, pods, routers}), {app1: 50, app2: 25, app3: 25});
	});
});

describe('Kubernetes Services and pods', () => {
	test('a Service with an empty or absent selector selects no pods', () => {
		const pods = [pod('a', {app: 'a'}), pod('b', {app: 'b'})];
		assert.deepEqual(perPod({services: [service('empty', {}, rps(100)), service('none', undefined, rps(100))], pods, routers: []}), {a: 0, b: 0});
	});

	test('a router sending to a Service with an empty selector loses that share', () => {
		const pods = [pod('web-a', {app: 'web'})];
		const vs: KObject = {
			apiVersion: 'networking.istio.io/v1',
			kind: 'VirtualService',
			metadata: {name: 'web', namespace: NS, annotations: rps(100)},
			spec: {hosts: ['web'], http: [{route: [{destination: {host: 'web'}, weight: 75}, {destination: {host: 'web-empty'}, weight: 25}]}]},
		};
		assert.deepEqual(perPod({services: [service('web', {app: 'web'}), service('web-empty', {})], pods, routers: [vs]}), {'web-a': 75});
	});

	test('only Ready pods that are not terminating serve; terminating ones do not count towards the demand', () => {
		const pods = [
			pod('web-a', {app: 'web'}),
			pod('web-b', {app: 'web'}),
			pod('web-starting', {app: 'web'}, {ready: false}),
			pod('web-leaving', {app: 'web'}, {terminating: true}),
		];
		assert.deepEqual(perPod({services: [service('web', {app: 'web'}, rps(100))], pods, routers: []}), {'web-a': 50, 'web-b': 50, 'web-starting': 0, 'web-leaving': 0});
		// Without an annotation: 10 rps for each of the three pods that are not terminating, served by the two Ready ones.
		assert.deepEqual(perPod({services: [service('web', {app: 'web'})], pods, routers: []}), {'web-a': 15, 'web-b': 15, 'web-starting': 0, 'web-leaving': 0});
	});
});
