// `rollscope sim` in its own process, as an operator runs it, so that a test can freeze it (SIGSTOP, by the
// node process's own PID), stop it (SIGTERM, which saves --state) and start it again on the same port.
import {spawn, type ChildProcess} from 'node:child_process';
import {startSim} from '../../source/sim/cluster.js';
import {waitFor} from './sim.js';
import {repoRoot} from './tmux.js';

export type SimProcess = {child: ChildProcess; pid: number; port: number; url: string; stop(): Promise<void>};

/**
 * A still cluster of `scenario` saved to `statePath` (its pods made and ready), and its credentials: a sim
 * started from it does not move by itself, and a copy of it is an older state to restore.
 */
export async function saveStillState(statePath: string, scenario = 'canary'): Promise<void> {
	const sim = await startSim({scenario, still: true, speed: 20, statePath});
	try {
		const namespace = sim.scenarios[0]!.namespace;
		await waitFor('every pod ready', () => {
			const deployments = sim.store.list('apps/deployments', namespace);
			return deployments.length > 0 && deployments.every(d => d.status?.readyReplicas === d.spec.replicas && d.status?.updatedReplicas === d.spec.replicas);
		}, 30_000);
	} finally {
		await sim.stop();
	}
}

/** Start `rollscope sim --state statePath` (port 0: a free one) and wait until it serves. */
export async function startSimProcess(statePath: string, kubeconfigOut: string, port = 0, scenario = 'canary'): Promise<SimProcess> {
	// process.execPath, not npx: the PID is the node process's own.
	const child = spawn(process.execPath, ['--import', 'tsx', 'source/cli.tsx', 'sim', '--scenario', scenario, '--port', String(port), '--state', statePath, '--kubeconfig-out', kubeconfigOut], {cwd: repoRoot, stdio: ['ignore', 'pipe', 'pipe']});
	let out = '';
	child.stdout!.on('data', d => (out += String(d)));
	child.stderr!.on('data', d => (out += String(d)));
	const exited = new Promise<void>(resolve => child.once('exit', () => resolve()));
	const match = await waitFor(`the sim to serve (${out})`, () => {
		if (child.exitCode !== null) throw new Error(`the sim exited: ${out}`);
		return /serving the Kubernetes API at (https:\/\/127\.0\.0\.1:(\d+))/.exec(out);
	}, 60_000);
	return {
		child,
		pid: child.pid!,
		url: match![1]!,
		port: Number(match![2]),
		async stop() {
			if (child.exitCode !== null || child.signalCode !== null) return;
			child.kill('SIGCONT');
			child.kill('SIGTERM');
			await exited;
		},
	};
}
