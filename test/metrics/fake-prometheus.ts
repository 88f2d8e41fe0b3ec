// A fake Prometheus HTTP API for the client tests: each request is answered by a handler, and
// every request is recorded (path, form fields, headers).
import http from 'node:http';
import https from 'node:https';
import type {AddressInfo} from 'node:net';

export type Seen = {path: string; form: URLSearchParams; headers: http.IncomingHttpHeaders};
export type Reply = {status?: number; body: unknown; contentType?: string; delayMs?: number};
export type Handler = (seen: Seen) => Reply | Promise<Reply>;

export type FakePrometheus = {url: string; seen: Seen[]; close(): Promise<void>};

export async function fakePrometheus(handler: Handler, tls?: {key: string; cert: string}): Promise<FakePrometheus> {
	const seen: Seen[] = [];
	const sockets = new Set<import('node:net').Socket>();
	const listener = (req: http.IncomingMessage, res: http.ServerResponse) => {
		let body = '';
		req.on('data', chunk => (body += String(chunk)));
		req.on('end', async () => {
			const url = new URL(req.url ?? '/', 'http://fake');
			const form = new URLSearchParams(body || url.search);
			const s: Seen = {path: url.pathname, form, headers: req.headers};
			seen.push(s);
			const reply = await handler(s);
			if (reply.delayMs) await new Promise(r => setTimeout(r, reply.delayMs));
			if (res.destroyed) return;
			const text = typeof reply.body === 'string' ? reply.body : JSON.stringify(reply.body);
			res.writeHead(reply.status ?? 200, {'Content-Type': reply.contentType ?? 'application/json'});
			res.end(text);
		});
	};
	const server = tls ? https.createServer(tls, listener) : http.createServer(listener);
	server.on('connection', s => {
		sockets.add(s);
		s.on('close', () => sockets.delete(s));
	});
	await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
	const port = (server.address() as AddressInfo).port;
	return {
		url: `${tls ? 'https' : 'http'}://127.0.0.1:${port}`,
		seen,
		close: () =>
			new Promise<void>(resolve => {
				server.close(() => resolve());
				for (const s of sockets) s.destroy();
			}),
	};
}

export const vector = (result: unknown[]) => ({status: 'success', data: {resultType: 'vector', result}});
export const matrix = (result: unknown[]) => ({status: 'success', data: {resultType: 'matrix', result}});
