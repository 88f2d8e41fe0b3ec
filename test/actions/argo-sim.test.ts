// The Argo Rollouts action builders' requests sent to the simulated cluster, and P through the view's
// actions. Each test starts its own sim and brings the Rollout to the state it starts from.
import assert from 'node:assert/strict';
import {describe, test} from 'node:test';
import {argoAbort, argoPause, argoPromote, argoResume, argoRetry, argoSetWeight, argoUndo, type ControllerPlanned} from '../../source/actions/argo.js';
import {KubeClient} from '../../source/kube/client.js';
import type {KObject} from '../../source/kube/object.js';
import {startTestSim, waitFor, type TestSim} from '../helpers/sim.js';
import {confirmation, confirmKey, openActions, planOf, rollscopeEvents, sendFresh, sendPlan} from './helpers.js';

const NS = 'argo-canary';
const path = `/apis/argoproj.io/v1alpha1/namespaces/${NS}/rollouts/orders`;

type Argo = {t: TestSim; client: KubeClient; get: () => Promise<KObject>; fresh: (build: (ro: KObject) => ControllerPlanned) => Promise<KObject | undefined>};

/** The argo-canary scenario for one test (stopped when it ends), the Rollout Healthy. */
async function argoSim(context: {after: (fn: () => Promise<void>) => void}): Promise<Argo> {
	const t = await startTestSim({scenario: NS, speed: 20});
	context.after(() => t.stop());
	const client = KubeClient.fromString(t.sim.kubeconfig(NS), NS);
	const get = () => client.request('GET', path);
	await waitFor('Healthy', async () => (await get()).status?.phase === 'Healthy', 30_000);
	return {t, client, get, fresh: build => sendFresh(client, get, build)};
}

/** A new image: the Rollout starts its steps and stops at the first pause (step 2 of 9); the Rollout then. */
async function pausedOn(a: Argo, image: string): Promise<KObject> {
	await a.client.request('PATCH', path, {contentType: 'application/json-patch+json', body: [{op: 'replace', path: '/spec/template/spec/containers/0/image', value: `registry.local/orders:${image}`}]});
	return (await waitFor('the pause at step 2', async () => {
		const ro = await a.get();
		return ro.status?.phase === 'Paused' && ro.status.currentStepIndex === 1 && ro.spec.template.spec.containers[0].image === `registry.local/orders:${image}` ? ro : undefined;
	}, 30_000))!;
}

describe('Argo Rollouts actions against the simulated cluster', () => {
	test('promote moves past the pause; a stale plan answers 409 Conflict', async context => {
		const a = await argoSim(context);
		const paused = await pausedOn(a, '2.5.0');
		const plan = planOf(argoPromote(paused));
		// Someone else changes the Rollout first: the plan's precondition no longer holds.
		await a.client.request('PATCH', path, {contentType: 'application/merge-patch+json', body: {metadata: {annotations: {touched: 'yes'}}}});
		await assert.rejects(sendPlan(a.client, plan), (e: any) => e.code === 409);
		assert.equal((await a.get()).status.currentStepIndex, 1);
		await a.fresh(argoPromote);
		await waitFor('the next steps', async () => ((await a.get()).status?.currentStepIndex ?? 0) >= 2);
	});

	test('abort, then retry', async context => {
		const a = await argoSim(context);
		await pausedOn(a, '2.5.0');
		await a.fresh(argoAbort);
		await waitFor('Degraded', async () => (await a.get()).status?.phase === 'Degraded');
		await a.fresh(argoRetry);
		await waitFor('the steps again', async () => (await a.get()).status?.phase === 'Paused');
	});

	test('pause, resume, go to a step, undo', async context => {
		const a = await argoSim(context);
		const before = (await a.get()).spec.template.spec.containers[0].image;
		assert.equal(before, 'registry.local/orders:2.4.0');
		await pausedOn(a, '2.5.0');
		await a.fresh(argoPause);
		await waitFor('manually paused', async () => (await a.get()).status?.message === 'manually paused');
		await a.fresh(argoResume);
		await a.fresh(ro => argoSetWeight(ro, 60));
		await waitFor('step 5 (setWeight 60) or beyond', async () => ((await a.get()).status?.currentStepIndex ?? 0) >= 4);
		const replicaSets = (await a.client.list(`/apis/apps/v1/namespaces/${NS}/replicasets`)).items;
		await a.fresh(ro => argoUndo(ro, replicaSets, 1));
		await waitFor('Healthy on revision 1', async () => {
			const ro = await a.get();
			return ro.status?.phase === 'Healthy' && ro.spec.template.spec.containers[0].image === before;
		});
	});

	test("P through the view's actions: promote --full from the pause step ends Healthy on the new image, all steps done, with the audit Event", async context => {
		const a = await argoSim(context);
		const {t, client, get} = a;
		const paused = await pausedOn(a, '2.7.0');
		const stepCount = paused.spec.strategy.canary.steps.length;
		assert.equal(stepCount, 9);

		// --dry-run shows the request and sends nothing; --read-only refuses; r is for Flagger.
		const dry = await openActions(t, NS, 'rollout/orders', {dryRun: true});
		try {
			const c = confirmation(dry.controller.handle({name: 'promoteFull'}));
			assert.equal(c.dryRun, true);
			assert.ok(c.lines.includes(`PATCH ${path}/status`), c.lines.join('\n'));
			assert.ok(c.lines.some(l => l.trim() === '"promoteFull": true'), c.lines.join('\n'));
			assert.equal(c.onConfirm(), 'dry run: nothing sent (1 request shown)');
			assert.match(String(dry.controller.handle({name: 'restoreAnalysis'})), /^restore analysis \(r\) is for a Flagger Canary: rollout\/orders is an Argo Rollout/);
		} finally {
			dry.stop();
		}
		const readOnly = await openActions(t, NS, 'rollout/orders', {readOnly: true});
		try {
			assert.match(String(readOnly.controller.handle({name: 'promoteFull'})), /read-only/);
		} finally {
			readOnly.stop();
		}
		// The viewer may not patch rollouts/status: the access review says so before any key.
		const viewer = await openActions(t, NS, 'rollout/orders', {context: 'rollscope-sim-viewer'});
		try {
			await waitFor('denials', () => viewer.store.getState().actions?.denied.promote);
			assert.match(viewer.store.getState().actions!.denied.promote!, /patch rollouts\.argoproj\.io\/status denied/);
		} finally {
			viewer.stop();
		}
		assert.equal((await get()).status.currentStepIndex, 1, 'nothing written so far');
		assert.deepEqual(await rollscopeEvents(client, NS), []);

		const o = await openActions(t, NS, 'rollout/orders');
		try {
			const done = await confirmKey(o, {name: 'promoteFull'}, c => {
				assert.equal(c.title, 'promote rollout/orders fully');
				assert.deepEqual(c.lines, ['skip the remaining steps, pauses and analysis: the new version takes all traffic']);
			});
			assert.equal(done, 'promote rollout/orders fully: written; Argo Rollouts carries on');
		} finally {
			o.stop();
		}
		await waitFor('Healthy on 2.7.0, every step done', async () => {
			const ro = await get();
			return ro.status?.phase === 'Healthy' && ro.spec.template.spec.containers[0].image === 'registry.local/orders:2.7.0' && ro.status.currentStepIndex === stepCount && ro.status.stableRS === ro.status.currentPodHash;
		}, 30_000);
		const ro = await get();
		assert.equal(ro.status.promoteFull, undefined, 'the controller clears promoteFull once done');
		assert.deepEqual(ro.status.pauseConditions ?? [], []);
		const events = await rollscopeEvents(client, NS);
		assert.deepEqual(events.map(e => [e.reason, `${e.involvedObject.kind}/${e.involvedObject.name}`, e.message]), [
			['RollscopePromote', 'Rollout/orders', 'admin: promote rollout/orders fully: skip the remaining steps, pauses and analysis: the new version takes all traffic'],
		]);
	});
});
