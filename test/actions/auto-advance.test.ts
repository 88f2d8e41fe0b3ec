// --auto-advance through the action controller against the simulated cluster: the `]` step without a dialog,
// the record on the canary Deployment, and an audit Event that says automatic.
import assert from 'node:assert/strict';
import {after, before, describe, test} from 'node:test';
import {defaultActionConfig} from '../../source/actions/config.js';
import {ActionController} from '../../source/actions/controller.js';
import {KubeClient} from '../../source/kube/client.js';
import {watchRelease} from '../../source/kube/release-watch.js';
import {initialState} from '../../source/store/state.js';
import {Store} from '../../source/store/store.js';
import {AUTO_ADVANCE_ANNOTATION, readAdvanceRecord} from '../../source/verdict/advance.js';
import {startTestSim, waitFor, type TestSim} from '../helpers/sim.js';
import {settled} from './helpers.js';

const routes = (t: TestSim) => t.sim.store.get('networking.istio.io/virtualservices', 'canary', 'checkout')!.spec.http[0].route.map((r: {weight: number}) => r.weight);

describe('auto-advance against the simulated cluster', () => {
	let t: TestSim;
	before(async () => {
		t = await startTestSim({scenario: 'canary', speed: 20});
		await settled(t.sim, 'canary');
	});
	after(async () => {
		await t.stop();
	});

	async function open(readOnly = false) {
		const client = KubeClient.load({kubeconfig: t.kubeconfigPath, namespace: 'canary'});
		const store = new Store(initialState(client.context, 'canary', 'deploy/checkout'), 10);
		const watch = await watchRelease(client, store, {batchMs: 10});
		const controller = new ActionController({client, snapshot: watch.snapshot, refresh: watch.refresh, store}, {readOnly, dryRun: false, config: defaultActionConfig});
		controller.start();
		await waitFor('the release', () => store.getState().connection.state === 'live' && store.getState().release?.versions.length);
		return {controller, store, stop: () => (controller.stop(), watch.stop(), store.close())};
	}

	test('the next plan step is written with the record, and the Event says automatic', async () => {
		const o = await open();
		try {
			const position = o.controller.advancePosition();
			assert.ok(!('message' in position), JSON.stringify(position));
			assert.equal(position.current, 10);
			assert.deepEqual(position.plan, [5, 25, 50, 100]);
			assert.equal(position.record, undefined);
			assert.equal(o.controller.autoAdvance(25, 2, 'verdict pass: errors 0.1 % vs 0.1 %'), undefined);
			await waitFor('the outcome', () => o.store.getState().actions?.activity?.tone === 'ok');
			assert.deepEqual(routes(t), [75, 25]);
			const canary = t.sim.store.get('apps/deployments', 'canary', 'checkout-canary')!;
			const record = readAdvanceRecord(canary.metadata.annotations?.[AUTO_ADVANCE_ANNOTATION]);
			assert.equal(record?.step, 2);
			assert.equal(record?.weight, 25);
			await waitFor('the record in the watch', () => {
				const p = o.controller.advancePosition();
				return !('message' in p) && p.record?.weight === 25 && p.current === 25;
			});
			await waitFor('the event', () => o.store.getState().release?.events.find(e => e.reason === 'RollscopeSetWeight'));
			const event = o.store.getState().release!.events.find(e => e.reason === 'RollscopeSetWeight')!;
			assert.match(event.message, /set the weight of checkout-canary 10% -> 25% .*\(automatic: auto-advance step 2, verdict pass: errors 0\.1 % vs 0\.1 %\)/);
			// The next step replaces the record (testing the old one).
			assert.equal(o.controller.autoAdvance(50, 3, 'verdict pass'), undefined);
			await waitFor('step 3', () => routes(t)[1] === 50 && readAdvanceRecord(t.sim.store.get('apps/deployments', 'canary', 'checkout-canary')!.metadata.annotations?.[AUTO_ADVANCE_ANNOTATION])?.step === 3);
		} finally {
			o.stop();
		}
	});

	test('read-only: nothing moves', async () => {
		const o = await open(true);
		try {
			assert.match(String(o.controller.autoAdvance(100, 4, 'verdict pass')), /read-only/);
		} finally {
			o.stop();
		}
	});
});
