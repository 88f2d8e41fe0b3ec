// The label selectors of a release's pods: one per workload, less those another one's include; none when a
// workload's selector cannot say.
import assert from 'node:assert/strict';
import {test} from 'node:test';
import type {KObject} from '../../source/kube/object.js';
import type {DetectedRelease} from '../../source/release/detected.js';
import {podSelectors} from '../../source/release/pod-scope.js';

const workload = (name: string, selector: unknown): KObject => ({kind: 'Deployment', metadata: {name}, spec: {selector}});

function release(members: KObject[], object?: KObject): DetectedRelease {
	return {target: 'deploy/x', name: 'x', kind: 'canary', deployments: members.map(m => m.metadata.name!), services: [], inProgress: false, members: members.map(deployment => ({deployment, role: 'stable' as const})), ...(object ? {object} : {})};
}

test('one selector per workload, sorted', () => {
	const r = release([workload('web', {matchLabels: {app: 'web', track: 'stable'}}), workload('web-canary', {matchLabels: {app: 'web', track: 'canary'}})]);
	assert.deepEqual(podSelectors(r), ['app=web,track=canary', 'app=web,track=stable']);
});

test('a selector that another one includes is left out; the same one is said once', () => {
	const broad = workload('web', {matchLabels: {app: 'web'}});
	const narrow = workload('web-canary', {matchLabels: {app: 'web', track: 'canary'}});
	assert.deepEqual(podSelectors(release([broad, narrow])), ['app=web']);
	assert.deepEqual(podSelectors(release([narrow, broad])), ['app=web']);
	assert.deepEqual(podSelectors(release([broad, workload('web-too', {matchLabels: {app: 'web'}})])), ['app=web']);
});

test('set-based requirements as the API takes them', () => {
	const r = release([workload('web', {matchLabels: {app: 'web'}, matchExpressions: [{key: 'tier', operator: 'In', values: ['a', 'b']}, {key: 'legacy', operator: 'DoesNotExist'}]})]);
	assert.deepEqual(podSelectors(r), ['app=web,tier in (a,b),!legacy']);
});

test("an Argo Rollout's own selector", () => {
	const rollout: KObject = {kind: 'Rollout', metadata: {name: 'checkout'}, spec: {selector: {matchLabels: {app: 'checkout'}}}};
	assert.deepEqual(podSelectors(release([], rollout)), ['app=checkout']);
	// A Flagger Canary is no workload: its Deployments say.
	const canary: KObject = {kind: 'Canary', metadata: {name: 'podinfo'}, spec: {targetRef: {name: 'podinfo'}}};
	assert.deepEqual(podSelectors(release([workload('podinfo-primary', {matchLabels: {app: 'podinfo-primary'}})], canary)), ['app=podinfo-primary']);
});

test('none when a workload selects everything, has no selector, an operator the API does not know, or there is no workload', () => {
	assert.equal(podSelectors(release([workload('web', {})])), undefined);
	assert.equal(podSelectors(release([workload('web', undefined)])), undefined);
	assert.equal(podSelectors(release([workload('web', {matchExpressions: [{key: 'a', operator: 'Near'}]})])), undefined);
	assert.equal(podSelectors(release([workload('web', {matchLabels: {app: 'web'}}), workload('other', undefined)])), undefined);
	assert.equal(podSelectors(release([])), undefined);
});
