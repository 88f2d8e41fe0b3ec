// --auto-advance, the pure part: while the verdict passes, the canary moves to the next weight of the plan
// every step interval; marginal or fail stops it. The progress is kept in the annotation
// `rollscope.dev/auto-advance` on the canary Deployment ({"step":2,"weight":25,"at":"…"}), so a view
// started again goes on from the last step and its time instead of starting the interval over.
import type {VerdictState} from './judge.js';

export const AUTO_ADVANCE_ANNOTATION = 'rollscope.dev/auto-advance';

/** Step: 1-based position of `weight` in the (sorted) weight plan; at: ISO time of the step. */
export type AdvanceRecord = {step: number; weight: number; at: string};

/** The record in the annotation's value, or undefined when there is none or it does not parse. */
export function readAdvanceRecord(raw: string | undefined): AdvanceRecord | undefined {
	if (raw === undefined) return undefined;
	try {
		const r = JSON.parse(raw);
		if (Number.isInteger(r?.step) && typeof r?.weight === 'number' && typeof r?.at === 'string' && Number.isFinite(Date.parse(r.at))) return {step: r.step, weight: r.weight, at: r.at};
	} catch {
		// fall through
	}
	return undefined;
}

/** The weights of the plan in order, without repeats. */
export function sortedPlan(plan: readonly number[]): number[] {
	return [...new Set(plan)].sort((a, b) => a - b);
}

/** When the canary last moved to the weight it has now: the record's time when it tells of this weight, else `fallback`. */
export function lastStepTime(record: AdvanceRecord | undefined, current: number, fallback: number): number {
	if (record && Math.abs(record.weight - current) <= 0.5) return Date.parse(record.at);
	return fallback;
}

export type AdvanceInput = {
	verdict: VerdictState | undefined;
	/** Wall-clock ms of the last step (or of the start, before any). */
	lastStepAt: number;
	now: number;
	intervalMs: number;
	/** The canary's weight now. */
	current: number;
	plan: readonly number[];
};

export type AdvanceDecision =
	| {kind: 'advance'; to: number; step: number}
	| {kind: 'wait'; why: string; until?: number}
	| {kind: 'stop'; why: string}
	| {kind: 'done'; why: string};

/** What --auto-advance does now. Marginal and fail stop it (for good: the operator decides then). */
export function decideAdvance(input: AdvanceInput): AdvanceDecision {
	const {verdict, lastStepAt, now, intervalMs, current} = input;
	const plan = sortedPlan(input.plan);
	const at = `${Math.round(current)}%`;
	if (verdict === 'fail' || verdict === 'marginal') return {kind: 'stop', why: `verdict ${verdict} at ${at}`};
	const next = plan.find(w => w > current + 0.05);
	if (next === undefined) return {kind: 'done', why: `the canary is at ${at}, the end of the weight plan (${plan.join(', ')})`};
	if (verdict !== 'pass') return {kind: 'wait', why: `waiting for a pass verdict before ${next}%`};
	const until = lastStepAt + intervalMs;
	if (now < until) return {kind: 'wait', why: `next step ${next}%`, until};
	return {kind: 'advance', to: next, step: plan.indexOf(next) + 1};
}

/** The header's words for a decision: `auto-advance to 50% in 1m 20s`. */
export function advanceLabel(decision: AdvanceDecision, now: number): string {
	switch (decision.kind) {
		case 'advance':
			return `auto-advance: moving to ${decision.to}%`;
		case 'wait':
			return decision.until === undefined ? `auto-advance: ${decision.why}` : `auto-advance: ${decision.why} in ${seconds(decision.until - now)}`;
		case 'stop':
			return `auto-advance stopped: ${decision.why}`;
		case 'done':
			return `auto-advance done: ${decision.why}`;
	}
}

function seconds(ms: number): string {
	const s = Math.max(0, Math.ceil(ms / 1000));
	return s >= 60 ? `${Math.floor(s / 60)}m ${String(s % 60).padStart(2, '0')}s` : `${s}s`;
}
