// `npm run build:binary [-- --out DIR]`: one executable for linux-x64 that needs no Node, a Node single
// executable application made from the pinned Node (devDependency `node`) and postject; nothing is
// downloaded. Writes DIR/rollscope (default dist/binary).
import {execFileSync} from 'node:child_process';
import {chmodSync, closeSync, copyFileSync, mkdirSync, mkdtempSync, openSync, readSync, realpathSync, rmSync, statSync, writeFileSync} from 'node:fs';
import {createRequire} from 'node:module';
import {tmpdir} from 'node:os';
import {dirname, join, relative, resolve, sep} from 'node:path';
import {parseArgs} from 'node:util';
import {build} from 'esbuild';
import {bundle, bundleName, packageJson, repoRoot} from './bundles.js';

/** The fuse postject flips so that Node looks for the injected blob (the value Node's documentation gives). */
const seaFuse = 'NODE_SEA_FUSE_fce680ab2cc467b6e072b8b5df1996b2';

class BuildError extends Error {}

const require = createRequire(import.meta.url);

/** The pinned Node's own binary, as npm installed the devDependency `node` (its bin/node, links resolved). */
function pinnedNode(): string {
	let dir: string;
	try {
		dir = dirname(require.resolve('node/package.json'));
	} catch {
		throw new BuildError('the pinned Node (devDependency "node") is not installed; run npm ci');
	}
	const binary = realpathSync(join(dir, 'bin/node'));
	const head = Buffer.alloc(4);
	const fd = openSync(binary, 'r');
	readSync(fd, head, 0, 4, 0);
	closeSync(fd);
	if (!head.equals(Buffer.from([0x7f, 0x45, 0x4c, 0x46]))) throw new BuildError(`${binary} is not an ELF executable`);
	return binary;
}

/** Run a build tool; its output matters only when it fails. */
function tool(what: string, file: string, args: string[]): void {
	try {
		execFileSync(file, args, {encoding: 'utf8', stdio: 'pipe'});
	} catch (error) {
		const e = error as {stdout?: string; stderr?: string; message: string};
		const output = `${e.stdout ?? ''}${e.stderr ?? ''}`;
		throw new BuildError(`${what} failed:\n${output || e.message}`);
	}
}

async function buildBinary(out: string): Promise<void> {
	if (process.platform !== 'linux' || process.arch !== 'x64') throw new BuildError(`builds for linux-x64 only, from linux-x64 (this is ${process.platform}-${process.arch})`);
	const started = performance.now();
	const node = pinnedNode();
	const executable = join(out, 'rollscope');
	const work = mkdtempSync(join(tmpdir(), 'rollscope-build-'));
	try {
		const bundled = join(work, bundleName);
		const main = join(work, 'sea-main.cjs');
		const blob = join(work, 'sea.blob');
		const config = join(work, 'sea-config.json');
		await bundle(bundled);
		await build({entryPoints: [join(repoRoot, 'source/build/sea-main.ts')], outfile: main, bundle: true, platform: 'node', format: 'cjs', target: 'node24', logLevel: 'warning'});
		// No code cache of the entry, which is small: the bundle's is kept on disk by run-bundle.ts, as the package's is.
		writeFileSync(config, JSON.stringify({main, output: blob, disableExperimentalSEAWarning: true, useSnapshot: false, useCodeCache: false, assets: {[bundleName]: bundled}}, null, 2));
		tool('making the blob', node, ['--experimental-sea-config', config]);

		mkdirSync(out, {recursive: true});
		rmSync(executable, {force: true});
		copyFileSync(node, executable);
		chmodSync(executable, 0o755);
		const postject = join(dirname(require.resolve('postject/package.json')), 'dist/cli.js');
		try {
			// postject warns about the ELF notes of every Node binary: see its output only when it fails.
			tool('postject', process.execPath, [postject, executable, 'NODE_SEA_BLOB', blob, '--sentinel-fuse', seaFuse]);
			const version = execFileSync(executable, ['--version'], {encoding: 'utf8', env: {PATH: '/nonexistent'}}).trim();
			if (version !== packageJson().version) throw new BuildError(`${executable} --version printed "${version}", not ${packageJson().version}`);
		} catch (error) {
			rmSync(executable, {force: true});
			throw error;
		}
		const mib = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MiB`;
		const seconds = ((performance.now() - started) / 1000).toFixed(1);
		const nodeVersion = execFileSync(node, ['--version'], {encoding: 'utf8'}).trim();
		const shown = executable.startsWith(process.cwd() + sep) ? relative(process.cwd(), executable) : executable;
		process.stdout.write(`built ${shown} (${mib(statSync(executable).size)}; bundle ${mib(statSync(bundled).size)}; Node ${nodeVersion}) in ${seconds}s\n`);
	} finally {
		rmSync(work, {recursive: true, force: true});
	}
}

try {
	const {values} = parseArgs({options: {out: {type: 'string', default: join(repoRoot, 'dist/binary')}}});
	await buildBinary(resolve(values.out));
} catch (error) {
	// Its own errors and a wrong argument say what is wrong; anything else with where it came from.
	const plain = error instanceof BuildError || String((error as {code?: string}).code).startsWith('ERR_PARSE_ARGS');
	process.stderr.write(`build:binary: ${plain ? (error as Error).message : (error as Error).stack}\n`);
	process.exitCode = 1;
}
