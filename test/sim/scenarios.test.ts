import assert from 'node:assert/strict';
import {describe, it} from 'node:test';
import {SimClock} from '../../source/sim/clock.js';
import type {KObject} from '../../source/sim/object.js';
import {animateScenario, loadScenario, scenarioNames} from '../../source/sim/scenarios.js';
import {resourceKey, resources} from '../../source/sim/resources.js';
import {ObjectStore} from '../../source/sim/store.js';
import {withDefaults} from '../../source/sim/validation.js';

const names = (store: ObjectStore, key: string, namespace: string) => store.list(key, namespace).map(o => o.metadata.name).sort();
const deploy = (store: ObjectStore, namespace: string, name: string) => store.mustGet('apps/deployments', namespace, name);
const imageOf = (d: KObject): string => d.spec.template.spec.containers[0].image;
const service = (store: ObjectStore, namespace: string, name: string) => store.mustGet('services', namespace, name);

async function waitFor(condition: () => boolean, what: string, timeoutMs = 5000): Promise<void> {
	const deadline = Date.now() + timeoutMs;
	while (!condition()) {
		if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
		await new Promise(resolve => setTimeout(resolve, 5));
	}
}

function loaded(name: string, options?: {pods?: number}) {
	const store = new ObjectStore();
	const scenarios = loadScenario(store, name, options);
	return {store, scenarios};
}

describe('loadScenario', () => {
	it('lists every scenario and all', () => {
		assert.deepEqual([...scenarioNames], ['rolling', 'canary', 'canary-bad', 'bluegreen', 'gateway', 'smi', 'nginx', 'bookinfo', 'header-canary', 'argo-canary', 'argo-bluegreen', 'flagger', 'kruise', 'stuck', 'all']);
	});

	it('objects are stored with the API server defaults, so a write through the API (an annotation) is no template change', () => {
		const {store} = loaded('all');
		let checked = 0;
		for (const r of resources) {
			for (const object of store.list(resourceKey(r))) {
				assert.deepEqual(withDefaults(r, structuredClone(object)), object, `${r.kind} ${object.metadata.namespace}/${object.metadata.name}`);
				checked++;
			}
		}
		assert.ok(checked > 30, `${checked} objects`);
	});

	it('rolling: deploy/web with a cautious rolling update and its Service', () => {
		const {store, scenarios} = loaded('rolling');
		assert.deepEqual(scenarios.map(s => [s.name, s.namespace, s.target]), [['rolling', 'rolling', 'deploy/web']]);
		assert.ok(scenarios[0]!.description.length > 0);
		const web = deploy(store, 'rolling', 'web');
		assert.equal(web.spec.replicas, 4);
		assert.deepEqual(web.spec.selector, {matchLabels: {app: 'web'}});
		assert.deepEqual(web.spec.strategy, {type: 'RollingUpdate', rollingUpdate: {maxSurge: 1, maxUnavailable: 0}});
		assert.equal(web.spec.minReadySeconds, 2);
		assert.equal(web.metadata.annotations?.['kubernetes.io/change-cause'], 'deploy web:1.0.0');
		const container = web.spec.template.spec.containers[0];
		assert.equal(container.name, 'web');
		assert.equal(container.image, 'registry.local/web:1.0.0');
		assert.equal(container.ports[0].containerPort, 8080);
		assert.deepEqual(container.readinessProbe.httpGet, {path: '/healthz', port: 8080, scheme: 'HTTP'});
		const svc = service(store, 'rolling', 'web');
		assert.equal(svc.spec.type, 'ClusterIP');
		assert.match(svc.spec.clusterIP, /^10\.96\.\d+\.\d+$/);
		assert.deepEqual(svc.spec.selector, {app: 'web'});
		assert.equal(svc.spec.ports[0].port, 80);
		assert.equal(svc.spec.ports[0].targetPort, 8080);
		assert.ok(store.get('namespaces', undefined, 'default'));
		assert.deepEqual(store.list('apps/replicasets'), []);
		assert.deepEqual(store.list('pods'), []);
	});

	for (const [name, errorRate, latency] of [['canary', '0.002', '80'], ['canary-bad', '0.05', '400']] as const) {
		it(`${name}: checkout pair behind an Istio VirtualService at 90/10`, () => {
			const {store, scenarios} = loaded(name);
			assert.deepEqual(scenarios.map(s => [s.namespace, s.target]), [[name, 'deploy/checkout']]);
			assert.deepEqual(names(store, 'apps/deployments', name), ['checkout', 'checkout-canary']);
			const stable = deploy(store, name, 'checkout');
			const canary = deploy(store, name, 'checkout-canary');
			assert.deepEqual(stable.spec.template.metadata.labels, {app: 'checkout', track: 'stable'});
			assert.deepEqual(canary.spec.template.metadata.labels, {app: 'checkout', track: 'canary'});
			assert.equal(stable.spec.replicas, 4);
			assert.ok(canary.spec.replicas >= 1 && canary.spec.replicas <= 2);
			assert.equal(imageOf(stable), 'registry.local/checkout:1.2.3');
			assert.equal(imageOf(canary), 'registry.local/checkout:1.3.0');
			assert.deepEqual(stable.spec.template.metadata.annotations, {'sim.rollscope.dev/error-rate': '0.002', 'sim.rollscope.dev/latency-ms': '80'});
			assert.deepEqual(canary.spec.template.metadata.annotations, {'sim.rollscope.dev/error-rate': errorRate, 'sim.rollscope.dev/latency-ms': latency});
			assert.deepEqual(service(store, name, 'checkout').spec.selector, {app: 'checkout'});
			const dr = store.mustGet('networking.istio.io/destinationrules', name, 'checkout');
			assert.deepEqual(dr.spec.subsets, [{name: 'stable', labels: {track: 'stable'}}, {name: 'canary', labels: {track: 'canary'}}]);
			const vs = store.mustGet('networking.istio.io/virtualservices', name, 'checkout');
			assert.deepEqual(vs.spec.hosts, ['checkout']);
			assert.deepEqual(vs.spec.http[0].route.map((r: any) => [r.destination.subset, r.weight]), [['stable', 90], ['canary', 10]]);
		});
	}

	it('bluegreen: shop-blue live behind shop, shop-green behind shop-preview', () => {
		const {store, scenarios} = loaded('bluegreen');
		assert.equal(scenarios[0]!.target, 'deploy/shop-blue');
		assert.deepEqual(deploy(store, 'bluegreen', 'shop-blue').spec.selector.matchLabels, {app: 'shop', color: 'blue'});
		assert.deepEqual(deploy(store, 'bluegreen', 'shop-green').spec.selector.matchLabels, {app: 'shop', color: 'green'});
		assert.equal(imageOf(deploy(store, 'bluegreen', 'shop-blue')), 'registry.local/shop:2.0.0');
		assert.equal(imageOf(deploy(store, 'bluegreen', 'shop-green')), 'registry.local/shop:2.1.0');
		assert.deepEqual(service(store, 'bluegreen', 'shop').spec.selector, {app: 'shop', color: 'blue'});
		assert.deepEqual(service(store, 'bluegreen', 'shop-preview').spec.selector, {app: 'shop', color: 'green'});
	});

	it('gateway: api pair split 80/20 by an HTTPRoute', () => {
		const {store} = loaded('gateway');
		assert.deepEqual(names(store, 'apps/deployments', 'gateway'), ['api', 'api-canary']);
		assert.deepEqual(names(store, 'services', 'gateway'), ['api', 'api-canary', 'api-stable']);
		assert.deepEqual(service(store, 'gateway', 'api-stable').spec.selector, {app: 'api', track: 'stable'});
		assert.deepEqual(service(store, 'gateway', 'api-canary').spec.selector, {app: 'api', track: 'canary'});
		const route = store.mustGet('gateway.networking.k8s.io/httproutes', 'gateway', 'api');
		assert.equal(route.apiVersion, 'gateway.networking.k8s.io/v1');
		assert.equal(route.spec.parentRefs[0].kind, 'Gateway');
		assert.deepEqual(route.spec.rules[0].backendRefs.map((b: any) => [b.name, b.port, b.weight]), [['api-stable', 80, 80], ['api-canary', 80, 20]]);
	});

	it('smi: pay pair split 75/25 by a TrafficSplit', () => {
		const {store} = loaded('smi');
		assert.deepEqual(names(store, 'apps/deployments', 'smi'), ['pay', 'pay-canary']);
		assert.deepEqual(names(store, 'services', 'smi'), ['pay', 'pay-canary', 'pay-stable']);
		const split = store.mustGet('split.smi-spec.io/trafficsplits', 'smi', 'pay');
		assert.equal(split.apiVersion, 'split.smi-spec.io/v1alpha2');
		assert.equal(split.spec.service, 'pay');
		assert.deepEqual(split.spec.backends, [{service: 'pay-stable', weight: 75}, {service: 'pay-canary', weight: 25}]);
	});

	it('nginx: main Ingress to cart, canary Ingress at weight 30 to cart-canary on the same host', () => {
		const {store} = loaded('nginx');
		assert.deepEqual(names(store, 'apps/deployments', 'nginx'), ['cart', 'cart-canary']);
		const main = store.mustGet('networking.k8s.io/ingresses', 'nginx', 'cart');
		const canary = store.mustGet('networking.k8s.io/ingresses', 'nginx', 'cart-canary');
		const backendOf = (ing: KObject) => ing.spec.rules[0].http.paths[0].backend.service.name;
		assert.equal(backendOf(main), 'cart');
		assert.equal(backendOf(canary), 'cart-canary');
		assert.equal(main.spec.rules[0].host, canary.spec.rules[0].host);
		assert.equal(main.metadata.annotations?.['nginx.ingress.kubernetes.io/canary'], undefined);
		assert.equal(canary.metadata.annotations?.['nginx.ingress.kubernetes.io/canary'], 'true');
		assert.equal(canary.metadata.annotations?.['nginx.ingress.kubernetes.io/canary-weight'], '30');
		assert.deepEqual(service(store, 'nginx', 'cart').spec.selector, {app: 'cart', track: 'stable'});
		assert.deepEqual(service(store, 'nginx', 'cart-canary').spec.selector, {app: 'cart', track: 'canary'});
	});

	it('stuck: deploy/ledger with a 30 s progress deadline that keeps its old pods while rolling', () => {
		const {store, scenarios} = loaded('stuck');
		assert.deepEqual(scenarios.map(s => [s.namespace, s.target]), [['stuck', 'deploy/ledger']]);
		const ledger = deploy(store, 'stuck', 'ledger');
		assert.equal(imageOf(ledger), 'registry.local/ledger:2.0.0');
		assert.equal(ledger.spec.progressDeadlineSeconds, 30);
		assert.deepEqual(ledger.spec.strategy.rollingUpdate, {maxSurge: 1, maxUnavailable: 0});
		assert.deepEqual(service(store, 'stuck', 'ledger').spec.selector, {app: 'ledger'});
	});

	it('kruise: Deployment echoserver behind Service and Ingress echoserver, released by a v1beta1 Kruise Rollout in three steps', () => {
		const {store, scenarios} = loaded('kruise');
		assert.deepEqual(scenarios.map(s => [s.namespace, s.target]), [['kruise', 'rollout/rollouts-demo']]);
		const d = deploy(store, 'kruise', 'echoserver');
		assert.equal(d.spec.replicas, 4);
		assert.equal(imageOf(d), 'registry.local/echoserver:1.10.2');
		assert.deepEqual(service(store, 'kruise', 'echoserver').spec.selector, {app: 'echoserver'});
		const ingress = store.mustGet('networking.k8s.io/ingresses', 'kruise', 'echoserver');
		assert.equal(ingress.spec.rules[0].http.paths[0].backend.service.name, 'echoserver');
		const ro = store.mustGet('rollouts.kruise.io/rollouts', 'kruise', 'rollouts-demo');
		assert.equal(ro.apiVersion, 'rollouts.kruise.io/v1beta1');
		assert.deepEqual(ro.spec.workloadRef, {apiVersion: 'apps/v1', kind: 'Deployment', name: 'echoserver'});
		assert.deepEqual(ro.spec.strategy.canary.steps.map((s: any) => [s.traffic, s.replicas, s.pause?.duration]), [['20%', 1, undefined], ['50%', '50%', 10], ['100%', '100%', undefined]]);
		assert.deepEqual(ro.spec.strategy.canary.trafficRoutings, [{service: 'echoserver', ingress: {classType: 'nginx', name: 'echoserver'}}]);
	});

	it('all: every scenario, each in its own namespace, with distinct ClusterIPs', () => {
		const {store, scenarios} = loaded('all');
		const expected = scenarioNames.filter(n => n !== 'all');
		assert.deepEqual(scenarios.map(s => s.name), expected);
		assert.deepEqual(store.list('namespaces').map(n => n.metadata.name).sort(), ['default', ...expected].sort());
		const ips = store.list('services').map(s => s.spec.clusterIP);
		assert.equal(new Set(ips).size, ips.length);
		for (const d of store.list('apps/deployments')) {
			assert.ok(d.spec.replicas >= 1 && d.spec.replicas <= 4, `${d.metadata.name} has ${d.spec.replicas} replicas`);
			assert.match(imageOf(d), /^registry\.local\/[a-z]+:\d+\.\d+\.\d+$/);
			assert.doesNotMatch(imageOf(d), /crash|unready|slow/);
		}
	});

	it('throws for an unknown name, listing the choices', () => {
		assert.throws(() => loadScenario(new ObjectStore(), 'nope'), {message: 'unknown scenario "nope"; choose one of: rolling, canary, canary-bad, bluegreen, gateway, smi, nginx, bookinfo, header-canary, argo-canary, argo-bluegreen, flagger, kruise, stuck, all'});
	});

	it('can be loaded twice, keeping what is already there', () => {
		const store = new ObjectStore();
		loadScenario(store, 'canary');
		store.mutate('networking.istio.io/virtualservices', 'canary', 'checkout', vs => {
			vs.spec.http[0].route[0].weight = 50;
			vs.spec.http[0].route[1].weight = 50;
		});
		const before = store.list('services').length;
		assert.doesNotThrow(() => loadScenario(store, 'canary'));
		assert.doesNotThrow(() => loadScenario(store, 'all'));
		assert.equal(store.list('apps/deployments', 'canary').length, 2);
		assert.equal(store.mustGet('networking.istio.io/virtualservices', 'canary', 'checkout').spec.http[0].route[1].weight, 50);
		assert.ok(store.list('services').length > before);
	});

	for (const name of ['all', 'canary']) {
		it(`pods: 1000 gives ${name} about 1000 replicas in all`, () => {
			const {store} = loaded(name, {pods: 1000});
			const deployments = store.list('apps/deployments');
			const total = deployments.reduce((sum, d) => sum + d.spec.replicas, 0);
			assert.ok(Math.abs(total - 1000) <= deployments.length, `total ${total}`);
			for (const d of deployments) assert.ok(d.spec.replicas >= 1);
		});
	}

	it('refuses a pods count that is not positive', () => {
		assert.throws(() => loadScenario(new ObjectStore(), 'rolling', {pods: 0}), /pods/);
	});
});

describe('animateScenario', () => {
	it('gives the canary a new image soon, with a change-cause', async () => {
		const store = new ObjectStore();
		const clock = new SimClock(100);
		const stop = animateScenario(store, clock, loadScenario(store, 'canary'));
		try {
			await waitFor(() => imageOf(deploy(store, 'canary', 'checkout-canary')) !== 'registry.local/checkout:1.3.0', 'a new canary image');
			const canary = deploy(store, 'canary', 'checkout-canary');
			assert.equal(imageOf(canary), 'registry.local/checkout:1.3.1');
			assert.equal(canary.metadata.annotations?.['kubernetes.io/change-cause'], 'deploy checkout:1.3.1');
			assert.equal(canary.metadata.generation, 2);
			assert.equal(imageOf(deploy(store, 'canary', 'checkout')), 'registry.local/checkout:1.2.3');
		} finally {
			stop();
			clock.stop();
		}
	});

	it('starts the rolling update at once and keeps every scenario of all moving', async () => {
		const store = new ObjectStore();
		const clock = new SimClock(1000);
		const scenarios = loadScenario(store, 'all');
		const initial = new Map(store.list('apps/deployments').map(d => [`${d.metadata.namespace}/${d.metadata.name}`, imageOf(d)]));
		const stop = animateScenario(store, clock, scenarios);
		const changed = (namespace: string, name: string) => imageOf(deploy(store, namespace, name)) !== initial.get(`${namespace}/${name}`);
		try {
			await waitFor(() => changed('rolling', 'web'), 'the rolling update');
			assert.equal(imageOf(deploy(store, 'rolling', 'web')), 'registry.local/web:1.1.0');
			await waitFor(() => changed('bluegreen', 'shop-green'), 'a new green image');
			assert.equal(imageOf(deploy(store, 'bluegreen', 'shop-green')), 'registry.local/shop:2.1.1');
			assert.ok(!changed('bluegreen', 'shop-blue'), 'the live colour is left alone');
			// The loop promotes the canaries' images to stable.
			for (const [namespace, stable, canary] of [['canary', 'checkout', 'checkout-canary'], ['gateway', 'api', 'api-canary'], ['smi', 'pay', 'pay-canary'], ['nginx', 'cart', 'cart-canary']] as const) {
				await waitFor(() => changed(namespace, stable), `a promotion in ${namespace}`);
				const promoted = deploy(store, namespace, stable);
				assert.match(promoted.metadata.annotations?.['kubernetes.io/change-cause'] ?? '', /^promote /);
				assert.equal(promoted.spec.template.metadata.labels.track, 'stable');
				assert.ok(changed(namespace, canary));
			}
			await waitFor(() => imageOf(deploy(store, 'rolling', 'web')) === 'registry.local/web:1.2.0', 'the next rolling update');
			// canary-bad is never promoted, only given new (still bad) canaries.
			assert.ok(!changed('canary-bad', 'checkout'));
			assert.equal(deploy(store, 'canary-bad', 'checkout-canary').spec.template.metadata.annotations['sim.rollscope.dev/error-rate'], '0.05');
		} finally {
			stop();
			clock.stop();
		}
	});

	it('stuck: rolls ledger to a crashing image once, and leaves it there', async () => {
		const store = new ObjectStore();
		const clock = new SimClock(1000);
		const stop = animateScenario(store, clock, loadScenario(store, 'stuck'));
		try {
			await waitFor(() => imageOf(deploy(store, 'stuck', 'ledger')) !== 'registry.local/ledger:2.0.0', 'the bad rollout');
			const ledger = deploy(store, 'stuck', 'ledger');
			assert.equal(imageOf(ledger), 'registry.local/ledger:2.1.0-crash');
			assert.equal(ledger.metadata.annotations?.['kubernetes.io/change-cause'], 'deploy ledger:2.1.0-crash');
			// A few loop steps later (a minute each) nothing else has changed.
			await new Promise(resolve => setTimeout(resolve, clock.toMs(200)));
			assert.equal(deploy(store, 'stuck', 'ledger').metadata.resourceVersion, ledger.metadata.resourceVersion);
		} finally {
			stop();
			clock.stop();
		}
	});

	it('does only the first change when static', async () => {
		const store = new ObjectStore();
		const clock = new SimClock(1000);
		const stop = animateScenario(store, clock, loadScenario(store, 'rolling'), {static: true});
		try {
			await waitFor(() => imageOf(deploy(store, 'rolling', 'web')) === 'registry.local/web:1.1.0', 'the rolling update');
			const rv = deploy(store, 'rolling', 'web').metadata.resourceVersion;
			await new Promise(resolve => setTimeout(resolve, clock.toMs(150)));
			assert.equal(deploy(store, 'rolling', 'web').metadata.resourceVersion, rv);
		} finally {
			stop();
			clock.stop();
		}
	});

	it('stops when the returned function is called', async () => {
		const store = new ObjectStore();
		const clock = new SimClock(1000);
		const stop = animateScenario(store, clock, loadScenario(store, 'canary'));
		try {
			await waitFor(() => imageOf(deploy(store, 'canary', 'checkout-canary')) !== 'registry.local/checkout:1.3.0', 'a new canary image');
			stop();
			const rvs = store.list('apps/deployments').map(d => d.metadata.resourceVersion);
			// Three loop periods pass without a change.
			await new Promise(resolve => setTimeout(resolve, clock.toMs(200)));
			assert.deepEqual(store.list('apps/deployments').map(d => d.metadata.resourceVersion), rvs);
		} finally {
			stop();
			clock.stop();
		}
	});

	it('leaves a Deployment the user deleted alone and keeps going', async () => {
		const store = new ObjectStore();
		const clock = new SimClock(1000);
		const scenarios = loadScenario(store, 'gateway');
		store.delete('apps/deployments', 'gateway', 'api');
		const stop = animateScenario(store, clock, scenarios);
		try {
			await waitFor(() => imageOf(deploy(store, 'gateway', 'api-canary')) !== 'registry.local/api:3.5.0', 'a new canary image');
			await waitFor(() => imageOf(deploy(store, 'gateway', 'api-canary')) === 'registry.local/api:3.5.2', 'the loop to carry on');
		} finally {
			stop();
			clock.stop();
		}
	});
});
