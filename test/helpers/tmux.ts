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

export class Terminal {
	private readonly socket = `rollscope-test-${randomBytes(4).toString('hex')}`;
	readonly session = 'main';

	constructor(command: string, options: {width?: number; height?: number; env?: Record<string, string>} = {}) {
		const env = Object.entries({TERM: 'xterm-256color', ...options.env}).map(([k, v]) => `${k}=${JSON.stringify(v)}`).join(' ');
		this.tmux(['new-session', '-d', '-s', this.session, '-x', String(options.width ?? 120), '-y', String(options.height ?? 40), `env ${env} sh -c ${JSON.stringify(command + '; echo "[exited $?]"; sleep 600')}`]);
	}

	private tmux(args: string[]): string {
		return execFileSync('tmux', ['-L', this.socket, '-f', '/dev/null', ...args], {encoding: 'utf8'});
	}

	screen(): string {
		return this.tmux(['capture-pane', '-p', '-t', this.session]);
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

	kill(): void {
		try {
			this.tmux(['kill-server']);
		} catch {
			// already gone
		}
	}
}
