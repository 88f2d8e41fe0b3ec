// The guardrails on the verdict: the bell once per fail episode (pure), and the --auto-abort countdown
// driven by the store: it starts on fail, stops when the verdict recovers or on cancel, aborts at zero.
import assert from 'node:assert/strict';
import {test} from 'node:test';
import {initialState} from '../../source/store/state.js';
import {Store} from '../../source/store/store.js';
import {startGuard, startsFail} from '../../source/live/guard.js';
import {countdownLabel} from '../../source/ui/format.js';
import type {Verdict, VerdictState} from '../../source/verdict/judge.js';

const v = (state: VerdictState, reason = `${state} reason`): Verdict => ({state, reason, slis: [], failingWindows: state === 'fail' ? 3 : 0});
const wait = (ms: number) => new Promise(r => setTimeout(r, ms));

test('startsFail: the bell rings on the first fail of an episode only', () => {
	const states: Array<VerdictState | undefined> = [undefined, 'collecting', 'marginal', 'fail', 'fail', 'fail', 'marginal', 'fail', 'pass', undefined, 'fail'];
	const rings: number[] = [];
	for (let i = 1; i < states.length; i++) if (startsFail(states[i - 1], states[i])) rings.push(i);
	assert.deepEqual(rings, [3, 7, 10]);
	assert.equal(startsFail(undefined, 'fail'), true);
	assert.equal(startsFail('fail', 'fail'), false);
	assert.equal(startsFail('fail', undefined), false);
});

test('countdownLabel rounds up to whole seconds and stops at 0', () => {
	assert.equal(countdownLabel({at: 30_000}, 3_000), 'auto-abort in 27s — c cancels');
	assert.equal(countdownLabel({at: 30_000}, 29_001), 'auto-abort in 1s — c cancels');
	assert.equal(countdownLabel({at: 30_000}, 31_000), 'auto-abort in 0s — c cancels');
});

test('startGuard: one bell per episode; the countdown starts on fail, stops on recovery or cancel, aborts at zero with the reason', async () => {
	const store = new Store(initialState('ctx', 'ns', 'deploy/x'), 0);
	let clock = 1_000_000;
	let bells = 0;
	const aborts: string[] = [];
	const guard = startGuard({store, bell: () => bells++, now: () => clock, autoAbort: {delayMs: 30_000, abort: reason => void aborts.push(reason)}});
	// The store tells its subscribers on a timer: let it.
	const set = async (verdict: Verdict) => {
		store.dispatch({type: 'verdict', verdict: {verdict}});
		await wait(5);
	};
	try {
		await set(v('marginal'));
		assert.equal(bells, 0);
		await set(v('fail', 'errors 12 % vs 0.1 %'));
		assert.equal(bells, 1);
		assert.deepEqual(store.getState().verdict?.countdown, {at: clock + 30_000, reason: 'errors 12 % vs 0.1 %'});
		await set(v('fail', 'errors 13 % vs 0.1 %'));
		assert.equal(bells, 1, 'still the same fail episode');
		await set(v('pass'));
		assert.equal(store.getState().verdict?.countdown, undefined, 'recovered: no abort');
		await set(v('fail', 'again'));
		assert.equal(bells, 2, 'a new episode rings again');
		assert.equal(guard.cancel(), 'auto-abort cancelled; a aborts by hand');
		assert.equal(store.getState().verdict?.countdown, undefined);
		assert.equal(guard.cancel(), 'no auto-abort is counting down');
		await set(v('fail', 'still'));
		assert.equal(store.getState().verdict?.countdown, undefined, 'cancelled for this episode');
		await set(v('marginal'));
		await set(v('fail', 'errors 20 % vs 0.1 %'));
		assert.equal(bells, 3);
		await wait(300);
		assert.deepEqual(aborts, [], 'not before zero');
		assert.equal(store.getState().now, clock, 'the countdown moves the view\'s clock');
		clock += 30_000;
		await wait(400);
		assert.deepEqual(aborts, ['errors 20 % vs 0.1 %']);
		assert.equal(store.getState().verdict?.countdown, undefined);
		await wait(300);
		assert.equal(aborts.length, 1, 'once');
	} finally {
		guard.stop();
		store.close();
	}
});

test('startGuard without --auto-abort only rings', async () => {
	const store = new Store(initialState('ctx', 'ns', 'deploy/x'), 0);
	let bells = 0;
	const guard = startGuard({store, bell: () => bells++});
	store.dispatch({type: 'verdict', verdict: {verdict: v('fail')}});
	await wait(5);
	assert.equal(bells, 1);
	assert.equal(store.getState().verdict?.countdown, undefined);
	guard.stop();
	store.close();
});
