// `rollscope sim`: the simulated cluster in the foreground until SIGINT or SIGTERM.
import {writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join, resolve} from 'node:path';
import {scenarioNames} from '../sim/scenarios.js';
import {startSim} from '../sim/cluster.js';
import {simContexts} from '../sim/kubeconfig.js';
import {usageError, type Flags} from './flags.js';

/** The scenarios, for the shell completion of --scenario. */
export const simScenarioNames = scenarioNames;

export async function runSim(flags: Flags): Promise<number> {
	const scenario = flags.scenario ?? 'all';
	if (!scenarioNames.includes(scenario)) usageError(`unknown scenario "${scenario}"; choose one of: ${scenarioNames.join(', ')}`);
	let sim;
	try {
		sim = await startSim({scenario, port: flags.port, speed: flags.speed, pods: flags.pods, statePath: flags.state && resolve(flags.state), insecureHttp: flags.insecureHttp});
	} catch (error) {
		process.stderr.write(`rollscope sim: could not start: ${(error as Error).message}\n`);
		return 1;
	}
	// Its own series from the start, so that `rollscope gate` without a Prometheus has whole windows at once.
	sim.history.start();
	const kubeconfigPath = resolve(flags.kubeconfigOut ?? join(tmpdir(), `rollscope-sim-${sim.port}.kubeconfig`));
	writeFileSync(kubeconfigPath, sim.kubeconfig(), {mode: 0o600});
	const first = sim.scenarios[0];
	const deployer = sim.credentials.accounts.find(a => a.name === 'deployer');
	const contexts = flags.insecureHttp
		? [`  ${simContexts.admin}: plain HTTP, no credentials; every request without them acts as admin`]
		: [
				`  ${simContexts.admin} (current): user admin, by token, may do anything`,
				`  ${simContexts.viewer}: user viewer, by token, may only read`,
				`  ${simContexts.deployer}: user deployer, by client certificate, writes only in ${Array.isArray(deployer?.writes) ? deployer.writes.join(', ') : 'any namespace'}`,
			];
	process.stdout.write(
		[
			`rollscope sim: serving the Kubernetes API at ${sim.url} (scenario ${scenario}, speed ${flags.speed}x)`,
			`kubeconfig: ${kubeconfigPath}${flags.insecureHttp ? '' : ' (the sim\'s CA, and a context per user)'}`,
			...contexts,
			`application metrics for Prometheus: ${sim.metricsUrl} (without one, rollscope gate judges from the sim's own series)`,
			'',
			`  export KUBECONFIG=${kubeconfigPath}`,
			`  kubectl get deploy,rs,pods -A`,
			first ? `  rollscope ${first.target} -n ${first.namespace}` : '',
			'',
			'Stop with Ctrl-C.',
			'',
		].join('\n'),
	);
	await new Promise<void>(done => {
		const stop = () => done();
		process.once('SIGINT', stop);
		process.once('SIGTERM', stop);
	});
	await sim.stop();
	process.stdout.write(flags.state ? `rollscope sim: stopped; state saved to ${resolve(flags.state)}\n` : 'rollscope sim: stopped\n');
	return 0;
}
