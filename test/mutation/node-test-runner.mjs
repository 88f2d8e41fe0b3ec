// A StrykerJS test runner for node:test files that runs them in its own process: the files load once (node:test
// replaced by ./node-test-shim.mjs) and each mutant runs only the tests that reach it, without a process per run.

import {globSync} from 'node:fs';
import {registerHooks} from 'node:module';
import {resolve} from 'node:path';
import {performance} from 'node:perf_hooks';
import {pathToFileURL} from 'node:url';
import {INSTRUMENTER_CONSTANTS as ID} from '@stryker-mutator/api/core';
import {commonTokens, declareClassPlugin, PluginKind, tokens} from '@stryker-mutator/api/plugin';
import {determineHitLimitReached, DryRunStatus, MutantRunStatus, TestStatus, toMutantRunResult} from '@stryker-mutator/api/test-runner';
import * as shim from './node-test-shim.mjs';

const shimUrl = new URL('./node-test-shim.mjs', import.meta.url).href;

/** What the instrumented code reads and writes: the active mutant, the test being run, the coverage, the hit count. */
function namespace() {
	return (globalThis[ID.NAMESPACE] ??= {});
}

function message(error) {
	return error instanceof Error ? (error.stack ?? error.message) : String(error);
}

class NodeTestRunner {
	static inject = tokens(commonTokens.options, commonTokens.logger);
	/** @type {string[]} */
	files = [];
	loaded = false;
	/** @type {import('./node-test-shim.mjs').Test[]} */

	constructor(options, log) {
		this.options = options;
		this.log = log;
	}

	capabilities() {
		// Module-level code runs once per process: a static mutant needs a fresh one, which Stryker then starts.
		return {reloadEnvironment: false};
	}

	async init() {
		const patterns = this.options.nodeTest?.testFiles ?? ['test/**/*.test.ts'];
		const excluded = new Set(patterns.filter(p => p.startsWith('!')).flatMap(p => globSync(p.slice(1))));
		const included = patterns.filter(p => !p.startsWith('!')).flatMap(p => globSync(p));
		this.files = [...new Set(included)].filter(file => !excluded.has(file)).sort().map(file => resolve(file));
		if (this.files.length === 0) throw new Error(`nodeTest.testFiles (${patterns.join(', ')}) matches no file in ${process.cwd()}`);
		registerHooks({
			resolve: (specifier, context, next) => (specifier === 'node:test' || specifier === 'test' ? {url: shimUrl, shortCircuit: true} : next(specifier, context)),
		});
	}

	async load() {
		const ns = namespace();
		ns[ID.CURRENT_TEST_ID] = undefined;
		for (const file of this.files) {
			shim.beginFile(file);
			try {
				await import(pathToFileURL(file).href);
			} finally {
				shim.endFile();
			}
		}
		this.loaded = true;
		for (const file of shim.files) this.name(file, file.file.slice(process.cwd().length + 1));
	}

	/** Ids from the names, `file > describe > test`, numbered where siblings share a name. */
	name(suite, id) {
		suite.id = id;
		const seen = new Map();
		for (const child of suite.children) {
			const name = `${id} > ${child.name}`;
			const n = (seen.get(name) ?? 0) + 1;
			seen.set(name, n);
			if (child.kind === 'suite') this.name(child, n > 1 ? `${name} #${n}` : name);
			else child.id = n > 1 ? `${name} #${n}` : name;
		}
	}

	/** The coverage of a top-level describe's body goes to each of its tests, which run it again (`rebuild`). */
	spread(coverage) {
		const testsOf = suite => suite.children.flatMap(child => (child.kind === 'suite' ? testsOf(child) : [child]));
		for (const file of shim.files) {
			for (const suite of file.children) {
				if (suite.kind !== 'suite') continue;
				const hits = coverage.perTest[suite.marker];
				delete coverage.perTest[suite.marker];
				if (!hits) continue;
				for (const test of testsOf(suite)) {
					const into = (coverage.perTest[test.id] ??= {});
					for (const [mutant, count] of Object.entries(hits)) into[mutant] = (into[mutant] ?? 0) + count;
				}
			}
		}
		return coverage;
	}

	async dryRun(options) {
		const ns = namespace();
		ns[ID.ACTIVE_MUTANT] = undefined;
		try {
			await this.load();
		} catch (error) {
			return {status: DryRunStatus.Error, errorMessage: `loading the test files: ${message(error)}`};
		}
		const tests = await this.run(undefined, {bail: false, coverage: true});
		const coverage = this.spread(JSON.parse(JSON.stringify(ns[ID.MUTATION_COVERAGE_OBJECT] ?? {static: {}, perTest: {}})));
		// Each mutant runs some of these tests after others in this same process: each must pass again, in any order.
		if (tests.every(test => test.status !== TestStatus.Failed)) {
			const again = await this.run(undefined, {bail: false, coverage: false, reverse: true});
			const failed = again.filter(test => test.status === TestStatus.Failed);
			if (failed.length > 0) {
				return {
					status: DryRunStatus.Error,
					errorMessage: `passed once, then failed when run again in reverse order (state left by a test?): ${failed.map(test => `${test.id}: ${test.failureMessage}`).join('\n')}`,
				};
			}
		}
		return {status: DryRunStatus.Complete, tests, mutantCoverage: options.coverageAnalysis === 'off' ? undefined : coverage};
	}

	async mutantRun(options) {
		const ns = namespace();
		const mutant = options.activeMutant.id;
		if (!this.loaded) {
			// A static mutant acts while the modules load: it is active before they do.
			ns[ID.ACTIVE_MUTANT] = options.mutantActivation === 'static' ? mutant : undefined;
			try {
				await this.load();
			} catch (error) {
				ns[ID.ACTIVE_MUTANT] = undefined;
				return {status: MutantRunStatus.Killed, failureMessage: `the test files do not load: ${message(error)}`, killedBy: [], nrOfTests: 0};
			}
		}
		ns[ID.ACTIVE_MUTANT] = mutant;
		if (options.hitLimit === undefined) {
			delete ns[ID.HIT_LIMIT];
			delete ns[ID.HIT_COUNT];
		} else {
			ns[ID.HIT_LIMIT] = options.hitLimit;
			ns[ID.HIT_COUNT] = 0;
		}
		let tests;
		try {
			tests = await this.run(options.testFilter && new Set(options.testFilter), {bail: !options.disableBail, coverage: false});
		} finally {
			ns[ID.ACTIVE_MUTANT] = undefined;
		}
		const limit = determineHitLimitReached(ns[ID.HIT_COUNT], ns[ID.HIT_LIMIT]);
		delete ns[ID.HIT_LIMIT];
		delete ns[ID.HIT_COUNT];
		return toMutantRunResult(limit ?? {status: DryRunStatus.Complete, tests});
	}

	/** Runs the tests in `wanted` (all when undefined) in load order, or the reverse, with their suites' hooks. */
	async run(wanted, {bail, coverage, reverse = false}) {
		const results = [];
		const selected = test => wanted === undefined || wanted.has(test.id);
		const ns = namespace();
		const order = items => (reverse ? [...items].reverse() : items);
		const testsOf = suite => suite.children.flatMap(child => (child.kind === 'suite' ? testsOf(child) : selected(child) ? [child] : []));
		const fail = (test, error, started) => ({id: test.id, name: test.id, status: TestStatus.Failed, failureMessage: message(error), timeSpentMs: performance.now() - started, fileName: test.file});

		const runTest = async test => {
			const started = performance.now();
			if (test.skip) return {id: test.id, name: test.id, status: TestStatus.Skipped, timeSpentMs: 0, fileName: test.file};
			if (coverage) ns[ID.CURRENT_TEST_ID] = test.id;
			const chain = [];
			for (let suite = test.parent; suite; suite = suite.parent) chain.unshift(suite);
			const afters = [];
			let skipped = false;
			const context = {
				name: test.name,
				signal: new AbortController().signal,
				diagnostic() {},
				skip() {
					skipped = true;
				},
				todo() {},
				after: fn => afters.push(fn),
				test() {
					throw new Error('subtests (t.test) are not supported by the mutation runner');
				},
			};
			try {
				for (const suite of chain) for (const hook of suite.beforeEach) await hook(context);
				if (test.fn.length >= 2) await new Promise((done, failed) => test.fn(context, error => (error ? failed(error) : done())));
				else await test.fn(context);
				for (const suite of chain.reverse()) for (const hook of suite.afterEach) await hook(context);
				for (const hook of afters) await hook(context);
				return {id: test.id, name: test.id, status: skipped ? TestStatus.Skipped : TestStatus.Success, timeSpentMs: performance.now() - started, fileName: test.file};
			} catch (error) {
				return fail(test, error, started);
			} finally {
				ns[ID.CURRENT_TEST_ID] = undefined;
			}
		};

		/** False when a failure stops the run. */
		const runSuite = async suite => {
			const top = suite.parent && !suite.parent.parent;
			if (top) {
				if (wanted !== undefined && ![...wanted].some(id => id.startsWith(`${suite.id} > `))) return true;
				// The body again, with the mutant active: what it computes for its tests is computed anew.
				const before = new Set(testsOf(suite).map(test => test.id));
				ns[ID.CURRENT_TEST_ID] = coverage ? suite.marker : undefined;
				try {
					shim.rebuild(suite);
				} catch (error) {
					for (const id of before) results.push({id, name: id, status: TestStatus.Failed, failureMessage: `its describe fails: ${message(error)}`, timeSpentMs: 0});
					return !bail;
				} finally {
					ns[ID.CURRENT_TEST_ID] = undefined;
				}
				this.name(suite, suite.id);
				const after = new Set(testsOf(suite).map(test => test.id));
				const gone = [...before].filter(id => !after.has(id));
				if (gone.length > 0) {
					for (const id of gone) results.push({id, name: id, status: TestStatus.Failed, failureMessage: 'this test is no longer declared: its describe computes other tests', timeSpentMs: 0});
					if (bail) return false;
				}
			}
			const tests = testsOf(suite);
			if (tests.length === 0) return true;
			if (coverage) ns[ID.CURRENT_TEST_ID] = tests[0].id;
			const started = performance.now();
			try {
				for (const hook of suite.before) await hook();
			} catch (error) {
				for (const test of tests) results.push(fail(test, error, started));
				return !bail;
			} finally {
				ns[ID.CURRENT_TEST_ID] = undefined;
			}
			try {
				for (const child of order(suite.children)) {
					if (child.kind === 'suite') {
						if (!(await runSuite(child))) return false;
					} else if (selected(child)) {
						const result = await runTest(child);
						results.push(result);
						if (bail && result.status === TestStatus.Failed) return false;
					}
				}
				return true;
			} finally {
				for (const hook of suite.after) await hook();
			}
		};

		for (const file of order(shim.files)) if (!(await runSuite(file))) break;
		return results;
	}
}

export const strykerPlugins = [declareClassPlugin(PluginKind.TestRunner, 'node-test', NodeTestRunner)];

export const strykerValidationSchema = {
	$schema: 'http://json-schema.org/draft-07/schema#',
	type: 'object',
	properties: {
		nodeTest: {
			type: 'object',
			description: 'The node-test runner of test/mutation/node-test-runner.mjs.',
			properties: {testFiles: {type: 'array', items: {type: 'string'}, description: 'Globs of the test files, from the project root; a glob starting with ! leaves files out.'}},
			additionalProperties: false,
		},
	},
};
