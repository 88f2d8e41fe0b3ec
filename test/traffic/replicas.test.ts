import assert from 'node:assert/strict';
import {test} from 'node:test';
import {replicaShare, replicasForWeight, setWeightPatch} from '../../source/traffic/replicas.js';

test('replicaShare: by ready pods, else by desired, else zero', () => {
	assert.deepEqual(replicaShare([{id: 'a', ready: 3, desired: 3}, {id: 'b', ready: 1, desired: 2}]), {a: 75, b: 25});
	assert.deepEqual(replicaShare([{id: 'a', ready: 0, desired: 3}, {id: 'b', ready: 0, desired: 1}]), {a: 75, b: 25});
	assert.deepEqual(replicaShare([{id: 'a', ready: 0, desired: 0}]), {a: 0});
});

test('replicasForWeight: rounds, and keeps one canary pod for any weight above 0', () => {
	assert.deepEqual(replicasForWeight(10, 10), {stable: 9, canary: 1});
	assert.deepEqual(replicasForWeight(10, 15), {stable: 8, canary: 2});
	assert.deepEqual(replicasForWeight(4, 5), {stable: 3, canary: 1});
	assert.deepEqual(replicasForWeight(4, 0), {stable: 4, canary: 0});
	assert.deepEqual(replicasForWeight(4, 100), {stable: 0, canary: 4});
});

test('replicas setWeightPatch: canary first, each testing the old replicas', () => {
	assert.deepEqual(setWeightPatch({name: 'checkout', replicas: 9}, {name: 'checkout-canary', replicas: 1}, 30), [
		{deployment: 'checkout-canary', patch: [{op: 'test', path: '/spec/replicas', value: 1}, {op: 'replace', path: '/spec/replicas', value: 3}]},
		{deployment: 'checkout', patch: [{op: 'test', path: '/spec/replicas', value: 9}, {op: 'replace', path: '/spec/replicas', value: 7}]},
	]);
});
