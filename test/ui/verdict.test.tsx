// The verdict in the header (each state, why there is none), and the --auto-abort countdown line with its
// `c` key, which means something only while the countdown runs.
import assert from 'node:assert/strict';
import {afterEach, test} from 'node:test';
import type {VerdictSlice} from '../../source/store/state.js';
import type {Store} from '../../source/store/store.js';
import {App} from '../../source/ui/App.js';
import {Header} from '../../source/ui/Header.js';
import {verdictLabel} from '../../source/ui/HeaderVerdict.js';
import {commandFor} from '../../source/ui/keymap.js';
import type {Verdict} from '../../source/verdict/judge.js';
import {canaryRelease, now, rollingRelease, storeWith} from './fixtures.js';
import {press, renderAt, tick, waitFor, type Rendered} from './render.js';

const mounted: Rendered[] = [];
afterEach(() => {
	for (const r of mounted.splice(0)) r.unmount();
});

const verdicts: Record<Verdict['state'], Verdict> = {
	collecting: {state: 'collecting', reason: 'errors: 40/200 canary and 300/200 baseline requests so far', slis: [], failingWindows: 0},
	pass: {state: 'pass', reason: 'errors 0.10 % vs 0.08 %', slis: [], failingWindows: 0},
	marginal: {state: 'marginal', reason: 'errors 12.0 % vs 0.08 %, p < 0.001 (failing window 1 of 3)', slis: [], failingWindows: 1},
	fail: {state: 'fail', reason: 'errors 12.0 % vs 0.08 %, p < 0.001', slis: [], failingWindows: 3},
};

async function header(verdict: VerdictSlice | undefined, release = canaryRelease()): Promise<string> {
	const r = renderAt(<Header release={release} namespace="shop" context="prod-eu" connection={{state: 'live', since: now}} now={now} width={200} verdict={verdict} />, 200, 5);
	mounted.push(r);
	await tick();
	return r.lines()[1] ?? '';
}

test('the header says each verdict state with its reason, red and bold when it fails', async () => {
	for (const state of ['collecting', 'pass', 'marginal', 'fail'] as const) {
		const line = await header({verdict: verdicts[state]});
		assert.ok(line.includes(`verdict: ${state} — ${verdicts[state].reason}`), line);
	}
	assert.deepEqual([verdictLabel({verdict: verdicts.fail})?.colour, verdictLabel({verdict: verdicts.fail})?.bold], ['red', true]);
	assert.equal(verdictLabel({verdict: verdicts.marginal})?.colour, 'yellow');
	assert.equal(verdictLabel({verdict: verdicts.pass})?.colour, 'green');
	assert.equal(verdictLabel({verdict: verdicts.collecting})?.colour, undefined);
});

test('the header says why there is no verdict, keeps a stale one marked, and says nothing for a rolling update', async () => {
	assert.match(await header({note: 'needs Prometheus'}), /verdict: needs Prometheus/);
	assert.match(await header({}), /verdict: collecting/);
	const stale = await header({verdict: verdicts.pass, note: 'Prometheus: connect ECONNREFUSED', autoAbort: 'auto-abort off: read-only'});
	assert.match(stale, /verdict: pass — errors 0\.10 % vs 0\.08 % \(Prometheus: connect ECONNREFUSED\) · auto-abort off: read-only/);
	assert.doesNotMatch(await header({note: 'needs Prometheus'}, rollingRelease()), /verdict/);
	assert.doesNotMatch(await header(undefined), /verdict/);
});

test('the header says where the counts come from when not from a Prometheus', async () => {
	assert.match(await header({verdict: verdicts.fail, source: "the sim's own series"}), /verdict from the sim's own series: fail — errors 12\.0 % vs 0\.08 %/);
	assert.match(await header({source: "the sim's own series"}), /verdict from the sim's own series: collecting/);
});

async function app(store: Store, onCancelAutoAbort?: () => string): Promise<Rendered> {
	const r = renderAt(<App store={store} width={200} height={40} onQuit={() => {}} onCancelAutoAbort={onCancelAutoAbort} />, 200, 40);
	mounted.push(r);
	await tick();
	return r;
}

test('a countdown shows its line and c cancels it; without one, c means nothing', async () => {
	assert.equal(commandFor('c', {}, 'normal'), undefined);
	assert.deepEqual(commandFor('c', {}, 'normal', {countdown: true}), {name: 'cancelAutoAbort'});
	assert.equal(commandFor('c', {}, 'help', {countdown: true}), undefined);

	const store = storeWith(canaryRelease());
	store.dispatch({type: 'verdict', verdict: {verdict: verdicts.fail, countdown: {at: now + 27_000, reason: verdicts.fail.reason}}});
	let cancels = 0;
	const r = await app(store, () => {
		cancels++;
		store.dispatch({type: 'verdict', verdict: {countdown: undefined}});
		return 'auto-abort cancelled; a aborts by hand';
	});
	assert.match(r.frame(), /auto-abort in 27s — c cancels/);
	assert.match(r.frame(), /c cancel auto-abort/);
	await press(r.stdin, 'c');
	assert.equal(cancels, 1);
	await waitFor(() => assert.match(r.frame(), /auto-abort cancelled; a aborts by hand/));
	assert.doesNotMatch(r.frame(), /auto-abort in \d+s/);
	await press(r.stdin, 'c');
	assert.equal(cancels, 1, 'c means nothing once the countdown is gone');
});
