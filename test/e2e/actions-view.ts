// Shared by the action end-to-end tests: rollscope in tmux against a test sim, and kubectl reads.
import assert from 'node:assert/strict';
import type {TestSim} from '../helpers/sim.js';
import {cliCommand, Terminal} from '../helpers/tmux.js';

/** Open rollscope on a target and wait until the release is on screen and live. */
export async function openView(t: TestSim, args: string, ready: RegExp, env: Record<string, string> = {}): Promise<Terminal> {
	const term = new Terminal(cliCommand(args), {width: 160, height: 45, env: {KUBECONFIG: t.kubeconfigPath, XDG_CONFIG_HOME: t.dir, ...env}});
	try {
		await term.waitFor(/● live/, 30_000);
		await term.waitFor(ready, 20_000);
	} catch (error) {
		term.kill();
		throw error;
	}
	return term;
}

/** Press a key that opens a confirmation, check what it says, and answer y. */
export async function confirmWith(term: Terminal, key: string[], shows: RegExp): Promise<void> {
	if (key.length > 0) term.keys(...key);
	await term.waitFor(/apply\? y yes/);
	await term.waitFor(shows);
	term.keys('y');
	await term.waitFor(/✓ |✗ /);
}

/** An object as kubectl prints it with -o json. */
export async function getJson(t: TestSim, args: string[], context?: string): Promise<any> {
	const r = await t.kubectl(['get', ...args, '-o', 'json'], context ? {context} : {});
	assert.equal(r.code, 0, r.stderr);
	return JSON.parse(r.stdout);
}

/** Events whose reason starts with Rollscope, in a namespace. */
export async function rollscopeEvents(t: TestSim, namespace: string): Promise<any[]> {
	const list = await getJson(t, ['events', '-n', namespace]);
	return list.items.filter((e: any) => String(e.reason).startsWith('Rollscope'));
}

export async function quit(term: Terminal): Promise<void> {
	term.keys('q');
	await term.waitFor(/\[exited 0\]/);
}
