import assert from 'node:assert/strict';
import {test} from 'node:test';
import {mannWhitneyFromBuckets, twoProportionTest} from '../../source/verdict/statistics.js';
import {defaultJudgeConfig, judgeErrors, judgeLatency, nextVerdict, type Verdict, type WindowData} from '../../source/verdict/judge.js';

const healthy = [500, 400, 300, 100, 10, 0];
const slow = [50, 100, 200, 400, 400, 100];

const window = (canary: Partial<WindowData['canary']>, baseline: Partial<WindowData['baseline']> = {}): WindowData => ({
	canary: {requests: 1000, errors: 2, buckets: healthy, p95Ms: 120, ...canary},
	baseline: {requests: 9000, errors: 18, buckets: healthy.map(x => x * 9), p95Ms: 120, ...baseline},
});

test('too few requests is collecting, and says how many', () => {
	const v = judgeErrors(window({requests: 50, errors: 1}), defaultJudgeConfig);
	assert.equal(v.state, 'collecting');
	assert.match(v.reason, /50\/200 canary/);
	assert.equal(judgeLatency(window({requests: 50}), defaultJudgeConfig).state, 'collecting');
});

test('equal versions pass', () => {
	const v = nextVerdict(undefined, window({}));
	assert.equal(v.state, 'pass');
	assert.equal(v.failingWindows, 0);
});

test('a canary that errs fails only after three failing windows in a row', () => {
	const bad = window({errors: 19});
	let v: Verdict | undefined;
	const states: string[] = [];
	for (let i = 0; i < 3; i++) {
		v = nextVerdict(v, bad);
		states.push(v.state);
	}
	assert.deepEqual(states, ['marginal', 'marginal', 'fail']);
	assert.match(v!.reason, /errors 1\.9 % vs 0\.20 %, p = 0\.003/);
	// A good window resets the count.
	v = nextVerdict(v, window({}));
	assert.equal(v.state, 'pass');
	assert.equal(nextVerdict(v, bad).state, 'marginal');
});

test('a significant but small increase is marginal, not fail', () => {
	// 0.5 % vs 0.2 %: significant with these counts, but under the 0.5 pp margin.
	const v = judgeErrors(window({requests: 20_000, errors: 100}, {requests: 20_000, errors: 40}), defaultJudgeConfig);
	assert.equal(v.state, 'marginal');
});

test('a sure difference smaller than half the margin passes', () => {
	// 0.35 % vs 0.20 % over 200,000 requests each: significant, but 0.15 pp is under half the 0.5 pp margin.
	const errors = judgeErrors(window({requests: 200_000, errors: 700}, {requests: 200_000, errors: 400}), defaultJudgeConfig);
	assert.ok(errors.p! < defaultJudgeConfig.alpha, `p ${errors.p}`);
	assert.equal(errors.state, 'pass');
	// Latency: a little of the canary's traffic one bucket up; slower in under 55 % of pairs, yet significant.
	const base = [50_000, 40_000, 30_000, 10_000, 1000, 0];
	const canary = [46_000, 42_000, 31_000, 10_500, 1500, 0];
	const r = mannWhitneyFromBuckets(canary, base)!;
	assert.ok(r.p < defaultJudgeConfig.alpha && r.cles > 0.5 && r.cles < 0.55, JSON.stringify(r));
	assert.equal(judgeLatency(window({requests: 131_000, buckets: canary}, {requests: 131_000, buckets: base}), defaultJudgeConfig).state, 'pass');
	// Beyond half the latency margin (55 % of pairs) it is marginal.
	const slower = [35_000, 42_000, 36_000, 15_000, 3000, 0];
	const s = mannWhitneyFromBuckets(slower, base)!;
	assert.ok(s.cles > 0.55 && s.cles <= 0.6, JSON.stringify(s));
	assert.equal(judgeLatency(window({requests: 131_000, buckets: slower}, {requests: 131_000, buckets: base}), defaultJudgeConfig).state, 'marginal');
});

test('absolute limits fail at once', () => {
	const config = {...defaultJudgeConfig, maxErrorRatio: 0.001, maxP95Ms: 100};
	assert.equal(judgeErrors(window({}), config).state, 'fail');
	const lat = judgeLatency(window({}), config);
	assert.equal(lat.state, 'fail');
	assert.match(lat.reason, /above the limit of 100 ms/);
});

test('slower canary latency fails the latency SLI', () => {
	const v = judgeLatency(window({buckets: slow, p95Ms: 400}), defaultJudgeConfig);
	assert.equal(v.state, 'fail');
	assert.match(v.reason, /p95 400 ms vs 120 ms, canary slower in \d+ % of pairs/);
});

// Every verdict below is whole: state, reason word for word, and p (from the statistics, checked against SciPy
// in ./statistics.test.ts).
const arms = (canary: [errors: number, requests: number], baseline: [errors: number, requests: number]): WindowData => ({
	canary: {errors: canary[0], requests: canary[1]},
	baseline: {errors: baseline[0], requests: baseline[1]},
});
const pAny = (w: WindowData) => twoProportionTest({errors: w.canary.errors, total: w.canary.requests}, {errors: w.baseline.errors, total: w.baseline.requests}).p;

test('judgeErrors: collecting until each arm has minRequests, counting rounded', () => {
	assert.deepEqual(judgeErrors(arms([1, 199], [1, 5000]), defaultJudgeConfig), {sli: 'errors', state: 'collecting', reason: 'errors: 199/200 canary and 5000/200 baseline requests so far'});
	assert.deepEqual(judgeErrors(arms([1, 5000], [1, 199.6]), defaultJudgeConfig), {sli: 'errors', state: 'collecting', reason: 'errors: 5000/200 canary and 200/200 baseline requests so far'});
	assert.equal(judgeErrors(arms([0, 200], [0, 200]), defaultJudgeConfig).state, 'pass', 'exactly minRequests is judged');
});

test('judgeErrors: fail when surely worse by the margin, marginal when surely worse by half of it, pass otherwise', () => {
	const fail = arms([200, 10000], [500, 100000]);
	const material = twoProportionTest({errors: 200, total: 10000}, {errors: 500, total: 100000}, 0.005);
	assert.deepEqual(judgeErrors(fail, defaultJudgeConfig), {sli: 'errors', state: 'fail', reason: 'errors 2.0 % vs 0.50 %, p < 0.001', p: material.p});
	const fail3 = arms([19, 1000], [18, 9000]);
	assert.deepEqual(judgeErrors(fail3, defaultJudgeConfig), {sli: 'errors', state: 'fail', reason: 'errors 1.9 % vs 0.20 %, p = 0.003', p: twoProportionTest({errors: 19, total: 1000}, {errors: 18, total: 9000}, 0.005).p});
	const marginal = arms([60, 10000], [100, 50000]);
	assert.deepEqual(judgeErrors(marginal, defaultJudgeConfig), {sli: 'errors', state: 'marginal', reason: 'errors 0.60 % vs 0.20 %, p < 0.001, under the margin of 0.50 %', p: pAny(marginal)});
	// Surely worse (p < 0.001) but by 0.2 points, under half the margin: a difference too small to matter.
	const small = arms([40, 10000], [100, 50000]);
	assert.ok(pAny(small) < 0.001);
	assert.deepEqual(judgeErrors(small, defaultJudgeConfig), {sli: 'errors', state: 'pass', reason: 'errors 0.40 % vs 0.20 %', p: pAny(small)});
	// Worse by the margin but not sure of it: pass.
	const unsure = arms([2, 200], [1, 200]);
	assert.deepEqual(judgeErrors(unsure, defaultJudgeConfig), {sli: 'errors', state: 'pass', reason: 'errors 1.0 % vs 0.50 %', p: pAny(unsure)});
	// The margin is relative to a high baseline ratio: 50 % of 10 % is 5 points.
	const relative = arms([1300, 10000], [1000, 10000]);
	assert.deepEqual(judgeErrors(relative, defaultJudgeConfig), {sli: 'errors', state: 'marginal', reason: 'errors 13.0 % vs 10.0 %, p < 0.001, under the margin of 5.0 %', p: pAny(relative)});
	assert.equal(judgeErrors(relative, {...defaultJudgeConfig, errorMarginRelative: 0.1}).state, 'fail', 'a margin of 1 point');
	assert.equal(judgeErrors(relative, {...defaultJudgeConfig, errorMarginRelative: 0.7}).state, 'pass', 'half a margin of 7 points is more than 3');
	assert.equal(judgeErrors(marginal, {...defaultJudgeConfig, alpha: 1e-14}).state, 'pass', 'alpha decides what is sure');
	assert.equal(judgeErrors(marginal, {...defaultJudgeConfig, errorMarginAbsolute: 0.001}).state, 'fail', 'a margin of 0.1 point');
});

test('judgeErrors: an absolute limit fails whatever the baseline, not at the limit itself', () => {
	const config = {...defaultJudgeConfig, maxErrorRatio: 0.02};
	assert.deepEqual(judgeErrors(arms([21, 1000], [21, 1000]), config), {sli: 'errors', state: 'fail', reason: 'errors 2.1 % vs 2.1 %, above the limit of 2.0 %'});
	assert.equal(judgeErrors(arms([20, 1000], [20, 1000]), config).state, 'pass');
	assert.deepEqual(judgeErrors(arms([5, 1000], [0, 1000]), {...defaultJudgeConfig, maxErrorRatio: 0.004}).reason, 'errors 0.50 % vs 0.00 %, above the limit of 0.40 %');
});

const L = (canary: number[] | undefined, baseline: number[] | undefined, o: {requests?: [number, number]; p95?: [number | undefined, number | undefined]} = {}): WindowData => ({
	canary: {requests: o.requests?.[0] ?? 1300, errors: 0, buckets: canary, p95Ms: o.p95 ? o.p95[0] : 120.4},
	baseline: {requests: o.requests?.[1] ?? 1300, errors: 0, buckets: baseline, p95Ms: o.p95 ? o.p95[1] : 118.6},
});
const base = [500, 400, 300, 100, 10, 0];

test('judgeLatency: fail when surely slower in more pairs than the margin, marginal past half of it, pass otherwise', () => {
	const mw = (c: number[], b: number[]) => mannWhitneyFromBuckets(c, b)!;
	const slower = [50, 100, 200, 400, 400, 100];
	assert.deepEqual(judgeLatency(L(slower, base), defaultJudgeConfig), {sli: 'latency', state: 'fail', reason: 'p95 120 ms vs 119 ms, canary slower in 88 % of pairs, p < 0.001', p: mw(slower, base).p});
	const somewhat = [300, 400, 300, 150, 50, 0];
	assert.deepEqual(judgeLatency(L(somewhat, base), defaultJudgeConfig), {sli: 'latency', state: 'marginal', reason: 'p95 120 ms vs 119 ms, canary slower in 59 % of pairs, p < 0.001, under the margin', p: mw(somewhat, base).p});
	const bit = [400, 400, 300, 150, 10, 0];
	assert.ok(mw(bit, base).p < 0.01);
	assert.deepEqual(judgeLatency(L(bit, base), defaultJudgeConfig), {sli: 'latency', state: 'pass', reason: 'p95 120 ms vs 119 ms', p: mw(bit, base).p});
	assert.deepEqual(judgeLatency(L(base, base, {p95: [undefined, 118]}), defaultJudgeConfig), {sli: 'latency', state: 'pass', reason: 'latency', p: mw(base, base).p});
	assert.equal(judgeLatency(L(slower, base), {...defaultJudgeConfig, latencyMargin: 0.9}).state, 'marginal', '88 % is past half of 90 %');
	assert.equal(judgeLatency(L(somewhat, base), {...defaultJudgeConfig, latencyMargin: 0.7}).state, 'pass', '59 % is under half of 70 %');
	assert.equal(judgeLatency(L(somewhat, base), {...defaultJudgeConfig, latencyMargin: 0.58}).state, 'fail');
	assert.equal(judgeLatency(L(slower, base), {...defaultJudgeConfig, alpha: 1e-300}).state, 'pass');
});

test('judgeLatency: collecting without histograms or requests; an absolute p95 limit once the canary has its requests', () => {
	assert.deepEqual(judgeLatency(L(undefined, base), defaultJudgeConfig), {sli: 'latency', state: 'collecting', reason: 'p95 120 ms vs 119 ms: not enough requests yet'});
	assert.deepEqual(judgeLatency(L(base, undefined, {p95: [undefined, undefined]}), defaultJudgeConfig), {sli: 'latency', state: 'collecting', reason: 'latency: not enough requests yet'});
	assert.equal(judgeLatency(L(base, base, {requests: [199, 1300]}), defaultJudgeConfig).state, 'collecting');
	assert.equal(judgeLatency(L(base, base, {requests: [1300, 199]}), defaultJudgeConfig).state, 'collecting');
	assert.equal(judgeLatency(L(base, base, {requests: [200, 200]}), defaultJudgeConfig).state, 'pass', 'exactly minRequests is judged');
	assert.deepEqual(judgeLatency(L([0, 0], [0, 0]), defaultJudgeConfig), {sli: 'latency', state: 'collecting', reason: 'p95 120 ms vs 119 ms: no histogram data yet'});
	const limit = {...defaultJudgeConfig, maxP95Ms: 120};
	assert.deepEqual(judgeLatency(L(base, base, {p95: [120.4, 50]}), limit), {sli: 'latency', state: 'fail', reason: 'p95 120 ms vs 50 ms, above the limit of 120 ms'});
	assert.equal(judgeLatency(L(base, base, {p95: [120, 50]}), limit).state, 'pass', 'at the limit');
	assert.equal(judgeLatency(L(base, base, {p95: [500, 50], requests: [199, 1300]}), limit).state, 'collecting', 'too few canary requests for the limit');
	assert.equal(judgeLatency(L(undefined, undefined, {p95: [500, 50]}), limit).state, 'fail', 'the limit needs no histogram');
	assert.equal(judgeLatency(L(base, base, {p95: [undefined, 50]}), limit).state, 'pass', 'no canary p95, no limit');
});

test('nextVerdict: the worst SLI first (fail, marginal, collecting, pass), its reason the verdict\'s', () => {
	const slowWindow = (errors: [number, number]): WindowData => ({
		canary: {requests: 1300, errors: errors[0], buckets: [50, 100, 200, 400, 400, 100], p95Ms: 300},
		baseline: {requests: 1300, errors: errors[1], buckets: base, p95Ms: 120},
	});
	const v = nextVerdict(undefined, slowWindow([0, 0]), {...defaultJudgeConfig, failAfter: 1});
	assert.deepEqual(v.slis.map(s => `${s.sli} ${s.state}`), ['latency fail', 'errors pass']);
	assert.deepEqual([v.state, v.reason, v.failingWindows], ['fail', 'p95 300 ms vs 120 ms, canary slower in 88 % of pairs, p < 0.001', 1]);
	const collecting = nextVerdict(undefined, {canary: {requests: 1300, errors: 0}, baseline: {requests: 1300, errors: 0}});
	assert.deepEqual(collecting.slis.map(s => `${s.sli} ${s.state}`), ['latency collecting', 'errors pass']);
	assert.deepEqual([collecting.state, collecting.reason, collecting.failingWindows], ['collecting', 'latency: not enough requests yet', 0]);
	const marginal = nextVerdict(undefined, {canary: {requests: 10000, errors: 60}, baseline: {requests: 50000, errors: 100}});
	assert.deepEqual(marginal.slis.map(s => `${s.sli} ${s.state}`), ['errors marginal', 'latency collecting']);
	const second = nextVerdict({state: 'marginal', reason: 'x', slis: [], failingWindows: 1}, slowWindow([0, 0]));
	assert.deepEqual([second.state, second.reason, second.failingWindows], ['marginal', 'p95 300 ms vs 120 ms, canary slower in 88 % of pairs, p < 0.001 (failing window 2 of 3)', 2]);
	assert.equal(nextVerdict(second, slowWindow([0, 0])).state, 'fail');
	assert.deepEqual(defaultJudgeConfig, {minRequests: 200, alpha: 0.01, errorMarginAbsolute: 0.005, errorMarginRelative: 0.5, latencyMargin: 0.6, failAfter: 3});
});
