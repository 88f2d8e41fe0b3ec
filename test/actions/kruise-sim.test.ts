// The keys on OpenKruise Rollouts through the view's action controller against the sim, on a v1beta1 Rollout
// (the kruise scenario) and a v1alpha1 one, with --read-only and --dry-run; each test with a sim of its own.
import assert from 'node:assert/strict';
import {join} from 'node:path';
import {afterEach, beforeEach, describe, test} from 'node:test';
import type {KObject} from '../../source/kube/object.js';
import {kubectlOk, startTestSim, waitFor, type TestSim} from '../helpers/sim.js';
import {confirmation, confirmKey, openActions, rollscopeEvents} from './helpers.js';

describe('the keys on Kruise Rollouts, against the sim', () => {
	// Each test has a sim of its own: the kruise scenario (v1beta1), and the same Rollout in v1alpha1 beside it.
	let t: TestSim;
	beforeEach(async () => {
		t = await startTestSim({scenario: 'kruise', speed: 20});
		await kubectlOk(t, ['create', 'namespace', 'kruise-v1alpha1']);
		await kubectlOk(t, ['apply', '-n', 'kruise-v1alpha1', '-f', join(import.meta.dirname, '..', 'testdata', 'sim', 'kruise', 'v1alpha1.yaml')]);
	});
	afterEach(async () => {
		await t.stop();
	});

	const rollout = async (ns: string): Promise<KObject> => JSON.parse(await kubectlOk(t, ['-n', ns, 'get', 'rollouts.rollouts.kruise.io', 'rollouts-demo', '-o', 'json']));
	const state = async (ns: string) => (await rollout(ns)).status?.canaryStatus;
	/** A new image once Healthy; then the release paused at step 1 (a canceled release leaves its status until the next begins). */
	async function releasing(ns: string, image: string): Promise<void> {
		await waitFor('Healthy', async () => (await rollout(ns)).status?.phase === 'Healthy' && (await state(ns)) !== undefined, 60_000);
		const before = (await state(ns))?.canaryRevision;
		await kubectlOk(t, ['-n', ns, 'set', 'image', 'deployment/echoserver', `echoserver=${image}`]);
		await waitFor('paused at step 1', async () => {
			const ro = await rollout(ns);
			const sub = ro.status?.canaryStatus;
			return ro.status?.phase === 'Progressing' && sub?.canaryRevision !== before && sub?.currentStepIndex === 1 && sub?.currentStepState === 'StepPaused';
		}, 60_000);
	}

	for (const [ns, version] of [['kruise', 'v1beta1'], ['kruise-v1alpha1', 'v1alpha1']] as const) {
		test(`${version}: p approves the paused step, space pauses and resumes, u puts the template back; each leaves its audit Event`, async () => {
			await releasing(ns, 'registry.local/echoserver:1.10.3');
			const o = await openActions(t, ns, 'rollout/rollouts-demo');
			try {
				await waitFor('access reviewed', () => o.store.getState().actions?.mode === 'enabled');
				assert.equal(o.store.getState().release?.kruise?.apiVersion, version);
				// p: StepPaused → StepReady through the status subresource; Kruise goes on to step 2.
				await confirmKey(o, {name: 'promote'}, c => assert.equal(c.title, 'approve rollout/rollouts-demo'));
				await waitFor('step 2', async () => (await state(ns))?.currentStepIndex === 2, 30_000);
				// space: spec.strategy.paused, twice.
				await confirmKey(o, {name: 'pause'}, c => assert.deepEqual(c.lines, ['spec.strategy.paused false → true: the steps hold where they are (replicas and traffic stay)']));
				assert.equal((await rollout(ns)).spec.strategy.paused, true);
				await waitFor('the view sees it paused', () => o.store.getState().release?.kruise?.paused === true);
				await confirmKey(o, {name: 'pause'}, c => assert.equal(c.title, 'resume rollout/rollouts-demo'));
				assert.equal((await rollout(ns)).spec.strategy.paused, false);
				// u: the revision picker of the Deployment; the stable revision puts the template back and Kruise cancels.
				await waitFor('the view sees it resumed', () => o.store.getState().release?.kruise?.paused === false);
				const picker = o.controller.handle({name: 'undo'});
				assert.ok(picker && typeof picker === 'object' && 'pickRevision' in picker, JSON.stringify(picker));
				assert.equal(picker.pickRevision.workload, 'echoserver');
				const stable = picker.pickRevision.revisions.find(r => r.images.includes('registry.local/echoserver:1.10.2'));
				assert.ok(stable, JSON.stringify(picker.pickRevision.revisions));
				const c = confirmation(picker.pickRevision.onPick(stable.revision));
				assert.ok(c.lines.includes('it is the stable revision: Kruise cancels the release and rolls back at once'), c.lines.join('\n'));
				c.onConfirm();
				await waitFor('the template back', async () => JSON.parse(await kubectlOk(t, ['-n', ns, 'get', 'deploy', 'echoserver', '-o', 'json'])).spec.template.spec.containers[0].image === 'registry.local/echoserver:1.10.2', 30_000);
				await waitFor('canceled, Healthy', async () => (await rollout(ns)).status?.message === 'Rollout progressing has been canceled' && (await rollout(ns)).status?.phase === 'Healthy', 60_000);
				const reasons = (await rollscopeEvents(o.client, ns)).map(e => `${e.reason} ${e.involvedObject.kind}/${e.involvedObject.name}`).sort();
				assert.deepEqual(reasons, ['RollscopePause Rollout/rollouts-demo', 'RollscopePromote Rollout/rollouts-demo', 'RollscopeResume Rollout/rollouts-demo', 'RollscopeUndo Rollout/rollouts-demo']);
				// No weight API, no promote --full, no earlier step without traffic in these steps.
				assert.match(String(o.controller.handle({name: 'weightUp'})), /moves its traffic by its steps/);
				assert.match(String(o.controller.handle({name: 'promoteFull'})), /has no promote --full/);
			} finally {
				o.stop();
			}
		});
	}

	test('--read-only refuses the keys and --dry-run shows the status patch without sending it', async () => {
		await releasing('kruise', 'registry.local/echoserver:1.10.4');
		const before = (await rollout('kruise')).metadata.resourceVersion;
		const readOnly = await openActions(t, 'kruise', 'rollout/rollouts-demo', {readOnly: true});
		try {
			assert.equal(readOnly.controller.handle({name: 'promote'}), 'read-only (started with --read-only): nothing changes');
		} finally {
			readOnly.stop();
		}
		const dry = await openActions(t, 'kruise', 'rollout/rollouts-demo', {dryRun: true});
		try {
			const c = confirmation(dry.controller.handle({name: 'promote'}));
			assert.equal(c.dryRun, true);
			const text = c.lines.join('\n');
			assert.match(text, /PATCH \/apis\/rollouts\.kruise\.io\/v1beta1\/namespaces\/kruise\/rollouts\/rollouts-demo\/status\n {2}Content-Type: application\/merge-patch\+json/);
			assert.match(text, /"currentStepState": "StepReady"/);
			assert.match(String(c.onConfirm()), /^dry run: nothing sent/);
		} finally {
			dry.stop();
		}
		assert.equal((await rollout('kruise')).metadata.resourceVersion, before);
		assert.equal((await state('kruise'))?.currentStepState, 'StepPaused');
	});
});
