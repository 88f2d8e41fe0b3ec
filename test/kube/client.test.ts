// KubeClient against the simulated API server: who the server says we are, and failures told apart: a request
// that never left (nothing written) from one that got no answer (it may have been written).
import assert from 'node:assert/strict';
import {after, before, describe, test} from 'node:test';
import {KubeClient} from '../../source/kube/client.js';
import {KubeError} from '../../source/kube/errors.js';
import {simContexts} from '../../source/sim/kubeconfig.js';
import {startProxy} from '../helpers/proxy.js';
import {startTestSim, waitFor, type TestSim} from '../helpers/sim.js';
import {closedPort} from '../helpers/ports.js';

describe('KubeClient', () => {
	let t: TestSim;
	before(async () => {
		t = await startTestSim({scenario: 'canary'});
	});
	after(async () => {
		await t.stop();
	});

	test('whoami: the user the API server authenticated, by token or by client certificate', async () => {
		for (const [context, user] of [[simContexts.admin, 'admin'], [simContexts.viewer, 'viewer'], [simContexts.deployer, 'deployer']] as const) {
			const client = KubeClient.load({kubeconfig: t.kubeconfigPath, context});
			try {
				assert.equal(client.user, `rollscope-${user}`, 'the kubeconfig\'s name until the server says');
				assert.equal(await client.whoami(), user);
				assert.equal(client.user, user);
			} finally {
				await client.close();
			}
		}
	});

	test('a closed port: the probe and a write fail at once, and the write is known not to have been sent', async () => {
		const port = await closedPort();
		const client = KubeClient.fromString(t.sim.kubeconfig('canary').replace(`:${t.sim.port}`, `:${port}`), 'canary');
		try {
			await assert.rejects(client.probe(3000), (e: KubeError) => e.message === 'connection refused' && e.unreachable);
			await assert.rejects(client.request('PATCH', '/api/v1/namespaces/canary/configmaps/x', {body: [], contentType: 'application/json-patch+json'}), (e: KubeError) => {
				assert.equal(e.message, 'connection refused');
				assert.equal(e.maybeSent, false);
				return true;
			});
			assert.equal(await client.whoami(), 'rollscope-admin', 'no answer: the kubeconfig\'s name');
		} finally {
			await client.close();
		}
	});

	test('a write that gets no answer may have been written: it lands once the connection carries it', async () => {
		const proxy = await startProxy(t.sim.port);
		const client = KubeClient.fromString(t.sim.kubeconfig('canary').replace(`:${t.sim.port}`, `:${proxy.port}`), 'canary');
		try {
			await client.request('POST', '/api/v1/namespaces/canary/configmaps', {body: {metadata: {name: 'late'}, data: {v: '1'}}});
			// The connection just used goes back to the pool (undici frees it a moment after the answer); it goes
			// quiet, and the next write goes out on it.
			await new Promise(resolve => setTimeout(resolve, 200));
			proxy.freeze();
			await assert.rejects(client.request('PATCH', '/api/v1/namespaces/canary/configmaps/late', {body: {data: {v: '2'}}, contentType: 'application/merge-patch+json', timeoutMs: 1000}), (e: KubeError) => {
				assert.equal(e.message, 'no answer within 1s');
				assert.equal(e.maybeSent, true);
				return true;
			});
			assert.equal(t.sim.store.get('configmaps', 'canary', 'late')!.data.v, '1');
			proxy.thaw();
			await waitFor('the late write', () => t.sim.store.get('configmaps', 'canary', 'late')!.data.v === '2', 5000);
		} finally {
			await client.close();
			await proxy.close();
		}
	});

	test('the health probe keeps its connection between probes (undici would close it after 4 s idle, and over HTTP/2 no server hint says otherwise)', async () => {
		const proxy = await startProxy(t.sim.port);
		const client = KubeClient.fromString(t.sim.kubeconfig('canary').replace(`:${t.sim.port}`, `:${proxy.port}`), 'canary');
		try {
			await client.probe(3000);
			// A little over the probe's interval (health.ts: 4 s after the last answer).
			await new Promise(resolve => setTimeout(resolve, 4500));
			await client.probe(3000);
			assert.equal(proxy.connections(), 1);
		} finally {
			await client.close();
			await proxy.close();
		}
	});
});
