import assert from 'node:assert/strict';
import {test} from 'node:test';
import type {PromSeries} from '../../source/metrics/prometheus-client.js';
import {metricsSettings} from '../../source/config/metrics.js';
import type {Release, Version} from '../../source/release/model.js';
import {planWindowQueries, windowData, type WindowPlan} from '../../source/verdict/window-queries.js';

const version = (id: string, role: Version['role']): Version => ({id, role, workload: id, workloadKind: 'Deployment', images: [], desired: 1, pods: 1, ready: 1, available: 1, restarts: 0, phases: {}, selector: `app=${id}`});

const release = (kind: Release['kind'], versions: Version[]): Release => ({target: 'deploy/checkout', namespace: 'shop', name: 'checkout', kind, versions, pods: [], revisions: [], events: [], services: ['checkout']});

const canary = release('canary', [version('checkout', 'stable'), version('checkout-canary', 'canary')]);

function plan(r: Release, preset: 'istio' | 'generic' | 'nginx', windowSeconds = 60): WindowPlan {
	const p = planWindowQueries(r, metricsSettings(undefined), preset, windowSeconds);
	assert.ok(!('error' in p), JSON.stringify(p));
	return p;
}

const s = (labels: Record<string, string>, value: number): PromSeries => ({labels, samples: [[1000, value]]});

test('istio: counts by destination_workload with round(increase()) and buckets by le', () => {
	const p = plan(canary, 'istio');
	assert.equal(p.canary, 'checkout-canary');
	assert.equal(p.baseline, 'checkout');
	assert.equal(
		p.requests,
		'round(sum by (destination_workload) (increase(istio_requests_total{reporter="destination", destination_workload_namespace="shop", destination_workload=~"checkout|checkout-canary"}[60s])))',
	);
	assert.match(p.errors, /^round\(sum by \(destination_workload\) \(increase\(istio_requests_total\{.*response_code=~"5\.\."\}\[60s\]\)\)\)$/);
	assert.match(p.buckets, /^sum by \(destination_workload, le\) \(increase\(istio_request_duration_milliseconds_bucket\{.*\}\[60s\]\)\)$/);
	assert.equal(p.msPerLe, 1);
	assert.match(plan(canary, 'generic', 30).buckets, /http_request_duration_seconds_bucket\{namespace="shop", version=~"checkout\|checkout-canary"\}\[30s\]/);
	assert.equal(plan(canary, 'generic').msPerLe, 1000);
});

test('the answers become WindowData: errors 0 when absent, buckets sorted by numeric le and decumulated, p95 in ms', () => {
	const p = plan(canary, 'istio');
	const label = 'destination_workload';
	const data = windowData(p, {
		requests: [s({[label]: 'checkout'}, 9000), s({[label]: 'checkout-canary'}, 1000), s({[label]: 'someone-else'}, 5)],
		errors: [s({[label]: 'checkout-canary'}, 30)],
		// Out of order, and le "1000" sorts after "250" only numerically.
		buckets: [
			s({[label]: 'checkout', le: '+Inf'}, 9000),
			s({[label]: 'checkout', le: '1000'}, 9000),
			s({[label]: 'checkout', le: '100'}, 8000.4),
			s({[label]: 'checkout', le: '250'}, 8900),
			s({[label]: 'checkout-canary', le: '100'}, 500),
			s({[label]: 'checkout-canary', le: '250'}, 800),
			s({[label]: 'checkout-canary', le: '1000'}, 1000),
			s({[label]: 'checkout-canary', le: '+Inf'}, 1000),
		],
	});
	assert.deepEqual(data.baseline.buckets, [8000, 900, 100, 0]);
	assert.deepEqual(data.canary.buckets, [500, 300, 200, 0]);
	assert.equal(data.baseline.requests, 9000);
	assert.equal(data.baseline.errors, 0);
	assert.equal(data.canary.requests, 1000);
	assert.equal(data.canary.errors, 30);
	// canary: rank 950 falls in (250, 1000]: 250 + 750 × 150/200.
	assert.equal(data.canary.p95Ms, 812.5);
	// baseline: rank 8550 in (100, 250]: 100 + 150 × 550/900.
	assert.ok(Math.abs(data.baseline.p95Ms! - (100 + (150 * 550) / 900)) < 1e-9);
});

test('seconds buckets give p95 in ms; a bound one arm lacks carries the bound below', () => {
	const p = plan(canary, 'generic');
	const data = windowData(p, {
		requests: [s({version: 'checkout'}, 100), s({version: 'checkout-canary'}, 100)],
		errors: [],
		buckets: [
			s({version: 'checkout', le: '0.1'}, 50),
			s({version: 'checkout', le: '0.5'}, 100),
			s({version: 'checkout', le: '+Inf'}, 100),
			s({version: 'checkout-canary', le: '0.1'}, 10),
			s({version: 'checkout-canary', le: '+Inf'}, 100),
		],
	});
	assert.deepEqual(data.baseline.buckets, [50, 50, 0]);
	assert.deepEqual(data.canary.buckets, [10, 0, 90]);
	assert.ok(Math.abs(data.baseline.p95Ms! - 460) < 1e-9, String(data.baseline.p95Ms));
});

test('no answers: zero requests and no buckets (the judge says collecting)', () => {
	const data = windowData(plan(canary, 'istio'), {requests: [], errors: [], buckets: []});
	assert.deepEqual(data, {canary: {requests: 0, errors: 0}, baseline: {requests: 0, errors: 0}});
});

test('nginx: the canary flag tells the arms apart (absent label = the old side)', () => {
	const p = plan(canary, 'nginx');
	assert.match(p.requests, /^round\(sum by \(canary\) \(increase\(nginx_ingress_controller_requests\{namespace="shop", service=~"checkout"\}\[60s\]\)\)\)$/);
	const data = windowData(p, {requests: [s({}, 900), s({canary: 'shop-checkout-canary-80'}, 100)], errors: [], buckets: []});
	assert.equal(data.baseline.requests, 900);
	assert.equal(data.canary.requests, 100);
});

test('blue-green compares preview with active; rolling and lone versions have no window', () => {
	const bg = plan(release('bluegreen', [version('web-blue', 'active'), version('web-green', 'preview')]), 'istio');
	assert.equal(bg.canary, 'web-green');
	assert.equal(bg.baseline, 'web-blue');
	const rolling = planWindowQueries(release('rolling', [version('a', 'old'), version('b', 'new')]), metricsSettings(undefined), 'istio', 60);
	assert.match((rolling as {error: string}).error, /is a rolling Deployment: the verdict compares the two versions/);
	const lone = planWindowQueries(release('canary', [version('checkout', 'stable')]), metricsSettings(undefined), 'istio', 60);
	assert.match((lone as {error: string}).error, /no canary version/);
});
