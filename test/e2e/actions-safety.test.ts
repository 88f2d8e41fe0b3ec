// What keeps actions safe, in a real terminal against the sim: concurrent edits, dry runs, permissions,
// confirmation by name. (--read-only is covered by test/ui/actions.test.tsx and test/actions/controller.test.ts.)
import assert from 'node:assert/strict';
import {after, before, describe, test} from 'node:test';
import {startTestSim, type TestSim} from '../helpers/sim.js';
import {getJson, openView, rollscopeEvents} from './actions-view.js';

const weights = async (t: TestSim) => (await getJson(t, ['virtualservice', 'checkout', '-n', 'canary'])).spec.http[0].route.map((r: any) => r.weight);

describe('safety of the actions', () => {
	let t: TestSim;
	before(async () => {
		t = await startTestSim({scenario: 'canary', speed: 20});
	});
	after(async () => {
		await t.stop();
	});

	test('a kubectl patch between the read and the write: "changed meanwhile", and the kubectl edit stands', async () => {
		const term = await openView(t, 'deploy/checkout -n canary', /CANARY/);
		try {
			term.keys('8');
			await term.waitFor(/checkout 90% → 20%, checkout-canary 10% → 80%[\s\S]*apply\?/);
			const patch = '[{"op":"replace","path":"/spec/http/0/route/0/weight","value":60},{"op":"replace","path":"/spec/http/0/route/1/weight","value":40}]';
			const r = await t.kubectl(['-n', 'canary', 'patch', 'virtualservice', 'checkout', '--type', 'json', '-p', patch]);
			assert.equal(r.code, 0, r.stderr);
			term.keys('y');
			const screen = await term.waitFor(/✗ .*changed meanwhile: refreshed, nothing written/);
			assert.match(screen, /VirtualService\/checkout changed meanwhile/);
			// Both intents are visible: the kubectl edit in the cluster and on screen, rollscope's in the message.
			assert.deepEqual(await weights(t), [60, 40]);
			await term.waitFor(/traffic 60% \| 40%/);
			assert.match(screen, /set the weight of checkout-canary: 10% → 80%/);
			assert.deepEqual(await rollscopeEvents(t, 'canary'), [], 'no audit Event for a change not made');
		} finally {
			term.kill();
		}
	});

	test('--dry-run shows the patch and sends nothing', async () => {
		const term = await openView(t, 'deploy/checkout -n canary --dry-run', /CANARY/);
		try {
			const before = await weights(t);
			term.keys('2');
			const screen = await term.waitFor(/DRY RUN \(nothing will be sent\)/);
			assert.match(screen, /PATCH \/apis\/networking\.istio\.io\/v1\/namespaces\/canary\/virtualservices\/checkout/);
			assert.match(screen, /Content-Type: application\/json-patch\+json/);
			assert.match(screen, /"op": "test"/);
			term.keys('y');
			await term.waitFor(/dry run: nothing sent \(1 request shown\)/);
			assert.deepEqual(await weights(t), before);
		} finally {
			term.kill();
		}
	});

	test('the viewer context shows the actions as not permitted, and a key says why', async () => {
		const term = await openView(t, 'deploy/checkout -n canary --context rollscope-sim-viewer', /CANARY/);
		try {
			await term.waitFor(/\[actions not permitted\]/);
			term.keys('p');
			await term.waitFor(/promote: not permitted \(patch deployments\.apps denied \(user "viewer" may only read\)/);
			term.keys('?');
			await term.waitFor(/promote the new version \(not permitted\)/);
		} finally {
			term.kill();
		}
	});

	test('in a namespace that matches ROLLSCOPE_CONFIRM_BY_NAME, only the typed release name confirms', async () => {
		const term = await openView(t, 'deploy/checkout -n canary', /CANARY/, {ROLLSCOPE_CONFIRM_BY_NAME: 'can*'});
		try {
			term.keys('3');
			await term.waitFor(/type checkout to confirm: ▌/);
			term.keys('y');
			await term.waitFor(/confirm: y▌/);
			term.keys('Enter');
			await term.waitFor(/not confirmed: "y" is not "checkout"; nothing changed/);
			term.keys('3');
			await term.waitFor(/type checkout to confirm: ▌/);
			for (const c of 'checkout') {
				term.keys(c);
				await term.waitFor(/confirm: \S*▌/);
			}
			await term.waitFor(/confirm: checkout▌/);
			term.keys('Enter');
			await term.waitFor(/✓ checkout-canary now has 30%/);
			assert.deepEqual(await weights(t), [70, 30]);
		} finally {
			term.kill();
		}
	});
});
