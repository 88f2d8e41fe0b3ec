// The terminal contract in a real terminal (tmux): resizes at any rate settle to the picture a fresh start
// draws; every character keeps the borders and columns in place; Ctrl-Z and kill -TSTP give the terminal
// back and fg takes it again with working keys; NO_COLOR sends no colour; a closed terminal ends quietly.
import assert from 'node:assert/strict';
import {existsSync, mkdtempSync, readFileSync, rmSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {execFileSync} from 'node:child_process';
import {after, before, describe, test} from 'node:test';
import {kubectlOk, startTestSim, waitFor, type TestSim} from '../helpers/sim.js';
import {cliCommand, Terminal} from '../helpers/tmux.js';

const target = 'deploy/checkout-canary -n canary';

/** Open the view and wait until it is live with the release on screen. */
async function openView(t: TestSim, options: {width: number; height: number; env?: Record<string, string>; shell?: boolean}, args = target): Promise<Terminal> {
	const term = new Terminal(cliCommand(args), {width: options.width, height: options.height, shell: options.shell, env: {KUBECONFIG: t.kubeconfigPath, ...options.env}});
	try {
		await term.waitFor(/● live/, 40_000);
		await term.waitFor(/CANARY/, 20_000);
	} catch (error) {
		term.kill();
		throw error;
	}
	return term;
}

/** A screen with what moves with the clock (numbers, ages) masked and runs of blanks made one. */
const normal = (screen: string) =>
	screen
		.split('\n')
		// The weight row's sparkline grows with the view's age: only its value counts.
		.map(line => line.replace(/\d+(?:[smhd]\b)?/g, '#').replace(/(│ wt\s+)[▁▂▃▄▅▆▇█]+/g, '$1').replace(/\s+/g, ' ').trimEnd())
		.join('\n')
		.trimEnd();

/** A small seeded generator, so a failing run can be replayed. */
function random(seed: number): () => number {
	let s = seed >>> 0;
	return () => {
		s = (s * 1664525 + 1013904223) >>> 0;
		return s / 2 ** 32;
	};
}

describe('the view in a real terminal', () => {
	let t: TestSim;
	before(async () => {
		t = await startTestSim({scenario: 'canary', speed: 1});
	});
	after(async () => {
		await t.stop();
	});

	test('rapid resizes (random sizes at 10 Hz) settle to what a fresh start at the final size draws', async () => {
		// Storm after storm in one view (without the redraw after resizes, about one in three left stale rows).
		const resized = await openView(t, {width: 120, height: 40});
		try {
			for (const seed of [1, 2, 5, 6]) {
				const next = random(seed);
				const storm = Array.from({length: 20}, () => ({width: 40 + Math.floor(next() * 120), height: 12 + Math.floor(next() * 38)}));
				const final = storm.at(-1)!;
				const fresh = await openView(t, final);
				try {
					for (const {width, height} of storm) {
						resized.resize(width, height);
						await new Promise(r => setTimeout(r, 100));
					}
					let last = '';
					try {
						await waitFor('the resized view to match a fresh one', () => {
							last = normal(resized.screen());
							return last === normal(fresh.screen());
						}, 5000, 100);
					} catch {
						assert.equal(last, normal(fresh.screen()), `seed ${seed}, final size ${final.width}x${final.height}`);
					}
				} finally {
					fresh.kill();
				}
			}
		} finally {
			resized.kill();
		}
	});

	test('line separators, emoji, CJK, combining and zero-width characters keep every border and column in place', async () => {
		await kubectlOk(t, ['-n', 'canary', 'annotate', 'deploy/checkout-canary', 'kubernetes.io/change-cause=cause\u2028with 日本 sep 👍🏽 and\u200bzero', '--overwrite']);
		await kubectlOk(t, ['-n', 'canary', 'set', 'image', 'deploy/checkout-canary', 'checkout=registry.local/checkout:1.5-❤️-中文-e\u0301\u200b']);
		const term = await openView(t, {width: 150, height: 45});
		try {
			const screen = await term.waitFor(/cause with 日本 sep 👍/, 30_000);
			await term.waitFor(/CANARY 1\.5-❤-中文-e\u0301/);
			const lines = term.screen().split('\n');
			assert.ok(!screen.includes('\u2028') && !screen.includes('\u200b') && !screen.includes('\ufe0f'), 'separators, zero-width characters and selectors are gone');
			// The panels: every row has its │ where the corners of the top border are.
			const top = lines.findIndex(l => l.includes('┌'));
			const bottom = lines.findIndex((l, i) => i > top && l.includes('└'));
			assert.ok(top >= 0 && bottom > top + 2, screen);
			const corners = columnsOf(lines[top]!, /[┌┐]/);
			assert.equal(corners.length, 4, lines[top]);
			for (let i = top + 1; i < bottom; i++) assert.deepEqual(columnsOf(lines[i]!, /│/), corners, `row ${i}: ${lines[i]}`);
			assert.deepEqual(columnsOf(lines[bottom]!, /[└┘]/), corners);
			// The revisions: each row's age and pods stand under AGE and PODS.
			const header = lines.findIndex(l => /CHANGE-CAUSE +AGE +PODS/.test(l));
			assert.ok(header > 0, screen);
			const [age, pods] = [columnOfText(lines[header]!, ' AGE ') + 1, columnOfText(lines[header]!, ' PODS') + 1];
			const rows = lines.slice(header + 1).filter((l, i, all) => all.slice(0, i + 1).every(r => !/^ EVENTS|^ ?▸?EVENTS/.test(r)) && /^ [ ›] *\d+ +/.test(l));
			assert.ok(rows.some(r => r.includes('cause with 日本')), rows.join('\n'));
			for (const row of rows) {
				assert.match(textAtColumn(row, age), /^\d+[smhd] /, `AGE of: ${row}`);
				assert.match(textAtColumn(row, pods), /^\d+$/, `PODS of: ${row}`);
			}
		} finally {
			term.kill();
		}
	});

	test('Ctrl-Z suspends to the shell; fg brings the view back with working keys; kill -TSTP does the same', async () => {
		const term = await openView(t, {width: 120, height: 40, shell: true});
		try {
			for (const [round, stop] of (['keys', 'signal'] as const).entries()) {
				if (stop === 'keys') term.keys('C-z');
				else execFileSync('kill', ['-TSTP', viewPid(term)]);
				// The primary screen keeps what the shell wrote in earlier rounds: wait for this round's job report
				// and this round's echo, else a line typed before the shell has the terminal back passes unread.
				await term.waitFor(new RegExp(Array.from({length: round + 1}, () => 'Stopped').join('[\\s\\S]*')));
				await waitFor('the primary screen and a visible cursor', () => term.display('#{alternate_on} #{cursor_flag}') === '0 1', 5000, 100);
				// The shell reads a line again: the terminal is back in cooked mode.
				term.keys('-l', `echo shell-${stop}-$((6*7))`);
				term.keys('Enter');
				await term.waitFor(new RegExp(`shell-${stop}-42`));
				term.keys('-l', 'fg');
				term.keys('Enter');
				await term.waitFor(/● live/);
				await waitFor('the alternate screen again', () => term.display('#{alternate_on}') === '1', 5000, 100);
				await term.waitFor(/CANARY/);
				// Keys work after fg: raw mode is back.
				term.keys('?');
				await term.waitFor(/HELP/);
				term.keys('Escape');
				await term.waitFor(/▸PODS/);
			}
			term.keys('q');
			await waitFor('the primary screen and a visible cursor', () => term.display('#{alternate_on} #{cursor_flag}') === '0 1', 10_000, 100);
			// Typed as soon as the screen is back, while the view may still be closing its watches: the line is
			// the shell's (the view stops reading the terminal when it ends). A job stopped once is no longer
			// part of the line it was typed in: ask the shell for its status.
			term.keys('-l', 'echo "[view exited $?]"');
			term.keys('Enter');
			await term.waitFor(/\[view exited 0\]/);
		} finally {
			term.kill();
		}
	});

	test('NO_COLOR=1 sends no SGR sequence at all (without it the view has colours)', async () => {
		const plain = await openView(t, {width: 120, height: 40, env: {NO_COLOR: '1'}});
		const coloured = await openView(t, {width: 120, height: 40});
		try {
			await plain.waitFor(/▸PODS/);
			assert.doesNotMatch(plain.screen({escapes: true}), /\x1b\[[\d;:]*m/);
			assert.match(coloured.screen({escapes: true}), /\x1b\[[\d;:]*m/);
		} finally {
			plain.kill();
			coloured.kill();
		}
	});

	test('-v 8 in the live view: the requests go to a file named on screen and on exit, the token masked', async () => {
		const term = await openView(t, {width: 140, height: 40, env: {TMPDIR: t.dir}}, `${target} -v 8`);
		try {
			const screen = await term.waitFor(/-v 8: requests logged to \S+/);
			const path = /-v 8: requests logged to (\S+)/.exec(screen)![1]!;
			assert.ok(path.startsWith(t.dir), path);
			// The release's pods are listed by its selectors once its workloads are in.
			const podList = /GET https:\/\/127\.0\.0\.1:\d+\/api\/v1\/namespaces\/canary\/pods\?\S*labelSelector=\S* 200 OK in \d+ ms/;
			let log = '';
			await waitFor('the pods listed in the log', () => podList.test((log = readFileSync(path, 'utf8'))), 15_000, 100);
			assert.match(log, /Authorization: Bearer \*\*\*/);
			assert.ok(!log.includes(t.sim.credentials.accounts.find(a => a.name === 'admin')!.token), 'the token never appears');
			term.keys('q');
			const end = await term.waitFor(/\[exited 0\]/);
			assert.ok(end.replace(/\n/g, '').includes(`the requests (-v 8) are in ${path}`), end);
		} finally {
			term.kill();
		}
	});

	test('TERM=dumb: no live view, the advice of --once, exit 2', async () => {
		const term = new Terminal(cliCommand(target), {env: {KUBECONFIG: t.kubeconfigPath, TERM: 'dumb'}});
		try {
			const screen = await term.waitFor(/\[exited \d+\]/, 30_000);
			assert.match(screen, /TERM=dumb: this terminal cannot draw the live view/);
			assert.match(screen, /\[exited 2\]/);
		} finally {
			term.kill();
		}
	});

	describe('a closed terminal ends the view quietly', () => {
		let dir: string;
		before(() => {
			dir = mkdtempSync(join(tmpdir(), 'rollscope-hangup-'));
		});
		after(() => rmSync(dir, {recursive: true, force: true}));

		const noTrace = (stderr: string) => {
			assert.doesNotMatch(stderr, /crashed|Error|\n\s+at /, stderr);
		};

		test('the shell keeps running (no SIGHUP reaches the view, its input ends): exit 129, no stack trace', async () => {
			const [err, rc] = [join(dir, 'a.err'), join(dir, 'a.rc')];
			const term = new Terminal(`trap '' HUP; ${cliCommand(target)} 2>${err}; echo $? > ${rc}`, {bare: true, env: {KUBECONFIG: t.kubeconfigPath}});
			await term.waitFor(/● live/, 40_000);
			term.kill();
			await waitFor('the view to end', () => existsSync(rc) && readFileSync(rc, 'utf8').trim() !== '', 15_000, 100);
			assert.equal(readFileSync(rc, 'utf8').trim(), '129');
			noTrace(readFileSync(err, 'utf8'));
		});

		test('the view leads the session (SIGHUP on hangup): it ends, no stack trace', async () => {
			const [err, pid] = [join(dir, 'b.err'), join(dir, 'b.pid')];
			// `cd … && exec node …`: the shell becomes the view, which leads the session.
			const command = `${cliCommand(target).replace(' && ', ` && echo $$ > ${pid} && exec `)} 2>${err}`;
			const term = new Terminal(command, {bare: true, env: {KUBECONFIG: t.kubeconfigPath}});
			await term.waitFor(/● live/, 40_000);
			const viewPid = readFileSync(pid, 'utf8').trim();
			term.kill();
			await waitFor('the view to end', () => !existsSync(`/proc/${viewPid}`), 15_000, 100);
			noTrace(readFileSync(err, 'utf8'));
		});
	});
});

/** Columns a character takes in a terminal (tmux, wcwidth): written out for the characters these tests use. */
function cellWidth(char: string): number {
	if (/\p{Mn}|\p{Me}/u.test(char)) return 0;
	return /[\u1100-\u115f\u2e80-\u303e\u3041-\u33ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7a3\uf900-\ufaff\uff00-\uff60\uffe0-\uffe6\u{1f300}-\u{1f64f}\u{1f900}-\u{1f9ff}]/u.test(char) ? 2 : 1;
}

/** The columns at which characters matching `pattern` stand on a line of the screen. */
function columnsOf(line: string, pattern: RegExp): number[] {
	const out: number[] = [];
	let column = 0;
	for (const char of line) {
		if (pattern.test(char)) out.push(column);
		column += cellWidth(char);
	}
	return out;
}

function columnOfText(line: string, text: string): number {
	const index = line.indexOf(text);
	assert.ok(index >= 0, `${text} in ${line}`);
	return [...line.slice(0, index)].reduce((sum, c) => sum + cellWidth(c), 0);
}

/** What a line holds from a column on. */
function textAtColumn(line: string, column: number): string {
	let at = 0;
	let index = 0;
	for (const char of line) {
		if (at >= column) break;
		at += cellWidth(char);
		index += char.length;
	}
	return line.slice(index);
}

/** The view's process: the foreground child of the pane's shell. */
function viewPid(term: Terminal): string {
	const shell = term.display('#{pane_pid}');
	return execFileSync('ps', ['-o', 'pid=', '--ppid', shell], {encoding: 'utf8'}).trim().split(/\s+/)[0]!;
}
