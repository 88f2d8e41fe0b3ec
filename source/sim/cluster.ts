// A whole simulated cluster: store, controllers, scenario and API server, started and stopped as one.
import {existsSync, readFileSync, writeFileSync} from 'node:fs';
import {SimClock} from './clock.js';
import {startControllers} from './controllers/index.js';
import {simKubeconfig} from './kubeconfig.js';
import {SimMetrics} from './metrics.js';
import {animateScenario, loadScenario, type Scenario} from './scenarios.js';
import {startApiServer} from './server.js';
import {ObjectStore} from './store.js';

export type SimOptions = {
	scenario?: string;
	port?: number;
	speed?: number;
	pods?: number;
	/** Load the store from this file at start and save it there on stop. */
	statePath?: string;
	/** Do not move the scenario on by itself (tests that want a still cluster). */
	still?: boolean;
};

export type Sim = {
	url: string;
	port: number;
	store: ObjectStore;
	clock: SimClock;
	scenarios: Scenario[];
	/** Simulated traffic and its metrics (also served on /metrics). */
	metrics: SimMetrics;
	kubeconfig(namespace?: string): string;
	stop(): Promise<void>;
};

export async function startSim(options: SimOptions = {}): Promise<Sim> {
	const store = new ObjectStore();
	const clock = new SimClock(options.speed ?? 1);
	let loaded = false;
	if (options.statePath && existsSync(options.statePath)) {
		store.restore(JSON.parse(readFileSync(options.statePath, 'utf8')));
		loaded = true;
	}
	const scenarios = loadScenario(store, options.scenario ?? 'all', {pods: options.pods});
	const metrics = new SimMetrics(store, clock);
	const controllers = startControllers(store, clock, {podCpu: metrics});
	const stopAnimation = loaded || options.still ? () => {} : animateScenario(store, clock, scenarios);
	const server = await startApiServer(store, {port: options.port ?? 0, metrics: () => metrics.exposition()});
	let stopped = false;
	return {
		url: server.url,
		port: server.port,
		store,
		clock,
		scenarios,
		metrics,
		kubeconfig: (namespace?: string) => simKubeconfig(server.url, namespace ?? scenarios[0]?.namespace ?? 'default'),
		async stop() {
			if (stopped) return;
			stopped = true;
			stopAnimation();
			controllers.stop();
			clock.stop();
			await server.close();
			if (options.statePath) writeFileSync(options.statePath, JSON.stringify(store.snapshot()));
		},
	};
}
