// Errors from a Prometheus-compatible API as real Error objects with a kind, whatever threw them
// (prometheus-query throws plain objects; axios throws its own; aborts throw CanceledError).

export type PromErrorKind =
	/** No answer: refused, DNS, reset. */
	| 'unreachable'
	| 'timeout'
	| 'tls'
	| 'aborted'
	/** Prometheus answered with an error (bad query, execution failure). */
	| 'query'
	/** HTTP error without a Prometheus body (proxy, auth). */
	| 'http'
	/** An answer that is not Prometheus's. */
	| 'protocol';

export class PromError extends Error {
	override name = 'PromError';
	constructor(
		readonly kind: PromErrorKind,
		message: string,
		readonly details: {httpStatus?: number; errorType?: string; code?: string} = {},
	) {
		super(message);
	}

	/** Whether it is about reaching Prometheus at all, rather than about one query. */
	get isOutage(): boolean {
		return this.kind === 'unreachable' || this.kind === 'timeout' || this.kind === 'tls' || (this.kind === 'http' && (this.details.httpStatus ?? 0) >= 500);
	}
}

/** Anything prometheus-query (or axios under it) rejects with, as a PromError. */
export function toPromError(thrown: unknown): PromError {
	if (thrown instanceof PromError) return thrown;
	const e = (thrown ?? {}) as Record<string, any>;
	if (typeof thrown === 'string') return new PromError('protocol', thrown);
	const code: string | undefined = typeof e.code === 'string' ? e.code : undefined;
	if (code === 'ERR_CANCELED' || e.name === 'CanceledError' || e.name === 'AbortError') return new PromError('aborted', 'the query was cancelled', {code: 'ERR_CANCELED'});
	switch (e.errorType) {
		case 'network_error':
			return new PromError('unreachable', String(e.error ?? e.message ?? 'network error'), code ? {code} : {});
		case 'timeout_error':
			return new PromError('timeout', String(e.error ?? 'timed out'), code ? {code} : {});
		case 'ssl_error':
			return new PromError('tls', String(e.error ?? 'TLS error'), code ? {code} : {});
		case 'http_error': {
			const body = e.prometheus ?? {};
			const httpStatus = typeof e.httpStatus === 'number' ? e.httpStatus : undefined;
			if (body?.status === 'error' && typeof body.errorType === 'string') {
				return new PromError('query', `${body.errorType}: ${String(body.error ?? e.error)}`, {httpStatus, errorType: body.errorType});
			}
			return new PromError('http', `HTTP ${httpStatus ?? '?'}${e.error ? `: ${String(e.error)}` : ''}`, httpStatus === undefined ? {} : {httpStatus});
		}
		case 'client_error':
			return new PromError('protocol', 'the answer is not from a Prometheus API (check the URL and its path prefix)');
	}
	if (thrown instanceof Error) {
		if (/certificate|self[- ]signed|SSL|TLS/i.test(thrown.message) || code?.startsWith('ERR_SSL') || code?.includes('CERT')) return new PromError('tls', thrown.message, code ? {code} : {});
		return new PromError('protocol', thrown.message, code ? {code} : {});
	}
	return new PromError('protocol', String(e.error ?? e.message ?? 'unknown error'));
}
