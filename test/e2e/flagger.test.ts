// A Flagger Canary in a real terminal (tmux) on the simulated cluster: its analysis advances on screen,
// and its failed checks rise when the canary's error annotation is raised with kubectl.
import assert from 'node:assert/strict';
import {after, before, describe, test} from 'node:test';
import {kubectlOk, startTestSim, waitFor, type TestSim} from '../helpers/sim.js';
import {cliCommand, Terminal} from '../helpers/tmux.js';

const NS = 'flagger';

describe('flagger on screen', () => {
	let t: TestSim;
	before(async () => {
		t = await startTestSim({scenario: 'flagger', speed: 10});
	});
	after(async () => {
		await t.stop();
	});

	const kubectl = (...args: string[]) => kubectlOk(t, ['-n', NS, ...args]);

	test('the canary advances; raising its error rate makes the failed checks rise, then it rolls back', async () => {
		await waitFor('Flagger to initialise', async () => /podinfo\s+Initialized\s+0/.test(await kubectl('get', 'canary')), 30_000);
		const term = new Terminal(cliCommand(`canary/podinfo -n ${NS}`), {width: 170, height: 48, env: {KUBECONFIG: t.kubeconfigPath}});
		try {
			await term.waitFor(/● live/, 20_000);
			let screen = await term.waitFor(/FLAGGER .*Initialized/);
			assert.match(screen, /Flagger Canary/);
			assert.match(screen, /CHECKS request-success-rate ≥ 99% · request-duration ≤ 500ms/);

			await kubectl('set', 'image', 'deploy/podinfo', 'podinfo=registry.local/podinfo:6.6.0');
			await term.waitFor(/Progressing · weight 10% \/ max 50%/, 30_000);
			// The traffic line reads the VirtualService, whose watch may bring it a render after the Canary's status.
			await term.waitForAll([/Progressing · weight 20% \/ max 50% .* failed checks 0\/5/, /traffic 80% \| 20%/], 30_000);

			// A bad canary: its pod template's error annotation raised to 20%.
			await kubectl('patch', 'deploy/podinfo', '-p', JSON.stringify({spec: {template: {metadata: {annotations: {'sim.rollscope.dev/error-rate': '0.2'}}}}}));
			await term.waitFor(/failed checks 1\/5/, 30_000);
			// The reason comes in an Event, which its own watch may bring a batch after the Canary's status.
			await term.waitFor(/failed checks [1-5]\/5[\s\S]*Halt podinfo\.flagger advancement success rate 80\.00% < 99%/);
			await term.waitFor(/failed checks [2-5]\/5/, 30_000);
			screen = await term.waitFor(/✗ Failed/, 30_000);
			assert.match(screen, /failed checks 5\/5/);
			// The VirtualService back on the primary: likewise its own watch.
			await term.waitForAll([/✗ Failed/, /traffic 100% \| 0%/]);
			assert.match(await kubectl('get', 'canary', 'podinfo'), /podinfo\s+Failed\s+0\s+5\s/);
			term.keys('q');
			await term.waitFor(/\[exited 0\]/);
		} finally {
			term.kill();
		}
	});
});
