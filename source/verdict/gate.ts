// `rollscope gate`: when to stop and with which exit code. Pure.
import type {Verdict} from './judge.js';

export const gateExitCodes = {healthy: 0, failed: 1, usage: 2, collecting: 3, unreachable: 4} as const;
export type GateCode = 0 | 1 | 3 | 4;

export type GateProgress = {
	/** The verdict after the latest window; undefined before the first. */
	verdict?: Verdict;
	/** Whether any window so far was judged (pass or marginal; not only collecting). */
	judged: boolean;
	elapsedMs: number;
	forMs: number;
	/** The release has finished: the new version is gone or promoted, so there is nothing left to compare. */
	finished: boolean;
	/** Requests to Prometheus so far, and how many it answered (absent: not counted). */
	prometheus?: {asked: number; answered: number};
};

export type GateEnd = {code: GateCode; why: string};

/** The end of the gate, or undefined to keep watching. */
export function gateStep(p: GateProgress): GateEnd | undefined {
	const state = p.verdict?.state;
	if (state === 'fail') return {code: 1, why: `SLO failure: ${p.verdict!.reason}`};
	// Asked and never answered, to the end: an outage, not too little traffic.
	const unreachable = p.prometheus !== undefined && p.prometheus.asked > 0 && p.prometheus.answered === 0;
	if (unreachable && (p.finished || p.elapsedMs >= p.forMs)) return {code: 4, why: `Prometheus did not answer any of ${p.prometheus!.asked} request(s) during the whole run: nothing was judged`};
	if (p.finished) {
		return p.judged ? {code: 0, why: 'the release finished healthy'} : {code: 3, why: 'the release finished before there was enough traffic to judge it'};
	}
	if (p.elapsedMs < p.forMs) return undefined;
	if (state === undefined || state === 'collecting') return {code: 3, why: `timed out while still collecting${p.verdict ? `: ${p.verdict.reason}` : ''}`};
	return {code: 0, why: `healthy for the whole duration (last: ${state})`};
}
