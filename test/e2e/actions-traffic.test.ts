// Keys that move traffic, pressed in a real terminal against the sim; kubectl reads what was written. Each test
// has a sim of its own, with the one scenario it needs.
import assert from 'node:assert/strict';
import {writeFileSync} from 'node:fs';
import {join} from 'node:path';
import {describe, test} from 'node:test';
import {startTestSim, waitFor, type TestSim} from '../helpers/sim.js';
import {confirmWith, getJson, openView, quit, rollscopeEvents} from './actions-view.js';

const traefikObjects = `
apiVersion: v1
kind: Namespace
metadata: {name: traefik}
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: shopfront, namespace: traefik}
spec:
  replicas: 2
  selector: {matchLabels: {app: shopfront, track: stable}}
  template:
    metadata: {labels: {app: shopfront, track: stable}}
    spec: {containers: [{name: shopfront, image: "registry.local/shopfront:1.0.0"}]}
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: shopfront-canary, namespace: traefik}
spec:
  replicas: 1
  selector: {matchLabels: {app: shopfront, track: canary}}
  template:
    metadata: {labels: {app: shopfront, track: canary}}
    spec: {containers: [{name: shopfront, image: "registry.local/shopfront:1.1.0"}]}
---
apiVersion: v1
kind: Service
metadata: {name: shopfront-stable, namespace: traefik}
spec: {selector: {app: shopfront, track: stable}, ports: [{port: 80}]}
---
apiVersion: v1
kind: Service
metadata: {name: shopfront-canary, namespace: traefik}
spec: {selector: {app: shopfront, track: canary}, ports: [{port: 80}]}
---
apiVersion: traefik.io/v1alpha1
kind: TraefikService
metadata: {name: shopfront, namespace: traefik}
spec:
  weighted:
    services:
    - {name: shopfront-stable, port: 80, weight: 90}
    - {name: shopfront-canary, port: 80, weight: 10}
`;

/** A sim of one scenario for one test, stopped when the test ends. */
async function simOf(context: {after: (fn: () => Promise<void>) => void}, scenario: string): Promise<TestSim> {
	const t = await startTestSim({scenario, speed: 20});
	context.after(() => t.stop());
	return t;
}

describe('weight keys in each kind of router', () => {
	test('Istio VirtualService: 5 sets 50/50, the audit Event shows in the view and in kubectl', async context => {
		const t = await simOf(context, 'canary');
		const term = await openView(t, 'deploy/checkout -n canary', /CANARY/);
		try {
			await confirmWith(term, ['5'], /VirtualService\/checkout: checkout 90% → 50%, checkout-canary 10% → 50%/);
			await term.waitFor(/✓ checkout-canary now has 50% \(VirtualService\/checkout\)/);
			await term.waitFor(/RollscopeSetWeight/);
			await term.waitFor(/traffic 50% \| 50%/);
			const vs = await getJson(t, ['virtualservice', 'checkout', '-n', 'canary']);
			assert.deepEqual(vs.spec.http[0].route.map((r: any) => r.weight), [50, 50]);
			const [event] = await rollscopeEvents(t, 'canary');
			assert.equal(event.reason, 'RollscopeSetWeight');
			assert.equal(event.reportingComponent, 'rollscope');
			assert.deepEqual([event.involvedObject.kind, event.involvedObject.name], ['VirtualService', 'checkout']);
			assert.equal(event.message, 'admin set the weight of checkout-canary 10% -> 50% (VirtualService/checkout)');
			await quit(term);
		} finally {
			term.kill();
		}
	});

	test('Gateway API HTTPRoute: ] goes to the next step of the plan (20 → 25)', async context => {
		const t = await simOf(context, 'gateway');
		const term = await openView(t, 'deploy/api -n gateway', /CANARY/);
		try {
			await confirmWith(term, [']'], /HTTPRoute\/api: api 80% → 75%, api-canary 20% → 25%/);
			await term.waitFor(/✓ api-canary now has 25%/);
			const route = await getJson(t, ['httproute', 'api', '-n', 'gateway']);
			assert.deepEqual(route.spec.rules[0].backendRefs.map((b: any) => [b.name, b.weight]), [['api-stable', 75], ['api-canary', 25]]);
		} finally {
			term.kill();
		}
	});

	test('SMI TrafficSplit: + moves a step of 10 (25 → 35)', async context => {
		const t = await simOf(context, 'smi');
		const term = await openView(t, 'deploy/pay -n smi', /CANARY/);
		try {
			await confirmWith(term, ['+'], /pay 75% → 65%, pay-canary 25% → 35%/);
			await term.waitFor(/✓ pay-canary now has 35%/);
			const split = await getJson(t, ['trafficsplit', 'pay', '-n', 'smi']);
			assert.deepEqual(split.spec.backends.map((b: any) => [b.service, b.weight]), [['pay-stable', 65], ['pay-canary', 35]]);
		} finally {
			term.kill();
		}
	});

	test('ingress-nginx: = then a typed weight sets canary-weight', async context => {
		const t = await simOf(context, 'nginx');
		const term = await openView(t, 'deploy/cart -n nginx', /CANARY/);
		try {
			term.keys('=');
			await term.waitFor(/canary weight % \(now 30%\): ▌/);
			// One key at a time, as typed (keys sent together arrive as one paste).
			term.keys('4');
			await term.waitFor(/\(now 30%\): 4▌/);
			term.keys('2');
			await term.waitFor(/\(now 30%\): 42▌/);
			term.keys('Enter');
			await term.waitFor(/Ingress\/cart-canary: cart 70% → 58%, cart-canary 30% → 42%/);
			term.keys('y');
			await term.waitFor(/✓ cart-canary now has 42%/);
			const ingress = await getJson(t, ['ingress', 'cart-canary', '-n', 'nginx']);
			assert.equal(ingress.metadata.annotations['nginx.ingress.kubernetes.io/canary-weight'], '42');
		} finally {
			term.kill();
		}
	});

	test('Traefik TraefikService: 3 sets 70/30', async context => {
		const t = await simOf(context, 'rolling');
		const file = join(t.dir, 'traefik.yaml');
		writeFileSync(file, traefikObjects);
		const r = await t.kubectl(['apply', '-f', file]);
		assert.equal(r.code, 0, r.stderr);
		const term = await openView(t, 'deploy/shopfront -n traefik', /traefik/i);
		try {
			await term.waitFor(/CANARY/);
			await confirmWith(term, ['3'], /TraefikService\/shopfront: shopfront 90% → 70%, shopfront-canary 10% → 30%/);
			await term.waitFor(/✓ shopfront-canary now has 30%/);
			const wrr = await getJson(t, ['traefikservice', 'shopfront', '-n', 'traefik']);
			assert.deepEqual(wrr.spec.weighted.services.map((s: any) => s.weight), [70, 30]);
		} finally {
			term.kill();
		}
	});

	test('replica ratio (--router replicas): 5 scales 4+2 replicas to 3+3 through the scale subresource', async context => {
		const t = await simOf(context, 'canary');
		const term = await openView(t, 'deploy/checkout -n canary --router replicas', /CANARY/);
		try {
			await confirmWith(term, ['5'], /replicas: checkout 4 → 3, checkout-canary 2 → 3 \(50% by replica ratio\)/);
			await term.waitFor(/✓ checkout-canary now has 50% \(replica ratio\)/);
			const list = await getJson(t, ['deployments', '-n', 'canary']);
			const replicas = Object.fromEntries(list.items.map((d: any) => [d.metadata.name, d.spec.replicas]));
			assert.deepEqual(replicas, {checkout: 3, 'checkout-canary': 3});
			const vs = await getJson(t, ['virtualservice', 'checkout', '-n', 'canary']);
			assert.deepEqual(vs.spec.http[0].route.map((x: any) => x.weight), [90, 10], 'the VirtualService is left alone');
			await waitFor('the scale event', async () => (await rollscopeEvents(t, 'canary')).some(e => e.involvedObject.kind === 'Deployment'));
		} finally {
			term.kill();
		}
	});
});
