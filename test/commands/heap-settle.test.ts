// Giving back the young generation after a burst: V8 grows it to its limit while many objects live a little
// while (the first lists of a big namespace), and settleHeap makes it small again.
import assert from 'node:assert/strict';
import {test} from 'node:test';
import v8 from 'node:v8';
import {settleHeap} from '../../source/commands/heap-settle.js';

const newSpaceMB = () => v8.getHeapSpaceStatistics().find(s => s.space_name === 'new_space')!.space_size / 1024 / 1024;

test('after a burst the young generation is big; settleHeap shrinks it, and does nothing while it is small', () => {
	// Objects that survive a collection or two, as pages of a list do while they are read.
	const kept: Array<Array<{i: number; s: string}>> = [];
	for (let round = 0; round < 30; round++) {
		const page = [];
		for (let i = 0; i < 300_000; i++) page.push({i, s: `pod-${i}`});
		kept.push(page);
		if (kept.length > 3) kept.shift();
	}
	kept.length = 0;
	assert.ok(newSpaceMB() >= 32, `the burst grew the young generation: ${newSpaceMB().toFixed(1)} MB`);
	assert.equal(settleHeap(), true);
	assert.ok(newSpaceMB() < 32, `after: ${newSpaceMB().toFixed(1)} MB`);
	assert.equal(settleHeap(), false, 'small already: nothing to do');
});
