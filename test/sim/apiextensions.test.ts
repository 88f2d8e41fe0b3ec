// CustomResourceDefinitions in the object store: what a stored CRD makes the store serve, the
// sim's own CRDs installed at start and after a restore, and Kubernetes version priority.
import assert from 'node:assert/strict';
import {describe, it} from 'node:test';
import {crdKey} from '../../source/sim/apiextensions.js';
import {simCrds} from '../../source/sim/crds.js';
import type {KObject} from '../../source/sim/object.js';
import {compareKubeVersions, resourceByKey} from '../../source/sim/resources.js';
import {ObjectStore} from '../../source/sim/store.js';

const gizmoCrd = (versions: Array<{name: string; storage?: boolean; served?: boolean}>): KObject => ({
	apiVersion: 'apiextensions.k8s.io/v1',
	kind: 'CustomResourceDefinition',
	metadata: {name: 'gizmos.example.com'},
	spec: {
		group: 'example.com',
		scope: 'Namespaced',
		names: {kind: 'Gizmo', plural: 'gizmos'},
		versions: versions.map(v => ({name: v.name, served: v.served ?? true, storage: v.storage ?? false, schema: {openAPIV3Schema: {type: 'object'}}})),
	},
});

describe('CRDs in the store', () => {
	it('a fresh store holds the sim\'s own CRDs and serves their resources at the versions rollscope reads', () => {
		const store = new ObjectStore();
		assert.deepEqual(store.list(crdKey).map(c => c.metadata.name).sort(), simCrds().map(c => c.metadata.name).sort());
		for (const [group, version, plural] of [
			['networking.istio.io', 'v1', 'virtualservices'], ['networking.istio.io', 'v1alpha3', 'virtualservices'], ['networking.istio.io', 'v1beta1', 'destinationrules'],
			['gateway.networking.k8s.io', 'v1', 'httproutes'], ['gateway.networking.k8s.io', 'v1beta1', 'httproutes'], ['split.smi-spec.io', 'v1alpha1', 'trafficsplits'],
			['split.smi-spec.io', 'v1alpha2', 'trafficsplits'], ['split.smi-spec.io', 'v1alpha4', 'trafficsplits'], ['argoproj.io', 'v1alpha1', 'rollouts'],
			['argoproj.io', 'v1alpha1', 'clusteranalysistemplates'], ['argoproj.io', 'v1alpha1', 'experiments'], ['flagger.app', 'v1beta1', 'canaries'], ['traefik.io', 'v1alpha1', 'traefikservices'],
		] as const) {
			assert.ok(store.resources.find(group, version, plural), `${plural}.${group}/${version}`);
		}
		assert.equal(store.resources.find('argoproj.io', 'v1alpha1', 'clusteranalysistemplates')!.namespaced, false);
		assert.deepEqual(store.resources.byKey('argoproj.io/rollouts').scale, {specReplicasPath: '.spec.replicas', statusReplicasPath: '.status.HPAReplicas', labelSelectorPath: '.status.selector'});
		// The keys the controllers use resolve, in the store and for a fresh sim.
		for (const key of ['networking.istio.io/virtualservices', 'split.smi-spec.io/trafficsplits', 'flagger.app/canaries', 'argoproj.io/analysisruns']) {
			assert.equal(store.resources.byKey(key).plural, resourceByKey(key).plural);
		}
		// Objects are stored under the storage version whatever version they were written in.
		store.create('namespaces', {metadata: {name: 'shop'}});
		const split = store.create('split.smi-spec.io/trafficsplits', {apiVersion: 'split.smi-spec.io/v1alpha1', kind: 'TrafficSplit', metadata: {name: 'pay', namespace: 'shop'}, spec: {service: 'pay', backends: [{service: 'pay-v1', weight: '500m'}]}});
		assert.equal(split.apiVersion, 'split.smi-spec.io/v1alpha2');
		assert.equal(split.spec.backends[0].weight, '500m', 'conversion None keeps the fields as they were written');
	});

	it('a CRD creates, re-versions and removes a served resource; its deletion takes its objects', () => {
		const store = new ObjectStore({crds: []});
		assert.equal(store.list(crdKey).length, 0);
		assert.equal(store.resources.find('argoproj.io', 'v1alpha1', 'rollouts'), undefined);
		store.create('namespaces', {metadata: {name: 'default'}});
		const crd = store.create(crdKey, gizmoCrd([{name: 'v1alpha1', storage: true}]));
		assert.deepEqual(crd.status.storedVersions, ['v1alpha1']);
		assert.equal(crd.spec.names.singular, 'gizmo');
		assert.equal(store.resources.find('example.com', 'v1alpha1', 'gizmos')?.kind, 'Gizmo');
		store.create('example.com/gizmos', {metadata: {name: 'g1'}, spec: {}});

		// v1 becomes the storage version: both served, v1 preferred, storedVersions keeps v1alpha1.
		const updated = store.update(crdKey, {...crd, spec: {...crd.spec, versions: gizmoCrd([{name: 'v1alpha1'}, {name: 'v1', storage: true}]).spec.versions}});
		assert.deepEqual(updated.status.storedVersions, ['v1alpha1', 'v1']);
		assert.deepEqual(store.resources.byKey('example.com/gizmos').versions, ['v1', 'v1alpha1']);
		assert.equal(store.create('example.com/gizmos', {metadata: {name: 'g2'}, spec: {}}).apiVersion, 'example.com/v1');
		assert.throws(
			() => store.update(crdKey, {...updated, spec: {...updated.spec, versions: gizmoCrd([{name: 'v1', storage: true}]).spec.versions}}),
			(e: any) => e.code === 422 && /status\.storedVersions\[0\]: Invalid value: "v1alpha1": missing from spec\.versions/.test(e.message),
		);
		// Unserved versions are not served; the stored objects stay.
		store.update(crdKey, {...updated, spec: {...updated.spec, versions: gizmoCrd([{name: 'v1alpha1', served: false}, {name: 'v1', storage: true}]).spec.versions}});
		assert.equal(store.resources.find('example.com', 'v1alpha1', 'gizmos'), undefined);
		assert.equal(store.list('example.com/gizmos').length, 2);

		const deleted: string[] = [];
		store.subscribe('example.com/gizmos', c => deleted.push(`${c.type} ${c.object.metadata.name}`));
		store.delete(crdKey, undefined, 'gizmos.example.com');
		assert.deepEqual(deleted.sort(), ['DELETED g1', 'DELETED g2']);
		assert.equal(store.resources.find('example.com', 'v1', 'gizmos'), undefined);
		assert.throws(() => store.create('example.com/gizmos', {metadata: {name: 'g3'}}), /unknown resource example\.com\/gizmos/);
	});

	it('restore serves the CRDs of the snapshot, and installs the sim\'s own into state saved before CRDs were objects', () => {
		const source = new ObjectStore({crds: []});
		source.create(crdKey, gizmoCrd([{name: 'v1', storage: true}]));
		source.create('namespaces', {metadata: {name: 'default'}});
		source.create('example.com/gizmos', {metadata: {name: 'kept'}});
		const restored = new ObjectStore();
		restored.restore(JSON.parse(JSON.stringify(source.snapshot())));
		assert.ok(restored.resources.find('example.com', 'v1', 'gizmos'));
		assert.equal(restored.resources.find('argoproj.io', 'v1alpha1', 'rollouts'), undefined, 'the snapshot had no Rollout CRD');
		assert.equal(restored.get('example.com/gizmos', 'default', 'kept')?.metadata.name, 'kept');

		const old = new ObjectStore();
		old.restore({resourceVersion: 40, objects: {namespaces: [{apiVersion: 'v1', kind: 'Namespace', metadata: {name: 'default', uid: 'u', resourceVersion: '1'}}]}});
		assert.ok(old.resources.find('argoproj.io', 'v1alpha1', 'rollouts'));
		assert.equal(old.list(crdKey).length, simCrds().length);
	});

	it('orders versions as Kubernetes does: GA, then beta, then alpha, higher numbers first', () => {
		assert.deepEqual(['v1alpha1', 'v1beta1', 'v1', 'v2', 'v1alpha3', 'v2beta2', 'v1beta2', 'foo', 'v10'].sort(compareKubeVersions), ['v10', 'v2', 'v1', 'v2beta2', 'v1beta2', 'v1beta1', 'v1alpha3', 'v1alpha1', 'foo']);
	});
});
