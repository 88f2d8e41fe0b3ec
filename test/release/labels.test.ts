// Labels and selectors: an empty map selector selects nothing (a Service without a selector, a subset without
// labels), set-based selectors print as kubectl prints them; and what that means for the releases found.
import assert from 'node:assert/strict';
import {test} from 'node:test';
import {findReleases, resolveTarget} from '../../source/kinds/registry.js';
import {labelsOf, mapMatches, selectorString, serviceSelects, templateLabels} from '../../source/release/labels.js';
import {buildRelease} from '../../source/kinds/registry.js';
import {deployment, destinationRule, replicaSet, service, snapshot, virtualService} from './fixtures.js';

test('mapMatches: every pair of a non-empty selector is in the labels', () => {
	const labels = {app: 'web', track: 'stable', team: 'shop'};
	assert.equal(mapMatches({app: 'web'}, labels), true);
	assert.equal(mapMatches({app: 'web', track: 'stable'}, labels), true);
	assert.equal(mapMatches({app: 'web', track: 'canary'}, labels), false, 'one pair differs');
	assert.equal(mapMatches({app: 'web', zone: 'a'}, labels), false, 'a key the labels lack');
	assert.equal(mapMatches({app: 'Web'}, labels), false, 'values compare exactly');
	assert.equal(mapMatches({}, labels), false, 'an empty selector selects nothing');
	assert.equal(mapMatches(undefined, labels), false, 'no selector selects nothing');
	assert.equal(mapMatches({app: 'web'}, {}), false);
});

test('serviceSelects: by the pod template labels; a Service without a selector selects no Deployment', () => {
	const web = deployment('web', {labels: {app: 'web', track: 'stable'}});
	assert.equal(serviceSelects(service('web', {app: 'web'}), web), true);
	assert.equal(serviceSelects(service('web-canary', {app: 'web', track: 'canary'}), web), false);
	assert.equal(serviceSelects(service('headless', {}), web), false);
	const external = service('external', {});
	delete external.spec.selector;
	assert.equal(serviceSelects(external, web), false);
	assert.deepEqual(templateLabels(web), {app: 'web', track: 'stable'});
	assert.deepEqual(templateLabels({metadata: {name: 'bare'}}), {});
	assert.deepEqual(labelsOf({metadata: {name: 'bare'}}), {});
	assert.deepEqual(labelsOf({metadata: {name: 'x', labels: {a: 'b'}}}), {a: 'b'});
});

test('selectorString: map and set-based selectors as kubectl prints them', () => {
	assert.equal(selectorString(undefined), '');
	assert.equal(selectorString({}), '');
	assert.equal(selectorString({app: 'web', tier: 'front'}), 'app=web,tier=front');
	assert.equal(selectorString({matchLabels: {app: 'web'}}), 'app=web');
	assert.equal(
		selectorString({
			matchLabels: {app: 'web'},
			matchExpressions: [
				{key: 'tier', operator: 'In', values: ['a', 'b']},
				{key: 'env', operator: 'NotIn', values: ['dev']},
				{key: 'canary', operator: 'Exists'},
				{key: 'legacy', operator: 'DoesNotExist'},
				{key: 'odd', operator: 'Near', values: ['x']},
			],
		}),
		'app=web,tier in (a,b),env notin (dev),canary,!legacy',
	);
	assert.equal(selectorString({matchExpressions: [{key: 'tier', operator: 'In'}]}), 'tier in ()');
	assert.equal(selectorString({matchExpressions: [{key: 'tier', operator: 'NotIn'}]}), 'tier notin ()');
});

test('a Service with an empty selector fronts no release: the Deployments stay rolling releases of their own', () => {
	const web = deployment('web', {revision: 2});
	const api = deployment('api', {revision: 5});
	const snap = snapshot([web, replicaSet(web, {hash: 'w2', revision: 2, replicas: 2}), api, replicaSet(api, {hash: 'a5', revision: 5, replicas: 2}), service('headless', {})]);
	assert.deepEqual(
		findReleases(snap).map(r => [r.target, r.kind]),
		[
			['deploy/api', 'rolling'],
			['deploy/web', 'rolling'],
		],
	);
	const resolved = resolveTarget(snap, 'svc/headless');
	assert.ok('error' in resolved);
	assert.equal(resolved.error, 'Service "headless" in namespace "shop" selects no Deployment');
});

test('a DestinationRule subset without labels names no Deployment: the subset that matches says which is stable', () => {
	// Neither labels nor names say which is stable; the newer one is v1's, which only the `stable` subset names.
	const v1 = deployment('reviews-a', {labels: {app: 'reviews', version: 'v1'}, age: 600});
	const v2 = deployment('reviews-b', {labels: {app: 'reviews', version: 'v2'}, age: 86_400});
	const rule = destinationRule('reviews', 'reviews', [
		{name: 'canary', labels: {}},
		{name: 'stable', labels: {version: 'v1'}},
		{name: 'next', labels: {version: 'v2'}},
	]);
	const vs = virtualService('reviews', [
		{
			route: [
				{destination: {host: 'reviews', subset: 'stable'}, weight: 90},
				{destination: {host: 'reviews', subset: 'next'}, weight: 10},
			],
		},
	]);
	const snap = snapshot([v1, replicaSet(v1, {hash: 'a1', revision: 1, replicas: 2}), v2, replicaSet(v2, {hash: 'b1', revision: 1, replicas: 2}), service('reviews', {app: 'reviews'}), rule, vs]);
	const resolved = resolveTarget(snap, 'svc/reviews');
	assert.ok('ref' in resolved, 'error' in resolved ? resolved.error : '');
	const release = buildRelease(snap, resolved.ref);
	assert.deepEqual(
		release.versions.map(v => [v.id, v.role]),
		[
			['reviews-a', 'stable'],
			['reviews-b', 'canary'],
		],
	);
	assert.deepEqual(release.traffic?.weights, {'reviews-a': 90, 'reviews-b': 10});
});
