import js from '@eslint/js';
import tseslint from 'typescript-eslint';

const simStandsAlone = 'The simulated cluster stands alone: source/sim imports only from source/sim, node: builtins and npm packages, never from the product it stands in for.';

/**
 * For files `depth` folders below source/sim: a relative import that climbs above source/sim (at least
 * depth + 1 leading "../", after any "./"), or that climbs back out through a folder ("x/../"), leaves the sim.
 */
function simImportRules(depth) {
	const leaves = `^(\\./)*${'(\\.\\./)'.repeat(depth + 1)}|(^|/)(?!\\.\\.?/)[^/]+/\\.\\.(/|$)|^/`;
	// A selector's regular expression ends at its first "/": spell the slashes as \x2F there.
	const literal = `/${leaves.replaceAll('/', '\\x2F')}/`;
	return {
		files: [`source/sim/${'*/'.repeat(depth)}*.{ts,tsx}`],
		rules: {
			'no-restricted-imports': ['error', {patterns: [{regex: leaves, message: simStandsAlone}]}],
			'no-restricted-syntax': [
				'error',
				{selector: `ImportExpression[source.value=${literal}]`, message: simStandsAlone},
				{selector: `TSImportType[argument.literal.value=${literal}]`, message: simStandsAlone},
			],
		},
	};
}

export default tseslint.config(
	{ignores: ['node_modules/**', 'media/**']},
	js.configs.recommended,
	...tseslint.configs.recommended,
	{
		languageOptions: {
			globals: {process: 'readonly', console: 'readonly', setTimeout: 'readonly', clearTimeout: 'readonly', setInterval: 'readonly', clearInterval: 'readonly', setImmediate: 'readonly', Buffer: 'readonly', URL: 'readonly', AbortController: 'readonly'},
		},
		rules: {
			'@typescript-eslint/no-explicit-any': 'off',
			'@typescript-eslint/no-unused-vars': ['error', {argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none'}],
			'no-control-regex': 'off',
			eqeqeq: ['error', 'smart'],
			'prefer-const': 'error',
		},
	},
	...[0, 1, 2, 3].map(simImportRules),
);
