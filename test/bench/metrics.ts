// Metrics benchmarks with 20 versions and 1,000 pods: the cost of the sim's /metrics, then queries
// per refresh and refresh latency through the poller, from a real Prometheus scraping the sim (when
// the binary is on the PATH) and from the sim's own series in-process. Prints figures.
import {startPoller} from '../../source/live/metrics-poller.js';
import {PromClient} from '../../source/metrics/prometheus-client.js';
import {findOnPath, startLocalPrometheus} from '../../source/metrics/prometheus-server.js';
import {prometheusSource} from '../../source/metrics/prometheus-source.js';
import {type MetricsSettings} from '../../source/metrics/settings.js';
import {metricsSettings} from '../../source/config/metrics.js';
import {simSource} from '../../source/commands/sim-slis.js';
import type {MetricsSource} from '../../source/metrics/source.js';
import type {Release, Version} from '../../source/release/model.js';
import {startSim, type Sim} from '../../source/sim/cluster.js';
import {MetricsHistory} from '../../source/sim/metrics-history.js';
import {initialState} from '../../source/store/state.js';
import {Store} from '../../source/store/store.js';

const versions = 20;
const podsPerVersion = 50;
const namespace = 'bench';

const sleep = (ms: number) => new Promise(r => setTimeout(r, ms));
const percentile = (xs: number[], p: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.ceil((p / 100) * xs.length) - 1)]!;
const ms = (x: number) => `${x.toFixed(1)} ms`;
const name = (i: number) => `bench-v${String(i + 1).padStart(2, '0')}`;

/** 20 Deployments of 50 pods behind one Service: 20 versions, 1,000 pods. */
async function benchCluster(): Promise<Sim> {
	const sim = await startSim({scenario: 'rolling', still: true, speed: 20});
	const {store} = sim;
	store.create('namespaces', {apiVersion: 'v1', kind: 'Namespace', metadata: {name: namespace}});
	store.create('services', {apiVersion: 'v1', kind: 'Service', metadata: {name: 'bench', namespace}, spec: {selector: {app: 'bench'}, ports: [{port: 80, targetPort: 8080}]}});
	for (let i = 0; i < versions; i++) {
		const labels = {app: 'bench', version: name(i)};
		store.create('apps/deployments', {
			apiVersion: 'apps/v1',
			kind: 'Deployment',
			metadata: {name: name(i), namespace, labels},
			spec: {
				replicas: podsPerVersion,
				selector: {matchLabels: labels},
				template: {
					metadata: {labels, annotations: {'sim.rollscope.dev/error-rate': String(0.001 * (i + 1)), 'sim.rollscope.dev/latency-ms': String(40 + 10 * i)}},
					spec: {containers: [{name: 'app', image: `registry.local/bench:1.0.${i}`}]},
				},
			},
		});
	}
	const ready = () => store.list('pods', namespace).filter(p => (p.status?.conditions ?? []).some((c: {type?: string; status?: string}) => c.type === 'Ready' && c.status === 'True')).length;
	for (let i = 0; i < 600 && ready() < versions * podsPerVersion; i++) await sleep(100);
	return sim;
}

function benchRelease(): Release {
	const version = (i: number): Version => ({
		id: name(i),
		role: i === 0 ? 'stable' : 'canary',
		workload: name(i),
		workloadKind: 'Deployment',
		images: [`registry.local/bench:1.0.${i}`],
		desired: podsPerVersion,
		pods: podsPerVersion,
		ready: podsPerVersion,
		available: podsPerVersion,
		restarts: 0,
		phases: {Running: podsPerVersion},
		selector: `app=bench,version=${name(i)}`,
	});
	return {target: 'svc/bench', namespace, name: 'bench', kind: 'canary', versions: Array.from({length: versions}, (_, i) => version(i)), pods: [], revisions: [], events: [], services: ['bench']};
}

/** Fill the window once, then `rounds` refreshes a step apart: queries per refresh, latency, values seen. */
async function refreshes(source: MetricsSource, settings: MetricsSettings, rounds: number): Promise<string[]> {
	const release = benchRelease();
	const store = new Store({...initialState('bench', namespace, release.target), release}, 0);
	const poller = startPoller({store, source, settings});
	const lines: string[] = [];
	try {
		for (let i = 0; i < 100 && store.getState().metrics?.status.state !== 'ok'; i++) await sleep(50);
		lines.push(`fill (${settings.window / 60} min window): ${ms(poller.stats.lastLatencyMs ?? NaN)}, ${poller.stats.queries} queries`);
		const latencies: number[] = [];
		const queries = new Set<number>();
		for (let i = 0; i < rounds; i++) {
			await sleep(settings.interval * 1000);
			await poller.refresh();
			latencies.push(poller.stats.lastLatencyMs!);
			queries.add(poller.stats.queries);
		}
		const metrics = store.getState().metrics!;
		const withData = metrics.rows.find(r => r.key === 'requestRate')!;
		const seen = Object.values(withData.values).filter(v => !Number.isNaN(v.at(-1)!)).length;
		lines.push(`queries per refresh: ${[...queries].join(', ')} (${versions} versions, ${versions * podsPerVersion} pods)`);
		lines.push(`refresh latency: p50 ${ms(percentile(latencies, 50))}, p99 ${ms(percentile(latencies, 99))} over ${rounds} refreshes; ${seen}/${versions} versions with a request rate; status ${metrics.status.state}`);
	} finally {
		poller.stop();
	}
	return lines;
}

export async function benchMetrics(): Promise<string[]> {
	const lines: string[] = [];
	const sim = await benchCluster();
	try {
		const pods = sim.store.list('pods').length;
		sim.metrics.exposition();
		const times: number[] = [];
		let text = '';
		for (let i = 0; i < 20; i++) {
			const began = performance.now();
			text = sim.metrics.exposition();
			times.push(performance.now() - began);
		}
		const series = text.split('\n').filter(l => l !== '' && !l.startsWith('#')).length;
		lines.push(`sim /metrics with ${pods} pods: ${series} series, ${(text.length / 1024 / 1024).toFixed(1)} MiB, render p50 ${ms(percentile(times, 50))}, p99 ${ms(percentile(times, 99))}`);

		const settings = metricsSettings({rateWindow: 10, window: 600}, {interval: 1});
		if (findOnPath('prometheus')) {
			const prom = await startLocalPrometheus({targets: [new URL(sim.metricsUrl).host], scrapeSeconds: 1});
			try {
				await sleep(15_000);
				const source = prometheusSource(new PromClient({url: prom.url, timeoutMs: 10_000}), {...settings, preset: 'generic'});
				lines.push('prometheus (local, scraping the sim every second):');
				lines.push(...(await refreshes(source, settings, 20)).map(l => `  ${l}`));
			} finally {
				await prom.stop();
			}
		} else {
			lines.push('prometheus: not on the PATH, skipped');
		}
		const history = new MetricsHistory(sim.metrics);
		history.start();
		await sleep(12_000);
		lines.push('sim in-process source:');
		lines.push(...(await refreshes(simSource(history, settings), settings, 10)).map(l => `  ${l}`));
		history.stop();
	} finally {
		await sim.stop();
	}
	return lines;
}
