// The entry of the single executable: runs the bundle (bundles.ts), embedded as an asset, as the package's start
// runs it from its file, under the executable's own name (stack traces then name the executable).
import {getRawAsset} from 'node:sea';
import {codeCacheDir, runBundle} from './run-bundle.js';

runBundle({source: Buffer.from(getRawAsset('rollscope.cjs')).toString('latin1'), filename: process.execPath, cacheDir: codeCacheDir()});
