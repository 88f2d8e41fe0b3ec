// How to reach Prometheus: the URL from --prometheus, ROLLSCOPE_PROMETHEUS_URL or the config file;
// credentials (bearer token, basic auth, extra headers, CA) from the environment or the config file,
// never from argv.
import {readFileSync} from 'node:fs';
import type {Env} from './config.js';
import type {PrometheusConfig} from './prometheus.js';
import type {PromConnection} from '../metrics/prometheus-client.js';

export const envNames = {
	url: 'ROLLSCOPE_PROMETHEUS_URL',
	bearerToken: 'ROLLSCOPE_PROMETHEUS_BEARER_TOKEN',
	bearerTokenFile: 'ROLLSCOPE_PROMETHEUS_BEARER_TOKEN_FILE',
	username: 'ROLLSCOPE_PROMETHEUS_USERNAME',
	password: 'ROLLSCOPE_PROMETHEUS_PASSWORD',
	passwordFile: 'ROLLSCOPE_PROMETHEUS_PASSWORD_FILE',
	headers: 'ROLLSCOPE_PROMETHEUS_HEADERS',
	caFile: 'ROLLSCOPE_PROMETHEUS_CA_FILE',
} as const;

export class ConnectionError extends Error {
	override name = 'ConnectionError';
}

type ReadFile = (path: string) => string;
const readText: ReadFile = path => readFileSync(path, 'utf8');

function fromFile(read: ReadFile, path: string, what: string): string {
	try {
		return read(path).trim();
	} catch (error) {
		throw new ConnectionError(`cannot read the ${what} file ${path}: ${(error as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (error as Error).message}`);
	}
}

const present = (value: string | undefined): value is string => value !== undefined && value.trim() !== '';

/** `Name=value` pairs separated by commas or new lines. */
export function parseHeaderList(text: string): Record<string, string> {
	const out: Record<string, string> = {};
	for (const part of text.split(/[,\n]/)) {
		if (part.trim() === '') continue;
		const eq = part.indexOf('=');
		const name = eq > 0 ? part.slice(0, eq).trim() : '';
		if (!/^[A-Za-z0-9!#$%&'*+.^_`|~-]+$/.test(name)) throw new ConnectionError(`${envNames.headers}: expected Name=value pairs separated by commas, got ${JSON.stringify(part.trim())}`);
		out[name] = part.slice(eq + 1).trim();
	}
	return out;
}

/** Query parameters whose name says they carry a secret. */
const secretParameter = /token|key|secret|pass|pwd|auth|sig|session|jwt|bearer|credential/i;
/** A JSON Web Token, wherever it stands. */
const jwt = /eyJ[\w-]{4,}\.[\w-]{4,}\.[\w-]*/;

/** The part of a URL that carries a credential (`user:password@`, `the query parameter token`…), if any. */
export function credentialPart(url: URL): string | undefined {
	if (url.username || url.password) return 'user:password@';
	for (const [name, value] of url.searchParams) {
		if (secretParameter.test(name)) return `the query parameter ${name}`;
		if (jwt.test(value)) return `the query parameter ${name}`;
	}
	if (url.hash && url.hash !== '#') return 'the #fragment';
	if (jwt.test(decodeURIComponent(url.pathname))) return 'a token in the path';
	return undefined;
}

/**
 * The connection, or undefined when no URL is given anywhere (metrics off). Throws ConnectionError
 * for credentials in a --prometheus URL, unreadable files, or two kinds of authentication at once.
 */
export function prometheusConnection(flagUrl: string | undefined, config: PrometheusConfig = {}, env: Env = process.env, read: ReadFile = readText): PromConnection | undefined {
	const raw = present(flagUrl) ? flagUrl : present(env[envNames.url]) ? env[envNames.url]! : config.url;
	if (!present(raw)) return undefined;
	let url: URL;
	try {
		url = new URL(raw);
		if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new Error('not http');
	} catch {
		throw new ConnectionError(`not an http:// or https:// URL: ${JSON.stringify(raw.replace(/\/\/[^@/]*@/, '//…@'))}`);
	}
	if (present(flagUrl)) {
		const part = credentialPart(url);
		if (part) throw new ConnectionError(`--prometheus must not carry credentials (${part} would show in the process list); set ${envNames.bearerToken} (or ${envNames.username} and ${envNames.password}, or ${envNames.headers}), or put them in the config file's prometheus: section`);
	}
	let basicAuth: PromConnection['basicAuth'];
	if (url.username || url.password) {
		if (present(flagUrl)) {
			throw new ConnectionError(`--prometheus must not carry credentials (they would show in the process list); set ${envNames.username} and ${envNames.password}, or prometheus.basicAuth in the config file`);
		}
		basicAuth = {username: decodeURIComponent(url.username), password: decodeURIComponent(url.password)};
		url.username = '';
		url.password = '';
	}

	const bearerToken = present(env[envNames.bearerToken])
		? env[envNames.bearerToken]!.trim()
		: present(env[envNames.bearerTokenFile])
			? fromFile(read, env[envNames.bearerTokenFile]!, 'bearer token')
			: config.bearerToken ?? (config.bearerTokenFile ? fromFile(read, config.bearerTokenFile, 'bearer token') : undefined);

	const username = present(env[envNames.username]) ? env[envNames.username] : config.basicAuth?.username;
	if (username !== undefined) {
		const password = present(env[envNames.password])
			? env[envNames.password]!
			: present(env[envNames.passwordFile])
				? fromFile(read, env[envNames.passwordFile]!, 'password')
				: config.basicAuth?.password ?? (config.basicAuth?.passwordFile ? fromFile(read, config.basicAuth.passwordFile, 'password') : undefined);
		if (password === undefined) throw new ConnectionError(`basic auth for Prometheus needs a password (${envNames.password}, ${envNames.passwordFile} or prometheus.basicAuth.password)`);
		basicAuth = {username, password};
	}
	if (bearerToken && basicAuth) throw new ConnectionError('Prometheus credentials: give a bearer token or basic auth, not both');

	const headers = {...config.headers, ...(present(env[envNames.headers]) ? parseHeaderList(env[envNames.headers]!) : {})};
	const caFile = present(env[envNames.caFile]) ? env[envNames.caFile] : config.caFile;

	const connection: PromConnection = {url: url.toString().replace(/\/$/, '')};
	if (bearerToken) connection.bearerToken = bearerToken;
	if (basicAuth) connection.basicAuth = basicAuth;
	if (Object.keys(headers).length > 0) connection.headers = headers;
	if (caFile) connection.ca = fromFile(read, caFile, 'CA');
	if (config.timeout !== undefined) connection.timeoutMs = Math.round(config.timeout * 1000);
	return connection;
}
