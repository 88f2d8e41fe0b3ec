// `rollscope [TARGET]`: the live view of one release in the current kubeconfig context.
import {KubeClient} from '../kube/client.js';
import {toKubeError, type KubeError} from '../kube/errors.js';
import type {Settings} from '../config/settings.js';
import type {Flags} from './flags.js';
import {openRequestLog} from './request-log.js';
import {canDraw, startWatching, type Started} from './start-watching.js';

export async function runWatch(target: string | undefined, flags: Flags, settings: Settings): Promise<number> {
	const log = openRequestLog(flags.v, !flags.once);
	try {
		return await watch(target, flags, settings, log?.path ? {level: log.level, path: log.path} : undefined);
	} finally {
		log?.close();
	}
}

async function watch(target: string | undefined, flags: Flags, settings: Settings, requestLog: {level: number; path: string} | undefined): Promise<number> {
	let client: KubeClient;
	try {
		client = KubeClient.load({kubeconfig: flags.kubeconfig, context: flags.context, namespace: flags.namespace});
	} catch (error) {
		process.stderr.write(`rollscope: ${(error as Error).message}\n`);
		return 1;
	}
	// The live view of one release: its lists start at once, while the namespace is checked and the view's
	// code (Ink, React, the metrics) loads. --once and -A load it once the API server answered.
	const live = !flags.once && !flags.allNamespaces;
	if (live && !canDraw(settings.dumbTerminal)) {
		void client.close();
		return 2;
	}
	const started: Started | undefined = live ? startWatching(client, target) : undefined;
	// Who you are goes with the first lists (asked once; the view waits for both before its first frame).
	if (live && !settings.actions.readOnly) void client.whoami();
	const [problem, {openView, verdictOptions}, {prometheusMetrics}] = await Promise.all([
		flags.allNamespaces ? clusterProblem(client, flags.once) : namespaceProblem(client, flags.once),
		import('./open-view.js'),
		import('./metrics-setup.js'),
	]);
	if (problem) {
		started?.watch.stop();
		started?.store.close();
		process.stderr.write(`rollscope: ${problem}\n`);
		void client.close();
		return 1;
	}
	const options = {once: flags.once, output: flags.output, actions: settings.actions, metrics: prometheusMetrics(settings), verdict: verdictOptions(settings, flags), dumbTerminal: settings.dumbTerminal, requestLog, ...(flags.record ? {record: flags.record} : {})};
	if (flags.allNamespaces) {
		const {runAllNamespaces} = await import('./all-namespaces.js');
		return runAllNamespaces(client, options);
	}
	return openView(client, {target, ...options, ...(started ? {started} : {})});
}

/** How long --once waits for the API server's first answer before it says it cannot reach it. */
const ONCE_REACH_MS = 3000;

/** Credentials that cannot be used, and an environment's proxy of a kind no client takes: nothing to retry. */
const isSetupProblem = (e: KubeError) => e.reason === 'CredentialPlugin' || e.reason === 'Credentials' || e.reason === 'Proxy';

/**
 * A namespace that does not exist is said at once, and so are refused credentials and an unusable proxy. An unreachable server
 * is said at once with --once; the live view says it on screen and keeps trying.
 */
async function namespaceProblem(client: KubeClient, once: boolean): Promise<string | undefined> {
	try {
		await client.request('GET', `/api/v1/namespaces/${encodeURIComponent(client.namespace)}`, once ? {timeoutMs: ONCE_REACH_MS} : {});
	} catch (error) {
		const e = toKubeError(error);
		if (e.code === 404) return `namespace "${client.namespace}" not found (context ${client.context}); pick one with -n`;
		if (e.code === 401) return `the API server at ${client.server} refused the credentials of context ${client.context} (401 Unauthorized)`;
		if (isSetupProblem(e)) return e.message;
		if (once && e.unreachable) return `cannot reach the Kubernetes API at ${client.server} (context ${client.context}): ${e.message}`;
	}
	return undefined;
}

/** With -A: refused credentials and an unusable proxy are said at once, and with --once an unreachable server (no namespace to look for). */
async function clusterProblem(client: KubeClient, once: boolean): Promise<string | undefined> {
	try {
		await client.request('GET', '/api', once ? {timeoutMs: ONCE_REACH_MS} : {});
	} catch (error) {
		const e = toKubeError(error);
		if (e.code === 401) return `the API server at ${client.server} refused the credentials of context ${client.context} (401 Unauthorized)`;
		if (isSetupProblem(e)) return e.message;
		if (once && e.unreachable) return `cannot reach the Kubernetes API at ${client.server} (context ${client.context}): ${e.message}`;
	}
	return undefined;
}
