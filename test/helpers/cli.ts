// Run rollscope's CLI as a child process, without a TTY, against a kubeconfig; collect its output and exit code.
import {spawn} from 'node:child_process';
import {repoRoot} from './tmux.js';

export type CliRun = {code: number | null; stdout: string; stderr: string};

export function runCli(args: string[], kubeconfigPath: string, env: Record<string, string | undefined> = {}): Promise<CliRun> {
	const child = spawn(process.execPath, ['--import', 'tsx', 'source/cli.tsx', ...args], {cwd: repoRoot, env: {...process.env, ...env, KUBECONFIG: kubeconfigPath}, stdio: ['ignore', 'pipe', 'pipe']});
	const run: CliRun = {code: null, stdout: '', stderr: ''};
	child.stdout.on('data', d => (run.stdout += String(d)));
	child.stderr.on('data', d => (run.stderr += String(d)));
	return new Promise(resolve => child.on('exit', code => resolve({...run, code})));
}
