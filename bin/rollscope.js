#!/bin/sh
':' /*
export MALLOC_ARENA_MAX="${MALLOC_ARENA_MAX:-1}"
exec node "$0" "$@"
*/
// The installed command, a shell script and an ES module in one file. /bin/sh reads the lines above: it
// starts Node on this file with glibc's malloc held to one arena (unless MALLOC_ARENA_MAX says otherwise).
// By default glibc gives each of Node's worker threads an arena of its own, and memory freed there stays
// with the process: about 15 MB of a view's 135 MB. Node reads the lines above as a directive and a comment.
//
// Below: runs the compiled bundle that `npm run build` writes to dist/package.
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
