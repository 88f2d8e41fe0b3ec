// --auto-advance's decision (pure), the record, the runner on a store with a fake canary position, and the
// verdict poller's window start.
import assert from 'node:assert/strict';
import {test} from 'node:test';
import type {PromClient} from '../../source/metrics/prometheus-client.js';
import {metricsSettings} from '../../source/config/metrics.js';
import type {Release, Version} from '../../source/release/model.js';
import {initialState} from '../../source/store/state.js';
import {Store} from '../../source/store/store.js';
import {advanceLabel, decideAdvance, lastStepTime, readAdvanceRecord, recordedStop, sameWeight, sortedPlan, stoppedRecord, type AdvanceRecord} from '../../source/verdict/advance.js';
import {startAdvancer, type AdvancePosition, type StopToRecord} from '../../source/live/advancer.js';
import type {Verdict, VerdictState} from '../../source/verdict/judge.js';
import {startVerdictPoller} from '../../source/live/verdict-poller.js';
import {prometheusWindows} from '../../source/verdict/window-source.js';
import {waitFor} from '../helpers/sim.js';

const plan = [5, 25, 50, 100];
// The last step at 0, a window that started at it: only the interval and the verdict decide.
const base = {lastStepAt: 0, windowStart: 0, intervalMs: 120_000, plan};

test('decideAdvance: pass and the interval gone by → the next step of the plan', () => {
	assert.deepEqual(decideAdvance({...base, verdict: 'pass', now: 120_000, current: 5}), {kind: 'advance', to: 25, step: 2});
	assert.deepEqual(decideAdvance({...base, verdict: 'pass', now: 500_000, current: 10}), {kind: 'advance', to: 25, step: 2}, 'between steps: the next one up');
	assert.deepEqual(decideAdvance({...base, verdict: 'pass', now: 120_000, current: 0}), {kind: 'advance', to: 5, step: 1});
	assert.deepEqual(decideAdvance({...base, verdict: 'pass', now: 120_000, current: 50, plan: [100, 50, 5, 25, 50]}), {kind: 'advance', to: 100, step: 4}, 'the plan sorted, repeats dropped');
});

test('decideAdvance: waits for the interval, and for a pass while collecting', () => {
	assert.deepEqual(decideAdvance({...base, verdict: 'pass', now: 119_999, current: 5}), {kind: 'wait', why: 'next step 25%', until: 120_000});
	assert.deepEqual(decideAdvance({...base, verdict: 'collecting', now: 999_999, current: 5}), {kind: 'wait', why: 'waiting for a pass verdict before 25%'});
	assert.deepEqual(decideAdvance({...base, verdict: undefined, now: 999_999, current: 5}), {kind: 'wait', why: 'waiting for a pass verdict before 25%'});
});

test('decideAdvance: the pass must judge a window that started at or after the last step', () => {
	const step = {...base, verdict: 'pass' as const, lastStepAt: 1_000_000, now: 1_200_000, current: 25};
	assert.deepEqual(decideAdvance({...step, windowStart: 999_999}), {kind: 'wait', why: 'waiting for a window after the step to 25%'}, 'began before the step: judged traffic at the old weight');
	assert.deepEqual(decideAdvance({...step, windowStart: undefined}), {kind: 'wait', why: 'waiting for a window after the step to 25%'}, 'no window known');
	assert.deepEqual(decideAdvance({...step, windowStart: 1_000_000}), {kind: 'advance', to: 50, step: 3}, 'at the step');
	assert.deepEqual(decideAdvance({...step, windowStart: 1_150_000}), {kind: 'advance', to: 50, step: 3}, 'after it');
	assert.deepEqual(decideAdvance({...step, windowStart: 0, sinceStart: true}), {kind: 'wait', why: 'waiting for a window that starts after the view saw the canary at 25%'}, 'no step known: since the view saw this weight');
	assert.deepEqual(decideAdvance({...step, windowStart: 0, now: 1_100_000}), {kind: 'wait', why: 'next step 50%', until: 1_120_000}, 'the interval is said first');
});

test('decideAdvance: marginal or fail stops; the end of the plan is done', () => {
	assert.deepEqual(decideAdvance({...base, verdict: 'marginal', now: 999_999, current: 25}), {kind: 'stop', why: 'verdict marginal at 25%'});
	assert.deepEqual(decideAdvance({...base, verdict: 'fail', now: 1, current: 25}), {kind: 'stop', why: 'verdict fail at 25%'});
	assert.deepEqual(decideAdvance({...base, verdict: 'pass', now: 999_999, current: 100}), {kind: 'done', why: 'the canary is at 100%, the end of the weight plan (5, 25, 50, 100)'});
});

test('decideAdvance: a stop recorded at the current weight holds, whatever the verdict', () => {
	const stopped = {why: 'verdict fail at 25%', at: 5_000};
	for (const verdict of ['pass', 'fail', 'marginal', 'collecting', undefined] as const) {
		assert.deepEqual(decideAdvance({...base, verdict, now: 999_999, current: 25, stopped}), {kind: 'held', why: 'verdict fail at 25%', at: 5_000}, String(verdict));
	}
});

test('advanceLabel', () => {
	assert.equal(advanceLabel({kind: 'wait', why: 'next step 50%', until: 100_000}, 19_500), 'auto-advance: next step 50% in 1m 21s');
	assert.equal(advanceLabel({kind: 'wait', why: 'next step 50%', until: 100_000}, 99_000), 'auto-advance: next step 50% in 1s');
	assert.equal(advanceLabel({kind: 'advance', to: 50, step: 3}, 0), 'auto-advance: moving to 50%');
	assert.equal(advanceLabel({kind: 'stop', why: 'verdict fail at 25%'}, 0), 'auto-advance stopped: verdict fail at 25%');
	assert.equal(advanceLabel({kind: 'held', why: 'verdict fail at 25%', at: 0}, 185_000), 'auto-advance stopped earlier: verdict fail at 25% (3m ago)');
	assert.equal(advanceLabel({kind: 'held', why: 'verdict marginal at 5%', at: 10_000}, 52_000), 'auto-advance stopped earlier: verdict marginal at 5% (42s ago)');
});

test('the record: read back, and its time counts only for the weight it tells of', () => {
	const record: AdvanceRecord = {step: 2, weight: 25, at: '2026-01-01T00:00:00.000Z'};
	assert.deepEqual(readAdvanceRecord(JSON.stringify(record)), record);
	assert.equal(readAdvanceRecord(undefined), undefined);
	assert.equal(readAdvanceRecord('{not json'), undefined);
	assert.equal(readAdvanceRecord('{"step":2,"weight":25,"at":"yesterday"}'), undefined);
	assert.equal(lastStepTime(record, 25, 99), Date.parse(record.at));
	assert.equal(lastStepTime(record, 40, 99), 99, 'moved by hand since: the record is not about now');
	assert.equal(lastStepTime(undefined, 25, 99), 99);
});

test('the record of a stop: read back, counts only at its weight, and an unreadable stop still stops', () => {
	const stopped: AdvanceRecord = {step: 2, weight: 25, at: '2026-01-01T00:00:00.000Z', stopped: {why: 'verdict fail at 25%', at: '2026-01-01T00:03:00.000Z'}};
	assert.deepEqual(readAdvanceRecord(JSON.stringify(stopped)), stopped);
	assert.deepEqual(recordedStop(stopped, 25), stopped.stopped);
	assert.deepEqual(recordedStop(stopped, 25.4), stopped.stopped, 'the router rounds');
	assert.equal(recordedStop(stopped, 50), undefined, 'the weight changed by hand: the stop no longer counts');
	assert.equal(recordedStop({step: 2, weight: 25, at: stopped.at}, 25), undefined);
	assert.equal(recordedStop(undefined, 25), undefined);
	assert.deepEqual(readAdvanceRecord('{"step":2,"weight":25,"at":"2026-01-01T00:00:00.000Z","stopped":true}')?.stopped, {why: 'stopped', at: '2026-01-01T00:00:00.000Z'});
	assert.equal(readAdvanceRecord('{"step":2,"weight":25,"at":"2026-01-01T00:00:00.000Z","stopped":null}')?.stopped, undefined);
});

test('a stop holds only for the canary revision it was made at: a new template (a fixed image) ends it', () => {
	const stopped: AdvanceRecord = {step: 1, weight: 0, at: '2026-01-01T00:00:00.000Z', stopped: {why: 'verdict fail at 0%', at: '2026-01-01T00:03:00.000Z', revision: '3'}};
	assert.deepEqual(readAdvanceRecord(JSON.stringify(stopped)), stopped);
	assert.deepEqual(recordedStop(stopped, 0, '3'), stopped.stopped);
	assert.equal(recordedStop(stopped, 0, '4'), undefined, 'revision 4: a new canary template');
	assert.deepEqual(recordedStop(stopped, 0), stopped.stopped, 'revision unknown: the stop holds');
	const old: AdvanceRecord = {...stopped, stopped: {why: 'verdict fail at 0%', at: stopped.at}};
	assert.deepEqual(recordedStop(old, 0, '4'), old.stopped, 'a stop recorded without a revision holds at any');
});

test('stoppedRecord: the step at this weight keeps its step and time; else a new record at this weight', () => {
	const stop = {why: 'verdict marginal at 25%', at: '2026-01-01T00:05:00.000Z'};
	const step: AdvanceRecord = {step: 2, weight: 25, at: '2026-01-01T00:00:00.000Z'};
	assert.deepEqual(stoppedRecord(step, 25, plan, stop), {...step, stopped: stop});
	assert.deepEqual(stoppedRecord(step, 50, plan, stop), {step: 3, weight: 50, at: stop.at, stopped: stop}, 'the record tells of another weight');
	assert.deepEqual(stoppedRecord(undefined, 10, plan, stop), {step: 0, weight: 10, at: stop.at, stopped: stop}, 'off the plan');
	assert.deepEqual(stoppedRecord(undefined, 33.333, plan, stop), {step: 0, weight: 33.3, at: stop.at, stopped: stop});
});

const v = (state: VerdictState): Verdict => ({state, reason: `${state} reason`, slis: [], failingWindows: 0});
const wait = (ms: number) => new Promise(r => setTimeout(r, ms));

function setup(position: AdvancePosition, clock: {now: number}, recordStop?: (stop: StopToRecord) => string | undefined) {
	const store = new Store(initialState('ctx', 'ns', 'deploy/x'), 0);
	store.dispatch({type: 'connection', connection: {state: 'live', since: 0}});
	store.dispatch({type: 'release', release: {namespace: 'ns', target: 'deploy/x'} as never, releases: []});
	const advances: Array<{to: number; step: number; reason: string}> = [];
	const stops: StopToRecord[] = [];
	const advancer = startAdvancer({
		store,
		intervalMs: 60_000,
		now: () => clock.now,
		tickMs: 60_000,
		position: () => position,
		advance: (to, step, reason) => {
			advances.push({to, step, reason});
			position.current = to;
			position.record = {step, weight: to, at: new Date(clock.now).toISOString()};
			return undefined;
		},
		recordStop: stop => {
			const problem = recordStop?.(stop);
			if (problem === undefined) stops.push(stop);
			return problem;
		},
	});
	/** A verdict judged now on a window of `windowMs` (10 s unless said). */
	const judge = (state: VerdictState, windowStart = clock.now - 10_000) => store.dispatch({type: 'verdict', verdict: {verdict: v(state), windowStart}});
	const label = async () => {
		await wait(5);
		return store.getState().verdict?.autoAdvance;
	};
	return {store, advances, stops, advancer, judge, label};
}

test('startAdvancer: steps while pass every interval on a window after the step, then stops on marginal, records it and says so', async () => {
	const clock = {now: Date.parse('2026-01-01T00:00:00Z')};
	const start = clock.now;
	const position: AdvancePosition = {current: 5, plan};
	const {store, advances, stops, advancer, judge, label} = setup(position, clock);
	try {
		judge('collecting');
		advancer.tick();
		assert.equal(await label(), 'auto-advance: waiting for a pass verdict before 25%');
		judge('pass');
		advancer.tick();
		assert.equal(advances.length, 0, 'the interval counts from the start of the view');
		assert.equal(await label(), 'auto-advance: next step 25% in 1m 00s');
		clock.now += 60_000;
		judge('pass', start - 1);
		advancer.tick();
		assert.equal(advances.length, 0, 'no step known: the window must start after the view saw the canary at 5%');
		assert.equal(await label(), 'auto-advance: waiting for a window that starts after the view saw the canary at 5%');
		judge('pass', start);
		advancer.tick();
		assert.deepEqual(advances, [{to: 25, step: 2, reason: 'verdict pass: pass reason'}]);
		const step2 = clock.now;
		clock.now += 30_000;
		advancer.tick();
		assert.equal(advances.length, 1);
		clock.now += 30_000;
		judge('pass', step2 - 1);
		advancer.tick();
		assert.equal(advances.length, 1, 'the pass judged a window that began at 5%');
		assert.equal(await label(), 'auto-advance: waiting for a window after the step to 25%');
		judge('pass', step2);
		advancer.tick();
		assert.deepEqual(advances.map(a => a.to), [25, 50]);
		judge('marginal');
		await wait(5);
		clock.now += 60_000;
		advancer.tick();
		assert.deepEqual(advances.map(a => a.to), [25, 50]);
		assert.equal(await label(), 'auto-advance stopped: verdict marginal at 50%');
		assert.equal(store.getState().actions?.activity?.text, 'auto-advance stopped: verdict marginal at 50% — marginal reason');
		assert.deepEqual(stops, [{weight: 50, why: 'verdict marginal at 50%', reason: 'marginal reason', at: new Date(clock.now).toISOString()}]);
		judge('pass');
		clock.now += 600_000;
		advancer.tick();
		advancer.tick();
		assert.deepEqual(advances.map(a => a.to), [25, 50], 'held at this weight');
		assert.equal(stops.length, 1, 'recorded once');
		assert.equal(await label(), 'auto-advance stopped: verdict marginal at 50%');
	} finally {
		advancer.stop();
		store.close();
	}
});

test('startAdvancer: a stop that cannot be recorded yet (busy) is asked again on the next tick', async () => {
	const clock = {now: Date.parse('2026-01-01T00:00:00Z')};
	const position: AdvancePosition = {current: 25, plan};
	let busy = true;
	const {store, stops, advancer, judge} = setup(position, clock, () => (busy ? 'busy: set weight is under way' : undefined));
	try {
		judge('fail');
		advancer.tick();
		assert.equal(stops.length, 0);
		advancer.tick();
		assert.equal(stops.length, 0);
		busy = false;
		clock.now += 500;
		advancer.tick();
		assert.deepEqual(stops, [{weight: 25, why: 'verdict fail at 25%', reason: 'fail reason', at: '2026-01-01T00:00:00.000Z'}], 'the stop as it was when it happened');
		advancer.tick();
		assert.equal(stops.length, 1);
	} finally {
		advancer.stop();
		store.close();
	}
});

test('startAdvancer: after its own stop, a weight changed by hand or the record removed lets it go on', async () => {
	const clock = {now: Date.parse('2026-01-01T00:00:00Z')};
	const position: AdvancePosition = {current: 25, plan, record: {step: 2, weight: 25, at: '2025-12-31T23:50:00.000Z'}};
	const {store, advances, stops, advancer, judge, label} = setup(position, clock);
	try {
		judge('fail');
		advancer.tick();
		assert.equal(stops.length, 1);
		// The record shows the stop: the header still says this view stopped, not `earlier`.
		position.record = {...position.record!, stopped: {why: stops[0]!.why, at: stops[0]!.at}};
		clock.now += 120_000;
		judge('pass');
		advancer.tick();
		assert.equal(await label(), 'auto-advance stopped: verdict fail at 25%');
		assert.equal(advances.length, 0);
		// The operator removes the annotation: on from here (the interval and the window counted from when the
		// view saw 25%, its start: both are behind).
		position.record = undefined;
		advancer.tick();
		assert.deepEqual(advances.map(a => a.to), [50], 'removing the annotation resumed it');

		// Stopped again at 50%; this time the operator moves the weight by hand.
		judge('marginal');
		clock.now += 1000;
		advancer.tick();
		assert.equal(stops.length, 2);
		assert.equal(stops[1]!.weight, 50);
		judge('pass', clock.now - 10_000);
		clock.now += 1000;
		advancer.tick();
		assert.equal(await label(), 'auto-advance stopped: verdict marginal at 50%', 'held until the record shows it (or the weight moves)');
		position.current = 40;
		const moved = clock.now;
		advancer.tick();
		assert.equal(await label(), 'auto-advance: next step 50% in 1m 00s', 'the interval from when the view saw the weight change');
		clock.now += 60_000;
		judge('pass', moved - 1);
		advancer.tick();
		assert.equal(await label(), 'auto-advance: waiting for a window that starts after the view saw the canary at 40%');
		judge('pass', moved);
		advancer.tick();
		assert.deepEqual(advances.map(a => a.to), [50, 50]);
	} finally {
		advancer.stop();
		store.close();
	}
});

test('startAdvancer: a view started again holds while the record says stopped at the current weight', async () => {
	const clock = {now: Date.parse('2026-01-01T00:10:00Z')};
	const position: AdvancePosition = {current: 25, plan, record: {step: 2, weight: 25, at: '2026-01-01T00:00:00.000Z', stopped: {why: 'verdict fail at 25%', at: '2026-01-01T00:07:00.000Z'}}};
	const {store, advances, stops, advancer, judge, label} = setup(position, clock);
	try {
		judge('pass', Date.parse('2026-01-01T00:09:50Z'));
		advancer.tick();
		assert.equal(await label(), 'auto-advance stopped earlier: verdict fail at 25% (3m ago)');
		assert.match(store.getState().actions?.activity?.text ?? '', /^auto-advance stopped earlier: verdict fail at 25% \(3m ago\): change the weight by hand or remove the rollscope\.dev\/auto-advance annotation to go on$/);
		clock.now += 600_000;
		judge('pass');
		advancer.tick();
		judge('fail');
		advancer.tick();
		assert.deepEqual(advances, []);
		assert.deepEqual(stops, [], 'nothing new to record');
		assert.equal(await label(), 'auto-advance stopped earlier: verdict fail at 25% (13m ago)');
		// Moved by hand to 50%: the stop at 25% no longer counts.
		position.current = 50;
		const moved = clock.now;
		judge('pass', moved);
		advancer.tick();
		assert.equal(await label(), 'auto-advance: next step 100% in 1m 00s');
		clock.now += 60_000;
		advancer.tick();
		assert.deepEqual(advances, [{to: 100, step: 4, reason: 'verdict pass: pass reason'}]);
	} finally {
		advancer.stop();
		store.close();
	}
});

test('startAdvancer: a restarted view goes on from the recorded step and its time', async () => {
	const clock = {now: Date.parse('2026-01-01T00:10:00Z')};
	// Step 2 was made 50 s ago by an earlier view: 10 s to go, not a whole interval.
	const position: AdvancePosition = {current: 25, plan, record: {step: 2, weight: 25, at: '2026-01-01T00:09:10.000Z'}};
	const {store, advances, advancer, judge, label} = setup(position, clock);
	try {
		judge('pass', Date.parse('2026-01-01T00:09:10.000Z'));
		advancer.tick();
		assert.equal(await label(), 'auto-advance: next step 50% in 10s');
		clock.now += 10_000;
		advancer.tick();
		assert.deepEqual(advances, [{to: 50, step: 3, reason: 'verdict pass: pass reason'}]);
	} finally {
		advancer.stop();
		store.close();
	}
});

test('startAdvancer: the end of the plan is done, said once', async () => {
	const clock = {now: Date.parse('2026-01-01T00:00:00Z')};
	const position: AdvancePosition = {current: 100, plan};
	const {store, advances, advancer, judge, label} = setup(position, clock);
	try {
		judge('pass');
		advancer.tick();
		assert.equal(await label(), 'auto-advance done: the canary is at 100%, the end of the weight plan (5, 25, 50, 100)');
		assert.equal(store.getState().actions?.activity?.text, 'auto-advance done: the canary is at 100%, the end of the weight plan (5, 25, 50, 100) · p promotes');
		store.dispatch({type: 'actions', actions: {activity: {tone: 'ok', text: 'something else'}}});
		advancer.tick();
		await wait(5);
		assert.equal(store.getState().actions?.activity?.text, 'something else');
		assert.deepEqual(advances, []);
	} finally {
		advancer.stop();
		store.close();
	}
});

const version = (id: string, role: Version['role']): Version => ({id, role, workload: id, workloadKind: 'Deployment', images: [], desired: 1, pods: 1, ready: 1, available: 1, restarts: 0, phases: {}, selector: `app=${id}`});

test('the verdict poller: every window judged at one time, and its start in the store', async () => {
	const release: Release = {target: 'deploy/checkout', namespace: 'shop', name: 'checkout', kind: 'canary', versions: [version('checkout', 'stable'), version('checkout-canary', 'canary')], pods: [], revisions: [], events: [], services: ['checkout']};
	const store = new Store(initialState('ctx', 'shop', 'deploy/checkout'), 0);
	store.dispatch({type: 'release', release, releases: []});
	const times: number[] = [];
	const prom = {
		instant: async (_query: string, time?: number) => {
			times.push(time!);
			return {series: [], warnings: []};
		},
	} as unknown as PromClient;
	const clock = {now: 1_700_000_000_000};
	const poller = startVerdictPoller({store, windows: prometheusWindows(prom, {...metricsSettings(undefined), preset: 'istio'}), windowSeconds: 30, intervalMs: 3_600_000, now: () => clock.now});
	try {
		// The first poll runs at the start.
		await waitFor('the first window', () => store.getState().verdict?.verdict);
		clock.now += 5000;
		await poller.poll();
		assert.deepEqual(times.slice(-3), [clock.now, clock.now, clock.now]);
		assert.equal(store.getState().verdict?.verdict?.state, 'collecting');
		assert.equal(store.getState().verdict?.windowStart, clock.now - 30_000);
	} finally {
		poller.stop();
		store.close();
	}
});

test('readAdvanceRecord: what a record needs, and what it keeps of a stop', () => {
	const at = '2026-01-01T00:00:00.000Z';
	for (const raw of ['{"weight":25,"at":"2026-01-01T00:00:00.000Z"}', '{"step":2.5,"weight":25,"at":"2026-01-01T00:00:00.000Z"}', '{"step":"2","weight":25,"at":"2026-01-01T00:00:00.000Z"}', '{"step":2,"weight":"25","at":"2026-01-01T00:00:00.000Z"}', '{"step":2,"weight":25}', '{"step":2,"weight":25,"at":7}', 'null', '2', '[]']) {
		assert.equal(readAdvanceRecord(raw), undefined, raw);
	}
	assert.deepEqual(readAdvanceRecord(`{"step":0,"weight":12.5,"at":"${at}","extra":1}`), {step: 0, weight: 12.5, at}, 'only what a record has');
	const stop = (stopped: unknown) => readAdvanceRecord(JSON.stringify({step: 2, weight: 25, at, stopped}))?.stopped;
	assert.deepEqual(stop({why: 'verdict fail at 25%', at: '2026-01-01T00:05:00.000Z', revision: '3'}), {why: 'verdict fail at 25%', at: '2026-01-01T00:05:00.000Z', revision: '3'});
	assert.deepEqual(stop({why: 7, at: 'later', revision: 3}), {why: 'stopped', at}, 'a stop that cannot be read still stops, at the step\'s time');
	assert.deepEqual(stop('yes'), {why: 'stopped', at});
	assert.deepEqual(stop(false), {why: 'stopped', at});
});

test('sameWeight: within half a percent', () => {
	assert.deepEqual([sameWeight(25, 25), sameWeight(25, 25.5), sameWeight(25, 24.5), sameWeight(25, 25.6), sameWeight(25, 24.4)], [true, true, true, false, false]);
	assert.deepEqual(sortedPlan([50, 5, 25, 5, 100]), [5, 25, 50, 100]);
});

test('decideAdvance: a twentieth of a percent below a step counts as at it', () => {
	const input = {verdict: 'pass' as const, windowStart: 2000, lastStepAt: 1000, now: 100_000, intervalMs: 1000, current: 24.95, plan: [5, 25, 50, 100]};
	assert.deepEqual(decideAdvance(input), {kind: 'advance', to: 50, step: 3});
	assert.deepEqual(decideAdvance({...input, current: 24.9}), {kind: 'advance', to: 25, step: 2});
});
