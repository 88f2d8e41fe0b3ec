// The live view in a real terminal (tmux), against the simulated cluster, changed with the real kubectl.
import assert from 'node:assert/strict';
import {spawn, type ChildProcess} from 'node:child_process';
import {mkdtempSync, rmSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {after, before, describe, test} from 'node:test';
import {startTestSim, waitFor, type TestSim} from '../helpers/sim.js';
import {cliCommand, repoRoot, Terminal} from '../helpers/tmux.js';

describe('rollscope demo in a terminal', () => {
	test('shows a canary release in motion, help, and quits cleanly', async () => {
		const term = new Terminal(cliCommand('demo'), {width: 140, height: 40});
		try {
			const first = await term.waitFor(/STABLE[\s\S]*CANARY|CANARY[\s\S]*STABLE/, 20_000);
			assert.match(first, /rollscope/);
			assert.match(first, /canary\/checkout/);
			await term.waitFor(/● live/);
			// The demo starts a new canary version on launch.
			await term.waitFor(/checkout:1\.3\.1/, 20_000);
			term.keys('?');
			await term.waitFor(/HELP/);
			term.keys('Escape');
			// A key right after Escape would read as Alt+key, so wait for the help to close first.
			await term.waitFor(/▸PODS/);
			term.keys('q');
			const end = await term.waitFor(/\[exited 0\]/);
			assert.match(end, /rollscope sim/);
		} finally {
			term.kill();
		}
	});

	test('without a TTY it says to use --once', async () => {
		const child = spawn(process.execPath, ['--import', 'tsx', 'source/cli.tsx', 'demo'], {cwd: repoRoot, stdio: ['ignore', 'pipe', 'pipe']});
		let stderr = '';
		child.stderr.on('data', d => (stderr += String(d)));
		const code = await new Promise<number | null>(resolve => child.on('exit', resolve));
		assert.equal(code, 2);
		assert.match(stderr, /--once/);
	});
});

describe('the view follows the cluster', () => {
	let t: TestSim;
	before(async () => {
		t = await startTestSim({scenario: 'canary', speed: 10});
	});
	after(async () => {
		await t.stop();
	});

	test('set image, scale and annotate with kubectl show on screen', async () => {
		const term = new Terminal(cliCommand('deploy/checkout-canary -n canary'), {width: 180, height: 50, env: {KUBECONFIG: t.kubeconfigPath}});
		try {
			await term.waitFor(/● live/);
			await term.waitFor(/checkout-canary/);
			let r = await t.kubectl(['-n', 'canary', 'set', 'image', 'deploy/checkout-canary', 'checkout=registry.local/checkout:9.9.9']);
			assert.equal(r.code, 0, r.stderr);
			await term.waitFor(/checkout:9\.9\.9/);
			r = await t.kubectl(['-n', 'canary', 'scale', 'deploy/checkout', '--replicas=7']);
			assert.equal(r.code, 0, r.stderr);
			await term.waitFor(/7\/7/, 30_000);
			r = await t.kubectl(['-n', 'canary', 'annotate', 'deploy/checkout-canary', 'kubernetes.io/change-cause=e2e says hello', '--overwrite']);
			assert.equal(r.code, 0, r.stderr);
			r = await t.kubectl(['-n', 'canary', 'set', 'image', 'deploy/checkout-canary', 'checkout=registry.local/checkout:9.9.10']);
			assert.equal(r.code, 0, r.stderr);
			await term.waitFor(/e2e says hello/, 30_000);
			term.keys('q');
			await term.waitFor(/\[exited 0\]/);
		} finally {
			term.kill();
		}
	});

	test('an unknown target lists what exists', async () => {
		const term = new Terminal(cliCommand('deploy/nope -n canary'), {width: 120, height: 30, env: {KUBECONFIG: t.kubeconfigPath}});
		try {
			// The problem line, then the releases the namespace has, in the picker.
			await term.waitFor(/✗ no Deployment named "nope" in namespace "canary"/);
			const screen = await term.waitFor(/deploy\/checkout/);
			assert.match(screen, /✗ no Deployment named "nope" in namespace "canary"/);
		} finally {
			term.kill();
		}
	});
});

describe('stale, then live again', () => {
	let dir: string;
	const children: ChildProcess[] = [];
	before(() => {
		dir = mkdtempSync(join(tmpdir(), 'rollscope-e2e-'));
	});
	after(() => {
		for (const c of children) if (c.exitCode === null) c.kill('SIGKILL');
		rmSync(dir, {recursive: true, force: true});
	});

	const startSimProcess = async (port: number): Promise<{child: ChildProcess; port: number}> => {
		const child = spawn(
			process.execPath,
			['--import', 'tsx', 'source/cli.tsx', 'sim', '--scenario', 'canary', '--speed', '10', '--port', String(port), '--state', join(dir, 'state.json'), '--kubeconfig-out', join(dir, 'kubeconfig')],
			{cwd: repoRoot, stdio: ['ignore', 'pipe', 'pipe']},
		);
		children.push(child);
		let out = '';
		child.stdout!.on('data', d => (out += String(d)));
		child.stderr!.on('data', d => (out += String(d)));
		const url = await waitFor('the sim to start', () => /serving the Kubernetes API at https:\/\/127\.0\.0\.1:(\d+)/.exec(out), 30_000);
		return {child, port: Number(url![1])};
	};

	test('killing the sim shows the view stale; restarting it with --state brings the view back live', async () => {
		const first = await startSimProcess(0);
		const term = new Terminal(cliCommand('deploy/checkout -n canary'), {width: 140, height: 40, env: {KUBECONFIG: join(dir, 'kubeconfig')}});
		try {
			await term.waitFor(/● live/, 20_000);
			await term.waitFor(/STABLE/);
			first.child.kill('SIGTERM');
			await new Promise(resolve => first.child.once('exit', resolve));
			await term.waitFor(/◌ stale since \d\d:\d\d:\d\d · API server: connection refused/, 45_000);
			await startSimProcess(first.port);
			await term.waitFor(/● live/, 60_000);
			const screen = await term.waitFor(/STABLE/);
			assert.doesNotMatch(screen, /\[exited/);
		} finally {
			term.kill();
		}
	});
});
