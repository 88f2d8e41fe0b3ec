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
		tunnel(client, to, sockets, head, () => client.write('HTTP/1.1 200 Connection Established\r\n\r\n'), () => client.destroy());
	});
	return listening(server, 'http', tunnels, sockets);
}

/** `client` joined to the host:port `to` once it answers (`opened` tells the client so); `failed` when it cannot be reached. */
function tunnel(client: net.Socket, to: string, sockets: Set<net.Socket>, head: Buffer, opened: () => void, failed: () => void): void {
	const [host, port] = to.split(':');
	const upstream = net.connect(Number(port), host, () => {
		opened();
		if (head.length > 0) upstream.write(head);
		upstream.pipe(client);
		client.pipe(upstream);
	});
	sockets.add(upstream);
	upstream.on('close', () => {
		sockets.delete(upstream);
		client.destroy();
	});
	upstream.on('error', failed);
}

/** A proxy server on a free loopback port; closing it ends every connection it holds. */
async function listening(server: net.Server, scheme: string, tunnels: string[], sockets: Set<net.Socket>): Promise<ConnectProxy> {
	await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
	const port = (server.address() as net.AddressInfo).port;
	return {
		url: `${scheme}://127.0.0.1:${port}`,
		tunnels,
		close: () =>
			new Promise<void>(resolve => {
				for (const s of sockets) s.destroy();
				server.close(() => resolve());
			}),
	};
}

/**
 * A SOCKS5 proxy (RFC 1928, no authentication, CONNECT only) on a free loopback port. It resolves the names in
 * `hosts` itself (to loopback ports), as a proxy resolves names the client cannot, and connects to an IPv4
 * address as it is; `tunnels` gets the host:port of every CONNECT, as the client named it.
 */
export async function startSocksProxy(hosts: Record<string, string> = {}): Promise<ConnectProxy> {
	const tunnels: string[] = [];
	const sockets = new Set<net.Socket>();
	const server = net.createServer(client => {
		sockets.add(client);
		client.on('close', () => sockets.delete(client));
		client.on('error', () => client.destroy());
		let buffered = Buffer.alloc(0);
		let greeted = false;
		const onData = (chunk: Buffer) => {
			buffered = Buffer.concat([buffered, chunk]);
			if (!greeted) {
				// VER 5, NMETHODS, METHODS: answer "no authentication".
				if (buffered.length < 2 || buffered.length < 2 + buffered[1]!) return;
				if (buffered[0] !== 5) return void client.destroy();
				buffered = buffered.subarray(2 + buffered[1]!);
				greeted = true;
				client.write(Buffer.from([5, 0]));
			}
			// VER 5, CMD 1 (CONNECT), RSV, ATYP 1 (IPv4) or 3 (a name), the address, the port.
			if (buffered.length < 5) return;
			const type = buffered[3];
			const addressEnd = type === 1 ? 8 : type === 3 ? 5 + buffered[4]! : -1;
			if (addressEnd < 0 || buffered[1] !== 1) return void client.end(Buffer.from([5, 7, 0, 1, 0, 0, 0, 0, 0, 0]));
			if (buffered.length < addressEnd + 2) return;
			const host = type === 1 ? [...buffered.subarray(4, 8)].join('.') : buffered.subarray(5, addressEnd).toString('latin1');
			const port = buffered.readUInt16BE(addressEnd);
			const rest = buffered.subarray(addressEnd + 2);
			client.off('data', onData);
			tunnels.push(`${host}:${port}`);
			const to = hosts[host] ?? (type === 1 ? `${host}:${port}` : undefined);
			if (!to) return void client.end(Buffer.from([5, 4, 0, 1, 0, 0, 0, 0, 0, 0]));
			tunnel(
				client,
				to,
				sockets,
				rest,
				() => client.write(Buffer.from([5, 0, 0, 1, 127, 0, 0, 1, 0, 0])),
				() => client.end(Buffer.from([5, 5, 0, 1, 0, 0, 0, 0, 0, 0])),
			);
		};
		client.on('data', onData);
	});
	return listening(server, 'socks5', tunnels, sockets);
}
