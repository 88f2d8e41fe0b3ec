// The Prometheus source against a fake API: preset detection from metric names, one query per
// SLI, a failing query kept to its SLI, nothing known in the namespace, and Prometheus down.
import assert from 'node:assert/strict';
import {after, describe, test} from 'node:test';
import {PromClient} from '../../source/metrics/prometheus-client.js';
import {freePort} from '../../source/metrics/prometheus-server.js';
import {prometheusSource} from '../../source/metrics/prometheus-source.js';
import {metricsSettings} from '../../source/config/metrics.js';
import {canaryRelease} from '../ui/fixtures.js';
import {fakePrometheus, matrix, vector, type FakePrometheus, type Handler} from './fake-prometheus.js';

const servers: FakePrometheus[] = [];
after(async () => {
	for (const s of servers) await s.close();
});

async function sourceWith(handler: Handler, settings = metricsSettings(undefined, {interval: 5})) {
	const fake = await fakePrometheus(handler);
	servers.push(fake);
	return {fake, source: prometheusSource(new PromClient({url: fake.url}), settings)};
}

const request = {release: canaryRelease(), start: 1_800_000_000_000, end: 1_800_000_010_000, step: 5};

describe('Prometheus source', () => {
	test('detects the preset once per namespace, then sends one range query per SLI', async () => {
		const {fake, source} = await sourceWith(s => {
			if (s.path.endsWith('/query')) return {body: vector([{metric: {preset: 'generic'}, value: [1, '1']}, {metric: {preset: 'istio'}, value: [1, '1']}])};
			return {body: matrix([{metric: {destination_workload: 'checkout'}, values: [[1800000000, '90'], [1800000005, '91']]}, {metric: {destination_workload: 'other-app'}, values: [[1800000000, '1']]}])};
		});
		const first = await source.range(request);
		assert.equal(first.preset, 'istio');
		assert.equal(first.queries, 7, 'detection + 6 SLIs');
		const second = await source.range(request);
		assert.equal(second.queries, 6);
		assert.equal(fake.seen.filter(s => s.path.endsWith('/query')).length, 1);
		const rate = second.outcomes.requestRate;
		assert.ok(rate?.ok);
		assert.deepEqual(rate.series.get('checkout'), [[1_800_000_000_000, 90], [1_800_000_005_000, 91]]);
		assert.equal(rate.series.has('other-app'), false);
		assert.equal(rate.series.has('checkout-canary'), false, 'no series: no data');
		assert.match(source.describe(), /^prometheus 127\.0\.0\.1:\d+ · istio$/);
	});

	test('a failing query stays with its SLI', async () => {
		const {source} = await sourceWith(s => (/histogram_quantile\(0\.99/.test(s.form.get('query') ?? '') ? {status: 422, body: {status: 'error', errorType: 'execution', error: 'many-to-many matching not allowed'}} : {body: matrix([])}), metricsSettings({preset: 'generic'}));
		const answer = await source.range(request);
		assert.equal(answer.problem, undefined);
		assert.deepEqual(answer.outcomes.p99, {ok: false, error: 'execution: many-to-many matching not allowed'});
		assert.ok(answer.outcomes.p95?.ok);
	});

	test('no known metrics in the namespace is said, not taken for an outage', async () => {
		const {source} = await sourceWith(() => ({body: vector([])}));
		const answer = await source.range(request);
		assert.equal(answer.problem?.outage, false);
		assert.match(answer.problem!.message, /no known metrics in namespace shop \(looked for istio_requests_total, response_total, nginx_ingress_controller_requests, http_requests_total\)/);
	});

	test('Prometheus down is an outage, whether during detection or the queries', async () => {
		const port = await freePort();
		const detecting = prometheusSource(new PromClient({url: `http://127.0.0.1:${port}`}), metricsSettings(undefined));
		const a = await detecting.range(request);
		assert.equal(a.problem?.outage, true);
		assert.match(a.problem!.message, /ECONNREFUSED/);
		const fixed = prometheusSource(new PromClient({url: `http://127.0.0.1:${port}`}), metricsSettings({preset: 'generic'}));
		const b = await fixed.range(request);
		assert.equal(b.problem?.outage, true);
		assert.equal(b.queries, 6);
	});
});
