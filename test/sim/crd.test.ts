// CustomResourceDefinitions on the simulated cluster, through the real kubectl: a CRD applied
// with kubectl is served (discovery, CRUD, Tables from its printer columns, watch, status and
// scale subresources) until it is deleted, which takes its objects with it.
import assert from 'node:assert/strict';
import {spawn} from 'node:child_process';
import {join} from 'node:path';
import {after, before, describe, test} from 'node:test';
import {kubectlOk, startTestSim, waitFor, type TestSim} from '../helpers/sim.js';

const testdata = join(import.meta.dirname, '..', 'testdata', 'sim');
const widgetCrd = join(testdata, 'widget-crd.yaml');
const widget = join(testdata, 'widget.yaml');

describe('CustomResourceDefinitions through kubectl', () => {
	let t: TestSim;
	before(async () => {
		t = await startTestSim({scenario: 'rolling'});
	});
	after(async () => {
		await t.stop();
	});

	const ok = (args: string[], input?: string) => kubectlOk(t, args, input);

	/** The Widget CRD applied and established, and the blue-one Widget created from scratch. */
	async function freshWidget(): Promise<void> {
		await ok(['apply', '-f', widgetCrd]);
		await ok(['wait', '--for=condition=Established', 'crd/widgets.example.com', '--timeout=30s']);
		await ok(['delete', 'widgets', '--all']);
		await ok(['apply', '-f', widget]);
	}

	/** kubectl get with watch events, collecting what it prints until stopped. */
	function watch(args: string[]) {
		const child = spawn('kubectl', [...args, '--kubeconfig', t.kubeconfigPath, '--cache-dir', join(t.dir, 'cache')], {env: {...process.env, HOME: t.dir}});
		const seen = {text: ''};
		child.stdout.on('data', d => (seen.text += String(d)));
		return {seen, stop: () => child.kill()};
	}

	test('kubectl get crd lists the sim\'s own CRDs, each established with its accepted names and stored version', async () => {
		const names = (await ok(['get', 'crd', '-o', 'name'])).trim().split('\n');
		for (const crd of [
			'virtualservices.networking.istio.io', 'destinationrules.networking.istio.io', 'trafficsplits.split.smi-spec.io',
			'httproutes.gateway.networking.k8s.io', 'gateways.gateway.networking.k8s.io', 'gatewayclasses.gateway.networking.k8s.io', 'grpcroutes.gateway.networking.k8s.io',
			'traefikservices.traefik.io', 'rollouts.argoproj.io', 'analysisruns.argoproj.io', 'analysistemplates.argoproj.io',
			'clusteranalysistemplates.argoproj.io', 'experiments.argoproj.io', 'canaries.flagger.app',
		]) {
			assert.ok(names.includes(`customresourcedefinition.apiextensions.k8s.io/${crd}`), `${crd} in ${names.join(' ')}`);
		}
		assert.match(await ok(['get', 'crd', 'rollouts.argoproj.io']), /^NAME\s+CREATED AT\nrollouts\.argoproj\.io\s+\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ\n$/);
		await ok(['wait', '--for=condition=Established', 'crd/virtualservices.networking.istio.io', '--timeout=10s']);
		const vs = JSON.parse(await ok(['get', 'crd', 'virtualservices.networking.istio.io', '-o', 'json']));
		assert.deepEqual(vs.status.storedVersions, ['v1']);
		assert.equal(vs.status.acceptedNames.kind, 'VirtualService');
		assert.deepEqual(vs.status.acceptedNames.shortNames, ['vs']);
		assert.deepEqual(vs.status.conditions.map((c: any) => [c.type, c.status, c.reason]), [['NamesAccepted', 'True', 'NoConflicts'], ['Established', 'True', 'InitialNamesAccepted']]);
		assert.deepEqual(vs.spec.versions.map((v: any) => [v.name, v.served, v.storage]), [['v1', true, true], ['v1beta1', true, false], ['v1alpha3', true, false]]);
	});

	test('an applied CRD is served: discovery, short name, categories, both versions, and a Table of its printer columns', async () => {
		await freshWidget();
		const crd = JSON.parse(await ok(['get', 'crd', 'widgets.example.com', '-o', 'json']));
		assert.deepEqual(crd.status.storedVersions, ['v1']);
		assert.equal(crd.status.acceptedNames.singular, 'widget', 'singular defaults to the lowercase kind');
		assert.equal(crd.status.acceptedNames.listKind, 'WidgetList');

		const group = JSON.parse(await ok(['get', '--raw', '/apis/example.com']));
		assert.deepEqual(group.preferredVersion, {groupVersion: 'example.com/v1', version: 'v1'});
		assert.deepEqual(group.versions.map((v: any) => v.version), ['v1', 'v1beta1']);
		const v1 = JSON.parse(await ok(['get', '--raw', '/apis/example.com/v1']));
		assert.deepEqual(v1.resources.map((r: any) => r.name).sort(), ['widgets', 'widgets/scale', 'widgets/status']);
		const main = v1.resources.find((r: any) => r.name === 'widgets');
		assert.deepEqual([main.kind, main.singularName, main.namespaced, main.shortNames, main.categories], ['Widget', 'widget', true, ['wdg'], ['all', 'gadgets']]);
		const v1beta1 = JSON.parse(await ok(['get', '--raw', '/apis/example.com/v1beta1']));
		assert.deepEqual(v1beta1.resources.map((r: any) => r.name).sort(), ['widgets', 'widgets/status'], 'v1beta1 declares no scale subresource');
		assert.match(await ok(['api-resources', '--api-group=example.com']), /widgets\s+wdg\s+example\.com\/v1\s+true\s+Widget/);

		// Stored once, under v1; each version reads it with its own apiVersion.
		assert.equal(await ok(['get', 'wdg', 'blue-one', '-o', 'jsonpath={.apiVersion} {.spec.colour}']), 'example.com/v1 blue');
		assert.equal(await ok(['get', 'widgets.v1beta1.example.com', 'blue-one', '-o', 'jsonpath={.apiVersion}']), 'example.com/v1beta1');
		const table = await ok(['get', 'widgets']);
		assert.match(table, /^NAME\s+SIZE\s+COLOUR\s+READY\s+AGE\n/);
		assert.match(table, /\nblue-one\s+2\s+blue\s+\d+s\n/, 'a column whose path finds nothing is empty');
		assert.match(await ok(['get', 'gadgets']), /\nblue-one\s+2\s+blue/, 'the category names the resource');
		assert.match(await ok(['get', 'all']), /widget\.example\.com\/blue-one\s+2\s+blue/);
		assert.match(await ok(['get', 'widgets', '-l', 'team=shop', '-o', 'name']), /^widget\.example\.com\/blue-one\n$/);
	});

	test('watch sees a Widget change and go; strategic merge patch is refused as on any custom resource', async () => {
		await freshWidget();
		const w = watch(['get', 'widgets', '-w', '--output-watch-events']);
		try {
			await waitFor('the initial ADDED', () => /ADDED\s+blue-one/.test(w.seen.text));
			await ok(['patch', 'widget', 'blue-one', '--type=merge', '-p', '{"spec":{"colour":"green"}}']);
			await waitFor('the MODIFIED event', () => /MODIFIED\s+blue-one\s+2\s+green/.test(w.seen.text));
			const strategic = await t.kubectl(['patch', 'widget', 'blue-one', '-p', '{"spec":{"colour":"red"}}']);
			assert.notEqual(strategic.code, 0);
			assert.match(strategic.stderr, /UnsupportedMediaType|unknown format|not supported/i);
			await ok(['delete', 'widget', 'blue-one']);
			await waitFor('the DELETED event', () => /DELETED\s+blue-one/.test(w.seen.text));
		} finally {
			w.stop();
		}
	});

	test('the scale subresource follows the CRD\'s paths and the status subresource keeps status apart from spec', async () => {
		await freshWidget();
		await ok(['scale', 'widget/blue-one', '--replicas=5']);
		assert.equal(await ok(['get', 'widget', 'blue-one', '-o', 'jsonpath={.spec.size}']), '5');
		const generation = await ok(['get', 'widget', 'blue-one', '-o', 'jsonpath={.metadata.generation}']);
		assert.equal(generation, '2');

		await ok(['patch', 'widget', 'blue-one', '--subresource=status', '--type=merge', '-p', '{"status":{"ready":3,"selector":"app=blue"}}']);
		const scale = JSON.parse(await ok(['get', 'widget', 'blue-one', '--subresource=scale', '-o', 'json']));
		assert.deepEqual([scale.apiVersion, scale.kind, scale.spec, scale.status], ['autoscaling/v1', 'Scale', {replicas: 5}, {replicas: 3, selector: 'app=blue'}]);
		assert.equal(await ok(['get', 'widget', 'blue-one', '-o', 'jsonpath={.metadata.generation}']), '2', 'a status write is no spec change');

		// Writes to the main resource leave status alone; status writes leave spec alone.
		await ok(['patch', 'widget', 'blue-one', '--type=merge', '-p', '{"spec":{"colour":"red"},"status":{"ready":9}}']);
		await ok(['patch', 'widget', 'blue-one', '--subresource=status', '--type=merge', '-p', '{"spec":{"colour":"black"}}']);
		assert.equal(await ok(['get', 'widget', 'blue-one', '-o', 'jsonpath={.spec.colour} {.status.ready}']), 'red 3');
		assert.match(await ok(['get', 'widgets']), /\nblue-one\s+5\s+red\s+3\s/);

		// v1beta1 declares no scale subresource.
		const noScale = await t.kubectl(['get', '--raw', '/apis/example.com/v1beta1/namespaces/default/widgets/blue-one/scale']);
		assert.notEqual(noScale.code, 0);
		assert.match(noScale.stderr, /NotFound|not found|could not find/i);
	});

	test('a cluster-scoped CRD without printer columns: objects have no namespace, kubectl shows Name and Age', async () => {
		await ok(['apply', '-f', join(testdata, 'dial-crd.yaml')]);
		await ok(['wait', '--for=condition=Established', 'crd/dials.example.com', '--timeout=30s']);
		await ok(['apply', '-f', '-'], 'apiVersion: example.com/v1alpha1\nkind: Dial\nmetadata:\n  name: volume\nspec:\n  level: 11\n');
		assert.match(await ok(['get', 'dials']), /^NAME\s+AGE\nvolume\s+\d+s\n$/);
		assert.equal(await ok(['get', 'dial', 'volume', '-o', 'jsonpath={.metadata.namespace}|{.spec.level}']), '|11');
		assert.match(await ok(['get', '--raw', '/apis/example.com/v1alpha1']), /"name":"dials","singularName":"dial","namespaced":false/);
	});

	test('deleting a CRD deletes its objects (watchers see them go) and stops serving it', async () => {
		await freshWidget();
		await ok(['apply', '-f', '-'], 'apiVersion: example.com/v1\nkind: Widget\nmetadata:\n  name: red-two\nspec:\n  size: 1\n');
		const w = watch(['get', 'widgets', '-w', '--output-watch-events']);
		try {
			await waitFor('both widgets listed', () => /blue-one/.test(w.seen.text) && /red-two/.test(w.seen.text));
			await ok(['delete', 'crd', 'widgets.example.com']);
			await waitFor('DELETED events for both', () => /DELETED\s+blue-one/.test(w.seen.text) && /DELETED\s+red-two/.test(w.seen.text));
		} finally {
			w.stop();
		}
		const gone = await t.kubectl(['get', '--raw', '/apis/example.com/v1']);
		assert.notEqual(gone.code, 0);
		assert.match(gone.stderr, /NotFound|could not find/);
		assert.doesNotMatch(await ok(['get', '--raw', '/apis']), /"name":"example\.com".*widgets/);
		assert.doesNotMatch(await ok(['api-resources']), /\bwidgets\b/);
		// Created again, it serves an empty resource: the old objects are gone for good.
		await ok(['apply', '-f', widgetCrd]);
		await ok(['wait', '--for=condition=Established', 'crd/widgets.example.com', '--timeout=30s']);
		assert.equal((await ok(['get', 'widgets', '-o', 'name'])).trim(), '');
	});

	test('a CRD the API server would refuse is refused with its message and changes nothing', async () => {
		const bad = (name: string, extra = '', versions = '  - {name: v1, served: true, storage: true, schema: {openAPIV3Schema: {type: object}}}\n') =>
			`apiVersion: apiextensions.k8s.io/v1\nkind: CustomResourceDefinition\nmetadata:\n  name: ${name}\n${extra}spec:\n  group: example.com\n  scope: Namespaced\n  names: {kind: Thing, plural: things}\n  versions:\n${versions}`;
		const wrongName = await t.kubectl(['apply', '-f', '-'], {input: bad('stuff.example.com')});
		assert.notEqual(wrongName.code, 0);
		assert.match(wrongName.stderr, /metadata\.name: Invalid value: "stuff\.example\.com": must be spec\.names\.plural\+"\."\+spec\.group/);
		const twoStorage = await t.kubectl(['apply', '-f', '-'], {
			input: bad('things.example.com', '', '  - {name: v1, served: true, storage: true, schema: {openAPIV3Schema: {type: object}}}\n  - {name: v2, served: true, storage: true, schema: {openAPIV3Schema: {type: object}}}\n'),
		});
		assert.notEqual(twoStorage.code, 0);
		assert.match(twoStorage.stderr, /spec\.versions: Invalid value: .*must have exactly one version marked as storage version/);
		const noSchema = await t.kubectl(['apply', '-f', '-'], {input: bad('things.example.com', '', '  - {name: v1, served: true, storage: true}\n')});
		assert.notEqual(noSchema.code, 0);
		assert.match(noSchema.stderr, /spec\.versions\[0\]\.schema\.openAPIV3Schema: Required value: schemas are required/);
		const unapproved = await t.kubectl(['apply', '-f', '-'], {input: bad('things.example.com').replaceAll('example.com', 'tools.k8s.io')});
		assert.notEqual(unapproved.code, 0);
		assert.match(unapproved.stderr, /protected groups must have approval annotation "api-approved\.kubernetes\.io"/);
		assert.doesNotMatch(await ok(['get', 'crd', '-o', 'name']), /things\./);
		// An established CRD's scope is immutable.
		await ok(['apply', '-f', widgetCrd]);
		const scope = await t.kubectl(['patch', 'crd', 'widgets.example.com', '--type=merge', '-p', '{"spec":{"scope":"Cluster"}}']);
		assert.notEqual(scope.code, 0);
		assert.match(scope.stderr, /spec\.scope: Invalid value: "Cluster": field is immutable/);
	});

	test('a CRD whose names another CRD of the group holds is not established and serves nothing', async () => {
		await ok(['apply', '-f', widgetCrd]);
		const clash = `apiVersion: apiextensions.k8s.io/v1\nkind: CustomResourceDefinition\nmetadata:\n  name: sprockets.example.com\nspec:\n  group: example.com\n  scope: Namespaced\n  names: {kind: Widget, plural: sprockets}\n  versions:\n  - {name: v1, served: true, storage: true, schema: {openAPIV3Schema: {type: object}}}\n`;
		await ok(['apply', '-f', '-'], clash);
		const crd = JSON.parse(await ok(['get', 'crd', 'sprockets.example.com', '-o', 'json']));
		const conditions = Object.fromEntries(crd.status.conditions.map((c: any) => [c.type, c]));
		// Kind and listKind both clash; like the naming controller, the last check names the reason.
		assert.deepEqual([conditions.NamesAccepted.status, conditions.NamesAccepted.reason, conditions.NamesAccepted.message], ['False', 'ListKindConflict', '"WidgetList" is already in use']);
		assert.deepEqual([conditions.Established.status, conditions.Established.reason], ['False', 'NotAccepted']);
		assert.doesNotMatch(await ok(['get', '--raw', '/apis/example.com/v1']), /sprockets/);
		await ok(['delete', 'crd', 'sprockets.example.com']);
	});
});
