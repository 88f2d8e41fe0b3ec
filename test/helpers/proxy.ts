// A TCP proxy on a free loopback port in front of a server, able to go quiet: freeze() stops carrying bytes on
// every connection open at that moment (as a dead NAT entry or a partitioned load balancer does, the sockets
// stay open) while new connections go through; thaw() carries on with what was held back. And an HTTP
// proxy of the kind HTTPS_PROXY names, which tunnels CONNECT requests.
import http from 'node:http';
import net from 'node:net';

export type Proxy = {port: number; /** Connections accepted so far. */ connections(): number; freeze(): void; thaw(): void; close(): Promise<void>};

export async function startProxy(targetPort: number, targetHost = '127.0.0.1'): Promise<Proxy> {
	const pairs = new Set<{client: net.Socket; upstream: net.Socket; frozen: boolean}>();
	let accepted = 0;
	const server = net.createServer(client => {
		accepted++;
		const upstream = net.connect(targetPort, targetHost);
		const pair = {client, upstream, frozen: false};
		pairs.add(pair);
		client.pipe(upstream);
		upstream.pipe(client);
		const end = () => {
			pairs.delete(pair);
			client.destroy();
			upstream.destroy();
		};
		client.on('error', end);
		upstream.on('error', end);
		client.on('close', end);
		upstream.on('close', end);
	});
	await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
	const port = (server.address() as net.AddressInfo).port;
	return {
		port,
		connections: () => accepted,
		freeze() {
			for (const pair of pairs) {
				pair.frozen = true;
				pair.client.unpipe(pair.upstream);
				pair.upstream.unpipe(pair.client);
				pair.client.pause();
				pair.upstream.pause();
			}
		},
		thaw() {
			for (const pair of pairs) {
				if (!pair.frozen) continue;
				pair.frozen = false;
				pair.client.pipe(pair.upstream);
				pair.upstream.pipe(pair.client);
			}
		},
		close: () =>
			new Promise<void>(resolve => {
				for (const {client, upstream} of pairs) {
					client.destroy();
					upstream.destroy();
				}
				server.close(() => resolve());
			}),
	};
}

export type ConnectProxy = {url: string; /** The host:port of every CONNECT, in order. */ tunnels: string[]; close(): Promise<void>};

/**
 * An HTTP proxy on a free loopback port that tunnels CONNECT requests, as a corporate egress proxy does; it
 * resolves the names in `hosts` itself (to loopback ports), as such a proxy resolves names the client cannot,
 * and answers 502 for any other.
 */
export async function startConnectProxy(hosts: Record<string, string>): Promise<ConnectProxy> {
	const tunnels: string[] = [];
	const sockets = new Set<net.Socket>();
	const server = http.createServer((_req, res) => res.writeHead(405).end('CONNECT only\n'));
	server.on('connect', (req: http.IncomingMessage, client: net.Socket, head: Buffer) => {
		const target = req.url ?? '';
		tunnels.push(target);
		sockets.add(client);
		client.on('close', () => sockets.delete(client));
		client.on('error', () => client.destroy());
		const name = target.replace(/:\d+$/, '');
		const to = hosts[name];
		if (!to) {
			client.end('HTTP/1.1 502 Bad Gateway\r\n\r\n');
			return;
		}
		const [host, port] = to.split(':');
		const upstream = net.connect(Number(port), host, () => {
			client.write('HTTP/1.1 200 Connection Established\r\n\r\n');
			if (head.length > 0) upstream.write(head);
			upstream.pipe(client);
			client.pipe(upstream);
		});
		sockets.add(upstream);
		upstream.on('close', () => {
			sockets.delete(upstream);
			client.destroy();
		});
		upstream.on('error', () => client.destroy());
	});
	await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
	const port = (server.address() as net.AddressInfo).port;
	return {
		url: `http://127.0.0.1:${port}`,
		tunnels,
		close: () =>
			new Promise<void>(resolve => {
				for (const s of sockets) s.destroy();
				server.close(() => resolve());
			}),
	};
}
