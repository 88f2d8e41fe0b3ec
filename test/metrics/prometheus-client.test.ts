// The prometheus-query wrapper against a fake Prometheus: each quirk of the library (reference
// traffic-metrics.md §2.5) is handled, and what rollscope sends (auth, headers, POST) is right.
import assert from 'node:assert/strict';
import {execFileSync} from 'node:child_process';
import {mkdtempSync, readFileSync, rmSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {after, describe, test} from 'node:test';
import {PromError} from '../../source/metrics/prom-error.js';
import {PromClient} from '../../source/metrics/prometheus-client.js';
import {findOnPath, freePort} from '../../source/metrics/prometheus-server.js';
import {planQueries} from '../../source/metrics/queries.js';
import {metricsSettings} from '../../source/config/metrics.js';
import {byVersion} from '../../source/metrics/prometheus-source.js';
import {canaryRelease} from '../ui/fixtures.js';
import {fakePrometheus, matrix, vector, type FakePrometheus} from './fake-prometheus.js';

const servers: FakePrometheus[] = [];
after(async () => {
	for (const s of servers) await s.close();
});

async function serve(...args: Parameters<typeof fakePrometheus>): Promise<FakePrometheus> {
	const s = await fakePrometheus(...args);
	servers.push(s);
	return s;
}

describe('prometheus-query quirks', () => {
	test('+Inf and -Inf come back as ±Infinity, kept apart from NaN (no data)', async () => {
		const fake = await serve(s =>
			s.path.endsWith('/query_range')
				? {body: matrix([{metric: {version: 'a'}, values: [[1700000000, '+Inf'], [1700000005, 'NaN'], [1700000010, '-Inf'], [1700000015, '0.25']]}])}
				: {body: vector([{metric: {}, value: [1700000000, '+Inf']}, {metric: {le: 'x'}, value: [1700000000, 'NaN']}])},
		);
		const client = new PromClient({url: fake.url});
		const instant = await client.instant('1/0', 1_700_000_000_000);
		assert.equal(instant.series[0]!.samples[0]![1], Infinity);
		assert.ok(Number.isNaN(instant.series[1]!.samples[0]![1]));
		const range = await client.range('q', 1_700_000_000_000, 1_700_000_015_000, 5);
		assert.deepEqual(range.series[0]!.samples.map(([t, v]) => [t, String(v)]), [
			[1_700_000_000_000, 'Infinity'],
			[1_700_000_005_000, 'NaN'],
			[1_700_000_010_000, '-Infinity'],
			[1_700_000_015_000, '0.25'],
		]);
	});

	test('a label with an empty value is absent from the result; it reads as the stable side for ingress-nginx', async () => {
		// Prometheus drops canary="" for requests the main backend served: the series arrives with no canary label.
		const fake = await serve(() => ({body: matrix([{metric: {}, values: [[1700000000, '50']]}, {metric: {canary: 'shop-checkout-canary-80'}, values: [[1700000000, '5']]}])}));
		const client = new PromClient({url: fake.url});
		const answer = await client.range('q', 1_700_000_000_000, 1_700_000_000_000, 5);
		assert.deepEqual(answer.series[0]!.labels, {});
		const release = canaryRelease();
		const plan = planQueries(release, metricsSettings(undefined), 'nginx');
		const series = byVersion(plan, answer.series);
		assert.deepEqual(series.get('checkout'), [[1_700_000_000_000, 50]]);
		assert.deepEqual(series.get('checkout-canary'), [[1_700_000_000_000, 5]]);
	});

	test('rejections are PromError instances with a kind: bad query, HTTP error, non-Prometheus answer', async () => {
		const fake = await serve(s => {
			const q = s.form.get('query');
			if (q === 'bad(') return {status: 400, body: {status: 'error', errorType: 'bad_data', error: 'invalid parameter "query": 1:5: parse error: unclosed left parenthesis'}};
			if (q === 'proxy') return {status: 502, body: '<html>Bad Gateway</html>', contentType: 'text/html'};
			return {body: '<html>not prometheus</html>', contentType: 'text/html'};
		});
		const client = new PromClient({url: fake.url});
		const bad = await client.instant('bad(').catch(e => e);
		assert.ok(bad instanceof Error && bad instanceof PromError);
		assert.equal(bad.kind, 'query');
		assert.equal(bad.details.errorType, 'bad_data');
		assert.equal(bad.details.httpStatus, 400);
		assert.match(bad.message, /bad_data: invalid parameter "query".*unclosed left parenthesis/);
		assert.equal(bad.isOutage, false);
		const proxy = await client.instant('proxy').catch(e => e);
		assert.ok(proxy instanceof PromError);
		assert.equal(proxy.kind, 'http');
		assert.equal(proxy.isOutage, true);
		const html = await client.instant('html').catch(e => e);
		assert.ok(html instanceof PromError);
		assert.equal(html.kind, 'protocol');
	});

	test('an unreachable server is a PromError of kind unreachable, an outage', async () => {
		const port = await freePort();
		const error = await new PromClient({url: `http://127.0.0.1:${port}`}).instant('up').catch(e => e);
		assert.ok(error instanceof PromError);
		assert.equal(error.kind, 'unreachable');
		assert.equal(error.isOutage, true);
		assert.match(error.message, /ECONNREFUSED/);
	});

	test('a client timeout is a PromError of kind timeout', async () => {
		const fake = await serve(() => ({body: vector([]), delayMs: 1000}));
		const error = await new PromClient({url: fake.url, timeoutMs: 100}).instant('up').catch(e => e);
		assert.ok(error instanceof PromError);
		assert.equal(error.kind, 'timeout');
	});

	test('one query can be cancelled while another on the same client completes', async () => {
		const fake = await serve(s => ({body: vector([{metric: {}, value: [1700000000, '1']}]), delayMs: s.form.get('query') === 'slow' ? 2000 : 50}));
		const client = new PromClient({url: fake.url});
		const controller = new AbortController();
		const slow = client.instant('slow', undefined, {signal: controller.signal}).catch(e => e);
		const fast = client.instant('fast');
		setTimeout(() => controller.abort(), 20);
		const began = Date.now();
		const cancelled = await slow;
		assert.ok(cancelled instanceof PromError);
		assert.equal(cancelled.kind, 'aborted');
		assert.ok(Date.now() - began < 1500, 'the cancelled query did not wait for its answer');
		assert.equal((await fast).series[0]!.samples[0]![1], 1);
		const early = await client.instant('fast', undefined, {signal: AbortSignal.abort()}).catch(e => e);
		assert.equal(early.kind, 'aborted');
	});

	test('warnings in the answer body are returned (its warningHook never fires)', async () => {
		const fake = await serve(() => ({body: {...vector([]), warnings: ['PromQL info: metric might not be a counter']}}));
		const answer = await new PromClient({url: fake.url}).instant('up');
		assert.deepEqual(answer.warnings, ['PromQL info: metric might not be a counter']);
	});

	test('a native-histogram sample becomes no data instead of crashing the parser', async () => {
		const fake = await serve(() => ({body: vector([{metric: {}, histogram: [1700000000, {count: '3', sum: '1', buckets: []}]}, {metric: {a: 'b'}, value: [1700000000, '2']}])}));
		const answer = await new PromClient({url: fake.url}).instant('h');
		assert.ok(Number.isNaN(answer.series[0]!.samples[0]![1]));
		assert.equal(answer.series[1]!.samples[0]![1], 2);
	});

	test('queries are POSTed as forms, with the bearer token and extra headers', async () => {
		const fake = await serve(() => ({body: vector([])}));
		await new PromClient({url: `${fake.url}/prefix/`, bearerToken: 'tok', headers: {'X-Scope-OrgID': 'tenant-a'}}).range('sum(up)', 1_700_000_000_000, 1_700_000_060_000, 15);
		const seen = fake.seen.at(-1)!;
		assert.equal(seen.path, '/prefix/api/v1/query_range');
		assert.equal(seen.form.get('query'), 'sum(up)');
		assert.equal(seen.form.get('start'), '1700000000');
		assert.equal(seen.form.get('end'), '1700000060');
		assert.equal(seen.form.get('step'), '15');
		assert.equal(seen.headers.authorization, 'Bearer tok');
		assert.equal(seen.headers['x-scope-orgid'], 'tenant-a');
		await new PromClient({url: fake.url, basicAuth: {username: 'u', password: 'p w'}}).instant('up');
		assert.equal(fake.seen.at(-1)!.headers.authorization, `Basic ${Buffer.from('u:p w').toString('base64')}`);
	});

	test('a CA file makes a private certificate trusted', {skip: !findOnPath('openssl') && 'needs openssl'}, async () => {
		const dir = mkdtempSync(join(tmpdir(), 'rollscope-ca-'));
		try {
			execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', join(dir, 'key.pem'), '-out', join(dir, 'cert.pem'), '-days', '1', '-subj', '/CN=127.0.0.1', '-addext', 'subjectAltName=IP:127.0.0.1'], {stdio: 'ignore'});
			const cert = readFileSync(join(dir, 'cert.pem'), 'utf8');
			const fake = await serve(() => ({body: vector([{metric: {}, value: [1700000000, '1']}])}), {key: readFileSync(join(dir, 'key.pem'), 'utf8'), cert});
			const untrusted = await new PromClient({url: fake.url}).instant('up').catch(e => e);
			assert.ok(untrusted instanceof PromError);
			assert.equal(untrusted.isOutage, true);
			const answer = await new PromClient({url: fake.url, ca: cert}).instant('up');
			assert.equal(answer.series[0]!.samples[0]![1], 1);
		} finally {
			rmSync(dir, {recursive: true, force: true});
		}
	});
});
