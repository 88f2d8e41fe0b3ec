// An Argo Rollout in a real terminal (tmux) on the simulated cluster, driven with the real kubectl and
// the exact patches the kubectl argo rollouts plugin sends (built by source/actions/argo.ts).
import assert from 'node:assert/strict';
import {after, before, describe, test} from 'node:test';
import {argoAbort, argoPromote, type ControllerPlanned} from '../../source/actions/argo.js';
import type {KObject} from '../../source/kube/object.js';
import {kubectlOk, startTestSim, waitFor, type TestSim} from '../helpers/sim.js';
import {cliCommand, Terminal} from '../helpers/tmux.js';

const NS = 'argo-canary';

describe('argo-canary on screen', () => {
	let t: TestSim;
	before(async () => {
		t = await startTestSim({scenario: 'argo-canary', speed: 10});
	});
	after(async () => {
		await t.stop();
	});

	const kubectl = (...args: string[]) => kubectlOk(t, ['-n', NS, ...args]);
	const rollout = async (): Promise<KObject> => JSON.parse(await kubectl('get', 'rollout', 'orders', '-o', 'json'));
	/** Send a plan's requests as the plugin would, with kubectl: its exact patches, status ones with --subresource=status. */
	const sendWithKubectl = async (planned: ControllerPlanned) => {
		if ('message' in planned) throw new Error(planned.message);
		for (const step of planned.plan.steps) {
			const args = ['patch', 'rollout', 'orders', '--type', step.contentType === 'application/json-patch+json' ? 'json' : 'merge', '-p', JSON.stringify(step.patch)];
			if (step.subresource) args.push('--subresource', step.subresource);
			await kubectl(...args);
		}
	};
	const newImage = (tag: string) => kubectl('patch', 'rollout', 'orders', '--type', 'json', '-p', JSON.stringify([{op: 'replace', path: '/spec/template/spec/containers/0/image', value: `registry.local/orders:${tag}`}]));

	test('the steps advance on screen; promote moves past the pause; abort sends all traffic to stable', async () => {
		// kubectl knows the kind by its short name and prints its columns.
		await waitFor('5 available pods', async () => /orders\s+5\s+5\s+5\s+5\s/.test(await kubectl('get', 'ro')));
		const term = new Terminal(cliCommand(`rollout/orders -n ${NS}`), {width: 170, height: 48, env: {KUBECONFIG: t.kubeconfigPath}});
		try {
			await term.waitFor(/● live/, 20_000);
			await term.waitFor(/ARGO .*✓ Healthy/);
			assert.match(term.screen(), /Argo Rollout/);

			// A new image: 20%, then the pause without a duration waits for a person.
			await newImage('2.5.0');
			let screen = await term.waitFor(/Paused: CanaryPauseStep · step 2\/9 · set 20% · actual 20%/, 20_000);
			assert.match(screen, /✓20% ▶pause ·40%/);
			// The traffic line reads the VirtualService, whose watch may bring it a render after the Rollout's status.
			await term.waitForAll([/Paused: CanaryPauseStep · step 2\/9 · set 20% · actual 20%/, /traffic 80% \| 20%/]);
			// It stays at the pause until promoted.
			await new Promise(r => setTimeout(r, t.sim.clock.toMs(20)));
			assert.match(term.screen(), /step 2\/9/);

			// promote: the plugin's status patch, sent with kubectl.
			const planned = argoPromote(await rollout());
			assert.ok('plan' in planned);
			assert.deepEqual(planned.plan.steps.map(s => JSON.stringify(s.patch)), ['{"status":{"pauseConditions":null}}']);
			await sendWithKubectl(planned);
			screen = await term.waitFor(/step 4\/9 · set 40%/, 20_000);
			assert.match(screen, /✓20% ✓pause ✓40% ▶pause 10s/);
			screen = await term.waitFor(/ANALYSIS .*error-rate/, 20_000);
			assert.match(screen, /pass if result\[0\] <= 0\.01/);
			await term.waitFor(/step 6\/9 · set 60%|step 7\/9 · set 60%/, 30_000);
			await term.waitFor(/step 8\/9 · set 80%|step 9\/9 · set 80%/, 30_000);
			await term.waitFor(/✓ Healthy · step 9\/9 \(done\) · set 100% · actual 100%/, 30_000);
			// The AnalysisRun is an object of its own, in a watch of its own: its Successful (the step analysis's,
			// steps before) is not on the Rollout's render for sure.
			await term.waitForAll([/✓ Healthy · step 9\/9 \(done\) · set 100% · actual 100%/, /ANALYSIS ✓ Successful/]);

			// Another image, then abort at the pause.
			await newImage('2.6.0');
			await term.waitFor(/Paused: CanaryPauseStep · step 2\/9/, 20_000);
			const abort = argoAbort(await rollout());
			assert.ok('plan' in abort);
			assert.deepEqual(abort.plan.steps.map(s => [JSON.stringify(s.patch), s.subresource]), [['{"status":{"abort":true}}', 'status']]);
			await sendWithKubectl(abort);
			screen = await term.waitFor(/✗ Degraded/, 20_000);
			assert.match(screen, /ABORTED: all traffic to stable/);
			// The VirtualService's watch may bring it a render after the Rollout's.
			await term.waitForAll([/✗ Degraded/, /ABORTED: all traffic to stable/, /traffic 100% \| 0%/]);
			// kubectl shows it too: the VirtualService and the Rollout's own weights.
			await waitFor('the VirtualService back on stable', async () => (await kubectl('get', 'virtualservice', 'orders', '-o', 'jsonpath={.spec.http[0].route[*].weight}')).trim() === '100 0');
			assert.equal((await kubectl('get', 'rollout', 'orders', '-o', 'jsonpath={.status.canary.weights.canary.weight}/{.status.canary.weights.stable.weight}/{.status.phase}')).trim(), '0/100/Degraded');
			term.keys('q');
			await term.waitFor(/\[exited 0\]/);
		} finally {
			term.kill();
		}
	});
});
