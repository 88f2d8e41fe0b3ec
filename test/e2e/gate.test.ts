// `rollscope gate` end to end: the sim (fast clock, so traffic piles up quickly) scraped every second by a
// real Prometheus, or without one the sim's own series from its API server; the gate runs as a child process
// without a TTY and ends with its exit code. And with Prometheus down or failing for the whole run, exit 4.
import assert from 'node:assert/strict';
import {mkdtempSync, rmSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {after, before, describe, test} from 'node:test';
import {findOnPath, startLocalPrometheus, type LocalPrometheus} from '../../source/metrics/prometheus-server.js';
import {startTestSim, waitFor, type TestSim} from '../helpers/sim.js';
import {runCli} from '../helpers/cli.js';
import {fakePrometheus} from '../metrics/fake-prometheus.js';
import {closedPort} from '../helpers/ports.js';

const hasPrometheus = Boolean(findOnPath('prometheus'));
const dir = mkdtempSync(join(tmpdir(), 'rollscope-gate-'));
after(() => rmSync(dir, {recursive: true, force: true}));

const gate = (t: TestSim, args: string[]) => runCli(['gate', ...args], t.kubeconfigPath);

async function start(scenario: string): Promise<{t: TestSim; prom: LocalPrometheus}> {
	const t = await startTestSim({scenario, speed: 20});
	const prom = await startLocalPrometheus({targets: [new URL(t.sim.metricsUrl).host], scrapeSeconds: 1});
	return {t, prom};
}

describe('rollscope gate with the sim and a real Prometheus', {skip: !hasPrometheus && 'needs the prometheus binary (Debian package prometheus)'}, () => {
	const running: Array<{t: TestSim; prom: LocalPrometheus}> = [];
	let bad: {t: TestSim; prom: LocalPrometheus};
	let good: {t: TestSim; prom: LocalPrometheus};

	before(async () => {
		bad = await start('canary-bad');
		running.push(bad);
		good = await start('canary');
		running.push(good);
	});

	after(async () => {
		for (const r of running) {
			await r.prom.stop();
			await r.t.stop();
		}
	});

	test('canary-bad: exits 1 with an SLO failure, one progress line per interval', async () => {
		const r = await gate(bad.t, ['deploy/checkout', '-n', 'canary-bad', '--prometheus', bad.prom.url, '--for', '60s', '--window', '10s', '--interval', '1']);
		assert.equal(r.code, 1, r.stdout + r.stderr);
		assert.match(r.stdout, /^\d\d:\d\d:\d\d {2}fail {7}(errors|p95) /m);
		assert.match(r.stdout, /marginal .*\(failing window 1 of 3\)/);
		assert.match(r.stdout, /^result: failed \(exit 1\): SLO failure: /m);
	});

	test('canary-bad with the config file: its interval and window, and fail at the first failing window with failAfter 1', async () => {
		const config = join(dir, 'verdict.yaml');
		writeFileSync(config, 'metrics:\n  interval: 1s\nverdict:\n  window: 10s\n  failAfter: 1\n');
		const r = await gate(bad.t, ['deploy/checkout', '-n', 'canary-bad', '--prometheus', bad.prom.url, '--for', '60s', '--config', config]);
		assert.equal(r.code, 1, r.stdout + r.stderr);
		assert.match(r.stdout, / over 10s windows every 1s /);
		assert.doesNotMatch(r.stdout, /failing window/);
		assert.match(r.stdout, /^result: failed \(exit 1\): SLO failure: /m);
	});

	test('canary-bad with --abort-on-fail -o json: exits 1 and leaves the canary without traffic', async () => {
		const r = await gate(bad.t, ['deploy/checkout', '-n', 'canary-bad', '--prometheus', bad.prom.url, '--for', '60s', '--window', '10s', '--interval', '1', '--abort-on-fail', '-o', 'json']);
		assert.equal(r.code, 1, r.stdout + r.stderr);
		const json = JSON.parse(r.stdout) as {exitCode: number; result: string; history: Array<{state: string}>; final: {verdict: {state: string}}; abort: {ok: boolean}};
		assert.equal(json.exitCode, 1);
		assert.equal(json.result, 'failed');
		assert.equal(json.final.verdict.state, 'fail');
		assert.equal(json.history.at(-1)!.state, 'fail');
		assert.equal(json.abort.ok, true, r.stderr);
		const vs = await bad.t.kubectl(['-n', 'canary-bad', 'get', 'virtualservice', '-o', 'json']);
		assert.equal(vs.code, 0, vs.stderr);
		const routes = (JSON.parse(vs.stdout) as {items: Array<{spec: {http: Array<{route: Array<{destination: {subset?: string; host: string}; weight?: number}>}>}}>}).items.flatMap(i => i.spec.http.flatMap(h => h.route));
		const canaryRoutes = routes.filter(route => /canary/.test(route.destination.subset ?? route.destination.host));
		assert.ok(canaryRoutes.length > 0, JSON.stringify(routes));
		for (const route of canaryRoutes) assert.equal(route.weight ?? 0, 0, JSON.stringify(routes));
		await waitFor('the canary scaled to 0', async () => {
			const d = await bad.t.kubectl(['-n', 'canary-bad', 'get', 'deploy/checkout-canary', '-o', 'jsonpath={.spec.replicas}']);
			return d.stdout.trim() === '0';
		});
	});

	test('canary: exits 0, healthy for the whole duration', async () => {
		const r = await gate(good.t, ['deploy/checkout', '-n', 'canary', '--prometheus', good.prom.url, '--for', '20s', '--window', '10s', '--interval', '1', '--max-error-ratio', '2%', '--max-p95', '2s']);
		assert.equal(r.code, 0, r.stdout + r.stderr);
		assert.match(r.stdout, /^\d\d:\d\d:\d\d {2}pass {7}errors /m);
		assert.match(r.stdout, /^result: healthy \(exit 0\): healthy for the whole duration/m);
	});

	test('usage errors exit 2', async () => {
		const noTarget = await gate(good.t, ['--prometheus', good.prom.url]);
		assert.equal(noTarget.code, 2);
		assert.match(noTarget.stderr, /give a TARGET/);
		const badFor = await gate(good.t, ['deploy/checkout', '-n', 'canary', '--prometheus', good.prom.url, '--for', 'soon']);
		assert.equal(badFor.code, 2);
		assert.match(badFor.stderr, /--for: expected a duration/);
		const noProm = await gate(good.t, ['deploy/checkout', '-n', 'canary', '--config', '/nonexistent/config.yaml']);
		assert.equal(noProm.code, 2, noProm.stderr);
		const config = join(dir, 'bad-verdict.yaml');
		writeFileSync(config, 'verdict:\n  alpha: 5\n  failAfter: 0\n');
		const badConfig = await gate(good.t, ['deploy/checkout', '-n', 'canary', '--prometheus', good.prom.url, '--config', config]);
		assert.equal(badConfig.code, 2, badConfig.stderr);
		assert.match(badConfig.stderr, /line 2: verdict\.alpha: expected a significance level/);
		assert.match(badConfig.stderr, /line 3: verdict\.failAfter: expected a whole number of at least 1, got 0/);
	});
});

describe('rollscope gate when Prometheus is down for the whole run', () => {
	let t: TestSim;
	before(async () => {
		t = await startTestSim({scenario: 'canary'});
	});
	after(async () => {
		await t.stop();
	});

	test('unreachable: exit 4, not 3 (still collecting)', async () => {
		const port = await closedPort();
		const r = await gate(t, ['deploy/checkout', '-n', 'canary', '--prometheus', `http://127.0.0.1:${port}`, '--metrics', 'istio', '--for', '3s', '--interval', '1']);
		assert.equal(r.code, 4, r.stdout + r.stderr);
		assert.match(r.stdout, /no answer +Prometheus at 127\.0\.0\.1:\d+/);
		assert.match(r.stdout, /^result: unreachable \(exit 4\): Prometheus did not answer any of \d+ request\(s\) during the whole run: nothing was judged$/m);
	});

	test('failing (HTTP 500 to every query): exit 4, and -o json says unreachable', async () => {
		const prom = await fakePrometheus(() => ({status: 500, body: 'internal error', contentType: 'text/plain'}));
		try {
			const r = await gate(t, ['deploy/checkout', '-n', 'canary', '--prometheus', prom.url, '--for', '3s', '--interval', '1', '-o', 'json']);
			assert.equal(r.code, 4, r.stdout + r.stderr);
			const json = JSON.parse(r.stdout) as {exitCode: number; result: string};
			assert.equal(json.exitCode, 4);
			assert.equal(json.result, 'unreachable');
			assert.ok(prom.seen.length > 0, 'it did ask');
		} finally {
			await prom.close();
		}
	});
});

describe('rollscope gate on a rollscope sim without a Prometheus', () => {
	let t: TestSim;

	before(async () => {
		t = await startTestSim({scenario: 'canary-bad', speed: 20});
	});

	after(async () => {
		await t?.stop();
	});

	test('canary-bad: judged from the sim\'s own series, exits 1 with an SLO failure', async () => {
		const r = await gate(t, ['deploy/checkout', '-n', 'canary-bad', '--for', '90s', '--window', '10s', '--interval', '1']);
		assert.equal(r.code, 1, r.stdout + r.stderr);
		assert.match(r.stdout, /over 10s windows every 1s for 90s \(counts from the sim's own series\)/);
		assert.match(r.stdout, /marginal .*\(failing window 1 of 3\)/);
		assert.match(r.stdout, /^result: failed \(exit 1\): SLO failure: /m);
	});
});
