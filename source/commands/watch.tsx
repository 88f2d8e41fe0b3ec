// `rollscope [TARGET]`: the live view of one release in the current kubeconfig context.
import {KubeClient} from '../kube/client.js';
import {KubeError} from '../kube/errors.js';
import type {Settings} from '../config/settings.js';
import {prometheusMetrics} from './metrics-setup.js';
import type {Flags} from './flags.js';
import {openView, verdictOptions} from './open-view.js';
import {openRequestLog} from './request-log.js';

export async function runWatch(target: string | undefined, flags: Flags, settings: Settings): Promise<number> {
	const log = openRequestLog(flags.v, !flags.once);
	try {
		return await watch(target, flags, settings, log?.path ? {level: log.level, path: log.path} : undefined);
	} finally {
		log?.close();
	}
}

async function watch(target: string | undefined, flags: Flags, settings: Settings, requestLog: {level: number; path: string} | undefined): Promise<number> {
	const metrics = prometheusMetrics(settings);
	let client: KubeClient;
	try {
		client = KubeClient.load({kubeconfig: flags.kubeconfig, context: flags.context, namespace: flags.namespace});
	} catch (error) {
		process.stderr.write(`rollscope: ${(error as Error).message}\n`);
		return 1;
	}
	const problem = await namespaceProblem(client);
	if (problem) {
		process.stderr.write(`rollscope: ${problem}\n`);
		return 1;
	}
	return openView(client, {target, once: flags.once, output: flags.output, actions: settings.actions, metrics, verdict: verdictOptions(settings, flags), dumbTerminal: settings.dumbTerminal, requestLog});
}

/** A namespace that does not exist is said at once; an unreachable server is left to the view's retries. */
async function namespaceProblem(client: KubeClient): Promise<string | undefined> {
	try {
		await client.request('GET', `/api/v1/namespaces/${encodeURIComponent(client.namespace)}`);
	} catch (error) {
		if (error instanceof KubeError && error.code === 404) return `namespace "${client.namespace}" not found (context ${client.context}); pick one with -n`;
		if (error instanceof KubeError && error.code === 401) return `the API server at ${client.server} refused the credentials of context ${client.context} (401 Unauthorized)`;
	}
	return undefined;
}
