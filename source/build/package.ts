// `npm run build`: the npm package's JavaScript in dist/package (bin/rollscope.js runs it; no TypeScript
// loader at run time). `npm pack` runs it first (prepack).
import {statSync, readdirSync} from 'node:fs';
import {join, relative} from 'node:path';
import {bundlePackage, packageOut, repoRoot} from './bundles.js';

const started = performance.now();
await bundlePackage();

function bytes(dir: string): number {
	return readdirSync(dir, {withFileTypes: true}).reduce((sum, e) => sum + (e.isDirectory() ? bytes(join(dir, e.name)) : statSync(join(dir, e.name)).size), 0);
}
const seconds = ((performance.now() - started) / 1000).toFixed(1);
// On stderr: `npm pack --json` runs this first, and its stdout must stay JSON.
process.stderr.write(`built ${relative(repoRoot, packageOut)}/ (${(bytes(packageOut) / 1024).toFixed(0)} KiB) in ${seconds}s\n`);
