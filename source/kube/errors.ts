// Failures talking to the Kubernetes API, told apart the way an operator needs them.

export type KubeErrorReason = 'NotFound' | 'Forbidden' | 'Conflict' | 'Unauthorized' | 'Expired' | 'Invalid' | 'Unreachable' | string;

export class KubeError extends Error {
	constructor(
		readonly code: number,
		readonly reason: KubeErrorReason,
		message: string,
	) {
		super(message);
	}

	get unreachable(): boolean {
		return this.code === 0 || this.code >= 500;
	}
}

/** Build a KubeError from an HTTP answer: the Status body when there is one. */
export function fromResponse(code: number, body: string): KubeError {
	try {
		const status = JSON.parse(body);
		if (status?.kind === 'Status') return new KubeError(status.code ?? code, status.reason ?? String(code), status.message ?? body);
	} catch {
		// not JSON
	}
	return new KubeError(code, String(code), `HTTP ${code}: ${body.slice(0, 200)}`);
}

const reasons: Record<number, string> = {401: 'Unauthorized', 403: 'Forbidden', 404: 'NotFound', 409: 'Conflict', 410: 'Expired', 422: 'Invalid'};

/** Any thrown value as a KubeError; network failures become Unreachable. */
export function toKubeError(error: unknown): KubeError {
	if (error instanceof KubeError) return error;
	const e = error as {code?: unknown; body?: unknown; message?: string; cause?: {code?: string; message?: string}};
	if (typeof e?.code === 'number' && typeof e.body === 'string') return fromResponse(e.code, e.body);
	const statusCode = (e as {statusCode?: unknown})?.statusCode;
	if (typeof statusCode === 'number') return new KubeError(statusCode, reasons[statusCode] ?? String(statusCode), `${e.message ?? 'request failed'} (HTTP ${statusCode})`);
	const cause = e?.cause?.code ?? e?.cause?.message ?? '';
	return new KubeError(0, 'Unreachable', `${e?.message ?? String(error)}${cause ? ` (${cause})` : ''}`);
}
