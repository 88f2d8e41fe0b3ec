// The npm package end to end: `npm pack` (which builds dist/package first), `npm install -g` of the tarball
// into a temporary prefix, and the installed rollscope and kubectl-rollscope run with this Node (24) against
// the sim, compared with this checkout's own output. (Node 22: README.md's install section; checked by hand.)
import assert from 'node:assert/strict';
import {existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {delimiter, dirname, join} from 'node:path';
import {after, before, describe, test} from 'node:test';
import {PromClient} from '../../source/metrics/prometheus-client.js';
import {findOnPath, startLocalPrometheus} from '../../source/metrics/prometheus-server.js';
import {startSocksProxy} from '../helpers/proxy.js';
import {startTestSim, waitFor, type TestSim} from '../helpers/sim.js';
import {checkoutOutput, packageVersion, releaseOutline, runOk} from '../helpers/shipped.js';
import {repoRoot, Terminal} from '../helpers/tmux.js';

describe('the npm package, packed and installed into a fresh prefix', () => {
	const dir = mkdtempSync(join(tmpdir(), 'rollscope-package-'));
	const prefix = join(dir, 'prefix');
	const home = join(dir, 'home');
	// This Node first on the PATH: npm runs on it, and the installed bins (shell scripts that exec `node`) find it.
	const path = [dirname(process.execPath), join(prefix, 'bin'), process.env.PATH].join(delimiter);
	const env = {...process.env, PATH: path, HOME: home, npm_config_update_notifier: 'false'};
	let files: string[] = [];
	let t: TestSim;

	before(async () => {
		mkdirSync(home);
		const packed = await runOk('npm', ['pack', '--json', '--pack-destination', dir], {cwd: repoRoot, env: {...env, HOME: process.env.HOME}, timeoutMs: 300_000});
		const [info] = JSON.parse(packed) as Array<{filename: string; files: Array<{path: string}>}>;
		files = info!.files.map(f => f.path);
		await runOk('npm', ['install', '--global', '--prefix', prefix, '--no-audit', '--no-fund', '--prefer-offline', join(dir, info!.filename)], {env: {...env, HOME: process.env.HOME}, timeoutMs: 300_000});
		t = await startTestSim({scenario: 'canary'});
	}, {timeout: 600_000});

	after(async () => {
		await t?.stop();
		rmSync(dir, {recursive: true, force: true});
	});

	test('holds the bin, the compiled bundle, package.json and README.md, and no sources or tests', () => {
		assert.ok(files.includes('bin/rollscope.js'), files.join(', '));
		assert.ok(files.includes('dist/package/start.js'), files.join(', '));
		assert.ok(files.includes('dist/package/rollscope.cjs'), files.join(', '));
		const others = files.filter(f => !/^(bin\/rollscope\.js|dist\/package\/(start\.js|rollscope\.cjs)|package\.json|README\.md)$/.test(f));
		assert.deepEqual(others, []);
	});

	test('installs nothing else: the bins run the compiled bundle, which holds its dependencies', () => {
		const installed = join(prefix, 'lib/node_modules/rollscope');
		const manifest = JSON.parse(readFileSync(join(installed, 'package.json'), 'utf8')) as {dependencies?: Record<string, string>};
		assert.deepEqual(Object.keys(manifest.dependencies ?? {}), []);
		const modules = existsSync(join(installed, 'node_modules')) ? readdirSync(join(installed, 'node_modules')) : [];
		assert.deepEqual(modules, []);
	});

	test('rollscope --version prints the package version', async () => {
		assert.equal((await runOk('rollscope', ['--version'], {env})).trim(), packageVersion);
	});

	test('the installed command starts Node with malloc held to one arena, unless MALLOC_ARENA_MAX says otherwise', async () => {
		// bin/rollscope.js is also a shell script: /bin/sh sets the variable and starts Node on the same file.
		const hook = join(dir, 'arenas-on-exit.mjs');
		writeFileSync(hook, "process.on('exit', () => process.stdout.write(`arenas ${process.env.MALLOC_ARENA_MAX}\\n`));\n");
		const withHook = {...env, NODE_OPTIONS: `--import=${hook}`, MALLOC_ARENA_MAX: undefined};
		assert.equal(await runOk('rollscope', ['--version'], {env: withHook}), `${packageVersion}\narenas 1\n`);
		assert.equal(await runOk('kubectl-rollscope', ['--version'], {env: {...withHook, MALLOC_ARENA_MAX: '4'}}), `${packageVersion}\narenas 4\n`);
	});

	test('kubectl rollscope --help prints the help of this checkout', async () => {
		// kubectl runs any kubectl-* on the PATH as a plugin; npm installed kubectl-rollscope beside rollscope.
		assert.ok(existsSync(join(prefix, 'bin/kubectl-rollscope')));
		const help = await runOk('kubectl', ['rollscope', '--help'], {env});
		assert.equal(help, await checkoutOutput(['--help'], t.kubeconfigPath));
	});

	test('rollscope --once -o json against the sim (HTTPS, a token) reads the release as this checkout does', async () => {
		const args = ['deploy/checkout', '-n', 'canary', '--once', '-o', 'json'];
		const installed = await runOk('rollscope', args, {env: {...env, KUBECONFIG: t.kubeconfigPath}});
		const outline = releaseOutline(installed) as {kind: string; versions: unknown[]};
		assert.equal(outline.kind, 'canary');
		assert.equal(outline.versions.length, 2);
		assert.deepEqual(outline, releaseOutline(await checkoutOutput(args, t.kubeconfigPath)));
	});

	test("a start writes V8's code cache of the bundle under $XDG_CACHE_HOME/rollscope, and the next start uses it", async () => {
		const cacheHome = join(dir, 'xdg-cache');
		const withCache = {...env, KUBECONFIG: t.kubeconfigPath, XDG_CACHE_HOME: cacheHome};
		const args = ['deploy/checkout', '-n', 'canary', '--once', '-o', 'json'];
		const first = await runOk('rollscope', args, {env: withCache});
		const names = readdirSync(join(cacheHome, 'rollscope'));
		assert.equal(names.length, 1, names.join(', '));
		assert.match(names[0]!, new RegExp(`^${packageVersion.replaceAll('.', '\\.')}-[0-9a-f]{16}-node${process.version.replaceAll('.', '\\.')}-${process.arch}\\.v8$`));
		const file = join(cacheHome, 'rollscope', names[0]!);
		const written = statSync(file);
		// Used, not turned down: a cache V8 turns down is written again at exit, to a new file put in its place.
		const second = await runOk('rollscope', args, {env: withCache});
		assert.deepEqual(releaseOutline(second), releaseOutline(first));
		assert.deepEqual([statSync(file).ino, statSync(file).mtimeMs], [written.ino, written.mtimeMs]);
		// As for Node's own compile cache, NODE_DISABLE_COMPILE_CACHE turns it off.
		const none = join(dir, 'xdg-none');
		await runOk('rollscope', ['--version'], {env: {...env, XDG_CACHE_HOME: none, NODE_DISABLE_COMPILE_CACHE: '1'}});
		assert.equal(existsSync(none), false);
	});

	test('rollscope --once with a Prometheus reads the SLIs through the bundled Prometheus client', {skip: !findOnPath('prometheus') && 'needs the prometheus binary'}, async () => {
		const prom = await startLocalPrometheus({targets: [new URL(t.sim.metricsUrl).host], scrapeSeconds: 1});
		try {
			const client = new PromClient({url: prom.url});
			// Scraped every second: a 10 s rate window is 10 scrapes; wait for 12 s of them.
			const config = join(prom.dir, 'rollscope.yaml');
			writeFileSync(config, 'metrics:\n  rateWindow: 10s\n  window: 2m\n');
			await waitFor('12 s of scraped requests', async () => (await client.instant('count_over_time(istio_requests_total{namespace="canary"}[12s])')).series.some(x => Number(x.samples.at(-1)?.[1]) >= 10), 40_000, 500);
			const once = await runOk('rollscope', ['deploy/checkout', '-n', 'canary', '--once', '-o', 'json', '--prometheus', prom.url, '--config', config, '--interval', '1'], {env: {...env, KUBECONFIG: t.kubeconfigPath}});
			const release = JSON.parse(once) as {metrics?: {source: string; error?: string}; versions: Array<{sli?: Record<string, number | null>}>};
			assert.equal(release.metrics?.error, undefined, once);
			assert.match(release.metrics!.source, /prometheus/);
			assert.ok(release.versions.some(v => typeof v.sli?.requestsPerSecond === 'number'), once);
		} finally {
			await prom.stop();
		}
	});

	test('rollscope demo --once runs the embedded sim', async () => {
		const out = await runOk('rollscope', ['demo', '--once'], {env});
		const firstLine = (text: string) => text.split('\n')[0];
		assert.equal(firstLine(out), firstLine(await checkoutOutput(['demo', '--once'], t.kubeconfigPath)));
		assert.match(out, /^VERSION .*WEIGHT/m);
	});

	test('the live view starts without the undici built into Node', async () => {
		// What Node loaded of its own, written as the process exits. Node's copy of undici (its fetch) is loaded
		// by an ES import of node:http and by Ink's layout engine when it finds a global fetch; the bundle keeps it
		// out of a start (20 ms of one).
		const builtins = join(dir, 'builtins.txt');
		const hook = join(dir, 'builtins-on-exit.mjs');
		writeFileSync(hook, `import {writeFileSync} from 'node:fs';\nprocess.on('exit', () => writeFileSync(${JSON.stringify(builtins)}, process.moduleLoadList.join('\\n')));\n`);
		const term = new Terminal(`env PATH=${JSON.stringify(path)} HOME=${JSON.stringify(home)} KUBECONFIG=${JSON.stringify(t.kubeconfigPath)} NODE_OPTIONS=${JSON.stringify(`--import=${hook}`)} rollscope deploy/checkout -n canary`, {width: 140, height: 40});
		try {
			await term.waitFor(/▸PODS[\s\S]*checkout-canary-/, 30_000);
			term.keys('q');
			await term.waitFor(/\[exited 0\]/);
		} finally {
			term.kill();
		}
		const loaded = readFileSync(builtins, 'utf8').split('\n');
		assert.ok(loaded.includes('NativeModule internal/tls/secure-context'), 'the list is of the run that spoke TLS to the sim');
		assert.deepEqual(loaded.filter(m => /undici/.test(m)), []);
	});

	test('rollscope --once through a SOCKS5 proxy-url: the SOCKS support the bundle loads on demand', async () => {
		const socks = await startSocksProxy();
		try {
			const kubeconfig = join(dir, 'socks.kubeconfig');
			writeFileSync(kubeconfig, readFileSync(t.kubeconfigPath, 'utf8').replace(/^([ \t]*)server: (\S+)$/m, (_, indent: string, server: string) => `${indent}server: ${server}\n${indent}proxy-url: ${socks.url}`));
			const installed = await runOk('rollscope', ['deploy/checkout', '-n', 'canary', '--once', '-o', 'json'], {env: {...env, KUBECONFIG: kubeconfig}});
			assert.equal((releaseOutline(installed) as {kind: string}).kind, 'canary');
			assert.ok(socks.tunnels.length > 0 && socks.tunnels.every(x => x === `127.0.0.1:${t.sim.port}`), `tunnels: ${socks.tunnels.join(', ')}`);
		} finally {
			await socks.close();
		}
	});

	test('rollscope demo opens the live view in a terminal and quits on q', async () => {
		const term = new Terminal(`env PATH=${JSON.stringify(path)} HOME=${JSON.stringify(home)} rollscope demo`, {width: 140, height: 40});
		try {
			const first = await term.waitFor(/STABLE[\s\S]*CANARY|CANARY[\s\S]*STABLE/, 30_000);
			assert.match(first, /canary\/checkout/);
			await term.waitFor(/▸PODS/);
			term.keys('q');
			await term.waitFor(/\[exited 0\]/);
		} finally {
			term.kill();
		}
	});
});
