// The sim's HTTP API through @kubernetes/client-node and plain requests: watches, conflicts, errors.
import assert from 'node:assert/strict';
import {after, before, describe, test} from 'node:test';
import {AppsV1Api, CoreV1Api, CustomObjectsApi, KubeConfig, PatchStrategy, setHeaderOptions, Watch} from '@kubernetes/client-node';
import {simRequest, startTestSim, waitFor, type TestSim} from '../helpers/sim.js';

describe('the sim API through client-node', () => {
	let t: TestSim;
	let kc: KubeConfig;
	before(async () => {
		t = await startTestSim({scenario: 'canary'});
		kc = new KubeConfig();
		kc.loadFromString(t.sim.kubeconfig('canary'));
	});
	after(async () => {
		await t.stop();
	});

	const raw = (method: string, path: string, body?: string, contentType = 'application/json') => simRequest(t.sim, path, {method, body, contentType});

	test('lists and reads with typed APIs', async () => {
		const apps = kc.makeApiClient(AppsV1Api);
		const list = await apps.listNamespacedDeployment({namespace: 'canary', labelSelector: 'app=checkout,track in (stable,canary)'});
		assert.deepEqual(list.items.map(d => d.metadata?.name).sort(), ['checkout', 'checkout-canary']);
		const canaryOnly = await apps.listNamespacedDeployment({namespace: 'canary', labelSelector: 'track!=stable'});
		assert.deepEqual(canaryOnly.items.map(d => d.metadata?.name), ['checkout-canary']);
		const d = await apps.readNamespacedDeployment({name: 'checkout', namespace: 'canary'});
		assert.equal(d.spec?.replicas, 4);
	});

	test('a watch sees a change and can resume from a resourceVersion', async () => {
		const core = kc.makeApiClient(CoreV1Api);
		const list = await core.listNamespacedConfigMap({namespace: 'canary'});
		const rv = list.metadata!.resourceVersion!;
		const seen: string[] = [];
		const ctrl = await new Watch(kc).watch('/api/v1/namespaces/canary/configmaps', {resourceVersion: rv}, (type, obj) => seen.push(`${type} ${obj.metadata.name}`), () => {});
		await core.createNamespacedConfigMap({namespace: 'canary', body: {metadata: {name: 'one'}, data: {a: '1'}}});
		await waitFor('ADDED one', () => seen.includes('ADDED one'));
		ctrl.abort();
		await core.createNamespacedConfigMap({namespace: 'canary', body: {metadata: {name: 'two'}, data: {a: '2'}}});
		const resumed: string[] = [];
		const ctrl2 = await new Watch(kc).watch('/api/v1/namespaces/canary/configmaps', {resourceVersion: rv}, (type, obj) => resumed.push(`${type} ${obj.metadata.name}`), () => {});
		await waitFor('both from the backlog', () => resumed.includes('ADDED one') && resumed.includes('ADDED two'));
		ctrl2.abort();
	});

	test('a watch from a resourceVersion older than the history gets 410 Expired', async () => {
		const {ObjectStore} = await import('../../source/sim/store.js');
		const store = new ObjectStore({historySize: 3});
		store.create('namespaces', {metadata: {name: 'x'}});
		for (let i = 0; i < 6; i++) store.create('configmaps', {metadata: {name: `c${i}`, namespace: 'x'}});
		assert.throws(() => store.changesSince('configmaps', 1), (e: any) => e.code === 410 && e.reason === 'Expired');
		assert.equal(store.changesSince('configmaps', store.resourceVersion - 2).length, 2);
	});

	test('watch-list: initial events end with the bookmark', async () => {
		const events: Array<{type: string; obj: any}> = [];
		const ctrl = await new Watch(kc).watch(
			'/apis/apps/v1/namespaces/canary/deployments',
			{sendInitialEvents: true, resourceVersionMatch: 'NotOlderThan', allowWatchBookmarks: true},
			(type, obj) => events.push({type, obj}),
			() => {},
		);
		await waitFor('the initial-events-end bookmark', () => events.some(e => e.type === 'BOOKMARK' && e.obj.metadata.annotations?.['k8s.io/initial-events-end'] === 'true'));
		ctrl.abort();
		assert.equal(events.filter(e => e.type === 'ADDED').length, 2);
	});

	test('a stale update is a 409 Conflict and changes nothing', async () => {
		const apps = kc.makeApiClient(AppsV1Api);
		const d = await apps.readNamespacedDeployment({name: 'checkout-canary', namespace: 'canary'});
		const stale = structuredClone(d);
		d.spec!.replicas = 3;
		await apps.replaceNamespacedDeployment({name: 'checkout-canary', namespace: 'canary', body: d});
		stale.spec!.replicas = 7;
		await assert.rejects(apps.replaceNamespacedDeployment({name: 'checkout-canary', namespace: 'canary', body: stale}), (e: any) => e.code === 409 && JSON.parse(e.body).reason === 'Conflict');
		assert.equal((await apps.readNamespacedDeployment({name: 'checkout-canary', namespace: 'canary'})).spec?.replicas, 3);
	});

	test('merge patch on a custom resource; strategic merge is 415', async () => {
		const custom = kc.makeApiClient(CustomObjectsApi);
		const base = {group: 'networking.istio.io', version: 'v1', namespace: 'canary', plural: 'virtualservices', name: 'checkout'};
		await custom.patchNamespacedCustomObject({...base, body: {metadata: {annotations: {note: 'hi'}}}}, setHeaderOptions('Content-Type', PatchStrategy.MergePatch));
		const vs: any = await custom.getNamespacedCustomObject(base);
		assert.equal(vs.metadata.annotations.note, 'hi');
		const beta: any = await custom.getNamespacedCustomObject({...base, version: 'v1beta1'});
		assert.equal(beta.apiVersion, 'networking.istio.io/v1beta1');
		const r = await raw('PATCH', '/apis/networking.istio.io/v1/namespaces/canary/virtualservices/checkout', '{"spec":{}}', 'application/strategic-merge-patch+json');
		assert.equal(r.status, 415);
		assert.equal(r.body.reason, 'UnsupportedMediaType');
	});

	test('bad input gets a Status error and changes nothing', async () => {
		const before = t.sim.store.resourceVersion;
		const cases: Array<[string, string, string | undefined, string, number, string]> = [
			['POST', '/apis/apps/v1/namespaces/canary/deployments', '{not json', 'application/json', 400, 'BadRequest'],
			['POST', '/apis/apps/v1/namespaces/canary/deployments', '{"metadata":{"name":"x"},"spec":{"replicas":-1,"selector":{"matchLabels":{"a":"b"}},"template":{"metadata":{"labels":{"a":"b"}},"spec":{"containers":[{"name":"c","image":"i"}]}}}}', 'application/json', 422, 'Invalid'],
			['POST', '/apis/apps/v1/namespaces/canary/deployments', '{"metadata":{"name":"y"},"spec":{"selector":{"matchLabels":{"a":"b"}},"template":{"metadata":{"labels":{"a":"other"}},"spec":{"containers":[{"name":"c","image":"i"}]}}}}', 'application/json', 422, 'Invalid'],
			['GET', '/apis/apps/v1/namespaces/canary/widgets', undefined, 'application/json', 404, 'NotFound'],
			['GET', '/api/v1/namespaces/canary/pods?labelSelector=a%20in%20(b', undefined, 'application/json', 400, 'BadRequest'],
			['GET', '/api/v1/namespaces/canary/pods?fieldSelector=spec.color%3Dred', undefined, 'application/json', 400, 'BadRequest'],
			['PATCH', '/apis/apps/v1/namespaces/canary/deployments/checkout', '{"spec":', 'application/merge-patch+json', 400, 'BadRequest'],
			['PATCH', '/apis/apps/v1/namespaces/canary/deployments/checkout', '{"op":"replace"}', 'application/json-patch+json', 400, 'BadRequest'],
			['PATCH', '/apis/apps/v1/namespaces/canary/deployments/checkout', '[{"op":"test","path":"/spec/replicas","value":99},{"op":"replace","path":"/spec/replicas","value":1}]', 'application/json-patch+json', 422, 'Invalid'],
			['PATCH', '/apis/apps/v1/namespaces/canary/deployments/checkout', '{}', 'text/plain', 415, 'UnsupportedMediaType'],
			['PATCH', '/apis/apps/v1/namespaces/canary/deployments/nope', '{}', 'application/merge-patch+json', 404, 'NotFound'],
			['PUT', '/apis/apps/v1/namespaces/canary/deployments/checkout', '{"metadata":{"name":"checkout","resourceVersion":"1"},"spec":{"replicas":1,"selector":{"matchLabels":{"app":"checkout","track":"stable"}},"template":{"metadata":{"labels":{"app":"checkout","track":"stable"}},"spec":{"containers":[{"name":"c","image":"i"}]}}}}', 'application/json', 409, 'Conflict'],
			['POST', '/api/v1/namespaces/nowhere/configmaps', '{"metadata":{"name":"a"}}', 'application/json', 404, 'NotFound'],
		];
		for (const [method, path, body, type, code, reason] of cases) {
			const r = await raw(method, path, body, type);
			assert.equal(r.status, code, `${method} ${path} ${body}: ${JSON.stringify(r.body)}`);
			assert.equal(r.body.kind, 'Status');
			assert.equal(r.body.reason, reason, `${method} ${path}`);
		}
		assert.equal(t.sim.store.get('apps/deployments', 'canary', 'x'), undefined);
		// Controllers may have written in between; none of the bad requests did.
		for (const c of t.sim.store.changesSince('apps/deployments', before)) assert.notEqual(c.object.metadata.name, 'x');
		assert.equal(t.sim.store.get('apps/deployments', 'canary', 'checkout')!.spec.replicas, 4);
	});

	test('a SelfSubjectAccessReview answers from the caller\'s rights', async () => {
		const ask = async (as: 'admin' | 'viewer') => {
			const res = await simRequest(t.sim, '/apis/authorization.k8s.io/v1/selfsubjectaccessreviews', {
				as,
				method: 'POST',
				body: JSON.stringify({kind: 'SelfSubjectAccessReview', apiVersion: 'authorization.k8s.io/v1', spec: {resourceAttributes: {verb: 'patch', group: 'apps', resource: 'deployments', namespace: 'canary'}}}),
			});
			assert.equal(res.status, 201, res.text);
			return res.body.status.allowed;
		};
		assert.equal(await ask('admin'), true);
		assert.equal(await ask('viewer'), false);
	});

	test('limit and continue page through a list; events read as events.k8s.io/v1 too', async () => {
		await waitFor('pods to exist', () => t.sim.store.list('pods', 'canary').length > 2);
		const first = (await raw('GET', '/api/v1/namespaces/canary/pods?limit=2')).body;
		assert.equal(first.items.length, 2);
		assert.ok(first.metadata.continue);
		const names = new Set(first.items.map((p: any) => p.metadata.name));
		let cont = first.metadata.continue;
		while (cont) {
			const page = (await raw('GET', `/api/v1/namespaces/canary/pods?limit=2&continue=${encodeURIComponent(cont)}`)).body;
			for (const p of page.items) names.add(p.metadata.name);
			cont = page.metadata.continue;
		}
		const all = (await raw('GET', '/api/v1/namespaces/canary/pods')).body;
		assert.equal(names.size, all.items.length);
		const events = (await raw('GET', '/apis/events.k8s.io/v1/namespaces/canary/events')).body;
		assert.equal(events.kind, 'EventList');
		assert.equal(events.apiVersion, 'events.k8s.io/v1');
		assert.ok(events.items.length > 0);
		assert.ok(events.items[0].regarding.name);
		assert.ok(events.items[0].note);
		const forPods = (await raw('GET', '/api/v1/namespaces/canary/events?fieldSelector=involvedObject.kind%3DPod')).body;
		assert.ok(forPods.items.length > 0 && forPods.items.every((e: any) => e.involvedObject.kind === 'Pod'));
	});

	test('a Table answer has kubectl\'s columns', async () => {
		const res = await simRequest(t.sim, '/apis/apps/v1/namespaces/canary/deployments', {as: 'viewer', headers: {Accept: 'application/json;as=Table;v=v1;g=meta.k8s.io'}});
		const table = res.body;
		assert.equal(table.kind, 'Table');
		assert.deepEqual(table.columnDefinitions.map((c: any) => c.name).slice(0, 5), ['Name', 'Ready', 'Up-to-date', 'Available', 'Age']);
	});
});
