// The last resort: an uncaught error restores the terminal first, then prints one line with where the full
// report is; output whose reader left (EPIPE) ends the run quietly.
import assert from 'node:assert/strict';
import {spawn} from 'node:child_process';
import {existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {after, test} from 'node:test';
import {crashLine, isClosedOutput} from '../../source/commands/crash.js';
import {repoRoot} from '../helpers/tmux.js';

const dir = mkdtempSync(join(tmpdir(), 'rollscope-crash-'));
after(() => rmSync(dir, {recursive: true, force: true}));

type Run = {code: number | null; stdout: string; stderr: string};

/** Run a small program that installs the crash handler, then does `body`. */
function program(name: string, body: string, onStdout?: (child: ReturnType<typeof spawn>) => void): Promise<Run> {
	const file = join(dir, `${name}.ts`);
	writeFileSync(file, `import {installCrashHandler, onCrashRestore} from ${JSON.stringify(join(repoRoot, 'source/commands/crash.ts'))};\ninstallCrashHandler(['deploy/x', '--once']);\n${body}\n`);
	const child = spawn(process.execPath, ['--import', 'tsx', file], {cwd: repoRoot, env: {...process.env, TMPDIR: dir}, stdio: ['ignore', 'pipe', 'pipe']});
	const run: Run = {code: null, stdout: '', stderr: ''};
	child.stdout!.on('data', d => (run.stdout += String(d)));
	child.stderr!.on('data', d => (run.stderr += String(d)));
	onStdout?.(child);
	return new Promise(resolve => child.on('exit', code => resolve({...run, code})));
}

test('an uncaught error: the terminal restored first, one line, the report in a file only the user reads', async () => {
	const r = await program('throws', "onCrashRestore(() => process.stdout.write('restored\\n'));\nsetTimeout(() => { throw new Error('boom\\nsecond line'); }, 10);");
	assert.equal(r.code, 1);
	assert.equal(r.stdout, 'restored\n');
	const m = /^rollscope: crashed: boom \(full report: (\S+)\)\n$/.exec(r.stderr);
	assert.ok(m, r.stderr);
	assert.ok(m[1]!.startsWith(dir));
	const report = readFileSync(m[1]!, 'utf8');
	assert.match(report, /command: rollscope deploy\/x --once/);
	assert.match(report, /Error: boom\nsecond line\n\s+at /);
	assert.equal(statSync(m[1]!).mode & 0o777, 0o600);
});

test('an unhandled rejection is a crash the same way', async () => {
	const r = await program('rejects', "void Promise.reject(new TypeError('nope'));");
	assert.equal(r.code, 1);
	assert.match(r.stderr, /^rollscope: crashed: nope \(full report: \S+\)\n$/);
});

test('output whose reader left (EPIPE) ends quietly with 0', async () => {
	const r = await program('pipe', "setInterval(() => process.stdout.write('x'.repeat(4096) + '\\n'), 1);", child => {
		child.stdout!.once('data', () => child.stdout!.destroy());
	});
	assert.equal(r.code, 0, r.stderr);
	assert.equal(r.stderr, '');
});

test('crashLine: one line, the report named; closed output is told apart', () => {
	assert.equal(crashLine(new Error('a\nb'), '/tmp/r.txt'), 'rollscope: crashed: a (full report: /tmp/r.txt)');
	assert.equal(crashLine('odd', undefined), 'rollscope: crashed: odd');
	assert.ok(isClosedOutput(Object.assign(new Error('write EIO'), {code: 'EIO'})));
	assert.ok(isClosedOutput(Object.assign(new Error('write EPIPE'), {code: 'EPIPE'})));
	assert.ok(!isClosedOutput(new Error('boom')));
	assert.ok(!existsSync(join(dir, 'nothing')));
});
