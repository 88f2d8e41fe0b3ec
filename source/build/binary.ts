// `npm run build:binary [-- --out DIR]`: one executable for linux-x64 that needs no Node, a Node single
// executable application made from the pinned Node (devDependency `node`) and postject; nothing is
// downloaded. Writes DIR/rollscope (default dist/binary).
import {execFileSync} from 'node:child_process';
import {chmodSync, copyFileSync, mkdirSync, mkdtempSync, openSync, readSync, closeSync, realpathSync, rmSync, statSync, writeFileSync} from 'node:fs';
import {createRequire} from 'node:module';
import {tmpdir} from 'node:os';
import {dirname, join, relative, resolve} from 'node:path';
import {parseArgs} from 'node:util';
import {build} from 'esbuild';
import {bundleSingleFile, packageJson, repoRoot} from './bundles.js';

/** The fuse postject flips so that Node looks for the injected blob (the value Node's documentation gives). */
const seaFuse = 'NODE_SEA_FUSE_fce680ab2cc467b6e072b8b5df1996b2';

function fail(message: string): never {
	process.stderr.write(`build:binary: ${message}\n`);
	process.exit(1);
}

/** The pinned Node's own binary, as npm installed the devDependency `node` (its bin/node, links resolved). */
function pinnedNode(): string {
	const require = createRequire(import.meta.url);
	let dir: string;
	try {
		dir = dirname(require.resolve('node/package.json'));
	} catch {
		fail('the pinned Node (devDependency "node") is not installed; run npm ci');
	}
	const binary = realpathSync(join(dir, 'bin/node'));
	const head = Buffer.alloc(4);
	const fd = openSync(binary, 'r');
	readSync(fd, head, 0, 4, 0);
	closeSync(fd);
	if (!head.equals(Buffer.from([0x7f, 0x45, 0x4c, 0x46]))) fail(`${binary} is not an ELF executable`);
	return binary;
}

const {values} = parseArgs({options: {out: {type: 'string', default: join(repoRoot, 'dist/binary')}}});
if (process.platform !== 'linux' || process.arch !== 'x64') fail(`builds for linux-x64 only, from linux-x64 (this is ${process.platform}-${process.arch})`);

const started = performance.now();
const node = pinnedNode();
const out = resolve(values.out);
const executable = join(out, 'rollscope');
const work = mkdtempSync(join(tmpdir(), 'rollscope-build-'));
try {
	const bundle = join(work, 'rollscope.mjs');
	const main = join(work, 'sea-main.cjs');
	const blob = join(work, 'sea.blob');
	const config = join(work, 'sea-config.json');
	await bundleSingleFile(bundle);
	await build({entryPoints: [join(repoRoot, 'source/build/sea-main.ts')], outfile: main, bundle: true, platform: 'node', format: 'cjs', target: 'node24', logLevel: 'warning'});
	// No code cache: with one, import() does not work in the entry (Node's SEA documentation).
	writeFileSync(config, JSON.stringify({main, output: blob, disableExperimentalSEAWarning: true, useSnapshot: false, useCodeCache: false, assets: {'rollscope.mjs': bundle}}, null, 2));
	execFileSync(node, ['--experimental-sea-config', config], {stdio: ['ignore', 'ignore', 'inherit']});

	mkdirSync(out, {recursive: true});
	rmSync(executable, {force: true});
	copyFileSync(node, executable);
	chmodSync(executable, 0o755);
	const postject = join(dirname(createRequire(import.meta.url).resolve('postject/package.json')), 'dist/cli.js');
	try {
		// postject warns about the ELF notes of every Node binary; its output matters only when it fails.
		execFileSync(process.execPath, [postject, executable, 'NODE_SEA_BLOB', blob, '--sentinel-fuse', seaFuse], {encoding: 'utf8', stdio: 'pipe'});
	} catch (error) {
		rmSync(executable, {force: true});
		const e = error as {stdout?: string; stderr?: string};
		fail(`postject failed:\n${e.stdout ?? ''}${e.stderr ?? ''}`);
	}

	const version = execFileSync(executable, ['--version'], {encoding: 'utf8', env: {PATH: '/nonexistent'}}).trim();
	if (version !== packageJson().version) fail(`${executable} --version printed "${version}", not ${packageJson().version}`);
	const mib = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MiB`;
	const seconds = ((performance.now() - started) / 1000).toFixed(1);
	process.stdout.write(`built ${relative(process.cwd(), executable) || executable} (${mib(statSync(executable).size)}; bundle ${mib(statSync(bundle).size)}; Node ${execFileSync(node, ['--version'], {encoding: 'utf8'}).trim()}) in ${seconds}s\n`);
} finally {
	rmSync(work, {recursive: true, force: true});
}
