// The single executable end to end: `npm run build:binary` into a temporary folder, then the executable run
// as `env -i` would (an empty PATH, so no Node anywhere, and a HOME of its own) against the sim, compared
// with this checkout's own output, in a terminal, and found by kubectl as a plugin.
import assert from 'node:assert/strict';
import {mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, symlinkSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {basename, delimiter, dirname, join} from 'node:path';
import {after, before, describe, test} from 'node:test';
import {parse} from 'yaml';
import {startTestSim, type TestSim} from '../helpers/sim.js';
import {checkoutOutput, packageVersion, releaseOutline, runOk} from '../helpers/shipped.js';
import {repoRoot, Terminal} from '../helpers/tmux.js';

const linuxX64 = process.platform === 'linux' && process.arch === 'x64';

describe('the single executable', {skip: !linuxX64 && 'the executable is built for linux-x64 only'}, () => {
	const dir = mkdtempSync(join(tmpdir(), 'rollscope-binary-'));
	const executable = join(dir, 'out/rollscope');
	const emptyPath = join(dir, 'empty-path');
	const home = join(dir, 'home');
	const bare = {PATH: emptyPath, HOME: home};
	let t: TestSim;

	before(async () => {
		mkdirSync(emptyPath);
		mkdirSync(home);
		await runOk('npm', ['run', 'build:binary', '--', '--out', join(dir, 'out')], {cwd: repoRoot, env: {...process.env, PATH: [dirname(process.execPath), process.env.PATH].join(delimiter)}, timeoutMs: 600_000});
		t = await startTestSim({scenario: 'canary'});
	}, {timeout: 600_000});

	after(async () => {
		await t?.stop();
		rmSync(dir, {recursive: true, force: true});
	});

	test('is one executable file', () => {
		const stat = statSync(executable);
		assert.ok(stat.isFile());
		assert.equal(stat.mode & 0o111, 0o111);
	});

	test('--version with no Node on the PATH', async () => {
		assert.equal((await runOk(executable, ['--version'], {env: bare})).trim(), packageVersion);
	});

	test('--once -o json against the sim reads the release as this checkout does', async () => {
		const args = ['deploy/checkout', '-n', 'canary', '--once', '-o', 'json'];
		const out = await runOk(executable, [...args, '--kubeconfig', t.kubeconfigPath], {env: bare});
		const outline = releaseOutline(out) as {kind: string; versions: unknown[]};
		assert.equal(outline.kind, 'canary');
		assert.equal(outline.versions.length, 2);
		assert.deepEqual(outline, releaseOutline(await checkoutOutput(args, t.kubeconfigPath)));
	});

	test('demo --once runs the embedded sim', async () => {
		const out = await runOk(executable, ['demo', '--once'], {env: bare});
		const firstLine = (text: string) => text.split('\n')[0];
		assert.equal(firstLine(out), firstLine(await checkoutOutput(['demo', '--once'], t.kubeconfigPath)));
		assert.match(out, /^VERSION .*WEIGHT/m);
	});

	test('demo opens the live view in a terminal and quits on q', async () => {
		const term = new Terminal(`env -i TERM=xterm-256color PATH=${emptyPath} HOME=${home} ${executable} demo`, {width: 140, height: 40});
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

	test('kubectl runs it as a plugin, named kubectl-rollscope on the PATH', async () => {
		const plugins = join(dir, 'plugins');
		mkdirSync(plugins);
		symlinkSync(executable, join(plugins, 'kubectl-rollscope'));
		const out = await runOk('kubectl', ['rollscope', '--version'], {env: {...process.env, PATH: [plugins, process.env.PATH].join(delimiter), HOME: home}});
		assert.equal(out.trim(), packageVersion);
	});

	test('the krew manifest template installs this file as the plugin rollscope', () => {
		const manifest = parse(readFileSync(join(repoRoot, 'source/build/krew/rollscope.yaml'), 'utf8')) as {metadata: {name: string}; spec: {platforms: Array<{selector: {matchLabels: Record<string, string>}; bin: string}>}};
		assert.equal(manifest.metadata.name, 'rollscope');
		assert.deepEqual(manifest.spec.platforms.map(p => [p.selector.matchLabels, p.bin]), [[{os: 'linux', arch: 'amd64'}, basename(executable)]]);
	});
});
