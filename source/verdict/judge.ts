// The verdict on a canary: is the new version worse than the old one, and how sure is it?
// Each evaluation window is judged per SLI; a release fails only after `failAfter` failing
// windows in a row, so one noisy window makes it marginal, not failed. Marginal asks for a sure difference of at
// least half the practical margin: with much traffic the tests find differences too small to matter, and a
// healthy canary should not turn the header yellow (or stop --auto-advance) for them.
import {mannWhitneyFromBuckets, twoProportionTest} from './statistics.js';

export type VerdictState = 'collecting' | 'pass' | 'marginal' | 'fail';

export type Arm = {
	/** Requests and errors in the window (counts, e.g. round(increase(...[w]))). */
	requests: number;
	errors: number;
	/** Per-bucket request counts of the latency histogram, same bounds for both arms. */
	buckets?: number[];
	/** p95 latency in ms, for the absolute limit. */
	p95Ms?: number;
};

export type WindowData = {canary: Arm; baseline: Arm};

export type JudgeConfig = {
	/** Requests each arm needs in a window before it is judged. */
	minRequests: number;
	/** Significance level of each test. */
	alpha: number;
	/** Error ratio increase that matters: max(absolute, relative × baseline ratio). */
	errorMarginAbsolute: number;
	errorMarginRelative: number;
	/** Probability that a canary request is slower than a baseline one above which latency matters. */
	latencyMargin: number;
	/** Absolute limits, when set. */
	maxErrorRatio?: number;
	maxP95Ms?: number;
	/** Failing windows in a row before the verdict is fail. */
	failAfter: number;
};

export const defaultJudgeConfig: JudgeConfig = {
	minRequests: 200,
	alpha: 0.01,
	errorMarginAbsolute: 0.005,
	errorMarginRelative: 0.5,
	latencyMargin: 0.6,
	failAfter: 3,
};

export type SliVerdict = {sli: 'errors' | 'latency'; state: VerdictState; reason: string; p?: number};

export type Verdict = {
	state: VerdictState;
	/** The reason in words and figures, worst SLI first. */
	reason: string;
	slis: SliVerdict[];
	/** Failing windows in a row so far. */
	failingWindows: number;
};

const pct = (x: number) => `${(x * 100).toFixed(x < 0.01 ? 2 : 1)} %`;
const pValue = (p: number) => (p < 0.001 ? 'p < 0.001' : `p = ${p.toFixed(3)}`);

export function judgeErrors(w: WindowData, c: JudgeConfig): SliVerdict {
	const {canary, baseline} = w;
	if (canary.requests < c.minRequests || baseline.requests < c.minRequests) {
		return {sli: 'errors', state: 'collecting', reason: `errors: ${Math.round(canary.requests)}/${c.minRequests} canary and ${Math.round(baseline.requests)}/${c.minRequests} baseline requests so far`};
	}
	const pc = canary.errors / canary.requests;
	const pb = baseline.errors / baseline.requests;
	const figures = `errors ${pct(pc)} vs ${pct(pb)}`;
	if (c.maxErrorRatio !== undefined && pc > c.maxErrorRatio) {
		return {sli: 'errors', state: 'fail', reason: `${figures}, above the limit of ${pct(c.maxErrorRatio)}`};
	}
	const margin = Math.max(c.errorMarginAbsolute, c.errorMarginRelative * pb);
	const material = twoProportionTest({errors: canary.errors, total: canary.requests}, {errors: baseline.errors, total: baseline.requests}, margin);
	if (material.p < c.alpha) return {sli: 'errors', state: 'fail', reason: `${figures}, ${pValue(material.p)}`, p: material.p};
	const any = twoProportionTest({errors: canary.errors, total: canary.requests}, {errors: baseline.errors, total: baseline.requests});
	// Marginal: surely worse, and by at least half the margin; a smaller difference, however sure, passes.
	if (any.p < c.alpha && pc - pb >= margin / 2) return {sli: 'errors', state: 'marginal', reason: `${figures}, ${pValue(any.p)}, under the margin of ${pct(margin)}`, p: any.p};
	return {sli: 'errors', state: 'pass', reason: `${figures}`, p: any.p};
}

export function judgeLatency(w: WindowData, c: JudgeConfig): SliVerdict {
	const {canary, baseline} = w;
	const figures = canary.p95Ms !== undefined && baseline.p95Ms !== undefined ? `p95 ${Math.round(canary.p95Ms)} ms vs ${Math.round(baseline.p95Ms)} ms` : 'latency';
	if (c.maxP95Ms !== undefined && canary.p95Ms !== undefined && canary.requests >= c.minRequests && canary.p95Ms > c.maxP95Ms) {
		return {sli: 'latency', state: 'fail', reason: `${figures}, above the limit of ${c.maxP95Ms} ms`};
	}
	if (!canary.buckets || !baseline.buckets || canary.requests < c.minRequests || baseline.requests < c.minRequests) {
		return {sli: 'latency', state: 'collecting', reason: `${figures}: not enough requests yet`};
	}
	const r = mannWhitneyFromBuckets(canary.buckets, baseline.buckets);
	if (!r) return {sli: 'latency', state: 'collecting', reason: `${figures}: no histogram data yet`};
	const slower = `canary slower in ${Math.round(r.cles * 100)} % of pairs`;
	if (r.p < c.alpha && r.cles > c.latencyMargin) return {sli: 'latency', state: 'fail', reason: `${figures}, ${slower}, ${pValue(r.p)}`, p: r.p};
	if (r.p < c.alpha && r.cles - 0.5 >= (c.latencyMargin - 0.5) / 2) return {sli: 'latency', state: 'marginal', reason: `${figures}, ${slower}, ${pValue(r.p)}, under the margin`, p: r.p};
	return {sli: 'latency', state: 'pass', reason: figures, p: r.p};
}

const rank: Record<VerdictState, number> = {fail: 3, marginal: 2, collecting: 1, pass: 0};

/** The verdict after one more window, given the one before (for the failing-window count). */
export function nextVerdict(previous: Verdict | undefined, window: WindowData, config: JudgeConfig = defaultJudgeConfig): Verdict {
	const slis = [judgeErrors(window, config), judgeLatency(window, config)].sort((a, b) => rank[b.state] - rank[a.state]);
	const worst = slis[0]!;
	const failing = worst.state === 'fail';
	const failingWindows = failing ? (previous?.failingWindows ?? 0) + 1 : 0;
	let state: VerdictState = worst.state;
	let reason = worst.reason;
	if (failing && failingWindows < config.failAfter) {
		state = 'marginal';
		reason = `${worst.reason} (failing window ${failingWindows} of ${config.failAfter})`;
	}
	return {state, reason, slis, failingWindows};
}
