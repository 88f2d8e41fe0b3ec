// The two esbuild bundles of source/cli.tsx: the npm package's (ESM, split per command, its dependencies
// left to npm) and the single executable's (one ESM file holding everything).
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
	logLevel: 'warning',
	absWorkingDir: repoRoot,
};

/**
 * The package: rollscope's own code, one chunk per command as its dynamic imports split it, importing
 * react, ink, @kubernetes/client-node and the rest from the package's dependencies as npm installed them.
 */
export async function bundlePackage(outdir = packageOut): Promise<void> {
	rmSync(outdir, {recursive: true, force: true});
	await build({...common, outdir, packages: 'external', splitting: true, chunkNames: 'chunks/[name]-[hash]'});
}

/**
 * meow reads the version and description from the package.json above the running file; above the
 * executable there is none, or someone else's, so this build hands meow the project's package.json itself
 * (its `pkg` option, which meow takes as it would have taken the file).
 */
function meowWithPackage(pkg: PackageJson): Plugin {
	return {
		name: 'meow-with-package',
		setup(b) {
			b.onResolve({filter: /^meow$/}, args => (args.pluginData === 'real meow' ? undefined : {path: 'meow', namespace: 'meow-with-package'}));
			b.onLoad({filter: /.*/, namespace: 'meow-with-package'}, () => ({
				contents: [
					"import meow from 'meow';",
					`const pkg = ${JSON.stringify(pkg)};`,
					"export default (help, options) => (typeof help === 'string' ? meow(help, {...options, pkg}) : meow({...help, pkg}));",
				].join('\n'),
				loader: 'js',
				resolveDir: repoRoot,
				pluginData: 'real meow',
			}));
		},
	};
}

/** Ink's devtools, which it loads only with DEV=true and a react-devtools-core installed, are not inside. */
const noDevtools: Plugin = {
	name: 'no-devtools',
	setup(b) {
		b.onResolve({filter: /^react-devtools-core$/}, () => ({path: 'react-devtools-core', namespace: 'no-devtools'}));
		b.onLoad({filter: /.*/, namespace: 'no-devtools'}, () => ({contents: "throw new Error('the React devtools are not part of the rollscope executable');", loader: 'js'}));
	},
};

/**
 * Everything in one ESM file, for the single executable (source/build/sea-main.ts imports it under the
 * executable's file URL). Its CommonJS parts call require() for Node's built-in modules only.
 */
export async function bundleSingleFile(outfile: string): Promise<void> {
	await build({
		...common,
		outfile,
		plugins: [meowWithPackage(packageJson()), noDevtools],
		banner: {js: "import {createRequire as __rollscopeCreateRequire} from 'node:module';\nconst require = __rollscopeCreateRequire(import.meta.url);"},
	});
}
