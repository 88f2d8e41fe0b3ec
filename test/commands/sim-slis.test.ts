// The in-process metrics source (the demo without a Prometheus) and the verdict's windows from the sim's own
// series, and the small pure pieces: histogram quantiles as Prometheus computes them, the ring buffer, value
// formatting.
import assert from 'node:assert/strict';
import {after, before, describe, test} from 'node:test';
import {formatValue} from '../../source/metrics/format.js';
import {bucketQuantile} from '../../source/metrics/histogram.js';
import {releaseWithSlis, slisAsText} from '../../source/metrics/latest.js';
import {StepRing} from '../../source/metrics/ring.js';
import {metricsSettings} from '../../source/config/metrics.js';
import {simSource, simWindows, simWindowsOverApi, sliValues} from '../../source/commands/sim-slis.js';
import {KubeError} from '../../source/kube/errors.js';
import type {Release, Version} from '../../source/release/model.js';
import type {GroupSample} from '../../source/sim/metrics.js';
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

describe("the verdict's windows from the sim's own series", () => {
	const namespace = 'shop';
	const group = (workload: string, requests: number, errors: number, firstBucket: number): GroupSample => ({
		namespace,
		workload,
		replicaSet: `${workload}-5d`,
		hash: '5d',
		version: '1',
		requests,
		errors,
		// Every request at or under bound number `firstBucket` (cumulative counts).
		buckets: bucketBounds.map((_, i) => (i >= firstBucket ? requests : 0)),
		cpuSeconds: 0,
		memoryBytes: 0,
		pods: 1,
	});
	const version = (id: string, role: 'stable' | 'canary'): Version => ({id, role, workload: id, workloadKind: 'Deployment', images: [], desired: 1, pods: 1, ready: 1, available: 1, restarts: 0, phases: {}, selector: ''});
	const release: Release = {target: 'deploy/checkout', namespace, name: 'checkout', kind: 'canary', versions: [version('checkout', 'stable'), version('checkout-canary', 'canary')], pods: [], revisions: [], events: [], services: []};
	const now = 1_700_000_000_000;
	/** 30 s of samples a second apart: the canary 20 requests a second, 10 % errors, under 250 ms; the stable 180, 0.1 %, under 50 ms. */
	function history(end = now): MetricsHistory {
		const h = new MetricsHistory({sampleGroups: () => []});
		for (let s = 30; s >= 0; s--) {
			const t = 30 - s;
			h.add({time: end - s * 1000, groups: [group('checkout', 180 * t, 0.18 * t, 3), group('checkout-canary', 20 * t, 2 * t, 5)]});
		}
		return h;
	}

	test('counts as the gate counts them: increase() over the window, requests and errors rounded, latency by bucket', async () => {
		const answer = await simWindows(history()).window(release, 10, {time: now});
		assert.ok(!('note' in answer));
		const {canary, baseline} = answer.data;
		assert.equal(canary.requests, 200);
		assert.equal(canary.errors, 20);
		assert.equal(baseline.requests, 1800);
		assert.equal(baseline.errors, 2);
		assert.ok(Math.abs(canary.p95Ms! - 242.5) < 1e-6, String(canary.p95Ms));
		assert.ok(Math.abs(baseline.p95Ms! - 48.75) < 1e-6, String(baseline.p95Ms));
		assert.deepEqual(canary.buckets, [0, 0, 0, 0, 0, 200, 0, 0, 0, 0, 0, 0]);
		// Judged as from Prometheus: 10 % against 0.1 % is a failing window.
		assert.equal(nextVerdict(undefined, answer.data).slis.find(s => s.sli === 'errors')?.state, 'fail');
	});

	test('a window with fewer than two samples of a version has no counts for it; a release without two versions to compare says so', async () => {
		const answer = await simWindows(history()).window(release, 10, {time: now + 60_000});
		assert.ok(!('note' in answer));
		assert.equal(answer.data.canary.requests, 0);
		const lone = {...release, versions: [release.versions[0]!]};
		assert.deepEqual(await simWindows(history()).window(lone, 10, {time: now}), {note: 'nothing to compare'});
	});

	test('over the API of a rollscope sim; undefined from an API server that does not serve the series', async () => {
		// The sim's series end a moment ago (what it serves is its last minutes).
		const end = Date.now() - 500;
		const samples = history(end).samples;
		const asked: string[] = [];
		const sim = {
			request: async (_method: string, path: string, options: {query?: Record<string, string | undefined>}) => {
				asked.push(`${path}?since=${options.query?.since}`);
				return {samples: samples.filter(s => s.time > Number(options.query?.since))};
			},
		};
		const windows = await simWindowsOverApi(sim);
		assert.ok(windows);
		const answer = await windows.window(release, 10, {time: end});
		assert.ok(!('note' in answer));
		assert.equal(answer.data.canary.requests, 200);
		assert.match(asked[0]!, /^\/rollscope-sim\/v1\/series\?since=\d+$/);
		assert.equal(asked[1], `/rollscope-sim/v1/series?since=${end}`, 'then only what is newer than what it has');
		const real = {request: async () => Promise.reject(new KubeError(404, 'NotFound', 'the server could not find the requested resource'))};
		assert.equal(await simWindowsOverApi(real), undefined);
	});
});
