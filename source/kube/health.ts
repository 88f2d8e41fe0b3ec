// Whether the API server answers: a cheap request (GET /readyz) every few seconds with a short timeout. A
// frozen or partitioned server keeps its watch connections open and silent; this is how the view learns it.
import type {KubeClient} from './client.js';
import {toKubeError} from './errors.js';

/** `unreachable`: no answer came (else the request could not be made: an exec plugin failed...). */
export type Health = {answering: true; at: number} | {answering: false; since: number; error: string; unreachable: boolean};

/** Every 4 s (after the last answer), each allowed 3 s: a server that stops answering is known within 7 s. */
export const PROBE_INTERVAL_MS = 4000;
export const PROBE_TIMEOUT_MS = 3000;

export type HealthProbe = {stop(): void};

export function startHealthProbe(client: Pick<KubeClient, 'probe'>, onHealth: (health: Health) => void, options: {intervalMs?: number; timeoutMs?: number} = {}): HealthProbe {
	const intervalMs = options.intervalMs ?? PROBE_INTERVAL_MS;
	const timeoutMs = options.timeoutMs ?? PROBE_TIMEOUT_MS;
	let stopped = false;
	let timer: NodeJS.Timeout | undefined;
	let failingSince: number | undefined;
	const run = async () => {
		if (stopped) return;
		// Fresh as of when it was asked: the answer was made after that.
		const asked = Date.now();
		try {
			await client.probe(timeoutMs);
			failingSince = undefined;
			if (!stopped) onHealth({answering: true, at: asked});
		} catch (error) {
			failingSince ??= Date.now();
			const e = toKubeError(error);
			if (!stopped) onHealth({answering: false, since: failingSince, error: e.message, unreachable: e.unreachable});
		} finally {
			if (!stopped) timer = setTimeout(() => void run(), intervalMs);
		}
	};
	void run();
	return {
		stop() {
			stopped = true;
			clearTimeout(timer);
		},
	};
}
