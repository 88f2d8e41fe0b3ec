// The `prometheus:` section of the config file: where Prometheus is and how to authenticate.
// Secrets may also come from the environment (see metrics/connection.ts), never from argv.
import {mapping, nonEmptyString, quantity, stringMap, type Check} from './check.js';
import {parseDuration} from '../text/units.js';

export type BasicAuthConfig = {username?: string; password?: string; passwordFile?: string};

export type PrometheusConfig = {
	/** Base URL of a Prometheus-compatible API (Prometheus, Thanos, Mimir, VictoriaMetrics), path prefix included. */
	url?: string;
	bearerToken?: string;
	bearerTokenFile?: string;
	basicAuth?: BasicAuthConfig;
	/** Extra HTTP headers, such as X-Scope-OrgID for a tenant. */
	headers?: Record<string, string>;
	/** PEM file of the CA that signed the server's certificate. */
	caFile?: string;
	/** Seconds before a query is given up. */
	timeout?: number;
};

export const httpUrl: Check<string> = (value, path, issues) => {
	const text = nonEmptyString(value, path, issues);
	if (text === undefined) return undefined;
	try {
		const url = new URL(text);
		if (url.protocol === 'http:' || url.protocol === 'https:') return text;
	} catch {
		// reported below
	}
	issues.push({path, message: `expected an http:// or https:// URL, got ${JSON.stringify(text)}`});
	return undefined;
};

const basicAuth = mapping<BasicAuthConfig>({username: nonEmptyString, password: nonEmptyString, passwordFile: nonEmptyString});

export const prometheusSection = mapping<PrometheusConfig>({
	url: httpUrl,
	bearerToken: nonEmptyString,
	bearerTokenFile: nonEmptyString,
	basicAuth,
	headers: stringMap,
	caFile: nonEmptyString,
	timeout: quantity(parseDuration),
});
