// Adding a kind of release or a router is adding its own code plus one line in a registry: a made-up
// kind (a "shadow" Deployment that mirrors another, named by an annotation) and a made-up router (a
// "FakeSplit" object) work through the registries with nothing else changed.
import assert from 'node:assert/strict';
import {describe, test} from 'node:test';
import {deploymentChecks} from '../../source/actions/access.js';
import type {KObject} from '../../source/kube/object.js';
import {createKindRegistry, releaseKinds} from '../../source/kinds/registry.js';
import type {KindSpec} from '../../source/kinds/spec.js';
import {assembleRelease, pairParts} from '../../source/release/build.js';
import type {DetectedRelease} from '../../source/release/detected.js';
import type {ReleaseKind} from '../../source/release/model.js';
import {nameOf} from '../../source/release/object-fields.js';
import {sidesOf} from '../../source/release/roles.js';
import {scanSnapshot} from '../../source/release/scan.js';
import {readingOf, sideOfService, versionsIn, weightsOf, type Router, type RouterKind} from '../../source/traffic/router.js';
import {findTraffic, routerLabel, routers, watchesOf} from '../../source/traffic/routers.js';
import {deployment, pod, replicaSet, service, snapshot} from '../release/fixtures.js';

const SHADOW_OF = 'example.dev/shadow-of';

/** A kind of release that exists only in this test. */
const shadowKind: KindSpec = {
	kind: 'shadow' as ReleaseKind,
	label: 'shadow pair',
	article: 'a shadow pair',
	named: {prefixes: ['shadow'], noun: 'shadow'},
	detect(scan, claimed) {
		const out: DetectedRelease[] = [];
		for (const shadow of scan.deployments) {
			const main = scan.deployment(shadow.metadata.annotations?.[SHADOW_OF] ?? '');
			if (!main || claimed.has(main) || claimed.has(shadow)) continue;
			claimed.add(main);
			claimed.add(shadow);
			out.push({target: `shadow/${nameOf(main)}`, name: nameOf(main), kind: 'shadow' as ReleaseKind, deployments: [nameOf(main), nameOf(shadow)], services: [], inProgress: true, members: [{deployment: main, role: 'stable'}, {deployment: shadow, role: 'canary'}]});
		}
		return out;
	},
	build: (snap, scan, release, target) => assembleRelease(snap, scan, release, target, pairParts(release, scan, {router: 'replicas', weights: {[release.deployments[0]!]: 100, [release.deployments[1]!]: 0}})),
	noWeights: target => `${target} is a shadow: it gets copies of requests, not a share of them`,
	plan: (t, intent) => ({message: intent.name === 'setWeight' ? t.noWeights : `${intent.name}: not for shadows`}),
	access: () => deploymentChecks(),
	weightKey: t => ({message: t.noWeights}),
	revisions: () => ({message: 'no revisions'}),
	extraActions: ['promoteFull'],
};

describe('a made-up kind of release, added with one registry line', () => {
	const registry = createKindRegistry([shadowKind, ...releaseKinds]);
	const main = deployment('api', {labels: {app: 'api'}, replicas: 2});
	const shadow = deployment('api-shadow', {labels: {app: 'api', shadow: 'yes'}, replicas: 1});
	shadow.metadata.annotations = {...shadow.metadata.annotations, [SHADOW_OF]: 'api'};
	const rsMain = replicaSet(main, {hash: 'm1', revision: 1});
	const rsShadow = replicaSet(shadow, {hash: 's1', revision: 1});
	const snap = snapshot([main, shadow, rsMain, rsShadow, pod(rsMain, 'a'), pod(rsShadow, 'b'), service('api', {app: 'api'}), deployment('web', {labels: {app: 'web'}})]);

	test('detection, targets and building go through its spec', () => {
		const found = registry.find(snap);
		assert.deepEqual(found.map(r => `${r.target} ${r.kind}`), ['shadow/api shadow', 'deploy/web rolling']);
		const resolved = registry.resolve(snap, 'shadow/api');
		assert.ok('ref' in resolved);
		assert.deepEqual(registry.resolve(snap, 'shadow/nope'), {error: 'no shadow named "nope" in namespace "shop"', candidates: ['shadow/api', 'deploy/web']});
		assert.equal(('ref' in registry.resolve(snap, 'api') && registry.resolve(snap, 'api')) ? 'found' : 'not', 'found', 'a bare name finds it');
		const release = registry.build(snap, resolved.ref);
		assert.equal(release.kind, 'shadow');
		assert.deepEqual(release.versions.map(v => `${v.id} ${v.role} ${v.weight}`), ['api stable 100', 'api-shadow canary 0']);
		assert.equal(registry.spec(release.kind).label, 'shadow pair');
	});

	test('its actions are planned, checked and keyed by its spec', () => {
		const t = registry.actionTarget(snap, 'shadow/api', 'ann')!;
		assert.equal(t.release.kind, 'shadow');
		const spec = registry.spec(t.release.kind);
		assert.deepEqual(spec.plan(t, {name: 'setWeight', percent: 10}, {config: {confirmByName: [], weightStep: 10, weightPlan: [], abortScalesCanary: true}, now: ''}), {message: 'shadow/api is a shadow: it gets copies of requests, not a share of them'});
		assert.deepEqual(spec.access(t).undo, deploymentChecks().undo);
		assert.deepEqual(spec.extraActions, ['promoteFull']);
	});
});

describe('a made-up router, added with one list line', () => {
	/** FakeSplit: spec.weights maps Service names to weights. */
	const fakeRouter: Router = {
		kind: 'fake' as RouterKind,
		label: 'FakeMesh split',
		watches: [{kind: 'FakeSplit', resource: 'fakesplits', groupVersions: ['fake.example/v1']}],
		handles: obj => obj.kind === 'FakeSplit',
		backends: obj => Object.keys(obj.spec?.weights ?? {}),
		read(obj, versions) {
			const entries = Object.entries<number>(obj.spec?.weights ?? {}).map(([service, weight]) => ({side: sideOfService(service, versions), weight}));
			return versionsIn(entries).length >= 2 ? readingOf('fake' as RouterKind, obj, weightsOf(entries)) : undefined;
		},
		setWeightPatch: (obj, versions, _ctx, weights) =>
			versions.flatMap(v => {
				const path = `/spec/weights/${v.services[0]}`;
				return [
					{op: 'test' as const, path, value: obj.spec?.weights?.[v.services[0]!]},
					{op: 'replace' as const, path, value: weights[v.id]},
				];
			}),
	};
	const list = [...routers, fakeRouter];
	const stable = deployment('pay', {labels: {app: 'pay', track: 'stable'}});
	const canary = deployment('pay-canary', {labels: {app: 'pay', track: 'canary'}});
	const split: KObject = {apiVersion: 'fake.example/v1', kind: 'FakeSplit', metadata: {name: 'pay', namespace: 'shop'}, spec: {weights: {'pay-stable': 70, 'pay-canary': 30}}};
	const snap = snapshot([stable, canary, service('pay-stable', {app: 'pay', track: 'stable'}), service('pay-canary', {app: 'pay', track: 'canary'})]);
	snap.routers.push(split);

	test('its weights are found, labelled and written through the Router interface alone', () => {
		const scan = scanSnapshot(snap);
		const found = findTraffic(sidesOf([stable, canary], scan), scan.ctx, list);
		assert.equal(found?.router.kind, 'fake');
		assert.deepEqual(found?.reading.weights, {pay: 70, 'pay-canary': 30});
		assert.equal(found?.reading.object, 'FakeSplit/pay');
		assert.equal(routerLabel('fake' as RouterKind, list), 'FakeMesh split');
		assert.deepEqual(watchesOf(list).at(-1), {kind: 'FakeSplit', resource: 'fakesplits', groupVersions: ['fake.example/v1']});
		assert.deepEqual(found!.router.setWeightPatch(split, sidesOf([stable, canary], scan), scan.ctx, {pay: 50, 'pay-canary': 50})!.map(op => `${op.op} ${op.path} ${op.value}`), ['test /spec/weights/pay-stable 70', 'replace /spec/weights/pay-stable 50', 'test /spec/weights/pay-canary 30', 'replace /spec/weights/pay-canary 50']);
	});
});
