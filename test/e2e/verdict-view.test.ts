// The verdict in the live view end to end: the sim (fast clock) scraped every second by a real Prometheus,
// rollscope in tmux. On canary-bad the header turns to fail within a few intervals; with --auto-abort the
// countdown runs and the abort goes through the action path: the canary's weight is 0 and the audit Event
// says it was automatic. Without a Prometheus the header says the verdict needs one; the demo without a
// prometheus binary judges from the sim's own series, and says so.
import assert from 'node:assert/strict';
import {after, before, describe, test} from 'node:test';
import {findOnPath, startLocalPrometheus, type LocalPrometheus} from '../../source/metrics/prometheus-server.js';
import {startTestSim, waitFor, type TestSim} from '../helpers/sim.js';
import {repoRoot, Terminal} from '../helpers/tmux.js';
import {getJson, openView, quit, rollscopeEvents} from './actions-view.js';

const hasPrometheus = Boolean(findOnPath('prometheus'));
const hasTmux = Boolean(findOnPath('tmux'));

describe('the verdict in the live view with a real Prometheus', {skip: (!hasPrometheus && 'needs the prometheus binary (Debian package prometheus)') || (!hasTmux && 'needs tmux')}, () => {
	let t: TestSim;
	let prom: LocalPrometheus;

	before(async () => {
		t = await startTestSim({scenario: 'canary-bad', speed: 20});
		prom = await startLocalPrometheus({targets: [new URL(t.sim.metricsUrl).host], scrapeSeconds: 1});
	});

	after(async () => {
		await prom?.stop();
		await t?.stop();
	});

	test('canary-bad: the header shows fail, the countdown runs, and --auto-abort takes the canary to weight 0 with an automatic audit Event', async () => {
		const term = await openView(t, `deploy/checkout -n canary-bad --prometheus ${prom.url} --window 10s --interval 1 --auto-abort --auto-abort-delay 3s`, /verdict: /);
		try {
			await term.waitFor(/auto-abort 3s after fail/);
			const failed = await term.waitFor(/verdict: fail — (errors|p95) /, 60_000);
			assert.match(failed, /verdict: fail — /);
			await term.waitFor(/auto-abort in [0-3]s — c cancels|aborted/, 10_000);
			await waitFor('the canary at weight 0', async () => {
				const vs = await getJson(t, ['virtualservice', '-n', 'canary-bad']);
				const routes = (vs.items as any[]).flatMap(i => i.spec.http.flatMap((h: any) => h.route)) as Array<{destination: {subset?: string; host: string}; weight?: number}>;
				const canary = routes.filter(r => /canary/.test(r.destination.subset ?? r.destination.host));
				return canary.length > 0 && canary.every(r => (r.weight ?? 0) === 0);
			}, 20_000);
			const events = await waitFor('the automatic abort Event', async () => {
				const list = await rollscopeEvents(t, 'canary-bad');
				return list.filter(e => e.reason === 'RollscopeAbort').length > 0 ? list : undefined;
			}, 20_000);
			const abort = events!.find(e => e.reason === 'RollscopeAbort');
			assert.match(abort.message, / aborted checkout-canary: .*\(automatic: (errors|p95) .+\)/, abort.message);
			await quit(term);
		} finally {
			term.kill();
		}
	});

	test('--read-only turns --auto-abort off and says so', async () => {
		const term = await openView(t, `deploy/checkout -n canary-bad --prometheus ${prom.url} --window 10s --interval 1 --auto-abort --read-only`, /auto-abort off: read-only/);
		try {
			await quit(term);
		} finally {
			term.kill();
		}
	});

	test('without a Prometheus the header says the verdict needs one', async () => {
		const term = await openView(t, 'deploy/checkout -n canary-bad --auto-abort', /verdict: needs Prometheus/);
		try {
			await quit(term);
		} finally {
			term.kill();
		}
	});
});

describe('the demo on a machine with no prometheus', {skip: !hasTmux && 'needs tmux'}, () => {
	test('canary-bad: the verdict from the sim\'s own series turns to fail, and --auto-abort takes the canary out', async () => {
		// PATH holds no prometheus: the demo judges from the sim's own series, as on most laptops.
		const term = new Terminal(`cd ${repoRoot} && PATH=/nonexistent ${process.execPath} --import tsx source/cli.tsx demo --scenario canary-bad --speed 20 --interval 1 --auto-abort --auto-abort-delay 3s`, {width: 220, height: 45});
		try {
			await term.waitFor(/verdict from the sim's own series: /, 60_000);
			await term.waitFor(/auto-abort 3s after fail/);
			const failed = await term.waitFor(/verdict from the sim's own series: fail — (errors|p95) /, 90_000);
			assert.match(failed, /SLIs: sim \(in-process\)/);
			await term.waitFor(/aborted: checkout-canary has no traffic/, 30_000);
			await term.waitFor(/traffic 100% \| 0%/, 10_000);
			term.keys('q');
			await term.waitFor(/SLIs and the verdict came from the sim's own series in-process \(no prometheus binary on the PATH\)/, 15_000);
		} finally {
			term.kill();
		}
	});
});
