// The in-process metrics source (the demo without a Prometheus), and the small pure pieces:
// histogram quantiles as Prometheus computes them, the ring buffer, value formatting.
import assert from 'node:assert/strict';
import {after, before, describe, test} from 'node:test';
import {formatValue} from '../../source/metrics/format.js';
import {bucketQuantile} from '../../source/metrics/histogram.js';
import {releaseWithSlis, slisAsText} from '../../source/metrics/latest.js';
import {StepRing} from '../../source/metrics/ring.js';
import {metricsSettings} from '../../source/config/metrics.js';
import {simSource, simWindows, sliValues} from '../../source/commands/sim-slis.js';
import {nextVerdict} from '../../source/verdict/judge.js';
import {measuredSplit} from '../../source/metrics/state.js';
import {buildRelease} from '../../source/kinds/registry.js';
import {findReleases} from '../../source/kinds/registry.js';
import type {ClusterSnapshot} from '../../source/release/snapshot.js';
import {bucketBounds} from '../../source/sim/latency.js';
import {MetricsHistory} from '../../source/sim/metrics-history.js';
import {startTestSim, waitFor, type TestSim} from '../helpers/sim.js';
import {canaryRelease} from '../ui/fixtures.js';
import {metricsState} from '../metrics/fixtures.js';

describe('histogram quantile', () => {
	const buckets = [
		{le: 0.1, count: 50},
		{le: 0.5, count: 90},
		{le: 1, count: 100},
		{le: Infinity, count: 100},
	];
	test('interpolates inside the bucket that holds the rank', () => {
		assert.equal(bucketQuantile(0.5, buckets), 0.1);
		assert.equal(bucketQuantile(0.95, buckets), 0.75);
		assert.equal(bucketQuantile(0.25, buckets), 0.05);
	});
	test('a rank in the +Inf bucket gives the highest finite bound; no observations give NaN', () => {
		assert.equal(bucketQuantile(0.99, [{le: 0.1, count: 5}, {le: Infinity, count: 10}]), 0.1);
		assert.ok(Number.isNaN(bucketQuantile(0.5, [{le: 0.1, count: 0}, {le: Infinity, count: 0}])));
		assert.ok(Number.isNaN(bucketQuantile(0.5, [{le: 0.1, count: 5}])));
		assert.equal(bucketQuantile(2, buckets), Infinity);
	});
	test('counts that fall with le are evened out first', () => {
		assert.equal(bucketQuantile(0.5, [{le: 1, count: 10}, {le: 2, count: 8}, {le: Infinity, count: 10}]), 0.5);
	});
});

describe('ring buffer and formatting', () => {
	test('holds the newest steps; times never written read as no data', () => {
		const ring = new StepRing(5000, 4);
		for (let t = 0; t <= 25_000; t += 5000) ring.set(t, t / 1000);
		assert.deepEqual(ring.window(25_000, 4), [10, 15, 20, 25]);
		assert.deepEqual(ring.window(25_000, 6).map(String), ['NaN', 'NaN', '10', '15', '20', '25']);
		assert.ok(Number.isNaN(ring.get(30_000)));
		ring.set(30_000, NaN);
		assert.ok(Number.isNaN(ring.get(30_000)));
	});

	test('values carry their unit; no data is never 0', () => {
		assert.deepEqual(
			[formatValue(412.4, 'rps'), formatValue(4.73, 'rps'), formatValue(12_340, 'rps'), formatValue(0.019, 'ratio'), formatValue(0.123, 'ratio'), formatValue(0.31, 'seconds'), formatValue(1.254, 'seconds'), formatValue(0.0042, 'seconds'), formatValue(0.12, 'cores'), formatValue(312 * 2 ** 20, 'bytes'), formatValue(1.5 * 2 ** 30, 'bytes')],
			['412/s', '4.7/s', '12.3k/s', '1.90%', '12.3%', '310ms', '1.25s', '4.2ms', '120m', '312Mi', '1.50Gi'],
		);
		assert.equal(formatValue(NaN, 'rps'), 'no data');
		assert.equal(formatValue(undefined, 'ratio'), 'no data');
		assert.equal(formatValue(0, 'ratio'), '0.00%');
		assert.equal(formatValue(Infinity, 'seconds'), '+Inf');
	});

	test('the measured split needs a rate for every version', () => {
		const m = metricsState({requestRate: {checkout: [90], 'checkout-canary': [10]}});
		assert.deepEqual(measuredSplit(m, ['checkout', 'checkout-canary']), {checkout: 90, 'checkout-canary': 10});
		assert.equal(measuredSplit(metricsState({requestRate: {checkout: [90]}}), ['checkout', 'checkout-canary']), undefined);
		assert.equal(measuredSplit(metricsState({requestRate: {checkout: [0], 'checkout-canary': [0]}}), ['checkout', 'checkout-canary']), undefined);
	});
});

describe('SLIs of one version from counter samples', () => {
	const totals = (requests: number, errors: number, fast: number) => ({requests, errors, buckets: bucketBounds.map(b => (b >= 0.1 ? requests : fast)), cpuSeconds: requests / 100, memoryBytes: 2 * 100 * 2 ** 20, pods: 2});
	test('rates over the window, ratio, quantiles, per-pod CPU and memory', () => {
		const v = sliValues(totals(1000, 10, 500), totals(2000, 60, 1000), 10);
		assert.equal(v.requestRate, 100);
		assert.equal(v.errorRatio, 0.05);
		assert.ok(v.p95 > 0.05 && v.p95 <= 0.1, String(v.p95));
		assert.equal(v.cpu, 0.5);
		assert.equal(v.memory, 100 * 2 ** 20);
	});
	test('no earlier sample, or counters that fell: no data', () => {
		const none = sliValues(undefined, totals(10, 0, 10), 10);
		assert.ok(Number.isNaN(none.requestRate) && Number.isNaN(none.errorRatio));
		assert.ok(Number.isNaN(sliValues(totals(100, 0, 100), totals(50, 0, 50), 10).requestRate));
		assert.ok(Number.isNaN(sliValues(totals(100, 0, 100), totals(100, 0, 100), 10).errorRatio), 'no requests: no error ratio');
	});
});

describe('the in-process source on the simulated cluster', () => {
	let t: TestSim;
	before(async () => {
		t = await startTestSim({scenario: 'canary-bad', speed: 20});
		await waitFor('pods ready', () => t.sim.store.list('pods', 'canary-bad').filter(p => (p.status?.conditions ?? []).some((c: {type?: string; status?: string}) => c.type === 'Ready' && c.status === 'True')).length >= 6, 30_000);
	});
	after(async () => {
		await t.stop();
	});

	test('the bad canary errs more and is slower than stable; traffic is 90/10', async () => {
		const history = new MetricsHistory(t.sim.metrics);
		const start = Date.now();
		for (let i = 0; i <= 12; i++) {
			history.record(start + i * 1000);
		}
		// Counters were integrated up to the last sample: answer for that moment with a 10 s rate window.
		const end = start + 12_000;
		const {store} = t.sim;
		const snap: ClusterSnapshot = {namespace: 'canary-bad', deployments: store.list('apps/deployments', 'canary-bad'), replicaSets: store.list('apps/replicasets', 'canary-bad'), pods: store.list('pods', 'canary-bad'), services: store.list('services', 'canary-bad'), events: [], routers: store.list('networking.istio.io/virtualservices', 'canary-bad').concat(store.list('networking.istio.io/destinationrules', 'canary-bad')), now: Date.now()};
		const release = buildRelease(snap, findReleases(snap).find(r => r.target === 'deploy/checkout')!);
		const source = simSource(history, metricsSettings({rateWindow: 10}));
		const answer = await source.range({release, start: end, end, step: 1});
		const at = (key: 'requestRate' | 'errorRatio' | 'p95', id: string) => {
			const outcome = answer.outcomes[key];
			assert.ok(outcome?.ok);
			return outcome.series.get(id)![0]![1];
		};
		assert.ok(at('errorRatio', 'checkout-canary') > at('errorRatio', 'checkout'), `errors ${at('errorRatio', 'checkout-canary')} vs ${at('errorRatio', 'checkout')}`);
		assert.ok(at('errorRatio', 'checkout-canary') > 0.02);
		assert.ok(at('p95', 'checkout-canary') > 2 * at('p95', 'checkout'), `p95 ${at('p95', 'checkout-canary')} vs ${at('p95', 'checkout')}`);
		const share = at('requestRate', 'checkout-canary') / (at('requestRate', 'checkout') + at('requestRate', 'checkout-canary'));
		assert.ok(Math.abs(share - 0.1) < 0.02, `canary share ${share}`);
		const withSlis = releaseWithSlis(release, answer, end, source.describe());
		const canary = withSlis.versions.find(v => v.id === 'checkout-canary')!;
		assert.ok(canary.sli!.errorRatio! > 0.02);
		assert.equal(withSlis.metrics!.source, 'sim (in-process)');
		assert.ok(Math.abs(withSlis.metrics!.measuredTraffic!['checkout-canary']! - 10) < 2);
		assert.match(slisAsText(withSlis), /checkout-canary\s+req \d+(\.\d)?\/s {2}err \d\.\d\d%/);
	});

	test("the verdict's windows from the same series: the bad canary's errors fail it window after window", async () => {
		const history = new MetricsHistory(t.sim.metrics);
		const start = Date.now();
		for (let i = 0; i <= 60; i++) history.record(start + i * 1000);
		const {store} = t.sim;
		const snap: ClusterSnapshot = {namespace: 'canary-bad', deployments: store.list('apps/deployments', 'canary-bad'), replicaSets: store.list('apps/replicasets', 'canary-bad'), pods: store.list('pods', 'canary-bad'), services: store.list('services', 'canary-bad'), events: [], routers: store.list('networking.istio.io/virtualservices', 'canary-bad').concat(store.list('networking.istio.io/destinationrules', 'canary-bad')), now: Date.now()};
		const release = buildRelease(snap, findReleases(snap).find(r => r.target === 'deploy/checkout')!);
		const windows = simWindows(history, 60);
		const data = await windows.window(release, new AbortController().signal);
		assert.ok(!('note' in data), JSON.stringify(data));
		assert.ok(data.canary.requests > 0 && data.baseline.requests > 5 * data.canary.requests, JSON.stringify(data));
		assert.ok(data.canary.errors / data.canary.requests > 0.02, JSON.stringify(data.canary));
		assert.equal(data.canary.buckets!.length, data.baseline.buckets!.length);
		assert.equal(data.canary.buckets!.reduce((a, b) => a + b, 0), data.canary.requests, 'the buckets hold every request once');
		assert.ok(data.canary.p95Ms! > 2 * data.baseline.p95Ms!, `p95 ${data.canary.p95Ms} vs ${data.baseline.p95Ms}`);
		let verdict = nextVerdict(undefined, data);
		for (let i = 0; i < 2; i++) verdict = nextVerdict(verdict, data);
		assert.equal(verdict.state, 'fail', verdict.reason);
		// Nothing recorded yet: no window.
		assert.deepEqual(await simWindows(new MetricsHistory(t.sim.metrics), 60).window(release, new AbortController().signal), {note: 'no samples yet'});
	});

	test('before two samples there is no data, shown as null in JSON', async () => {
		const history = new MetricsHistory(t.sim.metrics);
		history.record(Date.now());
		const release = canaryRelease();
		const answer = await simSource(history, metricsSettings(undefined)).range({release: {...release, namespace: 'canary-bad'}, start: Date.now(), end: Date.now(), step: 5});
		const json = releaseWithSlis({...release, namespace: 'canary-bad'}, answer, Date.now(), 'sim (in-process)');
		assert.equal(json.versions[0]!.sli!.requestsPerSecond, null);
		assert.equal(JSON.parse(JSON.stringify(json)).versions[0].sli.errorRatio, null);
	});
});
