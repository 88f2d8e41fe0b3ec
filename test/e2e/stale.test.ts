// The live view in a real terminal against `rollscope sim` in its own process, as a real API server misbehaves:
// frozen (SIGSTOP) it is reported stale within 20 s and live again after SIGCONT; restarted from an older state
// it leaves no phantom pods; a weight change sent while it is frozen ends with what happened, and its audit Event.
import assert from 'node:assert/strict';
import {copyFileSync, mkdtempSync, rmSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {after, before, describe, test} from 'node:test';
import {runKubectl} from '../helpers/sim.js';
import {saveStillState, startSimProcess, type SimProcess} from '../helpers/sim-process.js';
import {cliCommand, Terminal} from '../helpers/tmux.js';

describe('the view against an API server that freezes and restarts', () => {
	let dir: string;
	const sims: SimProcess[] = [];
	const terms: Terminal[] = [];
	before(() => {
		dir = mkdtempSync(join(tmpdir(), 'rollscope-stale-'));
	});
	after(async () => {
		for (const term of terms) term.kill();
		for (const sim of sims) await sim.stop();
		rmSync(dir, {recursive: true, force: true});
	});

	/** A still canary cluster of its own in a sim process, and the view on deploy/checkout, live. */
	const setUp = async (name: string) => {
		const state = join(dir, `${name}.json`);
		const kubeconfig = join(dir, `${name}.kubeconfig`);
		await saveStillState(state);
		const sim = await startSimProcess(state, kubeconfig);
		sims.push(sim);
		const term = new Terminal(cliCommand('deploy/checkout -n canary'), {width: 160, height: 50, env: {KUBECONFIG: kubeconfig, XDG_CONFIG_HOME: dir}});
		terms.push(term);
		await term.waitFor(/● live/, 30_000);
		await term.waitFor(/CANARY/, 20_000);
		const kubectl = (...args: string[]) => runKubectl(kubeconfig, dir, args);
		return {state, kubeconfig, sim, term, kubectl};
	};

	test('frozen (SIGSTOP), the header says stale within 20 s; after SIGCONT the view is live and follows the cluster again', async () => {
		const {sim, term, kubectl} = await setUp('freeze');
		process.kill(sim.pid, 'SIGSTOP');
		const frozen = Date.now();
		const stale = await term.waitFor(/◌ stale since \d\d:\d\d:\d\d · API server: no answer within 3s/, 20_000);
		assert.ok(Date.now() - frozen < 20_000);
		assert.doesNotMatch(stale, /● live/);
		process.kill(sim.pid, 'SIGCONT');
		await term.waitFor(/● live/, 30_000);
		const r = await kubectl('-n', 'canary', 'set', 'image', 'deploy/checkout-canary', 'checkout=registry.local/checkout:7.7.7');
		assert.equal(r.code, 0, r.stderr);
		await term.waitFor(/checkout:7\.7\.7/, 20_000);
	});

	test('restarted from an older state (a restored etcd), the view drops the pods that state does not have within 10 s', async () => {
		const {state, kubeconfig, sim, term, kubectl} = await setUp('restore');
		copyFileSync(state, join(dir, 'restore-older.json'));
		const podNames = async () => {
			const r = await kubectl('-n', 'canary', 'get', 'pods', '-o', 'jsonpath={.items[*].metadata.name}');
			assert.equal(r.code, 0, r.stderr);
			return r.stdout.split(/\s+/).filter(Boolean);
		};
		const older = await podNames();
		const scaled = await kubectl('-n', 'canary', 'scale', 'deploy/checkout-canary', '--replicas=5');
		assert.equal(scaled.code, 0, scaled.stderr);
		let newer: string[] = [];
		const deadline = Date.now() + 30_000;
		while (newer.length < 3 && Date.now() < deadline) newer = (await podNames()).filter(n => !older.includes(n));
		assert.equal(newer.length, 3, 'three more canary pods');
		for (const name of newer) await term.waitFor(new RegExp(name), 20_000);
		// Stop (it saves the newer state), put the older one back, start again on the same port.
		await sim.stop();
		copyFileSync(join(dir, 'restore-older.json'), state);
		const restored = await startSimProcess(state, kubeconfig, sim.port);
		sims.push(restored);
		const settled = await waitForScreen(term, s => /● live/.test(s) && newer.every(n => !s.includes(n)), 10_000);
		assert.match(settled, new RegExp(older.find(n => n.startsWith('checkout-canary'))!), 'the restored pods are shown');
	});

	test('a weight change sent while the API server is frozen is followed up: written once it lands, with its audit Event', async () => {
		const {sim, term, kubectl} = await setUp('write');
		await term.waitFor(/traffic 90% \| 10%/);
		term.keys('5');
		await term.waitFor(/apply\? y yes/);
		process.kill(sim.pid, 'SIGSTOP');
		term.keys('y');
		await term.waitFor(/set the weight of checkout-canary: 10% → 50%: the API server did not answer \(no answer within 10s\); waiting for the watch/, 30_000);
		await term.waitFor(/◌ stale since/, 20_000);
		process.kill(sim.pid, 'SIGCONT');
		await term.waitFor(/✓ checkout-canary now has 50% \(VirtualService\/checkout\) \(written, though the API server did not answer in time \(no answer within 10s\)\)/, 30_000);
		await term.waitFor(/● live/);
		await term.waitFor(/traffic 50% \| 50%/);
		const r = await kubectl('-n', 'canary', 'get', 'events', '-o', 'json');
		assert.equal(r.code, 0, r.stderr);
		const events = JSON.parse(r.stdout).items.filter((e: any) => e.reason === 'RollscopeSetWeight');
		assert.deepEqual(events.map((e: any) => e.message), ['admin set the weight of checkout-canary 10% -> 50% (VirtualService/checkout)']);
	});
});

/** Wait until `check` holds for the screen; the error shows the last screen. */
async function waitForScreen(term: Terminal, check: (screen: string) => boolean, timeoutMs: number): Promise<string> {
	const deadline = Date.now() + Math.max(0, timeoutMs);
	let last = '';
	for (;;) {
		last = term.screen();
		if (check(last)) return last;
		if (Date.now() > deadline) throw new Error(`the screen never got there; last screen:\n${last}`);
		await new Promise(resolve => setTimeout(resolve, 100));
	}
}
