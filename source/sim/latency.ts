// Simulated request latency: a log-normal distribution around a pod's `latency-ms` annotation, and
// the share of requests that falls at or under each histogram bucket boundary.

/** Spread of the log-normal (σ of ln latency): p95 ≈ 2.1 × median, p99 ≈ 2.9 × median. */
export const latencySpread = 0.45;

/** Histogram bucket upper bounds in seconds (prom-client's defaults); Istio's are the same in ms. */
export const bucketBounds: readonly number[] = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

/** The error function (Abramowitz and Stegun 7.1.26, |error| < 1.5e-7). */
export function erf(x: number): number {
	const sign = x < 0 ? -1 : 1;
	const t = 1 / (1 + 0.3275911 * Math.abs(x));
	const y = 1 - ((((1.061405429 * t - 1.453152027) * t + 1.421413741) * t - 0.284496736) * t + 0.254829592) * t * Math.exp(-x * x);
	return sign * y;
}

/** P(latency ≤ x) for a log-normal with this median (same unit as x). */
export function latencyCdf(x: number, median: number, spread = latencySpread): number {
	if (x <= 0) return 0;
	if (!(median > 0)) return 1;
	return 0.5 * (1 + erf(Math.log(x / median) / (spread * Math.SQRT2)));
}

/** Mean of the log-normal with this median. */
export function meanLatency(median: number, spread = latencySpread): number {
	return median * Math.exp((spread * spread) / 2);
}

const cdfCache = new Map<number, Float64Array>();

/** Share of requests at or under each of `bucketBounds`, for a median in seconds (cached per median). */
export function bucketShares(medianSeconds: number): Float64Array {
	const key = Math.max(1e-4, Math.round(medianSeconds * 1e4) / 1e4);
	let shares = cdfCache.get(key);
	if (!shares) {
		shares = Float64Array.from(bucketBounds, bound => latencyCdf(bound, key));
		if (cdfCache.size > 4096) cdfCache.clear();
		cdfCache.set(key, shares);
	}
	return shares;
}
