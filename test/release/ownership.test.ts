// Who owns what, literal: controller references (the marked one, else an unmarked one of the kind), a
// recreated owner's predecessor's children not its own, and the current ReplicaSet of a Deployment.
import assert from 'node:assert/strict';
import {test} from 'node:test';
import type {KObject} from '../../source/kube/object.js';
import {controllerRef, ownership} from '../../source/release/ownership.js';
import {deployment, pod, replicaSet} from './fixtures.js';

const names = (objects: KObject[]) => objects.map(o => o.metadata.name);

test('controllerRef: the controller reference of the kind, else one of the kind not marked either way', () => {
	const refs = (...list: object[]): KObject => ({metadata: {name: 'x', ownerReferences: list as never}});
	const a = {apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'a', uid: '1', controller: false};
	const b = {apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'b', uid: '2'};
	const c = {apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'c', uid: '3', controller: true};
	assert.equal(controllerRef(refs(a, b, c), 'ReplicaSet')?.name, 'c');
	assert.equal(controllerRef(refs(a, b), 'ReplicaSet')?.name, 'b');
	assert.equal(controllerRef(refs(a), 'ReplicaSet'), undefined, 'controller: false is not the controller');
	assert.equal(controllerRef(refs(c), 'Deployment'), undefined);
	assert.equal(controllerRef({metadata: {name: 'x'}}, 'ReplicaSet'), undefined);
});

test('ownership: by controller reference and name, the uid too when both have one', () => {
	const web = deployment('web');
	const rs = (hash: string, revision: number, o: {uid?: string | null; owner?: string; age?: number} = {}) => {
		const r = replicaSet(web, {hash, revision, replicas: 1, age: o.age});
		const ref = r.metadata.ownerReferences![0]!;
		if (o.uid === null) delete (ref as {uid?: string}).uid;
		else if (o.uid) ref.uid = o.uid;
		if (o.owner) ref.name = o.owner;
		return r;
	};
	const mine = rs('a', 1);
	const noUid = rs('b', 2, {uid: null});
	const predecessor = rs('c', 3, {uid: 'uid-of-an-older-web'});
	const theirs = rs('d', 4, {owner: 'api'});
	const own = ownership([mine, noUid, predecessor, theirs], [pod(mine, 'p1'), pod(noUid, 'p2'), pod(predecessor, 'p3')]);
	assert.deepEqual(names(own.replicaSetsOf(web)), ['web-a', 'web-b']);
	assert.deepEqual(names(own.podsOfDeployment(web)), ['web-a-p1', 'web-b-p2']);
	assert.deepEqual(names(own.podsOf(predecessor)), ['web-c-p3']);
	assert.deepEqual(names(own.podsOf(theirs)), []);
	const uidless = {...web, metadata: {...web.metadata, uid: undefined}};
	assert.deepEqual(names(own.replicaSetsOf(uidless)), ['web-a', 'web-b', 'web-c'], 'an owner without uid takes any of its name');
});

test('the current ReplicaSet: the one of the Deployment\'s revision, else the highest revision, the newest of equals', () => {
	const at = (revision?: number) => {
		const d = deployment('web', {revision: revision ?? 1});
		if (revision === undefined) delete d.metadata.annotations!['deployment.kubernetes.io/revision'];
		return d;
	};
	const web = at(2);
	const r1 = replicaSet(web, {hash: 'a', revision: 1, age: 300});
	const r2 = replicaSet(web, {hash: 'b', revision: 2, age: 600});
	const r3 = replicaSet(web, {hash: 'c', revision: 3, age: 900});
	const r3b = replicaSet(web, {hash: 'd', revision: 3, age: 100});
	const unnumbered = replicaSet(web, {hash: 'e', revision: 0, age: 50});
	delete unnumbered.metadata.annotations!['deployment.kubernetes.io/revision'];
	const current = (d: KObject, ...sets: KObject[]) => ownership(sets, []).currentReplicaSet(d)?.metadata.name;
	assert.equal(current(web, r1, r2, r3), 'web-b', 'the Deployment\'s revision');
	assert.equal(current(at(9), r1, r3, r2), 'web-c', 'no ReplicaSet of it: the highest');
	assert.equal(current(at(undefined), r3, r1), 'web-c', 'the Deployment says none');
	assert.equal(current(at(9), r3, r3b), 'web-d', 'of equal revisions, the newest');
	assert.equal(current(at(9), r3b, r3), 'web-d');
	assert.equal(current(at(9), unnumbered, r1), 'web-a', 'a ReplicaSet without revision counts as 0');
	assert.equal(current(at(9)), undefined);
});
