// Metrics for a run, from flags, environment and config: off, a Prometheus-compatible API, or for
// the demo a private Prometheus scraping the sim (when the binary is on the PATH) or the sim's own
// series in-process.
import {loadConfig, type Env} from '../config/config.js';
import type {Sim} from '../sim/cluster.js';
import {MetricsHistory} from '../sim/metrics-history.js';
import {prometheusConnection} from './connection.js';
import {PromClient, type PromConnection} from './prometheus-client.js';
import {findOnPath, startLocalPrometheus} from './prometheus-server.js';
import {prometheusSource} from './prometheus-source.js';
import {metricsSettings, type MetricsSettings} from './settings.js';
import {simSource} from './sim-source.js';
import type {MetricsSource} from './source.js';

export type MetricsFlags = {prometheus?: string; metrics?: string; config?: string; interval: number};

export type MetricsSetup = {
	source: MetricsSource;
	settings: MetricsSettings;
	/** One line for the primary screen on exit: where the SLIs came from. */
	note?: string;
	/** The Prometheus behind `source`, for the verdict; absent when the SLIs come from the sim in-process. */
	prom?: PromClient;
	close(): Promise<void>;
};

/** Settings and connection; throws (ConfigError, ConnectionError, Error) with a message fit for the user. */
export function loadMetrics(flags: MetricsFlags, env: Env = process.env): {settings: MetricsSettings; connection?: PromConnection} {
	const {config} = loadConfig({path: flags.config, env});
	const settings = metricsSettings(config.metrics, flags);
	const connection = prometheusConnection(flags.prometheus, config.prometheus, env);
	return connection ? {settings, connection} : {settings};
}

/** Metrics from the user's Prometheus, or undefined when no URL is given. */
export function prometheusMetrics(flags: MetricsFlags, env: Env = process.env): MetricsSetup | undefined {
	const {settings, connection} = loadMetrics(flags, env);
	if (!connection) return undefined;
	// The poller cancels a refresh that runs into the next; this is the limit for any one request.
	const prom = new PromClient({timeoutMs: 20_000, ...connection});
	return {source: prometheusSource(prom, settings), settings, prom, close: async () => {}};
}

/** Rate window for the demo when the config does not set one: its Prometheus scrapes every second. */
const demoRateWindow = 20;

/**
 * The demo's metrics: the user's Prometheus when one is given; else a private Prometheus scraping the
 * sim every second when `prometheus` is on the PATH (and `once` is not set); else the sim's own series.
 */
export async function demoMetrics(sim: Sim, flags: MetricsFlags & {once?: boolean}, env: Env = process.env): Promise<MetricsSetup> {
	const {config} = loadConfig({path: flags.config, env});
	const settings = metricsSettings(config.metrics, flags);
	if (config.metrics?.rateWindow === undefined) settings.rateWindow = demoRateWindow;
	const given = prometheusConnection(flags.prometheus, config.prometheus, env);
	if (given) {
		const prom = new PromClient(given);
		return {source: prometheusSource(prom, settings), settings, prom, close: async () => {}};
	}

	let why = 'no prometheus binary on the PATH';
	if (!flags.once && findOnPath('prometheus')) {
		try {
			const local = await startLocalPrometheus({targets: [new URL(sim.metricsUrl).host], scrapeSeconds: 1});
			const client = new PromClient({url: local.url, timeoutMs: 20_000});
			return {
				source: prometheusSource(client, settings, 'local prometheus'),
				settings,
				prom: client,
				note: `SLIs came from a local Prometheus (pid ${local.pid}, ${local.url}) scraping the sim every second; it stopped with the demo.`,
				close: () => local.stop(),
			};
		} catch (error) {
			why = `the local prometheus did not start: ${(error as Error).message}`;
		}
	} else if (flags.once) {
		why = 'a snapshot does not wait for a Prometheus to fill';
	}
	const history = new MetricsHistory(sim.metrics);
	history.start();
	return {
		source: simSource(history, settings),
		settings,
		note: `SLIs came from the sim's own series in-process (${why}).`,
		close: async () => history.stop(),
	};
}
