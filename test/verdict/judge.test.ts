import assert from 'node:assert/strict';
import {test} from 'node:test';
import {mannWhitneyFromBuckets} from '../../source/verdict/statistics.js';
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
