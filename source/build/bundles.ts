// The esbuild bundle of source/cli.tsx, holding its dependencies: one CommonJS file that the npm package and the
// single executable both run (source/build/run-bundle.ts), and the package's start beside it.
import {createHash} from 'node:crypto';
import {mkdirSync, readFileSync, rmSync, writeFileSync} from 'node:fs';
import {dirname, join} from 'node:path';
import {fileURLToPath} from 'node:url';
import {build, type Plugin} from 'esbuild';

export const repoRoot = fileURLToPath(new URL('../..', import.meta.url));

export type PackageJson = {name: string; version: string; description?: string; [key: string]: unknown};

export function packageJson(): PackageJson {
	return JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')) as PackageJson;
}

/** Where `npm run build` writes the package's JavaScript (package.json's `files` and bin/rollscope.js name it). */
export const packageOut = join(repoRoot, 'dist/package');

/** The bundle's file name, in the package and among the single executable's assets. */
export const bundleName = 'rollscope.cjs';

/**
 * The bundle: everything rollscope runs, its dependencies included, in one CommonJS file. Node resolving and
 * reading hundreds of files of node_modules cost more than everything else of a start (a live view of 1,000 pods
 * loaded in 1.3 s of its 2.3 s of CPU); one file of them reads in a fraction of that. The modules a command
 * imports on demand are evaluated on demand (esbuild wraps each in a function run at its first import).
 *
 * CommonJS rather than ESM, because a CommonJS script is compiled by vm.Script, whose code cache V8 can write
 * after the start has run: it then holds every function the start compiled, and a later start compiles none
 * of them (run-bundle.ts). Node's own compile cache of an ES module is written when the module is compiled,
 * before any of its functions are. The one thing an ES module had that this needs done another way is the
 * top-level await (yogaAtOnce, inkWithoutTopLevelAwait).
 *
 * The first line names the build (`// rollscope-bundle VERSION-HASH`), which names its code cache: V8 checks a
 * cache against its source's length only.
 */
export async function bundle(outfile: string): Promise<void> {
	const result = await build({
		entryPoints: [join(repoRoot, 'source/cli.tsx')],
		bundle: true,
		platform: 'node',
		format: 'cjs',
		target: 'node22',
		// React's production build: its development build (which it picks when NODE_ENV is not "production")
		// checks and records every render, at twice the CPU and memory. import.meta, which a CommonJS file does not
		// have, is given its url (meow and Emscripten read it).
		define: {'process.env.NODE_ENV': '"production"', 'import.meta': '__importMeta'},
		banner: {js: "var __importMeta = {url: require('node:url').pathToFileURL(__filename).href};"},
		// Without comments and indentation: the modules' source stays in memory as long as the process runs, and
		// V8 keeps a source with one character beyond Latin-1 (a ’ in a comment) at two bytes a character. Names
		// are kept, so a stack trace still says which function.
		minifyWhitespace: true,
		minifySyntax: true,
		charset: 'ascii',
		logLevel: 'warning',
		absWorkingDir: repoRoot,
		write: false,
		plugins: [meowWithPackage(packageJson()), clientNodeCore, undiciCore, yogaAtOnce, inkWithoutTopLevelAwait, inkCachesAcrossFrames, stringWidthFastPath, ...graphemesWithoutIcu, ...socksOnDemand],
	});
	// Without source/cli.tsx's #! line, a syntax error inside the function run-bundle.ts wraps the text in.
	const text = result.outputFiles[0]!.text.replace(/^#!.*\n/, '');
	const id = `${packageJson().version}-${createHash('sha256').update(text).digest('hex').slice(0, 16)}`;
	const contents = `// rollscope-bundle ${id}\n${text}`;
	mkdirSync(dirname(outfile), {recursive: true});
	writeFileSync(outfile, contents, 'latin1');
}

/**
 * The npm package in dist/package: the bundle, and start.js (source/build/package-start.ts), which
 * bin/rollscope.js imports and which runs the bundle beside it.
 */
export async function bundlePackage(outdir = packageOut): Promise<void> {
	rmSync(outdir, {recursive: true, force: true});
	await bundle(join(outdir, bundleName));
	await build({entryPoints: [join(repoRoot, 'source/build/package-start.ts')], outfile: join(outdir, 'start.js'), bundle: true, platform: 'node', format: 'esm', target: 'node22', logLevel: 'warning'});
}

/**
 * meow reads the version and description from the package.json above the running file; above the single
 * executable there is none, or someone else's, so the build hands meow the project's package.json itself (its
 * `pkg` option, which meow takes as it would have taken the file).
 */
function meowWithPackage(pkg: PackageJson): Plugin {
	return inFrontOf('meow', 'meow-with-package', [
		"import meow from 'meow';",
		`const pkg = ${JSON.stringify(pkg)};`,
		"export default (help, options) => (typeof help === 'string' ? meow(help, {...options, pkg}) : meow({...help, pkg}));",
	]);
}

/**
 * A plugin that puts a module of `lines` in the place of the package `specifier` for every importer; the
 * module's own import (or require) of `specifier` is the package itself.
 */
function inFrontOf(specifier: string, name: string, lines: string[]): Plugin {
	const real = `real ${specifier}`;
	return {
		name,
		setup(b) {
			b.onResolve({filter: new RegExp(`^${specifier.replace(/[.*+?^${}()|[\]\\/-]/g, '\\$&')}$`)}, args => (args.pluginData === real ? undefined : {path: specifier, namespace: name}));
			b.onLoad({filter: /.*/, namespace: name}, () => ({contents: lines.join('\n'), loader: 'js', resolveDir: repoRoot, pluginData: real}));
		},
	};
}

/**
 * A plugin that edits a package's file as esbuild loads it: `head` goes first, and each `[expected, instead]`
 * replaces the one place the file reads `expected`. If it reads it nowhere or more than once, the build fails
 * rather than ship the file unchanged.
 */
function edited(name: string, filter: RegExp, edits: ReadonlyArray<readonly [string, string]>, head = ''): Plugin {
	return {
		name,
		setup(b) {
			b.onLoad({filter}, args => {
				let contents = readFileSync(args.path, 'utf8');
				for (const [expected, instead] of edits) {
					if (contents.split(expected).length !== 2) throw new Error(`${args.path} no longer reads "${expected}" once: see ${name} in source/build/bundles.ts`);
					contents = contents.replace(expected, instead);
				}
				return {contents: head + contents, loader: 'js'};
			});
		},
	};
}

/**
 * The parts of @kubernetes/client-node rollscope uses (KubeConfig, with its authenticators and proxies, and
 * the request context it tunnels SOCKS with), without its generated API clients and models: the package's
 * index loads all of those (60 MB of JavaScript: 1.4 s and 70 MB of memory at each start), and only
 * KubeConfig.makeApiClient, which rollscope never calls, needs them. Importing anything else from the package
 * fails the build.
 */
const clientNodeCore: Plugin = {
	name: 'client-node-core',
	setup(b) {
		b.onResolve({filter: /^@kubernetes\/client-node$/}, () => ({path: 'client-node', namespace: 'client-node-core'}));
		b.onLoad({filter: /.*/, namespace: 'client-node-core'}, () => ({
			contents: ["export {KubeConfig} from '@kubernetes/client-node/dist/config.js';", "export {HttpMethod, RequestContext} from '@kubernetes/client-node/dist/gen/http/http.js';"].join('\n'),
			loader: 'js',
			resolveDir: repoRoot,
		}));
		b.onResolve({filter: /^\.\/gen\/index\.js$/}, args => (/@kubernetes[\\/]client-node[\\/]dist$/.test(args.resolveDir) ? {path: 'generated-api', namespace: 'client-node-core-gen'} : undefined));
		b.onLoad({filter: /.*/, namespace: 'client-node-core-gen'}, () => ({
			contents: "export function createConfiguration() { throw new Error('the generated API clients of @kubernetes/client-node are not part of rollscope'); }\nexport class ServerConfiguration {}",
			loader: 'js',
		}));
	},
};

/**
 * undici's dispatchers and their request API, which rollscope and client-node's KubeConfig use, without the
 * rest of undici (fetch and the web APIs, mocks, caches, interceptors: most of its code, all of it loaded
 * at every start by its index). client-node's generated HTTP library names fetch; it is never called.
 */
const undiciCore: Plugin = {
	name: 'undici-core',
	setup(b) {
		b.onResolve({filter: /^undici$/}, () => ({path: 'undici', namespace: 'undici-core'}));
		b.onLoad({filter: /.*/, namespace: 'undici-core'}, () => ({
			contents: [
				"const Dispatcher = require('undici/lib/dispatcher/dispatcher');",
				"const Agent = require('undici/lib/dispatcher/agent');",
				"const ProxyAgent = require('undici/lib/dispatcher/proxy-agent');",
				// As undici's index does: request() and the other calls on every dispatcher.
				"Object.assign(Dispatcher.prototype, require('undici/lib/api'));",
				"const fetch = () => { throw new Error('fetch is not part of the rollscope bundle'); };",
				'module.exports = {Dispatcher, Agent, ProxyAgent, fetch};',
			].join('\n'),
			loader: 'js',
			resolveDir: repoRoot,
		}));
	},
};

/**
 * Ink's layout engine, yoga-layout, instantiates its WebAssembly with a top-level await, which a CommonJS file
 * cannot hold. Here it is instantiated at once when Ink is first loaded: Emscripten's instantiateWasm hook makes
 * the module and the instance from the bytes synchronously (about the time the asynchronous way took), and
 * Emscripten's start then runs to its end before loadYoga returns. The bytes are taken out of the glue's data:
 * URL at build time, which also keeps the global fetch (and with it Node's own undici, 20 ms of a start) from
 * decoding them. If either file no longer reads as expected, the build fails rather than ship it.
 */
const yogaAtOnce: Plugin = {
	name: 'yoga-at-once',
	setup(b) {
		b.onLoad({filter: /[\\/]yoga-layout[\\/]dist[\\/]src[\\/]index\.js$/}, args => {
			const original = readFileSync(args.path, 'utf8');
			if (!original.includes('wrapAssembly(await loadYoga())')) throw new Error(`${args.path} no longer reads "wrapAssembly(await loadYoga())": see yogaAtOnce in source/build/bundles.ts`);
			const contents = [
				"import loadYoga, {wasmBase64} from '../binaries/yoga-wasm-base64-esm.js';",
				"import wrapAssembly from './wrapAssembly.js';",
				"export * from './generated/YGEnums.js';",
				'const lib = {',
				'	instantiateWasm(imports, receive) {',
				"		const instance = new WebAssembly.Instance(new WebAssembly.Module(Buffer.from(wasmBase64, 'base64')), imports);",
				'		receive(instance);',
				'		return instance.exports;',
				'	},',
				'};',
				'loadYoga(lib);',
				'export default wrapAssembly(lib);',
			].join('\n');
			return {contents, loader: 'js'};
		});
		b.onLoad({filter: /[\\/]yoga-layout[\\/]dist[\\/]binaries[\\/]yoga-wasm-base64-esm\.js$/}, args => {
			const glue = readFileSync(args.path, 'utf8');
			const bytes = /data:application\/octet-stream;base64,([A-Za-z0-9+/=]+)/.exec(glue)?.[1];
			if (!bytes || !glue.includes('h.instantiateWasm(')) throw new Error(`${args.path} no longer holds its WebAssembly in a data: URL with an instantiateWasm hook: see yogaAtOnce in source/build/bundles.ts`);
			return {contents: `${glue.replace(bytes, '')}\nexport const wasmBase64 = ${JSON.stringify(bytes)};`, loader: 'js'};
		});
	},
};

/**
 * Ink's reconciler awaits at top level, when DEV=true, to load React's devtools and its own package.json. The
 * bundle has no top-level await and no devtools, so those two awaits are taken out (the devtools stay out of the
 * bundle with them).
 */
const inkWithoutTopLevelAwait = edited('ink-without-top-level-await', /[\\/]ink[\\/]build[\\/]reconciler\.js$/, [
	["await import('./devtools.js');", ';'],
	['await loadPackageJson()', '{}'],
]);


/**
 * Ink's frame buffer (ink/build/output.js) turns every line it writes into styled cells, through caches it makes
 * anew for each frame, so an unchanged row is parsed again at every redraw (a third of a redraw's time). Here
 * the caches live across frames: a line's cells depend on nothing but the line, and Ink never changes a cell it
 * took from them (it copies one to blank it). They are dropped and begun again once they hold a few thousand
 * lines.
 */
const inkCachesAcrossFrames = edited('ink-caches-across-frames', /[\\/]ink[\\/]build[\\/]output\.js$/, [
	['caches = new OutputCaches();', 'caches = sharedOutputCaches.styledChars.size > 4000 || sharedOutputCaches.widths.size > 20000 ? (sharedOutputCaches = new OutputCaches()) : sharedOutputCaches;'],
	['export default class Output {', 'let sharedOutputCaches = new OutputCaches();\nexport default class Output {'],
]);

/**
 * string-width, the measure of Ink (every line and cell it writes) and of the packages it measures with, answers
 * the text the view is mostly made of, coloured or not, from styledSingleColumnWidth
 * (source/release/single-width.ts), held to string-width by its test; anything else goes to string-width itself,
 * which is required the first time it is needed (esbuild evaluates a required module on its first require). Its
 * Unicode-property regular expressions and segmenter were made at every start (about 20 ms, the RGI emoji set
 * most of it) and first used on the first frame's box drawing (about 20 ms more).
 */
const stringWidthFastPath = inFrontOf('string-width', 'string-width-fast-path', [
	`import {styledSingleColumnWidth} from ${JSON.stringify(join(repoRoot, 'source/release/single-width.ts'))};`,
	'let measure;',
	'export default function stringWidth(text, options) {',
	"	if (options === undefined && typeof text === 'string') {",
	'		const width = styledSingleColumnWidth(text);',
	'		if (width !== undefined) return width;',
	'	}',
	"	measure ??= require('string-width').default;",
	'	return measure(text, options);',
	'}',
]);

/**
 * Ink's line updates and cells (ink/build/line-update.js, @alcalzone/ansi-tokenize), and the wrapping and slicing
 * it draws with (wrap-ansi, slice-ansi), each make an Intl.Segmenter when loaded; the first of a process loads
 * ICU's break rules, about 10 ms of every start. They get graphemeSegmenter (source/release/graphemes.ts) instead,
 * which cuts the text the view is mostly made of without ICU and makes a real segmenter for anything else.
 */
const graphemesWithoutIcu = (
	[
		[/[\\/]ink[\\/]build[\\/]line-update\.js$/, "new Intl.Segmenter(undefined, { granularity: 'grapheme' })"],
		[/[\\/]@alcalzone[\\/]ansi-tokenize[\\/]build[\\/]tokenize\.js$/, 'new Intl.Segmenter(undefined, { granularity: "grapheme" })'],
		[/[\\/]wrap-ansi[\\/]index\.js$/, 'new Intl.Segmenter()'],
		[/[\\/]slice-ansi[\\/]tokenize-ansi\.js$/, "new Intl.Segmenter(undefined, {granularity: 'grapheme'})"],
	] as const
).map(([filter, segmenter]) =>
	edited('graphemes-without-icu', filter, [[segmenter, 'rollscopeGraphemes']], `import {graphemeSegmenter as rollscopeGraphemes} from ${JSON.stringify(join(repoRoot, 'source/release/graphemes.ts'))};\n`),
);

/**
 * client-node's SOCKS support (socks-proxy-agent, and under them socks and ip-address) is evaluated when a
 * kubeconfig's proxy-url names a SOCKS proxy, not at every start (about 4 ms of one): the agent is required when
 * the first one is made, and socks's client when the first tunnel is (esbuild evaluates a required module on
 * its first require). Both are used only so (`new SocksProxyAgent(...)`, `SocksClient.createConnection(...)`).
 */
const socksOnDemand = [
	inFrontOf('socks-proxy-agent', 'socks-agent-on-demand', [
		'export class SocksProxyAgent {',
		'	constructor(...args) {',
		"		return new (require('socks-proxy-agent').SocksProxyAgent)(...args);",
		'	}',
		'}',
	]),
	inFrontOf('socks', 'socks-client-on-demand', ["export const SocksClient = {createConnection: (...args) => require('socks').SocksClient.createConnection(...args)};"]),
];
