// The verdict's statistics against reference values computed with SciPy 1.17.1.
import assert from 'node:assert/strict';
import {test} from 'node:test';
import {conditionalBinomialTest, decumulate, mannWhitneyFromBuckets, twoProportionTest, upperTail} from '../../source/verdict/statistics.js';

const near = (actual: number, expected: number, relative = 1e-5) =>
	assert.ok(Math.abs(actual - expected) <= relative * Math.abs(expected), `${actual} is not within ${relative} of ${expected}`);

test('normal upper tail', () => {
	near(upperTail(0), 0.5);
	near(upperTail(1.959963985), 0.025);
	near(upperTail(-1.644853627), 0.95);
	near(upperTail(3.090232306), 0.001);
});

test('pooled two-proportion z: 42/1000 vs 120/9000', () => {
	near(twoProportionTest({errors: 42, total: 1000}, {errors: 120, total: 9000}).z, 6.812202);
});

test('two-proportion z with a margin of one percentage point', () => {
	const r = twoProportionTest({errors: 42, total: 1000}, {errors: 120, total: 9000}, 0.01);
	near(r.z, 2.89075);
	near(r.p, 0.00192162, 1e-4);
});

test('live example: 33/876 vs 101/7922', () => {
	const r = twoProportionTest({errors: 33, total: 876}, {errors: 101, total: 7922});
	assert.ok(Math.abs(r.z - 5.72) < 0.01, String(r.z));
});

test('equal versions are not worse', () => {
	const r = twoProportionTest({errors: 10, total: 1000}, {errors: 10, total: 1000});
	assert.equal(r.z, 0);
	near(r.p, 0.5);
	const better = twoProportionTest({errors: 1, total: 1000}, {errors: 30, total: 1000});
	assert.ok(better.p > 0.99);
});

test('no errors anywhere gives no evidence', () => {
	const r = twoProportionTest({errors: 0, total: 500}, {errors: 0, total: 500});
	assert.equal(r.p, 1);
	assert.equal(conditionalBinomialTest({errors: 0, total: 500}, {errors: 0, total: 500}), 1);
});

test('exact conditional binomial: 4/500 vs 10/4500', () => {
	near(conditionalBinomialTest({errors: 4, total: 500}, {errors: 10, total: 4500}), 0.0441329243, 1e-8);
});

test('Mann-Whitney from histogram buckets: the live example', () => {
	const canary = [56, 49, 131, 172, 203, 223, 38, 5, 0];
	const baseline = [758, 670, 1656, 1851, 1879, 1063, 44, 0, 0];
	const r = mannWhitneyFromBuckets(canary, baseline)!;
	assert.equal(r.u, 4_230_288);
	assert.ok(Math.abs(r.z - 10.8) < 0.05, String(r.z));
	assert.ok(Math.abs(r.cles - 0.61) < 0.005, String(r.cles));
	assert.ok(r.p < 1e-25 && r.p > 1e-29, String(r.p));
});

test('Mann-Whitney: identical distributions, one-sided, and no data', () => {
	const same = mannWhitneyFromBuckets([10, 20, 30], [10, 20, 30])!;
	near(same.cles, 0.5);
	assert.ok(same.p > 0.4);
	const faster = mannWhitneyFromBuckets([30, 20, 10], [10, 20, 30])!;
	assert.ok(faster.p > 0.99);
	assert.equal(mannWhitneyFromBuckets([0, 0], [1, 2]), undefined);
});

test('cumulative buckets to per-bucket counts', () => {
	assert.deepEqual(decumulate([5, 8, 8, 20]), [5, 3, 0, 12]);
});
