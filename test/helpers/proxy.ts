// A TCP proxy on a free loopback port in front of a server, able to go quiet: freeze() stops carrying bytes on
// every connection open at that moment (as a dead NAT entry or a partitioned load balancer does, the sockets
// stay open) while new connections go through; thaw() carries on with what was held back.
import net from 'node:net';

export type Proxy = {port: number; freeze(): void; thaw(): void; close(): Promise<void>};

export async function startProxy(targetPort: number, targetHost = '127.0.0.1'): Promise<Proxy> {
	const pairs = new Set<{client: net.Socket; upstream: net.Socket; frozen: boolean}>();
	const server = net.createServer(client => {
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
