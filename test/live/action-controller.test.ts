// The action controller against the simulated cluster: real client, real watch, real store.
import assert from 'node:assert/strict';
import {after, before, describe, test} from 'node:test';
import {defaultActionConfig} from '../../source/actions/config.js';
import {ActionController} from '../../source/live/action-controller.js';
import {PROMOTION_ANNOTATION} from '../../source/actions/promotion.js';
import {initialState} from '../../source/store/state.js';
import {Store} from '../../source/store/store.js';
import type {RevisionPick} from '../../source/actions/responses.js';
import {startTestSim, waitFor, type TestSim} from '../helpers/sim.js';
import {activity, confirmation, openActions, settled} from '../actions/helpers.js';
import {KubeClient} from '../../source/kube/client.js';
import {KubeError} from '../../source/kube/errors.js';
import {watchRelease} from '../../source/live/release-watch.js';

const open = openActions;
const routes = (t: TestSim, ns = 'canary', name = 'checkout') => t.sim.store.get('networking.istio.io/virtualservices', ns, name)!.spec.http[0].route.map((r: {weight: number}) => r.weight);

describe('actions against the simulated cluster', () => {
	let t: TestSim;
	before(async () => {
		t = await startTestSim({scenario: 'all', speed: 20});
		await settled(t.sim, 'canary');
	});
	after(async () => {
		await t.stop();
	});

	test('set weight: confirm, write, and the outcome and the audit Event come from the watch', async () => {
		const o = await open(t, 'canary', 'deploy/checkout');
		try {
			await waitFor('access reviewed', () => o.store.getState().actions?.mode === 'enabled');
			const c = confirmation(o.controller.handle({name: 'setWeight', digit: 3}));
			assert.equal(c.title, 'set the weight of checkout-canary: 10% → 30%');
			assert.equal(c.typeToConfirm, undefined);
			assert.deepEqual(routes(t), [90, 10], 'nothing is written before the confirmation');
			assert.equal(c.onConfirm(), undefined);
			await waitFor('the outcome', () => activity(o)?.tone === 'ok');
			assert.equal(activity(o)?.text, 'checkout-canary now has 30% (VirtualService/checkout)');
			assert.deepEqual(routes(t), [70, 30]);
			assert.equal(o.store.getState().release?.traffic?.weights['checkout-canary'], 30);
			await waitFor('the event in the view', () => o.store.getState().release?.events.find(e => e.reason === 'RollscopeSetWeight'));
			const event = o.store.getState().release!.events.find(e => e.reason === 'RollscopeSetWeight')!;
			assert.equal(event.object, 'VirtualService/checkout');
			assert.equal(event.message, 'admin set the weight of checkout-canary 10% -> 30% (VirtualService/checkout)');
			// + steps from what is there now; ] goes to the next step of the plan.
			assert.equal(confirmation(o.controller.handle({name: 'weightUp'})).title, 'set the weight of checkout-canary: 30% → 40%');
			assert.equal(confirmation(o.controller.handle({name: 'planNext'})).title, 'set the weight of checkout-canary: 30% → 50%');
			assert.equal(confirmation(o.controller.handle({name: 'planPrev'})).title, 'set the weight of checkout-canary: 30% → 25%');
			const prompt = o.controller.handle({name: 'typeWeight'});
			assert.ok(prompt && typeof prompt === 'object' && 'promptWeight' in prompt);
			assert.equal(prompt.promptWeight.current, 30);
			assert.equal(confirmation(prompt.promptWeight.onWeight(42)).title, 'set the weight of checkout-canary: 30% → 42%');
		} finally {
			o.stop();
		}
	});

	test('an edit made between the confirmation and the write fails the write: nothing is lost', async () => {
		const o = await open(t, 'canary', 'deploy/checkout');
		try {
			const c = confirmation(o.controller.handle({name: 'setWeight', digit: 8}));
			t.sim.store.mutate('networking.istio.io/virtualservices', 'canary', 'checkout', vs => {
				vs.spec.http[0].route[0].weight = 65;
				vs.spec.http[0].route[1].weight = 35;
			});
			c.onConfirm();
			await waitFor('the conflict', () => activity(o)?.tone === 'error');
			assert.match(activity(o)!.text, /VirtualService\/checkout changed meanwhile: refreshed, nothing written/);
			assert.deepEqual(routes(t), [65, 35], 'the other edit stands');
		} finally {
			o.stop();
		}
	});

	test('dry run shows the requests and sends nothing; prod-like namespaces ask for the release name', async () => {
		const o = await open(t, 'canary', 'deploy/checkout', {dryRun: true, config: {confirmByName: ['can*']}});
		try {
			const before = routes(t);
			const c = confirmation(o.controller.handle({name: 'setWeight', digit: 5}));
			assert.equal(c.dryRun, true);
			assert.equal(c.typeToConfirm, 'checkout');
			assert.ok(c.lines.includes('PATCH /apis/networking.istio.io/v1/namespaces/canary/virtualservices/checkout'), c.lines.join('\n'));
			assert.ok(c.lines.some(l => l.includes('"value": 50')));
			assert.match(String(c.onConfirm()), /^dry run: nothing sent/);
			assert.deepEqual(routes(t), before);
		} finally {
			o.stop();
		}
	});

	test('no plans before every watch has listed, nor while stale', () => {
		const store = new Store(initialState('ctx', 'canary', 'deploy/checkout'), 0);
		const empty = {namespace: 'canary', deployments: [], replicaSets: [], pods: [], services: [], events: [], routers: [], now: 0};
		const client = {user: 'u', request: async () => ({})};
		const controller = new ActionController({client, snapshot: () => empty, refresh: () => {}, store}, {readOnly: false, dryRun: false, config: defaultActionConfig});
		assert.equal(controller.handle({name: 'promote'}), 'not yet: the view is still loading the release');
		store.dispatch({type: 'connection', connection: {state: 'stale', since: 0, why: 'the API server does not answer', retryAt: 0, attempt: 1}});
		assert.match(String(controller.handle({name: 'setWeight', digit: 1})), /not now: the view is stale \(see the top line\); nothing changes/);
		store.close();
	});

	test('read-only: no access reviews, no plans', async () => {
		const o = await open(t, 'canary', 'deploy/checkout', {readOnly: true});
		try {
			assert.equal(o.store.getState().actions?.mode, 'read-only');
			assert.match(String(o.controller.handle({name: 'promote'})), /read-only/);
		} finally {
			o.stop();
		}
	});

	test('the viewer context: SelfSubjectAccessReview marks the actions denied; a write is a 403 explained', async () => {
		const o = await open(t, 'canary', 'deploy/checkout', {context: 'rollscope-sim-viewer'});
		try {
			await waitFor('denials', () => Object.keys(o.store.getState().actions?.denied ?? {}).length >= 5);
			const denied = o.store.getState().actions!.denied;
			assert.deepEqual(Object.keys(denied).sort(), ['abort', 'pause', 'promote', 'undo', 'weight'], 'all, as none that applies is permitted');
			assert.match(denied.weight!, /patch virtualservices\.networking\.istio\.io denied \(user "viewer" may only read\)/);
			// Were the key let through anyway, the 403 is explained in words.
			confirmation(o.controller.handle({name: 'setWeight', digit: 2})).onConfirm();
			await waitFor('the refusal', () => activity(o)?.tone === 'error');
			assert.match(activity(o)!.text, /not permitted: virtualservices\.networking\.istio\.io "checkout" is forbidden: User "viewer" cannot patch resource "virtualservices" in API group "networking\.istio\.io" in the namespace "canary" \(nothing written\)/);
		} finally {
			o.stop();
		}
	});

	test('undo: the revision picker shows what differs, picking one asks to confirm the kubectl-style undo', async () => {
		const r = await t.kubectl(['-n', 'rolling', 'set', 'image', 'deploy/web', 'web=registry.local/web:2.0.0']);
		assert.equal(r.code, 0, r.stderr);
		await settled(t.sim, 'rolling');
		const o = await open(t, 'rolling', 'deploy/web');
		try {
			await waitFor('two revisions', () => o.store.getState().release?.revisions.length === 2);
			const picker = o.controller.handle({name: 'undo'}, {});
			assert.ok(picker && typeof picker === 'object' && 'pickRevision' in picker);
			const pick: RevisionPick = picker.pickRevision;
			assert.equal(pick.workload, 'web');
			assert.deepEqual(pick.revisions.map(x => [x.revision, x.current]), [[2, true], [1, false]]);
			assert.equal(pick.initial, 1, 'the cursor starts on the newest revision that is not current');
			assert.deepEqual(pick.revisions[1].diff, ['image web: registry.local/web:2.0.0 → registry.local/web:1.0.0']);
			const c = confirmation(pick.onPick(1));
			assert.equal(c.title, 'undo deploy/web to revision 1');
			c.onConfirm();
			await waitFor('the undo', () => activity(o)?.tone === 'ok');
			assert.equal(t.sim.store.get('apps/deployments', 'rolling', 'web')!.spec.template.spec.containers[0].image, 'registry.local/web:1.0.0');
		} finally {
			o.stop();
		}
	});

	test('promote runs stage by stage to the end; an interrupted one is shown and resumes', async () => {
		const o = await open(t, 'smi', 'deploy/pay');
		try {
			const c = confirmation(o.controller.handle({name: 'promote'}));
			assert.equal(c.title, 'promote pay-canary into pay');
			c.onConfirm();
			assert.match(String(o.controller.handle({name: 'setWeight', digit: 1})), /^busy|promotion is under way/);
			await waitFor('the promotion', () => activity(o)?.tone === 'ok' && activity(o)?.text.startsWith('promoted'), 30_000);
			const pay = t.sim.store.get('apps/deployments', 'smi', 'pay')!;
			assert.equal(pay.spec.template.spec.containers[0].image, 'registry.local/pay:5.1.0');
			assert.deepEqual(pay.spec.template.metadata.labels, {app: 'pay', track: 'stable'});
			assert.equal(pay.metadata.annotations?.[PROMOTION_ANNOTATION], undefined);
			assert.equal(t.sim.store.get('apps/deployments', 'smi', 'pay-canary')!.spec.replicas, 0);
			const split = t.sim.store.get('split.smi-spec.io/trafficsplits', 'smi', 'pay')!.spec.backends.map((b: {weight: number}) => b.weight);
			assert.deepEqual(split, [100, 0]);
		} finally {
			o.stop();
		}

		// Abort takes over from a promotion under way (held at "stable pods ready" by a paused stable).
		await settled(t.sim, 'gateway');
		const r = await t.kubectl(['-n', 'gateway', 'rollout', 'pause', 'deploy/api']);
		assert.equal(r.code, 0, r.stderr);
		const g = await open(t, 'gateway', 'deploy/api');
		try {
			confirmation(g.controller.handle({name: 'promote'})).onConfirm();
			await waitFor('the promotion to wait', () => activity(g)?.steps?.some(s => s.state === 'active' && s.label.includes('is paused')));
			const abort = confirmation(g.controller.handle({name: 'abort'}));
			assert.ok(abort.lines.some(l => l.includes('deploy/api back to revision')), abort.lines.join('\n'));
			abort.onConfirm();
			await waitFor('the abort', () => activity(g)?.tone === 'ok' && activity(g)?.text.startsWith('aborted'));
			const api = t.sim.store.get('apps/deployments', 'gateway', 'api')!;
			assert.equal(api.spec.template.spec.containers[0].image, 'registry.local/api:3.4.1');
			assert.equal(api.metadata.annotations?.[PROMOTION_ANNOTATION], undefined);
			assert.equal(api.spec.paused, true, 'left paused, as it was');
			assert.deepEqual(t.sim.store.get('gateway.networking.k8s.io/httproutes', 'gateway', 'api')!.spec.rules[0].backendRefs.map((b: {weight: number}) => b.weight), [100, 0]);
			assert.equal(t.sim.store.get('apps/deployments', 'gateway', 'api-canary')!.spec.replicas, 0);
			await new Promise(resolve => setTimeout(resolve, 300));
			assert.ok(activity(g)?.text.startsWith('aborted'), 'the driver does not come back');
		} finally {
			g.stop();
		}

		// A promotion recorded by a rollscope that quit at the traffic stage.
		t.sim.store.mutate('apps/deployments', 'nginx', 'cart', d => {
			d.metadata.annotations = {...d.metadata.annotations, [PROMOTION_ANNOTATION]: JSON.stringify({canary: 'cart-canary', stage: 'traffic', images: ['registry.local/cart:1.0.0'], fromRevision: 1, by: 'someone', at: '2026-01-01T00:00:00Z'})};
		});
		await settled(t.sim, 'nginx');
		const n = await open(t, 'nginx', 'deploy/cart');
		try {
			await waitFor('the note', () => activity(n)?.text.includes('interrupted'));
			assert.equal(activity(n)?.text, 'promotion of cart-canary interrupted at "100% to stable" (started by someone at 2026-01-01T00:00:00Z): p resumes · a aborts');
			const c = confirmation(n.controller.handle({name: 'promote'}));
			assert.match(c.title, /^resume the promotion of cart-canary/);
			c.onConfirm();
			await waitFor('the promotion', () => activity(n)?.tone === 'ok' && activity(n)?.text.startsWith('promoted'), 30_000);
			const ingress = t.sim.store.get('networking.k8s.io/ingresses', 'nginx', 'cart-canary')!;
			assert.equal(ingress.metadata.annotations?.['nginx.ingress.kubernetes.io/canary-weight'], '0');
			assert.equal(t.sim.store.get('apps/deployments', 'nginx', 'cart')!.spec.template.spec.containers[0].image, 'registry.local/cart:1.0.0');
		} finally {
			n.stop();
		}
	});
});

describe('a write that gets no answer', () => {
	let t: TestSim;
	before(async () => {
		t = await startTestSim({scenario: 'canary'});
		await settled(t.sim, 'canary');
	});
	after(async () => {
		await t.stop();
	});

	/**
	 * The view's controller on deploy/checkout with a client whose PATCH answers are lost on the way back, as when
	 * the API server freezes: `reaches` says whether the PATCH got there first (it is written) or not.
	 */
	const openLossy = async (reaches: boolean) => {
		const client = KubeClient.load({kubeconfig: t.kubeconfigPath, namespace: 'canary'});
		const lossy = {
			get user() {
				return client.user;
			},
			whoami: () => client.whoami(),
			async request(method: Parameters<KubeClient['request']>[0], path: string, options?: Parameters<KubeClient['request']>[2]) {
				if (method !== 'PATCH') return client.request(method, path, options);
				if (reaches) await client.request(method, path, options);
				throw new KubeError(0, 'Unreachable', 'no answer within 10s', [], true);
			},
		};
		const store = new Store(initialState(client.context, 'canary', 'deploy/checkout'), 10);
		const watch = watchRelease(client, store, {batchMs: 10});
		const controller = new ActionController({client: lossy, snapshot: watch.snapshot, refresh: watch.refresh, store}, {readOnly: false, dryRun: false, config: defaultActionConfig});
		controller.start();
		await waitFor('the release', () => store.getState().connection.state === 'live' && store.getState().release?.versions.length);
		const o = {controller, store, client, snapshot: watch.snapshot, stop: () => (controller.stop(), watch.stop(), store.close(), void client.close())};
		return o;
	};

	test('it reached the server: the watch shows it, the audit Event is left then, and the message says it was written', async () => {
		const o = await openLossy(true);
		try {
			await waitFor('identified', () => typeof confirmation(o.controller.handle({name: 'setWeight', digit: 4})) === 'object');
			confirmation(o.controller.handle({name: 'setWeight', digit: 4})).onConfirm();
			await waitFor('the outcome', () => activity(o)?.tone === 'ok');
			assert.equal(activity(o)?.text, 'checkout-canary now has 40% (VirtualService/checkout) (written, though the API server did not answer in time (no answer within 10s))');
			assert.deepEqual(routes(t), [60, 40]);
			await waitFor('the audit Event', () => o.store.getState().release?.events.find(e => e.reason === 'RollscopeSetWeight'));
			assert.equal(o.store.getState().release!.events.filter(e => e.reason === 'RollscopeSetWeight').length, 1);
		} finally {
			o.stop();
		}
	});

	test('it never reached the server: once the view has been live a while without it, the message says it was not written, and no Event', async () => {
		const o = await openLossy(false);
		const before = routes(t);
		try {
			await waitFor('identified', () => typeof confirmation(o.controller.handle({name: 'setWeight', digit: 7})) === 'object');
			confirmation(o.controller.handle({name: 'setWeight', digit: 7})).onConfirm();
			await waitFor('waiting for the watch', () => activity(o)?.tone === 'busy' && /did not answer/.test(activity(o)!.text));
			assert.match(activity(o)!.text, /^set the weight of checkout-canary: \d+% → 70%: the API server did not answer \(no answer within 10s\); waiting for the watch to show whether it was written…$/);
			assert.match(String(o.controller.handle({name: 'setWeight', digit: 2})), /^busy: /, 'nothing else goes out meanwhile');
			await waitFor('the verdict', () => activity(o)?.tone === 'error', 20_000);
			assert.match(activity(o)!.text, /^set the weight of checkout-canary: \d+% → 70%: not written\. The API server did not answer \(no answer within 10s\), and now that it does, the change is not there\. Look again and retry\.$/);
			assert.deepEqual(routes(t), before);
		} finally {
			o.stop();
		}
	});
});
