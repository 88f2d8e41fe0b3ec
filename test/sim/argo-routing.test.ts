// Argo Rollouts with the routers people run, on the sim (manifests in test/testdata/sim/argo, written after Argo's
// examples) and read through rollscope's real path (`--once`, `-o json`): SMI with and without the weights the
// controller records, NGINX's canary Ingress, ping-pong Services, an experiment step, a setHeaderRoute step, and
// Services in front of a Rollout opening it.
import assert from 'node:assert/strict';
import {join} from 'node:path';
import {after, before, describe, test} from 'node:test';
import {runCli} from '../helpers/cli.js';
import {kubectlOk, startTestSim, waitFor, type TestSim} from '../helpers/sim.js';

const manifests = join(import.meta.dirname, '..', 'testdata', 'sim', 'argo');

describe('Argo Rollouts with traffic routers, on the sim', () => {
	let t: TestSim;
	before(async () => {
		t = await startTestSim({scenario: 'rolling', speed: 20});
	});
	after(async () => {
		await t.stop();
	});

	const kubectl = (ns: string, ...args: string[]) => kubectlOk(t, ['-n', ns, ...args]);
	const rollout = async (ns: string, name: string) => JSON.parse(await kubectl(ns, 'get', 'rollout', name, '-o', 'json'));
	/** A namespace of its own with the manifest applied, the Rollout Healthy on its first version, then given `image`. */
	async function started(ns: string, file: string, name: string, image: string): Promise<void> {
		await kubectlOk(t, ['create', 'namespace', ns]);
		await kubectl(ns, 'apply', '-f', join(manifests, file));
		await waitFor(`${name} Healthy`, async () => (await rollout(ns, name)).status?.phase === 'Healthy', 60_000);
		await kubectl(ns, 'patch', 'rollout', name, '--type', 'json', '-p', JSON.stringify([{op: 'replace', path: '/spec/template/spec/containers/0/image', value: image}]));
	}
	async function once(target: string, ns: string, json = true): Promise<any> {
		const run = await runCli([target, '-n', ns, '--once', ...(json ? ['-o', 'json'] : [])], t.kubeconfigPath);
		assert.equal(run.code, 0, run.stderr);
		return json ? JSON.parse(run.stdout) : run.stdout;
	}
	const pausedAt = (ns: string, name: string, index: number) => waitFor(`${name} paused at step ${index + 1}`, async () => {
		const ro = await rollout(ns, name);
		return ro.status?.phase === 'Paused' && ro.status.currentStepIndex === index && ro.status.availableReplicas === ro.status.replicas;
	}, 60_000);

	test('SMI: the TrafficSplit the controller writes is read with the ReplicaSets as versions; without recorded weights actual is the set weight', async () => {
		await started('argo-smi', 'smi.yaml', 'rollouts-demo', 'registry.local/rollouts-demo:1.1.0');
		await pausedAt('argo-smi', 'rollouts-demo', 1);
		const split = JSON.parse(await kubectl('argo-smi', 'get', 'trafficsplits.v1alpha1.split.smi-spec.io', 'rollouts-demo-traffic-split', '-o', 'json'));
		assert.equal(split.spec.service, 'rollouts-demo-root');
		assert.deepEqual(split.spec.backends, [{service: 'rollouts-demo-canary', weight: '25'}, {service: 'rollouts-demo-stable', weight: '75'}]);
		assert.equal(split.metadata.ownerReferences[0].kind, 'Rollout');
		const ro = await rollout('argo-smi', 'rollouts-demo');
		const release = await once('rollout/rollouts-demo', 'argo-smi');
		const stable = `rollouts-demo-${ro.status.stableRS}`;
		const canary = `rollouts-demo-${ro.status.currentPodHash}`;
		assert.deepEqual(release.traffic, {router: 'smi', object: 'TrafficSplit/rollouts-demo-traffic-split', weights: {[stable]: 75, [canary]: 25}, managedBy: 'argo-rollouts'});
		assert.deepEqual([release.argo.setWeight, release.argo.actualWeight, release.argo.trafficRouter], [25, 25, 'smi TrafficSplit/rollouts-demo-traffic-split']);
		const text = await once('rollout/rollouts-demo', 'argo-smi', false);
		assert.match(text, /^argo-smi\/rollouts-demo {2}argo-rollout via smi TrafficSplit\/rollouts-demo-traffic-split/);

		// An older controller records no weights: pause it by spec (so it holds), then clear them as it would have left them.
		await kubectl('argo-smi', 'patch', 'rollout', 'rollouts-demo', '--type', 'merge', '-p', '{"spec":{"paused":true}}');
		await waitFor('the manual pause observed', async () => (await rollout('argo-smi', 'rollouts-demo')).status?.message === 'manually paused');
		await kubectl('argo-smi', 'patch', 'rollout', 'rollouts-demo', '--subresource', 'status', '--type', 'json', '-p', '[{"op":"remove","path":"/status/canary/weights"}]');
		assert.equal((await rollout('argo-smi', 'rollouts-demo')).status.canary.weights, undefined);
		const without = await once('rollout/rollouts-demo', 'argo-smi');
		assert.deepEqual([without.argo.setWeight, without.argo.actualWeight], [25, 25]);
		// The TrafficSplit still says where the traffic goes.
		assert.deepEqual(without.traffic.weights, {[stable]: 75, [canary]: 25});
	});

	test('NGINX: the canary Ingress <rollout>-<ingress>-canary holds the weight; a Service in front opens the Rollout', async () => {
		await started('argo-nginx', 'nginx.yaml', 'shopfront', 'registry.local/shopfront:1.1.0');
		await pausedAt('argo-nginx', 'shopfront', 1);
		const ingress = JSON.parse(await kubectl('argo-nginx', 'get', 'ingress', 'shopfront-shopfront-canary', '-o', 'json'));
		assert.equal(ingress.metadata.annotations['nginx.ingress.kubernetes.io/canary-weight'], '30');
		assert.equal(ingress.spec.rules[0].http.paths[0].backend.service.name, 'shopfront-canary');
		const ro = await rollout('argo-nginx', 'shopfront');
		for (const target of ['rollout/shopfront', 'svc/shopfront-stable', 'svc/shopfront-canary']) {
			const release = await once(target, 'argo-nginx');
			assert.equal(release.kind, 'argo-rollout', target);
			assert.equal(release.target, target);
			assert.deepEqual(release.traffic, {
				router: 'nginx',
				object: 'Ingress/shopfront-shopfront-canary',
				weights: {[`shopfront-${ro.status.stableRS}`]: 70, [`shopfront-${ro.status.currentPodHash}`]: 30},
				managedBy: 'argo-rollouts',
			}, target);
		}
	});

	test('ping-pong: the stable ReplicaSet behind ping after the first version, the canary behind pong; every Service opens it; ALB named', async () => {
		await started('argo-pingpong', 'pingpong.yaml', 'bounce', 'registry.local/bounce:1.1.0');
		await pausedAt('argo-pingpong', 'bounce', 1);
		const ro = await rollout('argo-pingpong', 'bounce');
		assert.equal(ro.status.canary.stablePingPong, 'ping');
		const selector = async (svc: string) => JSON.parse(await kubectl('argo-pingpong', 'get', 'svc', svc, '-o', 'json')).spec.selector['rollouts-pod-template-hash'];
		assert.equal(await selector('ping-service'), ro.status.stableRS);
		assert.equal(await selector('pong-service'), ro.status.currentPodHash);
		for (const target of ['rollout/bounce', 'svc/ping-service', 'svc/pong-service', 'svc/bounce']) {
			const release = await once(target, 'argo-pingpong');
			assert.equal(release.target, target);
			assert.deepEqual(release.argo.pingPong, {pingService: 'ping-service', pongService: 'pong-service', stable: 'ping'}, target);
			assert.deepEqual([release.traffic.router, release.traffic.object], ['alb', 'Ingress/bounce-ingress']);
		}
		const text = await once('bounce', 'argo-pingpong', false);
		assert.match(text, /ping-pong: stable behind ping-service \(ping\), canary behind pong-service \(pong\)/);
		assert.match(text, /argo-rollout via alb Ingress\/bounce-ingress/);
		// Promoted: the Services swap roles, their selectors stay where they are.
		await kubectl('argo-pingpong', 'patch', 'rollout', 'bounce', '--subresource', 'status', '--type', 'merge', '-p', '{"status":{"pauseConditions":null}}');
		await waitFor('bounce Healthy on the new version', async () => {
			const now = await rollout('argo-pingpong', 'bounce');
			return now.status?.phase === 'Healthy' && now.status.stableRS === ro.status.currentPodHash;
		}, 60_000);
		assert.equal((await rollout('argo-pingpong', 'bounce')).status.canary.stablePingPong, 'pong');
		assert.deepEqual((await once('rollout/bounce', 'argo-pingpong')).argo.pingPong.stable, 'pong');
	});

	test('an experiment step: the Experiment runs the canary template, its phase shows in the step and in --once', async () => {
		await started('argo-experiment', 'experiment.yaml', 'trial', 'registry.local/trial:1.1.0');
		const ro = await waitFor('the Experiment running', async () => {
			const now = await rollout('argo-experiment', 'trial');
			return now.status?.currentStepIndex === 1 && now.status.canary?.currentExperiment ? now : undefined;
		}, 60_000);
		const name = ro.status.canary.currentExperiment;
		assert.match(name, new RegExp(`^trial-${ro.status.currentPodHash}-2-1$`));
		await waitFor('the Experiment Running', async () => JSON.parse(await kubectl('argo-experiment', 'get', 'experiment', name, '-o', 'json')).status?.phase === 'Running', 60_000);
		const release = await once('rollout/trial', 'argo-experiment');
		assert.deepEqual(release.argo.steps.map((s: any) => [s.label, s.state, s.phase]), [['34%', 'done', undefined], ['experiment canary-preview 1h', 'current', 'Running'], ['pause', 'pending', undefined]]);
		assert.equal(release.argo.experiment.name, name);
		assert.deepEqual(release.argo.experiment.templates, [{name: 'canary-preview', replicas: 1, ready: 1, status: 'Running'}]);
		assert.match(await once('rollout/trial', 'argo-experiment', false), /steps: ✓34% ▶experiment canary-preview 1h \(Running\) ·pause/);
		// The experiment's pods are not the Rollout's versions.
		assert.deepEqual(release.versions.map((v: any) => v.role).sort(), ['canary', 'stable']);
		// `kubectl argo rollouts terminate experiment NAME`: the Experiment ends Successful, the step completes.
		await kubectl('argo-experiment', 'patch', 'experiment', name, '--type', 'merge', '-p', '{"spec":{"terminate":true}}');
		await pausedAt('argo-experiment', 'trial', 2);
		const done = await once('rollout/trial', 'argo-experiment');
		assert.deepEqual(done.argo.steps.map((s: any) => [s.state, s.phase]), [['done', undefined], ['done', 'Successful'], ['current', undefined]]);
	});

	test('a setHeaderRoute step: the managed route in the VirtualService is the canary\'s header route, gone once promoted', async () => {
		await started('argo-header', 'header-route.yaml', 'pricing', 'registry.local/pricing:1.1.0');
		await pausedAt('argo-header', 'pricing', 2);
		const vs = JSON.parse(await kubectl('argo-header', 'get', 'virtualservice', 'pricing-vsvc', '-o', 'json'));
		assert.deepEqual(vs.spec.http.map((r: any) => r.name), ['set-header-1', 'primary']);
		const ro = await rollout('argo-header', 'pricing');
		const canary = `pricing-${ro.status.currentPodHash}`;
		const release = await once('rollout/pricing', 'argo-header');
		assert.deepEqual(release.traffic.routes, [{version: canary, match: 'header x-canary=always'}]);
		assert.deepEqual(release.traffic.weights, {[`pricing-${ro.status.stableRS}`]: 90, [canary]: 10});
		assert.match(await once('rollout/pricing', 'argo-header', false), new RegExp(`${canary} also gets requests with header x-canary=always`));
		await kubectl('argo-header', 'patch', 'rollout', 'pricing', '--subresource', 'status', '--type', 'merge', '-p', '{"status":{"pauseConditions":null}}');
		await waitFor('pricing Healthy, the header route removed', async () => {
			const now = await rollout('argo-header', 'pricing');
			const http = JSON.parse(await kubectl('argo-header', 'get', 'virtualservice', 'pricing-vsvc', '-o', 'json')).spec.http;
			return now.status?.phase === 'Healthy' && http.length === 1 && http[0].name === 'primary';
		}, 60_000);
		assert.equal((await once('rollout/pricing', 'argo-header')).traffic.routes, undefined);
	});
});
