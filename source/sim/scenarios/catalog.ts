// The demo scenarios as data: which Deployments, Services and router objects each one
// creates, and how it moves over time. `../scenarios.ts` turns these into store objects.
import type {KObject} from '../object.js';
import type {DeploymentPlan, ScenarioPlan} from './plan.js';
import {progressivePlans} from './progressive.js';
import type {ObjectStore} from '../store.js';


const healthy = (errorRate: string, latencyMs: string) => ({
	'sim.rollscope.dev/error-rate': errorRate,
	'sim.rollscope.dev/latency-ms': latencyMs,
});

function service(namespace: string, name: string, app: string, selector: Record<string, string>): {key: string; object: KObject} {
	return {
		key: 'services',
		object: {
			apiVersion: 'v1',
			kind: 'Service',
			metadata: {name, namespace, labels: {app}},
			spec: {
				type: 'ClusterIP',
				selector: {app, ...selector},
				ports: [{name: 'http', protocol: 'TCP', port: 80, targetPort: 8080}],
				sessionAffinity: 'None',
				ipFamilies: ['IPv4'],
				ipFamilyPolicy: 'SingleStack',
			},
		},
	};
}

function ingress(namespace: string, name: string, app: string, host: string, backend: string, annotations?: Record<string, string>): {key: string; object: KObject} {
	return {
		key: 'networking.k8s.io/ingresses',
		object: {
			apiVersion: 'networking.k8s.io/v1',
			kind: 'Ingress',
			metadata: {name, namespace, labels: {app}, ...(annotations ? {annotations} : {})},
			spec: {
				ingressClassName: 'nginx',
				rules: [{host, http: {paths: [{path: '/', pathType: 'Prefix', backend: {service: {name: backend, port: {number: 80}}}}]}}],
			},
		},
	};
}

/** A new tag for the Deployment's first container, with the change-cause `kubectl set image` leaves (when annotated). */
function setImageTag(store: ObjectStore, namespace: string, name: string, tag: string): void {
	if (!store.get('apps/deployments', namespace, name)) return;
	store.mutate('apps/deployments', namespace, name, d => {
		const container = d.spec?.template?.spec?.containers?.[0];
		if (!container) return;
		container.image = `${String(container.image ?? '').replace(/:[^/:]*$/, '')}:${tag}`;
		d.metadata.annotations = {...d.metadata.annotations, 'kubernetes.io/change-cause': `deploy ${name}:${tag}`};
	});
}

/** A stable + canary pair of Deployments of one app, told apart by `track`. */
function canaryPair(app: string, stable: string, canary: string, stableAnnotations: Record<string, string>, canaryAnnotations = stableAnnotations, stableShare = 4): DeploymentPlan[] {
	return [
		{name: app, app, labels: {track: 'stable'}, version: stable, replicas: 4, share: stableShare, podAnnotations: stableAnnotations},
		{name: `${app}-canary`, app, labels: {track: 'canary'}, version: canary, replicas: 2, share: 1, podAnnotations: canaryAnnotations},
	];
}

function istioCanary(name: string, canaryAnnotations: Record<string, string>, description: string): ScenarioPlan {
	return {
		name,
		target: 'deploy/checkout',
		description,
		namespaceLabels: {'istio-injection': 'enabled'},
		deployments: canaryPair('checkout', '1.2.3', '1.3.0', healthy('0.002', '80'), canaryAnnotations),
		objects: namespace => [
			service(namespace, 'checkout', 'checkout', {}),
			{
				key: 'networking.istio.io/destinationrules',
				object: {
					apiVersion: 'networking.istio.io/v1',
					kind: 'DestinationRule',
					metadata: {name: 'checkout', namespace, labels: {app: 'checkout'}},
					spec: {
						host: 'checkout',
						subsets: [
							{name: 'stable', labels: {track: 'stable'}},
							{name: 'canary', labels: {track: 'canary'}},
						],
					},
				},
			},
			{
				key: 'networking.istio.io/virtualservices',
				object: {
					apiVersion: 'networking.istio.io/v1',
					kind: 'VirtualService',
					metadata: {name: 'checkout', namespace, labels: {app: 'checkout'}},
					spec: {
						hosts: ['checkout'],
						http: [{
							name: 'primary',
							route: [
								{destination: {host: 'checkout', subset: 'stable'}, weight: 90},
								{destination: {host: 'checkout', subset: 'canary'}, weight: 10},
							],
						}],
					},
				},
			},
		],
		motion: {kind: 'canary', stable: 'checkout', canary: 'checkout-canary', promote: name === 'canary'},
		firstMoveAfter: 2,
	};
}

export const scenarioPlans: readonly ScenarioPlan[] = [
	{
		name: 'rolling',
		target: 'deploy/web',
		description: 'Rolling update of deploy/web (maxSurge 1, maxUnavailable 0, minReadySeconds 2): web:1.0.0 rolls to 1.1.0 as soon as it starts, then to a new minor version every minute.',
		deployments: [{
			name: 'web', app: 'web', labels: {}, version: '1.0.0', replicas: 4, share: 1,
			podAnnotations: healthy('0.001', '40'), maxSurge: 1, maxUnavailable: 0, minReadySeconds: 2,
		}],
		objects: namespace => [service(namespace, 'web', 'web', {})],
		motion: {kind: 'rolling', deployment: 'web'},
		firstMoveAfter: 0.5,
	},
	istioCanary('canary', healthy('0.002', '80'),
		'Canary pair checkout (1.2.3) / checkout-canary (1.3.0) behind an Istio VirtualService at 90/10; the canary gets a new image after 2 s, then promotions and new canaries alternate every minute.'),
	istioCanary('canary-bad', healthy('0.05', '400'),
		'Like canary, but the canary returns 5% errors at 400 ms: the verdict should say it is worse. New canary images every minute, never promoted.'),
	{
		name: 'bluegreen',
		target: 'deploy/shop-blue',
		description: 'Blue-green pair shop-blue (2.0.0, live behind Service shop) / shop-green (2.1.0, behind shop-preview); the idle colour gets a newer image after 2 s and every minute after.',
		deployments: [
			{name: 'shop-blue', app: 'shop', labels: {color: 'blue'}, version: '2.0.0', replicas: 3, share: 1, podAnnotations: healthy('0.001', '60')},
			{name: 'shop-green', app: 'shop', labels: {color: 'green'}, version: '2.1.0', replicas: 3, share: 1, podAnnotations: healthy('0.001', '60')},
		],
		objects: namespace => [
			service(namespace, 'shop', 'shop', {color: 'blue'}),
			service(namespace, 'shop-preview', 'shop', {color: 'green'}),
		],
		motion: {kind: 'bluegreen', service: 'shop', colors: {blue: 'shop-blue', green: 'shop-green'}},
		firstMoveAfter: 2,
	},
	{
		name: 'gateway',
		target: 'deploy/api',
		description: 'Canary pair api (3.4.1) / api-canary (3.5.0) split 80/20 by a Gateway API HTTPRoute; the canary gets a new image after 2 s, then promotions and new canaries alternate every minute.',
		deployments: canaryPair('api', '3.4.1', '3.5.0', healthy('0.001', '50')),
		objects: namespace => [
			service(namespace, 'api', 'api', {}),
			service(namespace, 'api-stable', 'api', {track: 'stable'}),
			service(namespace, 'api-canary', 'api', {track: 'canary'}),
			{
				key: 'gateway.networking.k8s.io/httproutes',
				object: {
					apiVersion: 'gateway.networking.k8s.io/v1',
					kind: 'HTTPRoute',
					metadata: {name: 'api', namespace, labels: {app: 'api'}},
					spec: {
						parentRefs: [{group: 'gateway.networking.k8s.io', kind: 'Gateway', name: 'public-gw'}],
						hostnames: ['api.example.com'],
						rules: [{
							matches: [{path: {type: 'PathPrefix', value: '/'}}],
							backendRefs: [
								{group: '', kind: 'Service', name: 'api-stable', port: 80, weight: 80},
								{group: '', kind: 'Service', name: 'api-canary', port: 80, weight: 20},
							],
						}],
					},
				},
			},
		],
		motion: {kind: 'canary', stable: 'api', canary: 'api-canary', promote: true},
		firstMoveAfter: 2,
	},
	{
		name: 'smi',
		target: 'deploy/pay',
		description: 'Canary pair pay (5.0.2) / pay-canary (5.1.0) split 75/25 by an SMI TrafficSplit; the canary gets a new image after 2 s, then promotions and new canaries alternate every minute.',
		deployments: canaryPair('pay', '5.0.2', '5.1.0', healthy('0.002', '120'), undefined, 3),
		objects: namespace => [
			service(namespace, 'pay', 'pay', {}),
			service(namespace, 'pay-stable', 'pay', {track: 'stable'}),
			service(namespace, 'pay-canary', 'pay', {track: 'canary'}),
			{
				key: 'split.smi-spec.io/trafficsplits',
				object: {
					apiVersion: 'split.smi-spec.io/v1alpha2',
					kind: 'TrafficSplit',
					metadata: {name: 'pay', namespace, labels: {app: 'pay'}},
					spec: {
						service: 'pay',
						backends: [
							{service: 'pay-stable', weight: 75},
							{service: 'pay-canary', weight: 25},
						],
					},
				},
			},
		],
		motion: {kind: 'canary', stable: 'pay', canary: 'pay-canary', promote: true},
		firstMoveAfter: 2,
	},
	{
		name: 'nginx',
		target: 'deploy/cart',
		description: 'Canary pair cart (0.9.4) / cart-canary (1.0.0) behind ingress-nginx: Ingress cart -> Service cart (stable), canary Ingress cart-canary at weight 30; the canary gets a new image after 2 s, then promotions and new canaries alternate every minute.',
		deployments: canaryPair('cart', '0.9.4', '1.0.0', healthy('0.001', '70'), undefined, 3),
		objects: namespace => [
			service(namespace, 'cart', 'cart', {track: 'stable'}),
			service(namespace, 'cart-canary', 'cart', {track: 'canary'}),
			ingress(namespace, 'cart', 'cart', 'cart.example.com', 'cart'),
			ingress(namespace, 'cart-canary', 'cart', 'cart.example.com', 'cart-canary', {
				'nginx.ingress.kubernetes.io/canary': 'true',
				'nginx.ingress.kubernetes.io/canary-weight': '30',
			}),
		],
		motion: {kind: 'canary', stable: 'cart', canary: 'cart-canary', promote: true},
		firstMoveAfter: 2,
	},
	{
		name: 'bookinfo',
		target: 'deploy/reviews-v1',
		description: "Istio's bookinfo reviews: v1, v2 and v3 behind one Service, a DestinationRule of three subsets and a VirtualService that sends the user jason to v2 and splits the rest 80/10/10.",
		namespaceLabels: {'istio-injection': 'enabled'},
		deployments: ['v1', 'v2', 'v3'].map((v, i) => ({name: `reviews-${v}`, app: 'reviews', labels: {version: v}, version: `1.20.${i + 1}`, replicas: i === 0 ? 3 : 1, share: i === 0 ? 3 : 1, podAnnotations: healthy('0.001', String(40 + 20 * i))})),
		objects: namespace => [
			service(namespace, 'reviews', 'reviews', {}),
			{
				key: 'networking.istio.io/destinationrules',
				object: {
					apiVersion: 'networking.istio.io/v1',
					kind: 'DestinationRule',
					metadata: {name: 'reviews', namespace, labels: {app: 'reviews'}},
					spec: {host: 'reviews', subsets: ['v1', 'v2', 'v3'].map(v => ({name: v, labels: {version: v}}))},
				},
			},
			{
				key: 'networking.istio.io/virtualservices',
				object: {
					apiVersion: 'networking.istio.io/v1',
					kind: 'VirtualService',
					metadata: {name: 'reviews', namespace, labels: {app: 'reviews'}},
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
				},
			},
		],
		// Weights move by hand here (the weight keys on the focused version).
		motion: {kind: 'custom', move: () => {}},
		firstMoveAfter: 60,
	},
	{
		name: 'header-canary',
		target: 'deploy/search',
		description: 'Canary pair search (4.1.0) / search-canary (4.2.0) behind a Gateway API HTTPRoute that sends requests with header x-canary: always to the canary and every other request to the stable version: a canary at 0 % that testers reach by header.',
		deployments: canaryPair('search', '4.1.0', '4.2.0', healthy('0.001', '60'), undefined, 2),
		objects: namespace => [
			service(namespace, 'search', 'search', {}),
			service(namespace, 'search-stable', 'search', {track: 'stable'}),
			service(namespace, 'search-canary', 'search', {track: 'canary'}),
			{
				key: 'gateway.networking.k8s.io/httproutes',
				object: {
					apiVersion: 'gateway.networking.k8s.io/v1',
					kind: 'HTTPRoute',
					metadata: {name: 'search', namespace, labels: {app: 'search'}},
					spec: {
						parentRefs: [{group: 'gateway.networking.k8s.io', kind: 'Gateway', name: 'public-gw'}],
						hostnames: ['search.example.com'],
						rules: [
							{matches: [{headers: [{type: 'Exact', name: 'x-canary', value: 'always'}]}], backendRefs: [{group: '', kind: 'Service', name: 'search-canary', port: 80}]},
							{matches: [{path: {type: 'PathPrefix', value: '/'}}], backendRefs: [{group: '', kind: 'Service', name: 'search-stable', port: 80, weight: 100}]},
						],
					},
				},
			},
		],
		motion: {kind: 'custom', move: () => {}},
		firstMoveAfter: 60,
	},
	...progressivePlans,
	{
		name: 'stuck',
		target: 'deploy/ledger',
		description: 'A rollout that went wrong: deploy/ledger (3 replicas at 2.0.0, maxUnavailable 0) rolls to 2.1.0-crash after 1 s; the new pod crash-loops, the old ones keep serving, and after 30 s the Deployment passes its progress deadline. It stays stuck.',
		deployments: [{
			name: 'ledger', app: 'ledger', labels: {}, version: '2.0.0', replicas: 3, share: 1,
			podAnnotations: healthy('0.001', '30'), maxSurge: 1, maxUnavailable: 0, progressDeadlineSeconds: 30,
		}],
		objects: namespace => [service(namespace, 'ledger', 'ledger', {})],
		motion: {kind: 'custom', move: (store, namespace, step) => {
			if (step === 0) setImageTag(store, namespace, 'ledger', '2.1.0-crash');
		}},
		firstMoveAfter: 1,
	},
];
