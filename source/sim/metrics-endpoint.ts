// The simulated application metrics on their own plain-HTTP loopback listener, as a pod's metrics port:
// GET /metrics in the Prometheus text format, for a Prometheus to scrape. Not part of the API server.
import http from 'node:http';
import type {AddressInfo, Socket} from 'node:net';
import {browserRefusal} from './auth.js';

export type MetricsEndpoint = {
	/** The URL Prometheus scrapes: http://127.0.0.1:PORT/metrics. */
	url: string;
	close(): Promise<void>;
};

export async function startMetricsEndpoint(exposition: () => string, options: {port?: number; host?: string} = {}): Promise<MetricsEndpoint> {
	const host = options.host ?? '127.0.0.1';
	const sockets = new Set<Socket>();
	const server = http.createServer((req, res) => {
		const path = new URL(req.url ?? '/', 'http://sim').pathname;
		const refusal = browserRefusal(req.headers);
		const answer = (code: number, text: string, type = 'text/plain; charset=utf-8') => {
			res.writeHead(code, {'Content-Type': type, 'Content-Length': Buffer.byteLength(text)});
			res.end(req.method === 'HEAD' ? undefined : text);
		};
		if (refusal) return answer(403, `${refusal}\n`);
		if (path !== '/metrics') return answer(404, 'only /metrics is served here\n');
		if (req.method !== 'GET' && req.method !== 'HEAD') return answer(405, 'GET /metrics\n');
		answer(200, exposition(), 'text/plain; version=0.0.4; charset=utf-8');
	});
	server.on('connection', s => {
		sockets.add(s);
		s.on('close', () => sockets.delete(s));
	});
	await new Promise<void>((resolve, reject) => {
		server.once('error', reject);
		server.listen(options.port ?? 0, host, () => resolve());
	});
	const port = (server.address() as AddressInfo).port;
	return {
		url: `http://${host}:${port}/metrics`,
		close: () =>
			new Promise<void>(resolve => {
				server.close(() => resolve());
				for (const s of sockets) s.destroy();
			}),
	};
}
