// histogram_quantile as Prometheus computes it on classic buckets (promql/quantile.go): find the
// bucket holding the rank and interpolate linearly inside it.

export type Bucket = {le: number; count: number};

/** The q-quantile of cumulative buckets (the +Inf bucket included); NaN without observations. */
export function bucketQuantile(q: number, input: readonly Bucket[]): number {
	if (Number.isNaN(q)) return NaN;
	if (q < 0) return -Infinity;
	if (q > 1) return Infinity;
	const buckets = [...input].sort((a, b) => a.le - b.le);
	if (buckets.length < 2 || buckets[buckets.length - 1]!.le !== Infinity) return NaN;
	// Counts must not fall as le grows (they can, with counters read at different times).
	for (let i = 1; i < buckets.length; i++) if (buckets[i]!.count < buckets[i - 1]!.count) buckets[i] = {...buckets[i]!, count: buckets[i - 1]!.count};
	const observations = buckets[buckets.length - 1]!.count;
	if (!(observations > 0)) return NaN;
	let rank = q * observations;
	let b = buckets.findIndex(bucket => bucket.count >= rank);
	if (b < 0) b = buckets.length - 1;
	if (b === buckets.length - 1) return buckets[buckets.length - 2]!.le;
	if (b === 0 && buckets[0]!.le <= 0) return buckets[0]!.le;
	let start = 0;
	const end = buckets[b]!.le;
	let count = buckets[b]!.count;
	if (b > 0) {
		start = buckets[b - 1]!.le;
		count -= buckets[b - 1]!.count;
		rank -= buckets[b - 1]!.count;
	}
	return start + (end - start) * (rank / count);
}
