// KubeClient.list against the simulated API server: the next page is asked for before a page is parsed, as
// soon as its continue token can be read from the start of its text; a custom resource's list, whose items come
// before its metadata, is paged after parsing as before. Either way every object comes once, in order.
import assert from 'node:assert/strict';
import dc from 'node:diagnostics_channel';
import {after, before, describe, test} from 'node:test';
import {continueAhead, KubeClient} from '../../source/kube/client.js';
import type {KObject} from '../../source/kube/object.js';
import {startTestSim, type TestSim} from '../helpers/sim.js';

test('continueAhead: the token from the metadata written before the items, else nothing', () => {
	const builtin = '{"kind":"PodList","apiVersion":"v1","metadata":{"resourceVersion":"9","continue":"eyJvZmZzZXQiOjUwMH0","remainingItemCount":3},"items":[{"metadata":{"name":"a"}}]}';
	assert.equal(continueAhead(builtin), 'eyJvZmZzZXQiOjUwMH0');
	assert.equal(continueAhead('{"kind":"PodList","apiVersion":"v1","metadata":{"resourceVersion":"9"},"items":[]}'), undefined, 'the last page');
	// A custom resource's list: items first. A "continue" inside an item is not the list's.
	const custom = '{"apiVersion":"argoproj.io/v1alpha1","items":[{"metadata":{"annotations":{"continue":"abc"}}}],"kind":"RolloutList","metadata":{"continue":"eyJvZmZzZXQiOjUwMH0"}}';
	assert.equal(continueAhead(custom), undefined);
	assert.equal(continueAhead('{"metadata":{"continue":"abc"}}'), undefined, 'no items: not a list');
	assert.equal(continueAhead('{"metadata":{"continue":"a\\u003db"},"items":[]}'), undefined, 'an escaped token is read by the parser instead');
});

describe('KubeClient.list, page by page', () => {
	let t: TestSim;
	let client: KubeClient;
	/** The list requests created so far (undici's request:create is published as a request is dispatched). */
	const created: string[] = [];
	const onCreate = (message: unknown) => {
		const {request} = message as {request: {path: string}};
		if (/[?&]limit=500/.test(request.path)) created.push(decodeURIComponent(request.path));
	};

	before(async () => {
		t = await startTestSim({scenario: 'canary'});
		for (let i = 0; i < 1100; i++) t.sim.store.create('pods', {metadata: {name: `many-${String(i).padStart(4, '0')}`, namespace: 'canary', labels: {app: 'many'}}, spec: {containers: [{name: 'c', image: 'registry.local/many:1'}]}});
		for (let i = 0; i < 520; i++) t.sim.store.create('networking.istio.io/destinationrules', {apiVersion: 'networking.istio.io/v1', kind: 'DestinationRule', metadata: {name: `dr-${String(i).padStart(4, '0')}`, namespace: 'canary', labels: {app: 'many'}}, spec: {host: `many-${i}`}});
		client = KubeClient.fromString(t.sim.kubeconfig('canary'), 'canary');
		dc.subscribe('undici:request:create', onCreate);
	});
	after(async () => {
		dc.unsubscribe('undici:request:create', onCreate);
		await client.close();
		await t.stop();
	});

	/** A list of `path`, and for the first object of each page kept: how many list requests had gone out by then. */
	const listCounting = async (path: string, options?: {ahead?: boolean}) => {
		created.length = 0;
		const outAtPageStart: number[] = [];
		let kept = 0;
		const keep = (o: KObject) => {
			if (kept++ % 500 === 0) outAtPageStart.push(created.length);
			return o;
		};
		const {items} = await client.list(path, {labelSelector: 'app=many'}, keep, options);
		return {items, outAtPageStart};
	};

	test('a built-in kind: each next page is asked for before the page before it is read', async () => {
		const {items, outAtPageStart} = await listCounting('/api/v1/namespaces/canary/pods');
		assert.deepEqual(
			items.map(o => o.metadata.name),
			Array.from({length: 1100}, (_, i) => `many-${String(i).padStart(4, '0')}`),
			'every pod once, in order',
		);
		assert.equal(created.length, 3, `three pages, none asked for twice: ${created.join(', ')}`);
		assert.equal(created.filter(p => p.includes('continue=')).length, 2);
		assert.deepEqual(outAtPageStart, [2, 3, 3], 'page 2 was asked for before page 1 was read, page 3 before page 2');
	});

	test('with ahead: false (a long list nothing waits for), each next page after the one before is read', async () => {
		const {items, outAtPageStart} = await listCounting('/api/v1/namespaces/canary/pods', {ahead: false});
		assert.equal(items.length, 1100);
		assert.deepEqual(outAtPageStart, [1, 2, 3]);
		assert.equal(created.length, 3);
	});

	test('a custom resource (items before metadata): paged once each page is read, every object once', async () => {
		const {items, outAtPageStart} = await listCounting('/apis/networking.istio.io/v1/namespaces/canary/destinationrules');
		assert.equal(items.length, 520);
		assert.equal(new Set(items.map(o => o.metadata.name)).size, 520);
		assert.deepEqual(outAtPageStart, [1, 2], 'the next page after the one before was read');
		assert.equal(created.length, 2);
	});
});
