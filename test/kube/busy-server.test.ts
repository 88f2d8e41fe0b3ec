// A busy API server: past the requests it serves at once it answers 429 with Retry-After (as kube-apiserver's
// in-flight limit and API Priority and Fairness do), and rollscope's client waits it out and asks again, as
// kubectl does. The sim serves one read at a time here, or none while a test makes it full.
import assert from 'node:assert/strict';
import http from 'node:http';
import type {AddressInfo} from 'node:net';
import {after, before, describe, test} from 'node:test';
import {KubeClient} from '../../source/kube/client.js';
import {fromResponse, KubeError, retryAfterSeconds} from '../../source/kube/errors.js';
import {simContexts} from '../../source/sim/kubeconfig.js';
import {TOO_MANY_REQUESTS} from '../../source/sim/inflight.js';
import {simRequest, startTestSim, waitFor, type TestSim} from '../helpers/sim.js';
import {observing} from '../helpers/undici.js';

describe('what a busy server says', () => {
	test('Retry-After in whole seconds only, as client-go reads it', () => {
		assert.equal(retryAfterSeconds('1'), 1);
		assert.equal(retryAfterSeconds(' 30 '), 30);
		assert.equal(retryAfterSeconds(['2']), 2);
		for (const no of [undefined, '', '1.5', '-1', 'Wed, 21 Oct 2026 07:28:00 GMT', 3]) assert.equal(retryAfterSeconds(no), undefined, String(no));
	});

	test('busy: a 429 or a 5xx that says when to come back; not a 429 without it, nor a 4xx with it', () => {
		assert.equal(fromResponse(429, TOO_MANY_REQUESTS, '1').busy, true);
		assert.equal(fromResponse(429, TOO_MANY_REQUESTS, '1').reason, 'TooManyRequests');
		assert.equal(fromResponse(503, '', '2').busy, true);
		assert.equal(fromResponse(429, TOO_MANY_REQUESTS).busy, false);
		assert.equal(fromResponse(409, '', '1').busy, false);
		assert.equal(fromResponse(500, '').busy, false);
	});
});

describe('a busy API server', () => {
	let t: TestSim;
	before(async () => {
		t = await startTestSim({scenario: 'canary', inflight: {reads: 1, mutating: 1}});
	});
	after(async () => {
		await t.stop();
	});

	/** The server full (every read and write that counts is refused) until the returned function is called. */
	const full = () => {
		t.sim.inflight.limit({reads: 0, mutating: 0});
		return () => t.sim.inflight.limit({reads: 1, mutating: 1});
	};

	/** The answers undici got while `run` ran. */
	async function answersDuring<T>(run: (statuses: number[]) => Promise<T>): Promise<T> {
		const statuses: number[] = [];
		return observing('undici:request:headers', m => statuses.push(m.response.statusCode), () => run(statuses));
	}

	test('past its places: 429, Retry-After 1 and a line of text; a watch needs a place to start, not to go on; the probes and system:masters are let through', async () => {
		t.sim.inflight.limit({reads: 0, mutating: 1});
		try {
			const busy = await simRequest(t.sim, '/api/v1/namespaces/canary/pods', {as: 'viewer'});
			assert.equal(busy.status, 429);
			assert.equal(busy.headers['retry-after'], '1');
			assert.equal(busy.text, TOO_MANY_REQUESTS);
			assert.equal((await simRequest(t.sim, '/api/v1/namespaces/canary/pods?watch=true&timeoutSeconds=1', {as: 'viewer'})).status, 429, 'a watch needs a place to start');
			assert.equal((await simRequest(t.sim, '/readyz', {as: 'viewer'})).status, 200);
			assert.equal((await simRequest(t.sim, '/api/v1/namespaces/canary/pods', {as: 'admin'})).status, 200, 'system:masters');
			assert.equal((await simRequest(t.sim, '/api/v1/namespaces/canary/configmaps/nope', {as: 'deployer', method: 'DELETE'})).status, 404, 'a write has places of its own');
		} finally {
			t.sim.inflight.limit({reads: 1, mutating: 1});
		}
		// Watches that started while there was room take none: the one read place stays free beside them.
		const client = KubeClient.load({kubeconfig: t.kubeconfigPath, context: simContexts.viewer, namespace: 'canary'});
		try {
			const watches = [await client.watch('/api/v1/namespaces/canary/pods', {}, () => {}), await client.watch('/api/v1/namespaces/canary/configmaps', {}, () => {})];
			assert.equal((await simRequest(t.sim, '/api/v1/namespaces/canary/pods', {as: 'viewer'})).status, 200);
			for (const w of watches) w.abort();
		} finally {
			await client.close();
		}
		// A Status that says when to retry says it in Retry-After too (here: a read from a version not reached yet).
		const behind = await simRequest(t.sim, `/api/v1/namespaces/canary/configmaps?resourceVersion=${t.sim.store.resourceVersion + 1000}`, {as: 'viewer'});
		assert.equal(behind.status, 504);
		assert.equal(behind.headers['retry-after'], '1');
	});

	test('rollscope\'s client and kubectl wait out the 429s and get their answers once there is room', async () => {
		const client = KubeClient.load({kubeconfig: t.kubeconfigPath, context: simContexts.viewer, namespace: 'canary'});
		try {
			await answersDuring(async statuses => {
				const room = full();
				const kubectlRefused = t.sim.inflight.refusedFor('kubectl/');
				const ours = client.list('/api/v1/namespaces/canary/pods');
				const kubectl = t.kubectl(['--context', simContexts.viewer, 'get', 'pods', '-n', 'canary', '-o', 'name']);
				await waitFor('both turned away', () => statuses.includes(429) && t.sim.inflight.refusedFor('kubectl/') > kubectlRefused, 20_000);
				room();
				const [listed, k] = await Promise.all([ours, kubectl]);
				assert.ok(listed.items.length > 0);
				assert.equal(statuses.at(-1), 200);
				assert.equal(k.code, 0, k.stderr);
				assert.match(k.stdout, /pod\//);
			});
		} finally {
			await client.close();
		}
	});

	test('a watch asked for while the server is full is opened once it has room', async () => {
		const client = KubeClient.load({kubeconfig: t.kubeconfigPath, context: simContexts.viewer, namespace: 'canary'});
		try {
			await answersDuring(async statuses => {
				const room = full();
				const opening = client.watch('/api/v1/namespaces/canary/pods', {}, () => {});
				await waitFor('turned away', () => statuses.includes(429), 10_000);
				room();
				(await opening).abort();
				assert.deepEqual([statuses[0], statuses.at(-1)], [429, 200], statuses.join(', '));
			});
		} finally {
			await client.close();
		}
	});

	test('a server busy for longer than the request may take: the 429 is said as it came', async () => {
		const client = KubeClient.load({kubeconfig: t.kubeconfigPath, context: simContexts.viewer, namespace: 'canary'});
		const room = full();
		try {
			await assert.rejects(client.request('GET', '/api/v1/namespaces/canary/pods', {timeoutMs: 1500}), (e: KubeError) => e.code === 429 && e.reason === 'TooManyRequests' && /Too many requests, please try again later/.test(e.message));
		} finally {
			room();
			await client.close();
		}
	});
});

describe('what is made again after a 5xx that says Retry-After', () => {
	// A server of its own that answers the first request to each path 503 or 504 with Retry-After, then 200.
	let server: http.Server;
	const seen: string[] = [];
	let client: KubeClient;
	before(async () => {
		const answered = new Set<string>();
		server = http.createServer((req, res) => {
			seen.push(`${req.method} ${req.url}`);
			const key = `${req.method} ${req.url}`;
			if (!answered.has(key)) {
				answered.add(key);
				const code = req.method === 'GET' ? 503 : 504;
				res.writeHead(code, {'Content-Type': 'application/json', 'Retry-After': '0'});
				res.end(JSON.stringify({kind: 'Status', apiVersion: 'v1', status: 'Failure', message: code === 504 ? 'the server was unable to return a response in the time allotted, but may still be processing the request' : 'the server is currently unable to handle the request', reason: code === 504 ? 'Timeout' : 'ServiceUnavailable', code}));
				return;
			}
			res.writeHead(200, {'Content-Type': 'application/json'});
			res.end('{"kind":"ConfigMap","apiVersion":"v1","metadata":{"name":"x"}}');
		});
		await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
		const {port} = server.address() as AddressInfo;
		client = KubeClient.fromString(
			`apiVersion: v1\nkind: Config\nclusters: [{name: c, cluster: {server: "http://127.0.0.1:${port}", insecure-skip-tls-verify: true}}]\nusers: [{name: u, user: {}}]\ncontexts: [{name: c, context: {cluster: c, user: u, namespace: ns}}]\ncurrent-context: c\n`,
			'ns',
		);
	});
	after(async () => {
		await client.close();
		await new Promise(resolve => server.close(resolve));
	});

	test('a read is made again; a write is not (a 504 may still be carried out), and says it may have been', async () => {
		const read = await client.request('GET', '/api/v1/namespaces/ns/configmaps/x');
		assert.equal(read.metadata.name, 'x');
		assert.deepEqual(seen.splice(0), ['GET /api/v1/namespaces/ns/configmaps/x', 'GET /api/v1/namespaces/ns/configmaps/x']);
		await assert.rejects(client.request('PATCH', '/api/v1/namespaces/ns/configmaps/x', {body: [], contentType: 'application/json-patch+json'}), (e: KubeError) => e.code === 504 && e.maybeSent);
		assert.deepEqual(seen.splice(0), ['PATCH /api/v1/namespaces/ns/configmaps/x']);
	});
});
