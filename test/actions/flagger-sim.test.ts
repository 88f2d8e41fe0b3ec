// The Flagger action builders' requests sent to the simulated cluster, and p / r / P through the view's
// actions. Each test starts its own sim and brings the Canary to the state it starts from.
import assert from 'node:assert/strict';
import {describe, test} from 'node:test';
import type {ControllerPlanned} from '../../source/actions/argo.js';
import {flaggerPromote, flaggerRestoreAnalysis, flaggerResume, flaggerSuspend, flaggerUndo} from '../../source/actions/flagger.js';
import {KubeClient} from '../../source/kube/client.js';
import type {KObject} from '../../source/kube/object.js';
import {startTestSim, waitFor, type TestSim} from '../helpers/sim.js';
import {confirmKey, openActions, rollscopeEvents, sendFresh} from './helpers.js';

const NS = 'flagger';
const path = `/apis/flagger.app/v1beta1/namespaces/${NS}/canaries/podinfo`;
const deployPath = `/apis/apps/v1/namespaces/${NS}/deployments/podinfo`;

type Flagger = {t: TestSim; client: KubeClient; get: () => Promise<KObject>; send: (build: (canary: KObject) => ControllerPlanned) => Promise<KObject | undefined>; image: (tag: string) => Promise<unknown>};

/** The flagger scenario for one test (stopped when it ends), its Canary initialised. */
async function flaggerSim(context: {after: (fn: () => Promise<void>) => void}): Promise<Flagger> {
	const t = await startTestSim({scenario: NS, speed: 20});
	context.after(() => t.stop());
	const client = KubeClient.fromString(t.sim.kubeconfig(NS), NS);
	const get = () => client.request('GET', path);
	await waitFor('Initialized', async () => (await get()).status?.phase === 'Initialized', 30_000);
	return {
		t,
		client,
		get,
		send: build => sendFresh(client, get, build),
		image: tag => client.request('PATCH', deployPath, {contentType: 'application/json-patch+json', body: [{op: 'replace', path: '/spec/template/spec/containers/0/image', value: `registry.local/podinfo:${tag}`}]}),
	};
}

describe('Flagger actions against the simulated cluster', () => {
	test('suspend holds the weight; promote (skipAnalysis) finishes the run; undo starts a new one', async context => {
		const {t, client, get, send, image} = await flaggerSim(context);
		await image('6.6.0');
		await waitFor('weight 10', async () => (await get()).status?.canaryWeight === 10, 30_000);
		await send(flaggerSuspend);
		const held = (await get()).status.canaryWeight;
		// Three and a half analysis intervals of the sim's clock: a suspended Canary does not move.
		await new Promise(r => setTimeout(r, t.sim.clock.toMs(35)));
		assert.equal((await get()).status.canaryWeight, held);
		await send(flaggerResume);
		await send(flaggerPromote);
		await waitFor('Succeeded', async () => (await get()).status?.phase === 'Succeeded', 30_000);
		await send(flaggerRestoreAnalysis);
		const target = await client.request('GET', deployPath);
		const replicaSets = (await client.list(`/apis/apps/v1/namespaces/${NS}/replicasets`)).items.filter((rs: KObject) => rs.metadata.ownerReferences?.[0]?.name === 'podinfo');
		const first = replicaSets.find((rs: KObject) => rs.metadata.annotations?.['deployment.kubernetes.io/revision'] === '1');
		assert.ok(first);
		await send(canary => flaggerUndo(canary, target, first));
		await waitFor('a new run on the old image', async () => {
			const c = await get();
			const d = await client.request('GET', deployPath);
			return c.status?.phase === 'Progressing' && d.spec.template.spec.containers[0].image === 'registry.local/podinfo:6.5.0';
		}, 30_000);
	});

	test("through the view's actions: p promotes (skipAnalysis), then r restores the analysis; P says Flagger has none", async context => {
		const {t, client, get, image} = await flaggerSim(context);
		await image('6.7.0');
		await waitFor('a run on 6.7.0', async () => (await get()).status?.phase === 'Progressing', 30_000);
		const o = await openActions(t, NS, 'canary/podinfo');
		try {
			assert.match(String(o.controller.handle({name: 'restoreAnalysis'})), /canary\/podinfo does not skip analysis/);
			assert.match(String(o.controller.handle({name: 'promoteFull'})), /^Flagger has no promote --full: p promotes canary\/podinfo/);
			await confirmKey(o, {name: 'promote'});
			await waitFor('Succeeded without analysis', async () => (await get()).status?.phase === 'Succeeded', 30_000);
			assert.equal((await get()).spec.skipAnalysis, true, 'skipAnalysis stays set after the promotion');
			const done = await confirmKey(o, {name: 'restoreAnalysis'}, c => {
				assert.equal(c.title, 'analyse canary/podinfo again');
				assert.deepEqual(c.lines, ['spec.skipAnalysis true → false: the next revision runs the analysis']);
			});
			assert.equal(done, 'analyse canary/podinfo again: written; Flagger carries on');
			assert.equal((await get()).spec.skipAnalysis, false);
			assert.match(String(o.controller.handle({name: 'restoreAnalysis'})), /does not skip analysis/);
		} finally {
			o.stop();
		}
		const events = (await rollscopeEvents(client, NS)).map(e => [e.reason, `${e.involvedObject.kind}/${e.involvedObject.name}`, e.message]).sort();
		assert.deepEqual(
			events.map(e => e.slice(0, 2)),
			[
				['RollscopePromote', 'Canary/podinfo'],
				['RollscopeResume', 'Canary/podinfo'],
			],
		);
		assert.equal(events[1]![2], 'admin: analyse canary/podinfo again: spec.skipAnalysis true → false: the next revision runs the analysis');
		// The next revision runs the analysis again.
		await image('6.8.0');
		await waitFor('an analysed run on 6.8.0', async () => {
			const c = await get();
			return c.status?.phase === 'Progressing' && (c.status.canaryWeight ?? 0) > 0;
		}, 30_000);
	});
});
