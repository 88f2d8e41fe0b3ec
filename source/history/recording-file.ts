// A recording on disk: gzip-compressed NDJSON, appended and flushed (Z_SYNC_FLUSH) per batch, so a killed
// process loses at most the batch under way. Reading takes a cut-off stream as far as it goes and ignores a
// last line cut in the middle; an uncompressed NDJSON file reads too.
import {closeSync, createReadStream, openSync, writeSync} from 'node:fs';
import {StringDecoder} from 'node:string_decoder';
import {constants, createGunzip, createGzip, type Gzip} from 'node:zlib';
import {headerLine, parseHeader, parseRecord, recordLine, RecordingError, type Entry, type RecordingHeader} from './recording.js';

/** Why a file cannot be opened or written, in words. */
function fileProblem(path: string, error: unknown, writing: boolean): string {
	const code = (error as NodeJS.ErrnoException)?.code;
	if (code === 'EEXIST') return `${path} already exists; record into a new file`;
	if (code === 'ENOENT') return writing ? `cannot create ${path}: its folder does not exist` : `${path} does not exist`;
	if (code === 'EACCES' || code === 'EPERM') return `${path}: permission denied`;
	if (code === 'EISDIR') return `${path} is a folder`;
	return `${path}: ${(error as Error)?.message ?? String(error)}`;
}

export class RecordingWriter {
	private readonly gzip: Gzip;
	private pending = '';
	private flushing: Promise<void> | undefined;
	private failed: string | undefined;
	bytes = 0;
	entries = 0;

	private constructor(
		readonly path: string,
		private readonly fd: number,
	) {
		this.gzip = createGzip({level: 6});
		this.gzip.on('data', (chunk: Buffer) => {
			if (this.failed) return;
			try {
				writeSync(this.fd, chunk);
				this.bytes += chunk.length;
			} catch (error) {
				this.failed = fileProblem(this.path, error, true);
			}
		});
		this.gzip.on('error', error => (this.failed ??= `${this.path}: ${error.message}`));
	}

	/** A new recording file with its header written; refuses a file that exists. Throws RecordingError. */
	static async create(path: string, header: Omit<RecordingHeader, 'kind' | 'format' | 'version'>): Promise<RecordingWriter> {
		let fd: number;
		try {
			fd = openSync(path, 'wx');
		} catch (error) {
			throw new RecordingError(fileProblem(path, error, true));
		}
		const writer = new RecordingWriter(path, fd);
		writer.pending = headerLine(header);
		await writer.flush();
		return writer;
	}

	/** Why writing stopped (a full disk…), if it did. */
	get problem(): string | undefined {
		return this.failed;
	}

	/** Queue entries; they reach the file at the next flush. */
	add(entries: readonly Entry[]): void {
		for (const entry of entries) this.pending += recordLine(entry);
		this.entries += entries.length;
	}

	/** Compress what is queued and write it out, flushed so that the file reads up to here. */
	flush(): Promise<void> {
		if (this.flushing) return this.flushing.then(() => this.flush());
		if (this.pending === '') return Promise.resolve();
		const text = this.pending;
		this.pending = '';
		this.gzip.write(text);
		this.flushing = new Promise<void>(resolve => this.gzip.flush(constants.Z_SYNC_FLUSH, () => resolve())).finally(() => (this.flushing = undefined));
		return this.flushing;
	}

	/** Flush, end the gzip stream and close the file. */
	async close(): Promise<void> {
		await this.flush();
		// The trailer comes out after the input ends: wait for the stream's own end, not the input's.
		await new Promise<void>(resolve => {
			this.gzip.once('end', resolve);
			this.gzip.end();
		});
		try {
			closeSync(this.fd);
		} catch {
			// already closed
		}
	}
}

/** The complete lines of a stream of text, in order; the text after the last newline is kept for the next chunk. */
class Lines {
	private rest = '';
	constructor(private readonly onLine: (line: string) => void) {}
	push(text: string): void {
		const parts = (this.rest + text).split('\n');
		this.rest = parts.pop()!;
		for (const line of parts) this.onLine(line);
	}
	/** What is left after the last newline: a line cut off (ignored by the reader). */
	get tail(): string {
		return this.rest;
	}
}

/**
 * Read a recording, calling `onEntry` for each record in order; returns the header and how many lines were
 * read. A stream cut off is read as far as it goes, a last line without its newline is ignored. Throws
 * RecordingError with one line that says what is wrong.
 */
export async function readRecording(path: string, onEntry: (entry: Entry, header: RecordingHeader) => void | 'stop'): Promise<{header: RecordingHeader; lines: number; cut: boolean}> {
	const name = path;
	const first = await firstBytes(path);
	const gzipped = first.length >= 2 && first[0] === 0x1f && first[1] === 0x8b;
	if (!gzipped && first.length > 0 && first[0] !== 0x7b) throw new RecordingError(`${name} is not a rollscope recording`);
	let header: RecordingHeader | undefined;
	let lineNumber = 0;
	let stopped = false;
	let failure: unknown;
	const lines = new Lines(line => {
		if (stopped || failure) return;
		lineNumber++;
		try {
			if (!header) {
				header = parseHeader(line, name);
				return;
			}
			if (line.trim() === '') return;
			const entry = parseRecord(line, name, lineNumber);
			if (entry && onEntry(entry, header) === 'stop') stopped = true;
		} catch (error) {
			failure = error;
		}
	});
	const decoder = new StringDecoder('utf8');
	await new Promise<void>((resolve, reject) => {
		const file = createReadStream(path);
		// A cut-off stream ends without its trailer: Z_SYNC_FLUSH at the end gives what was decompressed.
		const text = gzipped ? file.pipe(createGunzip({finishFlush: constants.Z_SYNC_FLUSH})) : file;
		const fail = (error: Error) => {
			file.destroy();
			reject(gzipped && !header ? new RecordingError(`${name} is not a rollscope recording (${error.message})`) : new RecordingError(`${name}: ${error.message}`));
		};
		file.on('error', error => reject(new RecordingError(fileProblem(path, error, false))));
		text.on('error', fail);
		text.on('data', (chunk: Buffer) => {
			lines.push(decoder.write(chunk));
			if (stopped || failure) {
				file.destroy();
				resolve();
			}
		});
		text.on('end', () => resolve());
	});
	if (failure) throw failure;
	if (!header) {
		// The header alone, cut before its newline, is still not a recording to replay.
		if (lines.tail !== '') parseHeader(lines.tail, name);
		throw new RecordingError(`${name} is not a rollscope recording${first.length === 0 ? ' (it is empty)' : ''}`);
	}
	return {header, lines: lineNumber, cut: lines.tail !== ''};
}

/** The first bytes of a file (to tell gzip from plain text), or a RecordingError saying why it cannot be read. */
async function firstBytes(path: string): Promise<Buffer> {
	return new Promise((resolve, reject) => {
		const chunks: Buffer[] = [];
		const stream = createReadStream(path, {start: 0, end: 1});
		stream.on('data', (chunk: Buffer | string) => chunks.push(Buffer.from(chunk)));
		stream.on('error', error => reject(new RecordingError(fileProblem(path, error, false))));
		stream.on('end', () => resolve(Buffer.concat(chunks)));
	});
}
