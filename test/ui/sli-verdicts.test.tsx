// The verdict per SLI in the version panels: the new version's panel has a row per judged SLI with its
// state and figures, the old one says it is the baseline; the rows appear once a window is judged and the
// frame still fits the terminal.
import assert from 'node:assert/strict';
import {afterEach, describe, test} from 'node:test';
import type {VerdictSlice} from '../../source/store/state.js';
import {App} from '../../source/ui/App.js';
import {verdictRowCount, verdictRows} from '../../source/ui/SliVerdicts.js';
import {WithMetrics} from '../../source/ui/WithMetrics.js';
import type {Verdict} from '../../source/verdict/judge.js';
import {blueGreenRelease, canaryRelease, rollingRelease, storeWith} from './fixtures.js';
import {renderAt, tick, waitFor, type Rendered} from './render.js';

const mounted: Rendered[] = [];
afterEach(() => {
	for (const r of mounted.splice(0)) r.unmount();
});

const errorsFail = {sli: 'errors', state: 'fail', reason: 'errors 12.0 % vs 0.08 %, p < 0.001', p: 1e-9} as const;
const latencyPass = {sli: 'latency', state: 'pass', reason: 'p95 120 ms vs 118 ms', p: 0.4} as const;

const failed: Verdict = {state: 'fail', reason: errorsFail.reason, slis: [errorsFail, latencyPass], failingWindows: 3};
const failing: Verdict = {state: 'marginal', reason: `${errorsFail.reason} (failing window 1 of 3)`, slis: [errorsFail, latencyPass], failingWindows: 1};

const canary = canaryRelease();
const [canaryVersion, stableVersion] = canary.versions as [(typeof canary.versions)[0], (typeof canary.versions)[0]];

describe('verdict rows per SLI', () => {
	test('the canary panel has one row per SLI: state then reason; the stable panel names what it is compared with', () => {
		const slice: VerdictSlice = {verdict: failed};
		assert.equal(verdictRowCount(canary, slice), 2);
		const rows = verdictRows(canary, canaryVersion, slice);
		assert.deepEqual(rows.map(r => r.text), ['✗ fail       errors 12.0 % vs 0.08 %, p < 0.001', '✓ pass       p95 120 ms vs 118 ms']);
		assert.deepEqual([rows[0]!.colour, rows[0]!.bold, rows[1]!.colour], ['red', true, 'green']);
		assert.deepEqual(verdictRows(canary, stableVersion, slice).map(r => r.text), ['verdict: canary compared with this version', '']);
	});

	test('a failing SLI says "failing" until the release has failed enough windows in a row', () => {
		const rows = verdictRows(canary, canaryVersion, {verdict: failing});
		assert.match(rows[0]!.text, /^✗ failing +errors 12\.0 %/);
		assert.equal(rows[0]!.bold, undefined);
	});

	test('an SLI not judged yet is collecting; a stale verdict is dim; none before the first window or for a rolling update', () => {
		const onlyErrors: Verdict = {state: 'collecting', reason: 'x', slis: [{sli: 'errors', state: 'collecting', reason: 'errors: 40/200 canary and 300/200 baseline requests so far'}], failingWindows: 0};
		assert.deepEqual(verdictRows(canary, canaryVersion, {verdict: onlyErrors}).map(r => r.text), ['… collecting errors: 40/200 canary and 300/200 baseline requests so far', '… collecting latency']);
		const stale = verdictRows(canary, canaryVersion, {verdict: failed, note: 'Prometheus: connect ECONNREFUSED'});
		assert.equal(stale.length, 2);
		assert.ok(stale.every(r => r.dim && r.colour === undefined));
		assert.equal(verdictRowCount(canary, {note: 'needs Prometheus'}), 0);
		assert.equal(verdictRowCount(canary, undefined), 0);
		assert.equal(verdictRowCount(rollingRelease(), {verdict: failed}), 0);
		const bg = blueGreenRelease();
		assert.deepEqual(verdictRows(bg, bg.versions[0]!, {verdict: failed}).map(r => r.text[0]), ['✗', '✓'], 'the preview is judged against the active one');
	});

	for (const [columns, rows] of [
		[120, 40],
		[80, 24],
	] as const) {
		test(`in the view at ${columns}x${rows}: the rows sit in the canary panel under the SLIs, and the frame keeps to the terminal`, async () => {
			const store = storeWith(canaryRelease());
			const r = renderAt(
				<WithMetrics store={store}>
					<App store={store} width={columns} height={rows} onQuit={() => {}} />
				</WithMetrics>,
				columns,
				rows,
			);
			mounted.push(r);
			await tick();
			await waitFor(() => assert.match(r.frame(), /STABLE/), 2000);
			assert.doesNotMatch(r.frame(), /✗ fail/, 'no rows before a window is judged');
			store.dispatch({type: 'verdict', verdict: {verdict: failed}});
			await waitFor(() => assert.match(r.frame(), /✗ fail/), 2000);
			const lines = r.lines();
			assert.ok(lines.length > 0 && lines.length <= rows, `${lines.length} lines in ${rows} rows`);
			assert.deepEqual(lines.filter(l => l.length > columns), [], `lines wider than ${columns} columns`);
			const failLine = lines.find(l => l.includes('✗ fail'))!;
			const passLine = lines.find(l => l.includes('✓ pass'))!;
			assert.ok(lines.indexOf(passLine) === lines.indexOf(failLine) + 1, r.frame());
			if (columns >= 100) {
				// Side by side: the stable panel (left) names the comparison on the same row as the canary's first SLI.
				const cells = failLine.split('││');
				assert.deepEqual([/verdict: canary compared with this version/.test(cells[0]!), /✗ fail +errors 12\.0 %/.test(cells[1]!)], [true, true], failLine);
			}
		});
	}
});
