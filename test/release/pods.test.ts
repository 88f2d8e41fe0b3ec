import assert from 'node:assert/strict';
import {test} from 'node:test';
import {isReady, podInfo, podPhase, podStatus, restartsOf} from '../../source/release/pods.js';
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

/** A pod from raw status parts, as the API server returns it. */
function raw(status: Record<string, unknown>, spec: Record<string, unknown> = {}, metadata: Record<string, unknown> = {}) {
	return {metadata: {name: 'p', ...metadata}, spec: {containers: [{name: 'app'}], ...spec}, status};
}
const state = (s: object, extra: object = {}) => ({name: 'c', ready: false, restartCount: 0, state: s, ...extra});

test('podStatus: each of kubectl printPod\'s rules for init containers', () => {
	const init = (statuses: object[], specs: object[] = statuses.map(() => ({name: 'i'}))) => podStatus(raw({phase: 'Pending', initContainerStatuses: statuses}, {initContainers: specs}));
	assert.equal(init([state({terminated: {exitCode: 0}}), state({running: {}})]), 'Init:1/2', 'the first done, the second running');
	assert.equal(init([state({terminated: {exitCode: 1, reason: 'Error'}})]), 'Init:Error');
	assert.equal(init([state({terminated: {exitCode: 137, signal: 9}})]), 'Init:Signal:9');
	assert.equal(init([state({terminated: {exitCode: 3}})]), 'Init:ExitCode:3');
	assert.equal(init([state({terminated: {}})]), 'Init:ExitCode:');
	assert.equal(init([state({waiting: {reason: 'PodInitializing'}})]), 'Init:0/1', 'PodInitializing is said as a count');
	assert.equal(init([state({waiting: {}})]), 'Init:0/1');
	assert.equal(init([state({running: {}}), state({waiting: {reason: 'ImagePullBackOff'}})], [{name: 'sidecar', restartPolicy: 'Always'}, {name: 'i'}]), 'Init:ImagePullBackOff', 'a running sidecar is done initialising');
	assert.equal(init([state({running: {}})], [{name: 'i', restartPolicy: 'OnFailure'}]), 'Init:0/1');
	assert.equal(init([state({terminated: {exitCode: 0}})]), 'Pending', 'all done: the pod phase');
	assert.equal(podStatus(raw({phase: 'Pending', initContainerStatuses: [state({running: {}}), state({})]})), 'Init:0/2', 'counted from the statuses without specs');
	assert.equal(podStatus(raw({phase: 'Pending', initContainerStatuses: [state({})]}, {initContainers: [{name: 'a'}, {name: 'b'}, {name: 'c'}]})), 'Init:0/3', 'counted from the specs');
});

test('podStatus: the containers, last first, then the pod\'s reason and deletion', () => {
	const containers = (...statuses: object[]) => podStatus(raw({phase: 'Running', containerStatuses: statuses, conditions: [{type: 'Ready', status: 'True'}]}));
	assert.equal(containers(state({waiting: {reason: 'ErrImagePull'}}), state({running: {}}, {ready: true})), 'ErrImagePull', 'the first container has the last word');
	assert.equal(containers(state({running: {}}, {ready: true}), state({waiting: {reason: 'ErrImagePull'}})), 'ErrImagePull');
	assert.equal(containers(state({terminated: {exitCode: 0, reason: 'Completed'}}), state({running: {}}, {ready: true})), 'Running', 'completed with a container running ready: Running');
	assert.equal(podStatus(raw({phase: 'Running', containerStatuses: [state({terminated: {exitCode: 0, reason: 'Completed'}}), state({running: {}}, {ready: true})]})), 'NotReady', 'the same, the pod not ready');
	assert.equal(containers(state({terminated: {exitCode: 0, reason: 'Completed'}}), state({running: {}}, {ready: false})), 'Completed', 'no container running ready');
	assert.equal(containers(state({terminated: {signal: 15}})), 'Signal:15');
	assert.equal(containers(state({terminated: {}})), 'ExitCode:');
	assert.equal(containers(state({running: {}}, {ready: true})), 'Running');
	assert.equal(podStatus(raw({phase: 'Failed', reason: 'Evicted'})), 'Evicted', 'the pod\'s reason before its phase');
	assert.equal(podStatus(raw({})), 'Unknown');
	assert.equal(podStatus({metadata: {name: 'p'}}), 'Unknown');
	assert.equal(podStatus(raw({phase: 'Running'}, {}, {deletionTimestamp: 'x'})), 'Terminating');
	assert.equal(podStatus(raw({phase: 'Running', reason: 'NodeLost'}, {}, {deletionTimestamp: 'x'})), 'Unknown', 'deleted on a lost node');
	assert.equal(podStatus(raw({phase: 'Running\x1b[2J'})), 'Running', 'sanitised');
});

test('podPhase, isReady, restartsOf, podInfo from raw pods', () => {
	assert.equal(podPhase(raw({phase: 'Pending'}), 'PodInitializing'), 'ContainerCreating');
	assert.equal(podPhase(raw({phase: 'Running'}), 'Init:0/1'), 'ContainerCreating');
	assert.equal(podPhase(raw({phase: 'Running'}), 'Init:CrashLoopBackOff'), 'CrashLoopBackOff');
	assert.equal(podPhase(raw({phase: 'Succeeded'})), 'Succeeded');
	assert.equal(podPhase(raw({phase: 7})), 'Unknown');
	assert.equal(isReady(raw({conditions: [{type: 'Ready', status: 'False'}, {type: 'ContainersReady', status: 'True'}]})), false);
	assert.equal(isReady(raw({conditions: [{type: 'Ready', status: 'True'}]})), true);
	assert.equal(isReady(raw({})), false);
	assert.equal(restartsOf(raw({initContainerStatuses: [state({}, {restartCount: 2})], containerStatuses: [state({}, {restartCount: 3}), state({}, {})]})), 5);
	assert.equal(restartsOf(raw({containerStatuses: [{name: 'c'}]})), 0);
	assert.deepEqual(podInfo(raw({phase: 'Running', containerStatuses: [state({running: {}}, {ready: true}), state({running: {}})]}, {containers: []}, {creationTimestamp: new Date(NOW - 3000).toISOString()}), 'v', NOW), {
		name: 'p',
		version: 'v',
		phase: 'Running',
		status: 'Running',
		ready: false,
		containersReady: 1,
		containers: 2,
		restarts: 0,
		ageSeconds: 3,
	});
	assert.equal(podInfo({metadata: {name: 'bare'}}, 'v', NOW).containers, 0);
});
