// Render a tree the way ink-testing-library does, but on a terminal of a given size: its fake
// stdout always says 100 columns and no rows, which cannot test a 200-column layout.
import {EventEmitter} from 'node:events';
import {stripVTControlCharacters} from 'node:util';
import type {ReactElement} from 'react';
import {render as inkRender} from 'ink';
import stringWidth from 'string-width';

class Stdout extends EventEmitter {
	frames: string[] = [];
	constructor(public columns: number, public rows: number) {
		super();
	}

	write = (frame: string) => {
		this.frames.push(frame);
		return true;
	};
}

class Stdin extends EventEmitter {
	private data: string | null = null;
	constructor(readonly isTTY = true) {
		super();
	}

	write = (data: string) => {
		this.data = data;
		this.emit('readable');
		this.emit('data', data);
	};

	read = () => {
		const {data} = this;
		this.data = null;
		return data;
	};

	setEncoding() {}
	setRawMode() {}
	resume() {}
	pause() {}
	ref() {}
	unref() {}
}

export type Rendered = {
	/** The last frame, ANSI codes removed. */
	frame: () => string;
	lines: () => string[];
	stdin: Stdin;
	/** Change the terminal size and tell the app, as a real terminal does. */
	resize: (columns: number, rows: number) => void;
	unmount: () => void;
};

export function renderAt(tree: ReactElement, columns: number, rows: number, options: {tty?: boolean} = {}): Rendered {
	const stdout = new Stdout(columns, rows);
	const stdin = new Stdin(options.tty ?? true);
	const instance = inkRender(tree, {
		stdout: stdout as unknown as NodeJS.WriteStream,
		stderr: new Stdout(columns, rows) as unknown as NodeJS.WriteStream,
		stdin: stdin as unknown as NodeJS.ReadStream,
		debug: true,
		exitOnCtrlC: false,
		patchConsole: false,
	});
	const frame = () => stripVTControlCharacters(stdout.frames.at(-1) ?? '');
	const resize = (columns: number, rows: number) => {
		stdout.columns = columns;
		stdout.rows = rows;
		stdout.emit('resize');
	};
	return {frame, lines: () => frame().split('\n'), stdin, resize, unmount: () => instance.unmount()};
}

/** Let React and Ink flush (React 19's scheduler needs a macrotask, not just a microtask). */
export async function tick(): Promise<void> {
	await new Promise<void>((resolve) => setImmediate(() => setTimeout(resolve, 0)));
}

export const wait = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Write keys one at a time, letting the app settle after each; a bare Escape needs >20 ms. */
export async function press(stdin: {write: (s: string) => void}, ...keys: string[]): Promise<void> {
	for (const key of keys) {
		stdin.write(key);
		if (key === '\u001B') await wait(50);
		await tick();
		await tick();
	}
}

export const keys = {
	ESC: '\u001B',
	TAB: '\t',
	SHIFT_TAB: '\u001B[Z',
	ENTER: '\r',
	UP: '\u001B[A',
	DOWN: '\u001B[B',
	RIGHT: '\u001B[C',
	LEFT: '\u001B[D',
	PAGE_DOWN: '\u001B[6~',
	BACKSPACE: '\u007F',
	CTRL_C: '\u0003',
	CTRL_L: '\u000C',
} as const;

/** Poll until `check` passes (or throw its last error after `ms`). */
export async function waitFor(check: () => void, ms = 1000): Promise<void> {
	const until = Date.now() + ms;
	for (;;) {
		try {
			check();
			return;
		} catch (error) {
			if (Date.now() > until) throw error;
			await wait(10);
		}
	}
}

/** The frame fits the terminal: at most `rows` lines, none wider than `columns`. */
export function fits(frame: string, columns: number, rows: number): {lines: number; widest: number; ok: boolean} {
	const lines = frame.split('\n');
	const widest = Math.max(0, ...lines.map((l) => stringWidth(l)));
	return {lines: lines.length, widest, ok: lines.length <= rows && widest <= columns};
}
