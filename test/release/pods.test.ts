import assert from 'node:assert/strict';
import {test} from 'node:test';
import {podInfo, podPhase, podStatus} from '../../source/release/pods.js';
import {deployment, NOW, pod, replicaSet} from './fixtures.js';

const rs = replicaSet(deployment('web'), {hash: 'h1', revision: 1, replicas: 1});

test('podStatus: kubectl-like status', () => {
	assert.equal(podStatus(pod(rs, 'a')), 'Running');
	assert.equal(podStatus(pod(rs, 'b', {waiting: 'ContainerCreating'})), 'ContainerCreating');
	assert.equal(podStatus(pod(rs, 'c', {waiting: 'CrashLoopBackOff', restarts: 4})), 'CrashLoopBackOff');
	assert.equal(podStatus(pod(rs, 'd', {terminated: {reason: 'OOMKilled', exitCode: 137}})), 'OOMKilled');
	assert.equal(podStatus(pod(rs, 'e', {terminated: {exitCode: 2}})), 'ExitCode:2');
	assert.equal(podStatus(pod(rs, 'f', {deleting: true})), 'Terminating');
	assert.equal(podStatus(pod(rs, 'g', {phase: 'Pending', waiting: 'ImagePullBackOff'})), 'ImagePullBackOff');
});

test('podStatus: init containers', () => {
	const p = pod(rs, 'i', {phase: 'Pending', waiting: 'PodInitializing'});
	p.spec.initContainers = [{name: 'init'}];
	p.status.initContainerStatuses = [{name: 'init', ready: false, restartCount: 0, state: {running: {}}}];
	assert.equal(podStatus(p), 'Init:0/1');
	assert.equal(podPhase(p), 'ContainerCreating');
	p.status.initContainerStatuses = [{name: 'init', ready: false, restartCount: 3, state: {waiting: {reason: 'CrashLoopBackOff'}}}];
	assert.equal(podStatus(p), 'Init:CrashLoopBackOff');
});

test('podPhase refines the pod phase', () => {
	assert.equal(podPhase(pod(rs, 'a')), 'Running');
	assert.equal(podPhase(pod(rs, 'b', {waiting: 'ContainerCreating'})), 'ContainerCreating');
	assert.equal(podPhase(pod(rs, 'c', {waiting: 'CrashLoopBackOff'})), 'CrashLoopBackOff');
	assert.equal(podPhase(pod(rs, 'd', {deleting: true})), 'Terminating');
	assert.equal(podPhase(pod(rs, 'e', {phase: 'Pending', waiting: 'ErrImagePull'})), 'Pending');
	assert.equal(podPhase(pod(rs, 'f', {phase: 'Weird'})), 'Unknown');
});

test('podInfo: readiness, restarts, age, node; strings sanitised', () => {
	const p = pod(rs, 'x', {waiting: 'CrashLoopBackOff', restarts: 5, age: 125, node: 'node\x1b[31m-7'});
	p.status.containerStatuses[0].state.waiting.reason = 'CrashLoop\x1b[5mBackOff';
	assert.deepEqual(podInfo(p, 'web-h1', NOW), {
		name: 'web-h1-x',
		version: 'web-h1',
		phase: 'CrashLoopBackOff',
		status: 'CrashLoopBackOff',
		ready: false,
		containersReady: 0,
		containers: 1,
		restarts: 5,
		ageSeconds: 125,
		node: 'node-7',
	});
});
