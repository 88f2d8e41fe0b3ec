// A real terminal for end-to-end tests: tmux on a private socket, read with capture-pane.
import {execFileSync} from 'node:child_process';
import {randomBytes} from 'node:crypto';
import {fileURLToPath} from 'node:url';
import {waitFor} from './sim.js';

export const repoRoot = fileURLToPath(new URL('../..', import.meta.url));

/** The shell command that runs the CLI from this checkout with the current Node. */
export function cliCommand(args: string): string {
	return `cd ${repoRoot} && ${process.execPath} --import tsx source/cli.tsx ${args}`;
}

/** A word for sh, taken literally. */
export function singleQuoted(text: string): string {
	return `'${text.replaceAll("'", "'\\''")}'`;
}

export class Terminal {
	private readonly socket = `rollscope-test-${randomBytes(4).toString('hex')}`;
	readonly session = 'main';

	/**
	 * `command` in a new terminal; afterwards the screen says `[exited CODE]`. With `shell`, an interactive bash
	 * (job control: Ctrl-Z, fg) runs it instead, typed at its `$ ` prompt; with `bare`, the command runs alone.
	 */
	constructor(command: string, options: {width?: number; height?: number; env?: Record<string, string>; shell?: boolean; bare?: boolean} = {}) {
		const env = Object.entries({TERM: 'xterm-256color', ...(options.shell ? {PS1: '$ '} : {}), ...options.env}).map(([k, v]) => `${k}=${JSON.stringify(v)}`).join(' ');
		// Single quotes: tmux hands the line to a shell, which would expand $? in double quotes before the command ran.
		const run = options.shell ? 'bash --norc --noprofile -i' : `sh -c ${singleQuoted(options.bare ? command : command + '; echo "[exited $?]"; sleep 600')}`;
		// A person's terminal: without the CI variable a CI run sets (with it, colour libraries turn colours off).
		this.tmux(['new-session', '-d', '-s', this.session, '-x', String(options.width ?? 120), '-y', String(options.height ?? 40), `env -u CI ${env} ${run}`]);
		if (options.shell) this.tmux(['send-keys', '-t', this.session, '-l', `${command}; echo "[exited $?]"`]);
		if (options.shell) this.tmux(['send-keys', '-t', this.session, 'Enter']);
	}

	private tmux(args: string[]): string {
		return execFileSync('tmux', ['-L', this.socket, '-f', '/dev/null', ...args], {encoding: 'utf8'});
	}

	/** The screen as text; with `escapes`, with the colours and attributes as SGR sequences (capture-pane -e). */
	screen(options: {escapes?: boolean} = {}): string {
		return this.tmux(['capture-pane', '-p', ...(options.escapes ? ['-e'] : []), '-t', this.session]);
	}

	/** A tmux format about the pane: #{alternate_on}, #{cursor_flag}, #{pane_pid}… */
	display(format: string): string {
		return this.tmux(['display-message', '-p', '-t', this.session, format]).trim();
	}

	keys(...keys: string[]): void {
		this.tmux(['send-keys', '-t', this.session, ...keys]);
	}

	resize(width: number, height: number): void {
		this.tmux(['resize-window', '-t', this.session, '-x', String(width), '-y', String(height)]);
	}

	/** Wait until the screen matches; the error shows the last screen. */
	async waitFor(pattern: RegExp, timeoutMs = 15_000): Promise<string> {
		let last = '';
		try {
			return await waitFor(`screen to match ${pattern}`, () => {
				last = this.screen();
				return pattern.test(last) ? last : '';
			}, timeoutMs, 100);
		} catch {
			throw new Error(`screen never matched ${pattern}; last screen:\n${last}`);
		}
	}

	/**
	 * Wait until one screen matches every pattern: for what comes from different objects, watches or pollers,
	 * which may reach the screen a render apart. The error names the patterns the last screen missed.
	 */
	async waitForAll(patterns: RegExp[], timeoutMs = 15_000): Promise<string> {
		let last = '';
		try {
			return await waitFor(`screen to match ${patterns.join(' and ')}`, () => {
				last = this.screen();
				return patterns.every(p => p.test(last)) ? last : '';
			}, timeoutMs, 100);
		} catch {
			throw new Error(`screen never matched all of ${patterns.join(', ')}; missing ${patterns.filter(p => !p.test(last)).join(', ')} on the last screen:\n${last}`);
		}
	}

	kill(): void {
		try {
			this.tmux(['kill-server']);
		} catch {
			// already gone
		}
	}
}
