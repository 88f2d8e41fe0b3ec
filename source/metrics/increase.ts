// How much a counter grew over a range, as Prometheus's increase() says it from the samples inside the
// range: the difference between the first and the last (counter resets counted), extrapolated to the
// range's edges when the samples stop short of them by less than 1.1 of their average spacing (else half
// of it), and never back past the counter's zero. Pure.

/** One sample: [ms since the epoch, value]. */
export type CounterSample = readonly [time: number, value: number];

/** The increase over (start, end] from the samples in it, oldest first; undefined with fewer than two. */
export function extrapolatedIncrease(samples: readonly CounterSample[], start: number, end: number): number | undefined {
	const inside = samples.filter(([t]) => t > start && t <= end);
	if (inside.length < 2) return undefined;
	const [firstT, firstV] = inside[0]!;
	const [lastT, lastV] = inside[inside.length - 1]!;
	let increase = lastV - firstV;
	for (let i = 1; i < inside.length; i++) if (inside[i]![1] < inside[i - 1]![1]) increase += inside[i - 1]![1];
	const sampled = (lastT - firstT) / 1000;
	if (!(sampled > 0)) return undefined;
	let toStart = (firstT - start) / 1000;
	const toEnd = (end - lastT) / 1000;
	const average = sampled / (inside.length - 1);
	// A counter is not extrapolated to before it was zero.
	if (increase > 0 && firstV >= 0) toStart = Math.min(toStart, sampled * (firstV / increase));
	const threshold = average * 1.1;
	const covered = sampled + (toStart < threshold ? toStart : average / 2) + (toEnd < threshold ? toEnd : average / 2);
	return increase * (covered / sampled);
}
