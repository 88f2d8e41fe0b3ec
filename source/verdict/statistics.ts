// The statistics behind the canary verdict. Pure functions, checked against SciPy's values.

/** Complementary error function (Numerical Recipes' erfcc: relative error below 1.2e-7 everywhere). */
export function erfc(x: number): number {
	const z = Math.abs(x);
	const t = 1 / (1 + 0.5 * z);
	const r =
		t *
		Math.exp(
			-z * z -
				1.26551223 +
				t * (1.00002368 + t * (0.37409196 + t * (0.09678418 + t * (-0.18628806 + t * (0.27886807 + t * (-1.13520398 + t * (1.48851587 + t * (-0.82215223 + t * 0.17087277)))))))),
		);
	return x >= 0 ? r : 2 - r;
}

/** P(Z > z) for a standard normal Z: the one-sided p-value of a z score. */
export function upperTail(z: number): number {
	return 0.5 * erfc(z / Math.SQRT2);
}

export type Counts = {errors: number; total: number};

export type TestResult = {z: number; p: number};

/**
 * One-sided two-proportion z-test that the canary's error ratio exceeds the baseline's by more
 * than `margin` (an absolute difference, e.g. 0.005 for half a percentage point). With no margin
 * the pooled standard error is used; with one, the unpooled (non-inferiority) form.
 */
export function twoProportionTest(canary: Counts, baseline: Counts, margin = 0): TestResult {
	const pc = canary.errors / canary.total;
	const pb = baseline.errors / baseline.total;
	let se: number;
	if (margin === 0) {
		const pooled = (canary.errors + baseline.errors) / (canary.total + baseline.total);
		se = Math.sqrt(pooled * (1 - pooled) * (1 / canary.total + 1 / baseline.total));
	} else {
		se = Math.sqrt((pc * (1 - pc)) / canary.total + (pb * (1 - pb)) / baseline.total);
	}
	const diff = pc - pb - margin;
	if (!(se > 0)) return {z: diff > 0 ? Infinity : diff < 0 ? -Infinity : 0, p: diff > 0 ? 0 : 1};
	const z = diff / se;
	return {z, p: upperTail(z)};
}

function logChoose(n: number, k: number): number {
	return logGamma(n + 1) - logGamma(k + 1) - logGamma(n - k + 1);
}

/** ln Γ(x) for x > 0 by Lanczos (g = 7, 9 terms): about 15 significant digits, down to x = 0.001 at least. */
export function logGamma(x: number): number {
	const c = [0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059, 12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7];
	x -= 1;
	let a = c[0]!;
	const t = x + 7.5;
	for (let i = 1; i < 9; i++) a += c[i]! / (x + i);
	return 0.5 * Math.log(2 * Math.PI) + (x + 0.5) * Math.log(t) - t + Math.log(a);
}

/**
 * Exact conditional test for rare errors: given k = e_c + e_b errors in all, under equal ratios
 * e_c ~ Binomial(k, n_c / (n_c + n_b)); the p-value is P(X >= e_c).
 */
export function conditionalBinomialTest(canary: Counts, baseline: Counts): number {
	const k = canary.errors + baseline.errors;
	if (k === 0) return 1;
	const q = canary.total / (canary.total + baseline.total);
	let p = 0;
	for (let x = canary.errors; x <= k; x++) p += Math.exp(logChoose(k, x) + x * Math.log(q) + (k - x) * Math.log1p(-q));
	return Math.min(1, p);
}

export type MannWhitneyResult = {u: number; z: number; p: number; /** P(canary slower) + ½ P(tie). */ cles: number};

/**
 * Mann-Whitney U that the canary's latencies are larger than the baseline's, from the request
 * counts in each histogram bucket (per bucket, not cumulative; same bucket bounds for both).
 * Requests in one bucket are ties, so this is an exact rank-sum at bucket resolution with the
 * tie-corrected variance and, unless `continuity` is false, a continuity correction (SciPy's asymptotic
 * method, `use_continuity`).
 */
export function mannWhitneyFromBuckets(canary: readonly number[], baseline: readonly number[], {continuity = true}: {continuity?: boolean} = {}): MannWhitneyResult | undefined {
	const nc = canary.reduce((a, b) => a + b, 0);
	const nb = baseline.reduce((a, b) => a + b, 0);
	if (nc === 0 || nb === 0) return undefined;
	let below = 0;
	let u = 0;
	let ties = 0;
	const buckets = Math.max(canary.length, baseline.length);
	for (let i = 0; i < buckets; i++) {
		const a = canary[i] ?? 0;
		const b = baseline[i] ?? 0;
		u += a * (below + b / 2);
		below += b;
		const t = a + b;
		ties += t * t * t - t;
	}
	const n = nc + nb;
	const mean = (nc * nb) / 2;
	const variance = ((nc * nb) / 12) * (n + 1 - ties / (n * (n - 1)));
	if (!(variance > 0)) return {u, z: 0, p: 1, cles: u / (nc * nb)};
	const z = (u - mean - (continuity ? 0.5 : 0)) / Math.sqrt(variance);
	return {u, z, p: upperTail(z), cles: u / (nc * nb)};
}

/** Per-bucket counts from cumulative `le` buckets (sorted by bound, +Inf last). */
export function decumulate(cumulative: readonly number[]): number[] {
	return cumulative.map((c, i) => Math.max(0, c - (i === 0 ? 0 : cumulative[i - 1]!)));
}
