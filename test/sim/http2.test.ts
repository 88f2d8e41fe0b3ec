// The sim's protocols, as kube-apiserver's: over TLS it takes HTTP/2 from a client that offers it in ALPN (kubectl,
// client-go and undici all do, and then share one connection among all their lists and watches), and HTTP/1.1
// from one that does not (python3-kubernetes, curl --http1.1). rollscope's client meets real API servers over
// HTTP/2, so the sim must answer it that way too.
import assert from 'node:assert/strict';
import http2 from 'node:http2';
import https from 'node:https';
import {after, before, describe, test} from 'node:test';
import {KubeClient, type WatchEvent} from '../../source/kube/client.js';
import {startProxy} from '../helpers/proxy.js';
import {startTestSim, waitFor, type TestSim} from '../helpers/sim.js';

type Answer = {status: number; text: string};

/** One request on an HTTP/2 session. */
function h2Request(session: http2.ClientHttp2Session, path: string, headers: http2.OutgoingHttpHeaders): Promise<Answer> {
	return new Promise((resolve, reject) => {
		const stream = session.request({':path': path, ...headers});
		let status = 0;
		let text = '';
		stream.setEncoding('utf8');
		stream.on('response', h => (status = Number(h[':status'])));
		stream.on('data', (chunk: string) => (text += chunk));
		stream.on('end', () => resolve({status, text}));
		stream.on('error', reject);
	});
}

describe('the sim speaks HTTP/2 and HTTP/1.1, as kube-apiserver', () => {
	let t: TestSim;
	let ca: string;
	let token: string;
	before(async () => {
		t = await startTestSim({scenario: 'canary'});
		const config = KubeClient.load({kubeconfig: t.kubeconfigPath}).config;
		ca = Buffer.from(config.getCurrentCluster()!.caData!, 'base64').toString();
		token = config.getCurrentUser()!.token!;
		assert.ok(token, 'the test kubeconfig\'s user has a token');
	});
	after(async () => {
		await t.stop();
	});

	test('a client that offers h2 gets it, and one session carries a watch and other requests at once', async () => {
		const session = http2.connect(`https://127.0.0.1:${t.sim.port}`, {ca});
		try {
			await new Promise<void>((resolve, reject) => session.once('connect', () => resolve()).once('error', reject));
			assert.equal(session.alpnProtocol, 'h2');
			const auth = {authorization: `Bearer ${token}`};
			const watch = h2Request(session, '/apis/apps/v1/namespaces/canary/deployments?watch=true&timeoutSeconds=2', auth);
			const [pods, version] = await Promise.all([h2Request(session, '/api/v1/namespaces/canary/pods', auth), h2Request(session, '/version', {})]);
			assert.equal(pods.status, 200);
			assert.ok(JSON.parse(pods.text).items.length > 0);
			assert.equal(version.status, 200);
			assert.match(JSON.parse(version.text).gitVersion, /^v1\.\d+/);
			const watched = await watch;
			assert.equal(watched.status, 200);
			const events = watched.text.split('\n').filter(Boolean).map(line => JSON.parse(line));
			assert.deepEqual(events.filter(e => e.type === 'ADDED').map(e => e.object.metadata.name).sort(), ['checkout', 'checkout-canary']);
			// The host is named in :authority over HTTP/2, and is held to loopback as Host is.
			const foreign = await h2Request(session, '/api/v1/namespaces/canary/pods', {...auth, ':authority': 'rebound.example:443'});
			assert.equal(foreign.status, 403);
			assert.match(JSON.parse(foreign.text).message, /the Host "rebound\.example:443" is not a loopback address/);
		} finally {
			session.close();
		}
	});

	test('a client that offers no h2 is answered over HTTP/1.1, a watch in chunks', async () => {
		const answer = await new Promise<{version: string; chunked: boolean; text: string}>((resolve, reject) => {
			const req = https.get(`https://127.0.0.1:${t.sim.port}/apis/apps/v1/namespaces/canary/deployments?watch=true&timeoutSeconds=1`, {ca, headers: {authorization: `Bearer ${token}`}, agent: false}, res => {
				let text = '';
				res.setEncoding('utf8');
				res.on('data', (chunk: string) => (text += chunk));
				res.on('end', () => resolve({version: res.httpVersion, chunked: res.headers['transfer-encoding'] === 'chunked', text}));
			});
			req.on('error', reject);
		});
		assert.equal(answer.version, '1.1');
		assert.ok(answer.chunked);
		assert.ok(answer.text.includes('"type":"ADDED"'));
	});

	test('rollscope\'s client carries its lists and watches over one connection', async () => {
		const proxy = await startProxy(t.sim.port);
		const client = KubeClient.fromString(t.sim.kubeconfig('canary').replace(`:${t.sim.port}`, `:${proxy.port}`), 'canary');
		const streams: Array<{abort(): void}> = [];
		try {
			const seen: WatchEvent[] = [];
			const paths = ['/api/v1/namespaces/canary/pods', '/apis/apps/v1/namespaces/canary/replicasets', '/apis/apps/v1/namespaces/canary/deployments'];
			const lists = await Promise.all(paths.map(path => client.list(path)));
			for (const [i, path] of paths.entries()) streams.push(await client.watch(path, {resourceVersion: lists[i]!.resourceVersion}, e => seen.push(e)));
			await client.request('PATCH', '/apis/apps/v1/namespaces/canary/deployments/checkout', {body: {metadata: {annotations: {'rollscope.test/h2': 'yes'}}}, contentType: 'application/merge-patch+json'});
			await waitFor('the patch on the watch', () => seen.some(e => e.object.metadata?.annotations?.['rollscope.test/h2'] === 'yes'));
			assert.equal(proxy.connections(), 1);
		} finally {
			for (const s of streams) s.abort();
			await client.close();
			await proxy.close();
		}
	});
});
