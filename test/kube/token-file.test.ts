// A kubeconfig user's token file, read again as it is rotated: when what was read is a minute old, and at once
// when the API server turns the token down; against the sim, whose token for a user is changed under a
// running client as a rotation changes it.
import assert from 'node:assert/strict';
import {mkdtempSync, rmSync, unlinkSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {after, before, describe, test} from 'node:test';
import {parse, stringify} from 'yaml';
import {KubeClient} from '../../source/kube/client.js';
import {KubeError} from '../../source/kube/errors.js';
import {TOKEN_FILE_MAX_AGE_MS, TokenFile} from '../../source/kube/token-file.js';
import {startTestSim, type TestSim} from '../helpers/sim.js';
import {observing, requestLine} from '../helpers/undici.js';

describe('TokenFile', () => {
	let dir: string;
	before(() => {
		dir = mkdtempSync(join(tmpdir(), 'rollscope-token-'));
	});
	after(() => rmSync(dir, {recursive: true, force: true}));

	test('read at first use, again once what was read is a minute old and not before; trimmed', () => {
		const path = join(dir, 'aged');
		let now = 1_000_000;
		const file = new TokenFile(path, () => now);
		writeFileSync(path, 'first\n');
		assert.equal(file.current(), 'first');
		writeFileSync(path, 'second');
		now += TOKEN_FILE_MAX_AGE_MS - 1;
		assert.equal(file.current(), 'first', 'not read again within the minute');
		now += 1;
		assert.equal(file.current(), 'second', 'read again once a minute old');
		writeFileSync(path, 'third');
		now += 10;
		assert.equal(file.current(), 'second', 'the minute counts from the last read');
	});

	test('renew reads at once and says whether the token is another; a file gone or empty keeps the last token', () => {
		const path = join(dir, 'renewed');
		let now = 0;
		const file = new TokenFile(path, () => now);
		assert.equal(file.current(), undefined, 'no file yet');
		writeFileSync(path, 'one');
		assert.equal(file.renew(), true);
		assert.equal(file.current(), 'one');
		assert.equal(file.renew(), false, 'the same token is not new');
		writeFileSync(path, '  \n');
		assert.equal(file.renew(), false, 'an empty file (being rewritten) gives nothing new');
		unlinkSync(path);
		now += TOKEN_FILE_MAX_AGE_MS;
		assert.equal(file.current(), 'one', 'a file gone keeps the last token');
		writeFileSync(path, 'two\n');
		assert.equal(file.renew(), true);
		assert.equal(file.current(), 'two');
	});
});

describe('a kubeconfig token file rotated under a running client', () => {
	let t: TestSim;
	before(async () => {
		t = await startTestSim({scenario: 'canary'});
	});
	after(async () => {
		await t.stop();
	});

	/** A kubeconfig whose user is the viewer by the token in `token` beside it; and the viewer's account in the sim. */
	const viewerByFile = (name: string) => {
		const sim = parse(t.sim.kubeconfig('canary'));
		const viewer = t.sim.credentials.accounts.find(a => a.name === 'viewer')!;
		const tokenPath = join(t.dir, `${name}.token`);
		writeFileSync(tokenPath, `${viewer.token}\n`);
		const config = join(t.dir, `${name}.config`);
		writeFileSync(
			config,
			stringify({
				apiVersion: 'v1',
				kind: 'Config',
				clusters: [{name: 'sim', cluster: sim.clusters[0].cluster}],
				users: [{name: 'me', user: {'token-file': `${name}.token`}}],
				contexts: [{name: 'sim', context: {cluster: 'sim', user: 'me', namespace: 'canary'}}],
				'current-context': 'sim',
			}),
		);
		return {config, tokenPath, viewer};
	};

	/** The requests made while `run` runs (undici's request channel), as method and path. */
	async function requestsDuring<T>(run: () => Promise<T>): Promise<{result: PromiseSettledResult<T>; requests: string[]}> {
		const requests: string[] = [];
		const [result] = await observing('undici:request:create', m => requests.push(requestLine(m).split('?')[0]!), () => Promise.allSettled([run()]));
		return {result: result!, requests};
	}

	test('the server turns the old token down: the file is read again and the request made once more, for a request, a list and a watch', async () => {
		const {config, tokenPath, viewer} = viewerByFile('rotated');
		const before = viewer.token;
		const client = KubeClient.load({kubeconfig: config});
		try {
			await client.request('GET', '/api/v1/namespaces/canary/configmaps');
			// The rotation: the server knows only the new token, and the file holds it.
			viewer.token = `${before}-next`;
			writeFileSync(tokenPath, `${viewer.token}\n`);
			const {result, requests} = await requestsDuring(() => client.request('GET', '/api/v1/namespaces/canary/configmaps'));
			assert.equal(result.status, 'fulfilled', String((result as PromiseRejectedResult).reason));
			assert.deepEqual(requests, ['GET /api/v1/namespaces/canary/configmaps', 'GET /api/v1/namespaces/canary/configmaps'], 'turned down, then made again');

			viewer.token = `${before}-third`;
			writeFileSync(tokenPath, viewer.token);
			const listed = await client.list('/api/v1/namespaces/canary/pods');
			assert.ok(listed.items.length > 0);

			viewer.token = `${before}-fourth`;
			writeFileSync(tokenPath, viewer.token);
			const stream = await client.watch('/api/v1/namespaces/canary/pods', {resourceVersion: listed.resourceVersion}, () => {});
			stream.abort();
		} finally {
			viewer.token = before;
			await client.close();
		}
	});

	test('a token turned down that the file still holds: one request, the 401 said as it is, nothing made again', async () => {
		const {config, viewer} = viewerByFile('revoked');
		const before = viewer.token;
		const client = KubeClient.load({kubeconfig: config});
		try {
			await client.request('GET', '/api/v1/namespaces/canary/configmaps');
			viewer.token = `${before}-revoked`;
			const {result, requests} = await requestsDuring(() => client.request('GET', '/api/v1/namespaces/canary/configmaps'));
			assert.equal(result.status, 'rejected');
			const error = (result as PromiseRejectedResult).reason as KubeError;
			assert.ok(error instanceof KubeError && error.code === 401, String(error));
			assert.deepEqual(requests, ['GET /api/v1/namespaces/canary/configmaps']);
		} finally {
			viewer.token = before;
			await client.close();
		}
	});
});
