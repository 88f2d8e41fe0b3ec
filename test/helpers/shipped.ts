// Helpers for the tests of what ships (the npm package, the single executable): run a program with exactly
// the environment given and collect its output, and what this checkout prints for the same arguments.
import assert from 'node:assert/strict';
import {execFile} from 'node:child_process';
import {readFileSync} from 'node:fs';
import {join} from 'node:path';
import {runCli} from './cli.js';
import {repoRoot} from './tmux.js';

export type Run = {code: number; stdout: string; stderr: string};

export function run(file: string, args: string[], options: {env?: NodeJS.ProcessEnv; cwd?: string; timeoutMs?: number} = {}): Promise<Run> {
	return new Promise(resolve => {
		execFile(
			file,
			args,
			{env: options.env ?? process.env, cwd: options.cwd, timeout: options.timeoutMs ?? 120_000, maxBuffer: 64 * 1024 * 1024},
			(error, stdout, stderr) => resolve({code: error ? (typeof error.code === 'number' ? error.code : 1) : 0, stdout, stderr}),
		);
	});
}

/** Run it and fail the test with its output unless it exits 0. */
export async function runOk(file: string, args: string[], options: Parameters<typeof run>[2] = {}): Promise<string> {
	const r = await run(file, args, options);
	assert.equal(r.code, 0, `${file} ${args.join(' ')} exited ${r.code}:\n${r.stdout}\n${r.stderr}`);
	return r.stdout;
}

export const packageVersion = (JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')) as {version: string}).version;

/** What `--once -o json` says of a release that does not age: what it is and its versions (ages and pods move on). */
export function releaseOutline(json: string): unknown {
	const r = JSON.parse(json) as {target: string; namespace: string; name: string; kind: string; versions: Array<Record<string, unknown>>};
	return {
		target: r.target,
		namespace: r.namespace,
		name: r.name,
		kind: r.kind,
		versions: r.versions.map(v => ({id: v.id, role: v.role, workload: v.workload, workloadKind: v.workloadKind, images: v.images, weight: v.weight})),
	};
}

/** This checkout's output (through tsx) for the same arguments, to compare a shipped build with. */
export async function checkoutOutput(args: string[], kubeconfigPath: string): Promise<string> {
	const r = await runCli(args, kubeconfigPath);
	assert.equal(r.code, 0, `the checkout's rollscope ${args.join(' ')}: ${r.stderr}`);
	return r.stdout;
}
