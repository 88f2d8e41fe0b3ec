// The entry of the single executable. Node 24's single executable applications start a CommonJS script,
// and rollscope's bundle is ESM (it awaits at top level), so this script imports the bundle, embedded as
// an asset, under the executable's own file URL: a loader hook answers that URL with the bundle's text
// (stack traces then name the executable). An error the bundle throws ends the process as an uncaught one.
import {registerHooks} from 'node:module';
import {getAsset} from 'node:sea';
import {pathToFileURL} from 'node:url';

const url = pathToFileURL(process.execPath).href;
let source: string | undefined = getAsset('rollscope.mjs', 'utf8');

registerHooks({
	resolve: (specifier, context, next) => (specifier === url ? {url, format: 'module', shortCircuit: true} : next(specifier, context)),
	load(loading, context, next) {
		if (loading !== url || source === undefined) return next(loading, context);
		const text = source;
		source = undefined;
		return {format: 'module', source: text, shortCircuit: true};
	},
});

void import(url);
