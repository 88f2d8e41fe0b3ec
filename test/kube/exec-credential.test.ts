// Exec credential plugins, run for real (small shell scripts): what they print is checked, kept until it expires,
// run once however many requests wait for it, run again after a 401, and failures are said in words.
import assert from 'node:assert/strict';
import {chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {after, before, describe, test} from 'node:test';
import {KubeConfig} from '@kubernetes/client-node';
import {adoptExecPlugins, ExecCredentials, parseExecCredential, type ExecConfig} from '../../source/kube/exec-credential.js';

const v1 = 'client.authentication.k8s.io/v1';

test('parseExecCredential: a token or a certificate and key, its expiry, and what is wrong otherwise', () => {
	const ok = parseExecCredential(JSON.stringify({kind: 'ExecCredential', apiVersion: v1, status: {token: 't0k', expirationTimestamp: '2030-01-02T03:04:05Z'}}), v1);
	assert.deepEqual(ok, {token: 't0k', expiresAt: Date.parse('2030-01-02T03:04:05Z')});
	assert.deepEqual(parseExecCredential(JSON.stringify({kind: 'ExecCredential', apiVersion: v1, status: {clientCertificateData: 'C', clientKeyData: 'K'}}), v1), {clientCertificateData: 'C', clientKeyData: 'K'});
	const wrong = (printed: unknown) => (parseExecCredential(typeof printed === 'string' ? printed : JSON.stringify(printed), v1) as {error: string}).error;
	assert.equal(wrong('Please log in'), 'it printed something that is not JSON');
	assert.equal(wrong({kind: 'Config'}), 'it printed a Config, not an ExecCredential');
	assert.equal(wrong({kind: 'ExecCredential', apiVersion: 'client.authentication.k8s.io/v1beta1', status: {token: 't'}}), `it printed an ExecCredential of client.authentication.k8s.io/v1beta1, but the kubeconfig asks for ${v1}`);
	assert.equal(wrong({kind: 'ExecCredential', apiVersion: v1, status: {}}), 'its ExecCredential has neither a token nor a client certificate');
	assert.equal(wrong({kind: 'ExecCredential', apiVersion: v1, status: {clientCertificateData: 'C'}}), 'its ExecCredential has a client certificate without a key, or a key without a certificate');
	assert.equal(wrong({kind: 'ExecCredential', apiVersion: v1, status: {token: 't', expirationTimestamp: 'soon'}}), 'its ExecCredential\'s expirationTimestamp "soon" is not a time');
});

describe('ExecCredentials running a plugin', () => {
	let dir: string;
	let plugin: string;
	let log: string;
	before(() => {
		dir = mkdtempSync(join(tmpdir(), 'rollscope-exec-'));
		log = join(dir, 'runs.log');
		plugin = join(dir, 'plugin.sh');
		// Each run: one line in the log with what it was given; prints token tok-N, expiring at $EXPIRES.
		writeFileSync(
			plugin,
			`#!/bin/sh
echo "$KUBERNETES_EXEC_INFO" >> "${log}"
n=$(wc -l < "${log}" | tr -d ' ')
sleep 0.2
printf '{"apiVersion":"%s","kind":"ExecCredential","status":{"token":"tok-%s","expirationTimestamp":"%s"}}' "$API" "$n" "$EXPIRES"
`,
		);
		chmodSync(plugin, 0o755);
	});
	after(() => rmSync(dir, {recursive: true, force: true}));

	const runs = () => readFileSync(log, 'utf8').trim().split('\n').filter(Boolean);
	const authorization = async (c: ExecCredentials) => {
		const opts: {headers?: Record<string, unknown>} = {};
		await c.applyAuthentication({name: 'u'} as never, opts);
		return opts.headers?.Authorization;
	};

	test('one run for many waiting requests; kept until a second before it expires; run again after invalidate (a 401)', async () => {
		writeFileSync(log, '');
		let clock = Date.parse('2030-01-01T00:00:00Z');
		const exec: ExecConfig = {command: plugin, apiVersion: v1, env: [{name: 'API', value: v1}, {name: 'EXPIRES', value: '2030-01-01T00:00:10Z'}], provideClusterInfo: true};
		const c = new ExecCredentials(new Map([['u', exec]]), () => ({name: 'c', server: 'https://k8s.example:6443', caData: 'Q0E=', skipTLSVerify: false}), undefined, () => clock);
		const all = await Promise.all([1, 2, 3, 4, 5].map(() => authorization(c)));
		assert.deepEqual(all, Array(5).fill('Bearer tok-1'));
		assert.equal(runs().length, 1, 'five requests, one run');
		const info = JSON.parse(runs()[0]!);
		assert.deepEqual(info, {kind: 'ExecCredential', apiVersion: v1, spec: {interactive: false, cluster: {server: 'https://k8s.example:6443', 'certificate-authority-data': 'Q0E='}}});
		clock += 8_000;
		assert.equal(await authorization(c), 'Bearer tok-1', 'still good for two seconds');
		clock += 1_500;
		assert.equal(await authorization(c), 'Bearer tok-2', 'under a second left: run again');
		c.invalidate();
		assert.equal(await authorization(c), 'Bearer tok-3');
		assert.equal(runs().length, 3);
	});

	test('failures say which plugin of which user, and why', async () => {
		const fail = async (exec: Partial<ExecConfig>) => {
			const c = new ExecCredentials(new Map([['u', {command: plugin, apiVersion: v1, ...exec}]]), () => null);
			await assert.rejects(authorization(c), (e: Error) => {
				assert.ok(e.message.startsWith(`the exec credential plugin "${exec.command ?? plugin}" of kubeconfig user "u" `), e.message);
				return true;
			});
			return String(await authorization(c).catch((e: Error) => e.message.replace(`the exec credential plugin "${exec.command ?? plugin}" of kubeconfig user "u" `, '')));
		};
		assert.equal(await fail({command: 'rollscope-no-such-plugin', installHint: 'Install it with: apt-get install rollscope-auth\nthen log in'}), 'is not installed (not found on PATH): Install it with: apt-get install rollscope-auth');
		assert.equal(await fail({command: '/bin/sh', args: ['-c', 'echo "first line" >&2; echo "error: token expired, run login" >&2; exit 3']}), 'failed (exit 3): error: token expired, run login');
		assert.equal(await fail({command: '/bin/sh', args: ['-c', 'echo not json']}), 'answered wrongly: it printed something that is not JSON');
		assert.equal(await fail({apiVersion: 'client.authentication.k8s.io/v1alpha1'}), `needs an apiVersion of ${v1} or client.authentication.k8s.io/v1beta1 (it has client.authentication.k8s.io/v1alpha1)`);
		assert.match(await fail({interactiveMode: 'Always'}), /^asks for a terminal/);
	});

	test('a kubeconfig user with exec: client-node hands it over; a relative command is found beside the kubeconfig', async () => {
		writeFileSync(log, '');
		const kubeconfig = join(dir, 'kubeconfig');
		writeFileSync(
			kubeconfig,
			`apiVersion: v1
kind: Config
clusters: [{name: c, cluster: {server: "https://127.0.0.1:6443"}}]
users: [{name: u, user: {exec: {apiVersion: ${v1}, command: ./plugin.sh, env: [{name: API, value: ${v1}}, {name: EXPIRES, value: "2999-01-01T00:00:00Z"}]}}}]
contexts: [{name: c, context: {cluster: c, user: u}}]
current-context: c
`,
		);
		const kc = new KubeConfig();
		kc.loadFromFile(kubeconfig);
		const credentials = adoptExecPlugins(kc, [kubeconfig]);
		assert.ok(credentials);
		const opts: {headers?: Record<string, unknown>} = {};
		// Run from elsewhere: the relative command is still found.
		const cwd = process.cwd();
		process.chdir(tmpdir());
		try {
			await kc.applyToHTTPSOptions(opts as never);
		} finally {
			process.chdir(cwd);
		}
		assert.equal(opts.headers?.Authorization, 'Bearer tok-1');
		assert.equal(credentials.runs, 1);
		assert.deepEqual(JSON.parse(runs()[0]!), {kind: 'ExecCredential', apiVersion: v1, spec: {interactive: false}});
	});
});
