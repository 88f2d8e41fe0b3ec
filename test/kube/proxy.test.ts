// Proxies: HTTPS_PROXY and NO_PROXY read as kubectl reads them, and a kubeconfig's proxy-url; through a real
// HTTP CONNECT proxy and a real SOCKS5 one, side by side with the real kubectl on the same kubeconfig and environment.
import assert from 'node:assert/strict';
import {writeFileSync} from 'node:fs';
import {join} from 'node:path';
import {after, before, describe, test} from 'node:test';
import {proxyFromEnvironment} from '../../source/kube/proxy-env.js';
import {runCli} from '../helpers/cli.js';
import {startConnectProxy, startSocksProxy, type ConnectProxy} from '../helpers/proxy.js';
import {runKubectl, simRequest, startTestSim, type TestSim} from '../helpers/sim.js';

describe('the proxy the environment names', () => {
	const via = (server: string, env: Record<string, string>) => proxyFromEnvironment(new URL(server), env);
	const proxy = {HTTPS_PROXY: 'http://proxy.corp:3128'};

	test('HTTPS_PROXY for an https:// server, HTTP_PROXY for http://; the upper-case name first', () => {
		assert.equal(via('https://api.example.com:6443', proxy), 'http://proxy.corp:3128');
		assert.equal(via('http://api.example.com:8080', proxy), undefined);
		assert.equal(via('http://api.example.com:8080', {HTTP_PROXY: 'http://plain:1'}), 'http://plain:1');
		assert.equal(via('https://api.example.com', {https_proxy: 'http://lower:1'}), 'http://lower:1');
		assert.equal(via('https://api.example.com', {HTTPS_PROXY: 'http://upper:1', https_proxy: 'http://lower:1'}), 'http://upper:1');
		assert.equal(via('https://api.example.com', {HTTPS_PROXY: '  '}), undefined);
	});

	test('a proxy without a scheme is an http:// one', () => {
		assert.equal(via('https://api.example.com', {HTTPS_PROXY: 'proxy.corp:3128'}), 'http://proxy.corp:3128');
		assert.equal(via('https://api.example.com', {HTTPS_PROXY: 'https://proxy.corp'}), 'https://proxy.corp');
	});

	test('never for localhost or a loopback address', () => {
		for (const server of ['https://localhost:6443', 'https://127.0.0.1:6443', 'https://127.8.9.1', 'https://[::1]:6443', 'https://[::ffff:127.0.0.1]:6443']) {
			assert.equal(via(server, proxy), undefined, server);
		}
		assert.equal(via('https://128.0.0.1', proxy), 'http://proxy.corp:3128');
	});

	test('NO_PROXY: a domain and its subdomains; a leading dot or *. for subdomains only', () => {
		const no = (entries: string) => ({...proxy, NO_PROXY: entries});
		assert.equal(via('https://example.com', no('example.com')), undefined);
		assert.equal(via('https://api.example.com', no('example.com')), undefined);
		assert.equal(via('https://notexample.com', no('example.com')), 'http://proxy.corp:3128');
		assert.equal(via('https://example.com', no('.example.com')), 'http://proxy.corp:3128');
		assert.equal(via('https://api.example.com', no('.example.com')), undefined);
		assert.equal(via('https://example.com', no('*.example.com')), 'http://proxy.corp:3128');
		assert.equal(via('https://api.example.com', no('*.example.com')), undefined);
		assert.equal(via('https://API.Example.COM', no('api.example.com')), undefined);
		assert.equal(via('https://api.example.com', {...proxy, no_proxy: 'example.com'}), undefined);
	});

	test('NO_PROXY: *, addresses, CIDR ranges and ports', () => {
		const no = (entries: string) => ({...proxy, NO_PROXY: entries});
		assert.equal(via('https://api.example.com', no('*')), undefined);
		assert.equal(via('https://10.1.2.3:6443', no('other.org, 10.0.0.0/8')), undefined);
		assert.equal(via('https://11.1.2.3:6443', no('10.0.0.0/8')), 'http://proxy.corp:3128');
		assert.equal(via('https://10.1.2.3:6443', no('10.1.2.3')), undefined);
		assert.equal(via('https://10.1.2.3:6443', no('10.1.2.3:6443')), undefined);
		assert.equal(via('https://10.1.2.3:6443', no('10.1.2.3:443')), 'http://proxy.corp:3128');
		assert.equal(via('https://api.example.com', no('api.example.com:443')), undefined);
		assert.equal(via('https://[fd00::7]:6443', no('fd00::/8')), undefined);
	});
});

describe('rollscope and kubectl through an HTTP CONNECT proxy', () => {
	// The API server by a name only the proxy can resolve, as a private cluster behind an egress proxy is.
	const name = 'api.rollscope.test';
	let t: TestSim;
	let proxy: ConnectProxy;
	let named: string;
	let withProxyUrl: string;

	before(async () => {
		t = await startTestSim({scenario: 'canary', hostNames: [name]});
		proxy = await startConnectProxy({[name]: `127.0.0.1:${t.sim.port}`});
		const kubeconfig = t.sim.kubeconfig('canary').replaceAll(`https://127.0.0.1:${t.sim.port}`, `https://${name}:${t.sim.port}`);
		assert.ok(kubeconfig.includes(`https://${name}:${t.sim.port}`));
		named = join(t.dir, 'named.kubeconfig');
		writeFileSync(named, kubeconfig);
		withProxyUrl = join(t.dir, 'proxy-url.kubeconfig');
		writeFileSync(withProxyUrl, kubeconfig.replace(/^([ \t]*)server: (\S+)$/m, (_, indent: string, server: string) => `${indent}server: ${server}\n${indent}proxy-url: ${proxy.url}`));
	});

	after(async () => {
		await proxy?.close();
		await t?.stop();
	});

	const kubectl = (kubeconfig: string, env: Record<string, string>) => runKubectl(kubeconfig, t.dir, ['get', 'deployments', '-n', 'canary', '-o', 'name'], {env: {NO_PROXY: '', no_proxy: '', HTTPS_PROXY: '', https_proxy: '', ...env}});
	const once = (kubeconfig: string, env: Record<string, string>) => runCli(['deploy/checkout', '-n', 'canary', '--once', '-o', 'json'], kubeconfig, {NO_PROXY: '', no_proxy: '', HTTPS_PROXY: '', https_proxy: '', ...env});

	test('the sim answers to the name it was given, and still refuses any other non-loopback Host', async () => {
		assert.equal((await simRequest(t.sim, '/api/v1/namespaces/canary/configmaps', {headers: {Host: `${name}:${t.sim.port}`}})).status, 200);
		const other = await simRequest(t.sim, '/api/v1/namespaces/canary/configmaps', {headers: {Host: `evil.${name}:${t.sim.port}`}});
		assert.equal(other.status, 403);
		assert.match(other.body.message, /loopback/);
	});

	test('with HTTPS_PROXY set, both reach the server through the proxy', async () => {
		const before = proxy.tunnels.length;
		const k = await kubectl(named, {HTTPS_PROXY: proxy.url});
		assert.equal(k.code, 0, k.stderr);
		assert.match(k.stdout, /deployment\.apps\/checkout\b/);
		assert.ok(proxy.tunnels.slice(before).includes(`${name}:${t.sim.port}`), `kubectl's tunnels: ${proxy.tunnels.slice(before).join(', ')}`);

		const mark = proxy.tunnels.length;
		const r = await once(named, {HTTPS_PROXY: proxy.url});
		assert.equal(r.code, 0, r.stderr);
		const release = JSON.parse(r.stdout) as {kind: string; versions: unknown[]};
		assert.equal(release.kind, 'canary');
		assert.equal(release.versions.length, 2);
		const ours = proxy.tunnels.slice(mark);
		assert.ok(ours.length > 0 && ours.every(x => x === `${name}:${t.sim.port}`), `rollscope's tunnels: ${ours.join(', ')}`);
	});

	test('with the name in NO_PROXY, neither uses the proxy, and neither can resolve the name', async () => {
		const mark = proxy.tunnels.length;
		const k = await kubectl(named, {HTTPS_PROXY: proxy.url, NO_PROXY: 'rollscope.test'});
		assert.notEqual(k.code, 0);
		const r = await once(named, {HTTPS_PROXY: proxy.url, NO_PROXY: 'rollscope.test'});
		assert.notEqual(r.code, 0);
		assert.match(r.stderr, new RegExp(`${name.replaceAll('.', '\\.')}.*no such host|no such host.*${name.replaceAll('.', '\\.')}`, 's'));
		assert.deepEqual(proxy.tunnels.slice(mark), []);
	});

	test('a SOCKS5 proxy in HTTPS_PROXY (as over ssh -D): both reach the server through it, the name resolved by the proxy', async () => {
		const socks = await startSocksProxy({[name]: `127.0.0.1:${t.sim.port}`});
		try {
			const k = await kubectl(named, {HTTPS_PROXY: socks.url});
			assert.equal(k.code, 0, k.stderr);
			assert.match(k.stdout, /deployment\.apps\/checkout\b/);
			assert.ok(socks.tunnels.includes(`${name}:${t.sim.port}`), `kubectl's tunnels: ${socks.tunnels.join(', ')}`);

			const mark = socks.tunnels.length;
			const r = await once(named, {HTTPS_PROXY: socks.url});
			assert.equal(r.code, 0, r.stderr);
			assert.equal((JSON.parse(r.stdout) as {kind: string}).kind, 'canary');
			const ours = socks.tunnels.slice(mark);
			assert.ok(ours.length > 0 && ours.every(x => x === `${name}:${t.sim.port}`), `rollscope's tunnels: ${ours.join(', ')}`);
		} finally {
			await socks.close();
		}
	});

	test('a proxy of another kind in HTTPS_PROXY (socks4) is refused in one line, and nothing is tunnelled', async () => {
		const mark = proxy.tunnels.length;
		const r = await once(named, {HTTPS_PROXY: 'socks4://127.0.0.1:1'});
		assert.notEqual(r.code, 0);
		assert.match(r.stderr, /socks4:\/\/127\.0\.0\.1:1 \(HTTPS_PROXY or HTTP_PROXY\) is not an http:\/\/, https:\/\/ or socks5:\/\/ one/);
		assert.deepEqual(proxy.tunnels.slice(mark), []);
	});

	test('a kubeconfig proxy-url is used without any environment', async () => {
		const mark = proxy.tunnels.length;
		const k = await kubectl(withProxyUrl, {});
		assert.equal(k.code, 0, k.stderr);
		const afterKubectl = proxy.tunnels.length;
		assert.ok(afterKubectl > mark);
		const r = await once(withProxyUrl, {});
		assert.equal(r.code, 0, r.stderr);
		assert.equal((JSON.parse(r.stdout) as {kind: string}).kind, 'canary');
		assert.ok(proxy.tunnels.length > afterKubectl);
	});
});

describe('rollscope and kubectl through a SOCKS5 proxy-url', () => {
	let t: TestSim;
	let socks: ConnectProxy;
	let kubeconfig: string;

	before(async () => {
		t = await startTestSim({scenario: 'canary'});
		socks = await startSocksProxy();
		kubeconfig = join(t.dir, 'socks.kubeconfig');
		const text = t.sim.kubeconfig('canary').replace(/^([ \t]*)server: (\S+)$/m, (_, indent: string, server: string) => `${indent}server: ${server}\n${indent}proxy-url: ${socks.url}`);
		assert.ok(text.includes(`proxy-url: ${socks.url}`));
		writeFileSync(kubeconfig, text);
	});

	after(async () => {
		await socks?.close();
		await t?.stop();
	});

	test('both reach the server through the proxy, without any environment', async () => {
		const target = `127.0.0.1:${t.sim.port}`;
		const k = await runKubectl(kubeconfig, t.dir, ['get', 'deployments', '-n', 'canary', '-o', 'name'], {env: {NO_PROXY: '', no_proxy: '', HTTPS_PROXY: '', https_proxy: ''}});
		assert.equal(k.code, 0, k.stderr);
		assert.match(k.stdout, /deployment\.apps\/checkout\b/);
		assert.ok(socks.tunnels.includes(target), `kubectl's tunnels: ${socks.tunnels.join(', ')}`);

		const mark = socks.tunnels.length;
		const r = await runCli(['deploy/checkout', '-n', 'canary', '--once', '-o', 'json'], kubeconfig, {NO_PROXY: '', no_proxy: '', HTTPS_PROXY: '', https_proxy: ''});
		assert.equal(r.code, 0, r.stderr);
		const release = JSON.parse(r.stdout) as {kind: string; versions: unknown[]};
		assert.equal(release.kind, 'canary');
		assert.equal(release.versions.length, 2);
		const ours = socks.tunnels.slice(mark);
		assert.ok(ours.length > 0 && ours.every(x => x === target), `rollscope's tunnels: ${ours.join(', ')}`);
	});
});
