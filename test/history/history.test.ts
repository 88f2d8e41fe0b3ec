// The history of a release: frames that share what did not change, marks of what happened, the state at a past
// moment as the view showed it, thinning by age and by the memory budget.
import assert from 'node:assert/strict';
import {describe, test} from 'node:test';
import {restoreRelease, storeRelease} from '../../source/history/compact.js';
import {History} from '../../source/history/history.js';
import type {Release} from '../../source/release/model.js';
import {initialState, type AppState} from '../../source/store/state.js';
import type {Verdict} from '../../source/verdict/judge.js';
import {canaryRelease, now} from '../ui/fixtures.js';

const base = (release: Release | undefined, extra: Partial<AppState> = {}): AppState => ({...initialState('ctx', 'shop', 'deploy/checkout'), connection: {state: 'live', since: now}, release, ...extra});

/** The fixture `seconds` later: every age moved on, nothing else. */
function older(release: Release, seconds: number): Release {
	return {...release, pods: release.pods.map(p => ({...p, ageSeconds: p.ageSeconds + seconds})), revisions: release.revisions.map(r => ({...r, ageSeconds: r.ageSeconds + seconds}))};
}

function withWeight(release: Release, canary: number): Release {
	return {...release, traffic: {...release.traffic!, weights: {checkout: 100 - canary, 'checkout-canary': canary}}};
}

describe('stored releases', () => {
	test('a release that only got older is the same stored release; its ages are counted to the moment asked', () => {
		const first = storeRelease(undefined, canaryRelease(), now);
		const later = storeRelease(first, older(canaryRelease(), 30), now + 30_000);
		assert.equal(later, first);
		const restored = restoreRelease(later, now + 45_000);
		assert.deepEqual(restored, older(canaryRelease(), 45));
		assert.deepEqual(Object.keys(restored), Object.keys(canaryRelease()), 'fields in the model order');
	});

	test('one changed pod: the other pods and chunks are shared, the changed one is new', () => {
		const big = canaryRelease(200);
		const first = storeRelease(undefined, big, now);
		const changed = {...big, pods: big.pods.map((p, i) => (i === 70 ? {...p, restarts: 3} : p))};
		const next = storeRelease(first, changed, now);
		assert.notEqual(next, first);
		assert.equal(next.pods[0], first.pods[0], 'first chunk shared');
		assert.notEqual(next.pods[1], first.pods[1], 'the chunk with the change is new');
		assert.equal(next.pods[1]![7], first.pods[1]![7], 'its other pods are shared');
		assert.equal(next.pods[1]![6]!.restarts, 3);
		assert.equal(next.versions, first.versions);
		assert.equal(next.events, first.events);
	});
});

describe('the history', () => {
	test('marks a weight change, a new revision, the verdict turning and a Warning; the past shows the old weight', () => {
		const history = new History();
		history.observe(base(canaryRelease()), now);
		const weighted = withWeight(older(canaryRelease(), 10), 30);
		const marks = history.observe(base(weighted), now + 10_000);
		assert.deepEqual(marks.map(m => m.text), ['weight checkout 90% → 70%, checkout-canary 10% → 30%']);
		const fail: Verdict = {state: 'fail', reason: 'errors 4.0 % vs 0.1 %, p < 0.001', slis: [], failingWindows: 3};
		const newRev = {...weighted, versions: weighted.versions.map(v => (v.id === 'checkout-canary' ? {...v, revision: 9, images: ['shop/checkout:v1.3.1']} : v))};
		const warned = {...newRev, events: [{time: '2026-03-01T12:00:20Z', type: 'Warning' as const, reason: 'Unhealthy', object: 'Pod/checkout-canary-5b7d9-x2k4p', message: 'Readiness probe failed', count: 1}, ...newRev.events]};
		const later = history.observe(base(warned, {verdict: {verdict: fail}}), now + 20_000);
		assert.deepEqual(later.map(m => m.kind).sort(), ['revision', 'verdict', 'warning']);
		assert.equal(later.find(m => m.kind === 'warning')!.text, 'Unhealthy Pod/checkout-canary-5b7d9-x2k4p: Readiness probe failed');
		const warning = later.find(m => m.kind === 'warning');
		assert.equal(warning?.kind === 'warning' && warning.version, 'checkout-canary');
		assert.equal(history.marks.length, 4);

		const live = base(warned);
		const before = history.stateAt(now + 9_999, live);
		assert.equal(before.release!.traffic!.weights['checkout-canary'], 10);
		assert.equal(before.now, now + 9_999);
		assert.equal(before.release!.pods[0]!.ageSeconds, canaryRelease().pods[0]!.ageSeconds + 9);
		assert.equal(before.verdict, undefined);
		const after = history.stateAt(now + 25_000, live);
		assert.equal(after.release!.traffic!.weights['checkout-canary'], 30);
		assert.equal(after.verdict?.verdict?.state, 'fail');
		assert.deepEqual(history.weights('checkout-canary', now + 20_000, 5000, 5), [10, 10, 30, 30, 30]);
	});

	test('a repeat of a Warning (its count going up) is not a new mark; what was there at the start is not either', () => {
		const history = new History();
		history.observe(base(canaryRelease()), now);
		const repeated = canaryRelease();
		repeated.events = repeated.events.map(e => (e.type === 'Warning' ? {...e, count: e.count + 1, time: '2026-03-01T12:00:05Z'} : e));
		assert.deepEqual(history.observe(base(repeated), now + 5000), []);
	});

	test('no marks while the release is still loading, nor for another router appearing', () => {
		const history = new History();
		// The watches have not all listed: the router's object is not there yet, weights are replica shares.
		const byReplicas = {...canaryRelease(), traffic: {router: 'replicas' as const, weights: {checkout: 67, 'checkout-canary': 33}}};
		history.observe(base(byReplicas, {connection: {state: 'connecting'}}), now);
		assert.deepEqual(history.observe(base(canaryRelease(), {connection: {state: 'connecting'}}), now + 100), []);
		assert.deepEqual(history.observe(base(byReplicas), now + 200), [], 'loaded: the first frame is not news');
		assert.deepEqual(history.observe(base(canaryRelease()), now + 300), [], 'the router changed: not a weight step');
		assert.equal(history.observe(base(withWeight(canaryRelease(), 20)), now + 400)[0]?.kind, 'weight');
	});

	test('an action leaves a mark that says who', () => {
		const history = new History();
		history.observe(base(canaryRelease()), now);
		const acted = canaryRelease();
		acted.events = [{time: '2026-03-01T12:00:05Z', type: 'Normal', reason: 'RollscopeAbort', object: 'Deployment/checkout-canary', message: 'alice aborted checkout-canary: weight 10% → 0%', count: 1}, ...acted.events];
		const [mark] = history.observe(base(acted), now + 5000);
		assert.equal(mark?.kind, 'action');
		assert.equal(mark?.kind === 'action' && mark.who, 'alice');
	});

	/** Four hours of a busy release: a pod restarts every two seconds, a weight step every ten minutes. */
	function busyHours(history: History): Release {
		let release = canaryRelease(300);
		for (let s = 0; s < 4 * 3600; s += 2) {
			const i = (s / 2) % release.pods.length;
			release = {...release, pods: release.pods.map((p, k) => (k === i ? {...p, restarts: p.restarts + 1} : {...p, ageSeconds: p.ageSeconds + 2}))};
			if (s % 600 === 0) release = withWeight(release, ((s / 600) % 10) * 10);
			history.observe(base(release), now + s * 1000);
		}
		return release;
	}

	test('frames thin out with age; the last two minutes and the frames of marks stay', () => {
		const history = new History({budgetBytes: 16_000_000});
		const release = busyHours(history);
		const end = now + (4 * 3600 - 2) * 1000;
		assert.ok(history.frames.length < 1500, `${history.frames.length} frames of 7,200`);
		assert.equal(history.frames.filter(f => f.at > end - 110_000).length, 55, 'the last two minutes are all kept');
		const old = history.frames.filter(f => f.at < end - 6 * 3600_000 + 1 && !f.keep);
		assert.deepEqual(old, []);
		for (const mark of history.marks) assert.equal(history.frameAt(mark.at)?.at, mark.at, `the frame of the mark at ${mark.at - now} ms is kept`);
		assert.equal(history.marks.length, 23);
		const past = history.stateAt(now + 3600_000 - 1, base(release));
		assert.equal(past.release!.pods.length, 302);
		assert.equal(past.release!.traffic!.weights['checkout-canary'], 50, 'just before the step to 60%');
	});

	test('the estimate of the frames stays within the budget: older frames thin out further', () => {
		const history = new History({budgetBytes: 300_000});
		busyHours(history);
		assert.ok(history.bytes() - history.series.bytes() <= 300_000, `estimated ${history.bytes()} bytes`);
		assert.ok(history.frames.length >= 55, 'the recent frames are there');
	});
});
