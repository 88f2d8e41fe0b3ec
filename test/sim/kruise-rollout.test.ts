// The simulated OpenKruise Rollouts controller, in process: the webhook pausing the Deployment, steps of replicas
// (the partition style in the kruise scenario, the canary style of a v1alpha1 Rollout), the canary Service and
// Ingress, approval through the status subresource, spec.strategy.paused, a jump back by nextStepIndex, a
// rollback by template, and what is left once it is done.
import assert from 'node:assert/strict';
import {after, describe, test} from 'node:test';
import {SimClock} from '../../source/sim/clock.js';
import {startControllers} from '../../source/sim/controllers/index.js';
import {scaled} from '../../source/sim/controllers/kruise-rollout.js';
import type {KObject} from '../../source/sim/object.js';
import {applyMergePatch} from '../../source/sim/patch.js';
import {loadScenario} from '../../source/sim/scenarios.js';
import {ObjectStore} from '../../source/sim/store.js';
import {withDefaults} from '../../source/sim/validation.js';
import {resourceByKey} from '../../source/sim/resources.js';
import {waitFor} from '../helpers/sim.js';

const RO = 'rollouts.kruise.io/rollouts';
const DEPLOY = 'apps/deployments';

function cluster(speed = 40) {
	const store = new ObjectStore();
	const clock = new SimClock(speed);
	const errors: unknown[] = [];
	loadScenario(store, 'kruise');
	const controllers = startControllers(store, clock, {onError: e => errors.push(e)});
	return {store, clock, errors, stop: () => (controllers.stop(), clock.stop())};
}

/** What a merge PATCH does, to the status subresource when asked. */
function merge(store: ObjectStore, key: string, namespace: string, name: string, patch: Record<string, unknown>, status = false): void {
	const current = store.mustGet(key, namespace, name);
	store.update(key, applyMergePatch(structuredClone(current), patch) as KObject, status ? {subresource: 'status'} : {});
}

function setImage(store: ObjectStore, namespace: string, name: string, image: string): void {
	store.mutate(DEPLOY, namespace, name, d => {
		d.spec.template.spec.containers[0].image = image;
	});
}

const replicaSets = (store: ObjectStore, namespace: string) =>
	Object.fromEntries(store.list('apps/replicasets', namespace).filter(rs => rs.spec.replicas > 0).map(rs => [rs.spec.template.spec.containers[0].image, rs.spec.replicas]));

test('scaled replicas: numbers as they are, percents of the total rounded up', () => {
	assert.equal(scaled(1, 4), 1);
	assert.equal(scaled('50%', 5), 3);
	assert.equal(scaled('20%', 4), 1);
	assert.equal(scaled('100%', 4), 4);
	assert.equal(scaled(undefined, 4), 0);
});

describe('kruise scenario: a v1beta1 Rollout releasing echoserver in place (partition style)', () => {
	const c = cluster();
	after(() => c.stop());
	const ro = () => c.store.mustGet(RO, 'kruise', 'rollouts-demo');
	const d = () => c.store.mustGet(DEPLOY, 'kruise', 'echoserver');

	test('Healthy with a completed status once the Deployment is up', async () => {
		await waitFor('Healthy', () => ro().status?.phase === 'Healthy' && ro().status?.canaryStatus?.currentStepState === 'Completed');
		const s = ro().status;
		assert.equal(s.message, 'workload deployment is completed');
		assert.deepEqual([s.currentStepIndex, s.currentStepState, s.canaryStatus.currentStepIndex, s.canaryStatus.nextStepIndex], [3, 'Completed', 3, -1]);
		assert.equal(s.canaryStatus.stableRevision, s.canaryStatus.podTemplateHash);
	});

	test('a new image: the webhook pauses the Deployment; step 1 runs 1 new pod, 20% through the canary Ingress, then waits for approval', async () => {
		const stableHash = ro().status.canaryStatus.stableRevision;
		setImage(c.store, 'kruise', 'echoserver', 'registry.local/echoserver:1.10.3');
		assert.equal(d().spec.paused, true, 'paused as the template changed');
		assert.equal(d().metadata.labels?.['rollouts.kruise.io/stable-revision'], stableHash);
		assert.deepEqual(JSON.parse(d().metadata.annotations?.['rollouts.kruise.io/in-progressing'] ?? 'null'), {rolloutName: 'rollouts-demo'});
		// As the controller does, the state turns StepPaused in one reconcile and the message follows in the next.
		await waitFor('step 1 paused and said so', () => ro().status?.canaryStatus?.currentStepState === 'StepPaused' && /manually confirm/.test(ro().status?.message ?? ''));
		const s = ro().status;
		assert.equal(s.phase, 'Progressing');
		assert.equal(s.message, 'Rollout is in step(1/3), and you need manually confirm to enter the next step');
		assert.deepEqual([s.currentStepIndex, s.currentStepState], [1, 'StepPaused']);
		assert.deepEqual([s.canaryStatus.canaryReplicas, s.canaryStatus.canaryReadyReplicas, s.canaryStatus.nextStepIndex], [1, 1, 2]);
		assert.deepEqual(replicaSets(c.store, 'kruise'), {'registry.local/echoserver:1.10.2': 3, 'registry.local/echoserver:1.10.3': 1});
		assert.equal(d().spec.strategy.type, 'Recreate');
		const ingress = c.store.mustGet('networking.k8s.io/ingresses', 'kruise', 'echoserver-canary');
		assert.equal(ingress.metadata.annotations?.['nginx.ingress.kubernetes.io/canary'], 'true');
		assert.equal(ingress.metadata.annotations?.['nginx.ingress.kubernetes.io/canary-weight'], '20');
		assert.equal(ingress.spec.rules[0].http.paths[0].backend.service.name, 'echoserver-canary');
		assert.equal(ingress.metadata.ownerReferences?.[0]?.kind, 'Rollout');
		assert.equal(c.store.mustGet('services', 'kruise', 'echoserver').spec.selector['pod-template-hash'], stableHash);
		assert.equal(c.store.mustGet('services', 'kruise', 'echoserver-canary').spec.selector['pod-template-hash'], s.canaryStatus.podTemplateHash);
		// It stays until approved.
		await new Promise(r => setTimeout(r, c.clock.toMs(20)));
		assert.equal(ro().status.canaryStatus.currentStepState, 'StepPaused');
	});

	test('spec.strategy.paused holds the release; approval (StepReady on the status subresource) moves it on once resumed', async () => {
		merge(c.store, RO, 'kruise', 'rollouts-demo', {spec: {strategy: {paused: true}}});
		await waitFor('paused', () => ro().status?.conditions?.find((x: any) => x.type === 'Progressing')?.reason === 'Paused');
		assert.equal(ro().status.message, 'Rollout has been paused, you can resume it by kube-cli');
		merge(c.store, RO, 'kruise', 'rollouts-demo', {status: {canaryStatus: {currentStepState: 'StepReady'}}}, true);
		await new Promise(r => setTimeout(r, c.clock.toMs(5)));
		assert.equal(ro().status.canaryStatus.currentStepIndex, 1, 'held while paused');
		merge(c.store, RO, 'kruise', 'rollouts-demo', {spec: {strategy: {paused: false}}});
		await waitFor('step 2', () => ro().status?.canaryStatus?.currentStepIndex === 2);
		await waitFor('2 new pods and 50%', () => c.store.get('networking.k8s.io/ingresses', 'kruise', 'echoserver-canary')?.metadata.annotations?.['nginx.ingress.kubernetes.io/canary-weight'] === '50');
		assert.deepEqual(replicaSets(c.store, 'kruise'), {'registry.local/echoserver:1.10.2': 2, 'registry.local/echoserver:1.10.3': 2});
	});

	test('after its 10 s pause and the last step, everything is restored: Healthy, the Deployment resumed on the new image', async () => {
		await waitFor('Healthy again', () => ro().status?.phase === 'Healthy', 30_000);
		const s = ro().status;
		assert.equal(s.message, 'Rollout progressing has been completed');
		assert.deepEqual(s.conditions.map((x: any) => [x.type, x.status, x.reason]), [['Progressing', 'False', 'Completed'], ['Succeeded', 'True', 'Completed']]);
		assert.deepEqual([s.canaryStatus.currentStepState, s.canaryStatus.finalisingStep], ['Completed', 'END']);
		assert.equal(d().spec.paused, false);
		assert.equal(d().spec.strategy.type, 'RollingUpdate');
		assert.equal(d().metadata.annotations?.['rollouts.kruise.io/in-progressing'], undefined);
		assert.equal(d().metadata.labels?.['rollouts.kruise.io/stable-revision'], undefined);
		await waitFor('all pods on the new image', () => JSON.stringify(replicaSets(c.store, 'kruise')) === JSON.stringify({'registry.local/echoserver:1.10.3': 4}));
		assert.equal(c.store.get('networking.k8s.io/ingresses', 'kruise', 'echoserver-canary'), undefined);
		assert.equal(c.store.get('services', 'kruise', 'echoserver-canary'), undefined);
		assert.equal(c.store.mustGet('services', 'kruise', 'echoserver').spec.selector['pod-template-hash'], undefined);
		assert.equal(c.store.get('rollouts.kruise.io/batchreleases', 'kruise', 'rollouts-demo'), undefined);
		assert.deepEqual(c.errors, []);
	});
});

describe('a v1alpha1 Rollout (objectRef, weight): the canary style with a canary Deployment', () => {
	const c = cluster();
	after(() => c.stop());
	const NS = 'shop';
	const create = (key: string, o: KObject) => c.store.create(key, withDefaults(resourceByKey(key), o));
	c.store.create('namespaces', {apiVersion: 'v1', kind: 'Namespace', metadata: {name: NS}});
	const template = (image: string) => ({metadata: {labels: {app: 'cart'}}, spec: {containers: [{name: 'cart', image, ports: [{containerPort: 8080}]}]}});
	create(DEPLOY, {apiVersion: 'apps/v1', kind: 'Deployment', metadata: {name: 'cart', namespace: NS}, spec: {replicas: 5, selector: {matchLabels: {app: 'cart'}}, template: template('registry.local/cart:1.0.0')}});
	create('services', {apiVersion: 'v1', kind: 'Service', metadata: {name: 'cart', namespace: NS}, spec: {selector: {app: 'cart'}, ports: [{port: 80, targetPort: 8080}]}});
	create('networking.k8s.io/ingresses', {apiVersion: 'networking.k8s.io/v1', kind: 'Ingress', metadata: {name: 'cart', namespace: NS}, spec: {ingressClassName: 'nginx', rules: [{host: 'cart.local', http: {paths: [{path: '/', pathType: 'Prefix', backend: {service: {name: 'cart', port: {number: 80}}}}]}}]}});
	create(RO, {
		apiVersion: 'rollouts.kruise.io/v1alpha1',
		kind: 'Rollout',
		metadata: {name: 'cart', namespace: NS},
		spec: {
			objectRef: {workloadRef: {apiVersion: 'apps/v1', kind: 'Deployment', name: 'cart'}},
			strategy: {canary: {steps: [{weight: 20, pause: {}}, {weight: 60, pause: {}}, {weight: 100}], trafficRoutings: [{service: 'cart', ingress: {name: 'cart'}}]}},
		},
	});
	const ro = () => c.store.mustGet(RO, NS, 'cart');
	const d = () => c.store.mustGet(DEPLOY, NS, 'cart');
	const canaries = () => c.store.list(DEPLOY, NS).filter(x => x.metadata.labels?.['rollouts.kruise.io/canary-deployment'] === 'cart');

	test('step 1: a canary Deployment cart-xxxxx of 1 pod (20% of 5) beside the stable one, kept at 5; v1alpha1 status has no step at the top', async () => {
		await waitFor('Healthy', () => ro().status?.phase === 'Healthy' && ro().status?.canaryStatus);
		setImage(c.store, NS, 'cart', 'registry.local/cart:1.1.0');
		// As the controller does, the state turns StepPaused in one reconcile and the message follows in the next.
		await waitFor('step 1 paused and said so', () => ro().status?.canaryStatus?.currentStepState === 'StepPaused' && /manually confirm/.test(ro().status?.message ?? ''));
		const [canary] = canaries();
		assert.ok(canary, 'a canary Deployment');
		assert.match(canary.metadata.name!, /^cart-[a-z0-9]{5}$/);
		assert.equal(canary.spec.replicas, 1);
		assert.equal(canary.metadata.ownerReferences?.[0]?.kind, 'BatchRelease');
		assert.equal(canary.spec.template.spec.containers[0].image, 'registry.local/cart:1.1.0');
		assert.equal(d().spec.paused, true);
		assert.deepEqual(replicaSets(c.store, NS), {'registry.local/cart:1.0.0': 5, 'registry.local/cart:1.1.0': 1});
		assert.equal(ro().status.currentStepIndex, undefined);
		assert.equal(ro().status.canaryStatus.podTemplateHash, c.store.list('apps/replicasets', NS).find(rs => rs.metadata.ownerReferences?.[0]?.name === canary.metadata.name)!.metadata.labels?.['pod-template-hash']);
		assert.equal(c.store.mustGet('networking.k8s.io/ingresses', NS, 'cart-canary').metadata.annotations?.['nginx.ingress.kubernetes.io/canary-weight'], '20');
	});

	test('approved, then sent back by nextStepIndex to step 1: traffic back to 20%, the canary pods stay', async () => {
		merge(c.store, RO, NS, 'cart', {status: {canaryStatus: {currentStepState: 'StepReady'}}}, true);
		await waitFor('step 2 paused at 60%', () => ro().status?.canaryStatus?.currentStepIndex === 2 && ro().status.canaryStatus.currentStepState === 'StepPaused');
		assert.equal(canaries()[0]!.spec.replicas, 3);
		assert.equal(c.store.mustGet('networking.k8s.io/ingresses', NS, 'cart-canary').metadata.annotations?.['nginx.ingress.kubernetes.io/canary-weight'], '60');
		merge(c.store, RO, NS, 'cart', {status: {canaryStatus: {nextStepIndex: 1}}}, true);
		await waitFor('back at step 1, paused', () => ro().status?.canaryStatus?.currentStepIndex === 1 && ro().status.canaryStatus.currentStepState === 'StepPaused');
		assert.equal(ro().status.canaryStatus.nextStepIndex, 2);
		assert.equal(c.store.mustGet('networking.k8s.io/ingresses', NS, 'cart-canary').metadata.annotations?.['nginx.ingress.kubernetes.io/canary-weight'], '20');
		assert.equal(canaries()[0]!.spec.replicas, 3, 'a batch is not scaled down');
	});

	test('the template put back to the stable revision cancels the release: canary Deployment gone, the stable one resumed as it was', async () => {
		setImage(c.store, NS, 'cart', 'registry.local/cart:1.0.0');
		await waitFor('Healthy after the rollback', () => ro().status?.phase === 'Healthy', 30_000);
		assert.equal(ro().status.message, 'Rollout progressing has been canceled');
		assert.deepEqual(ro().status.conditions.find((x: any) => x.type === 'Succeeded')?.status, 'False');
		assert.deepEqual(canaries(), []);
		assert.equal(d().spec.paused, false);
		await waitFor('only the stable pods', () => JSON.stringify(replicaSets(c.store, NS)) === JSON.stringify({'registry.local/cart:1.0.0': 5}));
		assert.equal(c.store.get('networking.k8s.io/ingresses', NS, 'cart-canary'), undefined);
		assert.deepEqual(c.errors, []);
	});

	test('approved to the end: the last step (100%) does not wait; the stable Deployment rolls to the new template, the canary one goes', async () => {
		// The canceled release's status stays until the next one starts: wait for the new revision.
		const before = ro().status.canaryStatus.canaryRevision;
		setImage(c.store, NS, 'cart', 'registry.local/cart:1.2.0');
		for (const step of [1, 2]) {
			await waitFor(`step ${step} paused`, () => ro().status?.canaryStatus?.canaryRevision !== before && ro().status.canaryStatus.currentStepIndex === step && ro().status.canaryStatus.currentStepState === 'StepPaused', 30_000);
			merge(c.store, RO, NS, 'cart', {status: {canaryStatus: {currentStepState: 'StepReady'}}}, true);
		}
		await waitFor('Healthy on 1.2.0', () => ro().status?.phase === 'Healthy', 30_000);
		assert.equal(ro().status.message, 'Rollout progressing has been completed');
		assert.equal(d().spec.template.spec.containers[0].image, 'registry.local/cart:1.2.0');
		await waitFor('only the new pods, of the stable Deployment', () => JSON.stringify(replicaSets(c.store, NS)) === JSON.stringify({'registry.local/cart:1.2.0': 5}) && canaries().length === 0, 30_000);
		assert.deepEqual(c.errors, []);
	});
});
