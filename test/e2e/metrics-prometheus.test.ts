// SLIs end to end: a real Prometheus (Debian's `prometheus`, started here on a free loopback port)
// scrapes the simulated cluster's /metrics every second; rollscope's numbers must equal what the
// same PromQL returns from Prometheus directly; the bad canary must look bad; and an outage of
// Prometheus must show in the panels while the pods stay live, and heal without a restart.
import assert from 'node:assert/strict';
import {mkdtempSync, rmSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {after, before, describe, test} from 'node:test';
import {formatValue} from '../../source/metrics/format.js';
import {startPoller} from '../../source/live/metrics-poller.js';
import {PromClient} from '../../source/metrics/prometheus-client.js';
import {findOnPath, startLocalPrometheus, type LocalPrometheus} from '../../source/metrics/prometheus-server.js';
import {prometheusSource} from '../../source/metrics/prometheus-source.js';
import type {QueryPlan} from '../../source/metrics/queries.js';
import {metricsSettings} from '../../source/config/metrics.js';
import {slis, type SliKey} from '../../source/metrics/slis.js';
import {buildRelease} from '../../source/kinds/registry.js';
import {findReleases} from '../../source/kinds/registry.js';
import type {Release} from '../../source/release/model.js';
import type {ClusterSnapshot} from '../../source/release/snapshot.js';
import {Store} from '../../source/store/store.js';
import {initialState} from '../../source/store/state.js';
import {runCli} from '../helpers/cli.js';
import {startTestSim, waitFor, type TestSim} from '../helpers/sim.js';
import {cliCommand, repoRoot, Terminal} from '../helpers/tmux.js';

const namespace = 'canary-bad';
const hasPrometheus = Boolean(findOnPath('prometheus'));

/** Run PromQL on Prometheus with plain fetch (not rollscope's client): the value per label set. */
async function direct(url: string, query: string, timeMs: number): Promise<Array<{labels: Record<string, string>; value: number}>> {
	const body = new URLSearchParams({query, time: String(timeMs / 1000)});
	const res = await fetch(`${url}/api/v1/query`, {method: 'POST', body});
	const json = (await res.json()) as {status: string; data: {result: Array<{metric: Record<string, string>; value: [number, string]}>}};
	assert.equal(json.status, 'success', JSON.stringify(json));
	return json.data.result.map(r => ({labels: r.metric, value: r.value[1] === '+Inf' ? Infinity : Number(r.value[1])}));
}

/** The direct value of one SLI for one version, through the plan's own mapping of labels to versions. */
async function directValue(url: string, plan: QueryPlan, key: SliKey, versionId: string, timeMs: number): Promise<number> {
	const rows = await direct(url, plan.queries[key]!, timeMs);
	return rows.find(r => plan.versionOf(r.labels) === versionId)?.value ?? NaN;
}

function snapshotOf(t: TestSim): ClusterSnapshot {
	const {store} = t.sim;
	return {
		namespace,
		deployments: store.list('apps/deployments', namespace),
		replicaSets: store.list('apps/replicasets', namespace),
		pods: store.list('pods', namespace),
		services: store.list('services', namespace),
		events: [],
		routers: [...store.list('networking.istio.io/virtualservices', namespace), ...store.list('networking.istio.io/destinationrules', namespace)],
		now: Date.now(),
	};
}

const isReady = (p: {status?: any}) => (p.status?.conditions ?? []).some((c: {type?: string; status?: string}) => c.type === 'Ready' && c.status === 'True');


/** Equal but for the last bits: Prometheus may add a sum's terms in another order on another evaluation. */
function assertSameFloat(actual: number, expected: number, message: string): void {
	assert.ok(typeof actual === 'number' && Math.abs(actual - expected) <= 1e-9 * Math.max(1, Math.abs(expected)), `${message}: ${actual} vs ${expected}`);
}

describe('SLIs from a real Prometheus scraping the sim', {skip: !hasPrometheus && 'needs the prometheus binary (Debian package prometheus)'}, () => {
	let t: TestSim;
	let prom: LocalPrometheus;
	let dir: string;
	let configFile: string;
	let release: Release;
	const promDirs: string[] = [];

	before(async () => {
		t = await startTestSim({scenario: namespace, speed: 1});
		await waitFor('pods ready', () => t.sim.store.list('pods', namespace).filter(isReady).length >= 6, 30_000);
		prom = await startLocalPrometheus({targets: [new URL(t.sim.metricsUrl).host], scrapeSeconds: 1});
		promDirs.push(prom.dir);
		dir = mkdtempSync(join(tmpdir(), 'rollscope-metrics-e2e-'));
		configFile = join(dir, 'config.yaml');
		// Prometheus scrapes every second here: a 10 s rate window is 10 scrapes.
		writeFileSync(configFile, 'metrics:\n  rateWindow: 10s\n  window: 2m\n');
		release = buildRelease(snapshotOf(t), findReleases(snapshotOf(t)).find(r => r.target === 'deploy/checkout')!);
		// Wait until the canary's errors have been scraped over a whole rate window.
		await waitFor('12 s of scraped errors', async () => {
			const rows = await direct(prom.url, `count_over_time(istio_requests_total{destination_workload="checkout-canary", response_code="500"}[12s])`, Date.now());
			return rows.length > 0 && rows.every(r => r.value >= 11);
		}, 60_000, 500);
	});

	after(async () => {
		await prom?.stop();
		await t?.stop();
		for (const d of [...promDirs, dir]) if (d) rmSync(d, {recursive: true, force: true});
	});

	test("the poller's numbers equal the same PromQL run on Prometheus directly", async () => {
		const settings = metricsSettings({rateWindow: 10, window: 120}, {interval: 1});
		const source = prometheusSource(new PromClient({url: prom.url}), settings);
		const store = new Store({...initialState('sim', namespace, 'deploy/checkout'), release}, 0);
		const poller = startPoller({store, source, settings});
		try {
			await waitFor('SLIs in the store', () => store.getState().metrics?.status.state === 'ok' && (store.getState().metrics!.rows[0]!.values.checkout ?? []).some(v => !Number.isNaN(v)), 20_000);
			// Let a few more steps settle, then compare a step the poller has read at least twice.
			await new Promise(r => setTimeout(r, 3500));
			await poller.refresh();
			const metrics = store.getState().metrics!;
			assert.equal(source.lastPlan?.preset, 'istio', 'detected from the metric names in the namespace');
			const index = metrics.rows[0]!.values.checkout!.length - 4;
			const time = metrics.end! - 3 * metrics.stepMs;
			let compared = 0;
			for (const row of metrics.rows) {
				for (const version of release.versions) {
					const mine = row.values[version.id]![index]!;
					const theirs = await directValue(prom.url, source.lastPlan!, row.key, version.id, time);
					if (Number.isNaN(theirs)) {
						assert.ok(Number.isNaN(mine), `${row.key} ${version.id}: Prometheus has no data, rollscope ${mine}`);
						continue;
					}
					assertSameFloat(mine, theirs, `${row.key} of ${version.id} at ${new Date(time).toISOString()}`);
					compared++;
				}
			}
			assert.ok(compared >= 10, `compared ${compared} values`);
			assert.equal(metrics.queries, 6, 'one query per SLI for both versions');
		} finally {
			poller.stop();
		}
	});

	test('--once -o json carries each version’s latest SLIs, equal to Prometheus’s; the bad canary is worse', async () => {
		const {code, stdout, stderr} = await runCli(['deploy/checkout', '-n', namespace, '--once', '-o', 'json', '--prometheus', prom.url, '--config', configFile, '--interval', '1'], t.kubeconfigPath);
		assert.equal(code, 0, stderr);
		const json = JSON.parse(stdout) as Release;
		assert.match(json.metrics!.source, /^prometheus 127\.0\.0\.1:\d+ · istio$/);
		const time = Date.parse(json.metrics!.time);
		const stable = json.versions.find(v => v.id === 'checkout')!.sli!;
		const canary = json.versions.find(v => v.id === 'checkout-canary')!.sli!;
		assert.ok(canary.errorRatio! > stable.errorRatio!, `error ratio canary ${canary.errorRatio} vs stable ${stable.errorRatio}`);
		assert.ok(canary.p95Seconds! > stable.p95Seconds!, `p95 canary ${canary.p95Seconds} vs stable ${stable.p95Seconds}`);
		assert.ok(canary.errorRatio! > 0.02 && stable.errorRatio! < 0.01);
		const source = prometheusSource(new PromClient({url: prom.url}), metricsSettings({rateWindow: 10}, {interval: 1}));
		const plan = (await source.plan(release))!;
		const fields: Record<SliKey, keyof typeof stable> = {requestRate: 'requestsPerSecond', errorRatio: 'errorRatio', p95: 'p95Seconds', p99: 'p99Seconds', cpu: 'cpuCores', memory: 'memoryBytes'};
		for (const version of json.versions) {
			for (const [key, field] of Object.entries(fields) as Array<[SliKey, keyof typeof stable]>) {
				const theirs = await directValue(prom.url, plan, key, version.id, time);
				const mine = version.sli![field];
				if (!Number.isFinite(theirs)) assert.equal(mine, null, `${key} of ${version.id}`);
				else assertSameFloat(mine as number, theirs, `${key} of ${version.id}`);
			}
		}
		const measured = json.metrics!.measuredTraffic!;
		assert.ok(Math.abs(measured['checkout-canary']! - 10) < 3, `measured ${JSON.stringify(measured)}`);
	});

	test('the live view shows the same numbers; a Prometheus outage shows in the panels while pods stay live, and heals', async () => {
		const term = new Terminal(cliCommand(`deploy/checkout -n ${namespace} --prometheus ${prom.url} --config ${configFile} --interval 1`), {width: 240, height: 50, env: {KUBECONFIG: t.kubeconfigPath}});
		try {
			await term.waitFor(/SLIs: prometheus 127\.0\.0\.1:\d+ · istio @ \d\d:\d\d:\d\d/, 30_000);
			await term.waitFor(/│ err .*%.*││ err .*%/, 20_000);
			const plan = (await prometheusSource(new PromClient({url: prom.url}), metricsSettings({rateWindow: 10}, {interval: 1})).plan(release))!;

			// The screen's values are the same PromQL at the time the header gives (retry if a frame was caught half drawn).
			let mismatch = '';
			for (let attempt = 0; attempt < 6; attempt++) {
				const screen = term.screen();
				const clock = /@ (\d\d):(\d\d):(\d\d)/.exec(screen)!;
				const at = new Date();
				at.setHours(Number(clock[1]), Number(clock[2]), Number(clock[3]), 0);
				if (at.getTime() > Date.now() + 3_600_000) at.setDate(at.getDate() - 1);
				mismatch = '';
				for (const key of ['requestRate', 'errorRatio', 'p95', 'p99'] as const) {
					const line = screen.split('\n').find(l => l.includes(`│ ${slis[key].label} `)) ?? '';
					const shown = line.split('││').map(cell => /(no data|\S+)\s*(?:[>≤] \S+)?$/.exec(cell.replace(/│/g, ' ').trimEnd())?.[1]);
					const expected = [];
					for (const id of ['checkout', 'checkout-canary']) expected.push(formatValue(await directValue(prom.url, plan, key, id, at.getTime()), slis[key].unit));
					if (shown.join(' ') !== expected.join(' ')) mismatch += `${key}: screen ${shown.join(' ')} vs prometheus ${expected.join(' ')} at ${clock[0]}\n`;
				}
				if (!mismatch) break;
				await new Promise(r => setTimeout(r, 700));
			}
			assert.equal(mismatch, '', mismatch);

			// Outage: stop Prometheus by its PID.
			await prom.stop({keepData: true});
			const down = await term.waitFor(/unreachable since \d\d:\d\d:\d\d: connect ECONNREFUSED/, 20_000);
			assert.equal(down.split('\n').find(l => l.includes('unreachable since'))!.split('unreachable since').length - 1, 2, 'said in both panels');
			assert.match(down, /● live/, 'the cluster connection is unaffected');
			assert.match(down, /PODS/);
			// The pods stay live: a change made now shows while Prometheus is down.
			const r = await t.kubectl(['-n', namespace, 'scale', 'deploy/checkout-canary', '--replicas=3']);
			assert.equal(r.code, 0, r.stderr);
			const scaled = await term.waitFor(/3\/3 ready/, 30_000);
			assert.match(scaled, /unreachable since/);

			// Prometheus comes back on the same port with its data: the view recovers by itself.
			const restartedAt = Date.now();
			prom = await startLocalPrometheus({targets: [new URL(t.sim.metricsUrl).host], scrapeSeconds: 1, dir: prom.dir, port: prom.port});
			await waitFor('the outage gone from the screen', () => !/unreachable/.test(term.screen()), 30_000, 200);
			const healed = await term.waitFor(/SLIs: prometheus 127\.0\.0\.1:\d+ · istio @ \d\d:\d\d:\d\d/, 10_000);
			const clock = /@ (\d\d):(\d\d):(\d\d)/.exec(healed)!;
			const at = new Date();
			at.setHours(Number(clock[1]), Number(clock[2]), Number(clock[3]), 0);
			assert.ok(at.getTime() >= Math.floor(restartedAt / 1000) * 1000 - 2000, `fresh data after the restart (${clock[0]})`);
			await term.waitFor(/│ req .*\/s.*││ req .*\/s/, 30_000);
			term.keys('q');
			await term.waitFor(/\[exited 0\]/);
		} finally {
			term.kill();
		}
	});
});

describe('rollscope demo says where its SLIs come from', () => {
	test('a local Prometheus when one is on the PATH, else the sim in-process', async () => {
		const withPath = hasPrometheus ? process.env.PATH! : '';
		const cases: Array<[string, RegExp, RegExp]> = [['/nonexistent', /SLIs: sim \(in-process\)/, /SLIs and the verdict came from the sim's own series in-process \(no prometheus binary on the PATH\)/]];
		if (withPath) cases.push([withPath, /SLIs: local prometheus 127\.0\.0\.1:\d+/, /SLIs came from a local Prometheus \(pid \d+, http:\/\/127\.0\.0\.1:\d+\)/]);
		for (const [path, header, farewell] of cases) {
			const term = new Terminal(`cd ${repoRoot} && PATH=${path} ${process.execPath} --import tsx source/cli.tsx demo --scenario canary-bad --interval 1`, {width: 240, height: 45});
			try {
				await term.waitFor(header, 30_000);
				await term.waitFor(/│ err .*%/, 30_000);
				term.keys('q');
				await term.waitFor(/\[exited 0\]/, 15_000);
				const end = await term.waitFor(farewell, 5000);
				const pid = /pid (\d+)/.exec(end)?.[1];
				if (pid) assert.throws(() => process.kill(Number(pid), 0), 'the local Prometheus stopped with the demo');
			} finally {
				term.kill();
			}
		}
	});
});
