import assert from 'node:assert/strict';
import {test} from 'node:test';
import {buildRelease, findReleases} from '../../source/kinds/registry.js';
import type {KObject} from '../../source/kube/object.js';
import {digestOf, imageWarnings, tagOf} from '../../source/release/images.js';
import {leanPod} from '../../source/release/lean.js';
import {releaseAsText} from '../../source/text/release-text.js';
import {deployment, pod, replicaSet, snapshot} from './fixtures.js';

const sha = (c: string) => `sha256:${c.repeat(64)}`;

/** A pod of `rs` running `image` whose container status names `imageID`. */
function running(rs: KObject, suffix: string, imageID: string): KObject {
	const p = pod(rs, suffix);
	p.status.containerStatuses[0].imageID = imageID;
	return p;
}

test('tags: none, latest, a version; a digest pins the image whatever its tag', () => {
	assert.equal(tagOf('nginx'), '');
	assert.equal(tagOf('registry:5000/team/app'), '');
	assert.equal(tagOf('registry:5000/team/app:latest'), 'latest');
	assert.equal(tagOf('registry:5000/team/app:1.2.3'), '1.2.3');
	assert.equal(tagOf('app:1.2.3@sha256:abc'), undefined);
});

test('digests as container runtimes write imageID', () => {
	assert.equal(digestOf(`docker-pullable://registry.local/app@${sha('a')}`), sha('a'));
	assert.equal(digestOf(`registry.local/app@${sha('b')}`), sha('b'));
	assert.equal(digestOf(sha('c')), sha('c'));
	assert.equal(digestOf(''), undefined);
	assert.equal(digestOf(undefined), undefined);
});

test('no tag and :latest are flagged; a pinned or versioned image is not', () => {
	assert.deepEqual(imageWarnings(['registry.local/app:1.2.3', `registry.local/app@${sha('a')}`], []), []);
	assert.deepEqual(imageWarnings(['registry.local/app'], []), ['registry.local/app has no tag (it means :latest, which moves)']);
	assert.deepEqual(imageWarnings(['registry.local/app:latest', 'registry.local/app:latest'], []), ['registry.local/app:latest uses :latest, a tag that moves']);
});

test('one tag running several digests across the pods is flagged; the same digest everywhere, or no imageID yet, is not', () => {
	const web = deployment('web', {image: 'registry.local/web:main', replicas: 3});
	const rs = replicaSet(web, {hash: 'h1', revision: 1, image: 'registry.local/web:main', replicas: 3});
	const same = [running(rs, 'a', `registry.local/web@${sha('a')}`), running(rs, 'b', `registry.local/web@${sha('a')}`), running(rs, 'c', '')];
	assert.deepEqual(imageWarnings(['registry.local/web:main'], same), []);
	const moved = [...same.slice(0, 2), running(rs, 'c', `docker-pullable://registry.local/web@${sha('b')}`)];
	assert.deepEqual(imageWarnings(['registry.local/web:main'], moved), ['registry.local/web:main runs 2 digests on 3 pods (sha256:aaaaaaaaaaaa, sha256:bbbbbbbbbbbb)']);
});

test('a pod changed in place is read anew; a frozen one (lean, as the watch keeps them) gives the same warnings from what was worked out', () => {
	const web = deployment('web', {image: 'registry.local/web:main', replicas: 2});
	const rs = replicaSet(web, {hash: 'h1', revision: 1, image: 'registry.local/web:main', replicas: 2});
	const pods = [running(rs, 'a', `registry.local/web@${sha('a')}`), running(rs, 'b', `registry.local/web@${sha('a')}`)];
	assert.deepEqual(imageWarnings(['registry.local/web:main'], pods), []);
	pods[1]!.status.containerStatuses[0].imageID = `registry.local/web@${sha('b')}`;
	assert.deepEqual(imageWarnings(['registry.local/web:main'], pods), ['registry.local/web:main runs 2 digests on 2 pods (sha256:aaaaaaaaaaaa, sha256:bbbbbbbbbbbb)']);
	const frozen = pods.map(leanPod);
	assert.ok(frozen.every(p => Object.isFrozen(p)));
	const warnings = imageWarnings(['registry.local/web:main'], frozen);
	assert.deepEqual(imageWarnings(['registry.local/web:main'], frozen), warnings);
	assert.deepEqual(warnings, ['registry.local/web:main runs 2 digests on 2 pods (sha256:aaaaaaaaaaaa, sha256:bbbbbbbbbbbb)']);
});

test("a rollout's old and new tags are not one tag: pods are compared within the image of their own spec", () => {
	const api = deployment('api', {image: 'registry.local/api:2.0', replicas: 2, revision: 2, updated: 1});
	const oldRs = replicaSet(api, {hash: 'old', revision: 1, image: 'registry.local/api:1.9', replicas: 1});
	const newRs = replicaSet(api, {hash: 'new', revision: 2, image: 'registry.local/api:2.0', replicas: 1});
	const pods = [running(oldRs, 'a', `registry.local/api@${sha('1')}`), running(newRs, 'b', `registry.local/api@${sha('2')}`)];
	pods[0]!.spec.containers[0].image = 'registry.local/api:1.9';
	assert.deepEqual(imageWarnings(['registry.local/api:2.0'], pods), []);
});

test('the warnings are on the Version in -o json and in the --once text; a version with none has no field', () => {
	const web = deployment('web', {image: 'registry.local/web:latest', replicas: 2});
	const rs = replicaSet(web, {hash: 'h1', revision: 1, image: 'registry.local/web:latest', replicas: 2});
	const snap = snapshot([web, rs, running(rs, 'a', `registry.local/web@${sha('a')}`), running(rs, 'b', `registry.local/web@${sha('b')}`)]);
	const release = buildRelease(snap, findReleases(snap)[0]!);
	assert.deepEqual(release.versions[0]!.imageWarnings, ['registry.local/web:latest uses :latest, a tag that moves', 'registry.local/web:latest runs 2 digests on 2 pods (sha256:aaaaaaaaaaaa, sha256:bbbbbbbbbbbb)']);
	assert.match(releaseAsText(release, 'ctx'), /\n {2}web-h1 image: registry\.local\/web:latest uses :latest, a tag that moves\n {2}web-h1 image: registry\.local\/web:latest runs 2 digests/);
	const pinned = deployment('api', {image: 'registry.local/api:1.0'});
	const pinnedRs = replicaSet(pinned, {hash: 'h2', revision: 1, image: 'registry.local/api:1.0', replicas: 1});
	const plain = snapshot([pinned, pinnedRs, running(pinnedRs, 'a', `registry.local/api@${sha('c')}`)]);
	assert.equal('imageWarnings' in buildRelease(plain, findReleases(plain)[0]!).versions[0]!, false);
});
