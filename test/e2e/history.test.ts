// Time travel end to end. In a real terminal (tmux) against the sim: after a weight change made with kubectl,
// `<` goes back to before it (the header says how long ago, the panels show the old weight) and end comes back
// live; the view's --record file then replays it, with the action taken in the view and who took it. With a
// real Prometheus scraping the sim: `rollscope record` of canary-bad for a minute, replayed with no cluster:
// two moments show two states, the report lists the weight step and the verdict failing with its figures, and
// the recording cut in the middle of a line still replays.
import assert from 'node:assert/strict';
import {mkdtempSync, readFileSync, rmSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {after, before, describe, test} from 'node:test';
import {findOnPath, startLocalPrometheus, type LocalPrometheus} from '../../source/metrics/prometheus-server.js';
import {runCli} from '../helpers/cli.js';
import {kubectlOk, startTestSim, waitFor, type TestSim} from '../helpers/sim.js';
import {clock} from '../../source/text/format.js';
import {readRecording} from '../../source/history/recording-file.js';
import {openView, quit} from './actions-view.js';

const hasTmux = Boolean(findOnPath('tmux'));
const hasPrometheus = Boolean(findOnPath('prometheus'));

const setWeights = (t: TestSim, namespace: string, stable: number, canary: number) =>
	kubectlOk(t, ['-n', namespace, 'patch', 'virtualservice', 'checkout', '--type', 'json', '-p', JSON.stringify([{op: 'replace', path: '/spec/http/0/route/0/weight', value: stable}, {op: 'replace', path: '/spec/http/0/route/1/weight', value: canary}])]);

/** Both panels' weight lines on one screen line: stable first. */
const weights = (stable: number, canary: number) => new RegExp(`weight [█░]+ ${stable}%.*weight [█░]+ ${canary}%`);

describe('the live view goes back in time', {skip: !hasTmux && 'needs tmux'}, () => {
	let t: TestSim;
	let dir: string;
	before(async () => {
		t = await startTestSim({scenario: 'canary'});
		dir = mkdtempSync(join(tmpdir(), 'rollscope-history-e2e-'));
	});
	after(async () => {
		await t?.stop();
		if (dir) rmSync(dir, {recursive: true, force: true});
	});

	test('< goes back to before a kubectl weight change; end comes back live; the --record file replays it with the action and who took it', async () => {
		const file = join(dir, 'view.ndjson.gz');
		const term = await openView(t, `deploy/checkout -n canary --record ${file}`, weights(90, 10));
		try {
			await setWeights(t, 'canary', 60, 40);
			await term.waitFor(weights(60, 40));
			await term.waitFor(/last \d\d:\d\d:\d\d weight checkout 90% → 60%, checkout-canary 10% → 40%/);
			term.keys('<');
			const past = await term.waitFor(/⏸ \d\d:\d\d:\d\d \(\d+s ago\)/);
			assert.match(past, weights(90, 10), 'the panels show the old weight');
			assert.match(past, /traffic 90% \| 10%/);
			assert.doesNotMatch(past, /● live/);
			assert.match(past, /next \d\d:\d\d:\d\d weight checkout 90% → 60%/);
			// The past is for looking: an action key says so and changes nothing.
			term.keys('5');
			await term.waitFor(/set weight 50%: actions act only on the present — end returns to it/);
			term.keys('End');
			const live = await term.waitFor(/● live/);
			assert.match(live, weights(60, 40));
			// An action in the present, confirmed: its audit Event becomes a mark that says who.
			term.keys('2');
			await term.waitFor(/apply\? y yes/);
			term.keys('y');
			await term.waitFor(weights(80, 20), 20_000);
			await term.waitFor(/last \d\d:\d\d:\d\d admin set the weight of checkout-canary 40% ->/, 20_000);
			await quit(term);
			assert.match(term.screen(), /Recorded \d+s of deploy\/checkout to .*view\.ndjson\.gz: \d+ records, \d+ KB/);
		} finally {
			term.kill();
		}
		const report = await runCli(['replay', file, '--report'], t.kubeconfigPath);
		assert.equal(report.code, 0, report.stderr);
		assert.match(report.stdout, /\| weight \| checkout 90% → 60%, checkout-canary 10% → 40% \|/);
		assert.match(report.stdout, /\| \d\d:\d\d:\d\d \| admin \| set the weight of checkout-canary 40% -> 20% \(VirtualService\/checkout\) \| by hand \|/);
	});
});

describe('record and replay canary-bad with a real Prometheus', {skip: !hasPrometheus && 'needs the prometheus binary (Debian package prometheus)'}, () => {
	let t: TestSim;
	let prom: LocalPrometheus;
	let dir: string;
	let file: string;
	let recorded: {code: number | null; stdout: string; stderr: string};

	before(async () => {
		t = await startTestSim({scenario: 'canary-bad', speed: 20});
		prom = await startLocalPrometheus({targets: [new URL(t.sim.metricsUrl).host], scrapeSeconds: 1});
		dir = mkdtempSync(join(tmpdir(), 'rollscope-record-e2e-'));
		file = join(dir, 'canary-bad.ndjson.gz');
		const config = join(dir, 'config.yaml');
		// Eight failing windows before fail: the verdict fails well after the change below, not before it.
		writeFileSync(config, 'metrics:\n  rateWindow: 10s\n  window: 2m\nverdict:\n  failAfter: 8\n');
		const run = runCli(['record', 'deploy/checkout', '-n', 'canary-bad', '-o', file, '--for', '1m', '--prometheus', prom.url, '--config', config, '--interval', '1', '--window', '10s'], t.kubeconfigPath);
		// Early in the minute (before the verdict can fail): the canary to 30% and a new revision of it. Not before
		// the recording holds the VirtualService at 10% (its header is written before anything is listed, and a
		// loaded machine may take seconds to list), and 2.5 s after it: the replay at a second before the change
		// must find that state.
		const recordedAt = await waitFor('the VirtualService in the recording', async () => {
			let at: number | undefined;
			try {
				await readRecording(file, entry => {
					if (entry.kind === 'object' && entry.field === 'routers' && entry.object.kind === 'VirtualService') at = entry.t;
					return at === undefined ? undefined : 'stop';
				});
			} catch {
				// not there yet, or cut before its header ends
			}
			return at;
		}, 30_000, 200);
		await new Promise(r => setTimeout(r, Math.max(0, recordedAt! + 2500 - Date.now())));
		await setWeights(t, 'canary-bad', 70, 30);
		await kubectlOk(t, ['-n', 'canary-bad', 'set', 'image', 'deploy/checkout-canary', 'checkout=registry.local/checkout:1.4.0']);
		recorded = await run;
	});

	after(async () => {
		await prom?.stop();
		await t?.stop();
		if (dir) rmSync(dir, {recursive: true, force: true});
	});

	test('rollscope record ran the minute and says what it wrote', () => {
		assert.equal(recorded.code, 0, recorded.stderr);
		assert.match(recorded.stderr, /recording deploy\/checkout in canary-bad to .* for 1m00s with SLIs from prometheus 127\.0\.0\.1:\d+/);
		assert.match(recorded.stdout, /recorded 1m0\ds of deploy\/checkout in canary-bad to .*: \d+ records, \d+ KB/);
	});

	test('--report lists the weight step and the verdict turning to fail with its figures', async () => {
		const r = await runCli(['replay', file, '--report'], t.kubeconfigPath);
		assert.equal(r.code, 0, r.stderr);
		assert.match(r.stdout, /^# canary-bad\/checkout: what happened/);
		assert.match(r.stdout, /\| weight \| checkout 90% → 70%, checkout-canary 10% → 30% \|/);
		assert.match(r.stdout, /\| revision \| revision \d+ of checkout-canary \(1\.4\.0\) \|/);
		assert.match(r.stdout, /\| verdict \| \w+ → fail: (errors \d+(\.\d+)? % vs \d+(\.\d+)? %, p [<=] [\d.]+|p95 .+) \|/);
	});

	test('--once --at two moments shows the two states: weights, revisions, verdict', async () => {
		const json = await runCli(['replay', file, '--report'], t.kubeconfigPath);
		// A second before the weight step, and a second after the verdict failed (clock times are whole seconds).
		const shifted = (hhmmss: string, seconds: number) => {
			const [h, m, s] = hhmmss.split(':').map(Number) as [number, number, number];
			const d = new Date();
			d.setHours(h, m, s + seconds, 0);
			return clock(d.getTime());
		};
		const weightAt = /\| (\d\d:\d\d:\d\d) \| weight \|/.exec(json.stdout)![1]!;
		const failAt = shifted(/\| (\d\d:\d\d:\d\d) \| verdict \| \w+ → fail/.exec(json.stdout)![1]!, 1);
		const early = await runCli(['replay', file, '--once', '--at', shifted(weightAt, -1), '-o', 'json'], t.kubeconfigPath);
		assert.equal(early.code, 0, early.stderr);
		const late = await runCli(['replay', file, '--once', '--at', failAt, '-o', 'json'], t.kubeconfigPath);
		assert.equal(late.code, 0, late.stderr);
		const a = JSON.parse(early.stdout);
		const b = JSON.parse(late.stdout);
		const canary = (x: any) => x.release.versions.find((v: any) => v.id === 'checkout-canary');
		assert.equal(a.release.traffic.weights['checkout-canary'], 10);
		assert.equal(b.release.traffic.weights['checkout-canary'], 30);
		assert.ok(canary(b).revision > canary(a).revision, `revision ${canary(a).revision} then ${canary(b).revision}`);
		assert.deepEqual(canary(b).images, ['registry.local/checkout:1.4.0']);
		assert.notEqual(a.verdict?.state, 'fail');
		assert.equal(b.verdict.state, 'fail');
		assert.ok(canary(b).sli.errorRatio > 0.02, `the canary's recorded error ratio ${canary(b).sli.errorRatio}`);
		const text = await runCli(['replay', file, '--once', '--at', failAt], t.kubeconfigPath);
		assert.equal(text.code, 0, text.stderr);
		assert.match(text.stdout, new RegExp(`at ${failAt} on \\d{4}-\\d\\d-\\d\\d`));
		assert.match(text.stdout, /verdict: fail — /);
		assert.match(text.stdout, /checkout-canary +canary +\d+ +\d+\/\d+ +\d+ +30% +registry\.local\/checkout:1\.4\.0/);
		assert.match(text.stdout, /SLIs from prometheus 127\.0\.0\.1:\d+ · istio at \d\d:\d\d:\d\d/);
	});

	test('a recording cut in the middle of a line still replays, up to where it was cut', async () => {
		const whole = readFileSync(file);
		const cut = join(dir, 'cut.ndjson.gz');
		// A cut from 60% of the bytes on that leaves a line half written.
		let size = Math.floor(whole.length * 0.6);
		for (; size < whole.length; size += 7) {
			writeFileSync(cut, whole.subarray(0, size));
			if ((await readRecording(cut, () => undefined)).cut) break;
		}
		assert.ok(size < whole.length, 'a cut in the middle of a line');
		const r = await runCli(['replay', cut, '--once', '-o', 'json'], t.kubeconfigPath);
		assert.equal(r.code, 0, r.stderr);
		const state = JSON.parse(r.stdout);
		assert.equal(state.release.name, 'checkout');
		const report = await runCli(['replay', cut, '--report'], t.kubeconfigPath);
		assert.equal(report.code, 0, report.stderr);
		assert.match(report.stdout, /\| weight \| checkout 90% → 70%, checkout-canary 10% → 30% \|/);
	});
});
