// HTTPS, credentials and rights on the sim, through real clients: kubectl (tokens and a client certificate),
// Debian's python3-kubernetes, rollscope's KubeClient, openssl on the certificates; 401, 403, browsers refused,
// and a sim restarted from its state file that is the same cluster to an old kubeconfig.
import assert from 'node:assert/strict';
import {execFile} from 'node:child_process';
import {mkdtempSync, readFileSync, rmSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {after, before, describe, test} from 'node:test';
import {parse, stringify} from 'yaml';
import {KubeClient} from '../../source/kube/client.js';
import {KubeError} from '../../source/kube/errors.js';
import {issueCertificate} from '../../source/sim/certificates.js';
import {startSim} from '../../source/sim/cluster.js';
import {newCredentials} from '../../source/sim/credentials.js';
import {simContexts} from '../../source/sim/kubeconfig.js';
import {runKubectl, simRequest, startTestSim, waitFor, type TestSim} from '../helpers/sim.js';

const run = (file: string, args: string[], env: NodeJS.ProcessEnv = {}, input?: string) =>
	new Promise<{code: number; stdout: string; stderr: string}>(resolve => {
		const child = execFile(file, args, {env: {...process.env, ...env}, timeout: 60_000}, (error, stdout, stderr) =>
			resolve({code: error ? (typeof error.code === 'number' ? error.code : 1) : 0, stdout, stderr}),
		);
		if (input !== undefined) child.stdin?.end(input);
	});

/** A copy of a kubeconfig with one change to its parsed form. */
const edited = (kubeconfig: string, change: (config: any) => void) => {
	const config = parse(kubeconfig);
	change(config);
	return stringify(config);
};

const configMap = (name: string) => JSON.stringify({apiVersion: 'v1', kind: 'ConfigMap', metadata: {name}, data: {a: '1'}});

describe('the sim over HTTPS with credentials', () => {
	let t: TestSim;
	before(async () => {
		t = await startTestSim({scenario: 'canary'});
	});
	after(async () => {
		await t.stop();
	});

	const as = (context: string, args: string[]) => t.kubectl(args, {context});

	test('the kubeconfig holds the CA and one context per user; no TLS check is skipped', () => {
		const config = parse(t.sim.kubeconfig());
		assert.equal(config['current-context'], simContexts.admin);
		assert.deepEqual(config.contexts.map((c: any) => c.name).sort(), ['rollscope-sim', 'rollscope-sim-deployer', 'rollscope-sim-viewer']);
		const cluster = config.clusters[0].cluster;
		assert.match(cluster.server, /^https:\/\/127\.0\.0\.1:\d+$/);
		assert.equal(Buffer.from(cluster['certificate-authority-data'], 'base64').toString('utf8'), t.sim.credentials.ca.cert);
		assert.equal(cluster['insecure-skip-tls-verify'], undefined);
		const users = Object.fromEntries(config.users.map((u: any) => [u.name, u.user]));
		assert.ok(users['rollscope-admin'].token && users['rollscope-viewer'].token);
		assert.ok(users['rollscope-deployer']['client-certificate-data'] && users['rollscope-deployer']['client-key-data']);
	});

	test('openssl accepts the certificates: a CA, a server certificate for 127.0.0.1, ::1 and localhost, a client certificate', async () => {
		const dir = mkdtempSync(join(tmpdir(), 'rollscope-certs-'));
		try {
			const {ca, serving, clientCa, clientCertificates} = t.sim.credentials;
			for (const [name, text] of Object.entries({ca: ca.cert, serving: serving.cert, clientCa: clientCa.cert, deployer: clientCertificates.deployer!.cert})) writeFileSync(join(dir, name), text);
			const server = await run('openssl', ['verify', '-x509_strict', '-purpose', 'sslserver', '-CAfile', join(dir, 'ca'), join(dir, 'serving')]);
			assert.equal(server.code, 0, server.stderr + server.stdout);
			const client = await run('openssl', ['verify', '-x509_strict', '-purpose', 'sslclient', '-CAfile', join(dir, 'clientCa'), join(dir, 'deployer')]);
			assert.equal(client.code, 0, client.stderr + client.stdout);
			// The client certificate does not chain to the serving CA, nor the other way round.
			assert.notEqual((await run('openssl', ['verify', '-CAfile', join(dir, 'ca'), join(dir, 'deployer')])).code, 0);
			const text = (await run('openssl', ['x509', '-in', join(dir, 'serving'), '-noout', '-text'])).stdout;
			assert.match(text, /DNS:localhost, IP Address:127\.0\.0\.1, IP Address:0:0:0:0:0:0:0:1/);
			assert.match(text, /TLS Web Server Authentication/);
			const caText = (await run('openssl', ['x509', '-in', join(dir, 'ca'), '-noout', '-text'])).stdout;
			assert.match(caText, /CA:TRUE/);
			assert.match(caText, /Certificate Sign/);
			const subject = (await run('openssl', ['x509', '-in', join(dir, 'deployer'), '-noout', '-subject'])).stdout;
			assert.match(subject, /O = rollscope:deployers, CN = deployer/);
		} finally {
			rmSync(dir, {recursive: true, force: true});
		}
	});

	test('kubectl get pods as each user: admin and viewer by token, deployer by client certificate', async () => {
		for (const context of Object.values(simContexts)) {
			const r = await as(context, ['get', 'pods', '-n', 'canary']);
			assert.equal(r.code, 0, `${context}: ${r.stderr}`);
			assert.match(r.stdout, /checkout-[a-z0-9]+-[a-z0-9]{5}/, context);
		}
	});

	test('kubectl auth whoami names each user and its groups', async () => {
		const expected: Record<string, [string, string]> = {
			[simContexts.admin]: ['admin', '[system:masters system:authenticated]'],
			[simContexts.viewer]: ['viewer', '[rollscope:viewers system:authenticated]'],
			[simContexts.deployer]: ['deployer', '[rollscope:deployers system:authenticated]'],
		};
		for (const [context, [name, groups]] of Object.entries(expected)) {
			const r = await as(context, ['auth', 'whoami']);
			assert.equal(r.code, 0, `${context}: ${r.stderr}`);
			assert.match(r.stdout, new RegExp(`Username\\s+${name}\\n`), context);
			assert.ok(r.stdout.includes(`Groups      ${groups}`), `${context}: ${r.stdout}`);
		}
		// The older API version answers too, in its own version.
		const beta = await simRequest(t.sim, '/apis/authentication.k8s.io/v1beta1/selfsubjectreviews', {as: 'viewer', method: 'POST', body: '{"kind":"SelfSubjectReview","apiVersion":"authentication.k8s.io/v1beta1"}'});
		assert.equal(beta.status, 201, beta.text);
		assert.equal(beta.body.apiVersion, 'authentication.k8s.io/v1beta1');
		assert.equal(beta.body.status.userInfo.username, 'viewer');
	});

	test('kubectl auth can-i answers from each user\'s rights', async () => {
		const canI = async (context: string, args: string[]) => {
			const r = await as(context, ['auth', 'can-i', ...args]);
			return r.stdout.trim() || r.stderr.trim();
		};
		assert.equal(await canI(simContexts.admin, ['delete', 'namespaces']), 'yes');
		assert.equal(await canI(simContexts.viewer, ['list', 'pods', '-A']), 'yes');
		assert.equal(await canI(simContexts.viewer, ['patch', 'deployments', '-n', 'canary']), 'no - user "viewer" may only read');
		assert.equal(await canI(simContexts.deployer, ['patch', 'deployments', '--subresource=scale', '-n', 'canary']), 'yes');
		assert.equal(await canI(simContexts.deployer, ['create', 'configmaps', '-n', 'default']), 'no - user "deployer" may write only in the namespace "canary"');
		assert.equal(await canI(simContexts.deployer, ['create', 'namespaces']), 'no - user "deployer" may write only in the namespace "canary"');
		assert.equal(await canI(simContexts.viewer, ['get', '/healthz']), 'yes');
	});

	test('the viewer is refused a write with kube-apiserver\'s 403, and nothing changes', async () => {
		const pod = t.sim.store.list('pods', 'canary')[0]!.metadata.name!;
		const r = await as(simContexts.viewer, ['delete', 'pod', pod, '-n', 'canary', '--wait=false']);
		assert.notEqual(r.code, 0);
		assert.equal(r.stderr.trim(), `Error from server (Forbidden): pods "${pod}" is forbidden: User "viewer" cannot delete resource "pods" in API group "" in the namespace "canary"`);
		const raw = await simRequest(t.sim, `/api/v1/namespaces/canary/pods/${pod}`, {as: 'viewer', method: 'DELETE'});
		assert.equal(raw.status, 403);
		assert.deepEqual(raw.body, {
			kind: 'Status',
			apiVersion: 'v1',
			metadata: {},
			status: 'Failure',
			message: `pods "${pod}" is forbidden: User "viewer" cannot delete resource "pods" in API group "" in the namespace "canary"`,
			reason: 'Forbidden',
			details: {name: pod, group: '', kind: 'pods'},
			code: 403,
		});
		assert.ok(t.sim.store.get('pods', 'canary', pod), 'the pod is still there');
	});

	test('the deployer writes in its namespace and is refused in another', async () => {
		const file = join(t.dir, 'cm.json');
		writeFileSync(file, configMap('deployer-made'));
		const made = await as(simContexts.deployer, ['apply', '-f', file, '-n', 'canary']);
		assert.equal(made.code, 0, made.stderr);
		assert.equal(t.sim.store.get('configmaps', 'canary', 'deployer-made')?.data?.a, '1');
		const scaled = await as(simContexts.deployer, ['scale', 'deploy/checkout-canary', '-n', 'canary', '--replicas=3']);
		assert.equal(scaled.code, 0, scaled.stderr);
		assert.equal(t.sim.store.get('apps/deployments', 'canary', 'checkout-canary')!.spec.replicas, 3);

		const refused = await as(simContexts.deployer, ['apply', '-f', file, '-n', 'default']);
		assert.notEqual(refused.code, 0);
		assert.match(refused.stderr, /configmaps is forbidden: User "deployer" cannot create resource "configmaps" in API group "" in the namespace "default"/);
		const raw = await simRequest(t.sim, '/api/v1/namespaces/default/configmaps', {as: 'deployer', method: 'POST', body: configMap('deployer-made')});
		assert.equal(raw.status, 403);
		assert.equal(raw.body.message, 'configmaps is forbidden: User "deployer" cannot create resource "configmaps" in API group "" in the namespace "default"');
		assert.equal(t.sim.store.get('configmaps', 'default', 'deployer-made'), undefined);
	});

	test('no credentials, a wrong token or a certificate from another CA: 401 with a Status; health and version stay open', async () => {
		const unauthorized = {kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message: 'Unauthorized', reason: 'Unauthorized', code: 401};
		const none = await simRequest(t.sim, '/api/v1/namespaces/canary/pods', {as: 'nobody'});
		assert.equal(none.status, 401);
		assert.deepEqual(none.body, unauthorized);
		const wrong = await simRequest(t.sim, '/api/v1/namespaces/canary/pods', {as: 'nobody', headers: {Authorization: 'Bearer not-a-token'}});
		assert.equal(wrong.status, 401);
		assert.deepEqual(wrong.body, unauthorized);
		assert.equal((await simRequest(t.sim, '/apis', {as: 'nobody'})).status, 401, 'discovery needs credentials');
		assert.equal((await simRequest(t.sim, '/metrics', {as: 'nobody'})).status, 401);
		for (const path of ['/healthz', '/readyz', '/livez']) assert.equal((await simRequest(t.sim, path, {as: 'nobody'})).text, 'ok');
		assert.equal((await simRequest(t.sim, '/version', {as: 'nobody'})).body.major, '1');
		assert.equal((await simRequest(t.sim, '/healthz', {as: 'nobody', headers: {Authorization: 'Bearer not-a-token'}})).status, 401, 'a bad token is refused even where anonymous may read');

		// kubectl with a wrong token, and with a client certificate for "admin" in system:masters signed by a stranger.
		const stranger = newCredentials('x').clientCa;
		const forged = issueCertificate({commonName: 'admin', organizations: ['system:masters'], usage: 'client', validDays: 1, issuer: stranger});
		const cases: Array<[string, (config: any) => void]> = [
			['a wrong token', c => (c.users.find((u: any) => u.name === 'rollscope-admin').user.token = 'not-a-token')],
			['a forged certificate', c => (c.users.find((u: any) => u.name === 'rollscope-deployer').user = {'client-certificate-data': Buffer.from(forged.cert).toString('base64'), 'client-key-data': Buffer.from(forged.key).toString('base64')})],
		];
		for (const [what, change] of cases) {
			const path = join(t.dir, 'bad.kubeconfig');
			writeFileSync(path, edited(t.sim.kubeconfig('canary'), change));
			const r = await runKubectl(path, t.dir, ['get', 'pods'], {context: what === 'a wrong token' ? simContexts.admin : simContexts.deployer});
			assert.notEqual(r.code, 0, what);
			assert.match(r.stderr, /You must be logged in to the server \(Unauthorized\)/, `${what}: ${r.stderr}`);
		}
	});

	test('python3-kubernetes lists pods over HTTPS, checking the sim\'s CA', async () => {
		const program = [
			'import sys',
			'from kubernetes import client, config',
			'config.load_kube_config(context=sys.argv[1])',
			'print(len(client.CoreV1Api().list_namespaced_pod("canary").items))',
		].join('\n');
		const expected = t.sim.store.list('pods', 'canary').length;
		for (const context of [simContexts.admin, simContexts.deployer]) {
			const r = await run('/usr/bin/python3', ['-c', program, context], {KUBECONFIG: t.kubeconfigPath, HOME: t.dir});
			assert.equal(r.code, 0, `${context}: ${r.stderr}`);
			assert.equal(Number(r.stdout.trim()), expected, context);
		}
		// With another CA in the kubeconfig, the sim's certificate is not trusted.
		const path = join(t.dir, 'other-ca.kubeconfig');
		const otherCa = Buffer.from(newCredentials('x').ca.cert).toString('base64');
		writeFileSync(path, edited(t.sim.kubeconfig('canary'), c => (c.clusters[0].cluster['certificate-authority-data'] = otherCa)));
		const untrusted = await run('/usr/bin/python3', ['-c', program, simContexts.admin], {KUBECONFIG: path, HOME: t.dir});
		assert.notEqual(untrusted.code, 0);
		assert.match(untrusted.stderr, /CERTIFICATE_VERIFY_FAILED/);
	});

	test('rollscope\'s KubeClient works as each user, with each user\'s rights', async () => {
		const client = (context: string) => {
			const c = KubeClient.fromString(t.sim.kubeconfig('canary'), 'canary');
			c.config.setCurrentContext(context);
			return c;
		};
		const body = (name: string) => JSON.parse(configMap(name));
		for (const context of Object.values(simContexts)) {
			const {items} = await client(context).list('/api/v1/namespaces/canary/pods');
			assert.ok(items.length > 0, context);
		}
		await client(simContexts.admin).request('POST', '/api/v1/namespaces/default/configmaps', {body: body('by-admin')});
		await client(simContexts.deployer).request('POST', '/api/v1/namespaces/canary/configmaps', {body: body('by-deployer')});
		const refusals: Array<[string, string]> = [
			[simContexts.viewer, 'canary'],
			[simContexts.deployer, 'default'],
		];
		for (const [context, namespace] of refusals) {
			const error = await client(context).request('POST', `/api/v1/namespaces/${namespace}/configmaps`, {body: body('refused')}).catch(e => e);
			assert.ok(error instanceof KubeError, String(error));
			assert.equal(error.code, 403, context);
			assert.equal(t.sim.store.get('configmaps', namespace, 'refused'), undefined);
		}
		assert.ok(t.sim.store.get('configmaps', 'default', 'by-admin'));
		assert.ok(t.sim.store.get('configmaps', 'canary', 'by-deployer'));
	});

	test('a request from a web page (foreign Origin) or with a non-loopback Host is refused and changes nothing', async () => {
		const before = t.sim.store.resourceVersion;
		const attempts: Array<[string, Record<string, string>]> = [
			['a cross-site text/plain POST', {Origin: 'https://evil.example'}],
			['an opaque origin', {Origin: 'null'}],
			['a DNS-rebound Host', {Host: 'evil.example:8443'}],
			['a Host that only starts like loopback', {Host: '127.0.0.1.evil.example'}],
		];
		for (const [what, headers] of attempts) {
			// Even with the admin's token: the browser guard comes first.
			const r = await simRequest(t.sim, '/api/v1/namespaces/canary/configmaps', {method: 'POST', body: configMap('from-a-page'), contentType: 'text/plain', headers});
			assert.equal(r.status, 403, what);
			assert.equal(r.body.kind, 'Status', what);
			assert.equal(r.body.reason, 'Forbidden', what);
			assert.match(r.body.message, /loopback/, what);
		}
		assert.equal(t.sim.store.get('configmaps', 'canary', 'from-a-page'), undefined);
		assert.deepEqual(t.sim.store.changesSince('configmaps', before), []);
		// Loopback origins and hosts, with or without a port, are this machine's.
		const loopback: Array<Record<string, string>> = [{Origin: 'http://localhost:3000'}, {Origin: 'https://[::1]'}, {Host: 'localhost'}, {Host: `[::1]:${t.sim.port}`}];
		for (const headers of loopback) {
			const r = await simRequest(t.sim, '/api/v1/namespaces/canary/configmaps', {headers});
			assert.equal(r.status, 200, JSON.stringify(headers));
		}
		const metrics = await fetch(t.sim.metricsUrl, {headers: {Origin: 'https://evil.example'}});
		assert.equal(metrics.status, 403);
	});

	test('discovery lists the review resources', async () => {
		const auth = await simRequest(t.sim, '/apis/authentication.k8s.io/v1', {as: 'viewer'});
		assert.deepEqual(auth.body.resources.map((r: any) => [r.name, r.kind, r.verbs]), [['selfsubjectreviews', 'SelfSubjectReview', ['create']]]);
		const groups = (await simRequest(t.sim, '/apis', {as: 'viewer'})).body.groups;
		assert.deepEqual(groups.find((g: any) => g.name === 'authentication.k8s.io').versions.map((v: any) => v.version), ['v1', 'v1beta1']);
		assert.ok(groups.some((g: any) => g.name === 'authorization.k8s.io'));
	});

	test('the application metrics are on their own plain-HTTP listener, not the API server', async () => {
		assert.match(t.sim.metricsUrl, /^http:\/\/127\.0\.0\.1:\d+\/metrics$/);
		assert.notEqual(new URL(t.sim.metricsUrl).port, String(t.sim.port));
		const r = await fetch(t.sim.metricsUrl);
		assert.equal(r.status, 200);
		assert.match(await r.text(), /^http_requests_total\{/m);
	});
});

describe('a sim restarted from its state file', () => {
	let dir: string;
	before(() => {
		dir = mkdtempSync(join(tmpdir(), 'rollscope-state-'));
	});
	after(() => {
		rmSync(dir, {recursive: true, force: true});
	});

	test('accepts the kubeconfig written before the restart: same CA, tokens and client certificate', async () => {
		const statePath = join(dir, 'state.json');
		const first = await startSim({scenario: 'canary', still: true, statePath});
		const kubeconfigPath = join(dir, 'kubeconfig');
		writeFileSync(kubeconfigPath, first.kubeconfig('canary'));
		const made = await runKubectl(kubeconfigPath, dir, ['create', '-f', '-', '-n', 'canary'], {input: configMap('kept')});
		assert.equal(made.code, 0, made.stderr);
		const port = first.port;
		await first.stop();
		assert.ok(JSON.parse(readFileSync(statePath, 'utf8')).credentials, 'the state file keeps the credentials');

		const second = await startSim({scenario: 'canary', still: true, statePath, port});
		try {
			for (const context of Object.values(simContexts)) {
				const r = await runKubectl(kubeconfigPath, dir, ['auth', 'whoami', '-o', 'jsonpath={.status.userInfo.username}'], {context});
				assert.equal(r.code, 0, `${context}: ${r.stderr}`);
			}
			const kept = await runKubectl(kubeconfigPath, dir, ['get', 'configmap', 'kept', '-n', 'canary', '-o', 'jsonpath={.data.a}'], {context: simContexts.deployer});
			assert.equal(kept.code, 0, kept.stderr);
			assert.equal(kept.stdout, '1');
			assert.equal(second.kubeconfig('canary'), first.kubeconfig('canary'));
		} finally {
			await second.stop();
		}
	});

	test('a state file with broken credentials is refused with a clear message and left as it was', async () => {
		const statePath = join(dir, 'broken.json');
		const text = JSON.stringify({resourceVersion: 5, objects: {}, credentials: {ca: {cert: 'not a certificate', key: 'x'}, accounts: []}});
		writeFileSync(statePath, text);
		await assert.rejects(startSim({scenario: 'canary', still: true, statePath}), /in the state file's credentials, the CA is not a certificate .*broken\.json/);
		writeFileSync(statePath, '{"resourceVersion": 5, "objects"');
		await assert.rejects(startSim({scenario: 'canary', still: true, statePath}), /cannot read the state file .*broken\.json/);
		assert.equal(readFileSync(statePath, 'utf8'), '{"resourceVersion": 5, "objects"');
	});
});

describe('the sim over plain HTTP, on explicit request', () => {
	let t: TestSim;
	before(async () => {
		t = await startTestSim({scenario: 'canary', insecureHttp: true});
	});
	after(async () => {
		await t.stop();
	});

	test('kubectl works without credentials, as admin; a wrong token is still 401; browsers are still refused', async () => {
		assert.match(t.sim.url, /^http:\/\//);
		const config = parse(t.sim.kubeconfig());
		assert.equal(config.clusters[0].cluster['insecure-skip-tls-verify'], true);
		const r = await t.kubectl(['auth', 'whoami', '-o', 'jsonpath={.status.userInfo.username}']);
		assert.equal(r.code, 0, r.stderr);
		assert.equal(r.stdout, 'admin');
		await waitFor('pods', async () => (await t.kubectl(['get', 'pods', '-n', 'canary', '-o', 'name'])).stdout.includes('pod/'));
		assert.equal((await simRequest(t.sim, '/api/v1/pods', {as: 'nobody', headers: {Authorization: 'Bearer nope'}})).status, 401);
		assert.equal((await simRequest(t.sim, '/api/v1/pods', {as: 'viewer'})).status, 200);
		assert.equal((await simRequest(t.sim, '/api/v1/namespaces/canary/configmaps', {as: 'viewer', method: 'POST', body: configMap('x')})).status, 403);
		assert.equal((await simRequest(t.sim, '/api/v1/pods', {as: 'nobody', headers: {Origin: 'http://evil.example'}})).status, 403);
	});
});
