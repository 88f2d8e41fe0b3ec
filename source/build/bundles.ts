// The two esbuild bundles of source/cli.tsx, both holding their dependencies: the npm package's (ESM, split
// per command) and the single executable's (one ESM file).
import {readFileSync, rmSync} from 'node:fs';
import {join} from 'node:path';
import {fileURLToPath} from 'node:url';
import {build, type BuildOptions, type Plugin} from 'esbuild';

export const repoRoot = fileURLToPath(new URL('../..', import.meta.url));

export type PackageJson = {name: string; version: string; description?: string; [key: string]: unknown};

export function packageJson(): PackageJson {
	return JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')) as PackageJson;
}

/** Where `npm run build` writes the package's JavaScript (package.json's `files` and bin/rollscope.js name it). */
export const packageOut = join(repoRoot, 'dist/package');

const common: BuildOptions = {
	entryPoints: [join(repoRoot, 'source/cli.tsx')],
	bundle: true,
	platform: 'node',
	// An ESM bundle: Ink's yoga-layout instantiates its WebAssembly with a top-level await.
	format: 'esm',
	target: 'node22',
	// React's production build: its development build (which it picks when NODE_ENV is not "production")
	// checks and records every render, at twice the CPU and memory.
	define: {'process.env.NODE_ENV': '"production"'},
	// Without comments and indentation: the modules' source stays in memory as long as the process runs, and
	// V8 keeps a source with one character beyond Latin-1 (a ’ in a comment) at two bytes a character. Names
	// are kept, so a stack trace still says which function.
	minifyWhitespace: true,
	minifySyntax: true,
	charset: 'ascii',
	logLevel: 'warning',
	absWorkingDir: repoRoot,
};

/**
 * The package: everything rollscope runs, its dependencies included, one chunk per command as its dynamic
 * imports split it, so that a run loads only what its command needs. Node resolving and reading hundreds of
 * files of node_modules cost more than everything else of a start (a live view of 1,000 pods loaded in
 * 1.3 s of its 2.3 s of CPU); one bundle of them reads in a fraction of that.
 */
export async function bundlePackage(outdir = packageOut): Promise<void> {
	rmSync(outdir, {recursive: true, force: true});
	await build({...common, outdir, splitting: true, chunkNames: 'chunks/[name]-[hash]', plugins: bundlePlugins, banner: requireBanner});
}

/**
 * meow reads the version and description from the package.json above the running file; above the
 * executable there is none, or someone else's, so this build hands meow the project's package.json itself
 * (its `pkg` option, which meow takes as it would have taken the file).
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

/** CommonJS parts of the bundle call require() for Node's built-in modules. */
const requireBanner = {js: "import {createRequire as __rollscopeCreateRequire} from 'node:module';\nconst require = __rollscopeCreateRequire(import.meta.url);"};

/**
 * Node's http and https, taken with require() rather than imported as ES modules. Importing a built-in module
 * reads every one of its exports into the ES module, and http's include WebSocket, CloseEvent and
 * MessageEvent, which load Node's own copy of undici (20 ms of each start) that rollscope never uses.
 */
const builtinHttpByRequire: Plugin = {
	name: 'builtin-http-by-require',
	setup(b) {
		b.onResolve({filter: /^(node:)?https?$/}, args => (args.kind === 'import-statement' || args.kind === 'dynamic-import' ? {path: args.path.replace(/^node:/, ''), namespace: 'builtin-http-by-require'} : undefined));
		b.onLoad({filter: /.*/, namespace: 'builtin-http-by-require'}, args => ({contents: `module.exports = require('node:${args.path}');`, loader: 'js'}));
	},
};

/**
 * Ink's layout engine (yoga-layout's WebAssembly, built for browsers) gets its code from a data: URL with the
 * global fetch when there is one, which loads Node's own copy of undici (20 ms of each start) to decode a
 * string it can decode itself; while it starts, fetch is hidden from it.
 */
const yogaWithoutFetch: Plugin = {
	name: 'yoga-without-fetch',
	setup(b) {
		b.onResolve({filter: /yoga-wasm-base64-esm\.js$/}, args => (args.pluginData === 'real yoga' ? undefined : {path: args.path, namespace: 'yoga-without-fetch', pluginData: args.resolveDir}));
		b.onLoad({filter: /.*/, namespace: 'yoga-without-fetch'}, args => ({
			contents: [
				`import loadYoga from ${JSON.stringify(args.path)};`,
				'export default function loadYogaWithoutFetch(options) {',
				"	const fetch = Object.getOwnPropertyDescriptor(globalThis, 'fetch');",
				"	if (fetch) Object.defineProperty(globalThis, 'fetch', {value: undefined, configurable: true, writable: true});",
				'	try {',
				'		return loadYoga(options);',
				'	} finally {',
				"		if (fetch) Object.defineProperty(globalThis, 'fetch', fetch);",
				'	}',
				'}',
			].join('\n'),
			loader: 'js',
			resolveDir: args.pluginData as string,
			pluginData: 'real yoga',
		}));
	},
};

/**
 * Ink's frame buffer (ink/build/output.js) turns every line it writes into styled cells, through caches it makes
 * anew for each frame, so an unchanged row is parsed again at every redraw (a third of a redraw's time). Here
 * the caches live across frames: a line's cells depend on nothing but the line, and Ink never changes a cell it
 * took from them (it copies one to blank it). They are dropped and begun again once they hold a few thousand
 * lines. If Ink's file no longer reads as expected, the build fails rather than ship it unchanged.
 */
const inkCachesAcrossFrames: Plugin = {
	name: 'ink-caches-across-frames',
	setup(b) {
		b.onLoad({filter: /[\\/]ink[\\/]build[\\/]output\.js$/}, args => {
			const original = readFileSync(args.path, 'utf8');
			const perFrame = 'caches = new OutputCaches();';
			const output = 'export default class Output {';
			for (const expected of [perFrame, output]) {
				if (!original.includes(expected)) throw new Error(`${args.path} no longer reads "${expected}": see inkCachesAcrossFrames in source/build/bundles.ts`);
			}
			const contents = original
				.replace(perFrame, 'caches = sharedOutputCaches.styledChars.size > 4000 || sharedOutputCaches.widths.size > 20000 ? (sharedOutputCaches = new OutputCaches()) : sharedOutputCaches;')
				.replace(output, `let sharedOutputCaches = new OutputCaches();\n${output}`);
			return {contents, loader: 'js'};
		});
	},
};

/**
 * string-width, the measure of Ink (every line and cell it writes) and of the packages it measures with, answers
 * the text the view is mostly made of from singleColumnWidth (source/release/single-width.ts), held to
 * string-width by its test; anything else goes to string-width itself, which is required the first time it is
 * needed (esbuild evaluates a required module on its first require). Its Unicode-property regular expressions
 * and segmenter were made at every start (about 20 ms, the RGI emoji set most of it) and first used on the
 * first frame's box drawing (about 20 ms more).
 */
const stringWidthFastPath = inFrontOf('string-width', 'string-width-fast-path', [
	`import {singleColumnWidth} from ${JSON.stringify(join(repoRoot, 'source/release/single-width.ts'))};`,
	'let measure;',
	'export default function stringWidth(text, options) {',
	"	if (options === undefined && typeof text === 'string') {",
	'		const width = singleColumnWidth(text);',
	'		if (width !== undefined) return width;',
	'	}',
	"	measure ??= require('string-width').default;",
	'	return measure(text, options);',
	'}',
]);

/**
 * client-node's SOCKS support (socks-proxy-agent, and under it socks and ip-address) is evaluated when a
 * kubeconfig's proxy-url names a SOCKS proxy, not at every start (about 4 ms of one): its agent is required when
 * the first one is made (esbuild evaluates a required module on its first require).
 */
const socksOnDemand = inFrontOf('socks-proxy-agent', 'socks-on-demand', [
	'export class SocksProxyAgent {',
	'	constructor(...args) {',
	"		return new (require('socks-proxy-agent').SocksProxyAgent)(...args);",
	'	}',
	'}',
]);

/** Ink's devtools, which it loads only with DEV=true and a react-devtools-core installed, are not inside. */
const noDevtools: Plugin = {
	name: 'no-devtools',
	setup(b) {
		b.onResolve({filter: /^react-devtools-core$/}, () => ({path: 'react-devtools-core', namespace: 'no-devtools'}));
		b.onLoad({filter: /.*/, namespace: 'no-devtools'}, () => ({contents: "throw new Error('the React devtools are not part of the rollscope executable');", loader: 'js'}));
	},
};

/** What both bundles are built with. */
const bundlePlugins: Plugin[] = [clientNodeCore, undiciCore, noDevtools, builtinHttpByRequire, yogaWithoutFetch, inkCachesAcrossFrames, stringWidthFastPath, socksOnDemand];

/**
 * Everything in one ESM file, for the single executable (source/build/sea-main.ts imports it under the
 * executable's file URL). Its CommonJS parts call require() for Node's built-in modules only.
 */
export async function bundleSingleFile(outfile: string): Promise<void> {
	await build({
		...common,
		outfile,
		plugins: [meowWithPackage(packageJson()), ...bundlePlugins],
		banner: requireBanner,
	});
}
