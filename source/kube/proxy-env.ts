// The proxy the environment names for an API server, by the rules kubectl follows (Go's
// ProxyFromEnvironment): HTTPS_PROXY (or https_proxy) for an https:// server, HTTP_PROXY (or http_proxy)
// for http://; none for localhost or a loopback address; none when NO_PROXY (or no_proxy) names the host:
// `*` for every host, an IP address, a CIDR range, or a domain (`example.com` is it and its subdomains,
// `.example.com` and `*.example.com` its subdomains only), each optionally with `:port`. A kubeconfig's
// `proxy-url` comes before all of this (client.ts).
import {BlockList, isIP} from 'node:net';

type Env = Readonly<Record<string, string | undefined>>;

const first = (env: Env, ...names: string[]): string => names.map(n => env[n]?.trim()).find(v => v) ?? '';

/** The host of a URL without IPv6 brackets, lower case. */
function hostOf(url: URL): string {
	return url.hostname.replace(/^\[(.*)\]$/, '$1').toLowerCase();
}

/** ::1 and the IPv4 loopback range as IPv6 addresses. */
const loopback6 = new BlockList();
loopback6.addAddress('::1', 'ipv6');
loopback6.addSubnet('::ffff:127.0.0.0', 104, 'ipv6');

function isLoopback(host: string): boolean {
	if (host === 'localhost') return true;
	if (isIP(host) === 4) return host.startsWith('127.');
	return isIP(host) === 6 && loopback6.check(host, 'ipv6');
}

/** Whether one NO_PROXY entry names this host (and port). */
function excludes(entry: string, host: string, port: string): boolean {
	if (entry.includes('/')) {
		const [address, bits] = entry.split('/');
		const family = isIP(address!);
		if (!family || isIP(host) !== family) return false;
		const range = new BlockList();
		try {
			range.addSubnet(address!, Number(bits), family === 4 ? 'ipv4' : 'ipv6');
		} catch {
			return false;
		}
		return range.check(host, family === 4 ? 'ipv4' : 'ipv6');
	}
	const withPort = isIP(entry) ? null : /^(.*):(\d+)$/.exec(entry);
	if (withPort && withPort[2] !== port) return false;
	let name = (withPort ? withPort[1]! : entry).replace(/^\[(.*)\]$/, '$1');
	if (isIP(name)) return name === host;
	if (name.startsWith('*.')) name = name.slice(1);
	return name.startsWith('.') ? host.endsWith(name) : host === name || host.endsWith(`.${name}`);
}

/** The proxy URL to reach `server` through, or undefined for a direct connection. */
export function proxyFromEnvironment(server: URL, env: Env): string | undefined {
	const proxy = server.protocol === 'https:' ? first(env, 'HTTPS_PROXY', 'https_proxy') : first(env, 'HTTP_PROXY', 'http_proxy');
	if (!proxy) return undefined;
	const host = hostOf(server);
	if (isLoopback(host)) return undefined;
	const port = server.port || (server.protocol === 'https:' ? '443' : '80');
	const noProxy = first(env, 'NO_PROXY', 'no_proxy').toLowerCase();
	for (const entry of noProxy.split(',').map(e => e.trim()).filter(Boolean)) {
		if (entry === '*' || excludes(entry, host, port)) return undefined;
	}
	return /^[a-z][a-z0-9+.-]*:\/\//i.test(proxy) ? proxy : `http://${proxy}`;
}
