// Ages as the tables print them, and when one next reads differently (the live view rebuilds only then).
import assert from 'node:assert/strict';
import {test} from 'node:test';
import {age, ageChangesIn} from '../../source/text/format.js';

test('an age reads differently after ageChangesIn seconds, and not before', () => {
	for (const seconds of [0, 5, 119, 120, 121, 179.5, 7199, 7200, 7261, 172_799, 172_800, 200_000]) {
		const wait = ageChangesIn(seconds);
		assert.ok(wait >= 1, `${seconds}: ${wait}`);
		assert.equal(age(seconds + wait - 1), age(seconds), `${seconds} still reads ${age(seconds)} ${wait - 1} s later`);
		assert.notEqual(age(Math.floor(seconds) + wait), age(seconds), `${seconds} reads differently ${wait} s later`);
	}
	assert.equal(ageChangesIn(30), 1);
	assert.equal(ageChangesIn(130), 50);
	assert.equal(ageChangesIn(7300), 3500);
	assert.equal(ageChangesIn(NaN), Infinity);
});
