// Metrics for a run, from its settings (config/settings.ts): off, a Prometheus-compatible API, or for
// the demo a private Prometheus scraping the sim (when the binary is on the PATH) or the sim's own
// series in-process; the SLIs and the verdict's windows from the same place.
import type {Settings} from '../config/settings.js';
import type {Sim} from '../sim/cluster.js';
import {PromClient} from '../metrics/prometheus-client.js';
import {findOnPath, startLocalPrometheus} from '../metrics/prometheus-server.js';
import {prometheusSource} from '../metrics/prometheus-source.js';
import type {MetricsSettings} from '../metrics/settings.js';
import {simSource, simWindows} from './sim-slis.js';
import type {MetricsSource} from '../metrics/source.js';
import {prometheusWindows, type WindowSource} from '../verdict/window-source.js';

export type MetricsSetup = {
	source: MetricsSource;
	settings: MetricsSettings;
	/** One line for the primary screen on exit: where the SLIs came from. */
	note?: string;
	/** The verdict's windows, from the same place as the SLIs. */
	windows: WindowSource;
	close(): Promise<void>;
};

/** Metrics from the user's Prometheus, or undefined when no URL is given. */
export function prometheusMetrics(settings: Pick<Settings, 'metrics' | 'prometheus'>): MetricsSetup | undefined {
	if (!settings.prometheus) return undefined;
	// The poller cancels a refresh that runs into the next; this is the limit for any one request.
	const prom = new PromClient({timeoutMs: 20_000, ...settings.prometheus});
	return {source: prometheusSource(prom, settings.metrics), settings: settings.metrics, windows: prometheusWindows(prom, settings.metrics), close: async () => {}};
}

/** Rate window for the demo when the config does not set one: its Prometheus scrapes every second. */
const demoRateWindow = 20;

/**
 * The demo's metrics: the user's Prometheus when one is given; else a private Prometheus scraping the
 * sim every second when `prometheus` is on the PATH (and `once` is not set); else the sim's own series.
 */
export async function demoMetrics(sim: Sim, run: Pick<Settings, 'metrics' | 'prometheus' | 'rateWindowConfigured'>, once = false): Promise<MetricsSetup> {
	const settings = {...run.metrics};
	if (!run.rateWindowConfigured) settings.rateWindow = demoRateWindow;
	const given = run.prometheus;
	if (given) {
		const prom = new PromClient(given);
		return {source: prometheusSource(prom, settings), settings, windows: prometheusWindows(prom, settings), close: async () => {}};
	}

	let why = 'no prometheus binary on the PATH';
	if (!once && findOnPath('prometheus')) {
		try {
			const local = await startLocalPrometheus({targets: [new URL(sim.metricsUrl).host], scrapeSeconds: 1});
			const client = new PromClient({url: local.url, timeoutMs: 20_000});
			return {
				source: prometheusSource(client, settings, 'local prometheus'),
				settings,
				windows: prometheusWindows(client, settings),
				note: `SLIs came from a local Prometheus (pid ${local.pid}, ${local.url}) scraping the sim every second; it stopped with the demo.`,
				close: () => local.stop(),
			};
		} catch (error) {
			why = `the local prometheus did not start: ${(error as Error).message}`;
		}
	} else if (once) {
		why = 'a snapshot does not wait for a Prometheus to fill';
	}
	const {history} = sim;
	history.start();
	return {
		source: simSource(history, settings),
		settings,
		windows: simWindows(history),
		note: `SLIs and the verdict came from the sim's own series in-process (${why}).`,
		close: async () => history.stop(),
	};
}
