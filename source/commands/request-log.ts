// -v N: the requests rollscope makes, to the Kubernetes API (undici's requests, watches included) and to
// Prometheus (Node's http client), read from Node's diagnostics channels so that no client needs to know.
// From level 1 one line per request as kubectl -v 6 prints it: method, URL, status and time; from 8 on also
// the headers and both bodies (cut at 4 KB; a gzipped answer unzipped). Credentials never appear: user:password in URLs,
// token-like query parameters, Authorization and cookie headers, and token-like fields of JSON bodies are
// masked.
import diagnostics from 'node:diagnostics_channel';
import {closeSync, openSync, writeSync} from 'node:fs';
import {STATUS_CODES} from 'node:http';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {constants, gunzipSync} from 'node:zlib';

/** The level from which headers and bodies are logged too. */
export const bodyLevel = 8;
const bodyLimit = 4096;
const masked = '***';
const secretName = /token|secret|passw|pwd|credential|auth|cookie|api-?key|apikey|access-?key|private-?key|client-?key|signature|session/i;

/**
 * An answer's headers as name and value pairs: undici gives HTTP/1.1's as the raw list of names and values, and
 * HTTP/2's as an object (its pseudo-headers, such as :status, left out here; a repeated header as a list).
 */
export function headerPairs(headers: unknown): Array<[string, string]> {
	const pairs: Array<[string, string]> = [];
	if (Array.isArray(headers)) {
		for (let i = 0; i + 1 < headers.length; i += 2) pairs.push([String(headers[i]), String(headers[i + 1])]);
	} else if (headers && typeof headers === 'object') {
		for (const [name, value] of Object.entries(headers)) {
			if (name.startsWith(':')) continue;
			for (const one of Array.isArray(value) ? value : [value]) pairs.push([name, String(one)]);
		}
	}
	return pairs;
}

/** A URL with user:password and token-like query parameters masked. */
export function maskUrl(text: string): string {
	let url: URL;
	try {
		url = new URL(text);
	} catch {
		return text.replace(/\/\/[^@/]*@/, `//${masked}@`);
	}
	if (url.username || url.password) {
		url.username = masked;
		url.password = '';
	}
	for (const key of [...url.searchParams.keys()]) if (secretName.test(key)) url.searchParams.set(key, masked);
	if (url.hash) url.hash = masked;
	return url.toString().replaceAll('%2A%2A%2A', masked);
}

/** A header's value, masked when it may carry a credential (the scheme of Authorization stays). */
export function maskHeader(name: string, value: string): string {
	if (!secretName.test(name)) return value;
	const scheme = /^(Bearer|Basic|Negotiate|Digest)\s/i.exec(value);
	return scheme ? `${scheme[1]} ${masked}` : masked;
}

function maskJson(value: unknown): unknown {
	if (Array.isArray(value)) return value.map(maskJson);
	if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, secretName.test(k) && (typeof v === 'string' || typeof v === 'number') ? masked : maskJson(v)]));
	return value;
}

/** A body as text, token-like fields masked (JSON fields, form fields), cut at 4 KB. */
export function maskBody(text: string): string {
	let out: string;
	const trimmed = text.trim();
	if (trimmed === '') return '(empty)';
	try {
		out = JSON.stringify(maskJson(JSON.parse(trimmed)));
	} catch {
		if (/^[\w.%+-]+=[^\s]*(&[\w.%+-]+=[^\s]*)*$/.test(trimmed)) {
			const form = new URLSearchParams(trimmed);
			for (const key of [...form.keys()]) if (secretName.test(key)) form.set(key, masked);
			out = form.toString().replaceAll('%2A%2A%2A', masked);
		} else {
			// A stream of JSON lines (a watch), or anything else: mask "token": "…" pairs where they stand.
			out = trimmed.replace(/("[^"]*(?:token|secret|passw|credential|auth)[^"]*"\s*:\s*)"(?:[^"\\]|\\.)*"/gi, `$1"${masked}"`);
		}
	}
	return out.length > bodyLimit ? `${out.slice(0, bodyLimit)}… (${out.length - bodyLimit} more characters)` : out;
}

type Pending = {method: string; url: string; started: number; sent: Buffer[]; received: Buffer[]; receivedBytes: number; logged: boolean; /** The answer came gzipped: its body is unzipped for the log. */ gzipped?: boolean};

const chunkText = (chunk: unknown) => (Buffer.isBuffer(chunk) ? chunk : typeof chunk === 'string' ? Buffer.from(chunk) : chunk instanceof Uint8Array ? Buffer.from(chunk) : Buffer.alloc(0));

/** What came of a body, as text: unzipped when it came gzipped (as much as the kept part gives). */
function received(p: Pending): string {
	const bytes = Buffer.concat(p.received);
	if (!p.gzipped) return bytes.toString('utf8');
	try {
		return gunzipSync(bytes, {finishFlush: constants.Z_SYNC_FLUSH}).toString('utf8');
	} catch {
		return `(${bytes.length} bytes gzipped)`;
	}
}

/** Log every request at `level` through `write` (one line per call, no newline); returns the stop. */
export function startRequestLog(level: number, write: (line: string) => void): () => void {
	if (level <= 0) return () => {};
	const bodies = level >= bodyLevel;
	const pending = new WeakMap<object, Pending>();
	const bodiesSent = new WeakMap<object, Buffer[]>();
	const time = (p: Pending) => `${Math.round(performance.now() - p.started)} ms`;
	const keep = (list: Buffer[], p: Pending, chunk: unknown) => {
		const b = chunkText(chunk);
		if (p.receivedBytes > bodyLimit * 2) return;
		p.receivedBytes += b.length;
		list.push(b);
	};
	const flushBodies = (p: Pending) => {
		if (!bodies) return;
		if (p.sent.length > 0) write(`  request body: ${maskBody(Buffer.concat(p.sent).toString('utf8'))}`);
		if (p.received.length > 0) write(`  response body: ${maskBody(received(p))}`);
		p.sent = [];
		p.received = [];
	};
	const start = (key: object, method: string, url: string, headers: Array<[string, string]>) => {
		pending.set(key, {method, url: maskUrl(url), started: performance.now(), sent: [], received: [], receivedBytes: 0, logged: false});
		if (!bodies) return;
		write(`${method} ${maskUrl(url)}`);
		for (const [name, value] of headers) write(`  ${name}: ${maskHeader(name, value)}`);
	};
	const answered = (key: object, status: number, statusText?: string) => {
		const p = pending.get(key);
		if (!p || p.logged) return;
		p.logged = true;
		// HTTP/2 answers carry no reason phrase; kubectl prints the standard one, as here.
		const text = statusText || STATUS_CODES[status];
		write(`${p.method} ${p.url} ${status}${text ? ` ${text}` : ''} in ${time(p)}`);
	};
	const failed = (key: object, error: unknown) => {
		const p = pending.get(key);
		if (!p) return;
		const e = error as NodeJS.ErrnoException;
		if (!p.logged) write(`${p.method} ${p.url} failed after ${time(p)}: ${e?.code ?? e?.name ?? 'error'}${e?.message ? ` ${e.message.split('\n')[0]}` : ''}`);
		p.logged = true;
		flushBodies(p);
		pending.delete(key);
	};
	const ended = (key: object) => {
		const p = pending.get(key);
		if (!p) return;
		flushBodies(p);
		pending.delete(key);
	};

	// undici (the Kubernetes client's fetch and its watches).
	const subscriptions: Array<[string, (message: any) => void]> = [
		['undici:request:create', ({request}) => {
			const raw: unknown[] = Array.isArray(request.headers) ? request.headers : [];
			const headers: Array<[string, string]> = [];
			for (let i = 0; i + 1 < raw.length; i += 2) headers.push([String(raw[i]), String(raw[i + 1])]);
			start(request, String(request.method), `${request.origin}${request.path}`, headers);
		}],
		['undici:request:headers', ({request, response}) => {
			const p = pending.get(request);
			const headers = headerPairs(response.headers);
			if (p && headers.some(([name, value]) => name.toLowerCase() === 'content-encoding' && /gzip/i.test(value))) p.gzipped = true;
			const first = p !== undefined && !p.logged;
			answered(request, response.statusCode, response.statusText);
			if (first && bodies) for (const [name, value] of headers) write(`  response header ${name}: ${maskHeader(name, value)}`);
		}],
		['undici:request:bodyChunkSent', ({request, chunk}) => {
			const p = pending.get(request);
			if (p && bodies) keep(p.sent, p, chunk);
		}],
		['undici:request:bodyChunkReceived', ({request, chunk}) => {
			const p = pending.get(request);
			if (p && bodies) keep(p.received, p, chunk);
		}],
		['undici:request:trailers', ({request}) => ended(request)],
		['undici:request:error', ({request, error}) => failed(request, error)],
		// Node's http client (prometheus-query's axios): created before the body is written, started when sent.
		['http.client.request.created', ({request}) => {
			if (!bodies) return;
			const sent: Buffer[] = [];
			bodiesSent.set(request, sent);
			const write = request.write.bind(request);
			const end = request.end.bind(request);
			request.write = (chunk: unknown, ...rest: unknown[]) => {
				if (chunk && typeof chunk !== 'function' && sent.length < 64) sent.push(chunkText(chunk));
				return write(chunk, ...rest);
			};
			request.end = (chunk: unknown, ...rest: unknown[]) => {
				if (chunk && typeof chunk !== 'function' && sent.length < 64) sent.push(chunkText(chunk));
				return end(chunk, ...rest);
			};
		}],
		['http.client.request.start', ({request}) => {
			const protocol = String(request.protocol ?? 'http:');
			const host = String(request.getHeader?.('host') ?? request.host ?? '');
			const headers = Object.entries((request.getHeaders?.() ?? {}) as Record<string, unknown>).map(([k, v]) => [k, String(v)] as [string, string]);
			start(request, String(request.method), `${protocol}//${host}${request.path}`, headers);
			const p = pending.get(request);
			if (p && bodies) p.sent = bodiesSent.get(request) ?? [];
		}],
		['http.client.response.finish', ({request, response}) => {
			answered(request, response.statusCode, response.statusMessage);
			if (!bodies) {
				ended(request);
				return;
			}
			const p = pending.get(request);
			if (!p) return;
			response.on('data', (chunk: Buffer) => keep(p.received, p, chunk));
			response.once('end', () => ended(request));
			response.once('error', (error: unknown) => failed(request, error));
		}],
		['http.client.request.error', ({request, error}) => failed(request, error)],
	];
	for (const [name, listener] of subscriptions) diagnostics.subscribe(name, listener);
	return () => {
		for (const [name, listener] of subscriptions) diagnostics.unsubscribe(name, listener);
	};
}

export type RequestLog = {level: number; /** The file the live view logs to. */ path?: string; close(): void};

/**
 * -v N for a run: nothing when N is 0 or absent; else to stderr, or (the live view, whose screen stderr
 * would tear) to a file in the temporary directory, readable only by the user.
 */
export function openRequestLog(level: number | undefined, toFile: boolean, dir = tmpdir()): RequestLog | undefined {
	if (!level) return undefined;
	if (!toFile) {
		const stop = startRequestLog(level, line => process.stderr.write(`${line}\n`));
		return {level, close: stop};
	}
	const path = join(dir, `rollscope-requests-${process.pid}.log`);
	const fd = openSync(path, 'a', 0o600);
	writeSync(fd, `# rollscope -v ${level}, pid ${process.pid}, started ${new Date().toISOString()}\n`);
	const stop = startRequestLog(level, line => {
		try {
			writeSync(fd, `${new Date().toISOString().slice(11, 23)} ${line}\n`);
		} catch {
			// The log is a help, not the job: a full disk does not stop the view.
		}
	});
	return {
		level,
		path,
		close: () => {
			stop();
			closeSync(fd);
		},
	};
}
