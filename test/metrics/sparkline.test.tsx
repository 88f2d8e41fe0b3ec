// Sparklines and SLI rows: one scale shared by every version, clamping, gaps for missing data,
// width changes; and the panels and header as the live view draws them.
import assert from 'node:assert/strict';
import {afterEach, describe, test} from 'node:test';
import {App} from '../../source/ui/App.js';
import {block, blocks, sharedScale, sparkline} from '../../source/ui/Sparkline.js';
import {WithMetrics} from '../../source/ui/WithMetrics.js';
import type {MetricsState} from '../../source/metrics/state.js';
import {canaryRelease, now, storeWith} from '../ui/fixtures.js';
import {fits, renderAt, tick, waitFor, type Rendered} from '../ui/render.js';
import {flat, metricsState} from './fixtures.js';

const mounted: Rendered[] = [];
afterEach(() => {
	for (const r of mounted.splice(0)) r.unmount();
});

describe('sparkline', () => {
	test('eight levels from the bottom of the scale to the top', () => {
		const scale = {min: 0, max: 8};
		assert.equal(sparkline([0, 1, 2, 3, 4, 5, 6, 7, 8], scale, 20), '▁▂▃▄▅▆▇██');
	});

	test('values outside the scale are clamped, and the line keeps its length', () => {
		const scale = {min: 0, max: 10};
		const line = sparkline([5, 50, -3, Infinity, 10], scale, 10);
		assert.equal(line, '▅█▁██');
		assert.equal(line.length, 5);
		assert.equal(block(1e9, scale), '█');
	});

	test('missing data is a gap, never the bottom block', () => {
		assert.equal(sparkline([NaN, 0, NaN, 4], {min: 0, max: 4}, 10), ' ▁ █');
		assert.equal(sparkline([NaN, NaN], {min: 0, max: 1}, 10), '  ');
	});

	test('with fewer columns than values, each column shows the peak of its group, newest on the right', () => {
		const values = [0, 0, 0, 0, 0, 0, 8, 0, 0, 0, 0, 4];
		const line = sparkline(values, {min: 0, max: 8}, 4);
		assert.equal(line.length, 4);
		assert.equal(line, '▁▁█▅');
		assert.equal(sparkline(values, {min: 0, max: 8}, 1), '█');
		assert.equal(sparkline(values, {min: 0, max: 8}, 0), '');
		// A group with any data is not a gap; a group without is.
		assert.equal(sparkline([NaN, NaN, NaN, 2, NaN, NaN], {min: 0, max: 2}, 3), ' █ ');
	});

	test('the width follows the terminal: never wider than asked', () => {
		const values = Array.from({length: 121}, (_, i) => i % 10);
		for (const width of [1, 7, 20, 40, 60, 121, 200]) {
			const line = sparkline(values, {min: 0, max: 9}, width);
			assert.ok(line.length <= width, `${line.length} > ${width}`);
			assert.ok(line.length >= Math.min(width, values.length) / 2, `too short at ${width}: ${line.length}`);
		}
		assert.equal(sparkline(values, {min: 0, max: 9}, 200).length, 121);
	});

	test('the shared scale spans every series, the red threshold, or a fixed top', () => {
		assert.deepEqual(sharedScale([[1, 2], [NaN, 8], []]), {min: 0, max: 8});
		assert.deepEqual(sharedScale([[0.001, 0.002]], {threshold: {bad: 0.01}}), {min: 0, max: 0.01});
		assert.deepEqual(sharedScale([[50]], {max: 10}), {min: 0, max: 10});
		assert.deepEqual(sharedScale([[NaN], [0]]), {min: 0, max: 1});
		assert.deepEqual(sharedScale([[Infinity, 3]]), {min: 0, max: 3});
	});
});

async function showView(metrics: MetricsState | undefined, columns: number, rows: number, options: {followTerminal?: boolean} = {}): Promise<Rendered> {
	const store = storeWith(canaryRelease());
	if (metrics) store.dispatch({type: 'metrics', metrics});
	const r = renderAt(
		<WithMetrics store={store}>
			{options.followTerminal ? <App store={store} onQuit={() => {}} /> : <App store={store} width={columns} height={rows} onQuit={() => {}} />}
		</WithMetrics>,
		columns,
		rows,
	);
	mounted.push(r);
	await tick();
	await waitFor(() => assert.match(r.frame(), /STABLE/), 2000);
	return r;
}

/** The text of each panel on the line holding `label ` rows: [stable, canary]. */
function panelCells(frame: string, label: string): string[] {
	const line = frame.split('\n').find(l => l.includes(`│ ${label} `)) ?? '';
	return line.split('││').map(cell => cell.replace(/^│\s?/, '').replace(/\s?│$/, ''));
}

describe('SLI rows in the version panels', () => {
	const values = {
		requestRate: {checkout: flat(90), 'checkout-canary': flat(10)},
		errorRatio: {checkout: flat(0.002), 'checkout-canary': flat(0.05)},
		p95: {checkout: flat(0.12), 'checkout-canary': [...flat(0.31, 11), NaN]},
		p99: {checkout: [NaN, ...flat(0.2, 11)], 'checkout-canary': flat(0.6)},
	};

	test('every version is drawn on the same scale, with its current value, unit and threshold', async () => {
		const r = await showView(metricsState(values), 200, 50);
		const frame = r.frame();
		const [stableRate, canaryRate] = panelCells(frame, 'req');
		// 90 and 10 req/s: on a shared scale the canary's line sits low; on its own it would reach the top.
		assert.match(stableRate!, /█{12}\s+90\/s/);
		assert.match(canaryRate!, /▁{12}\s+10\/s/);
		const [stableErr, canaryErr] = panelCells(frame, 'err');
		assert.match(stableErr!, /0\.20%/);
		assert.doesNotMatch(stableErr!, />/);
		assert.match(canaryErr!, /5\.00% > 1\.00%/);
		assert.match(panelCells(frame, 'p99')[0]!, / ▂{11}\s+200ms/, 'a missing step is a gap at the start of the line; the scale reaches the 1s threshold');
		assert.ok(fits(frame, 200, 50).ok);
	});

	test('no data is shown as no data, never as 0', async () => {
		const r = await showView(metricsState(values), 200, 50);
		const [, canaryP95] = panelCells(r.frame(), 'p95');
		assert.match(canaryP95!, /no data/);
		assert.doesNotMatch(canaryP95!, /\b0ms/);
	});

	test('values above a fixed top are clamped, the row keeps its width', async () => {
		const r = await showView(metricsState({...values, requestRate: {checkout: flat(500), 'checkout-canary': flat(10)}}, {max: {requestRate: 100}}), 200, 50);
		const [stableRate, canaryRate] = panelCells(r.frame(), 'req');
		assert.match(stableRate!, /█{12}\s+500\/s/);
		assert.match(canaryRate!, /▁{12}\s+10\/s/);
		assert.equal(stableRate!.length, canaryRate!.length);
	});

	test('CPU and memory rows appear once their series exist', async () => {
		let r = await showView(metricsState(values), 200, 50);
		assert.doesNotMatch(r.frame(), /│ cpu /);
		r.unmount();
		r = await showView(metricsState({...values, cpu: {checkout: flat(0.05), 'checkout-canary': flat(0.2)}, memory: {checkout: flat(100 * 2 ** 20)}}), 200, 50);
		assert.match(panelCells(r.frame(), 'cpu')[1]!, /200m/);
		assert.match(panelCells(r.frame(), 'mem')[0]!, /100Mi/);
		assert.match(panelCells(r.frame(), 'mem')[1]!, /no data/);
	});

	test('on a narrower terminal the sparklines shrink and the frame still fits', async () => {
		const long = {requestRate: {checkout: Array.from({length: 121}, (_, i) => 50 + (i % 7)), 'checkout-canary': flat(5, 121)}};
		const r = await showView(metricsState(long, {points: 121}), 200, 50, {followTerminal: true});
		const wide = panelCells(r.frame(), 'req')[0]!.match(/[▁▂▃▄▅▆▇█]+/)![0].length;
		r.resize(100, 40);
		await waitFor(() => assert.ok(fits(r.frame(), 100, 40).ok), 2000);
		const narrowCell = panelCells(r.frame(), 'req')[0]!;
		const narrow = narrowCell.match(/[▁▂▃▄▅▆▇█]+/)![0].length;
		assert.ok(narrow < wide, `sparkline ${narrow} columns at 100, ${wide} at 200`);
		assert.match(narrowCell, /5\d\/s/);
	});

	test('an unreachable Prometheus is said in every panel; a failing query only in its row', async () => {
		const r = await showView(metricsState(values, {status: {state: 'outage', message: 'connect ECONNREFUSED 127.0.0.1:9090', since: now - 4000}, errors: {p99: 'bad_data: parse error'}}), 200, 50);
		const frame = r.frame();
		const outage = frame.split('\n').find(l => l.includes('unreachable since')) ?? '';
		assert.equal(outage.split('unreachable since').length - 1, 2, `both panels say it:\n${frame}`);
		assert.match(outage, /ECONNREFUSED/);
		assert.match(panelCells(frame, 'p99')[0]!, /✗ bad_data: parse error/);
		assert.match(frame, /PODS/, 'the rest of the screen goes on');
	});

	test('the header shows the measured split beside the intended one, and where SLIs come from', async () => {
		const r = await showView(metricsState(values), 200, 50);
		const header = r.lines()[1]!;
		assert.match(header, /traffic 90% \| 10% \(measured 90\/10\)/);
		assert.match(header, /SLIs: prometheus 127\.0\.0\.1:9090 · istio @ \d\d:\d\d:\d\d/);
	});

	test('with metrics off the panels say how to turn them on', async () => {
		const r = await showView(undefined, 200, 50);
		assert.match(r.frame(), /SLIs off: --prometheus URL/);
		assert.doesNotMatch(r.lines()[1]!, /measured/);
	});

	test('blocks are the eight eighths', () => {
		assert.equal([...blocks].length, 8);
	});
});
