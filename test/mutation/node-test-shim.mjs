// Stands in for node:test inside the mutation runner (./node-test-runner.mjs): test(), describe() and the hooks
// only record what to run, so one process can load the test files once and run their tests for every mutant.
// A describe's body can be run again (`rebuild`), so what it computes is computed with the mutant active.

/** @typedef {{kind: 'suite', name: string, file: string, parent?: Suite, skip: boolean, fn?: Function, marker: string, id: string, children: (Suite | Test)[], before: Function[], after: Function[], beforeEach: Function[], afterEach: Function[]}} Suite */
/** @typedef {{kind: 'test', name: string, file: string, parent: Suite, skip: boolean, fn?: Function, id: string}} Test */

/** @type {Suite[]} One suite per loaded test file, in load order. */
export const files = [];
/** @type {Suite | undefined} */
let current;

let suites = 0;

function newSuite(name, file, parent, skip, fn) {
	return {kind: 'suite', name, file, parent, skip, fn, marker: `suite ${++suites}`, id: '', children: [], before: [], after: [], beforeEach: [], afterEach: []};
}

/** What the instrumented code reads: while a top-level describe's body runs, its coverage goes to its marker. */
function strykerNamespace() {
	return (globalThis.__stryker__ ??= {});
}

/** The suite a test file's top-level calls go to, until `endFile`. */
export function beginFile(file) {
	current = newSuite(file, file, undefined, false);
	files.push(current);
}

export function endFile() {
	current = undefined;
}

function here(what) {
	if (!current) throw new Error(`${what}() called outside a test file's loading: the mutation runner cannot place it`);
	return current;
}

// node:test's overloads: (name, options, fn), (name, fn), (options, fn), (fn).
function parse(args) {
	let name;
	let options = {};
	let fn;
	for (const arg of args) {
		if (typeof arg === 'string') name = arg;
		else if (typeof arg === 'function') fn = arg;
		else if (arg && typeof arg === 'object') options = arg;
	}
	const skip = Boolean(options.skip || options.todo) || fn === undefined;
	return {name: name ?? fn?.name ?? '<anonymous>', skip, fn};
}

export function describe(...args) {
	const parent = here('describe');
	const {name, skip, fn} = parse(args);
	const suite = newSuite(name, parent.file, parent, skip || parent.skip, fn);
	parent.children.push(suite);
	const ns = strykerNamespace();
	const test = ns.currentTestId;
	if (!parent.parent) ns.currentTestId = suite.marker;
	try {
		fill(suite);
	} finally {
		ns.currentTestId = test;
	}
}

function fill(suite) {
	const parent = current;
	current = suite;
	try {
		const result = suite.fn?.();
		if (result && typeof result.then === 'function') throw new Error(`describe('${suite.name}') is async: the mutation runner registers tests synchronously`);
	} finally {
		current = parent;
	}
}

/** Runs a describe's body again: its tests and hooks anew, computed with whatever mutant is active now. */
export function rebuild(suite) {
	Object.assign(suite, {children: [], before: [], after: [], beforeEach: [], afterEach: []});
	fill(suite);
}

export function test(...args) {
	const parent = here('test');
	const {name, skip, fn} = parse(args);
	parent.children.push({kind: 'test', name, file: parent.file, parent, skip: skip || parent.skip, fn, id: ''});
}

export const it = test;
export const suite = describe;
export const before = fn => here('before').before.push(fn);
export const after = fn => here('after').after.push(fn);
export const beforeEach = fn => here('beforeEach').beforeEach.push(fn);
export const afterEach = fn => here('afterEach').afterEach.push(fn);

export default test;
