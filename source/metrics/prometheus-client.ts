// The Prometheus HTTP API through prometheus-query, wrapped so that its sharp edges do not reach
// the rest of rollscope (shared/reference/traffic-metrics.md §2.5):
// - "+Inf"/"-Inf" samples are parsed with parseFloat into NaN: the raw answer is rewritten first, so
//   ±Infinity stays apart from NaN ("no data");
// - labels with empty values are absent from results: callers read an absent label as "";
// - it rejects with plain objects, not Errors: every rejection becomes a PromError with a kind;
// - one query cannot be cancelled: each call gets its own driver whose request carries an AbortSignal;
// - warningHook never fires: warnings are read from the answer body instead;
// - native-histogram samples crash its parser: they are turned into NaN samples before it sees them.
// - an answer that is not Prometheus's (an HTML page) is reported as a network error: it is recognised first.
// - prometheus-query (and the HTTP client it brings) is loaded with the first query, not with rollscope.
import {Agent} from 'node:https';
import type {PrometheusDriver, QueryResult} from 'prometheus-query';
import {PromError, toPromError} from './prom-error.js';

export type PromConnection = {
	/** Base URL, path prefix included (https://host/prometheus). */
	url: string;
	bearerToken?: string;
	basicAuth?: {username: string; password: string};
	headers?: Record<string, string>;
	/** PEM text of a CA to trust besides the system's. */
	ca?: string;
	/** Client-side timeout per request, ms. */
	timeoutMs?: number;
};

export type Sample = [time: number, value: number];
export type PromSeries = {labels: Record<string, string>; samples: Sample[]};
export type PromAnswer = {series: PromSeries[]; warnings: string[]};
export type CallOptions = {signal?: AbortSignal};

const special: Record<string, string> = {'+Inf': 'Infinity', '-Inf': '-Infinity', Inf: 'Infinity'};

function fixValue(pair: unknown): void {
	if (Array.isArray(pair) && typeof pair[1] === 'string' && Object.hasOwn(special, pair[1])) pair[1] = special[pair[1]];
}

/** Rewrite an answer body in place so prometheus-query parses it faithfully. Exported for tests. */
export function fixAnswerBody(body: any): void {
	const data = body?.data;
	if (!data || !Array.isArray(data.result)) return;
	if (data.resultType === 'scalar' || data.resultType === 'string') {
		fixValue(data.result);
		return;
	}
	for (const r of data.result) {
		if (!r || typeof r !== 'object') continue;
		if (data.resultType === 'vector') {
			if (!Array.isArray(r.value) && Array.isArray(r.histogram)) r.value = [r.histogram[0], 'NaN'];
			fixValue(r.value);
		} else if (data.resultType === 'matrix') {
			if (!Array.isArray(r.values) && Array.isArray(r.histograms)) r.values = r.histograms.map((h: unknown[]) => [h[0], 'NaN']);
			for (const v of r.values ?? []) fixValue(v);
		}
	}
}

function toSeries(result: QueryResult): PromSeries[] {
	switch (result.resultType) {
		case 'vector':
			return result.result.map((r: any) => ({labels: {...r.metric?.labels}, samples: [[r.value.time.getTime(), r.value.value]]}));
		case 'matrix':
			return result.result.map((r: any) => ({labels: {...r.metric?.labels}, samples: r.values.map((v: any) => [v.time.getTime(), v.value])}));
		case 'scalar': {
			const [t, v] = result.result as unknown as [number, string];
			return [{labels: {}, samples: [[t * 1000, Number.parseFloat(v)]]}];
		}
		default:
			throw new PromError('protocol', `unexpected result type ${String(result.resultType)}`);
	}
}

type DriverModule = typeof import('prometheus-query');
let driverModule: Promise<DriverModule> | undefined;

/** prometheus-query, loaded once: a CommonJS module, whose exports come as the default export from a bundle. */
async function loadDriver(): Promise<DriverModule['PrometheusDriver']> {
	const loaded = (await (driverModule ??= import('prometheus-query'))) as DriverModule & {default?: DriverModule};
	return loaded.PrometheusDriver ?? loaded.default!.PrometheusDriver;
}

export class PromClient {
	/** Requests sent so far (for the benchmark's queries per refresh). */
	sent = 0;
	private readonly agent: Agent | undefined;

	constructor(readonly connection: PromConnection) {
		this.agent = connection.ca ? new Agent({ca: connection.ca, keepAlive: true}) : undefined;
	}

	/** Where it points, without credentials. */
	get where(): string {
		try {
			const u = new URL(this.connection.url);
			return `${u.host}${u.pathname === '/' ? '' : u.pathname.replace(/\/$/, '')}`;
		} catch {
			return this.connection.url;
		}
	}

	private async driver(signal: AbortSignal | undefined, warnings: string[], http: {status?: number; foreign?: boolean}): Promise<PrometheusDriver> {
		const PrometheusDriver = await loadDriver();
		const {connection} = this;
		const headers: Record<string, string> = {...connection.headers};
		if (connection.bearerToken) headers.Authorization = `Bearer ${connection.bearerToken}`;
		return new PrometheusDriver({
			endpoint: connection.url,
			headers,
			...(connection.basicAuth ? {auth: connection.basicAuth} : {}),
			timeout: connection.timeoutMs ?? 10_000,
			preferPost: true,
			requestInterceptor: {
				onFulfilled: config => {
					if (signal) config.signal = signal;
					if (this.agent) config.httpsAgent = this.agent;
					return config;
				},
			},
			responseInterceptor: {
				onFulfilled: response => {
					http.status = response.status;
					const body = response.data;
					// A body that is not the API's envelope (an HTML login page): prometheus-query would call it a network error.
					http.foreign = !body || typeof body !== 'object' || typeof body.status !== 'string';
					if (Array.isArray(body?.warnings)) warnings.push(...body.warnings.map(String));
					fixAnswerBody(body);
					return response;
				},
				onRejected: error => {
					// prometheus-query forgets the HTTP status when the body is not Prometheus's (a proxy's 502 page).
					http.status = error?.response?.status;
					throw error;
				},
			},
		});
	}

	private async call(run: (driver: PrometheusDriver) => Promise<QueryResult>, options: CallOptions): Promise<PromAnswer> {
		if (options.signal?.aborted) throw new PromError('aborted', 'the query was cancelled');
		const warnings: string[] = [];
		const http: {status?: number; foreign?: boolean} = {};
		this.sent++;
		let result: QueryResult;
		try {
			result = await run(await this.driver(options.signal, warnings, http));
		} catch (error) {
			const e = toPromError(error);
			if (http.foreign) throw new PromError('protocol', `the answer from ${this.where} is not from a Prometheus API (check the URL and its path prefix)`, http.status === undefined ? {} : {httpStatus: http.status});
			if (e.kind === 'protocol' && http.status !== undefined && http.status >= 400) throw new PromError('http', `HTTP ${http.status} from ${this.where} (not a Prometheus answer)`, {httpStatus: http.status});
			throw e;
		}
		return {series: toSeries(result), warnings};
	}

	/** An instant query at `time` (ms; default now). */
	instant(query: string, time?: number, options: CallOptions = {}): Promise<PromAnswer> {
		return this.call(d => d.instantQuery(query, time ?? Date.now()), options);
	}

	/** A range query from `start` to `end` (ms) every `stepSeconds`. */
	range(query: string, start: number, end: number, stepSeconds: number, options: CallOptions = {}): Promise<PromAnswer> {
		return this.call(d => d.rangeQuery(query, start, end, stepSeconds), options);
	}
}
