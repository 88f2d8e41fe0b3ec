// The live view's terminal, beyond what Ink does by itself:
// - resizes: one frame after the last resize the screen is wiped and the whole frame drawn again, so
//   whatever the order and rate of resizes, no row of an earlier size stays behind (Ink's incremental
//   rendering diffs against what it believes is on screen, which a resize can change under it);
// - job control: Ctrl-Z and SIGTSTP leave the alternate screen, restore the terminal and stop; fg
//   (SIGCONT) brings raw mode, the alternate screen and a full redraw back; a SIGCONT after a stop it
//   could not see (SIGSTOP) does the same, as the shell may have set the terminal back to cooked mode;
// - SIGTERM ends the view; SIGHUP, or the end of input (a terminal closed without one), ends it with exit
//   code 129; a crash puts the terminal back first.
import type {Instance} from 'ink';
import type {TerminalControls} from '../ui/TerminalHandle.js';
import {hangupExitCode, onCrashRestore} from './crash.js';

export type SessionOptions = {
	stdin: NodeJS.ReadStream;
	stdout: NodeJS.WriteStream;
	/** How long one frame lasts (1000 / maxFps): the redraw follows the last resize after this. */
	frameMs: number;
	/** End the view (unmount it). */
	end: () => void;
};

// Synchronized output: the wipe and the new frame reach the screen together on terminals that know it.
const beginSync = '\x1b[?2026h';
const endSync = '\x1b[?2026l';
const wipe = '\x1b[H\x1b[2J';

export class TerminalSession {
	/** hangupExitCode after SIGHUP; undefined otherwise. */
	exitCode: number | undefined;
	/** Full redraws done (after resizes and Ctrl-L), for tests. */
	redraws = 0;
	private instance: Instance | undefined;
	private rerender: (() => void) | undefined;
	private controls: TerminalControls | undefined;
	private resizeTimer: NodeJS.Timeout | undefined;
	/** The terminal is handed back to the shell (suspended, or being given back). */
	private away = false;
	/** It stopped itself: the next SIGCONT is the fg that follows. */
	private selfStopped = false;
	private readonly unregisterRestore: () => void;

	constructor(private readonly options: SessionOptions) {
		options.stdout.on('resize', this.onResize);
		// In raw mode no key makes an end of input: it is the terminal hanging up (closed without SIGHUP).
		options.stdin.on('end', this.onHangup);
		process.on('SIGTSTP', this.onStop);
		process.on('SIGCONT', this.onContinue);
		process.on('SIGTERM', this.onTerminate);
		process.on('SIGHUP', this.onHangup);
		this.unregisterRestore = onCrashRestore(this.restore);
	}

	/** The Ink instance, and how to render its tree again (instance.rerender with the same tree). */
	attach(instance: Instance, rerender: () => void): void {
		this.instance = instance;
		this.rerender = rerender;
	}

	/** Ink's controls, from the TerminalHandle in the tree. */
	readonly setControls = (controls: TerminalControls): void => {
		this.controls = controls;
	};

	/** Wipe the screen and draw the whole frame again (Ctrl-L, and after resizes). */
	redraw(): void {
		const {instance, rerender} = this;
		if (!instance || this.away) return;
		this.redraws++;
		const {stdout} = this.options;
		stdout.write(beginSync + wipe);
		// Ink forgets the frame it drew, so the next one is written whole, from the top left.
		instance.clear();
		rerender?.();
		const done = () => stdout.write(endSync);
		if (this.controls) this.controls.waitUntilRenderFlush().then(done, done);
		else done();
	}

	/** Ctrl-Z: give the terminal back to the shell and stop; on fg, take it again and redraw. */
	async suspend(): Promise<void> {
		if (this.away || !this.controls) return;
		this.away = true;
		try {
			await this.controls.suspendTerminal(() => {
				// With no listener SIGTSTP has its default action again: the process stops inside kill() and
				// goes on from here after fg. (A process group without a shell to resume it is not stopped.)
				this.selfStopped = true;
				process.off('SIGTSTP', this.onStop);
				try {
					process.kill(process.pid, 'SIGTSTP');
				} finally {
					process.on('SIGTSTP', this.onStop);
				}
			});
		} finally {
			this.away = false;
		}
	}

	/** Stop listening (the view has ended). */
	close(): void {
		clearTimeout(this.resizeTimer);
		this.options.stdout.off('resize', this.onResize);
		this.options.stdin.off('end', this.onHangup);
		process.off('SIGTSTP', this.onStop);
		process.off('SIGCONT', this.onContinue);
		process.off('SIGTERM', this.onTerminate);
		process.off('SIGHUP', this.onHangup);
		this.unregisterRestore();
	}

	private readonly onResize = () => {
		clearTimeout(this.resizeTimer);
		this.resizeTimer = setTimeout(() => this.redraw(), this.options.frameMs);
	};

	private readonly onStop = () => {
		void this.suspend();
	};

	private readonly onContinue = () => {
		if (this.selfStopped) {
			this.selfStopped = false;
			return;
		}
		// Stopped by a signal it could not catch: take the terminal again as after a suspension.
		if (this.away || !this.controls) return;
		this.away = true;
		this.controls.suspendTerminal(() => {}).finally(() => {
			this.away = false;
		});
	};

	private readonly onTerminate = () => {
		this.options.end();
	};

	private readonly onHangup = () => {
		if (this.exitCode !== undefined) return;
		this.exitCode = hangupExitCode;
		process.exitCode = hangupExitCode;
		this.options.end();
	};

	/** After a crash: leave the alternate screen, show the cursor, raw mode off. */
	private readonly restore = () => {
		try {
			this.instance?.unmount();
			return;
		} catch {
			// Put back what Ink could not.
		}
		try {
			this.options.stdin.setRawMode?.(false);
		} catch {
			// not a TTY any more
		}
		this.options.stdout.write('\x1b[?1049l\x1b[?25h');
	};
}
