import assert from 'node:assert/strict';
import {test} from 'node:test';
import {buildRelease} from '../../source/kinds/registry.js';
import {findReleases, resolveTarget} from '../../source/kinds/registry.js';
import type {KObject} from '../../source/kube/object.js';
import {deployment, pod, replicaSet, service, snapshot} from './fixtures.js';

/** api at revision 3 mid-rollout: new RS 2 pods (one crash-looping), old RS 2 pods, an empty older RS. */
function midRollout(extra: Partial<Parameters<typeof deployment>[1]> = {}): KObject[] {
	const api = deployment('api', {replicas: 4, image: 'shop/api:2.0', revision: 3, generation: 5, observedGeneration: 5, updated: 2, total: 4, ready: 3, available: 3, ...extra});
	const newRs = replicaSet(api, {hash: 'new333', revision: 3, image: 'shop/api:2.0', replicas: 2, available: 1, changeCause: 'deploy 2.0\n\x1b[31mred', age: 120});
	const oldRs = replicaSet(api, {hash: 'old222', revision: 2, image: 'shop/api:1.9', replicas: 2, age: 86_400});
	const olderRs = replicaSet(api, {hash: 'old111', revision: 1, image: 'shop/api:1.8', replicas: 0, age: 2 * 86_400});
	return [
		api,
		newRs,
		oldRs,
		olderRs,
		pod(newRs, 'n1', {age: 100}),
		pod(newRs, 'n2', {waiting: 'CrashLoopBackOff', restarts: 3, age: 90}),
		pod(oldRs, 'o1'),
		pod(oldRs, 'o2'),
		service('api', {app: 'api'}),
	];
}

test('rolling: versions are the live ReplicaSets, old then new', () => {
	const snap = snapshot(midRollout());
	const [ref] = findReleases(snap);
	assert.equal(ref.kind, 'rolling');
	assert.equal(ref.target, 'deploy/api');
	assert.equal(ref.inProgress, true);
	assert.deepEqual(ref.services, ['api']);
	const release = buildRelease(snap, ref);
	assert.equal(release.kind, 'rolling');
	assert.deepEqual(
		release.versions.map(v => [v.id, v.role, v.revision, v.workloadKind, v.pods, v.ready, v.restarts]),
		[
			['api-old222', 'old', 2, 'ReplicaSet', 2, 2, 0],
			['api-new333', 'new', 3, 'ReplicaSet', 2, 1, 3],
		],
	);
	const [old, current] = release.versions;
	assert.deepEqual(current.images, ['shop/api:2.0']);
	assert.equal(current.podTemplateHash, 'new333');
	assert.equal(current.selector, 'app=api,pod-template-hash=new333');
	assert.deepEqual(current.phases, {Running: 1, CrashLoopBackOff: 1});
	assert.equal(current.desired, 2);
	assert.equal(current.available, 1);
	// Weights by ready pods: 2 old, 1 new.
	assert.equal(old.weight, 66.7);
	assert.equal(current.weight, 33.3);
	assert.deepEqual(release.traffic, {router: 'deployment', object: 'Deployment/api', weights: {'api-old222': 66.7, 'api-new333': 33.3}});
	assert.deepEqual(release.services, ['api']);
});

test('rolling: pods sorted by version then name, with kubectl status', () => {
	const release = buildRelease(snapshot(midRollout()), findReleases(snapshot(midRollout()))[0]);
	assert.deepEqual(
		release.pods.map(p => [p.name, p.version, p.status, p.ready, p.restarts]),
		[
			['api-old222-o1', 'api-old222', 'Running', true, 0],
			['api-old222-o2', 'api-old222', 'Running', true, 0],
			['api-new333-n1', 'api-new333', 'Running', true, 0],
			['api-new333-n2', 'api-new333', 'CrashLoopBackOff', false, 3],
		],
	);
});

test('rolling: revisions newest first with change-cause sanitised, current flagged', () => {
	const snap = snapshot(midRollout());
	const release = buildRelease(snap, findReleases(snap)[0]);
	assert.deepEqual(
		release.revisions.map(r => [r.revision, r.replicaSet, r.images[0], r.pods, r.current, r.changeCause]),
		[
			[3, 'api-new333', 'shop/api:2.0', 2, true, 'deploy 2.0 red'],
			[2, 'api-old222', 'shop/api:1.9', 2, false, undefined],
			[1, 'api-old111', 'shop/api:1.8', 0, false, undefined],
		],
	);
	assert.equal(release.revisions[0].ageSeconds, 120);
	assert.equal(release.revisions[0].workload, 'api');
});

test('rolling: progress mid-rollout is not complete', () => {
	const snap = snapshot(midRollout());
	const release = buildRelease(snap, findReleases(snap)[0]);
	assert.deepEqual(
		{...release.progress, conditions: undefined},
		{desired: 4, updated: 2, ready: 3, available: 3, paused: false, conditions: undefined, deadlineExceeded: false, complete: false},
	);
});

test('rolling: ProgressDeadlineExceeded is reported and never complete', () => {
	const objects = midRollout({
		conditions: [
			{type: 'Available', status: 'True', reason: 'MinimumReplicasAvailable'},
			{type: 'Progressing', status: 'False', reason: 'ProgressDeadlineExceeded', message: 'ReplicaSet "api-new333" has timed out progressing.'},
		],
	});
	const snap = snapshot(objects);
	const release = buildRelease(snap, findReleases(snap)[0]);
	assert.equal(release.progress?.deadlineExceeded, true);
	assert.equal(release.progress?.complete, false);
	assert.deepEqual(release.progress?.conditions[1], {
		type: 'Progressing',
		status: 'False',
		reason: 'ProgressDeadlineExceeded',
		message: 'ReplicaSet "api-new333" has timed out progressing.',
	});
});

test('rolling: a finished rollout is complete and has one version; paused or unobserved is not complete', () => {
	const web = deployment('web', {replicas: 2, revision: 2});
	const rs2 = replicaSet(web, {hash: 'h2', revision: 2, replicas: 2});
	const rs1 = replicaSet(web, {hash: 'h1', revision: 1, replicas: 0});
	const objects = [web, rs2, rs1, pod(rs2, 'a'), pod(rs2, 'b')];
	const snap = snapshot(objects);
	const [ref] = findReleases(snap);
	assert.equal(ref.inProgress, false);
	const release = buildRelease(snap, ref);
	assert.equal(release.progress?.complete, true);
	assert.deepEqual(release.versions.map(v => v.id), ['web-h2']);
	assert.equal(release.versions[0].weight, 100);

	const paused = deployment('web', {replicas: 2, revision: 2, paused: true});
	assert.equal(buildRelease(snapshot([paused, rs2, rs1]), ref).progress?.complete, false);
	const unobserved = deployment('web', {replicas: 2, revision: 2, generation: 3, observedGeneration: 2});
	assert.equal(buildRelease(snapshot([unobserved, rs2, rs1]), ref).progress?.complete, false);
});

test('rolling: the current ReplicaSet is a version even with no pods; weight by replicas when none is ready', () => {
	const web = deployment('web', {replicas: 2, revision: 2, updated: 0, ready: 0, available: 0});
	const rs2 = replicaSet(web, {hash: 'h2', revision: 2, replicas: 0});
	const rs1 = replicaSet(web, {hash: 'h1', revision: 1, replicas: 2});
	const snap = snapshot([web, rs2, rs1, pod(rs1, 'a', {waiting: 'ContainerCreating'})]);
	const release = buildRelease(snap, findReleases(snap)[0]);
	assert.deepEqual(release.versions.map(v => [v.id, v.role, v.pods, v.weight]), [
		['web-h1', 'old', 1, 100],
		['web-h2', 'new', 0, 0],
	]);
});

test('rolling: ReplicaSets of a recreated Deployment (other uid) are not its own', () => {
	const web = deployment('web', {revision: 1});
	const stale = replicaSet(web, {hash: 'old', revision: 4, replicas: 1});
	stale.metadata.ownerReferences![0].uid = 'uid-of-a-deleted-deployment';
	const rs = replicaSet(web, {hash: 'h1', revision: 1, replicas: 2});
	const snap = snapshot([web, stale, rs]);
	const release = buildRelease(snap, findReleases(snap)[0]);
	assert.deepEqual(release.revisions.map(r => r.replicaSet), ['web-h1']);
});

test('buildRelease: a ref whose Deployments are gone gives an empty release', () => {
	const snap = snapshot(midRollout());
	const resolved = resolveTarget(snap, 'deploy/api');
	assert.ok('ref' in resolved);
	const release = buildRelease(snapshot([]), resolved.ref);
	assert.equal(release.target, 'deploy/api');
	assert.deepEqual(release.versions, []);
	assert.deepEqual(release.pods, []);
});
