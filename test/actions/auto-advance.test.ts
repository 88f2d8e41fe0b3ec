// --auto-advance through the action controller against the simulated cluster: the `]` step without a dialog,
// the record on the canary Deployment, and an audit Event that says automatic; a stop recorded the same way,
// which holds a view started again until the weight is moved by hand. Each test has a sim of its own.
import assert from 'node:assert/strict';
import {describe, test} from 'node:test';
import {defaultActionConfig} from '../../source/actions/config.js';
import {ActionController} from '../../source/live/action-controller.js';
import {KubeClient} from '../../source/kube/client.js';
import {watchRelease} from '../../source/live/release-watch.js';
import {initialState} from '../../source/store/state.js';
import {Store} from '../../source/store/store.js';
import type {ClusterSnapshot} from '../../source/release/snapshot.js';
import {AUTO_ADVANCE_ANNOTATION, readAdvanceRecord} from '../../source/verdict/advance.js';
import {startAdvancer} from '../../source/live/advancer.js';
import type {VerdictState} from '../../source/verdict/judge.js';
import {startTestSim, waitFor, type TestSim} from '../helpers/sim.js';
import {settled} from './helpers.js';

const routes = (t: TestSim) => t.sim.store.get('networking.istio.io/virtualservices', 'canary', 'checkout')!.spec.http[0].route.map((r: {weight: number}) => r.weight);

/** The canary scenario, rolled out, for one test; stopped when the test ends. */
async function canarySim(context: {after: (fn: () => Promise<void>) => void}): Promise<TestSim> {
	const t = await startTestSim({scenario: 'canary', speed: 20});
	context.after(() => t.stop());
	await settled(t.sim, 'canary');
	return t;
}

/** The canary at `weight` of the VirtualService, with an auto-advance record, as a view left it. */
function advancedTo(t: TestSim, record: {step: number; weight: number; at: string}): void {
	t.sim.store.mutate('networking.istio.io/virtualservices', 'canary', 'checkout', vs => {
		vs.spec.http[0].route[0].weight = 100 - record.weight;
		vs.spec.http[0].route[1].weight = record.weight;
	});
	t.sim.store.mutate('apps/deployments', 'canary', 'checkout-canary', d => {
		d.metadata.annotations = {...d.metadata.annotations, [AUTO_ADVANCE_ANNOTATION]: JSON.stringify(record)};
	});
}

describe('auto-advance against the simulated cluster', () => {
	async function open(t: TestSim, readOnly = false, snapshot?: (watched: ClusterSnapshot) => ClusterSnapshot) {
		const client = KubeClient.load({kubeconfig: t.kubeconfigPath, namespace: 'canary'});
		const store = new Store(initialState(client.context, 'canary', 'deploy/checkout'), 10);
		const watch = watchRelease(client, store, {batchMs: 10});
		const controller = new ActionController({client, snapshot: snapshot ? () => snapshot(watch.snapshot()) : watch.snapshot, refresh: watch.refresh, store}, {readOnly, dryRun: false, config: defaultActionConfig});
		controller.start();
		await waitFor('the release', () => store.getState().connection.state === 'live' && store.getState().release?.versions.length);
		return {controller, store, stop: () => (controller.stop(), watch.stop(), store.close())};
	}

	test('the next plan step is written with the record, and the Event says automatic', async context => {
		const t = await canarySim(context);
		const o = await open(t);
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

	const canaryRecord = (t: TestSim) => readAdvanceRecord(t.sim.store.get('apps/deployments', 'canary', 'checkout-canary')!.metadata.annotations?.[AUTO_ADVANCE_ANNOTATION]);
	const judge = (o: {store: Store}, state: VerdictState, reason: string, windowStart = Date.now()) =>
		o.store.dispatch({type: 'verdict', verdict: {verdict: {state, reason, slis: [], failingWindows: state === 'fail' ? 3 : 0}, windowStart}});
	/** An advancer as the live view wires it, with short times. */
	const advancerOn = (o: Awaited<ReturnType<typeof open>>) =>
		startAdvancer({
			store: o.store,
			intervalMs: 200,
			tickMs: 50,
			position: () => o.controller.advancePosition(),
			advance: (to, step, reason) => o.controller.autoAdvance(to, step, reason),
			recordStop: stop => o.controller.recordAdvanceStop(stop),
		});

	test('a stop is recorded on the canary with an automatic Event; a view started again holds until the weight is moved by hand', async context => {
		const t = await canarySim(context);
		// Step 3 of the plan, 50%, a minute ago.
		advancedTo(t, {step: 3, weight: 50, at: new Date(Date.now() - 60_000).toISOString()});
		const before = canaryRecord(t);
		assert.equal(before?.weight, 50);
		assert.equal(before?.stopped, undefined);
		const o = await open(t);
		let advancer = advancerOn(o);
		try {
			judge(o, 'fail', 'errors 5.0 % vs 0.2 %, p < 0.001');
			const record = (await waitFor('the stop in the record', () => canaryRecord(t)?.stopped && canaryRecord(t)))!;
			assert.deepEqual({step: record.step, weight: record.weight, at: record.at}, {step: 3, weight: 50, at: before!.at}, 'the step keeps its time');
			assert.equal(record.stopped?.why, 'verdict fail at 50%');
			const revision = t.sim.store.get('apps/deployments', 'canary', 'checkout-canary')!.metadata.annotations!['deployment.kubernetes.io/revision'];
			assert.ok(revision);
			assert.equal(record.stopped?.revision, revision, 'the stop names the canary revision it was made at');
			assert.deepEqual(routes(t), [50, 50]);
			await waitFor('the label', () => o.store.getState().verdict?.autoAdvance === 'auto-advance stopped: verdict fail at 50%');
			const event = (await waitFor('the stop Event', () => o.store.getState().release?.events.find(e => e.reason === 'RollscopeAutoAdvanceStop')))!;
			assert.match(event.message, /stopped auto-advance of checkout-canary at 50% \(automatic: verdict fail at 50% — errors 5\.0 % vs 0\.2 %, p < 0\.001\)/);
		} finally {
			advancer.stop();
			o.stop();
		}

		// A view started again, the verdict now passing on a fresh window: it holds and says why.
		const again = await open(t);
		advancer = advancerOn(again);
		try {
			judge(again, 'pass', 'errors 0.2 % vs 0.2 %');
			await waitFor('the held label', () => /^auto-advance stopped earlier: verdict fail at 50% \(\d+s ago\)$/.test(again.store.getState().verdict?.autoAdvance ?? ''));
			assert.match(again.store.getState().actions?.activity?.text ?? '', /change the weight by hand or remove the rollscope\.dev\/auto-advance annotation to go on/);
			assert.deepEqual(routes(t), [50, 50]);
			// The operator moves the weight by hand: the stop at 50% no longer counts; the next step needs a
			// window that starts after the view saw 40%.
			const patch = JSON.stringify({spec: {http: [{name: 'primary', route: [{destination: {host: 'checkout', subset: 'stable'}, weight: 60}, {destination: {host: 'checkout', subset: 'canary'}, weight: 40}]}]}});
			const r = await t.kubectl(['-n', 'canary', 'patch', 'virtualservice', 'checkout', '--type', 'merge', '-p', patch]);
			assert.equal(r.code, 0, r.stderr);
			await waitFor('the view to see 40%', () => again.store.getState().verdict?.autoAdvance === 'auto-advance: waiting for a window that starts after the view saw the canary at 40%');
			judge(again, 'pass', 'errors 0.2 % vs 0.2 %');
			await waitFor('the step to 50% again', () => routes(t)[1] === 50 && canaryRecord(t)?.at !== before!.at);
			const record = canaryRecord(t)!;
			assert.equal(record.step, 3);
			assert.equal(record.stopped, undefined, 'a new step, no stop');
		} finally {
			advancer.stop();
			again.stop();
		}
	});

	test('a stop whose old record changed meanwhile is not written over (the test op), and says so', async context => {
		const t = await canarySim(context);
		advancedTo(t, {step: 3, weight: 50, at: new Date(Date.now() - 60_000).toISOString()});
		const current = t.sim.store.get('apps/deployments', 'canary', 'checkout-canary')!.metadata.annotations?.[AUTO_ADVANCE_ANNOTATION];
		// The view's copy of the canary holds an older record than the cluster's.
		const stale = JSON.stringify({step: 2, weight: 25, at: '2026-01-01T00:00:00.000Z'});
		assert.ok(current);
		const o = await open(t, false, snap => ({...snap, deployments: snap.deployments.map(d => (d.metadata.name === 'checkout-canary' ? {...d, metadata: {...d.metadata, annotations: {...d.metadata.annotations, [AUTO_ADVANCE_ANNOTATION]: stale}}} : d))}));
		try {
			assert.equal(o.controller.recordAdvanceStop({weight: 50, why: 'verdict marginal at 50%', reason: 'p95 90 ms vs 80 ms', at: new Date().toISOString()}), undefined);
			await waitFor('the problem', () => /^auto-advance stopped; not recorded: Deployment\/checkout-canary changed meanwhile/.test(o.store.getState().actions?.activity?.text ?? ''));
			assert.equal(t.sim.store.get('apps/deployments', 'canary', 'checkout-canary')!.metadata.annotations?.[AUTO_ADVANCE_ANNOTATION], current);
		} finally {
			o.stop();
		}
	});

	test('read-only: nothing moves, no stop is written', async context => {
		const t = await canarySim(context);
		const o = await open(t, true);
		try {
			assert.match(String(o.controller.autoAdvance(100, 4, 'verdict pass')), /read-only/);
			assert.match(String(o.controller.recordAdvanceStop({weight: 50, why: 'verdict fail at 50%', reason: '', at: new Date().toISOString()})), /read-only/);
		} finally {
			o.stop();
		}
	});
});
