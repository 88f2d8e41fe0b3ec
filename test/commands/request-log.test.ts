// -v N: the requests to the API and Prometheus, one line each (method, URL, status, time), from 8 on with
// headers and bodies, and credentials masked everywhere: unit tests of the masking, and the real CLI with
// --once against the sim and a Prometheus that wants a bearer token.
import assert from 'node:assert/strict';
import {after, before, describe, test} from 'node:test';
import {headerPairs, maskBody, maskHeader, maskUrl} from '../../source/commands/request-log.js';
import {runCli} from '../helpers/cli.js';
import {startTestSim, type TestSim} from '../helpers/sim.js';
import {fakePrometheus, vector, type FakePrometheus} from '../metrics/fake-prometheus.js';

test('masking: URLs, headers and bodies', () => {
	assert.equal(maskUrl('https://user:pw@prom:9090/api/v1/query?token=abc&query=up'), 'https://***@prom:9090/api/v1/query?token=***&query=up');
	assert.equal(maskUrl('https://k8s:6443/api/v1/namespaces/shop?watch=true'), 'https://k8s:6443/api/v1/namespaces/shop?watch=true');
	assert.equal(maskHeader('Authorization', 'Bearer abc.def'), 'Bearer ***');
	assert.equal(maskHeader('authorization', 'Basic dXNlcjpwdw=='), 'Basic ***');
	assert.equal(maskHeader('X-Api-Key', 'k'), '***');
	assert.equal(maskHeader('Accept', 'application/json'), 'application/json');
	assert.equal(maskBody('{"spec":{"token":"abc","user":"me"},"status":{"authenticated":true}}'), '{"spec":{"token":"***","user":"me"},"status":{"authenticated":true}}');
	assert.equal(maskBody('query=up&access_token=abc'), 'query=up&access_token=***');
	assert.match(maskBody('x'.repeat(5000)), /… \(904 more characters\)$/);
	assert.equal(maskBody(''), '(empty)');
});

test('an answer\'s headers read from HTTP/1.1\'s raw list and from HTTP/2\'s object alike', () => {
	const pairs = [['content-type', 'application/json'], ['content-encoding', 'gzip'], ['warning', 'a'], ['warning', 'b']];
	assert.deepEqual(headerPairs(pairs.flat().map(v => Buffer.from(v))), pairs);
	assert.deepEqual(headerPairs({':status': 200, 'content-type': 'application/json', 'content-encoding': 'gzip', warning: ['a', 'b']}), pairs);
	assert.deepEqual(headerPairs(undefined), []);
});

describe('rollscope --once -v against the sim and a Prometheus', () => {
	let t: TestSim;
	let prom: FakePrometheus;
	const promToken = 'prom-s3cr3t-token';
	before(async () => {
		t = await startTestSim({scenario: 'canary'});
		prom = await fakePrometheus(seen => (seen.headers.authorization === `Bearer ${promToken}` ? {body: vector([])} : {status: 401, body: {status: 'error', error: 'unauthorized'}}));
	});
	after(async () => {
		await prom.close();
		await t.stop();
	});

	const run = async (level: string) => {
		process.env.ROLLSCOPE_PROMETHEUS_BEARER_TOKEN = promToken;
		try {
			return await runCli(['deploy/checkout', '-n', 'canary', '--once', '-v', level, '--prometheus', prom.url], t.kubeconfigPath);
		} finally {
			delete process.env.ROLLSCOPE_PROMETHEUS_BEARER_TOKEN;
		}
	};
	const kubeToken = () => t.sim.credentials.accounts.find(a => a.name === 'admin')!.token;

	test('-v 6: one line per request on stderr, the snapshot on stdout', async () => {
		const r = await run('6');
		assert.equal(r.code, 0, r.stderr);
		assert.match(r.stdout, /canary\/checkout/);
		assert.match(r.stderr, /^GET https:\/\/127\.0\.0\.1:\d+\/api\/v1\/namespaces\/canary 200 OK in \d+ ms$/m);
		assert.match(r.stderr, /^GET https:\/\/127\.0\.0\.1:\d+\/apis\/apps\/v1\/namespaces\/canary\/deployments\?limit=500 200 OK in \d+ ms$/m);
		assert.match(r.stderr, /^POST http:\/\/127\.0\.0\.1:\d+\/api\/v1\/query 200 OK in \d+ ms$/m);
		assert.doesNotMatch(r.stderr, /response body|Authorization/i, 'no headers nor bodies below 8');
	});

	test('-v 8: headers and bodies too, credentials masked', async () => {
		const r = await run('8');
		assert.equal(r.code, 0, r.stderr);
		assert.match(r.stderr, /^ {2}Authorization: Bearer \*\*\*$/m);
		assert.match(r.stderr, /^ {2}authorization: Bearer \*\*\*$/m);
		assert.match(r.stderr, /^ {2}response body: \{"apiVersion":"v1","kind":"Namespace"/m);
		assert.match(r.stderr, /^ {2}request body: query=/m);
		assert.ok(!r.stderr.includes(kubeToken()), 'the API token never appears');
		assert.ok(!r.stderr.includes(promToken), 'the Prometheus token never appears');
	});

	test('-v 8: the client asks for gzip, and an answer that comes gzipped (128 KiB or more) is logged unzipped', async () => {
		const message = `Readiness probe failed: ${'x'.repeat(4000)}`;
		for (let i = 0; i < 40; i++) {
			t.sim.store.create('events', {metadata: {name: `checkout.gzip${i}`, namespace: 'canary'}, involvedObject: {kind: 'Deployment', name: 'checkout', namespace: 'canary'}, reason: 'Unhealthy', message, type: 'Warning', count: 1, firstTimestamp: new Date().toISOString(), lastTimestamp: new Date().toISOString(), source: {component: 'test'}});
		}
		try {
			const r = await run('8');
			assert.equal(r.code, 0, r.stderr);
			const lines = r.stderr.split('\n');
			const events = lines.findIndex(l => /^GET \S+\/api\/v1\/namespaces\/canary\/events\?limit=500$/.test(l));
			assert.ok(events >= 0, r.stderr.slice(0, 2000));
			const headers = lines.slice(events + 1, lines.findIndex((l, i) => i > events && !l.startsWith('  ')));
			assert.ok(headers.some(l => /^ {2}accept-encoding: gzip$/i.test(l)), headers.join('\n'));
			const answered = lines.findIndex(l => /^GET \S+\/api\/v1\/namespaces\/canary\/events\?limit=500 200 OK in \d+ ms$/.test(l));
			assert.ok(answered > events);
			assert.match(lines[answered + 1]!, /^ {2}response header /);
			assert.ok(lines.slice(answered + 1).findIndex(l => /^ {2}response header content-encoding: gzip$/i.test(l)) >= 0, 'the answer came gzipped');
			assert.ok(lines.some(l => /^ {2}response body: \{"kind":"EventList"/.test(l)), 'the events list, unzipped');
			assert.ok(!r.stderr.includes('\ufffd') && !r.stderr.includes('bytes gzipped'), 'nothing logged as gzipped bytes');
		} finally {
			for (let i = 0; i < 40; i++) t.sim.store.delete('events', 'canary', `checkout.gzip${i}`);
		}
	});
});
