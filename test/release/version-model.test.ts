// A version of a release, literal: a Deployment or a ReplicaSet as one, with nothing it does not have (no
// revision, hash or warnings), its image warnings, the roles that are new, the display order and its weight.
import assert from 'node:assert/strict';
import {test} from 'node:test';
import type {KObject} from '../../source/kube/object.js';
import type {Version} from '../../source/release/model.js';
import {deploymentVersion, isNewRole, orderVersions, replicaSetVersion, weightOf} from '../../source/release/versions.js';
import {deployment, pod, replicaSet} from './fixtures.js';

test('deploymentVersion: a Deployment with nothing but a name is one desired replica and nothing else', () => {
	assert.deepEqual(deploymentVersion({kind: 'Deployment', metadata: {name: 'bare'}}, 'stable', {metadata: {name: 'rs'}}, []), {
		id: 'bare',
		role: 'stable',
		workload: 'bare',
		workloadKind: 'Deployment',
		images: [],
		desired: 1,
		pods: 0,
		ready: 0,
		restarts: 0,
		phases: {},
		available: 0,
		selector: '',
	});
});

test('deploymentVersion: revision, the current ReplicaSet\'s hash, pod counts and image warnings', () => {
	const web = deployment('web', {labels: {app: 'web'}, image: 'web:latest', replicas: 3, revision: 4, available: 2});
	const rs = replicaSet(web, {hash: '5d8f', revision: 4, image: 'web:latest', replicas: 3});
	const pods = [pod(rs, 'a'), pod(rs, 'b', {restarts: 2}), pod(rs, 'c', {waiting: 'CrashLoopBackOff', restarts: 5})];
	assert.deepEqual(deploymentVersion(web, 'canary', rs, pods), {
		id: 'web',
		role: 'canary',
		workload: 'web',
		workloadKind: 'Deployment',
		images: ['web:latest'],
		desired: 3,
		pods: 3,
		ready: 2,
		restarts: 7,
		phases: {Running: 2, CrashLoopBackOff: 1},
		available: 2,
		selector: 'app=web',
		revision: 4,
		podTemplateHash: '5d8f',
		imageWarnings: ['web:latest uses :latest, a tag that moves'],
	});
	const unlabelled = {...rs, metadata: {...rs.metadata, labels: undefined}};
	assert.equal('podTemplateHash' in deploymentVersion(web, 'canary', unlabelled, []), false);
	assert.equal('podTemplateHash' in deploymentVersion(web, 'canary', undefined, []), false);
});

test('replicaSetVersion: its own revision and hash, or the names given (an Argo Rollout\'s); none when it has none', () => {
	const web = deployment('web', {image: 'web:1.2'});
	const rs = replicaSet(web, {hash: '7c9', revision: 2, image: 'web:1.2', replicas: 2, available: 1});
	assert.deepEqual(replicaSetVersion(rs, 'new', [pod(rs, 'a')]), {
		id: 'web-7c9',
		role: 'new',
		workload: 'web-7c9',
		workloadKind: 'ReplicaSet',
		images: ['web:1.2'],
		desired: 2,
		pods: 1,
		ready: 1,
		restarts: 0,
		phases: {Running: 1},
		available: 1,
		selector: 'app=web,pod-template-hash=7c9',
		revision: 2,
		podTemplateHash: '7c9',
	});
	const named = replicaSetVersion(rs, 'canary', [], {revision: 9, podTemplateHash: 'abc'});
	assert.deepEqual([named.revision, named.podTemplateHash], [9, 'abc']);
	const unnamed = replicaSetVersion(rs, 'canary', [], {revision: undefined, podTemplateHash: ''});
	assert.deepEqual(['revision' in unnamed, 'podTemplateHash' in unnamed], [false, false]);
	const bare: KObject = {kind: 'ReplicaSet', metadata: {name: 'bare'}};
	assert.deepEqual(replicaSetVersion(bare, 'old', []), {id: 'bare', role: 'old', workload: 'bare', workloadKind: 'ReplicaSet', images: [], desired: 1, pods: 0, ready: 0, restarts: 0, phases: {}, available: 0, selector: ''});
});

test('isNewRole: canary, preview and new; not stable, active or old', () => {
	assert.deepEqual((['stable', 'active', 'old', 'canary', 'preview', 'new'] as const).map(isNewRole), [false, false, false, true, true, true]);
});

const v = (id: string, role: Version['role'], revision?: number): Version => ({id, role, workload: id, workloadKind: 'ReplicaSet', images: [], desired: 1, pods: 0, ready: 0, restarts: 0, phases: {}, available: 0, selector: '', ...(revision === undefined ? {} : {revision})});

test('orderVersions: old roles first, then by revision, then by id; the list given is left as it was', () => {
	const given = [v('c-new', 'new', 7), v('b-canary', 'canary', 1), v('z-old', 'old', 3), v('a-stable', 'stable', 5), v('y-old', 'old', 3), v('x-old', 'old'), v('p-preview', 'preview', 2)];
	const before = given.map(x => x.id);
	assert.deepEqual(orderVersions(given).map(x => x.id), ['x-old', 'y-old', 'z-old', 'a-stable', 'b-canary', 'p-preview', 'c-new']);
	assert.deepEqual(given.map(x => x.id), before);
	assert.deepEqual(orderVersions([v('r3', 'old', 3), v('r1', 'old', 1), v('r2', 'old', 2)]).map(x => x.id), ['r1', 'r2', 'r3']);
});

test('weightOf: the router\'s weight for the version, else the version\'s own', () => {
	const version = {id: 'web', weight: 50};
	assert.equal(weightOf({traffic: {router: 'istio', weights: {web: 30}}}, version), 30);
	assert.equal(weightOf({traffic: {router: 'istio', weights: {web: 0}}}, version), 0);
	assert.equal(weightOf({traffic: {router: 'istio', weights: {other: 30}}}, version), 50);
	assert.equal(weightOf({}, version), 50);
	assert.equal(weightOf({}, {id: 'web'}), undefined);
});
