// Promote and abort from the keyboard, in a real terminal against the sim; kubectl reads the result.
import assert from 'node:assert/strict';
import {after, before, describe, test} from 'node:test';
import {PROMOTION_ANNOTATION} from '../../source/actions/promotion.js';
import {startTestSim, type TestSim} from '../helpers/sim.js';
import {settled} from '../actions/helpers.js';
import {confirmWith, getJson, openView, quit, rollscopeEvents} from './actions-view.js';

const selector = async (t: TestSim) => (await getJson(t, ['service', 'shop', '-n', 'bluegreen'])).spec.selector;

/** Every Deployment of the namespace rolled out (read from the sim's store: no kubectl polling). */
const ready = (t: TestSim, namespace: string) => settled(t.sim, namespace);

describe('promote and abort', () => {
	let t: TestSim;
	before(async () => {
		t = await startTestSim({scenario: 'all', speed: 20});
		await ready(t, 'bluegreen');
		await ready(t, 'canary');
		await ready(t, 'smi');
	});
	after(async () => {
		await t.stop();
	});

	test('blue-green: p switches the Service to green, a switches it back to blue', async () => {
		const term = await openView(t, 'svc/shop -n bluegreen', /PREVIEW/);
		try {
			await confirmWith(term, ['p'], /Service\/shop selector color: blue \(shop-blue\) → green \(shop-green\)/);
			await term.waitFor(/✓ Service\/shop now selects color=green \(shop-green\)/);
			assert.equal((await selector(t)).color, 'green');
			await confirmWith(term, ['a'], /Service\/shop selector color: green \(shop-green\) → blue \(shop-blue\)/);
			await term.waitFor(/✓ Service\/shop now selects color=blue \(shop-blue\)/);
			assert.deepEqual(await selector(t), {app: 'shop', color: 'blue'});
			const reasons = (await rollscopeEvents(t, 'bluegreen')).map(e => `${e.reason} ${e.involvedObject.kind}/${e.involvedObject.name}`).sort();
			assert.deepEqual(reasons, ['RollscopeAbort Service/shop', 'RollscopePromote Service/shop']);
			await quit(term);
		} finally {
			term.kill();
		}
	});

	test('canary: p promotes in steps shown on screen; the stable ends on the canary image with all traffic, the canary at 0', async () => {
		const term = await openView(t, 'deploy/checkout -n canary', /CANARY/);
		try {
			await confirmWith(term, ['p'], /1\. deploy\/checkout takes the pod template of checkout-canary:[\s\S]*image checkout: registry\.local\/checkout:1\.2\.3 → registry\.local\/checkout:1\.3\.0[\s\S]*4\. scale checkout-canary 2 → 0/);
			await term.waitFor(/✓ promoted: checkout runs registry\.local\/checkout:1\.3\.0 with all traffic; checkout-canary is at 0/, 30_000);
			const stable = await getJson(t, ['deployment', 'checkout', '-n', 'canary']);
			assert.equal(stable.spec.template.spec.containers[0].image, 'registry.local/checkout:1.3.0');
			assert.deepEqual(stable.spec.template.metadata.labels, {app: 'checkout', track: 'stable'});
			assert.equal(stable.metadata.annotations[PROMOTION_ANNOTATION], undefined);
			const vs = await getJson(t, ['virtualservice', 'checkout', '-n', 'canary']);
			assert.deepEqual(vs.spec.http[0].route.map((r: any) => r.weight), [100, 0]);
			assert.equal((await getJson(t, ['deployment', 'checkout-canary', '-n', 'canary'])).spec.replicas, 0);
			const promotes = (await rollscopeEvents(t, 'canary')).filter(e => e.reason === 'RollscopePromote');
			assert.ok(promotes.length >= 4, `an Event per stage, got ${promotes.length}`);
		} finally {
			term.kill();
		}
	});

	test('canary: a takes the canary\'s weight to 0 at once, then scales it to 0', async () => {
		await ready(t, 'gateway');
		const term = await openView(t, 'deploy/api -n gateway', /CANARY/);
		try {
			await confirmWith(term, ['a'], /HTTPRoute\/api: api 80% → 100%, api-canary 20% → 0%[\s\S]*then scale api-canary 2 → 0/);
			await term.waitFor(/✓ aborted: api-canary has no traffic and is scaled to 0/);
			const route = await getJson(t, ['httproute', 'api', '-n', 'gateway']);
			assert.deepEqual(route.spec.rules[0].backendRefs.map((b: any) => b.weight), [100, 0]);
			assert.equal((await getJson(t, ['deployment', 'api-canary', '-n', 'gateway'])).spec.replicas, 0);
			const [event] = await rollscopeEvents(t, 'gateway');
			assert.equal(event.reason, 'RollscopeAbort');
			assert.equal(event.message, 'admin aborted api-canary: weight 20% -> 0%, replicas 2 -> 0');
		} finally {
			term.kill();
		}
	});

	test('a recorded promotion is shown at start; a aborts it: traffic back, canary to 0, record removed', async () => {
		await ready(t, 'nginx');
		const record = JSON.stringify({canary: 'cart-canary', stage: 'template', images: ['registry.local/cart:1.0.0'], fromRevision: 1, by: 'someone', at: '2026-01-01T00:00:00Z'});
		const r = await t.kubectl(['-n', 'nginx', 'annotate', 'deploy/cart', `${PROMOTION_ANNOTATION}=${record}`]);
		assert.equal(r.code, 0, r.stderr);
		const term = await openView(t, 'deploy/cart -n nginx', /CANARY/);
		try {
			await term.waitFor(/promotion of cart-canary interrupted at "stable takes the canary template" \(started by someone at 2026-01-01T00:00:00Z\): p resumes · a aborts/);
			await confirmWith(term, ['a'], /remove the promotion record from deploy\/cart/);
			await term.waitFor(/✓ aborted: cart-canary has no traffic and is scaled to 0/);
			const cart = await getJson(t, ['deployment', 'cart', '-n', 'nginx']);
			assert.equal(cart.metadata.annotations[PROMOTION_ANNOTATION], undefined);
			assert.equal(cart.spec.template.spec.containers[0].image, 'registry.local/cart:0.9.4');
			const ingress = await getJson(t, ['ingress', 'cart-canary', '-n', 'nginx']);
			assert.equal(ingress.metadata.annotations['nginx.ingress.kubernetes.io/canary-weight'], '0');
			assert.equal((await getJson(t, ['deployment', 'cart-canary', '-n', 'nginx'])).spec.replicas, 0);
			await term.waitFor(/✓ aborted/);
			assert.doesNotMatch(term.screen(), /interrupted/);
		} finally {
			term.kill();
		}
	});

	test('a promotion interrupted by quitting is visible on the next start and p resumes it to the end; traffic moves only once the stable is ready', async () => {
		// A paused stable holds the promotion at "stable pods ready", so quitting lands there for sure.
		let r = await t.kubectl(['-n', 'smi', 'rollout', 'pause', 'deploy/pay']);
		assert.equal(r.code, 0, r.stderr);
		let term = await openView(t, 'deploy/pay -n smi', /CANARY/);
		try {
			await confirmWith(term, ['p'], /promote pay-canary into pay/);
			await term.waitFor(/● stable pods ready \(pay: 0\/\d updated.*deploy\/pay is paused/);
			await quit(term);
		} finally {
			term.kill();
		}
		const pay = await getJson(t, ['deployment', 'pay', '-n', 'smi']);
		const record = JSON.parse(pay.metadata.annotations[PROMOTION_ANNOTATION]);
		assert.deepEqual([record.canary, record.stage, record.by], ['pay-canary', 'ready', 'admin']);
		const split = await getJson(t, ['trafficsplit', 'pay', '-n', 'smi']);
		assert.deepEqual(split.spec.backends.map((b: any) => b.weight), [75, 25], 'traffic stays split until the stable is ready');
		r = await t.kubectl(['-n', 'smi', 'rollout', 'resume', 'deploy/pay']);
		assert.equal(r.code, 0, r.stderr);
		term = await openView(t, 'deploy/pay -n smi', /CANARY/);
		try {
			await term.waitFor(/promotion of pay-canary interrupted at "stable pods ready" \(started by admin at [^)]+\): p resumes · a aborts/);
			await confirmWith(term, ['p'], /resume the promotion of pay-canary/);
			await term.waitFor(/✓ promoted: pay runs registry\.local\/pay:5\.1\.0 with all traffic; pay-canary is at 0/, 60_000);
			const done = await getJson(t, ['deployment', 'pay', '-n', 'smi']);
			assert.equal(done.metadata.annotations[PROMOTION_ANNOTATION], undefined);
			assert.equal(done.spec.template.spec.containers[0].image, 'registry.local/pay:5.1.0');
			const after = await getJson(t, ['trafficsplit', 'pay', '-n', 'smi']);
			assert.deepEqual(after.spec.backends.map((b: any) => b.weight), [100, 0]);
			assert.equal((await getJson(t, ['deployment', 'pay-canary', '-n', 'smi'])).spec.replicas, 0);
		} finally {
			term.kill();
		}
	});
});
