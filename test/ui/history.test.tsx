// The view with a history: < goes back to before a weight step (the header says when, the panels show the
// old weight, the timeline marks it), action keys say they act only on the present, end comes back live; the
// weight row lines up with the SLI rows; a recording plays and pauses with space. Frames fit the terminal.
import assert from 'node:assert/strict';
import {afterEach, describe, test} from 'node:test';
import {History} from '../../source/history/history.js';
import {TimeTravel} from '../../source/history/travel.js';
import type {MetricsState} from '../../source/metrics/state.js';
import type {Release} from '../../source/release/model.js';
import {initialState, type AppState} from '../../source/store/state.js';
import {Store} from '../../source/store/store.js';
import {App} from '../../source/ui/App.js';
import {WithMetrics} from '../../source/ui/WithMetrics.js';
import type {ActionCommand} from '../../source/actions/commands.js';
import {canaryRelease, now} from './fixtures.js';
import {fits, keys, press, renderAt, tick, type Rendered} from './render.js';

const mounted: Rendered[] = [];
const travels: TimeTravel[] = [];
afterEach(() => {
	for (const r of mounted.splice(0)) r.unmount();
	for (const t of travels.splice(0)) t.stop();
});

const withWeight = (release: Release, canary: number): Release => ({...release, traffic: {...release.traffic!, weights: {checkout: 100 - canary, 'checkout-canary': canary}}});
const stateWith = (release: Release, extra: Partial<AppState> = {}): AppState => ({...initialState('ctx', 'shop', 'deploy/checkout'), connection: {state: 'live', since: now}, release, ...extra});

/** Error ratio per step: the canary's jumps after the weight step at +60 s. */
function metricsAt(end: number): MetricsState {
	const stepMs = 5000;
	const points = 25;
	const times = Array.from({length: points}, (_, k) => end - (points - 1 - k) * stepMs);
	return {
		source: 'prometheus test',
		status: {state: 'ok', at: end},
		stepMs,
		end,
		rows: [{key: 'errorRatio', threshold: {warn: 0.005, bad: 0.01}, values: {checkout: times.map(() => 0.001), 'checkout-canary': times.map(t => (t > now + 60_000 ? 0.05 : 0.002))}}],
	};
}

/** A live view two minutes in: the canary went from 10% to 30% at +60 s (a kubectl patch, say). */
function setup(actions: ActionCommand[] = []) {
	const history = new History();
	history.observe(stateWith(canaryRelease(), {metrics: metricsAt(now)}), now);
	const after = stateWith(withWeight(canaryRelease(), 30), {metrics: metricsAt(now + 60_000)});
	history.observe(after, now + 60_000);
	const present = stateWith(withWeight(canaryRelease(), 30), {metrics: metricsAt(now + 120_000), actions: {mode: 'enabled', denied: {}}});
	history.observe(present, now + 120_000);
	const store = new Store(present, 0);
	const clock = {now: now + 120_000 + 12_000};
	const travel = new TimeTravel(store, history, {now: () => clock.now});
	travels.push(travel);
	const onAction = (command: ActionCommand) => {
		actions.push(command);
		return 'sent';
	};
	return {store, travel, history, onAction, clock};
}

async function show(travel: TimeTravel, columns: number, rows: number, onAction?: (command: ActionCommand) => string): Promise<Rendered> {
	const r = renderAt(
		<WithMetrics store={travel.viewed} travel={travel}>
			<App store={travel.viewed} travel={travel} width={columns} height={rows} onQuit={() => {}} {...(onAction ? {onAction} : {})} />
		</WithMetrics>,
		columns,
		rows,
	);
	mounted.push(r);
	await tick();
	return r;
}

const line = (frame: string, text: string) => frame.split('\n').find(l => l.includes(text)) ?? '';

describe('the live view with a history', () => {
	test('< goes back to before the weight step: the header says how long ago, the panels show the old weight; end comes back', async () => {
		const {travel} = setup();
		const r = await show(travel, 160, 40);
		let frame = r.frame();
		assert.match(frame, /● live/);
		assert.match(line(frame, 'weight █'), /30%/);
		assert.match(frame, /W.* now .*last \d\d:\d\d:\d\d weight checkout 90% → 70%, checkout-canary 10% → 30%/, 'the timeline row');
		assert.match(frame, /<\/> history/, 'the footer offers the history');

		await press(r.stdin, '<');
		frame = r.frame();
		assert.match(line(frame, 'rollscope'), /⏸ \d\d:\d\d:\d\d \(1m12s ago\)/);
		assert.doesNotMatch(frame, /● live/);
		assert.match(line(frame, 'weight █'), /10%/);
		assert.match(line(frame, 'traffic'), /traffic 90% \| 10%/);
		assert.match(frame, /next \d\d:\d\d:\d\d weight checkout 90% → 70%/);
		assert.match(frame, /end live/);
		assert.match(frame, /\[the past: actions act only on the present\]/);
		assert.doesNotMatch(frame, /p promote/, 'no action keys in the footer');

		await press(r.stdin, keys.ESC);
		frame = r.frame();
		assert.match(frame, /● live/);
		assert.match(line(frame, 'weight █'), /30%/);

		await press(r.stdin, '<', '\u001B[F');
		assert.match(r.frame(), /● live/, 'end returns to live too');
	});

	test('a change in the present shows on the timeline as it comes', async () => {
		const {travel, store, history, clock} = setup();
		const r = await show(travel, 160, 40);
		const strip = () => /\d\d:\d\d:\d\d (─*W[─W]*) now/.exec(r.frame())?.[1] ?? '';
		assert.equal(strip().split('W').length - 1, 1);
		clock.now += 30_000;
		const next = stateWith(withWeight(canaryRelease(), 50), {metrics: metricsAt(now + 150_000), actions: {mode: 'enabled', denied: {}}});
		history.observe(next, clock.now - 1000);
		store.dispatch({type: 'release', release: next.release, releases: []});
		await tick();
		await tick();
		assert.equal(strip().split('W').length - 1, 2, r.frame());
		assert.match(r.frame(), /last \d\d:\d\d:\d\d weight checkout 70% → 50%, checkout-canary 30% → 50%/);
	});

	test('in the past an action key says it acts only on the present, and sends nothing', async () => {
		const sent: ActionCommand[] = [];
		const {travel, onAction} = setup(sent);
		const r = await show(travel, 160, 40, onAction);
		await press(r.stdin, '<', 'p');
		assert.match(r.frame(), /promote: actions act only on the present — end returns to it/);
		assert.deepEqual(sent, []);
		await press(r.stdin, '\u001B[F', 'p');
		assert.equal(sent.length, 1, 'in the present it goes through');
	});

	test('the weight row shows the step on the SLI rows’ time axis; the threshold shows on the rows', async () => {
		const {travel} = setup();
		const r = await show(travel, 160, 40);
		const frame = r.frame();
		const canaryColumn = (text: string) => line(frame, text).split('││')[1] ?? '';
		const wt = canaryColumn('│ wt ');
		const err = canaryColumn('│ err ');
		assert.match(wt, /wt +▁+▃+ +30%/, wt);
		// The step up and the errors that followed start in the same column.
		const stepAt = wt.indexOf('▃');
		const spikeAt = err.indexOf('█');
		assert.ok(stepAt > 0 && Math.abs(stepAt - spikeAt) <= 1, `weight steps at ${stepAt}, errors at ${spikeAt}:\n${wt}\n${err}`);
		assert.match(err, /5\.00% > 1\.00%/);
		assert.match(line(frame, '│ err ').split('││')[0]!, /0\.10% ≤ 1\.00%/);
	});

	test('a minute back (shift-←, or ,) and forward; the frames fit small terminals', async () => {
		const {travel} = setup();
		for (const [columns, rows] of [[80, 24], [60, 20], [120, 12], [40, 10]] as const) {
			const r = await show(travel, columns, rows);
			await press(r.stdin, '\u001B[1;2D');
			const size = fits(r.frame(), columns, rows);
			assert.ok(size.ok, `${columns}x${rows}: ${size.widest}x${size.lines}\n${r.frame()}`);
			assert.equal(r.lines().length, rows);
			if (columns >= 80) assert.match(r.frame(), /⏸ \d\d:\d\d:\d\d \(1m00s ago\)/);
			await press(r.stdin, ',');
			if (columns >= 80) assert.match(r.frame(), /\(2m00s ago\)/);
			await press(r.stdin, '.');
			if (columns >= 80) assert.match(r.frame(), /\(1m00s ago\)/);
			await press(r.stdin, '\u001B[F');
			r.unmount();
		}
	});
});

describe('a recording in the view', () => {
	test('space plays and pauses; the header says where in the recording; end jumps to its end', async () => {
		const {history} = setup();
		const store = new Store(stateWith(withWeight(canaryRelease(), 30)), 0);
		const clock = {now: 5_000_000};
		const travel = new TimeTravel(store, history, {recording: {start: now, end: now + 120_000}, now: () => clock.now});
		travels.push(travel);
		const r = await show(travel, 160, 40, () => 'a recording: nothing here changes a cluster');
		let frame = r.frame();
		assert.match(line(frame, 'rollscope'), /⏸ \d\d:\d\d:\d\d \(0s of 2m00s\)/);
		assert.match(frame, /space play\/pause/);
		assert.match(frame, /\[a recording: no actions\]/);
		await press(r.stdin, ' ');
		assert.match(line(r.frame(), 'rollscope'), /▶ \d\d:\d\d:\d\d/);
		await press(r.stdin, ' ');
		assert.match(line(r.frame(), 'rollscope'), /⏸/);
		await press(r.stdin, '>');
		frame = r.frame();
		assert.match(line(frame, 'rollscope'), /⏸ \d\d:\d\d:\d\d \(59s of 2m00s\)/);
		assert.match(line(frame, 'weight █'), /10%/);
		await press(r.stdin, '\u001B[F');
		frame = r.frame();
		assert.match(line(frame, 'rollscope'), /■ \d\d:\d\d:\d\d end of the recording \(2m00s\)/);
		assert.match(line(frame, 'weight █'), /30%/);
		await press(r.stdin, 'a');
		assert.match(r.frame(), /a recording: nothing here changes a cluster/);
	});
});
