// Test helpers: a simulated cluster on a free loopback port, and the real kubectl pointed at it.
import assert from 'node:assert/strict';
import {execFile} from 'node:child_process';
import {mkdtempSync, rmSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {startSim, type Sim, type SimOptions} from '../../source/sim/cluster.js';

export type TestSim = {
	sim: Sim;
	dir: string;
	kubeconfigPath: string;
	kubectl(args: string[], options?: {context?: string; input?: string}): Promise<{code: number; stdout: string; stderr: string}>;
	stop(): Promise<void>;
};

export async function startTestSim(options: SimOptions = {}): Promise<TestSim> {
	const sim = await startSim({still: true, speed: 20, ...options});
	const dir = mkdtempSync(join(tmpdir(), 'rollscope-test-'));
	const kubeconfigPath = join(dir, 'kubeconfig');
	writeFileSync(kubeconfigPath, sim.kubeconfig('default'));
	const kubectl: TestSim['kubectl'] = (args, opts = {}) =>
		new Promise(resolve => {
			const child = execFile(
				'kubectl',
				[...args, '--kubeconfig', kubeconfigPath, '--cache-dir', join(dir, 'cache'), ...(opts.context ? ['--context', opts.context] : [])],
				{env: {...process.env, HOME: dir, KUBECONFIG: kubeconfigPath}, timeout: 60_000},
				(error, stdout, stderr) => resolve({code: error ? (typeof error.code === 'number' ? error.code : 1) : 0, stdout, stderr}),
			);
			if (opts.input !== undefined) child.stdin?.end(opts.input);
		});
	return {
		sim,
		dir,
		kubeconfigPath,
		kubectl,
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
