// The poller: fills the window once, then asks only for new steps; writes rows into the store;
// no data stays no data; an outage shows and heals by itself; a failing query stays in its row.
import assert from 'node:assert/strict';
import {afterEach, describe, test} from 'node:test';
import {startPoller, type Poller} from '../../source/live/metrics-poller.js';
import {metricsSettings} from '../../source/config/metrics.js';
import type {MetricsSource, RangeAnswer, RangeRequest, SliOutcome} from '../../source/metrics/source.js';
import type {SliKey} from '../../source/metrics/slis.js';
import type {Release} from '../../source/release/model.js';
import type {Store} from '../../source/store/store.js';
import {canaryRelease, storeWith} from '../ui/fixtures.js';
import {waitFor} from '../ui/render.js';

type Mode = 'ok' | 'down' | 'badP99';

class FakeSource implements MetricsSource {
	requests: RangeRequest[] = [];
	mode: Mode = 'ok';
	/** Versions that have no series at all. */
	silent = new Set<string>();
	describe = () => 'fake';
	async range(request: RangeRequest): Promise<RangeAnswer> {
		this.requests.push(request);
		if (this.mode === 'down') return {outcomes: {}, queries: 1, problem: {message: 'connect ECONNREFUSED 127.0.0.1:1', outage: true}};
		const outcomes: Partial<Record<SliKey, SliOutcome>> = {};
		for (const key of ['requestRate', 'errorRatio', 'p95', 'p99', 'cpu', 'memory'] as const) {
			if (key === 'p99' && this.mode === 'badP99') {
				outcomes[key] = {ok: false, error: 'bad_data: parse error'};
				continue;
			}
			const series = new Map<string, Array<[number, number]>>();
			for (const v of request.release.versions) {
				if (this.silent.has(v.id)) continue;
				const samples: Array<[number, number]> = [];
				for (let t = request.start; t <= request.end; t += request.step * 1000) samples.push([t, v.role === 'stable' ? 90 : 10]);
				series.set(v.id, samples);
			}
			outcomes[key] = {ok: true, series};
		}
		return {outcomes, queries: 6};
	}
}

const started: Poller[] = [];
afterEach(() => {
	for (const p of started.splice(0)) p.stop();
});

const step = 5000;
const t0 = 1_800_000_000_000;

function setup(prepare: (source: FakeSource) => void = () => {}, release: Release = canaryRelease()): {store: Store; source: FakeSource; clock: {now: number}; poller: Poller} {
	const store = storeWith(release);
	const source = new FakeSource();
	prepare(source);
	const clock = {now: t0 + 1000};
	const poller = startPoller({store, source, settings: metricsSettings({window: 60}, {interval: 5}), now: () => clock.now, settleMs: 1000});
	started.push(poller);
	return {store, source, clock, poller};
}

const rowOf = (store: Store, key: SliKey) => store.getState().metrics!.rows.find(r => r.key === key)!;

describe('metrics poller', () => {
	test('fills the window once, then asks only for the new steps and a couple before', async () => {
		const {store, source, clock, poller} = setup();
		await waitFor(() => assert.equal(store.getState().metrics?.status.state, 'ok'));
		const first = source.requests[0]!;
		assert.equal(first.end, t0);
		assert.equal(first.start, t0 - 60_000);
		assert.equal(first.step, 5);
		clock.now += step;
		await poller.refresh();
		const second = source.requests.at(-1)!;
		assert.equal(second.end, t0 + step);
		assert.equal(second.start, t0 - 2 * step);
		const rate = rowOf(store, 'requestRate');
		assert.equal(rate.values.checkout!.length, 13);
		assert.equal(rate.values.checkout!.at(-1), 90);
		assert.equal(rate.values['checkout-canary']!.at(-1), 10);
		assert.equal(store.getState().metrics!.end, t0 + step);
		assert.equal(store.getState().metrics!.queries, 6);
	});

	test('a version without series has no data (NaN), never 0', async () => {
		const {store, clock, poller} = setup(source => source.silent.add('checkout-canary'));
		await waitFor(() => assert.equal(store.getState().metrics?.status.state, 'ok'));
		clock.now += step;
		await poller.refresh();
		const values = rowOf(store, 'errorRatio').values['checkout-canary']!;
		assert.ok(values.length > 0 && values.every(v => Number.isNaN(v)), String(values));
	});

	test('an outage shows, keeps what was there, leaves a gap, and heals by itself', async () => {
		const {store, source, clock, poller} = setup();
		await waitFor(() => assert.equal(store.getState().metrics?.status.state, 'ok'));
		source.mode = 'down';
		clock.now += step;
		await poller.refresh();
		clock.now += step;
		await poller.refresh();
		const down = store.getState().metrics!;
		assert.equal(down.status.state, 'outage');
		assert.match(down.status.state === 'outage' ? down.status.message : '', /ECONNREFUSED/);
		assert.equal(down.status.state === 'outage' ? down.status.since : 0, t0 + 1000 + step, 'since the first failure');
		const during = rowOf(store, 'requestRate').values.checkout!;
		assert.equal(during.at(-3), 90, 'the last good step is still there');
		assert.ok(Number.isNaN(during.at(-1)!) && Number.isNaN(during.at(-2)!), 'steps without answers are gaps');
		source.mode = 'ok';
		clock.now += step;
		await poller.refresh();
		assert.equal(store.getState().metrics!.status.state, 'ok');
		assert.equal(source.requests.at(-1)!.start, t0 - 2 * step, 'asks again from before the outage');
		assert.equal(rowOf(store, 'requestRate').values.checkout!.at(-1), 90);
	});

	test('a failing query is shown in its row; the others go on', async () => {
		const {store, source, clock, poller} = setup(s => (s.mode = 'badP99'));
		await waitFor(() => assert.equal(store.getState().metrics?.status.state, 'ok'));
		assert.equal(rowOf(store, 'p99').error, 'bad_data: parse error');
		assert.equal(rowOf(store, 'p95').values.checkout!.at(-1), 90);
		source.mode = 'ok';
		clock.now += step;
		await poller.refresh();
		assert.equal(rowOf(store, 'p99').error, undefined);
	});

	test('new versions refill the whole window', async () => {
		const {store, source, clock, poller} = setup();
		await waitFor(() => assert.equal(store.getState().metrics?.status.state, 'ok'));
		const release = canaryRelease();
		store.dispatch({type: 'release', release: {...release, versions: [...release.versions, {...release.versions[0]!, id: 'checkout-v3', workload: 'checkout-v3'}]}, releases: []});
		clock.now += step;
		await poller.refresh();
		assert.equal(source.requests.at(-1)!.start, t0 + step - 60_000);
		assert.equal(rowOf(store, 'requestRate').values['checkout-v3']!.length, 13);
	});

	test('without a release nothing is asked', async () => {
		const store = storeWith(canaryRelease());
		store.dispatch({type: 'target', target: 'deploy/x'});
		const source = new FakeSource();
		const poller = startPoller({store, source, settings: metricsSettings(undefined, {interval: 5})});
		started.push(poller);
		await poller.refresh();
		assert.equal(source.requests.length, 0);
		assert.equal(store.getState().metrics?.status.state, 'starting');
	});
});
