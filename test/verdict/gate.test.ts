import assert from 'node:assert/strict';
import {test} from 'node:test';
import {gateStep, type GateProgress} from '../../source/verdict/gate.js';
import type {Verdict, VerdictState} from '../../source/verdict/judge.js';

const verdict = (state: VerdictState, reason: string = state): Verdict => ({state, reason, slis: [], failingWindows: state === 'fail' ? 3 : 0});
const at = (p: Partial<GateProgress>): GateProgress => ({judged: false, elapsedMs: 0, forMs: 60_000, finished: false, ...p});

test('keeps watching while within the duration and not failed', () => {
	assert.equal(gateStep(at({})), undefined);
	assert.equal(gateStep(at({verdict: verdict('collecting')})), undefined);
	assert.equal(gateStep(at({verdict: verdict('pass'), judged: true, elapsedMs: 59_999})), undefined);
	assert.equal(gateStep(at({verdict: verdict('marginal'), judged: true})), undefined);
});

test('fail ends at once with 1, whatever the time', () => {
	const end = gateStep(at({verdict: verdict('fail', 'errors 4.0 % vs 0.10 %, p < 0.001'), judged: true}));
	assert.deepEqual(end, {code: 1, why: 'SLO failure: errors 4.0 % vs 0.10 %, p < 0.001'});
	assert.equal(gateStep(at({verdict: verdict('fail'), finished: true, elapsedMs: 1e9}))?.code, 1);
});

test('healthy for the whole duration is 0; still collecting at the end is 3', () => {
	assert.equal(gateStep(at({verdict: verdict('pass'), judged: true, elapsedMs: 60_000}))?.code, 0);
	assert.equal(gateStep(at({verdict: verdict('marginal'), judged: true, elapsedMs: 60_000}))?.code, 0);
	const collecting = gateStep(at({verdict: verdict('collecting', 'errors: 12/200 canary'), elapsedMs: 60_000}));
	assert.equal(collecting?.code, 3);
	assert.match(collecting!.why, /still collecting: errors: 12\/200 canary/);
	assert.equal(gateStep(at({elapsedMs: 60_000}))?.code, 3, 'no window at all');
	assert.equal(gateStep(at({verdict: verdict('collecting'), judged: true, elapsedMs: 60_000}))?.code, 3, 'traffic stopped at the end');
});

test('a finished release is 0 when it was judged healthy, 3 when never judged', () => {
	assert.equal(gateStep(at({verdict: verdict('pass'), judged: true, finished: true}))?.code, 0);
	assert.equal(gateStep(at({verdict: verdict('collecting'), finished: true}))?.code, 3);
});

test('Prometheus asked and never answering to the end is an outage: exit 4, not 3', () => {
	const down = {asked: 12, answered: 0};
	assert.equal(gateStep(at({prometheus: down, elapsedMs: 30_000})), undefined, 'keeps trying within the duration');
	const end = gateStep(at({prometheus: down, elapsedMs: 60_000}));
	assert.equal(end?.code, 4);
	assert.match(end!.why, /did not answer any of 12 request/);
	assert.equal(gateStep(at({prometheus: down, finished: true}))?.code, 4);
	assert.equal(gateStep(at({prometheus: {asked: 12, answered: 1}, elapsedMs: 60_000}))?.code, 3, 'one answer: too little traffic, not an outage');
	assert.equal(gateStep(at({prometheus: {asked: 0, answered: 0}, elapsedMs: 60_000}))?.code, 3, 'never asked (nothing to query): not an outage');
});

test('why the gate ends, word for word', () => {
	assert.deepEqual(gateStep(at({verdict: verdict('pass'), judged: true, elapsedMs: 60_000})), {code: 0, why: 'healthy for the whole duration (last: pass)'});
	assert.deepEqual(gateStep(at({verdict: verdict('marginal'), judged: true, elapsedMs: 61_000})), {code: 0, why: 'healthy for the whole duration (last: marginal)'});
	assert.deepEqual(gateStep(at({verdict: verdict('collecting', 'latency: not enough requests yet'), elapsedMs: 60_000})), {code: 3, why: 'timed out while still collecting: latency: not enough requests yet'});
	assert.deepEqual(gateStep(at({elapsedMs: 60_000})), {code: 3, why: 'timed out while still collecting'});
	assert.deepEqual(gateStep(at({verdict: verdict('pass'), judged: true, finished: true})), {code: 0, why: 'the release finished healthy'});
	assert.deepEqual(gateStep(at({finished: true})), {code: 3, why: 'the release finished before there was enough traffic to judge it'});
});
