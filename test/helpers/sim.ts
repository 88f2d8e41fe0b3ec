// Test helpers: a simulated cluster on a free loopback port, the real kubectl pointed at it, and one way to send
// it a raw request as one of its users (HTTPS, the sim's CA checked).
import assert from 'node:assert/strict';
import {execFile} from 'node:child_process';
import http from 'node:http';
import https from 'node:https';
import {checkServerIdentity} from 'node:tls';
import {mkdtempSync, rmSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {startSim, type Sim, type SimOptions} from '../../source/sim/cluster.js';

export type TestSim = {
	sim: Sim;
	dir: string;
	kubeconfigPath: string;
	kubectl(args: string[], options?: {context?: string; input?: string}): Promise<KubectlRun>;
	stop(): Promise<void>;
};

export type KubectlRun = {code: number; stdout: string; stderr: string};

/** The real kubectl with this kubeconfig; `dir` is its HOME and holds its cache. */
export function runKubectl(kubeconfigPath: string, dir: string, args: string[], opts: {context?: string; input?: string; env?: Record<string, string>} = {}): Promise<KubectlRun> {
	return new Promise(resolve => {
		const child = execFile(
			'kubectl',
			[...args, '--kubeconfig', kubeconfigPath, '--cache-dir', join(dir, 'cache'), ...(opts.context ? ['--context', opts.context] : [])],
			{env: {...process.env, ...opts.env, HOME: dir, KUBECONFIG: kubeconfigPath}, timeout: 60_000},
			(error, stdout, stderr) => resolve({code: error ? (typeof error.code === 'number' ? error.code : 1) : 0, stdout, stderr}),
		);
		if (opts.input !== undefined) child.stdin?.end(opts.input);
	});
}

export async function startTestSim(options: SimOptions = {}): Promise<TestSim> {
	const sim = await startSim({still: true, speed: 20, ...options});
	const dir = mkdtempSync(join(tmpdir(), 'rollscope-test-'));
	const kubeconfigPath = join(dir, 'kubeconfig');
	writeFileSync(kubeconfigPath, sim.kubeconfig('default'));
	return {
		sim,
		dir,
		kubeconfigPath,
		kubectl: (args, opts = {}) => runKubectl(kubeconfigPath, dir, args, opts),
		async stop() {
			await sim.stop();
			rmSync(dir, {recursive: true, force: true});
		},
	};
}

/** Run kubectl against the sim and return its output; a non-zero exit fails the test with kubectl's stderr. */
export async function kubectlOk(t: TestSim, args: string[], input?: string): Promise<string> {
	const r = await t.kubectl(args, input === undefined ? {} : {input});
	assert.equal(r.code, 0, `kubectl ${args.join(' ')}: ${r.stderr}`);
	return r.stdout;
}

export type SimUser = 'admin' | 'viewer' | 'deployer';

export type SimRequestOptions = {
	method?: string;
	body?: string | Buffer;
	contentType?: string;
	headers?: Record<string, string>;
	/** Who asks: admin and viewer by bearer token, deployer by client certificate; 'nobody' sends no credentials. Default admin. */
	as?: SimUser | 'nobody';
};

export type SimResponse = {status: number; headers: http.IncomingHttpHeaders; text: string; body: any; /** The body as it came (gzipped, when it was). */ bytes: Buffer};

/** One request to the sim's API server as one of its users, the server's certificate checked against the sim's CA. */
export function simRequest(sim: Sim, path: string, options: SimRequestOptions = {}): Promise<SimResponse> {
	const url = new URL(path, sim.url);
	const as = options.as ?? 'admin';
	const headers: Record<string, string> = {Accept: 'application/json', ...options.headers};
	if (options.body !== undefined) headers['Content-Type'] = options.contentType ?? 'application/json';
	// The certificate is checked for the address connected to, whatever Host header a test sends.
	const tls: https.RequestOptions = {ca: sim.credentials.ca.cert, checkServerIdentity: (_host, cert) => checkServerIdentity(url.hostname, cert)};
	if (as === 'deployer') Object.assign(tls, sim.credentials.clientCertificates.deployer);
	else if (as !== 'nobody') headers.Authorization = `Bearer ${sim.credentials.accounts.find(a => a.name === as)!.token}`;
	const send = url.protocol === 'https:' ? https.request : http.request;
	return new Promise((resolve, reject) => {
		const req = send(url, {method: options.method ?? 'GET', headers, agent: false, ...(url.protocol === 'https:' ? tls : {})}, res => {
			const chunks: Buffer[] = [];
			res.on('data', (c: Buffer) => chunks.push(c));
			res.on('end', () => {
				const bytes = Buffer.concat(chunks);
				const text = bytes.toString('utf8');
				let body: any;
				try {
					body = JSON.parse(text);
				} catch {
					body = undefined;
				}
				resolve({status: res.statusCode ?? 0, headers: res.headers, text, body, bytes});
			});
			res.on('error', reject);
		});
		req.on('error', reject);
		req.end(options.body);
	});
}

/** Poll until `check` returns a truthy value; fails with `what` after `timeoutMs`. */
export async function waitFor<T>(what: string, check: () => T | Promise<T>, timeoutMs = 20_000, everyMs = 50): Promise<T> {
	const deadline = Date.now() + timeoutMs;
	let last: unknown;
	for (;;) {
		try {
			const value = await check();
			if (value) return value;
		} catch (error) {
			last = error;
		}
		if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}${last ? `: ${(last as Error).message}` : ''}`);
		await new Promise(r => setTimeout(r, everyMs));
	}
}
