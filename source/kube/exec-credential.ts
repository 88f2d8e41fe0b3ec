// A kubeconfig user's `exec` credential plugin (aws eks get-token, gke-gcloud-auth-plugin, kubelogin...),
// run as kubectl runs it: KUBERNETES_EXEC_INFO set, a relative command found beside the kubeconfig, the
// ExecCredential checked, kept until it expires, one run at a time, and run again when the server says 401.
import {spawn} from 'node:child_process';
import {readFileSync} from 'node:fs';
import {dirname, isAbsolute, join} from 'node:path';
import type {Cluster, KubeConfig, User} from '@kubernetes/client-node';
import {parse} from 'yaml';
import {KubeError} from './errors.js';

/** The authProvider name that hands a user's exec plugin to this module rather than to client-node's. */
export const EXEC_PROVIDER = 'rollscope-exec';

export type ExecConfig = {
	command: string;
	args?: string[];
	env?: {name: string; value: string}[];
	apiVersion?: string;
	installHint?: string;
	provideClusterInfo?: boolean;
	interactiveMode?: string;
};

/** What a plugin printed, checked. `expiresAt` in ms epoch; absent: good until the server refuses it. */
export type ExecCredential = {token?: string; clientCertificateData?: string; clientKeyData?: string; expiresAt?: number};

const apiVersions = ['client.authentication.k8s.io/v1', 'client.authentication.k8s.io/v1beta1'];

/** The ExecCredential a plugin printed, or what is wrong with it. */
export function parseExecCredential(stdout: string, apiVersion: string): ExecCredential | {error: string} {
	let parsed: any;
	try {
		parsed = JSON.parse(stdout);
	} catch {
		return {error: 'it printed something that is not JSON'};
	}
	if (parsed?.kind !== 'ExecCredential') return {error: `it printed a ${parsed?.kind ?? 'document without a kind'}, not an ExecCredential`};
	if (parsed.apiVersion !== apiVersion) return {error: `it printed an ExecCredential of ${parsed.apiVersion ?? 'no apiVersion'}, but the kubeconfig asks for ${apiVersion}`};
	const status = parsed.status ?? {};
	const credential: ExecCredential = {};
	if (typeof status.token === 'string' && status.token !== '') credential.token = status.token;
	if (typeof status.clientCertificateData === 'string' || typeof status.clientKeyData === 'string') {
		if (!status.clientCertificateData || !status.clientKeyData) return {error: 'its ExecCredential has a client certificate without a key, or a key without a certificate'};
		credential.clientCertificateData = status.clientCertificateData;
		credential.clientKeyData = status.clientKeyData;
	}
	if (!credential.token && !credential.clientCertificateData) return {error: 'its ExecCredential has neither a token nor a client certificate'};
	if (status.expirationTimestamp !== undefined) {
		const at = Date.parse(status.expirationTimestamp);
		if (!Number.isFinite(at)) return {error: `its ExecCredential's expirationTimestamp "${status.expirationTimestamp}" is not a time`};
		credential.expiresAt = at;
	}
	return credential;
}

/** The KUBERNETES_EXEC_INFO a plugin is given: not interactive, and the cluster when it asks for it. */
export function execInfo(exec: ExecConfig, cluster: Cluster | null): string {
	const spec: Record<string, unknown> = {interactive: false};
	if (exec.provideClusterInfo && cluster) {
		let ca: string | undefined = cluster.caData;
		if (!ca && cluster.caFile) {
			try {
				ca = readFileSync(cluster.caFile).toString('base64');
			} catch {
				ca = undefined;
			}
		}
		spec.cluster = {
			server: cluster.server,
			...(ca ? {'certificate-authority-data': ca} : {}),
			...(cluster.tlsServerName ? {'tls-server-name': cluster.tlsServerName} : {}),
			...(cluster.skipTLSVerify ? {'insecure-skip-tls-verify': true} : {}),
			...(cluster.proxyUrl ? {'proxy-url': cluster.proxyUrl} : {}),
		};
	}
	return JSON.stringify({kind: 'ExecCredential', apiVersion: exec.apiVersion, spec});
}

export type PluginRun = {code: number | null; stdout: string; stderr: string; error?: NodeJS.ErrnoException};

/** Run a plugin: stdin closed (the terminal belongs to the view), stdout and stderr kept, stopped after `timeoutMs`. */
export function runPlugin(command: string, args: string[], env: NodeJS.ProcessEnv, timeoutMs = 120_000): Promise<PluginRun> {
	return new Promise(resolve => {
		const child = spawn(command, args, {env, stdio: ['ignore', 'pipe', 'pipe']});
		const run: PluginRun = {code: null, stdout: '', stderr: ''};
		const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
		child.stdout.on('data', d => (run.stdout += String(d)));
		child.stderr.on('data', d => (run.stderr += String(d)));
		child.on('error', error => (run.error = error));
		child.on('close', code => {
			clearTimeout(timer);
			resolve({...run, code});
		});
	});
}

const lastLine = (text: string) => text.trim().split('\n').filter(Boolean).pop()?.trim() ?? '';

/** The exec plugins of a kubeconfig's users, as a client-node Authenticator. */
export class ExecCredentials {
	private readonly cache = new Map<string, ExecCredential>();
	private readonly running = new Map<string, Promise<ExecCredential>>();
	/** How many times a plugin ran (for tests and the curious). */
	runs = 0;

	constructor(
		private readonly execs: ReadonlyMap<string, ExecConfig>,
		private readonly cluster: () => Cluster | null,
		private readonly run: typeof runPlugin = runPlugin,
		private readonly now: () => number = Date.now,
	) {}

	isAuthProvider(user: User): boolean {
		return user?.authProvider?.name === EXEC_PROVIDER;
	}

	async applyAuthentication(user: User, opts: {headers?: Record<string, unknown>; cert?: unknown; key?: unknown}): Promise<void> {
		const credential = await this.credential(user.name);
		if (credential.token) {
			opts.headers ??= {};
			opts.headers.Authorization = `Bearer ${credential.token}`;
		}
		if (credential.clientCertificateData) {
			opts.cert = credential.clientCertificateData;
			opts.key = credential.clientKeyData;
		}
	}

	/** Forget what the plugins printed: the server refused it (401), so the next request runs them again. */
	invalidate(): void {
		this.cache.clear();
	}

	private async credential(userName: string): Promise<ExecCredential> {
		const cached = this.cache.get(userName);
		// A second's margin, so a credential does not expire on its way to the server.
		if (cached && (cached.expiresAt === undefined || this.now() < cached.expiresAt - 1000)) return cached;
		let running = this.running.get(userName);
		if (!running) {
			running = this.fetch(userName).finally(() => this.running.delete(userName));
			this.running.set(userName, running);
		}
		return running;
	}

	private async fetch(userName: string): Promise<ExecCredential> {
		const exec = this.execs.get(userName);
		const fail = (why: string) => new KubeError(0, 'CredentialPlugin', `the exec credential plugin "${exec?.command ?? '?'}" of kubeconfig user "${userName}" ${why}`);
		if (!exec?.command) throw fail('has no command');
		if (!exec.apiVersion || !apiVersions.includes(exec.apiVersion)) throw fail(`needs an apiVersion of ${apiVersions.join(' or ')} (it has ${exec.apiVersion ?? 'none'})`);
		if (exec.interactiveMode === 'Always') throw fail('asks for a terminal (interactiveMode: Always), which the view keeps for itself; log in with it first, or set interactiveMode: IfAvailable');
		const env: NodeJS.ProcessEnv = {...process.env, KUBERNETES_EXEC_INFO: execInfo(exec, this.cluster())};
		for (const e of exec.env ?? []) if (e && typeof e.name === 'string') env[e.name] = String(e.value ?? '');
		this.runs++;
		const result = await this.run(exec.command, (exec.args ?? []).map(String), env);
		if (result.error) {
			if (result.error.code === 'ENOENT') {
				const hint = exec.installHint ? `: ${exec.installHint.trim().split('\n')[0]}` : '';
				throw fail(`is not installed (not found${exec.command.includes('/') ? '' : ' on PATH'})${hint}`);
			}
			throw fail(`could not run: ${result.error.message}`);
		}
		if (result.code !== 0) throw fail(`failed${result.code === null ? ' (killed: it took too long)' : ` (exit ${result.code})`}${lastLine(result.stderr) ? `: ${lastLine(result.stderr)}` : ''}`);
		const parsed = parseExecCredential(result.stdout, exec.apiVersion);
		if ('error' in parsed) throw fail(`answered wrongly: ${parsed.error}`);
		this.cache.set(userName, parsed);
		return parsed;
	}
}

/**
 * Take the users with an `exec` plugin away from client-node's own runner and give them to ExecCredentials.
 * `files` are the kubeconfig files in the order they were merged: a relative command with a slash in it is
 * found beside the file that defines its user, as kubectl finds it.
 */
export function adoptExecPlugins(kc: KubeConfig, files: readonly string[]): ExecCredentials | undefined {
	const execs = new Map<string, ExecConfig>();
	kc.users = kc.users.map(user => {
		if (!user.exec) return user;
		const exec = {...(user.exec as ExecConfig)};
		if (typeof exec.command === 'string' && exec.command.includes('/') && !isAbsolute(exec.command)) {
			const file = files.find(f => definesUser(f, user.name));
			if (file) exec.command = join(dirname(file), exec.command);
		}
		execs.set(user.name, exec);
		return {...user, exec: undefined, authProvider: {name: EXEC_PROVIDER, config: {}}};
	});
	if (execs.size === 0) return undefined;
	const credentials = new ExecCredentials(execs, () => kc.getCurrentCluster());
	kc.addAuthenticator(credentials);
	return credentials;
}

function definesUser(file: string, name: string): boolean {
	try {
		const doc = parse(readFileSync(file, 'utf8'));
		return Array.isArray(doc?.users) && doc.users.some((u: any) => u?.name === name && u?.user?.exec);
	} catch {
		return false;
	}
}
