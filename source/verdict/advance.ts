// --auto-advance, the pure part: while the verdict passes, the canary moves to the next weight of the plan
// every step interval; marginal or fail stops it. The progress is kept in the annotation
// `rollscope.dev/auto-advance` on the canary Deployment ({"step":2,"weight":25,"at":"…"}), so a view
// started again goes on from the last step and its time instead of starting the interval over.
//
// A step needs a pass verdict on a window that started at or after the step (or, when the view does not
// know when the canary got to its weight, after the view started): a window that began before the step
// judged traffic at the old weight.
//
// A stop is kept too: the record gains `"stopped":{"why":"verdict fail at 25%","at":"…"}`, and no view
// advances while the record says stopped at the canary's current weight (it says `auto-advance stopped
// earlier: …`). The operator resumes automatic advancing by changing the weight by hand (the record then
// tells of another weight and no longer counts) or by removing the annotation; a new canary template (its
// Deployment revision moves on, say a fixed image after an abort) also ends the stop. The next step writes a new
// record without the stop.
import {formatAge} from '../text/format.js';
import type {VerdictState} from './judge.js';

export const AUTO_ADVANCE_ANNOTATION = 'rollscope.dev/auto-advance';

/** Why auto-advance stopped (`verdict fail at 25%`), when (ISO time), and at which revision of the canary Deployment. */
export type AdvanceStop = {why: string; at: string; revision?: string};

/**
 * Step: 1-based position of `weight` in the (sorted) weight plan (0: not on the plan); at: ISO time of the
 * step; stopped: auto-advance stopped at this weight.
 */
export type AdvanceRecord = {step: number; weight: number; at: string; stopped?: AdvanceStop};

const validTime = (value: unknown): value is string => typeof value === 'string' && Number.isFinite(Date.parse(value));

/** The record in the annotation's value, or undefined when there is none or it does not parse. */
export function readAdvanceRecord(raw: string | undefined): AdvanceRecord | undefined {
	if (raw === undefined) return undefined;
	let r: any;
	try {
		r = JSON.parse(raw);
	} catch {
		return undefined;
	}
	if (!Number.isInteger(r?.step) || typeof r?.weight !== 'number' || !validTime(r?.at)) return undefined;
	const record: AdvanceRecord = {step: r.step, weight: r.weight, at: r.at};
	// A stop that cannot be read still stops: whoever wrote it meant auto-advance to hold here.
	if (r.stopped !== undefined && r.stopped !== null) {
		const s = r.stopped;
		record.stopped = {why: typeof s?.why === 'string' ? s.why : 'stopped', at: validTime(s?.at) ? s.at : r.at, ...(typeof s?.revision === 'string' ? {revision: s.revision} : {})};
	}
	return record;
}

/** The weights of the plan in order, without repeats. */
export function sortedPlan(plan: readonly number[]): number[] {
	return [...new Set(plan)].sort((a, b) => a - b);
}

/** Whether a recorded weight is the canary's weight now (the router may round it). */
export function sameWeight(recorded: number, current: number): boolean {
	return Math.abs(recorded - current) <= 0.5;
}

/** When the canary last moved to the weight it has now: the record's time when it tells of this weight, else `fallback`. */
export function lastStepTime(record: AdvanceRecord | undefined, current: number, fallback: number): number {
	if (record && sameWeight(record.weight, current)) return Date.parse(record.at);
	return fallback;
}

/**
 * The recorded stop when it is about the canary as it is now: the same weight and, when both are known, the same
 * revision. A stop at another weight, or before a new canary template (a new image after an abort), no longer counts.
 */
export function recordedStop(record: AdvanceRecord | undefined, current: number, revision?: string): AdvanceStop | undefined {
	const stop = record?.stopped;
	if (!stop || !sameWeight(record.weight, current)) return undefined;
	if (stop.revision !== undefined && revision !== undefined && stop.revision !== revision) return undefined;
	return stop;
}

/** The record that says auto-advance stopped at `current`: the step's record at this weight with the stop added, else a new one. */
export function stoppedRecord(record: AdvanceRecord | undefined, current: number, plan: readonly number[], stop: AdvanceStop): AdvanceRecord {
	if (record && sameWeight(record.weight, current)) return {step: record.step, weight: record.weight, at: record.at, stopped: stop};
	const weight = Math.round(current * 10) / 10;
	const index = sortedPlan(plan).findIndex(w => sameWeight(w, current));
	return {step: index + 1, weight, at: stop.at, stopped: stop};
}

export type AdvanceInput = {
	verdict: VerdictState | undefined;
	/** Ms epoch where the verdict's window starts (judged-at minus the window); undefined: not known. */
	windowStart?: number;
	/** Wall-clock ms of the last step (or of the start, before any). */
	lastStepAt: number;
	/** True when lastStepAt is the view's start (or when it saw the weight change), not a step it knows of. */
	sinceStart?: boolean;
	/** A stop recorded at the current weight (its reason, and when, ms epoch). */
	stopped?: {why: string; at: number};
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
	| {kind: 'held'; why: string; at: number}
	| {kind: 'done'; why: string};

/** What --auto-advance does now. Marginal and fail stop it; a stop recorded at this weight holds it. */
export function decideAdvance(input: AdvanceInput): AdvanceDecision {
	const {verdict, windowStart, lastStepAt, now, intervalMs, current} = input;
	const plan = sortedPlan(input.plan);
	const at = `${Math.round(current)}%`;
	if (input.stopped) return {kind: 'held', why: input.stopped.why, at: input.stopped.at};
	if (verdict === 'fail' || verdict === 'marginal') return {kind: 'stop', why: `verdict ${verdict} at ${at}`};
	const next = plan.find(w => w > current + 0.05);
	if (next === undefined) return {kind: 'done', why: `the canary is at ${at}, the end of the weight plan (${plan.join(', ')})`};
	if (verdict !== 'pass') return {kind: 'wait', why: `waiting for a pass verdict before ${next}%`};
	const until = lastStepAt + intervalMs;
	if (now < until) return {kind: 'wait', why: `next step ${next}%`, until};
	if (windowStart === undefined || windowStart < lastStepAt) {
		return {kind: 'wait', why: input.sinceStart ? `waiting for a window that starts after the view saw the canary at ${at}` : `waiting for a window after the step to ${at}`};
	}
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
		case 'held':
			return `auto-advance stopped earlier: ${decision.why} (${formatAge((now - decision.at) / 1000)} ago)`;
		case 'done':
			return `auto-advance done: ${decision.why}`;
	}
}

function seconds(ms: number): string {
	const s = Math.max(0, Math.ceil(ms / 1000));
	return s >= 60 ? `${Math.floor(s / 60)}m ${String(s % 60).padStart(2, '0')}s` : `${s}s`;
}
