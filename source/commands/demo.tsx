// `rollscope demo`: the simulated cluster inside this process, and the live view on it.
import {KubeClient} from '../kube/client.js';
import {demoMetrics, type MetricsSetup} from './metrics-setup.js';
import {startSim} from '../sim/cluster.js';
import {scenarioNames} from '../sim/scenarios.js';
import type {Settings} from '../config/settings.js';
import {usageError, type Flags} from './flags.js';
import {openView, verdictOptions} from './open-view.js';
import {openRequestLog} from './request-log.js';

export async function runDemo(target: string | undefined, flags: Flags, settings: Settings): Promise<number> {
	const log = openRequestLog(flags.v, !flags.once);
	try {
		return await demo(target, flags, settings, log?.path ? {level: log.level, path: log.path} : undefined);
	} finally {
		log?.close();
	}
}

async function demo(target: string | undefined, flags: Flags, settings: Settings, requestLog: {level: number; path: string} | undefined): Promise<number> {
	// -A lists every scenario's release unless one scenario is asked for.
	const scenario = flags.scenario ?? (flags.allNamespaces ? 'all' : 'canary');
	if (!scenarioNames.includes(scenario)) usageError(`unknown scenario "${scenario}"; choose one of: ${scenarioNames.join(', ')}`);
	const sim = await startSim({scenario, speed: flags.speed, pods: flags.pods});
	const first = sim.scenarios[0]!;
	const namespace = flags.namespace ?? first.namespace;
	const client = KubeClient.fromString(sim.kubeconfig(namespace), namespace);
	let metrics: MetricsSetup | undefined;
	try {
		metrics = await demoMetrics(sim, settings, flags.once);
	} catch (error) {
		await sim.stop();
		process.stderr.write(`rollscope: ${(error as Error).message}\n`);
		return 2;
	}
	try {
		const options = {
			once: flags.once,
			output: flags.output,
			actions: settings.actions,
			metrics,
			verdict: verdictOptions(settings, flags),
			...(flags.record ? {record: flags.record} : {}),
			dumbTerminal: settings.dumbTerminal,
			requestLog,
			farewell: [
				'The demo cluster stopped with the view. To keep one running (rollscope sim) and point kubectl at it:',
				'',
				`  npm run sim -- --scenario ${scenario} --kubeconfig-out /tmp/rollscope-sim.kubeconfig`,
				'  export KUBECONFIG=/tmp/rollscope-sim.kubeconfig',
				`  kubectl get deploy,rs,pods -n ${first.namespace}`,
				flags.allNamespaces ? '  npm run rollscope -- -A' : `  npm run rollscope -- ${first.target} -n ${first.namespace}`,
				'',
				...(metrics.note ? [metrics.note, ''] : []),
			].join('\n'),
		};
		if (flags.allNamespaces) {
			const {runAllNamespaces} = await import('./all-namespaces.js');
			return await runAllNamespaces(client, options);
		}
		return await openView(client, {target: target ?? (namespace === first.namespace ? first.target : undefined), ...options});
	} finally {
		await metrics.close();
		await sim.stop();
	}
}
