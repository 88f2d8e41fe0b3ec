#!/usr/bin/env node
// Installed entry point: runs the compiled bundle that `npm run build` writes to dist/package.
import {existsSync} from 'node:fs';
import module from 'node:module';

const cli = new URL('../dist/package/cli.js', import.meta.url);
if (!existsSync(cli)) {
	process.stderr.write('rollscope: dist/package/cli.js is missing; in a checkout, run npm run build first (or npm run rollscope)\n');
	process.exit(2);
}
// V8's compiled code of the bundle, kept on disk (Node's compile cache, in the temporary directory unless
// NODE_COMPILE_CACHE says where): later starts skip compiling it.
module.enableCompileCache?.();
await import(cli.href);
