// Counter increase over a range as Prometheus's increase() works it out: extrapolated to the edges when the
// samples reach near them, half a spacing otherwise, never past the counter's zero, resets counted.
import assert from 'node:assert/strict';
import {test} from 'node:test';
import {extrapolatedIncrease, type CounterSample} from '../../source/metrics/increase.js';

const at = (seconds: number, value: number): CounterSample => [seconds * 1000, value];

test('samples a second apart that reach both edges: the whole range, extrapolated', () => {
	// 10 requests a second, samples at 1..10 s in the range (0, 10 s]: 90 seen over 9 s, extrapolated to 10 s.
	const samples = Array.from({length: 10}, (_, i) => at(i + 1, 1000 + 10 * (i + 1)));
	assert.equal(extrapolatedIncrease(samples, 0, 10_000), 100);
});

test('samples that stop short of an edge by more than 1.1 spacings: half a spacing there', () => {
	// Samples from 5 s to 10 s in (0, 10 s]: 5 s to the start, so 0.5 s is added there; 0 s to the end.
	const samples = Array.from({length: 6}, (_, i) => at(i + 5, 1000 + 10 * i));
	assert.equal(extrapolatedIncrease(samples, 0, 10_000), 50 * (5.5 / 5));
});

test('a counter that starts inside the range is not extrapolated past its zero', () => {
	// A new pod: 10 at 1 s, 100 at 10 s. Zero would be 1 s before the first sample, so that is as far as it goes.
	const samples = Array.from({length: 10}, (_, i) => at(i + 1, 10 * (i + 1)));
	assert.equal(extrapolatedIncrease(samples, 0, 10_000), 90 * (10 / 9));
	// 10 at 2 s, 20 at 3 s: zero would be at 1 s, so 1 s is added before the first sample, not 2.
	assert.equal(extrapolatedIncrease([at(2, 10), at(3, 20)], 0, 3000), 20);
});

test('a reset counts what came before it; fewer than two samples in the range say nothing', () => {
	// 50 → 60, reset, 5 → 15: 10 + 5 + 10 = 25 over 3 s, extrapolated 0.5 s back to the range's start.
	assert.equal(extrapolatedIncrease([at(1, 50), at(2, 60), at(3, 5), at(4, 15)], 500, 4000), 25 * (3.5 / 3));
	assert.equal(extrapolatedIncrease([at(5, 10)], 0, 10_000), undefined);
	assert.equal(extrapolatedIncrease([at(1, 10), at(2, 20)], 2000, 10_000), undefined, 'the range is open at its start');
});
