import assert from 'node:assert/strict';
import {test} from 'node:test';
import {managedBy} from '../../source/traffic/managed.js';
import {pointer, weightValue} from '../../source/traffic/router.js';

test('managedBy: owner references, annotations and labels', () => {
	assert.equal(managedBy({metadata: {name: 'x'}}), undefined);
	assert.equal(managedBy({metadata: {name: 'x', ownerReferences: [{apiVersion: 'argoproj.io/v1alpha1', kind: 'Rollout', name: 'r', uid: '1'}]}}), 'argo-rollouts');
	assert.equal(managedBy({metadata: {name: 'x', ownerReferences: [{apiVersion: 'flagger.app/v1beta1', kind: 'Canary', name: 'c', uid: '1'}]}}), 'flagger');
	assert.equal(managedBy({metadata: {name: 'x', annotations: {'argo-rollouts.argoproj.io/managed-by-rollouts': 'checkout'}}}), 'argo-rollouts');
	assert.equal(managedBy({metadata: {name: 'x', labels: {'app.kubernetes.io/managed-by': 'flagger'}}}), 'flagger');
	assert.equal(
		managedBy({metadata: {name: 'x', annotations: {'kubectl.kubernetes.io/last-applied-configuration': '{"note":"not flagger"}'}}}),
		undefined,
	);
});

test('pointer escapes ~ and /', () => {
	assert.equal(pointer('metadata', 'annotations', 'a/b~c'), '/metadata/annotations/a~1b~0c');
	assert.equal(pointer('spec', 'http', 0), '/spec/http/0');
});

test('weightValue: numbers and Quantities', () => {
	assert.equal(weightValue(90), 90);
	assert.equal(weightValue('90'), 90);
	assert.equal(weightValue('500m'), 0.5);
	assert.equal(weightValue('lots'), undefined);
	assert.equal(weightValue(undefined), undefined);
});
