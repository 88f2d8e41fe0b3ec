// The npm package's start, dist/package/start.js (bin/rollscope.js imports it): runs the bundle beside it.
import {readFileSync} from 'node:fs';
import {fileURLToPath} from 'node:url';
import {codeCacheDir, runBundle} from './run-bundle.js';

// rollscope.cjs: bundleName in bundles.ts.
const filename = fileURLToPath(new URL('rollscope.cjs', import.meta.url));
// The bundle is ASCII (bundles.ts): read as Latin-1, it is not checked as UTF-8, and V8 keeps it at a byte a character.
runBundle({source: readFileSync(filename, 'latin1'), filename, cacheDir: codeCacheDir()});
