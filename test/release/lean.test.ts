// Objects stripped to what the model reads: every canonical case gives the same releases, the same Release
// and the same plans from lean objects as from whole ones, and the lean ones hold none of the rest.
import assert from 'node:assert/strict';
import {describe, test} from 'node:test';
import {defaultActionConfig} from '../../source/actions/config.js';
import type {Intent} from '../../source/actions/intents.js';
import type {KObject} from '../../source/kube/object.js';
import {actionTarget, buildRelease, findReleases, planIntent, resolveTarget} from '../../source/kinds/registry.js';
import {leanEvent, leanPod, leanProjection} from '../../source/release/lean.js';
import type {ClusterSnapshot, SnapshotField} from '../../source/release/snapshot.js';
import {caseNames, loadCase} from '../helpers/testdata.js';

const fields: SnapshotField[] = ['deployments', 'replicaSets', 'pods', 'services', 'events', 'routers', 'rollouts', 'analysisRuns', 'canaries'];

/** The snapshot as the watch keeps it: each object through its kind's projection. */
function leanSnapshot(snap: ClusterSnapshot): ClusterSnapshot {
	const out: ClusterSnapshot = {...snap};
	for (const field of fields) {
		const objects = snap[field];
		if (objects) out[field] = objects.map(o => leanProjection(o.kind ?? '')(o));
	}
	return out;
}

/** What a server adds that the model never reads. */
function cluttered(snap: ClusterSnapshot): ClusterSnapshot {
	const out: ClusterSnapshot = {...snap};
	const managedFields = [{manager: 'kubectl', operation: 'Update', fieldsType: 'FieldsV1', fieldsV1: {'f:spec': {}}}];
	for (const field of fields) {
		const objects = snap[field];
		if (objects) out[field] = objects.map(o => ({...o, metadata: {...o.metadata, managedFields}}));
	}
	return out;
}

const intents: Intent[] = [{name: 'promote'}, {name: 'abort'}, {name: 'pause'}, {name: 'setWeight', percent: 50}, {name: 'promoteFull'}, {name: 'stepWeight', delta: 1}, {name: 'undo', revision: 0}];

/** Plans as JSON (their verify functions left out), for each intent. */
function plans(snap: ClusterSnapshot, target: string): string[] {
	const t = actionTarget(snap, target, 'tester');
	if (!t) return [];
	return intents.map(intent => JSON.stringify(planIntent(t, intent, {config: defaultActionConfig, now: '2026-01-01T00:00:00Z'})));
}

describe('lean objects', () => {
	for (const name of caseNames()) {
		test(`${name}: the same releases, Release and plans as from whole objects`, () => {
			const c = loadCase(name);
			const whole = cluttered(c.snapshot);
			const lean = leanSnapshot(whole);
			assert.deepEqual(findReleases(lean), findReleases(whole));
			const resolved = resolveTarget(whole, c.target);
			assert.ok('ref' in resolved);
			assert.deepEqual(buildRelease(lean, resolved.ref), buildRelease(whole, resolved.ref));
			const planned = plans(whole, c.target);
			assert.ok(planned.length > 0);
			assert.deepEqual(plans(lean, c.target), planned);
		});
	}

	test('a pod keeps its identity, owners, containers and status, and none of the rest', () => {
		const pod: KObject = {
			kind: 'Pod',
			apiVersion: 'v1',
			metadata: {name: 'web-1', namespace: 'shop', uid: 'u1', resourceVersion: '7', labels: {app: 'web'}, ownerReferences: [{apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'web-5d', uid: 'r1', controller: true}], managedFields: [{manager: 'kubelet'}], generateName: 'web-'},
			spec: {nodeName: 'n1', containers: [{name: 'web', image: 'web:1', env: [{name: 'A', value: 'x'.repeat(1000)}], resources: {}}], volumes: [{name: 'v'}], initContainers: [{name: 'proxy', image: 'p:1', restartPolicy: 'Always'}]},
			status: {
				phase: 'Running',
				podIP: '10.0.0.1',
				hostIP: '10.1.0.1',
				conditions: [{type: 'Ready', status: 'True', lastTransitionTime: '2026-01-01T00:00:00Z'}],
				containerStatuses: [{name: 'web', ready: true, restartCount: 2, image: 'web:1', imageID: 'sha', state: {running: {startedAt: '2026-01-01T00:00:00Z'}}, lastState: {terminated: {exitCode: 1}}}],
			},
		};
		assert.deepEqual(leanPod(pod), {
			kind: 'Pod',
			apiVersion: 'v1',
			metadata: {name: 'web-1', namespace: 'shop', uid: 'u1', resourceVersion: '7', labels: {app: 'web'}, ownerReferences: pod.metadata.ownerReferences},
			spec: {nodeName: 'n1', containers: [{name: 'web', image: 'web:1'}], initContainers: [{name: 'proxy', restartPolicy: 'Always'}]},
			status: {phase: 'Running', conditions: [{type: 'Ready', status: 'True'}], containerStatuses: [{name: 'web', ready: true, restartCount: 2, imageID: 'sha', state: {running: {}}}]},
		});
	});

	test('an Event keeps whom it is about, when, how often and what it says', () => {
		const event: KObject = {
			metadata: {name: 'web-1.17', namespace: 'shop', uid: 'e1', resourceVersion: '9', creationTimestamp: '2026-01-01T00:00:00Z', managedFields: [{}]},
			involvedObject: {kind: 'Pod', name: 'web-1', namespace: 'shop', uid: 'u1', apiVersion: 'v1', resourceVersion: '7', fieldPath: 'spec.containers{web}'},
			reason: 'Unhealthy',
			message: 'Readiness probe failed',
			source: {component: 'kubelet', host: 'n1'},
			firstTimestamp: '2026-01-01T00:00:00Z',
			lastTimestamp: '2026-01-01T00:01:00Z',
			count: 3,
			type: 'Warning',
			reportingComponent: 'kubelet',
		};
		assert.deepEqual(leanEvent(event), {
			metadata: {name: 'web-1.17', namespace: 'shop', uid: 'e1', resourceVersion: '9', creationTimestamp: '2026-01-01T00:00:00Z'},
			involvedObject: {kind: 'Pod', name: 'web-1', namespace: 'shop'},
			reason: 'Unhealthy',
			message: 'Readiness probe failed',
			firstTimestamp: '2026-01-01T00:00:00Z',
			lastTimestamp: '2026-01-01T00:01:00Z',
			count: 3,
			type: 'Warning',
		});
	});

	test('other kinds stay whole but for managedFields', () => {
		const deployment: KObject = {kind: 'Deployment', metadata: {name: 'web', annotations: {'kubectl.kubernetes.io/last-applied-configuration': '{}'}, managedFields: [{}]}, spec: {template: {spec: {containers: [{name: 'web', env: []}]}}}};
		const {managedFields: _m, ...metadata} = deployment.metadata;
		assert.deepEqual(leanProjection('Deployment')(deployment), {...deployment, metadata});
		const plain: KObject = {kind: 'Service', metadata: {name: 'web'}, spec: {selector: {app: 'web'}}};
		assert.equal(leanProjection('Service')(plain), plain);
	});
});
