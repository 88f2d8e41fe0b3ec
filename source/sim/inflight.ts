// How many requests kube-apiserver serves at once, and what it answers past that. Its limits are
// --max-requests-inflight (400 reads) and --max-mutating-requests-inflight (200 writes); with API Priority and
// Fairness they are the server's shares of concurrency. Past them it answers 429 with `Retry-After: 1` and a
// line of text (the filter writes it with http.Error, not as a Status). A watch needs a place only to start (APF
// counts its start, not its hours of streaming). The health probes and system:masters are exempt, as APF's
// exempt flow schemas make them.
import type http from 'node:http';
import type {User} from './auth.js';

export type InflightLimits = {reads: number; mutating: number};

export const DEFAULT_INFLIGHT: InflightLimits = {reads: 400, mutating: 200};

export const TOO_MANY_REQUESTS = 'Too many requests, please try again later.\n';

const readMethods = new Set(['GET', 'HEAD', 'OPTIONS']);

export class Inflight {
	private reads = 0;
	private mutating = 0;
	/** Requests answered 429, by User-Agent (kube-apiserver counts them in apiserver_flowcontrol_rejected_requests_total). */
	readonly refused = new Map<string, number>();

	constructor(private limits: InflightLimits = DEFAULT_INFLIGHT) {}

	/** Serve at most this many from now on (those under way finish); `{reads: 0, mutating: 0}` refuses every one that counts. */
	limit(limits: InflightLimits): void {
		this.limits = limits;
	}

	/** How many requests from a User-Agent starting with `prefix` were answered 429. */
	refusedFor(prefix: string): number {
		let n = 0;
		for (const [agent, count] of this.refused) if (agent.startsWith(prefix)) n += count;
		return n;
	}

	/**
	 * Count a request in until its response is done (or its stream closes); false, with nothing counted, when
	 * the server already serves as many of its kind as it may. A watch is let in when there is room, not counted.
	 */
	admit(method: string, user: User, watch: boolean, res: http.ServerResponse): boolean {
		if (user.groups.includes('system:masters')) return true;
		const read = readMethods.has(method);
		if (read ? this.reads >= this.limits.reads : this.mutating >= this.limits.mutating) {
			const agent = String(res.req?.headers['user-agent'] ?? '');
			this.refused.set(agent, (this.refused.get(agent) ?? 0) + 1);
			return false;
		}
		if (watch) return true;
		if (read) this.reads++;
		else this.mutating++;
		let done = false;
		const release = () => {
			if (done) return;
			done = true;
			if (read) this.reads--;
			else this.mutating--;
		};
		res.once('finish', release);
		res.once('close', release);
		return true;
	}
}

/** The answer past the limit, as kube-apiserver's filter writes it. */
export function tooManyRequests(res: http.ServerResponse): void {
	res.writeHead(429, {'Content-Type': 'text/plain; charset=utf-8', 'X-Content-Type-Options': 'nosniff', 'Retry-After': '1', 'Content-Length': Buffer.byteLength(TOO_MANY_REQUESTS)});
	res.end(TOO_MANY_REQUESTS);
}
