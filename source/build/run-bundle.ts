// Runs the bundle (bundles.ts) with V8's compiled code of an earlier start, kept on disk: a start then compiles
// none of the functions an earlier one did, which was about 70 ms of a live view's first frame at 1,000 pods.
//
// The code cache is written once per build of the bundle and Node: after the start has run for a while (so it
// holds what a view's first frames compiled), or at exit if the run ends before that. A cache written at the exit
// of a short run (--version, --once) holds less, and the first run that lasts writes it again. A cache V8 turns
// down (made under other V8 flags, or damaged) is written again too. Nothing here fails a run: a cache that cannot be
// read or written is no cache, and so is one another user owns or could have written.
import {closeSync, fstatSync, mkdirSync, openSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync} from 'node:fs';
import {createRequire} from 'node:module';
import {dirname, isAbsolute, join} from 'node:path';
import vm from 'node:vm';

/** What the cache file's first byte says: written after the run had gone on for a while, or at an earlier exit. */
const FULL = 0x46;
const PARTIAL = 0x50;

/** How long another build's cache goes unread before a start that writes its own removes it. */
const UNUSED_MS = 7 * 24 * 3600 * 1000;

/**
 * Where the code cache is kept: rollscope under $XDG_CACHE_HOME, or under ~/.cache. None when
 * NODE_DISABLE_COMPILE_CACHE is set (as for Node's own compile cache) or when there is no home.
 */
export function codeCacheDir(env: NodeJS.ProcessEnv = process.env): string | undefined {
	if (env.NODE_DISABLE_COMPILE_CACHE) return undefined;
	// The XDG base directory specification: a relative path is ignored.
	if (env.XDG_CACHE_HOME && isAbsolute(env.XDG_CACHE_HOME)) return join(env.XDG_CACHE_HOME, 'rollscope');
	return env.HOME && isAbsolute(env.HOME) ? join(env.HOME, '.cache', 'rollscope') : undefined;
}

/** The build the bundle's first line names (`// rollscope-bundle ID`), if it names one. */
export function bundleId(source: string): string | undefined {
	return /^\/\/ rollscope-bundle ([\w.+-]+)\n/.exec(source.slice(0, 200))?.[1];
}

export type RunBundle = {
	/** The bundle's text. */
	source: string;
	/** The name it runs under: its file, or the single executable. */
	filename: string;
	cacheDir: string | undefined;
	/** How long a run goes on before its code cache is written (tests shorten it). */
	fullAfterMs?: number;
};

/** What became of the code cache at this start. */
export type CacheUse = 'none' | 'used' | 'turned down';

export function runBundle({source, filename, cacheDir, fullAfterMs = 3000}: RunBundle): CacheUse {
	const id = bundleId(source);
	// One file per build, Node and architecture; a build's cache is never read by another, whatever their lengths.
	const suffix = `-node${process.version}-${process.arch}.v8`;
	const file = cacheDir !== undefined && id !== undefined ? join(cacheDir, `${id}${suffix}`) : undefined;
	let kind: number | undefined;
	let cachedData: Buffer | undefined;
	if (file !== undefined) {
		try {
			const fd = openSync(file, 'r');
			try {
				// Compiled code runs as this user: only a file of this user's that no one else can write is read.
				const stat = fstatSync(fd);
				if (stat.uid === process.getuid?.() && (stat.mode & 0o022) === 0) {
					const bytes = readFileSync(fd);
					kind = bytes[0];
					cachedData = bytes.subarray(1);
				}
			} finally {
				closeSync(fd);
			}
		} catch {
			// No cache yet, or none to be read: the start compiles what it runs.
		}
	}
	// The wrapper Node gives a CommonJS module, on the source's first line so that line numbers stay its own.
	const script = new vm.Script(`(function (exports, require, module, __filename, __dirname) {${source}\n})`, {
		filename,
		cachedData,
		importModuleDynamically: vm.constants.USE_MAIN_CONTEXT_DEFAULT_LOADER,
	});
	const use: CacheUse = cachedData === undefined ? 'none' : script.cachedDataRejected ? 'turned down' : 'used';
	if (file !== undefined && !(use === 'used' && kind === FULL)) {
		let written = false;
		const save = (what: number) => {
			if (written) return;
			written = true;
			const temporary = `${file}.${process.pid}`;
			try {
				mkdirSync(cacheDir!, {recursive: true, mode: 0o700});
				writeFileSync(temporary, Buffer.concat([Buffer.of(what), script.createCachedData()]), {mode: 0o600});
				renameSync(temporary, file);
				// Other builds' caches for this Node that no start has read for a week (their last access, as the
				// file system keeps it): another installation may still use one that has been read since.
				for (const name of readdirSync(cacheDir!)) {
					const other = join(cacheDir!, name);
					if (name.endsWith(suffix) && name !== `${id}${suffix}` && statSync(other).atimeMs < Date.now() - UNUSED_MS) rmSync(other, {force: true});
				}
			} catch {
				try {
					rmSync(temporary, {force: true});
				} catch {
					// Where nothing could be written, nothing is left.
				}
			}
		};
		setTimeout(() => save(FULL), fullAfterMs).unref();
		if (use !== 'used') process.once('exit', () => save(PARTIAL));
	}
	const module = {exports: {}};
	const run = script.runInThisContext() as (exports: object, require: NodeJS.Require, module: object, filename: string, dirname: string) => void;
	run(module.exports, createRequire(filename), module, filename, dirname(filename));
	return use;
}
