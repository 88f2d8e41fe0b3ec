// The verdict's statistics against reference values to 1e-6 (relative), computed once with Debian's SciPy 1.10.1
// and statsmodels 0.13.5 (python3-scipy, python3-statsmodels) from the inputs written beside them; see the end.
import assert from 'node:assert/strict';
import {test} from 'node:test';
import {conditionalBinomialTest, decumulate, erfc, logGamma, mannWhitneyFromBuckets, twoProportionTest, upperTail} from '../../source/verdict/statistics.js';

/** Equal to 1e-6 of the expected value (exactly, when it is 0). */
function close(actual: number | undefined, expected: number, what = ''): void {
	assert.ok(actual !== undefined && Math.abs(actual - expected) <= 1e-6 * Math.abs(expected), `${what}: ${actual} is not within 1e-6 of ${expected}`);
}

test('erfc and the normal upper tail: scipy.special.erfc, scipy.stats.norm.sf', () => {
	for (const [x, expected] of [
		[-1.5, 1.9661051464753108],
		[-0.3, 1.3286267594591274],
		[0, 1.0],
		[0.3, 0.6713732405408726],
		[1, 0.15729920705028516],
		[2.5, 0.00040695201744495886],
		[5, 1.5374597944280347e-12],
	] as const) {
		close(erfc(x), expected, `erfc(${x})`);
	}
	for (const [z, expected] of [
		[0, 0.5],
		[0.5, 0.3085375387259869],
		[1.959963985, 0.02499999997311844],
		[-1.644853627, 0.950000000005005],
		[2.5, 0.006209665325776132],
		[3.090232306, 0.0010000000005650428],
		[6, 9.865876450376946e-10],
	] as const) {
		close(upperTail(z), expected, `sf(${z})`);
	}
});

test('ln Γ: scipy.special.gammaln', () => {
	for (const [x, expected] of [
		[0.001, 6.907178885383853],
		[0.01, 4.599479878042022],
		[0.1, 2.252712651734206],
		[0.25, 1.2880225246980774],
		[0.5, 0.5723649429247],
		[10, 12.801827480081469],
		[100.5, 361.43554046777757],
		[1000, 5905.220423209181],
	] as const) {
		close(logGamma(x), expected, `gammaln(${x})`);
	}
	assert.ok(Math.abs(logGamma(1)) < 1e-12 && Math.abs(logGamma(2)) < 1e-12);
});

test('pooled two-proportion z (no margin): statsmodels proportions_ztest([e_c, e_b], [n_c, n_b], value=0, alternative="larger")', () => {
	for (const [canary, baseline, z, p] of [
		[[42, 1000], [120, 9000], 6.812202272722604, 4.805791565069056e-12],
		[[33, 876], [101, 7922], 5.715200252524194, 5.478745492501032e-9],
		[[7, 250], [3, 250], 1.2777531299998799, 0.10066824264370039],
		[[1, 1000], [30, 1000], -5.24939545316719, 0.9999999237004129],
		[[10, 1000], [10, 1000], 0, 0.5],
	] as const) {
		const r = twoProportionTest({errors: canary[0], total: canary[1]}, {errors: baseline[0], total: baseline[1]});
		close(r.z, z, `z of ${canary} vs ${baseline}`);
		close(r.p, p, `p of ${canary} vs ${baseline}`);
	}
});

test('two-proportion z with a margin (unpooled): statsmodels test_proportions_2indep(value=margin, method="wald", compare="diff", alternative="larger")', () => {
	for (const [canary, baseline, margin, z, p] of [
		[[42, 1000], [120, 9000], 0.01, 2.890750265512272, 0.0019216169533880542],
		[[33, 876], [101, 7922], 0.005, 3.03903647418599, 0.0011866805895708035],
		[[7, 250], [3, 250], 0.02, -0.3199610950961107, 0.6255010884853407],
	] as const) {
		const r = twoProportionTest({errors: canary[0], total: canary[1]}, {errors: baseline[0], total: baseline[1]}, margin);
		close(r.z, z, `z of ${canary} vs ${baseline} by ${margin}`);
		close(r.p, p, `p of ${canary} vs ${baseline} by ${margin}`);
	}
});

test('two-proportion z without variance: no errors is no evidence, any difference is certain', () => {
	assert.deepEqual(twoProportionTest({errors: 0, total: 500}, {errors: 0, total: 500}), {z: 0, p: 1});
	assert.deepEqual(twoProportionTest({errors: 0, total: 500}, {errors: 0, total: 500}, 0.01), {z: -Infinity, p: 1});
	assert.deepEqual(twoProportionTest({errors: 500, total: 500}, {errors: 0, total: 500}, 0.01), {z: Infinity, p: 0});
});

test('exact conditional binomial: scipy.stats.binomtest(e_c, e_c + e_b, n_c / (n_c + n_b), alternative="greater")', () => {
	for (const [canary, baseline, p] of [
		[[4, 500], [10, 4500], 0.04413292430986],
		[[3, 100], [1, 300], 0.05078125],
		[[0, 100], [5, 100], 1],
		[[0, 500], [0, 500], 1],
	] as const) {
		close(conditionalBinomialTest({errors: canary[0], total: canary[1]}, {errors: baseline[0], total: baseline[1]}), p, `${canary} vs ${baseline}`);
	}
});

// Bucket i holds requests of latency i: SciPy got the samples np.repeat(np.arange(len(counts)), counts), so every
// bucket is a tie; scipy.stats.mannwhitneyu(canary, baseline, alternative="greater", method="asymptotic",
// use_continuity=…); its z is norm.isf(p); the CLES is U / (n_c n_b).
const mannWhitney = [
	{
		canary: [56, 49, 131, 172, 203, 223, 38, 5, 0],
		baseline: [758, 670, 1656, 1851, 1879, 1063, 44, 0, 0],
		u: 4230288,
		cles: 0.6089621903411352,
		corrected: {z: 10.814547772981005, p: 1.4686889436769303e-27},
		plain: {z: 10.814554916681256, p: 1.4685745289883578e-27},
	},
	{canary: [3, 1, 2], baseline: [1, 2, 3], u: 12.5, cles: 0.3472222222222222, corrected: {z: -1.023532631438318, p: 0.8469719602543117}, plain: {z: -0.9382382454851246, p: 0.825939006093698}},
	{canary: [0, 2, 5, 1], baseline: [4, 3, 1, 0], u: 56.5, cles: 0.8828125, corrected: {z: 2.650356625796317, p: 0.004020342336258363}, plain: {z: 2.70557238883374, p: 0.003409339257670077}},
	{canary: [10, 20, 30], baseline: [10, 20, 30], u: 1800, cles: 0.5, corrected: {z: -0.0028746980517766405, p: 0.5011468370166855}, plain: {z: 0, p: 0.5}},
	{canary: [30, 20, 10], baseline: [10, 20, 30], u: 1000, cles: 0.2777777777777778, corrected: {z: -4.45624648638188, p: 0.9999958296435758}, plain: {z: -4.453463071962448, p: 0.99999577518769}},
	{canary: [1, 0, 0], baseline: [0, 0, 1], u: 0, cles: 0, corrected: {z: -2.0000000000000004, p: 0.9772498680518208}, plain: {z: -1, p: 0.8413447460685429}},
	{canary: [2, 3], baseline: [4], u: 16, cles: 0.8, corrected: {z: 1.639783183499846, p: 0.05052512796270496}, plain: {z: 1.788854381999832, p: 0.03681913506015133}},
];

test('Mann-Whitney U from buckets, ties included, with and without the continuity correction: scipy.stats.mannwhitneyu', () => {
	for (const c of mannWhitney) {
		const what = `${c.canary} vs ${c.baseline}`;
		for (const [continuity, expected] of [
			[true, c.corrected],
			[false, c.plain],
		] as const) {
			const r = mannWhitneyFromBuckets(c.canary, c.baseline, {continuity});
			assert.ok(r, what);
			assert.equal(r.u, c.u, what);
			close(r.cles, c.cles, `cles of ${what}`);
			close(r.z, expected.z, `z of ${what}, continuity ${continuity}`);
			close(r.p, expected.p, `p of ${what}, continuity ${continuity}`);
		}
		assert.deepEqual(mannWhitneyFromBuckets(c.canary, c.baseline), mannWhitneyFromBuckets(c.canary, c.baseline, {continuity: true}), 'the correction is the default');
	}
});

test('Mann-Whitney: buckets of different lengths count as empty past their end; no requests on a side, no test; all in one bucket, no evidence', () => {
	assert.deepEqual(mannWhitneyFromBuckets([2, 3], [4]), mannWhitneyFromBuckets([2, 3], [4, 0]));
	assert.deepEqual(mannWhitneyFromBuckets([0, 0], [1, 2]), undefined);
	assert.deepEqual(mannWhitneyFromBuckets([1, 2], [0, 0]), undefined);
	assert.deepEqual(mannWhitneyFromBuckets([0, 5], [0, 7]), {u: 17.5, z: 0, p: 1, cles: 0.5});
});

test('cumulative buckets to per-bucket counts; a count that goes down (a reset) is 0', () => {
	assert.deepEqual(decumulate([5, 8, 8, 20]), [5, 3, 0, 12]);
	assert.deepEqual(decumulate([5, 4, 9]), [5, 0, 5]);
	assert.deepEqual(decumulate([]), []);
});

// The script that computed the values above (python3-scipy 1.10.1, python3-statsmodels 0.13.5):
//   from scipy import special, stats; import numpy as np
//   from statsmodels.stats.proportion import proportions_ztest, test_proportions_2indep
//   special.erfc(x); stats.norm.sf(z); special.gammaln(x)
//   proportions_ztest([ec, eb], [nc, nb], value=0, alternative='larger')
//   test_proportions_2indep(ec, nc, eb, nb, value=m, method='wald', compare='diff', alternative='larger')
//   stats.binomtest(ec, ec + eb, nc / (nc + nb), alternative='greater').pvalue
//   x, y = (np.repeat(np.arange(len(b)), b) for b in (canary, baseline))
//   r = stats.mannwhitneyu(x, y, use_continuity=cc, alternative='greater', method='asymptotic'); stats.norm.isf(r.pvalue)
