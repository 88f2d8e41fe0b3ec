// `rollscope [TARGET]`: the live view of one release in the current kubeconfig context.
import {KubeClient} from '../kube/client.js';
import {toKubeError} from '../kube/errors.js';
import type {Settings} from '../config/settings.js';
import type {Flags} from './flags.js';
import {needsTerminal, startWatching} from './start-watching.js';

export async function runWatch(target: string | undefined, flags: Flags, settings: Settings): Promise<number> {
	let client: KubeClient;
	try {
		client = KubeClient.load({kubeconfig: flags.kubeconfig, context: flags.context, namespace: flags.namespace});
	} catch (error) {
		process.stderr.write(`rollscope: ${(error as Error).message}\n`);
		return 1;
	}
	if (flags.once) {
		const problem = await namespaceProblem(client, true);
		if (problem) return fail(client, problem);
		// The view (Ink, React, the metrics) is loaded once the API server answered: --once says it cannot reach it at once.
		const [{openView, verdictOptions}, {prometheusMetrics}] = await Promise.all([import('./open-view.js'), import('./metrics-setup.js')]);
		return openView(client, {target, once: true, output: flags.output, actions: settings.actions, metrics: prometheusMetrics(settings), verdict: verdictOptions(settings, flags)});
	}
	if (needsTerminal()) {
		void client.close();
		return 2;
	}
	// The lists start at once; the namespace is checked beside them, and the view's code (Ink, React) loads meanwhile.
	const started = startWatching(client, target);
	const [problem, {openView, verdictOptions}, {prometheusMetrics}] = await Promise.all([namespaceProblem(client, false), import('./open-view.js'), import('./metrics-setup.js')]);
	if (problem) {
		started.watch.stop();
		started.store.close();
		return fail(client, problem);
	}
	return openView(client, {target, once: false, output: flags.output, actions: settings.actions, metrics: prometheusMetrics(settings), verdict: verdictOptions(settings, flags), started});
}

function fail(client: KubeClient, problem: string): number {
	process.stderr.write(`rollscope: ${problem}\n`);
	void client.close();
	return 1;
}

/** How long --once waits for the API server's first answer before it says it cannot reach it. */
const ONCE_REACH_MS = 3000;

/**
 * A namespace that does not exist is said at once, and so are refused credentials. An unreachable server
 * is said at once with --once; the live view says it on screen and keeps trying.
 */
async function namespaceProblem(client: KubeClient, once: boolean): Promise<string | undefined> {
	try {
		await client.request('GET', `/api/v1/namespaces/${encodeURIComponent(client.namespace)}`, once ? {timeoutMs: ONCE_REACH_MS} : {});
	} catch (error) {
		const e = toKubeError(error);
		if (e.code === 404) return `namespace "${client.namespace}" not found (context ${client.context}); pick one with -n`;
		if (e.code === 401) return `the API server at ${client.server} refused the credentials of context ${client.context} (401 Unauthorized)`;
		if (e.reason === 'CredentialPlugin' || e.reason === 'Credentials') return e.message;
		if (once && e.unreachable) return `cannot reach the Kubernetes API at ${client.server} (context ${client.context}): ${e.message}`;
	}
	return undefined;
}
