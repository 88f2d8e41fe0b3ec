import assert from 'node:assert/strict';
import {test} from 'node:test';
import {replicaShare, replicasForWeights} from '../../source/traffic/replicas.js';

test('replicaShare: by ready pods, else by desired replicas, to one decimal', () => {
	assert.deepEqual(replicaShare([{id: 'a', ready: 3, desired: 3}, {id: 'b', ready: 1, desired: 1}]), {a: 75, b: 25});
	assert.deepEqual(replicaShare([{id: 'a', ready: 0, desired: 2}, {id: 'b', ready: 0, desired: 1}]), {a: 66.7, b: 33.3});
	assert.deepEqual(replicaShare([{id: 'a', ready: 0, desired: 0}, {id: 'b', ready: 0, desired: 0}]), {a: 0, b: 0});
	assert.deepEqual(replicaShare([{id: 'a', ready: 2, desired: 2}, {id: 'b', ready: 1, desired: 1}, {id: 'c', ready: 1, desired: 1}]), {a: 50, b: 25, c: 25});
});

test('replicasForWeights: rounds, keeps one pod for any weight above 0, and the stable version gets the rest', () => {
	assert.deepEqual(replicasForWeights(10, {s: 90, c: 10}, 's'), {c: 1, s: 9});
	assert.deepEqual(replicasForWeights(10, {s: 85, c: 15}, 's'), {c: 2, s: 8});
	assert.deepEqual(replicasForWeights(4, {s: 95, c: 5}, 's'), {c: 1, s: 3});
	assert.deepEqual(replicasForWeights(4, {s: 100, c: 0}, 's'), {c: 0, s: 4});
	assert.deepEqual(replicasForWeights(4, {s: 0, c: 100}, 's'), {c: 4, s: 0});
	assert.deepEqual(replicasForWeights(10, {a: 80, b: 10, c: 10}, 'a'), {b: 1, c: 1, a: 8});
	assert.deepEqual(replicasForWeights(2, {a: 90, b: 5, c: 5}, 'a'), {b: 1, c: 1, a: 0}, 'never more pods than there are');
	assert.throws(() => replicasForWeights(4, {s: 50, c: 40}, 's'), RangeError);
});
