// Mutation testing of the pure core (traffic, release, verdict, the planners of actions) with StrykerJS:
// `npm run test:mutation`. The tests run in process (./node-test-runner.mjs); each mutant runs those that reach it.

/** @type {import('@stryker-mutator/api/core').PartialStrykerOptions} */
export default {
	testRunner: 'node-test',
	appendPlugins: ['./test/mutation/node-test-runner.mjs'],
	testRunnerNodeArgs: ['--import', 'tsx'],
	coverageAnalysis: 'perTest',
	concurrency: 2,
	mutate: [
		'source/traffic/*.ts',
		'source/release/*.ts',
		'source/verdict/*.ts',
		'!source/verdict/window-source.ts',
		'source/actions/*.ts',
		'!source/actions/execute.ts',
		'!source/actions/access.ts',
	],
	nodeTest: {
		testFiles: [
			'test/traffic/*.test.ts',
			'test/release/*.test.ts',
			'test/verdict/*.test.ts',
			'test/actions/*.test.ts',
			// Those that start a sim: too slow to run for each mutant, and not unit tests of the planners.
			'!test/actions/*-sim.test.ts',
			'!test/actions/{auto-advance,versions}.test.ts',
			'test/kinds/registry.test.ts',
			'test/cases.test.ts',
		],
	},
	ignorePatterns: ['dist', 'media', '.ci', 'test/bench'],
	reporters: ['clear-text', 'progress', 'json'],
	jsonReporter: {fileName: 'reports/mutation/mutation.json'},
	tempDirName: '.stryker-tmp',
	cleanTempDir: 'always',
};
