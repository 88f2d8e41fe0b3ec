// Simulated traffic and the sim's /metrics: each router splits requests as it says, the pod
// annotations (changed with the real kubectl) set error rate and latency, counters only grow, and
// the exposition is valid Prometheus text.
import assert from 'node:assert/strict';
import {execFileSync} from 'node:child_process';
import {after, before, describe, test} from 'node:test';
import type {KObject} from '../../source/kube/object.js';
import {findOnPath} from '../../source/metrics/prometheus-server.js';
import {podIdentity, routerKeys} from '../../source/sim/metrics.js';
import {routeTraffic, type NamespaceObjects} from '../../source/sim/traffic.js';
import {startTestSim, waitFor, type TestSim} from '../helpers/sim.js';


function objectsOf(t: TestSim, namespace: string): NamespaceObjects {
	const {store} = t.sim;
	return {namespace, services: store.list('services', namespace), pods: store.list('pods', namespace), routers: routerKeys.flatMap(key => store.list(key, namespace))};
}

/** Percent of the namespace's requests per workload (Deployment). */
function split(ns: NamespaceObjects): Record<string, number> {
	const byWorkload: Record<string, number> = {};
	let total = 0;
	for (const load of routeTraffic(ns)) {
		const rps = load.shares.reduce((sum, s) => sum + s.rps, 0);
		const {workload} = podIdentity(load.pod, new Set());
		byWorkload[workload] = (byWorkload[workload] ?? 0) + rps;
		total += rps;
	}
	return Object.fromEntries(Object.entries(byWorkload).map(([k, v]) => [k, Math.round((v * 1000) / total) / 10]));
}

const isReady = (pod: KObject) => (pod.status?.conditions ?? []).some((c: {type?: string; status?: string}) => c.type === 'Ready' && c.status === 'True');

/** Parse the text format into value per series line (name{labels}). */
function parseExposition(text: string): Map<string, number> {
	const out = new Map<string, number>();
	for (const line of text.split('\n')) {
		if (line === '' || line.startsWith('#')) continue;
		const cut = line.lastIndexOf(' ');
		out.set(line.slice(0, cut), Number(line.slice(cut + 1)));
	}
	return out;
}

function readyPod(name: string, labels: Record<string, string>): KObject {
	return {
		apiVersion: 'v1',
		kind: 'Pod',
		metadata: {name, namespace: 'edge', labels, ownerReferences: [{apiVersion: 'apps/v1', kind: 'ReplicaSet', name: name.replace(/-[^-]+$/, ''), uid: 'u', controller: true}]},
		status: {phase: 'Running', conditions: [{type: 'Ready', status: 'True'}]},
	};
}

const svc = (name: string, selector: Record<string, string>): KObject => ({apiVersion: 'v1', kind: 'Service', metadata: {name, namespace: 'edge'}, spec: {selector}});

describe('simulated traffic follows the routers', () => {
	let t: TestSim;
	before(async () => {
		t = await startTestSim({scenario: 'all', speed: 20});
		const checked = ['canary', 'gateway', 'smi', 'nginx', 'rolling', 'bluegreen'];
		await waitFor('the pods of the checked namespaces ready', () => checked.every(ns => t.sim.store.list('pods', ns).length > 0 && t.sim.store.list('pods', ns).every(isReady)), 60_000);
	});
	after(async () => {
		await t.stop();
	});

	test('VirtualService 90/10, HTTPRoute 80/20, TrafficSplit 75/25, canary Ingress 70/30', () => {
		assert.deepEqual(split(objectsOf(t, 'canary')), {checkout: 90, 'checkout-canary': 10});
		assert.deepEqual(split(objectsOf(t, 'gateway')), {api: 80, 'api-canary': 20});
		assert.deepEqual(split(objectsOf(t, 'smi')), {pay: 75, 'pay-canary': 25});
		assert.deepEqual(split(objectsOf(t, 'nginx')), {cart: 70, 'cart-canary': 30});
	});

	test('without a router, a Service spreads over its ready pods; a preview Service gets a trickle', () => {
		assert.deepEqual(split(objectsOf(t, 'rolling')), {web: 100});
		const bluegreen = split(objectsOf(t, 'bluegreen'));
		assert.ok(bluegreen['shop-blue']! > 95 && bluegreen['shop-green']! > 0, JSON.stringify(bluegreen));
	});

	test('a weight changed with kubectl moves the traffic', async () => {
		const patch = JSON.stringify({spec: {http: [{name: 'primary', route: [{destination: {host: 'checkout', subset: 'stable'}, weight: 40}, {destination: {host: 'checkout', subset: 'canary'}, weight: 60}]}]}});
		const r = await t.kubectl(['-n', 'canary', 'patch', 'virtualservice', 'checkout', '--type', 'merge', '-p', patch]);
		assert.equal(r.code, 0, r.stderr);
		assert.deepEqual(split(objectsOf(t, 'canary')), {checkout: 40, 'checkout-canary': 60});
	});

	test('error rate and latency come from pod annotations that kubectl can change', async () => {
		const pod = t.sim.store.list('pods', 'rolling')[0]!;
		const name = pod.metadata.name!;
		const r = await t.kubectl(['-n', 'rolling', 'annotate', 'pod', name, '--overwrite', 'sim.rollscope.dev/error-rate=0.5', 'sim.rollscope.dev/latency-ms=2000']);
		assert.equal(r.code, 0, r.stderr);
		const series = (text: string, code: string) => parseExposition(text).get(`http_requests_total{namespace="rolling",service="web",version="web",pod="${name}",pod_template_hash="${pod.metadata.labels!['pod-template-hash']}",code="${code}"}`) ?? 0;
		const before = t.sim.metrics.exposition();
		await new Promise(resolve => setTimeout(resolve, 1500));
		const afterText = t.sim.metrics.exposition();
		const ok = series(afterText, '200') - series(before, '200');
		const errors = series(afterText, '500') - series(before, '500');
		assert.ok(ok + errors > 100, `requests ${ok + errors}`);
		const ratio = errors / (ok + errors);
		assert.ok(ratio > 0.3 && ratio < 0.7, `error ratio ${ratio}`);
		// Half the requests of a pod at a 2 s median are slower than 1 s.
		const bucket = (text: string, le: string) => [...parseExposition(text)].find(([k]) => k.includes(`pod="${name}"`) && k.startsWith('http_request_duration_seconds_bucket') && k.endsWith(`le="${le}"}`))?.[1] ?? 0;
		const under1s = bucket(afterText, '1') - bucket(before, '1');
		assert.ok(under1s < 0.3 * (ok + errors), `${under1s} of ${ok + errors} under 1 s`);
	});

	test('a TraefikService splits by weight; unready pods get nothing', () => {
		const pods = [readyPod('a-1', {app: 'x', track: 'stable'}), readyPod('b-1', {app: 'x', track: 'canary'}), {...readyPod('b-2', {app: 'x', track: 'canary'}), status: {phase: 'Running', conditions: [{type: 'Ready', status: 'False'}]}}];
		const ns: NamespaceObjects = {
			namespace: 'edge',
			services: [svc('x-stable', {app: 'x', track: 'stable'}), svc('x-canary', {app: 'x', track: 'canary'})],
			pods,
			routers: [{apiVersion: 'traefik.io/v1alpha1', kind: 'TraefikService', metadata: {name: 'x', namespace: 'edge', annotations: {'sim.rollscope.dev/requests-per-second': '100'}}, spec: {weighted: {services: [{name: 'x-stable', weight: 3}, {name: 'x-canary', weight: 1}]}}}],
		};
		const loads = routeTraffic(ns);
		assert.deepEqual(loads.map(l => l.shares), [[{service: 'x-stable', rps: 75}], [{service: 'x-canary', rps: 25}], []]);
	});

	test('counters only grow, across scrapes and while pods come and go', async () => {
		const first = parseExposition(t.sim.metrics.exposition());
		const r = await t.kubectl(['-n', 'gateway', 'scale', 'deploy/api', '--replicas=2']);
		assert.equal(r.code, 0, r.stderr);
		await waitFor('api scaled down', () => t.sim.store.list('pods', 'gateway').filter(p => p.metadata.name!.startsWith('api-') && !p.metadata.name!.startsWith('api-canary')).length === 2, 20_000);
		const second = parseExposition(t.sim.metrics.exposition());
		let compared = 0;
		for (const [key, value] of first) {
			if (key.startsWith('container_memory')) continue;
			const later = second.get(key);
			if (later === undefined) continue;
			compared++;
			assert.ok(later >= value, `${key} went from ${value} to ${later}`);
		}
		assert.ok(compared > 100, `compared ${compared} series`);
	});

	test('the exposition is valid Prometheus text', {skip: !findOnPath('promtool') && 'needs promtool'}, async () => {
		const response = await fetch(t.sim.metricsUrl);
		assert.equal(response.status, 200);
		assert.match(response.headers.get('content-type') ?? '', /^text\/plain; version=0\.0\.4/);
		const text = await response.text();
		let lint = '';
		try {
			execFileSync('promtool', ['check', 'metrics'], {input: text, encoding: 'utf8', stdio: ['pipe', 'pipe', 'pipe']});
		} catch (error) {
			lint = String((error as {stdout?: string}).stdout ?? '') + String((error as {stderr?: string}).stderr ?? '');
		}
		// Istio's histogram is in milliseconds by its real name; promtool only lints that.
		const problems = lint.split('\n').filter(l => l.trim() !== '' && !/istio_request_duration_milliseconds use base unit/.test(l));
		assert.deepEqual(problems, []);
		for (const name of ['http_requests_total', 'http_request_duration_seconds_bucket', 'istio_requests_total', 'istio_request_duration_milliseconds_bucket', 'container_cpu_usage_seconds_total', 'container_memory_working_set_bytes']) {
			assert.match(text, new RegExp(`^${name}\\{`, 'm'), name);
		}
		assert.match(text, /^istio_requests_total\{namespace="canary-bad",pod="checkout-canary-[^"]+",reporter="destination",destination_workload="checkout-canary",destination_workload_namespace="canary-bad",destination_version="unknown",/m);
	});
});

describe('the sim /metrics with 1,000 pods', () => {
	let t: TestSim;
	before(async () => {
		t = await startTestSim({scenario: 'canary', speed: 20, pods: 1000});
		await waitFor('1,000 pods ready', () => t.sim.store.list('pods').filter(isReady).length >= 990, 90_000, 200);
	});
	after(async () => {
		await t.stop();
	});

	test('is cheap: a scrape takes well under the scrape interval', () => {
		t.sim.metrics.exposition();
		const times: number[] = [];
		for (let i = 0; i < 5; i++) {
			const began = performance.now();
			const text = t.sim.metrics.exposition();
			times.push(performance.now() - began);
			assert.ok(text.length > 1_000_000);
		}
		times.sort((a, b) => a - b);
		assert.ok(times[2]! < 250, `median ${times[2]!.toFixed(1)} ms`);
	});
});
