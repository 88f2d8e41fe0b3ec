// The last resort of every command: an error nobody caught restores the terminal first (whatever the live
// view registered), then prints one line that says where the full report was written; and output that
// can no longer be written (the terminal closed: EIO, a pipe whose reader left: EPIPE) ends the run
// quietly instead of as a crash.
import {writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';

/** Exit code after the terminal hung up (128 + SIGHUP), as shells report a process killed by it. */
export const hangupExitCode = 129;

/**
 * The exit code decided so far (129 after a hangup, a failure already known), else 0; a terminal that
 * answers EIO has hung up, even when the write noticed it before SIGHUP or the end of input did.
 */
const exitCodeSoFar = (error?: unknown) => {
	if (typeof process.exitCode === 'number' && process.exitCode !== 0) return process.exitCode;
	return (error as NodeJS.ErrnoException | undefined)?.code === 'EIO' ? hangupExitCode : 0;
};

const restorers = new Set<() => void>();

/** Register what puts the terminal back (leave the alternate screen, raw mode off); returns the unregistration. */
export function onCrashRestore(restore: () => void): () => void {
	restorers.add(restore);
	return () => restorers.delete(restore);
}

let outputGone = false;

/** Whether stdout or stderr can no longer be written (the terminal closed, or a pipe's reader left). */
export function isOutputGone(): boolean {
	return outputGone;
}

/** Errors that mean the other end of the output is gone, not that rollscope is broken. */
export function isClosedOutput(error: unknown): boolean {
	const code = (error as NodeJS.ErrnoException | undefined)?.code;
	return code === 'EIO' || code === 'EPIPE' || code === 'ERR_STREAM_DESTROYED' || code === 'ENOTCONN';
}

/** Where the report of a crash goes: the temporary directory, readable only by the user. */
export function writeCrashReport(error: unknown, argv: readonly string[], dir = tmpdir()): string | undefined {
	const file = join(dir, `rollscope-crash-${new Date().toISOString().replace(/[:.]/g, '-')}-${process.pid}.txt`);
	const e = error as Error | undefined;
	const text = [
		`rollscope crashed at ${new Date().toISOString()}`,
		`command: rollscope ${argv.map(a => (/^[\w./:@=,+-]+$/.test(a) ? a : JSON.stringify(a))).join(' ')}`,
		`node ${process.version} on ${process.platform}/${process.arch}`,
		'',
		e?.stack ?? String(error),
		...(e && 'cause' in e && e.cause ? ['', `cause: ${(e.cause as Error)?.stack ?? String(e.cause)}`] : []),
		'',
	].join('\n');
	try {
		writeFileSync(file, text, {mode: 0o600});
		return file;
	} catch {
		return undefined;
	}
}

/** The one line a crash prints. */
export function crashLine(error: unknown, report: string | undefined): string {
	const message = (error instanceof Error ? error.message : String(error)).split('\n')[0]!.slice(0, 300);
	return `rollscope: crashed: ${message}${report ? ` (full report: ${report})` : ''}`;
}

/** Restore the terminal, then one line and the report; exit 1 (quietly with 0 when the output is gone). */
export function crash(error: unknown, argv: readonly string[] = process.argv.slice(2)): never {
	for (const restore of [...restorers]) {
		try {
			restore();
		} catch {
			// Restoring is best effort: the report still has to be written.
		}
	}
	if (outputGone || isClosedOutput(error)) process.exit(exitCodeSoFar(error));
	const report = writeCrashReport(error, argv);
	try {
		process.stderr.write(`${crashLine(error, report)}\n`);
	} catch {
		// stderr is gone too.
	}
	process.exit(1);
}

/**
 * From here on: an uncaught error or rejection is a crash as above, and a write error on stdout or stderr
 * (EIO, EPIPE) marks the output gone and ends the run quietly.
 */
export function installCrashHandler(argv: readonly string[] = process.argv.slice(2)): void {
	process.on('uncaughtException', error => crash(error, argv));
	process.on('unhandledRejection', error => crash(error, argv));
	for (const stream of [process.stdout, process.stderr, process.stdin]) {
		stream.on('error', error => {
			if (!isClosedOutput(error)) crash(error, argv);
			outputGone = true;
			for (const restore of [...restorers]) {
				try {
					restore();
				} catch {
					// The terminal is gone: nothing to restore on it.
				}
			}
			process.exit(exitCodeSoFar(error));
		});
	}
}
