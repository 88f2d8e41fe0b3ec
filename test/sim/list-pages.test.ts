// Lists in pages as kube-apiserver gives them: every page read at the first page's resourceVersion (writes
// between pages are not in it, and a watch from that version brings them), in key order, with the real
// token's shape, remainingItemCount only without a selector, and an expired token said as the server says it.
import assert from 'node:assert/strict';
import {after, before, describe, test} from 'node:test';
import {ListPages, MAX_SNAPSHOTS, SNAPSHOT_TTL_MS, inKeyOrder, type ListScope} from '../../source/sim/list-pages.js';
import type {KObject} from '../../source/sim/object.js';
import {ApiError} from '../../source/sim/errors.js';
import {kubectlOk, simRequest, startTestSim, type TestSim} from '../helpers/sim.js';

const obj = (namespace: string, name: string): KObject => ({metadata: {namespace, name}}) as KObject;
const names = (items: KObject[]) => items.map(o => `${o.metadata.namespace}/${o.metadata.name}`);
const scope: ListScope = {resource: 'configmaps', namespace: 'a', labelSelector: '', fieldSelector: ''};

describe('ListPages', () => {
	test('etcd key order: by bytes of namespace/name across namespaces (ns-a before ns), of the name within one', () => {
		const items = [obj('ns', 'b'), obj('ns-a', 'a'), obj('ns', 'a-1'), obj('ns', 'a.1'), obj('ns', 'A')];
		assert.deepEqual(names(inKeyOrder(items, true)), ['ns-a/a', 'ns/A', 'ns/a-1', 'ns/a.1', 'ns/b']);
		assert.deepEqual(names(inKeyOrder([obj('x', 'b'), obj('x', 'a-1'), obj('x', 'a')], false)), ['x/a', 'x/a-1', 'x/b']);
	});

	test('pages of one snapshot: the first page\'s version and objects to the end, whatever `current` says later', () => {
		const pages = new ListPages(() => 0);
		let current = {items: ['a', 'b', 'c', 'd', 'e'].map(n => obj('a', n)), resourceVersion: 7};
		const first = pages.page(scope, 2, undefined, () => current);
		assert.deepEqual(names(first.items), ['a/a', 'a/b']);
		assert.equal(first.remainingItemCount, 3);
		assert.deepEqual(JSON.parse(Buffer.from(first.continue!, 'base64url').toString()), {v: 'meta.k8s.io/v1', rv: 7, start: 'b\u0000'});
		current = {items: [obj('a', 'z')], resourceVersion: 9};
		const second = pages.page(scope, 2, first.continue, () => assert.fail('a continued page is not read anew'));
		assert.equal(second.resourceVersion, 7);
		assert.deepEqual(names(second.items), ['a/c', 'a/d']);
		assert.equal(second.remainingItemCount, 1);
		const last = pages.page(scope, 2, second.continue, () => current);
		assert.deepEqual(names(last.items), ['a/e']);
		assert.equal(last.continue, undefined);
		assert.equal(last.remainingItemCount, undefined, 'the last page has neither');
	});

	test('with a selector, no remainingItemCount; a list that fits one page keeps no snapshot and has no token', () => {
		const pages = new ListPages(() => 0);
		const items = ['a', 'b', 'c'].map(n => obj('a', n));
		const selected = pages.page({...scope, labelSelector: 'app=x'}, 2, undefined, () => ({items, resourceVersion: 3}));
		assert.ok(selected.continue);
		assert.equal(selected.remainingItemCount, undefined);
		const whole = pages.page(scope, 3, undefined, () => ({items, resourceVersion: 3}));
		assert.equal(whole.continue, undefined);
		assert.equal(pages.page(scope, 0, undefined, () => ({items, resourceVersion: 3})).items.length, 3, 'no limit: everything');
	});

	test('a token is tied to its list: another namespace or selector with it is expired, not another list\'s page', () => {
		const pages = new ListPages(() => 0);
		const first = pages.page(scope, 1, undefined, () => ({items: [obj('a', 'a'), obj('a', 'b')], resourceVersion: 5}));
		assert.throws(() => pages.page({...scope, namespace: 'b'}, 1, first.continue, () => assert.fail()), (e: ApiError) => e.code === 410);
		assert.throws(() => pages.page({...scope, labelSelector: 'x=y'}, 1, first.continue, () => assert.fail()), (e: ApiError) => e.code === 410);
	});

	test('expired after five minutes unused, or when more lists are under way than are kept: 410 Expired in the server\'s words', () => {
		let now = 0;
		const pages = new ListPages(() => now);
		const items = [obj('a', 'a'), obj('a', 'b'), obj('a', 'c')];
		const first = pages.page(scope, 1, undefined, () => ({items, resourceVersion: 5}));
		now += SNAPSHOT_TTL_MS;
		const second = pages.page(scope, 1, first.continue, () => assert.fail());
		now += SNAPSHOT_TTL_MS + 1;
		assert.throws(
			() => pages.page(scope, 1, second.continue, () => assert.fail()),
			(e: ApiError) => e.code === 410 && e.reason === 'Expired' && e.message.startsWith('The provided continue parameter is too old to display a consistent list result.'),
		);
		const oldest = pages.page(scope, 1, undefined, () => ({items, resourceVersion: 100}));
		for (let rv = 101; rv <= 100 + MAX_SNAPSHOTS; rv++) pages.page(scope, 1, undefined, () => ({items, resourceVersion: rv}));
		assert.throws(() => pages.page(scope, 1, oldest.continue, () => assert.fail()), (e: ApiError) => e.code === 410);
	});

	test('a token that is not one is 400, as the server says it', () => {
		const pages = new ListPages(() => 0);
		for (const token of ['%%%', Buffer.from('{"v":"x","rv":1,"start":"a\\u0000"}').toString('base64url'), Buffer.from('{"v":"meta.k8s.io/v1","rv":0,"start":"a"}').toString('base64url')]) {
			assert.throws(() => pages.page(scope, 1, token, () => assert.fail()), (e: ApiError) => e.code === 400 && e.message.startsWith('continue key is not valid'), token);
		}
	});
});

describe('paged lists of the sim, over HTTP', () => {
	let t: TestSim;
	before(async () => {
		t = await startTestSim({scenario: 'canary'});
		t.sim.store.create('namespaces', {apiVersion: 'v1', kind: 'Namespace', metadata: {name: 'paged'}} as KObject);
		for (const name of ['page-a', 'page-b', 'page-c', 'page-d', 'page-e']) t.sim.store.create('configmaps', {apiVersion: 'v1', kind: 'ConfigMap', metadata: {name, namespace: 'paged', labels: {paged: 'yes'}}, data: {v: '1'}} as KObject);
	});
	after(async () => {
		await t.stop();
	});

	const get = async (path: string) => {
		const r = await simRequest(t.sim, path);
		assert.equal(r.status, 200, r.text);
		return r.body;
	};

	test('writes between pages are not in the list; a watch from its resourceVersion brings them', async () => {
		const first = await get('/api/v1/namespaces/paged/configmaps?limit=2');
		assert.deepEqual(first.items.map((c: any) => c.metadata.name), ['page-a', 'page-b']);
		assert.equal(first.metadata.remainingItemCount, 3);
		const rv = first.metadata.resourceVersion;
		// Between the pages: one of the next page changed, one deleted, one added before its end.
		const c = t.sim.store.get('configmaps', 'paged', 'page-c')!;
		t.sim.store.update('configmaps', {...c, data: {v: '2'}});
		t.sim.store.delete('configmaps', 'paged', 'page-d');
		t.sim.store.create('configmaps', {apiVersion: 'v1', kind: 'ConfigMap', metadata: {name: 'page-cc', namespace: 'paged'}, data: {v: '1'}} as KObject);
		const second = await get(`/api/v1/namespaces/paged/configmaps?limit=2&continue=${encodeURIComponent(first.metadata.continue)}`);
		assert.equal(second.metadata.resourceVersion, rv, 'every page at the first page\'s version');
		assert.deepEqual(
			second.items.map((x: any) => `${x.metadata.name}=${x.data.v}`),
			['page-c=1', 'page-d=1'],
		);
		const third = await get(`/api/v1/namespaces/paged/configmaps?limit=2&continue=${encodeURIComponent(second.metadata.continue)}`);
		assert.deepEqual(third.items.map((x: any) => x.metadata.name), ['page-e']);
		assert.equal(third.metadata.continue, undefined);
		assert.equal(third.metadata.remainingItemCount, undefined);

		const watched = await simRequest(t.sim, `/api/v1/namespaces/paged/configmaps?watch=true&resourceVersion=${rv}&timeoutSeconds=1`);
		const events = watched.text.trim().split('\n').map(l => JSON.parse(l)).filter((e: any) => e.type !== 'BOOKMARK');
		assert.deepEqual(
			events.map((e: any) => `${e.type} ${e.object.metadata.name}`),
			['MODIFIED page-c', 'DELETED page-d', 'ADDED page-cc'],
		);
	});

	test('with a selector, no remainingItemCount; a resourceVersion beside continue is 400', async () => {
		const first = await get('/api/v1/namespaces/paged/configmaps?limit=1&labelSelector=paged%3Dyes');
		assert.ok(first.metadata.continue);
		assert.equal(first.metadata.remainingItemCount, undefined);
		const r = await simRequest(t.sim, `/api/v1/namespaces/paged/configmaps?limit=1&resourceVersion=1&continue=${encodeURIComponent(first.metadata.continue)}`);
		assert.equal(r.status, 400);
		assert.equal(r.body.message, 'specifying resource version is not allowed when using continue');
	});

	test('kubectl in pages of 2 lists the same pods in the same order as in one', async () => {
		const paged = await kubectlOk(t, ['get', 'pods', '-A', '--chunk-size=2', '-o', 'name']);
		const whole = await kubectlOk(t, ['get', 'pods', '-A', '--chunk-size=0', '-o', 'name']);
		assert.ok(whole.trim().split('\n').length > 4);
		assert.equal(paged, whole);
	});
});
