// An OpenKruise Rollout in a real terminal (tmux) on the simulated cluster: the strip follows the steps as the
// Deployment gets a new image, space pauses and resumes, p approves the paused step (what kubectl-kruise rollout
// approve writes); kubectl reads what was written.
import assert from 'node:assert/strict';
import {after, before, describe, test} from 'node:test';
import {kubectlOk, startTestSim, waitFor, type TestSim} from '../helpers/sim.js';
import {confirmWith, getJson, openView, quit, rollscopeEvents} from './actions-view.js';

const NS = 'kruise';

describe('a Kruise Rollout on screen', () => {
	let t: TestSim;
	before(async () => {
		t = await startTestSim({scenario: 'kruise', speed: 10});
	});
	after(async () => {
		await t.stop();
	});

	const rollout = () => getJson(t, ['rollouts.rollouts.kruise.io', 'rollouts-demo', '-n', NS]);

	test('the strip shows the steps, the state and the revisions; space pauses and resumes, p approves', async () => {
		await waitFor('Healthy', async () => (await rollout()).status?.phase === 'Healthy', 60_000);
		const term = await openView(t, `rollout/rollouts-demo -n ${NS}`, /KRUISE .*✓ Healthy/);
		try {
			let screen = term.screen();
			assert.match(screen, /Kruise Rollout/);
			assert.match(screen, /STEPS {2}✓20% · 1 pod · pause {2}✓50% · 50% pods · pause 10s {2}✓100% · 100% pods/);
			await kubectlOk(t, ['-n', NS, 'set', 'image', 'deployment/echoserver', 'echoserver=registry.local/echoserver:1.10.3']);
			screen = await term.waitFor(/◌ Progressing · step 1\/3 StepPaused · Rollout is in step\(1\/3\), and you need manually confirm/, 30_000);
			assert.match(screen, /STEPS {2}▶20% · 1 pod · pause {2}·50% · 50% pods · pause 10s {2}·100% · 100% pods {2}p approves the paused step/);
			assert.match(screen, /REVISIONS canary revision \w+ 1\/1 ready · stable revision \w+ · Ingress\/echoserver \(nginx\) for Service\/echoserver/);
			// The router and the traffic line read the canary Ingress, whose watch may bring it a render after the Rollout's status.
			await term.waitForAll([/Progressing · step 1\/3 StepPaused/, /Kruise Rollout · NGINX canary Ingress/, /traffic 80% \| 20% · managed by kruise-rollouts/]);

			// Paused at the step (nothing moves there): space pauses the Rollout, and again resumes it.
			await confirmWith(term, [' '], /spec\.strategy\.paused false → true/);
			await term.waitFor(/✓ pause rollout\/rollouts-demo: written/);
			assert.equal((await rollout()).spec.strategy.paused, true);
			await term.waitFor(/PAUSED \(spec\.strategy\.paused\)/, 20_000);
			await confirmWith(term, [' '], /spec\.strategy\.paused true → false/);
			await term.waitFor(/✓ resume rollout\/rollouts-demo: written/);
			await term.waitFor(/Progressing · step 1\/3 StepPaused · Rollout is in step/, 20_000);
			assert.doesNotMatch(term.screen(), /PAUSED/);

			await confirmWith(term, ['p'], /step 1\/3 \(20% · 1 pod · pause\): StepPaused → StepReady/);
			await term.waitFor(/✓ approve rollout\/rollouts-demo: written; Kruise Rollouts carries on/);
			await waitFor('past step 1', async () => (await rollout()).status?.canaryStatus?.currentStepIndex >= 2 || (await rollout()).status?.phase === 'Healthy', 30_000);
			const reasons = (await rollscopeEvents(t, NS)).map(e => `${e.reason} ${e.involvedObject.kind}/${e.involvedObject.name}`).sort();
			assert.deepEqual(reasons, ['RollscopePause Rollout/rollouts-demo', 'RollscopePromote Rollout/rollouts-demo', 'RollscopeResume Rollout/rollouts-demo']);
			await quit(term);
		} finally {
			term.kill();
		}
	});
});
