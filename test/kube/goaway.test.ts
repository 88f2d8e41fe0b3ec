// An API server that sends GOAWAY after its answers, as kube-apiserver does with --goaway-chance (to spread its
// clients over the servers of a cluster) and as any server does when it shuts down gracefully: the watches
// already open run on, requests after it go on a new connection, and a read the server had not taken (a list's
// next page asked for as the GOAWAY came) is sent again. undici alone kept them waiting behind the open watches
// until they timed out. The sim here sends GOAWAY after every answer.
import assert from 'node:assert/strict';
import {after, before, describe, test} from 'node:test';
import {KubeClient, type WatchEvent} from '../../source/kube/client.js';
import type {KObject} from '../../source/sim/object.js';
import {kubectlOk, startTestSim, waitFor, type TestSim} from '../helpers/sim.js';
import {listen} from '../helpers/undici.js';

describe('a server that sends GOAWAY after every answer', () => {
	let t: TestSim;
	let client: KubeClient;
	let connected = 0;
	let stopCounting = () => {};
	before(async () => {
		t = await startTestSim({scenario: 'canary', goawayChance: 1});
		// 1,600 ConfigMaps: a list of four pages, each next one asked for as the one before comes in.
		for (let i = 0; i < 1600; i++) t.sim.store.create('configmaps', {apiVersion: 'v1', kind: 'ConfigMap', metadata: {name: `cm-${i}`, namespace: 'canary'}} as KObject);
		client = KubeClient.fromString(t.sim.kubeconfig('canary'), 'canary');
		stopCounting = listen('undici:client:connected', () => connected++);
	});
	after(async () => {
		stopCounting();
		await client.close();
		await t.stop();
	});

	test('with a watch open: requests after a GOAWAY go on new connections, and the watch runs on through it all', async () => {
		const events: WatchEvent[] = [];
		const watch = await client.watch('/api/v1/namespaces/canary/pods', {}, e => events.push(e));
		try {
			const before = connected;
			for (let i = 0; i < 20; i++) {
				const pods = await client.request('GET', '/api/v1/namespaces/canary/pods');
				assert.ok(pods.items.length > 0);
				if (i === 10) t.sim.store.create('pods', {apiVersion: 'v1', kind: 'Pod', metadata: {name: 'through-goaway', namespace: 'canary'}, spec: {containers: [{name: 'c', image: 'registry.local/c:1'}]}} as KObject);
			}
			// Most go on a connection of their own; one sent before the GOAWAY came may be answered on the old one.
			assert.ok(connected - before >= 2, `${connected - before} new connections for 20 requests`);
			await waitFor('the pod, through the watch opened before', () => events.some(e => e.type === 'ADDED' && e.object?.metadata?.name === 'through-goaway'), 10_000);
		} finally {
			watch.abort();
		}
	});

	test('a list of several pages with a watch open: every page comes, the ones asked for as a GOAWAY came sent again', async () => {
		const watch = await client.watch('/api/v1/namespaces/canary/pods', {}, () => {});
		try {
			for (let round = 0; round < 3; round++) {
				const listed = await client.list('/api/v1/namespaces/canary/configmaps');
				assert.equal(listed.items.filter(o => o.metadata.name!.startsWith('cm-')).length, 1600);
			}
		} finally {
			watch.abort();
		}
	});

	test('kubectl, on the same server, lists in pages too', async () => {
		const names = await kubectlOk(t, ['get', 'configmaps', '-n', 'canary', '--chunk-size=500', '-o', 'name']);
		assert.equal(names.split('\n').filter(l => l.startsWith('configmap/cm-')).length, 1600);
	});
});
