// --auto-advance's decision (pure) and the runner on a store with a fake canary position.
import assert from 'node:assert/strict';
import {test} from 'node:test';
import {initialState} from '../../source/store/state.js';
import {Store} from '../../source/store/store.js';
import {advanceLabel, decideAdvance, lastStepTime, readAdvanceRecord, type AdvanceRecord} from '../../source/verdict/advance.js';
import {startAdvancer, type AdvancePosition} from '../../source/verdict/advancer.js';
import type {Verdict, VerdictState} from '../../source/verdict/judge.js';

const plan = [5, 25, 50, 100];
const base = {lastStepAt: 0, intervalMs: 120_000, plan};

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

test('decideAdvance: marginal or fail stops; the end of the plan is done', () => {
	assert.deepEqual(decideAdvance({...base, verdict: 'marginal', now: 999_999, current: 25}), {kind: 'stop', why: 'verdict marginal at 25%'});
	assert.deepEqual(decideAdvance({...base, verdict: 'fail', now: 1, current: 25}), {kind: 'stop', why: 'verdict fail at 25%'});
	assert.deepEqual(decideAdvance({...base, verdict: 'pass', now: 999_999, current: 100}), {kind: 'done', why: 'the canary is at 100%, the end of the weight plan (5, 25, 50, 100)'});
});

test('advanceLabel', () => {
	assert.equal(advanceLabel({kind: 'wait', why: 'next step 50%', until: 100_000}, 19_500), 'auto-advance: next step 50% in 1m 21s');
	assert.equal(advanceLabel({kind: 'wait', why: 'next step 50%', until: 100_000}, 99_000), 'auto-advance: next step 50% in 1s');
	assert.equal(advanceLabel({kind: 'advance', to: 50, step: 3}, 0), 'auto-advance: moving to 50%');
	assert.equal(advanceLabel({kind: 'stop', why: 'verdict fail at 25%'}, 0), 'auto-advance stopped: verdict fail at 25%');
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

const v = (state: VerdictState): Verdict => ({state, reason: `${state} reason`, slis: [], failingWindows: 0});
const wait = (ms: number) => new Promise(r => setTimeout(r, ms));

function setup(position: AdvancePosition, clock: {now: number}) {
	const store = new Store(initialState('ctx', 'ns', 'deploy/x'), 0);
	store.dispatch({type: 'connection', connection: {state: 'live', since: 0}});
	store.dispatch({type: 'release', release: {namespace: 'ns', target: 'deploy/x'} as never, releases: []});
	const advances: Array<{to: number; step: number; reason: string}> = [];
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
	});
	return {store, advances, advancer};
}

test('startAdvancer: steps while pass every interval, then stops on marginal and says so', async () => {
	const clock = {now: Date.parse('2026-01-01T00:00:00Z')};
	const position: AdvancePosition = {current: 5, plan};
	const {store, advances, advancer} = setup(position, clock);
	const setVerdict = (state: VerdictState) => store.dispatch({type: 'verdict', verdict: {verdict: v(state)}});
	try {
		setVerdict('collecting');
		advancer.tick();
		await wait(5);
		assert.equal(store.getState().verdict?.autoAdvance, 'auto-advance: waiting for a pass verdict before 25%');
		setVerdict('pass');
		advancer.tick();
		await wait(5);
		assert.equal(advances.length, 0, 'the interval counts from the start of the view');
		assert.equal(store.getState().verdict?.autoAdvance, 'auto-advance: next step 25% in 1m 00s');
		clock.now += 60_000;
		advancer.tick();
		assert.deepEqual(advances, [{to: 25, step: 2, reason: 'verdict pass: pass reason'}]);
		clock.now += 30_000;
		advancer.tick();
		assert.equal(advances.length, 1);
		clock.now += 30_000;
		advancer.tick();
		assert.deepEqual(advances.map(a => a.to), [25, 50]);
		setVerdict('marginal');
		await wait(5);
		clock.now += 60_000;
		advancer.tick();
		await wait(5);
		assert.deepEqual(advances.map(a => a.to), [25, 50]);
		assert.equal(store.getState().verdict?.autoAdvance, 'auto-advance stopped: verdict marginal at 50%');
		assert.equal(store.getState().actions?.activity?.text, 'auto-advance stopped: verdict marginal at 50% — marginal reason');
		setVerdict('pass');
		clock.now += 600_000;
		advancer.tick();
		assert.deepEqual(advances.map(a => a.to), [25, 50], 'stopped for good in this view');
	} finally {
		advancer.stop();
		store.close();
	}
});

test('startAdvancer: a restarted view goes on from the recorded step and its time', async () => {
	const clock = {now: Date.parse('2026-01-01T00:10:00Z')};
	// Step 2 was made 50 s ago by an earlier view: 10 s to go, not a whole interval.
	const position: AdvancePosition = {current: 25, plan, record: {step: 2, weight: 25, at: '2026-01-01T00:09:10.000Z'}};
	const {store, advances, advancer} = setup(position, clock);
	try {
		store.dispatch({type: 'verdict', verdict: {verdict: v('pass')}});
		advancer.tick();
		await wait(5);
		assert.equal(store.getState().verdict?.autoAdvance, 'auto-advance: next step 50% in 10s');
		clock.now += 10_000;
		advancer.tick();
		assert.deepEqual(advances, [{to: 50, step: 3, reason: 'verdict pass: pass reason'}]);
	} finally {
		advancer.stop();
		store.close();
	}
});
