// Failures talking to the Kubernetes API, told apart the way an operator needs them: what the server
// answered (its Status), or why no answer came (refused, timed out, an untrusted certificate...).

export type KubeErrorReason = 'NotFound' | 'Forbidden' | 'Conflict' | 'Unauthorized' | 'Expired' | 'Invalid' | 'Unreachable' | 'Timeout' | string;

export class KubeError extends Error {
	constructor(
		readonly code: number,
		readonly reason: KubeErrorReason,
		message: string,
		/** The Status's details.causes[].reason (e.g. ResourceVersionTooLarge). */
		readonly causes: readonly string[] = [],
		/**
		 * For a request that got no answer: whether it may have reached the server and been carried out there
		 * (it timed out or its connection broke after it was sent), as opposed to never having left (refused,
		 * no such host, TLS failed).
		 */
		readonly maybeSent = false,
	) {
		super(message);
	}

	/** Seconds the server asked to wait before the request is made again (its Retry-After header), when it said. */
	retryAfterSeconds: number | undefined;

	/** The server is busy and said when to come back: 429, or a 5xx with a Retry-After (as client-go retries them). */
	get busy(): boolean {
		return this.retryAfterSeconds !== undefined && (this.code === 429 || this.code >= 500);
	}

	/** No answer came (or the server said it cannot serve now). */
	get unreachable(): boolean {
		return (this.code === 0 && this.reason === 'Unreachable') || this.code >= 500;
	}
}

/**
 * The server answered a watch from a resourceVersion newer than any it has (it was restored from an older
 * etcd state, or is behind): whatever the client holds may be gone, so it must list again.
 */
export function isTooLargeResourceVersion(error: {code?: number; reason?: string; message?: string; causes?: readonly string[]}): boolean {
	if (error.causes?.includes('ResourceVersionTooLarge')) return true;
	return (error.code === 504 || error.reason === 'Timeout') && /too large resource version/i.test(error.message ?? '');
}

/** A Status object (from a body or a watch ERROR event) as a KubeError. */
export function fromStatus(status: any, code = 0): KubeError {
	const causes = Array.isArray(status?.details?.causes) ? status.details.causes.map((c: any) => String(c?.reason ?? '')).filter(Boolean) : [];
	const statusCode = typeof status?.code === 'number' ? status.code : code;
	// A 504 (the server's own timeout) means the request may still be carried out.
	return new KubeError(statusCode, status?.reason ?? String(statusCode), status?.message ?? `HTTP ${statusCode}`, causes, statusCode === 504);
}

/** Retry-After in whole seconds, as client-go reads it (a date is not read); undefined when absent or not that. */
export function retryAfterSeconds(header: unknown): number | undefined {
	const value = Array.isArray(header) ? header[0] : header;
	if (typeof value !== 'string' || !/^\s*\d{1,9}\s*$/.test(value)) return undefined;
	return Number(value);
}

/** Build a KubeError from an HTTP answer: the Status body when there is one; `retryAfter` its Retry-After header. */
export function fromResponse(code: number, body: string, retryAfter?: unknown): KubeError {
	let error: KubeError | undefined;
	try {
		const status = JSON.parse(body);
		if (status?.kind === 'Status') error = fromStatus(status, code);
	} catch {
		// not JSON
	}
	if (!error) {
		const text = body.trim().split('\n')[0]!.slice(0, 200);
		error = new KubeError(code, reasons[code] ?? String(code), `HTTP ${code}${text ? `: ${text}` : ''}`, [], code === 504);
	}
	error.retryAfterSeconds = retryAfterSeconds(retryAfter);
	return error;
}

const reasons: Record<number, string> = {401: 'Unauthorized', 403: 'Forbidden', 404: 'NotFound', 409: 'Conflict', 410: 'Expired', 422: 'Invalid', 429: 'TooManyRequests', 504: 'Timeout'};

/** Error codes of failures before a request could be sent. */
const notSent: Record<string, string> = {
	ECONNREFUSED: 'connection refused',
	ENOTFOUND: 'no such host',
	EAI_AGAIN: 'the host name cannot be resolved now',
	EHOSTUNREACH: 'no route to the host',
	ENETUNREACH: 'the network is unreachable',
	EADDRNOTAVAIL: 'the address is not available',
	UND_ERR_CONNECT_TIMEOUT: 'the connection timed out',
	DEPTH_ZERO_SELF_SIGNED_CERT: "its certificate is self-signed and not trusted (set certificate-authority in the kubeconfig)",
	SELF_SIGNED_CERT_IN_CHAIN: "its certificate is not signed by the kubeconfig's certificate authority",
	UNABLE_TO_VERIFY_LEAF_SIGNATURE: "its certificate is not signed by the kubeconfig's certificate authority",
	UNABLE_TO_GET_ISSUER_CERT_LOCALLY: "its certificate is not signed by the kubeconfig's certificate authority",
	CERT_HAS_EXPIRED: 'its certificate has expired',
	ERR_TLS_CERT_ALTNAME_INVALID: "its certificate is not for this address (the kubeconfig's tls-server-name can name the one it is for)",
	ERR_SSL_WRONG_VERSION_NUMBER: 'it does not speak TLS on this port (is the server URL http:// rather than https://?)',
	EPROTO: 'the TLS handshake failed',
};

/** Error codes of connections that broke: the request may have been sent. */
const broken: Record<string, string> = {
	ECONNRESET: 'the connection was reset',
	EPIPE: 'the connection broke',
	UND_ERR_SOCKET: 'the connection closed',
	UND_ERR_CLOSED: 'the connection closed',
	UND_ERR_HEADERS_TIMEOUT: 'no answer in time',
	UND_ERR_BODY_TIMEOUT: 'no answer in time',
};

/** Any thrown value as a KubeError; network failures become Unreachable, in words. */
export function toKubeError(error: unknown): KubeError {
	if (error instanceof KubeError) return error;
	const e = error as {name?: string; code?: unknown; body?: unknown; message?: string; cause?: {code?: string; message?: string; name?: string; cause?: {code?: string}}};
	if (typeof e?.code === 'number' && typeof e.body === 'string') return fromResponse(e.code, e.body);
	const statusCode = (e as {statusCode?: unknown})?.statusCode;
	if (typeof statusCode === 'number') return new KubeError(statusCode, reasons[statusCode] ?? String(statusCode), `${e.message ?? 'request failed'} (HTTP ${statusCode})`);
	if (e?.name === 'TimeoutError' || e?.cause?.name === 'TimeoutError') return new KubeError(0, 'Unreachable', 'no answer in time', [], true);
	const code = [e?.cause?.code, e?.cause?.cause?.code, typeof e?.code === 'string' ? e.code : undefined].find((c): c is string => typeof c === 'string' && c !== '');
	if (code && notSent[code]) return new KubeError(0, 'Unreachable', notSent[code]!);
	if (code && broken[code]) return new KubeError(0, 'Unreachable', broken[code]!, [], true);
	const detail = e?.cause?.message ?? e?.message ?? String(error);
	return new KubeError(0, 'Unreachable', `${detail}${code && !detail.includes(code) ? ` (${code})` : ''}`, [], true);
}
