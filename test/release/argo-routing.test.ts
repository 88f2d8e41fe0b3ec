// Argo Rollouts as the kubectl plugin reads them, on shapes after its own test data (info/testdata/canary:
// canary-demo with SMI weights recorded and without, ping-pong, no steps) and examples (experiment step, NGINX,
// setHeaderRoute): the set and actual weights, the router named by trafficRouting, and the Services that open it.
import assert from 'node:assert/strict';
import {describe, test} from 'node:test';
import {buildRelease, findReleases, resolveTarget} from '../../source/kinds/registry.js';
import type {KObject} from '../../source/kube/object.js';
import type {Release} from '../../source/release/model.js';
import type {ClusterSnapshot} from '../../source/release/snapshot.js';
import {argoLines} from '../../source/text/progressive.js';
import {releaseAsText} from '../../source/text/release-text.js';
import {ago, NAMESPACE} from './fixtures.js';
import {demoSteps, progressiveSnapshot, rollout, rolloutReplicaSet, svc} from './argo-fixtures.js';

function open(snap: ClusterSnapshot, target: string): Release {
	const resolved = resolveTarget(snap, target);
	if ('error' in resolved) throw new Error(resolved.error);
	return buildRelease(snap, resolved.ref);
}

/** canary-demo at its first step: 1 new pod of 5 available, the old stable behind `stable`. */
function canaryDemo(strategy: Record<string, unknown>, status: Record<string, unknown> = {}) {
	const ro = rollout('canary-demo', strategy, {
		phase: 'Progressing',
		message: 'more replicas need to be updated',
		currentPodHash: '65fb5ffc84',
		stableRS: '877894d5b',
		currentStepIndex: 0,
		replicas: 6,
		updatedReplicas: 1,
		readyReplicas: 5,
		availableReplicas: 5,
		...status,
	});
	const stable = rolloutReplicaSet(ro, '877894d5b', 1, 'argoproj/rollouts-demo:green', 5);
	const canary = rolloutReplicaSet(ro, '65fb5ffc84', 2, 'argoproj/rollouts-demo:does-not-exist', 1, 60);
	canary.rs.status = {replicas: 1, readyReplicas: 0, availableReplicas: 0};
	return {ro, objects: [ro, stable.rs, ...stable.pods, canary.rs, ...canary.pods]};
}

const smiStrategy = {canary: {canaryService: 'canary-demo-preview', stableService: 'canary-demo-stable', trafficRouting: {smi: {rootService: 'root-svc', trafficSplitName: 'rollout-example-traffic-split'}}, steps: demoSteps}};

function trafficSplit(name: string, weights: Array<[string, string | number]>): KObject {
	return {
		apiVersion: 'split.smi-spec.io/v1alpha1',
		kind: 'TrafficSplit',
		metadata: {name, namespace: NAMESPACE, ownerReferences: [{apiVersion: 'argoproj.io/v1alpha1', kind: 'Rollout', name: 'canary-demo', uid: 'uid-ro-canary-demo', controller: true}]},
		spec: {service: 'root-svc', backends: weights.map(([service, weight]) => ({service, weight}))},
	};
}

describe('SMI traffic routing (canary-rollout5 and canary-rollout6 of the plugin\'s test data)', () => {
	test('weights recorded in status.canary.weights: actual is the recorded canary weight; the router is SMI, named in --once', () => {
		const {objects} = canaryDemo(smiStrategy, {canary: {weights: {canary: {weight: 20, serviceName: 'canary-demo', podTemplateHash: '868d98998a'}, stable: {weight: 60, serviceName: 'canary-demo', podTemplateHash: '877894d5b'}}}});
		const release = open(progressiveSnapshot(objects), 'rollout/canary-demo');
		assert.equal(release.argo?.setWeight, 20);
		assert.equal(release.argo?.actualWeight, 20);
		assert.equal(release.argo?.trafficRouter, 'smi TrafficSplit/rollout-example-traffic-split');
		// No TrafficSplit in the snapshot: the weights the controller recorded, the stable one as recorded.
		assert.deepEqual(release.traffic, {
			router: 'smi',
			object: 'TrafficSplit/rollout-example-traffic-split',
			weights: {'canary-demo-877894d5b': 60, 'canary-demo-65fb5ffc84': 20},
			managedBy: 'argo-rollouts',
		});
		assert.match(releaseAsText(release, 'ctx'), /^shop\/canary-demo {2}argo-rollout via smi TrafficSplit\/rollout-example-traffic-split {2}context ctx$/m);
	});

	test('no status.canary.weights (an older controller): actual is the set weight, and so is the split', () => {
		const {objects} = canaryDemo(smiStrategy);
		const release = open(progressiveSnapshot(objects), 'rollout/canary-demo');
		assert.equal(release.argo?.setWeight, 20);
		assert.equal(release.argo?.actualWeight, release.argo?.setWeight);
		assert.deepEqual(release.traffic?.weights, {'canary-demo-877894d5b': 80, 'canary-demo-65fb5ffc84': 20});
		assert.match(argoLines(release.argo!).join('\n'), /set weight 20% · actual 20%/);
	});

	test('a TrafficSplit the controller wrote (v1alpha1 Quantities) is read over status, with the ReplicaSets as versions', () => {
		const {objects} = canaryDemo(smiStrategy, {canary: {weights: {canary: {weight: 20, serviceName: 'canary-demo-preview', podTemplateHash: '65fb5ffc84'}, stable: {weight: 80, serviceName: 'canary-demo-stable', podTemplateHash: '877894d5b'}}}});
		const split = trafficSplit('rollout-example-traffic-split', [['canary-demo-preview', '10'], ['canary-demo-stable', '90']]);
		const release = open(progressiveSnapshot([...objects, split]), 'rollout/canary-demo');
		assert.deepEqual(release.traffic, {
			router: 'smi',
			object: 'TrafficSplit/rollout-example-traffic-split',
			weights: {'canary-demo-877894d5b': 90, 'canary-demo-65fb5ffc84': 10},
			managedBy: 'argo-rollouts',
		});
		// The plugin's actual weight is what the controller recorded.
		assert.equal(release.argo?.actualWeight, 20);
	});

	test('while no replica is available the plugin shows actual 0', () => {
		const {objects} = canaryDemo(smiStrategy, {availableReplicas: 0});
		assert.equal(open(progressiveSnapshot(objects), 'rollout/canary-demo').argo?.actualWeight, 0);
	});
});

describe('routers named by trafficRouting', () => {
	const cases: Array<[string, Record<string, unknown>, string, string | undefined, string]> = [
		['nginx', {nginx: {stableIngress: 'canary-demo-ingress'}}, 'nginx', 'Ingress/canary-demo-canary-demo-ingress-canary', 'NGINX canary Ingress'],
		['alb', {alb: {ingress: 'alb-ingress', servicePort: 80}}, 'alb', 'Ingress/alb-ingress', 'AWS ALB Ingress'],
		['ambassador', {ambassador: {mappings: ['echo']}}, 'ambassador', 'Mapping/echo', 'Ambassador Mapping'],
		['apisix', {apisix: {route: {name: 'rollouts-apisix-route', rules: ['rollouts-apisix']}}}, 'apisix', 'ApisixRoute/rollouts-apisix-route', 'APISIX Route'],
		['appMesh', {appMesh: {virtualService: {name: 'my-svc', routes: ['primary']}, virtualNodeGroup: {canaryVirtualNodeRef: {name: 'my-vn-canary'}, stableVirtualNodeRef: {name: 'my-vn-stable'}}}}, 'app-mesh', 'VirtualService/my-svc', 'App Mesh VirtualRouter'],
		['traefik', {traefik: {weightedTraefikServiceName: 'traefik-service'}}, 'traefik', 'TraefikService/traefik-service', 'Traefik weighted service'],
		['gateway API plugin', {plugins: {'argoproj-labs/gatewayAPI': {httpRoute: 'argo-rollouts-http-route', namespace: 'default'}}}, 'gateway-api', 'HTTPRoute/argo-rollouts-http-route', 'Gateway API HTTPRoute'],
		['another plugin', {plugins: {'acme/mesh': {route: 'x'}}}, 'plugin', undefined, 'traffic router plugin'],
	];
	for (const [name, trafficRouting, router, object, label] of cases) {
		test(`${name}: ${router}${object ? ` ${object}` : ''} (${label}), never "replicas"`, async () => {
			const {objects} = canaryDemo({canary: {canaryService: 'canary-demo-preview', stableService: 'canary-demo-stable', trafficRouting, steps: demoSteps}}, {canary: {weights: {canary: {weight: 20}, stable: {weight: 80}}}});
			const release = open(progressiveSnapshot(objects), 'rollout/canary-demo');
			assert.equal(release.traffic?.router, router);
			assert.equal(release.traffic?.object, object);
			assert.deepEqual(Object.values(release.traffic!.weights), [80, 20]);
			const {routerLabel} = await import('../../source/traffic/routers.js');
			assert.equal(routerLabel(release.traffic!.router), label);
			assert.doesNotMatch(releaseAsText(release, 'ctx'), /via replicas/);
		});
	}

	test('an NGINX canary Ingress the controller made is read (its weight, its header route)', () => {
		const {objects} = canaryDemo({canary: {canaryService: 'canary-demo-preview', stableService: 'canary-demo-stable', trafficRouting: {nginx: {stableIngress: 'canary-demo'}}, steps: demoSteps}}, {canary: {weights: {canary: {weight: 20}, stable: {weight: 80}}}});
		const rule = (service: string) => ({host: 'canary-demo.local', http: {paths: [{path: '/', pathType: 'Prefix', backend: {service: {name: service, port: {number: 80}}}}]}});
		const stableIngress: KObject = {apiVersion: 'networking.k8s.io/v1', kind: 'Ingress', metadata: {name: 'canary-demo', namespace: NAMESPACE}, spec: {ingressClassName: 'nginx', rules: [rule('canary-demo-stable')]}};
		const canaryIngress: KObject = {
			apiVersion: 'networking.k8s.io/v1',
			kind: 'Ingress',
			metadata: {
				name: 'canary-demo-canary-demo-canary',
				namespace: NAMESPACE,
				annotations: {'nginx.ingress.kubernetes.io/canary': 'true', 'nginx.ingress.kubernetes.io/canary-weight': '20', 'nginx.ingress.kubernetes.io/canary-by-header': 'x-canary'},
				ownerReferences: [{apiVersion: 'argoproj.io/v1alpha1', kind: 'Rollout', name: 'canary-demo', uid: 'uid-ro-canary-demo', controller: true}],
			},
			spec: {ingressClassName: 'nginx', rules: [rule('canary-demo-preview')]},
		};
		const release = open(progressiveSnapshot([...objects, stableIngress, canaryIngress]), 'rollout/canary-demo');
		assert.deepEqual(release.traffic, {
			router: 'nginx',
			object: 'Ingress/canary-demo-canary-demo-canary',
			weights: {'canary-demo-877894d5b': 80, 'canary-demo-65fb5ffc84': 20},
			routes: [{version: 'canary-demo-65fb5ffc84', match: 'header x-canary=always'}],
			managedBy: 'argo-rollouts',
		});
	});
});

describe('set weight without steps, ping-pong, Services in front', () => {
	test('a canary Rollout without steps: set weight 100 and actual 100 (no current step)', () => {
		const ro = rollout('no-steps', {canary: {}}, {phase: 'Healthy', currentPodHash: 'aaaa', stableRS: 'aaaa', replicas: 2, updatedReplicas: 2, availableReplicas: 2});
		const rs = rolloutReplicaSet(ro, 'aaaa', 1, 'x:1', 2);
		const release = open(progressiveSnapshot([ro, rs.rs, ...rs.pods]), 'rollout/no-steps');
		assert.equal(release.argo?.setWeight, 100);
		assert.equal(release.argo?.actualWeight, 100);
		assert.equal(release.argo?.step, undefined);
		assert.match(argoLines(release.argo!).join('\n'), /steps: none \(straight to 100%\)\nset weight 100% · actual 100%/);
	});

	test('ping-pong (canary-rollout4): the stable ReplicaSet is behind pong until status says ping; the Services open the Rollout', () => {
		const strategy = {canary: {pingPong: {pingService: 'ping-service', pongService: 'pong-service'}, trafficRouting: {alb: {ingress: 'alb-ingress', servicePort: 80}}, steps: demoSteps}};
		const {objects} = canaryDemo(strategy);
		let release = open(progressiveSnapshot(objects), 'rollout/canary-demo');
		assert.deepEqual(release.argo?.pingPong, {pingService: 'ping-service', pongService: 'pong-service', stable: 'pong'});
		assert.match(argoLines(release.argo!).join('\n'), /ping-pong: stable behind pong-service \(pong\), canary behind ping-service \(ping\)/);
		const {objects: swapped} = canaryDemo(strategy, {canary: {stablePingPong: 'ping'}});
		const services = [svc('ping-service', {app: 'canary-demo', 'rollouts-pod-template-hash': '877894d5b'}), svc('pong-service', {app: 'canary-demo', 'rollouts-pod-template-hash': '65fb5ffc84'})];
		const snap = progressiveSnapshot([...swapped, ...services]);
		release = open(snap, 'svc/ping-service');
		assert.equal(release.argo?.pingPong?.stable, 'ping');
		assert.deepEqual(release.services, ['ping-service', 'pong-service']);
		for (const target of ['svc/ping-service', 'svc/pong-service']) {
			const resolved = resolveTarget(snap, target);
			assert.ok('ref' in resolved, target);
			assert.equal(resolved.ref.kind, 'argo-rollout');
			assert.equal(resolved.ref.target, target);
		}
	});

	test('Services named by the Rollout, and a plain Service selecting its pods, open it; one selecting nothing says so', () => {
		const {objects} = canaryDemo({canary: {canaryService: 'canary-demo-preview', stableService: 'canary-demo-stable', steps: demoSteps}});
		const snap = progressiveSnapshot([
			...objects,
			svc('canary-demo-stable', {app: 'canary-demo', 'rollouts-pod-template-hash': '877894d5b'}),
			svc('canary-demo-preview', {app: 'canary-demo', 'rollouts-pod-template-hash': '65fb5ffc84'}),
			svc('canary-demo', {app: 'canary-demo'}),
			svc('elsewhere', {app: 'nothing-here'}),
		]);
		for (const name of ['canary-demo-stable', 'canary-demo-preview', 'canary-demo']) {
			const resolved = resolveTarget(snap, `svc/${name}`);
			assert.ok('ref' in resolved, `${name}: ${'error' in resolved ? resolved.error : ''}`);
			assert.equal(resolved.ref.kind, 'argo-rollout');
			assert.equal(open(snap, `svc/${name}`).name, 'canary-demo');
		}
		assert.deepEqual(findReleases(snap)[0]?.services, ['canary-demo-stable', 'canary-demo-preview', 'canary-demo']);
		const none = resolveTarget(snap, 'svc/elsewhere');
		assert.ok('error' in none && /selects no/.test(none.error));
	});
});

describe('an experiment step (rollout-experiment-step, the plugin\'s experiment-step test data)', () => {
	const strategy = {canary: {steps: [{setWeight: 20}, {experiment: {duration: '5m', templates: [{name: 'canary-preview', specRef: 'canary', replicas: 1}]}}, {setWeight: 60}]}};
	function withExperiment(phase?: string) {
		const {ro, objects} = canaryDemo(strategy, {currentStepIndex: 1, canary: {currentExperiment: 'canary-demo-65fb5ffc84-2-1'}});
		ro.metadata.annotations = {'rollout.argoproj.io/revision': '2'};
		const experiment: KObject = {
			apiVersion: 'argoproj.io/v1alpha1',
			kind: 'Experiment',
			metadata: {
				name: 'canary-demo-65fb5ffc84-2-1',
				namespace: NAMESPACE,
				labels: {'rollouts-pod-template-hash': '65fb5ffc84'},
				annotations: {'rollout.argoproj.io/revision': '2'},
				creationTimestamp: ago(30),
				ownerReferences: [{apiVersion: 'argoproj.io/v1alpha1', kind: 'Rollout', name: 'canary-demo', uid: 'uid-ro-canary-demo', controller: true}],
			},
			spec: {duration: '5m', templates: [{name: 'canary-preview', replicas: 1, selector: {matchLabels: {app: 'canary-demo'}}, template: {metadata: {labels: {app: 'canary-demo'}}, spec: {containers: [{name: 'c', image: 'x'}]}}}]},
			status: {phase, templateStatuses: [{name: 'canary-preview', replicas: 1, readyReplicas: 1, availableReplicas: 1, status: 'Running'}]},
		};
		return progressiveSnapshot(phase ? [...objects, experiment] : objects);
	}

	test('the step shows its templates and duration, and the Experiment\'s phase when the cluster has it', () => {
		let release = open(withExperiment(), 'rollout/canary-demo');
		assert.deepEqual(release.argo?.steps.map(s => [s.kind, s.label, s.state, s.phase]), [
			['setWeight', '20%', 'done', undefined],
			['experiment', 'experiment canary-preview 5m', 'current', undefined],
			['setWeight', '60%', 'pending', undefined],
		]);
		assert.equal(release.argo?.experiment, undefined);
		release = open(withExperiment('Running'), 'rollout/canary-demo');
		assert.equal(release.argo?.steps[1]?.phase, 'Running');
		assert.deepEqual(release.argo?.experiment, {name: 'canary-demo-65fb5ffc84-2-1', phase: 'Running', duration: '5m', templates: [{name: 'canary-preview', replicas: 1, ready: 1, status: 'Running'}]});
		const lines = argoLines(release.argo!).join('\n');
		assert.match(lines, /steps: ✓20% ▶experiment canary-preview 5m \(Running\) ·60%/);
		assert.match(lines, /experiment Running canary-demo-65fb5ffc84-2-1 · canary-preview 1\/1 · 5m/);
	});
});

describe('a setHeaderRoute step (Istio managed routes)', () => {
	test('the route the controller put above the weighted one is the release\'s header route to the canary', () => {
		const strategy = {
			canary: {
				canaryService: 'canary-demo-preview',
				stableService: 'canary-demo-stable',
				trafficRouting: {managedRoutes: [{name: 'set-header-1'}], istio: {virtualService: {name: 'canary-demo-vsvc', routes: ['primary']}}},
				steps: [{setWeight: 20}, {setHeaderRoute: {name: 'set-header-1', match: [{headerName: 'Custom-Header1', headerValue: {exact: 'Mozilla'}}]}}, {pause: {}}],
			},
		};
		const {objects} = canaryDemo(strategy, {currentStepIndex: 2, canary: {weights: {canary: {weight: 20}, stable: {weight: 80}}}});
		const vs: KObject = {
			apiVersion: 'networking.istio.io/v1alpha3',
			kind: 'VirtualService',
			metadata: {name: 'canary-demo-vsvc', namespace: NAMESPACE},
			spec: {
				hosts: ['canary-demo'],
				http: [
					{name: 'set-header-1', match: [{headers: {'Custom-Header1': {exact: 'Mozilla'}}}], route: [{destination: {host: 'canary-demo-preview'}, weight: 100}]},
					{name: 'primary', route: [{destination: {host: 'canary-demo-stable'}, weight: 80}, {destination: {host: 'canary-demo-preview'}, weight: 20}]},
				],
			},
		};
		const release = open(progressiveSnapshot([...objects, vs]), 'rollout/canary-demo');
		assert.deepEqual(release.argo?.steps.map(s => s.label), ['20%', 'header route set-header-1', 'pause']);
		assert.deepEqual(release.traffic?.routes, [{version: 'canary-demo-65fb5ffc84', match: 'header Custom-Header1=Mozilla'}]);
		assert.match(releaseAsText(release, 'ctx'), /canary-demo-65fb5ffc84 also gets requests with header Custom-Header1=Mozilla/);
	});
});
