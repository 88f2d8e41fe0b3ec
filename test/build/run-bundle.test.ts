// run-bundle.ts: a bundle run with V8's code cache of an earlier start, kept on disk. Each start is a child
// process (the cache is written by a timer or at exit), running a small bundle of its own.
import assert from 'node:assert/strict';
import {spawn} from 'node:child_process';
import {chmodSync, chownSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, utimesSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {after, describe, test} from 'node:test';
import {bundleId, codeCacheDir} from '../../source/build/run-bundle.js';
import {repoRoot} from '../helpers/tmux.js';

const dir = mkdtempSync(join(tmpdir(), 'rollscope-run-bundle-'));
after(() => rmSync(dir, {recursive: true, force: true}));

// The child: runs the bundle at argv[2] with the cache directory at argv[3] ('' for none), and says how it used the cache.
const driver = join(dir, 'driver.ts');
writeFileSync(
	driver,
	[
		`import {readFileSync} from 'node:fs';`,
		`import {runBundle} from ${JSON.stringify(join(repoRoot, 'source/build/run-bundle.ts'))};`,
		`const [file, cacheDir, fullAfterMs] = process.argv.slice(2);`,
		`const use = runBundle({source: readFileSync(file!, 'latin1'), filename: file!, cacheDir: cacheDir || undefined, fullAfterMs: Number(fullAfterMs)});`,
		'process.stderr.write(`cache: ${use}\\n`);',
	].join('\n'),
);

/** A bundle with work enough to compile, that reports what it was run with and stays `STAY_MS`. */
function bundleText(id: string | undefined): string {
	return [
		...(id === undefined ? [] : [`// rollscope-bundle ${id}`]),
		`const os = require('node:os');`,
		'function fib(n) { return n < 2 ? n : fib(n - 1) + fib(n - 2); }',
		`setTimeout(() => console.log(JSON.stringify({filename: __filename, dirname: __dirname, exports: typeof module.exports, os: os.platform() === process.platform, fib: fib(20)})), Number(process.env.STAY_MS ?? 0));`,
		`if (process.env.THROW) throw new Error('thrown on line ' + (${id === undefined ? 4 : 5}));`,
	].join('\n');
}

function writeBundle(name: string, id: string | undefined): string {
	const file = join(dir, name);
	writeFileSync(file, bundleText(id));
	return file;
}

type Start = {code: number | null; stdout: string; stderr: string; use: string | undefined};

function start(file: string, cacheDir: string, options: {stayMs?: number; fullAfterMs?: number; throws?: boolean} = {}): Promise<Start> {
	const env = {...process.env, STAY_MS: String(options.stayMs ?? 0), THROW: options.throws ? '1' : ''};
	const child = spawn(process.execPath, ['--import', 'tsx', driver, file, cacheDir, String(options.fullAfterMs ?? 60_000)], {cwd: repoRoot, env, stdio: ['ignore', 'pipe', 'pipe']});
	let stdout = '';
	let stderr = '';
	child.stdout.on('data', d => (stdout += String(d)));
	child.stderr.on('data', d => (stderr += String(d)));
	return new Promise(resolve => child.on('exit', code => resolve({code, stdout, stderr, use: /cache: (.+)/.exec(stderr)?.[1]})));
}

const suffix = `-node${process.version}-${process.arch}.v8`;

/** The file as it stands: a cache written again is a new file renamed into its place. */
function identity(file: string): [number, number] {
	const stat = statSync(file);
	return [stat.ino, stat.mtimeMs];
}

function cacheFiles(cacheDir: string): string[] {
	return existsSync(cacheDir) ? readdirSync(cacheDir).sort() : [];
}

describe('runBundle', () => {
	test('runs the bundle as a CommonJS module under its file name', async () => {
		const file = writeBundle('plain.cjs', 'plain-1');
		const r = await start(file, '');
		assert.equal(r.code, 0, r.stderr);
		assert.deepEqual(JSON.parse(r.stdout), {filename: file, dirname: dir, exports: 'object', os: true, fib: 6765});
		assert.equal(r.use, 'none');
	});

	test('keeps the bundle its own line numbers', async () => {
		const file = writeBundle('lines.cjs', 'lines-1');
		const r = await start(file, '', {throws: true});
		assert.notEqual(r.code, 0);
		assert.match(r.stderr, /thrown on line 5/);
		assert.ok(r.stderr.includes(`${file}:5`), r.stderr);
	});

	test('a first start writes the cache at exit, marked as from a short run; the next start uses it and leaves it', async () => {
		const cacheDir = join(dir, 'cache-short');
		const file = writeBundle('short.cjs', 'short-1');
		const first = await start(file, cacheDir);
		assert.equal(first.use, 'none');
		assert.deepEqual(cacheFiles(cacheDir), [`short-1${suffix}`]);
		const written = readFileSync(join(cacheDir, `short-1${suffix}`));
		assert.equal(String.fromCharCode(written[0]!), 'P');
		assert.ok(written.length > 100, `${written.length} bytes`);
		const before = identity(join(cacheDir, `short-1${suffix}`));

		const second = await start(file, cacheDir);
		assert.equal(second.code, 0, second.stderr);
		assert.equal(second.use, 'used');
		assert.deepEqual(JSON.parse(second.stdout).fib, 6765);
		assert.deepEqual(identity(join(cacheDir, `short-1${suffix}`)), before);
	});

	test('a start that goes on writes the cache again, marked full; after that no start writes it', async () => {
		const cacheDir = join(dir, 'cache-full');
		const file = writeBundle('full.cjs', 'full-1');
		await start(file, cacheDir);
		const cache = join(cacheDir, `full-1${suffix}`);
		assert.equal(String.fromCharCode(readFileSync(cache)[0]!), 'P');

		const long = await start(file, cacheDir, {stayMs: 400, fullAfterMs: 50});
		assert.equal(long.use, 'used');
		assert.equal(String.fromCharCode(readFileSync(cache)[0]!), 'F');
		const full = identity(cache);

		for (const stayMs of [0, 400]) {
			const again = await start(file, cacheDir, {stayMs, fullAfterMs: 50});
			assert.equal(again.use, 'used');
			assert.deepEqual(identity(cache), full);
		}
	});

	test('a damaged cache is turned down, the bundle runs, and the cache is written again', async () => {
		const cacheDir = join(dir, 'cache-damaged');
		const file = writeBundle('damaged.cjs', 'damaged-1');
		mkdirSync(cacheDir);
		const cache = join(cacheDir, `damaged-1${suffix}`);
		// Marked full, so that only its being turned down has it written again.
		const damaged = Buffer.concat([Buffer.from('F'), Buffer.alloc(4000, 7)]);
		writeFileSync(cache, damaged);
		const r = await start(file, cacheDir);
		assert.equal(r.code, 0, r.stderr);
		assert.equal(r.use, 'turned down');
		assert.equal(JSON.parse(r.stdout).fib, 6765);
		assert.notDeepEqual(readFileSync(cache), damaged);
		assert.equal((await start(file, cacheDir)).use, 'used');
	});

	test('a cache others could have written, or another user owns, is not read, and is written anew as this user\'s alone', async () => {
		const cacheDir = join(dir, 'cache-others');
		const file = writeBundle('others.cjs', 'others-1');
		await start(file, cacheDir);
		const cache = join(cacheDir, `others-1${suffix}`);
		assert.equal(statSync(cache).mode & 0o777, 0o600);
		chmodSync(cache, 0o666);
		assert.equal((await start(file, cacheDir)).use, 'none');
		assert.equal(statSync(cache).mode & 0o777, 0o600);
		assert.equal((await start(file, cacheDir)).use, 'used');
		if (process.getuid?.() === 0) {
			chownSync(cache, 65_534, 65_534);
			assert.equal((await start(file, cacheDir)).use, 'none');
			assert.equal(statSync(cache).uid, 0);
		}
	});

	test("another build's cache is not read, and is removed by a start that writes its own once no start has read it for a week", async () => {
		const cacheDir = join(dir, 'cache-builds');
		// The same length, so that V8's own check (of the length) would not tell them apart.
		const a = writeBundle('build-a.cjs', 'build-a');
		const b = writeBundle('build-b.cjs', 'build-b');
		const c = writeBundle('build-c.cjs', 'build-c');
		await start(a, cacheDir);
		await start(b, cacheDir);
		assert.deepEqual(cacheFiles(cacheDir), [`build-a${suffix}`, `build-b${suffix}`]);
		const eightDaysAgo = new Date(Date.now() - 8 * 24 * 3600 * 1000);
		utimesSync(join(cacheDir, `build-a${suffix}`), eightDaysAgo, eightDaysAgo);
		const r = await start(c, cacheDir);
		assert.equal(r.use, 'none');
		assert.deepEqual(cacheFiles(cacheDir), [`build-b${suffix}`, `build-c${suffix}`]);
		assert.equal((await start(b, cacheDir)).use, 'used');
	});

	test('a bundle that names no build gets no cache', async () => {
		const cacheDir = join(dir, 'cache-unnamed');
		const file = writeBundle('unnamed.cjs', undefined);
		assert.equal((await start(file, cacheDir)).use, 'none');
		assert.equal((await start(file, cacheDir)).use, 'none');
		assert.deepEqual(cacheFiles(cacheDir), []);
	});

	test('a cache directory that cannot be made leaves the run as it was', async () => {
		const blocker = join(dir, 'a-file');
		writeFileSync(blocker, '');
		const file = writeBundle('blocked.cjs', 'blocked-1');
		const r = await start(file, join(blocker, 'rollscope'), {stayMs: 200, fullAfterMs: 50});
		assert.equal(r.code, 0, r.stderr);
		assert.equal(r.use, 'none');
		assert.equal(JSON.parse(r.stdout).fib, 6765);
		assert.equal(r.stderr, 'cache: none\n');
	});
});

describe('codeCacheDir', () => {
	test('rollscope under an absolute XDG_CACHE_HOME, else under ~/.cache', () => {
		assert.equal(codeCacheDir({XDG_CACHE_HOME: '/x/cache', HOME: '/home/u'}), '/x/cache/rollscope');
		assert.equal(codeCacheDir({XDG_CACHE_HOME: 'relative', HOME: '/home/u'}), '/home/u/.cache/rollscope');
		assert.equal(codeCacheDir({HOME: '/home/u'}), '/home/u/.cache/rollscope');
	});

	test('none with NODE_DISABLE_COMPILE_CACHE, or with no home', () => {
		assert.equal(codeCacheDir({NODE_DISABLE_COMPILE_CACHE: '1', HOME: '/home/u', XDG_CACHE_HOME: '/x'}), undefined);
		assert.equal(codeCacheDir({}), undefined);
		assert.equal(codeCacheDir({HOME: 'relative'}), undefined);
	});
});

describe('bundleId', () => {
	test("the build the first line names, and nothing from a text that names none", () => {
		assert.equal(bundleId('// rollscope-bundle 0.1.0-0123abcd\nvar x;'), '0.1.0-0123abcd');
		assert.equal(bundleId('var x;\n// rollscope-bundle 0.1.0-0123abcd\n'), undefined);
		assert.equal(bundleId('// rollscope-bundle \nvar x;'), undefined);
		assert.equal(bundleId('// rollscope-bundle a/b\nvar x;'), undefined);
	});
});
