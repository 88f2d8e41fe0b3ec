// A whole simulated cluster: store, controllers, scenario, credentials, API server and metrics endpoint,
// started and stopped as one.
import {existsSync, readFileSync, writeFileSync} from 'node:fs';
import {SimClock} from './clock.js';
import {startControllers} from './controllers/index.js';
import {credentialsFrom, newCredentials, type SimCredentials} from './credentials.js';
import {simKubeconfig} from './kubeconfig.js';
import {startMetricsEndpoint} from './metrics-endpoint.js';
import {MetricsHistory} from './metrics-history.js';
import {SimMetrics} from './metrics.js';
import type {KObject} from './object.js';
import {animateScenario, loadScenario, type Scenario} from './scenarios.js';
import {startApiServer} from './server.js';
import type {Inflight, InflightLimits} from './inflight.js';
import {ObjectStore} from './store.js';

export type SimOptions = {
	scenario?: string;
	port?: number;
	speed?: number;
	pods?: number;
	/** Load the store and the credentials from this file at start and save them there on stop. */
	statePath?: string;
	/** Do not move the scenario on by itself (tests that want a still cluster). */
	still?: boolean;
	/** Serve the API over plain HTTP, where a request without credentials acts as admin. */
	insecureHttp?: boolean;
	/** Time between BOOKMARK events on watches that allow them; default 60 s, as real API servers. */
	bookmarkIntervalMs?: number;
	/** kube-apiserver's --goaway-chance (ApiServerOptions.goawayChance). */
	goawayChance?: number;
	/** Requests served at once before 429 Too Many Requests (reads, writes; watches not counted): kube-apiserver's 400 and 200 unless given. */
	inflight?: InflightLimits;
	/** The Kubernetes 1.x minor /version reports (default 33); the machine's kubectl picks its client (1.27-1.33) by it. */
	minorVersion?: number;
	/**
	 * Names besides localhost the API server answers to, as a cluster reached by name through a proxy that
	 * takes the name to this machine: new credentials' serving certificate names them, and they pass as Host.
	 */
	hostNames?: string[];
};

export type Sim = {
	/** The API server: https://127.0.0.1:PORT (http:// with insecureHttp). */
	url: string;
	port: number;
	/** The simulated application metrics for Prometheus, on a plain-HTTP listener of their own: http://127.0.0.1:N/metrics. */
	metricsUrl: string;
	/** The CAs, serving certificate, tokens and client certificates of this cluster. */
	credentials: SimCredentials;
	store: ObjectStore;
	clock: SimClock;
	scenarios: Scenario[];
	/** Simulated traffic and its metrics (served at metricsUrl). */
	metrics: SimMetrics;
	/** The metrics summed per version once a second, once started (by the demo, `rollscope sim`, or the first client to ask the API server for them). */
	history: MetricsHistory;
	/** How many requests the API server serves at once (settable), and those it answered 429. */
	inflight: Inflight;
	/** A kubeconfig with one context per user; the current one is the admin's. */
	kubeconfig(namespace?: string): string;
	stop(): Promise<void>;
};

type State = {resourceVersion: number; objects: Record<string, KObject[]>; credentials?: unknown};

function readState(path: string): State {
	let state: State;
	try {
		state = JSON.parse(readFileSync(path, 'utf8'));
	} catch (error) {
		throw new Error(`cannot read the state file ${path}: ${(error as Error).message}`);
	}
	if (!state || typeof state !== 'object' || typeof state.objects !== 'object' || state.objects === null) throw new Error(`the state file ${path} holds no cluster`);
	return state;
}

export async function startSim(options: SimOptions = {}): Promise<Sim> {
	const store = new ObjectStore();
	const clock = new SimClock(options.speed ?? 1);
	const state = options.statePath && existsSync(options.statePath) ? readState(options.statePath) : undefined;
	let credentials: SimCredentials | undefined;
	if (state) {
		if (state.credentials !== undefined) {
			try {
				credentials = credentialsFrom(state.credentials);
			} catch (error) {
				throw new Error(`${(error as Error).message} (${options.statePath})`);
			}
		}
		store.restore(state);
	}
	const scenarios = loadScenario(store, options.scenario ?? 'all', {pods: options.pods});
	// The deployer may write in the first scenario's namespace.
	credentials ??= newCredentials(scenarios[0]?.namespace ?? 'default', options.hostNames);
	const metrics = new SimMetrics(store, clock);
	const history = new MetricsHistory(metrics);
	const controllers = startControllers(store, clock, {podCpu: metrics});
	const stopAnimation = state || options.still ? () => {} : animateScenario(store, clock, scenarios);
	const server = await startApiServer(store, {port: options.port ?? 0, credentials, plainHttp: options.insecureHttp, bookmarkIntervalMs: options.bookmarkIntervalMs, minorVersion: options.minorVersion, series: history, hostNames: options.hostNames, inflight: options.inflight, goawayChance: options.goawayChance});
	const metricsEndpoint = await startMetricsEndpoint(() => metrics.exposition()).catch(async error => {
		await server.close();
		throw error;
	});
	let stopped = false;
	const kept = credentials;
	return {
		url: server.url,
		port: server.port,
		inflight: server.inflight,
		metricsUrl: metricsEndpoint.url,
		credentials,
		store,
		clock,
		scenarios,
		metrics,
		history,
		kubeconfig: (namespace?: string) => simKubeconfig(server.url, kept, namespace ?? scenarios[0]?.namespace ?? 'default'),
		async stop() {
			if (stopped) return;
			stopped = true;
			stopAnimation();
			history.stop();
			controllers.stop();
			clock.stop();
			await Promise.all([server.close(), metricsEndpoint.close()]);
			if (options.statePath) writeFileSync(options.statePath, JSON.stringify({...store.snapshot(), credentials: kept}), {mode: 0o600});
		},
	};
}
