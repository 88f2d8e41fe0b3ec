// The progressive-delivery scenarios: an Argo Rollout with canary steps behind an Istio
// VirtualService, an Argo blue-green Rollout with active and preview Services, a Flagger Canary, and an
// OpenKruise Rollout releasing a Deployment behind ingress-nginx. Their controllers
// (controllers/argo-rollout.ts, flagger.ts, kruise-rollout.ts) do the rest.
import type {KObject} from '../object.js';
import type {ObjectStore} from '../store.js';
import type {ScenarioPlan} from './plan.js';

const ROLLOUTS = 'argoproj.io/rollouts';
const KRUISE_ROLLOUTS = 'rollouts.kruise.io/rollouts';
const imageRepository = (app: string) => `registry.local/${app}`;
const healthy = (errorRate: string, latencyMs: string) => ({
	'sim.rollscope.dev/error-rate': errorRate,
	'sim.rollscope.dev/latency-ms': latencyMs,
});

function container(app: string, version: string) {
	return {
		name: app,
		image: `${imageRepository(app)}:${version}`,
		imagePullPolicy: 'IfNotPresent',
		ports: [{name: 'http', containerPort: 8080, protocol: 'TCP'}],
		readinessProbe: {httpGet: {path: '/healthz', port: 8080, scheme: 'HTTP'}, initialDelaySeconds: 1, periodSeconds: 2, timeoutSeconds: 1, successThreshold: 1, failureThreshold: 3},
		resources: {requests: {cpu: '100m', memory: '128Mi'}, limits: {memory: '256Mi'}},
	};
}

function service(namespace: string, name: string, app: string): {key: string; object: KObject} {
	return {
		key: 'services',
		object: {
			apiVersion: 'v1',
			kind: 'Service',
			metadata: {name, namespace, labels: {app}},
			spec: {
				type: 'ClusterIP',
				selector: {app},
				ports: [{name: 'http', protocol: 'TCP', port: 80, targetPort: 8080}],
				sessionAffinity: 'None',
				ipFamilies: ['IPv4'],
				ipFamilyPolicy: 'SingleStack',
			},
		},
	};
}

function rollout(namespace: string, name: string, app: string, version: string, replicas: number, strategy: Record<string, unknown>): {key: string; object: KObject} {
	return {
		key: ROLLOUTS,
		object: {
			apiVersion: 'argoproj.io/v1alpha1',
			kind: 'Rollout',
			metadata: {name, namespace, labels: {app}, annotations: {'kubernetes.io/change-cause': `deploy ${app}:${version}`}},
			spec: {
				replicas,
				revisionHistoryLimit: 10,
				selector: {matchLabels: {app}},
				template: {
					metadata: {labels: {app}, annotations: healthy('0.002', '60')},
					spec: {containers: [container(app, version)], restartPolicy: 'Always', terminationGracePeriodSeconds: 30, dnsPolicy: 'ClusterFirst'},
				},
				strategy,
			},
		},
	};
}

// --- Motion ---------------------------------------------------------------------------------

function bumpPatch(image: string): string {
	const m = /^(.*):(\d+)\.(\d+)\.(\d+)$/.exec(image);
	return m ? `${m[1]}:${m[2]}.${m[3]}.${Number(m[4]) + 1}` : `${image.replace(/:[^/:]*$/, '')}:1.0.1`;
}

/** A new image on a Rollout (or Deployment), with the change-cause, as `kubectl argo rollouts set image` would. */
export function newImage(store: ObjectStore, key: string, namespace: string, name: string, verb = 'deploy'): void {
	if (!store.get(key, namespace, name)) return;
	store.mutate(key, namespace, name, o => {
		const c = o.spec?.template?.spec?.containers?.[0];
		if (!c) return;
		c.image = bumpPatch(String(c.image ?? ''));
		const tag = c.image.slice(c.image.lastIndexOf('/') + 1);
		o.metadata.annotations = {...o.metadata.annotations, 'kubernetes.io/change-cause': `${verb} ${tag}`};
	});
}

/** The plugin's promote, as the demo loop sends it: clear the pause conditions (status subresource). */
function promote(store: ObjectStore, namespace: string, name: string): void {
	const ro = store.get(ROLLOUTS, namespace, name);
	if (!ro) return;
	store.update(ROLLOUTS, {...ro, status: {...ro.status, pauseConditions: null}}, {subresource: 'status'});
}

/**
 * Move an Argo Rollout on: the first move gives it a new image; later ones promote it when it waits
 * at a pause for a person, else give it a new image once it is done (or aborted).
 */
function moveRollout(store: ObjectStore, namespace: string, name: string, step: number): void {
	const ro = store.get(ROLLOUTS, namespace, name);
	if (!ro) return;
	const status = ro.status ?? {};
	const waiting = (status.pauseConditions ?? []).some((c: {reason?: string}) => c.reason === 'CanaryPauseStep' || c.reason === 'BlueGreenPause');
	if (step === 0) newImage(store, ROLLOUTS, namespace, name);
	else if (waiting) promote(store, namespace, name);
	else if (status.phase === 'Healthy' || status.phase === 'Degraded') newImage(store, ROLLOUTS, namespace, name);
}

/**
 * Move an OpenKruise Rollout on: the first move gives its Deployment a new image; later ones approve a paused
 * step (as `kubectl-kruise rollout approve` does: the status subresource), else give a new image once it is done.
 */
function moveKruise(store: ObjectStore, namespace: string, name: string, deployment: string, step: number): void {
	const ro = store.get(KRUISE_ROLLOUTS, namespace, name);
	if (!ro) return;
	const sub = ro.status?.canaryStatus;
	if (step === 0) newImage(store, 'apps/deployments', namespace, deployment);
	else if (ro.status?.phase === 'Progressing' && sub?.currentStepState === 'StepPaused') store.update(KRUISE_ROLLOUTS, {...ro, status: {...ro.status, canaryStatus: {...sub, currentStepState: 'StepReady'}}}, {subresource: 'status'});
	else if (ro.status?.phase === 'Healthy') newImage(store, 'apps/deployments', namespace, deployment);
}

// --- Plans ----------------------------------------------------------------------------------

export const progressivePlans: ScenarioPlan[] = [
	{
		name: 'argo-canary',
		target: 'rollout/orders',
		description: 'Argo Rollout orders (5 replicas) with canary steps 20% · pause · 40% · pause 10s · analysis · 60% · pause 10s · 80% · pause 10s, traffic through an Istio VirtualService; a new image after 2 s, then a promotion or a new image every minute.',
		deployments: [],
		objects: namespace => [
			service(namespace, 'orders', 'orders'),
			service(namespace, 'orders-stable', 'orders'),
			service(namespace, 'orders-canary', 'orders'),
			{
				key: 'networking.istio.io/virtualservices',
				object: {
					apiVersion: 'networking.istio.io/v1',
					kind: 'VirtualService',
					metadata: {name: 'orders', namespace, labels: {app: 'orders'}},
					spec: {
						hosts: ['orders'],
						http: [{
							name: 'primary',
							route: [
								{destination: {host: 'orders-stable'}, weight: 100},
								{destination: {host: 'orders-canary'}, weight: 0},
							],
						}],
					},
				},
			},
			{
				key: 'argoproj.io/analysistemplates',
				object: {
					apiVersion: 'argoproj.io/v1alpha1',
					kind: 'AnalysisTemplate',
					metadata: {name: 'error-rate', namespace},
					spec: {
						args: [{name: 'service-name'}],
						metrics: [{
							name: 'error-rate',
							interval: '5s',
							count: 3,
							failureLimit: 1,
							successCondition: 'result[0] <= 0.01',
							provider: {prometheus: {
								address: 'http://prometheus.monitoring:9090',
								query: 'sum(rate(istio_requests_total{destination_service_name="{{args.service-name}}",response_code=~"5.*"}[1m])) / sum(rate(istio_requests_total{destination_service_name="{{args.service-name}}"}[1m]))',
							}},
						}],
					},
				},
			},
			rollout(namespace, 'orders', 'orders', '2.4.0', 5, {
				canary: {
					canaryService: 'orders-canary',
					stableService: 'orders-stable',
					trafficRouting: {istio: {virtualService: {name: 'orders', routes: ['primary']}}},
					steps: [
						{setWeight: 20},
						{pause: {}},
						{setWeight: 40},
						{pause: {duration: '10s'}},
						{analysis: {templates: [{templateName: 'error-rate'}], args: [{name: 'service-name', value: 'orders-canary'}]}},
						{setWeight: 60},
						{pause: {duration: '10s'}},
						{setWeight: 80},
						{pause: {duration: '10s'}},
					],
				},
			}),
		],
		motion: {kind: 'custom', move: (store, namespace, step) => moveRollout(store, namespace, 'orders', step)},
		firstMoveAfter: 2,
	},
	{
		name: 'argo-bluegreen',
		target: 'rollout/storefront',
		description: 'Argo blue-green Rollout storefront (3 replicas): Service storefront is active, storefront-preview the preview, auto-promotion off; a new image after 2 s, then a promotion or a new image every minute.',
		deployments: [],
		objects: namespace => [
			service(namespace, 'storefront', 'storefront'),
			service(namespace, 'storefront-preview', 'storefront'),
			rollout(namespace, 'storefront', 'storefront', '3.1.0', 3, {
				blueGreen: {activeService: 'storefront', previewService: 'storefront-preview', autoPromotionEnabled: false, scaleDownDelaySeconds: 30},
			}),
		],
		motion: {kind: 'custom', move: (store, namespace, step) => moveRollout(store, namespace, 'storefront', step)},
		firstMoveAfter: 2,
	},
	{
		name: 'flagger',
		target: 'canary/podinfo',
		description: 'Flagger Canary podinfo on Deployment podinfo (Istio): analysis every 10s, stepWeight 10 up to maxWeight 50, threshold 5 failed checks on request-success-rate ≥ 99% and request-duration ≤ 500 ms; a new image after 8 s, then another every minute.',
		deployments: [{name: 'podinfo', app: 'podinfo', labels: {}, version: '6.5.0', replicas: 2, share: 1, podAnnotations: healthy('0.001', '45')}],
		objects: namespace => [{
			key: 'flagger.app/canaries',
			object: {
				apiVersion: 'flagger.app/v1beta1',
				kind: 'Canary',
				metadata: {name: 'podinfo', namespace},
				spec: {
					provider: 'istio',
					targetRef: {apiVersion: 'apps/v1', kind: 'Deployment', name: 'podinfo'},
					progressDeadlineSeconds: 600,
					service: {port: 80, targetPort: 8080},
					analysis: {
						interval: '10s',
						threshold: 5,
						maxWeight: 50,
						stepWeight: 10,
						metrics: [
							{name: 'request-success-rate', thresholdRange: {min: 99}, interval: '1m'},
							{name: 'request-duration', thresholdRange: {max: 500}, interval: '1m'},
						],
					},
				},
			},
		}],
		motion: {
			kind: 'custom',
			move: (store, namespace) => {
				const phase = store.get('flagger.app/canaries', namespace, 'podinfo')?.status?.phase;
				if (phase === 'Initialized' || phase === 'Succeeded' || phase === 'Failed') newImage(store, 'apps/deployments', namespace, 'podinfo');
			},
		},
		// After Flagger has initialised (the primary's pods take a few seconds).
		firstMoveAfter: 8,
	},
	{
		name: 'kruise',
		target: 'rollout/rollouts-demo',
		description: 'OpenKruise Rollout rollouts-demo (rollouts.kruise.io/v1beta1) releasing Deployment echoserver (4 replicas) in place: 20% of the traffic on 1 pod until approved · 50% on half the pods for 10s · all of it; traffic through the canary Ingress echoserver-canary (ingress-nginx); a new image after 2 s, then an approval or a new image every minute.',
		deployments: [{name: 'echoserver', app: 'echoserver', labels: {}, version: '1.10.2', replicas: 4, share: 1, podAnnotations: healthy('0.001', '50')}],
		objects: namespace => [
			service(namespace, 'echoserver', 'echoserver'),
			{
				key: 'networking.k8s.io/ingresses',
				object: {
					apiVersion: 'networking.k8s.io/v1',
					kind: 'Ingress',
					metadata: {name: 'echoserver', namespace, labels: {app: 'echoserver'}, annotations: {'kubernetes.io/ingress.class': 'nginx'}},
					spec: {rules: [{host: 'echoserver.example.com', http: {paths: [{path: '/apis/echo', pathType: 'Exact', backend: {service: {name: 'echoserver', port: {number: 80}}}}]}}]},
				},
			},
			{
				key: KRUISE_ROLLOUTS,
				object: {
					apiVersion: 'rollouts.kruise.io/v1beta1',
					kind: 'Rollout',
					metadata: {name: 'rollouts-demo', namespace, labels: {app: 'echoserver'}},
					spec: {
						workloadRef: {apiVersion: 'apps/v1', kind: 'Deployment', name: 'echoserver'},
						strategy: {
							canary: {
								steps: [
									{traffic: '20%', replicas: 1, pause: {}},
									{traffic: '50%', replicas: '50%', pause: {duration: 10}},
									{traffic: '100%', replicas: '100%'},
								],
								trafficRoutings: [{service: 'echoserver', ingress: {classType: 'nginx', name: 'echoserver'}}],
							},
						},
					},
				},
			},
		],
		motion: {kind: 'custom', move: (store, namespace, step) => moveKruise(store, namespace, 'rollouts-demo', 'echoserver', step)},
		firstMoveAfter: 2,
	},
];
