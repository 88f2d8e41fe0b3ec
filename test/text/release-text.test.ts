// `--once` text for progressive releases, end to end: rollscope runs as a child process against the sim
// (scenario `all`) and prints an Argo Rollout's phase, steps and weights, and a Flagger Canary's phase,
// weight and checks, above the versions, as the view's strip shows them.
import assert from 'node:assert/strict';
import {after, before, describe, test} from 'node:test';
import {startTestSim, waitFor, type TestSim} from '../helpers/sim.js';
import {runCli} from '../helpers/cli.js';

const once = (t: TestSim, args: string[]) => runCli([...args, '--once'], t.kubeconfigPath);

describe('--once text of progressive releases', () => {
	let t: TestSim;
	before(async () => {
		t = await startTestSim({scenario: 'all', speed: 10});
	});
	after(async () => {
		await t.stop();
	});

	test('an Argo Rollout: phase, the steps with the current one, set and actual weight', async () => {
		// Wait until the controller has put the rollout on a step.
		await waitFor('the rollout on a step', async () => (await t.kubectl(['-n', 'argo-canary', 'get', 'rollout', 'orders', '-o', 'jsonpath={.status.currentStepIndex}'])).stdout.trim() !== '');
		const r = await once(t, ['rollout/orders', '-n', 'argo-canary']);
		assert.equal(r.code, 0, r.stderr);
		const lines = r.stdout.split('\n');
		assert.match(r.stdout, /^argo rollout \(canary\): (Healthy|Progressing|Paused|Degraded)/m);
		assert.match(r.stdout, /^steps: [✓▶·]20% [✓▶·]pause [✓▶·]40% [✓▶·]pause 10s [✓▶·]analysis error-rate /m);
		assert.equal((r.stdout.match(/▶/g) ?? []).length <= 1, true, 'at most one current step');
		assert.match(r.stdout, /^(step \d+\/\d+( \(done\))? · )?set weight [\d.?]+%? · actual [\d.?]+%?/m);
		assert.ok(lines.indexOf(lines.find(l => l.startsWith('VERSION'))!) > lines.findIndex(l => l.startsWith('steps:')), 'the steps come before the versions');
	});

	test('a Flagger Canary: phase, weight against max, failed checks, iterations and checks', async () => {
		const r = await once(t, ['canary/podinfo', '-n', 'flagger']);
		assert.equal(r.code, 0, r.stderr);
		assert.match(r.stdout, /^flagger canary: \w+ · weight \d+%\/\d+% · failed checks \d+\/\d+ · iterations \d+/m);
		assert.match(r.stdout, /^checks: request-success-rate ≥ 99/m);
	});

	test('a plain Deployment has no such lines', async () => {
		const r = await once(t, ['deploy/checkout', '-n', 'canary']);
		assert.equal(r.code, 0, r.stderr);
		assert.doesNotMatch(r.stdout, /^(argo rollout|flagger canary|steps:)/m);
	});
});
