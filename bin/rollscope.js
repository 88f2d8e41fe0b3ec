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
// Below: runs the compiled bundle that `npm run build` writes to dist/package (its start.js runs rollscope.cjs,
// with V8's compiled code of an earlier start: source/build/run-bundle.ts).
import {existsSync} from 'node:fs';

const start = new URL('../dist/package/start.js', import.meta.url);
if (!existsSync(start)) {
	process.stderr.write('rollscope: dist/package/start.js is missing; in a checkout, run npm run build first (or npm run rollscope)\n');
	process.exit(2);
}
await import(start.href);
