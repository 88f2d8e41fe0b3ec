// Lean objects field by field: a pod or Event missing a part, or with a part of the wrong type, keeps what it
// has and gains nothing; container states keep their reasons; what comes out is frozen all the way down.
import assert from 'node:assert/strict';
import {test} from 'node:test';
import type {KObject} from '../../source/kube/object.js';
import {leanEvent, leanMeta, leanPod, leanProjection, onceForFrozen, withoutManagedFields} from '../../source/release/lean.js';

test('leanMeta: the identifying fields that are set; nothing from no metadata or null', () => {
	assert.deepEqual(leanMeta(undefined), {});
	assert.deepEqual(leanMeta(null as never), {});
	assert.deepEqual(leanMeta({name: 'web', generateName: 'w-', finalizers: ['x'], generation: 3, deletionTimestamp: 'T', annotations: {a: 'b'}} as never), {name: 'web', generation: 3, deletionTimestamp: 'T', annotations: {a: 'b'}});
});

test('a pod without kind, apiVersion, spec or status is its metadata only', () => {
	assert.deepEqual(leanPod({metadata: {name: 'p'}}), {metadata: {name: 'p'}});
	assert.deepEqual(leanPod({metadata: {name: 'p'}, spec: null, status: null} as never), {metadata: {name: 'p'}});
	assert.deepEqual(leanPod({metadata: {name: 'p'}, spec: 'x', status: 7} as never), {metadata: {name: 'p'}});
});

test('a pod\'s spec and status without lists keep no lists', () => {
	assert.deepEqual(leanPod({metadata: {name: 'p'}, spec: {nodeName: 'n1', hostname: 'h'}, status: {phase: 'Failed', reason: 'Evicted', message: 'The node was low on resource: memory.'}}), {
		metadata: {name: 'p'},
		spec: {nodeName: 'n1'},
		status: {phase: 'Failed', reason: 'Evicted'},
	});
	assert.deepEqual(leanPod({metadata: {name: 'p'}, spec: {containers: 'x', initContainers: {}}, status: {conditions: 'x', containerStatuses: 3}} as never), {metadata: {name: 'p'}, spec: {}, status: {}});
});

test('container states: waiting and terminated keep their reasons (and exit code, signal), running none of its fields', () => {
	const pod: KObject = {
		metadata: {name: 'p'},
		status: {
			phase: 'Running',
			initContainerStatuses: [{name: 'init', ready: false, restartCount: 0, started: false, state: {terminated: {reason: 'Completed', exitCode: 0, signal: 9, startedAt: 'T', containerID: 'c'}}}],
			containerStatuses: [
				{name: 'web', ready: false, started: true, restartCount: 4, imageID: 'sha256:1', state: {waiting: {reason: 'CrashLoopBackOff', message: 'back-off 5m0s'}}, lastState: {terminated: {exitCode: 1}}},
				{name: 'side', ready: true, started: true, restartCount: 0, state: {running: {startedAt: 'T'}}},
				{name: 'new'},
				{name: 'odd', state: 'running'},
				{name: 'nulls', state: null},
				null,
			],
		},
	};
	assert.deepEqual(leanPod(pod), {
		metadata: {name: 'p'},
		status: {
			phase: 'Running',
			containerStatuses: [
				{name: 'web', ready: false, started: true, restartCount: 4, imageID: 'sha256:1', state: {waiting: {reason: 'CrashLoopBackOff'}}},
				{name: 'side', ready: true, started: true, restartCount: 0, state: {running: {}}},
				{name: 'new'},
				{name: 'odd'},
				{name: 'nulls'},
				{},
			],
			initContainerStatuses: [{name: 'init', ready: false, restartCount: 0, started: false, state: {terminated: {reason: 'Completed', exitCode: 0, signal: 9}}}],
		},
	});
});

test('a lean pod and a lean Event are frozen all the way down', () => {
	const pod = leanPod({
		kind: 'Pod',
		metadata: {name: 'p', labels: {app: 'web'}},
		spec: {containers: [{name: 'web', image: 'web:1'}]},
		status: {conditions: [{type: 'Ready', status: 'True'}], containerStatuses: [{name: 'web', state: {waiting: {reason: 'ImagePullBackOff'}}}]},
	});
	for (const part of [pod, pod.metadata, pod.metadata.labels, pod.spec, pod.spec.containers, pod.spec.containers[0], pod.status, pod.status.conditions[0], pod.status.containerStatuses[0].state.waiting]) assert.equal(Object.isFrozen(part), true);
	assert.throws(() => {
		pod.spec.containers[0].image = 'other';
	}, TypeError);
	const event = leanEvent({metadata: {name: 'e'}, involvedObject: {kind: 'Pod', name: 'p'}, series: {count: 2, lastObservedTime: 'T'}});
	for (const part of [event, event.metadata, event.involvedObject, event.series]) assert.equal(Object.isFrozen(part), true);
});

test('an Event (events.k8s.io/v1): regarding, note, series and eventTime; no involvedObject when it has none', () => {
	const event: KObject = {
		kind: 'Event',
		apiVersion: 'events.k8s.io/v1',
		metadata: {name: 'web.1', namespace: 'shop', uid: 'e', resourceVersion: '3', creationTimestamp: 'C', labels: {a: 'b'}},
		regarding: {kind: 'Deployment', name: 'web', namespace: 'shop', uid: 'd', fieldPath: 'spec'},
		related: {kind: 'Pod', name: 'p'},
		note: 'Scaled up replica set web-1 to 3',
		reason: 'ScalingReplicaSet',
		type: 'Normal',
		action: 'Scale',
		eventTime: 'E',
		deprecatedCount: 5,
		deprecatedFirstTimestamp: 'F',
		series: {count: 4, lastObservedTime: 'L', state: 'Ongoing'},
		reportingController: 'deployment-controller',
	};
	assert.deepEqual(leanEvent(event), {
		kind: 'Event',
		apiVersion: 'events.k8s.io/v1',
		metadata: {name: 'web.1', namespace: 'shop', uid: 'e', resourceVersion: '3', creationTimestamp: 'C'},
		regarding: {kind: 'Deployment', name: 'web', namespace: 'shop'},
		note: 'Scaled up replica set web-1 to 3',
		reason: 'ScalingReplicaSet',
		type: 'Normal',
		eventTime: 'E',
		deprecatedCount: 5,
		series: {count: 4, lastObservedTime: 'L'},
	});
	assert.deepEqual(leanEvent({metadata: {name: 'e'}}), {metadata: {name: 'e'}});
});

test('leanProjection: pods and Events are leaned, any other kind (or none) only loses managedFields', () => {
	assert.equal(leanProjection('Pod'), leanPod);
	assert.equal(leanProjection('Event'), leanEvent);
	for (const kind of ['', 'Deployment', 'pod', 'Events']) assert.equal(leanProjection(kind), withoutManagedFields);
	const bare = {kind: 'Thing'} as unknown as KObject;
	assert.equal(withoutManagedFields(bare), bare);
	assert.equal(withoutManagedFields(undefined as never), undefined);
	const kept = {kind: 'Service', metadata: {name: 's'}};
	assert.equal(withoutManagedFields(kept), kept);
	assert.deepEqual(withoutManagedFields({kind: 'Service', metadata: {name: 's', managedFields: []}}), {kind: 'Service', metadata: {name: 's'}});
});

test('onceForFrozen: a frozen object is worked out once and gives the same answer after; one that can change is read each time', () => {
	let calls = 0;
	const nameLength = onceForFrozen(o => {
		calls++;
		return {length: String(o.metadata.name).length};
	});
	const frozen = leanPod({metadata: {name: 'web-1'}} as KObject);
	const first = nameLength(frozen);
	assert.equal(nameLength(frozen), first);
	assert.equal(calls, 1);
	const open = {metadata: {name: 'web-1'}} as KObject;
	assert.deepEqual(nameLength(open), {length: 5});
	open.metadata.name = 'web-10';
	assert.deepEqual(nameLength(open), {length: 6});
	assert.equal(calls, 3);
});
