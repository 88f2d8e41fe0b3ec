// The shape of source/: no import cycles; imports flow one way between folders (a folder imports only
// those below it, ARCHITECTURE.md draws the order); the sim stands alone and only the demo and sim
// commands reach it; and nothing outside source/kinds branches on the kind of release.
import assert from 'node:assert/strict';
import {readdirSync, readFileSync, statSync} from 'node:fs';
import {dirname, join, relative, resolve} from 'node:path';
import {test} from 'node:test';
import ts from 'typescript';
import {repoRoot} from './helpers/tmux.js';

const source = join(repoRoot, 'source');

function walk(dir: string, out: string[] = []): string[] {
	for (const entry of readdirSync(dir)) {
		const path = join(dir, entry);
		if (statSync(path).isDirectory()) walk(path, out);
		else if (/\.tsx?$/.test(entry)) out.push(path);
	}
	return out;
}

const files = walk(source);
const rel = (file: string) => relative(source, file);

/** The files of source/ a file imports (static, dynamic and type-only), by path relative to source/. */
function importsOf(file: string): string[] {
	const text = readFileSync(file, 'utf8');
	const out: string[] = [];
	for (const m of text.matchAll(/(?:from\s+|import\(\s*|import\s+)'(\.{1,2}\/[^']+)'/g)) {
		const base = resolve(dirname(file), m[1]!.replace(/\.js$/, ''));
		const target = [`${base}.ts`, `${base}.tsx`].find(p => files.includes(p));
		if (target) out.push(rel(target));
	}
	return out;
}

export const graph = new Map(files.map(f => [rel(f), importsOf(f)]));

/** Strongly connected components with more than one module (or a module importing itself). */
export function cycles(g: Map<string, string[]>): string[][] {
	let index = 0;
	const stack: string[] = [];
	const on = new Set<string>();
	const idx = new Map<string, number>();
	const low = new Map<string, number>();
	const found: string[][] = [];
	const visit = (v: string) => {
		idx.set(v, index);
		low.set(v, index++);
		stack.push(v);
		on.add(v);
		for (const w of g.get(v) ?? []) {
			if (!idx.has(w)) {
				visit(w);
				low.set(v, Math.min(low.get(v)!, low.get(w)!));
			} else if (on.has(w)) low.set(v, Math.min(low.get(v)!, idx.get(w)!));
		}
		if (low.get(v) === idx.get(v)) {
			const scc: string[] = [];
			let w: string;
			do {
				w = stack.pop()!;
				on.delete(w);
				scc.push(w);
			} while (w !== v);
			if (scc.length > 1 || (g.get(v) ?? []).includes(v)) found.push(scc.sort());
		}
	};
	for (const v of g.keys()) if (!idx.has(v)) visit(v);
	return found;
}

/** The folders of source/ from the bottom up: each may import its own and those before it, never those after. */
export const flow = ['kube', 'traffic', 'release', 'actions', 'text', 'kinds', 'metrics', 'verdict', 'store', 'history', 'live', 'ui', 'config', 'commands', '.'];

const folderOf = (path: string) => (path.includes('/') ? path.slice(0, path.indexOf('/')) : '.');

export function againstTheFlow(g: Map<string, string[]>): string[] {
	const wrong: string[] = [];
	for (const [from, targets] of g) {
		const a = folderOf(from);
		for (const to of targets) {
			const b = folderOf(to);
			if (a === b) continue;
			if (a === 'build' || b === 'build') {
				// The build scripts stand apart: they bundle the product, they do not import it, nor it them.
				wrong.push(`${from} -> ${to}`);
				continue;
			}
			if (a === 'sim' || b === 'sim') {
				// Only the demo and sim commands reach the sim (the sim itself stands alone: see eslint.config.js).
				if (a !== 'sim' && !['commands/demo.tsx', 'commands/sim.ts', 'commands/metrics-setup.ts', 'commands/sim-slis.ts'].includes(from)) wrong.push(`${from} -> ${to}`);
				if (a === 'sim') wrong.push(`${from} -> ${to}`);
				continue;
			}
			const ra = flow.indexOf(a);
			const rb = flow.indexOf(b);
			if (ra < 0 || rb < 0 || rb > ra) wrong.push(`${from} -> ${to}`);
		}
	}
	return wrong;
}

test('no import cycles in source/', () => {
	assert.deepEqual(cycles(graph), []);
});

test('imports flow one way between the folders of source/; only the demo and sim commands reach the sim', () => {
	assert.deepEqual(againstTheFlow(graph), []);
});

test('the checks fail on a cycle and on an import against the flow', () => {
	const g = new Map([
		['release/a.ts', ['release/b.ts']],
		['release/b.ts', ['release/a.ts', 'ui/App.tsx']],
		['ui/App.tsx', []],
		['metrics/setup.ts', ['sim/cluster.ts']],
	]);
	assert.deepEqual(cycles(g), [['release/a.ts', 'release/b.ts']]);
	assert.deepEqual(againstTheFlow(g), ['release/b.ts -> ui/App.tsx', 'metrics/setup.ts -> sim/cluster.ts']);
});

/**
 * Places outside source/kinds that branch on the kind of release: a comparison or a switch on a value whose
 * type holds only kinds of release, or a record keyed by the kind. Returns `file:line: text` for each.
 */
export function kindSwitches(paths: string[], allowed: (file: string) => boolean): string[] {
	const program = ts.createProgram(paths, {strict: true, jsx: ts.JsxEmit.ReactJSX, module: ts.ModuleKind.NodeNext, moduleResolution: ts.ModuleResolutionKind.NodeNext, target: ts.ScriptTarget.ES2023, skipLibCheck: true, noEmit: true});
	const checker = program.getTypeChecker();
	const model = program.getSourceFile(join(source, 'release/model.ts'))!;
	const kindAlias = model.statements.find((s): s is ts.TypeAliasDeclaration => ts.isTypeAliasDeclaration(s) && s.name.text === 'ReleaseKind')!;
	const kinds = new Set((checker.getTypeAtLocation(kindAlias.name) as ts.UnionType).types.map(t => (t as ts.StringLiteralType).value));
	const onlyKinds = (node: ts.Node) => {
		const type = checker.getTypeAtLocation(node);
		const parts = type.isUnion() ? type.types : [type];
		const literals = parts.filter(t => t.isStringLiteral()).map(t => (t as ts.StringLiteralType).value);
		// A literal alone ('canary') is also a role; it counts when the other side holds only kinds.
		return literals.length === parts.length && literals.length > 1 && literals.every(l => kinds.has(l));
	};
	const found: string[] = [];
	for (const file of program.getSourceFiles()) {
		if (!paths.includes(file.fileName) || allowed(file.fileName)) continue;
		const note = (node: ts.Node) => {
			const {line} = file.getLineAndCharacterOfPosition(node.getStart());
			found.push(`${relative(repoRoot, file.fileName)}:${line + 1}: ${node.getText().slice(0, 80)}`);
		};
		const visit = (node: ts.Node) => {
			if (ts.isBinaryExpression(node) && [ts.SyntaxKind.EqualsEqualsEqualsToken, ts.SyntaxKind.ExclamationEqualsEqualsToken, ts.SyntaxKind.EqualsEqualsToken, ts.SyntaxKind.ExclamationEqualsToken].includes(node.operatorToken.kind)) {
				// Looking a kind up (`spec.kind === kind`) is not a branch; comparing it with a kind's name is.
				const literal = (n: ts.Expression) => ts.isStringLiteral(n) && kinds.has(n.text);
				if ((literal(node.right) && onlyKinds(node.left)) || (literal(node.left) && onlyKinds(node.right))) note(node);
			} else if (ts.isSwitchStatement(node) && onlyKinds(node.expression)) {
				note(node.expression);
			} else if (ts.isTypeReferenceNode(node) && node.typeName.getText() === 'Record' && node.typeArguments?.[0] && onlyKinds(node.typeArguments[0])) {
				note(node);
			}
			ts.forEachChild(node, visit);
		};
		visit(file);
	}
	return found;
}

/** The registry, the model that names the kinds, and the sim (which has scenarios of its own, not rollscope's kinds). */
const inKinds = (file: string) => ['kinds', 'sim'].some(d => file.startsWith(join(source, d) + '/')) || file === join(source, 'release/model.ts');

test('nothing outside source/kinds branches on the kind of release', () => {
	assert.deepEqual(kindSwitches(files, inKinds), []);
});

test('the kind check finds a comparison, a switch and a record keyed by the kind', () => {
	const probe = join(source, 'release/model.ts');
	const fixture = join(repoRoot, 'test/testdata/kind-switch.ts');
	const found = kindSwitches([probe, fixture], file => file === probe);
	assert.deepEqual(found.map(f => f.replace(/:\d+:/, ':')), [
		"test/testdata/kind-switch.ts: release.kind === 'rolling'",
		'test/testdata/kind-switch.ts: kind',
		'test/testdata/kind-switch.ts: Record<ReleaseKind, string>',
	]);
});
