// OpenKruise Rollouts on the sim, read through rollscope's real path (`--once` and `-o json` against the sim's
// kubeconfig) in both API versions: the kruise scenario's v1beta1 Rollout (partition style) and the basic usage
// guide's v1alpha1 one (canary style), each paused at its first step; kubectl prints each version's columns.
import assert from 'node:assert/strict';
import {join} from 'node:path';
import {after, before, describe, test} from 'node:test';
import {runCli} from '../helpers/cli.js';
import {kubectlOk, startTestSim, waitFor, type TestSim} from '../helpers/sim.js';

describe('Kruise Rollouts read through rollscope, both API versions', () => {
	let t: TestSim;
	before(async () => {
		t = await startTestSim({scenario: 'kruise', speed: 20});
		await kubectlOk(t, ['create', 'namespace', 'kruise-v1alpha1']);
		await kubectlOk(t, ['apply', '-n', 'kruise-v1alpha1', '-f', join(import.meta.dirname, '..', 'testdata', 'sim', 'kruise', 'v1alpha1.yaml')]);
		for (const ns of ['kruise', 'kruise-v1alpha1']) {
			await waitFor(`${ns} Healthy`, () => t.sim.store.get('rollouts.kruise.io/rollouts', ns, 'rollouts-demo')?.status?.phase === 'Healthy', 60_000);
			await kubectlOk(t, ['-n', ns, 'set', 'image', 'deployment/echoserver', 'echoserver=registry.local/echoserver:1.10.3']);
		}
		for (const ns of ['kruise', 'kruise-v1alpha1']) {
			await waitFor(`${ns} paused at step 1`, () => {
				const ro = t.sim.store.get('rollouts.kruise.io/rollouts', ns, 'rollouts-demo');
				return ro?.status?.phase === 'Progressing' && ro.status.canaryStatus?.currentStepState === 'StepPaused';
			}, 60_000);
		}
	});
	after(async () => {
		await t.stop();
	});

	async function once(args: string[]): Promise<string> {
		const run = await runCli(args, t.kubeconfigPath);
		assert.equal(run.code, 0, run.stderr);
		return run.stdout;
	}

	test('v1beta1, partition: the Deployment\'s stable and new ReplicaSets, 20% through the canary Ingress, the steps and the state', async () => {
		const ro = t.sim.store.get('rollouts.kruise.io/rollouts', 'kruise', 'rollouts-demo')!;
		const stable = `echoserver-${ro.status.canaryStatus.stableRevision}`;
		const canary = `echoserver-${ro.status.canaryStatus.podTemplateHash}`;
		const release = JSON.parse(await once(['rollout/rollouts-demo', '-n', 'kruise', '--once', '-o', 'json']));
		assert.equal(release.kind, 'kruise-rollout');
		assert.deepEqual(release.versions.map((v: any) => [v.id, v.role, v.pods, v.weight, v.images[0]]), [
			[stable, 'stable', 3, 80, 'registry.local/echoserver:1.10.2'],
			[canary, 'canary', 1, 20, 'registry.local/echoserver:1.10.3'],
		]);
		assert.deepEqual(release.traffic, {router: 'nginx', object: 'Ingress/echoserver-canary', weights: {[stable]: 80, [canary]: 20}, managedBy: 'kruise-rollouts'});
		assert.deepEqual([release.kruise.apiVersion, release.kruise.style, release.kruise.state, release.kruise.step, release.kruise.canaryReplicas], ['v1beta1', 'partition', 'StepPaused', {index: 1, count: 3}, 1]);
		const text = await once(['deploy/echoserver', '-n', 'kruise', '--once']);
		assert.match(text, /^kruise\/rollouts-demo {2}kruise-rollout via nginx Ingress\/echoserver-canary {2}context rollscope-sim\n/);
		assert.match(text, /\nkruise rollout \(partition, v1beta1\) of Deployment\/echoserver: Progressing · step 1\/3 StepPaused · Rollout is in step\(1\/3\), and you need manually confirm to enter the next step\n/);
		assert.match(text, /\nsteps: ▶20% · 1 pod · pause {2}·50% · 50% pods · pause 10s {2}·100% · 100% pods\n/);
		assert.match(text, new RegExp(`\\ncanary revision \\w+ 1/1 ready · stable revision ${ro.status.canaryStatus.stableRevision} · Ingress/echoserver \\(nginx\\) for Service/echoserver\\n`));
	});

	test('v1alpha1, canary style: the canary Deployment\'s ReplicaSet as the canary, 5% of the traffic', async () => {
		const release = JSON.parse(await once(['rollout/rollouts-demo', '-n', 'kruise-v1alpha1', '--once', '-o', 'json']));
		assert.deepEqual([release.kruise.apiVersion, release.kruise.style, release.kruise.state], ['v1alpha1', 'canary', 'StepPaused']);
		const [stable, canary] = release.versions;
		assert.deepEqual([stable.role, stable.pods, canary.role, canary.pods], ['stable', 5, 'canary', 1]);
		assert.match(canary.id, /^echoserver-[a-z0-9]{5}-[a-z0-9]+$/, 'a ReplicaSet of the canary Deployment');
		assert.deepEqual([stable.weight, canary.weight], [95, 5]);
		assert.deepEqual(release.kruise.steps.map((s: any) => s.label), ['5% · 20% pods · pause', '50% · 50% pods · pause', '100% · 100% pods']);
		// Its canary Deployment opens it too.
		const name = canary.id.replace(/-[a-z0-9]+$/, '');
		const byCanary = JSON.parse(await once([`deploy/${name}`, '-n', 'kruise-v1alpha1', '--once', '-o', 'json']));
		assert.deepEqual([byCanary.kind, byCanary.target], ['kruise-rollout', `deploy/${name}`]);
	});

	test('kubectl: each version prints its own columns; rollouts.rollouts.kruise.io and the v1alpha1 resource both list them', async () => {
		assert.match(await kubectlOk(t, ['-n', 'kruise', 'get', 'rollouts.rollouts.kruise.io']), /^NAME\s+STATUS\s+CANARY_STEP\s+CANARY_STATE\s+MESSAGE\s+AGE\nrollouts-demo\s+Progressing\s+1\s+StepPaused\s+Rollout is in step\(1\/3\), and you need manually confirm to enter the next step\s+\d+s\n$/);
		// v1alpha1 reads the step from canaryStatus (its status has none at the top).
		assert.match(await kubectlOk(t, ['-n', 'kruise-v1alpha1', 'get', 'rollouts.v1alpha1.rollouts.kruise.io']), /^NAME\s+STATUS\s+CANARY_STEP\s+CANARY_STATE\s+MESSAGE\s+AGE\nrollouts-demo\s+Progressing\s+1\s+StepPaused\s+/);
		assert.match(await kubectlOk(t, ['-n', 'kruise', 'get', 'batchreleases.rollouts.kruise.io']), /^NAME\s+KIND\s+PHASE\s+BATCH\s+BATCH-STATE\s+AGE\nrollouts-demo\s+\s+Progressing\s+0\s+Ready\s+\d+s\n$/);
	});
});
