// The sim's answers on the wire as kube-apiserver gives them: list items without kind, query booleans read as
// apimachinery reads them, reads from a resourceVersion the sim has not reached, bookmarks at an interval.
import assert from 'node:assert/strict';
import {after, before, describe, test} from 'node:test';
import {KubeClient, type WatchEvent} from '../../source/kube/client.js';
import {gunzipSync} from 'node:zlib';
import {acceptsGzip} from '../../source/sim/server.js';
import {simRequest, startTestSim, waitFor, type TestSim} from '../helpers/sim.js';
import {rawRequest} from '../helpers/raw-request.js';

const tableType = 'application/json;as=Table;v=v1;g=meta.k8s.io';


/** The events of a watch stream that has ended. */
const eventsOf = (text: string): Array<{type: string; object: any}> => text.split('\n').filter(line => line.trim() !== '').map(line => JSON.parse(line));

/** The RV in "Timeout: Too large resource version: 12, current: 7". */
const currentIn = (message: string) => Number(/current: (\d+)$/.exec(message)?.[1]);

describe('the sim on the wire', () => {
	let t: TestSim;
	let client: KubeClient;
	before(async () => {
		t = await startTestSim({scenario: 'canary', bookmarkIntervalMs: 400});
		client = KubeClient.load({kubeconfig: t.kubeconfigPath});
		await waitFor('the canary pods', () => t.sim.store.list('pods', 'canary').length >= 6);
	});
	after(async () => {
		await t.stop();
	});

	test('list items of built-in kinds carry no kind or apiVersion; custom resources, watch events and Tables keep theirs', async () => {
		for (const [path, kind, apiVersion] of [
			['/api/v1/namespaces/canary/pods', 'PodList', 'v1'],
			['/apis/apps/v1/namespaces/canary/deployments', 'DeploymentList', 'apps/v1'],
			['/apis/apps/v1/replicasets', 'ReplicaSetList', 'apps/v1'],
			['/api/v1/namespaces', 'NamespaceList', 'v1'],
		] as const) {
			const list = (await rawRequest(t, path)).json();
			assert.equal(list.kind, kind);
			assert.equal(list.apiVersion, apiVersion);
			assert.ok(list.metadata.resourceVersion);
			assert.ok(list.items.length > 0, path);
			for (const item of list.items) {
				assert.ok(!('kind' in item) && !('apiVersion' in item), `${path}: ${JSON.stringify(item).slice(0, 80)}`);
				assert.ok(item.metadata.name && item.metadata.uid);
			}
		}
		// Custom resources keep them, in the version asked for.
		for (const version of ['v1', 'v1beta1']) {
			const list = (await rawRequest(t, `/apis/networking.istio.io/${version}/namespaces/canary/virtualservices`)).json();
			assert.equal(list.kind, 'VirtualServiceList');
			assert.deepEqual(list.items.map((o: any) => [o.kind, o.apiVersion, o.metadata.name]), [['VirtualService', `networking.istio.io/${version}`, 'checkout']]);
		}
		// Watch events carry them on the object.
		const watched = eventsOf((await rawRequest(t, '/apis/apps/v1/namespaces/canary/deployments?watch=true&timeoutSeconds=1')).text);
		assert.deepEqual(watched.slice(0, 2).map(e => [e.type, e.object.metadata.name]), [['ADDED', 'checkout'], ['ADDED', 'checkout-canary']]);
		assert.ok(watched.every(e => e.object.kind === 'Deployment' && e.object.apiVersion === 'apps/v1'));
		// Tables are as before: rows of PartialObjectMetadata, or the whole object with includeObject=Object.
		const table = (await rawRequest(t, '/api/v1/namespaces/canary/pods', {headers: {Accept: tableType}})).json();
		assert.equal(table.kind, 'Table');
		assert.ok(table.rows.length >= 6 && table.rows.every((r: any) => r.object.kind === 'PartialObjectMetadata' && r.object.apiVersion === 'meta.k8s.io/v1'));
		const full = (await rawRequest(t, '/api/v1/namespaces/canary/pods?includeObject=Object', {headers: {Accept: tableType}})).json();
		assert.ok(full.rows.length >= 6 && full.rows.every((r: any) => r.object.kind === 'Pod' && r.object.apiVersion === 'v1' && r.object.spec));
		// client-node's typed lists read them as before.
		const typed = await client.list('/apis/apps/v1/namespaces/canary/deployments');
		assert.deepEqual(typed.items.map(d => d.metadata.name).sort(), ['checkout', 'checkout-canary']);
	});

	test('query booleans: only 0 and false (in any case) are false; any other value is true, as apimachinery reads them', async () => {
		// Go's strconv.ParseBool would refuse `yes` and call `f` false; kube-apiserver's Convert_Slice_string_To_bool does neither.
		const truthy = ['true', 'True', 'TRUE', '1', 't', 'T', 'f', 'yes', ''];
		const falsy = ['false', 'False', 'FALSE', 'fAlSe', '0'];
		const answers = await Promise.all([...truthy, ...falsy].map(async value => {
			const r = await rawRequest(t, `/apis/apps/v1/namespaces/canary/deployments?timeoutSeconds=1&watch=${encodeURIComponent(value)}`);
			assert.equal(r.status, 200);
			const events = eventsOf(r.text);
			if (events.length === 1 && (events[0] as any).kind === 'DeploymentList') return 'list';
			return events.length >= 2 && events[0]!.type === 'ADDED' && events[1]!.type === 'ADDED' ? 'watch' : `? ${r.text.slice(0, 100)}`;
		}));
		assert.deepEqual(answers, [...truthy.map(() => 'watch'), ...falsy.map(() => 'list')]);

		const [withBookmarks, without] = await Promise.all(['True', '0'].map(async value => eventsOf((await rawRequest(t, `/apis/apps/v1/namespaces/canary/deployments?watch=1&timeoutSeconds=1&allowWatchBookmarks=${value}`)).text)));
		assert.ok(withBookmarks!.some(e => e.type === 'BOOKMARK'), 'allowWatchBookmarks=True');
		assert.ok(!without!.some(e => e.type === 'BOOKMARK'), 'allowWatchBookmarks=0');

		// sendInitialEvents is a pointer: given at all, even false, it needs resourceVersionMatch, and it is forbidden on a list.
		const watchList = (value: string) => `/apis/apps/v1/namespaces/canary/deployments?watch=1&timeoutSeconds=1&allowWatchBookmarks=1&resourceVersionMatch=NotOlderThan&sendInitialEvents=${value}`;
		const [initial, none] = await Promise.all(['TRUE', 'False'].map(async value => eventsOf((await rawRequest(t, watchList(value))).text)));
		assert.deepEqual(initial!.slice(0, 3).map(e => e.type), ['ADDED', 'ADDED', 'BOOKMARK']);
		assert.equal(initial![2]!.object.metadata.annotations['k8s.io/initial-events-end'], 'true');
		assert.ok(!none!.some(e => e.type === 'ADDED'), 'sendInitialEvents=False sends no initial events');
		const onList = await rawRequest(t, '/apis/apps/v1/namespaces/canary/deployments?sendInitialEvents=false');
		assert.equal(onList.status, 422);
		assert.match(onList.json().message, /sendInitialEvents is forbidden for list/);
		const noMatch = await rawRequest(t, '/apis/apps/v1/namespaces/canary/deployments?watch=1&sendInitialEvents=0');
		assert.equal(noMatch.status, 422);
		assert.match(noMatch.json().message, /sendInitialEvents requires setting resourceVersionMatch to NotOlderThan/);
	});

	test('a list from a resourceVersion the sim has not reached waits for it, then refuses with 504 Too large resource version', async () => {
		const asked = t.sim.store.resourceVersion + 1000;
		const refused = await rawRequest(t, `/api/v1/namespaces/canary/configmaps?resourceVersion=${asked}`);
		assert.equal(refused.status, 504);
		const status = refused.json();
		const current = currentIn(status.message);
		assert.ok(current > 0 && current <= t.sim.store.resourceVersion, status.message);
		assert.deepEqual(status, {
			kind: 'Status',
			apiVersion: 'v1',
			metadata: {},
			status: 'Failure',
			message: `Timeout: Too large resource version: ${asked}, current: ${current}`,
			reason: 'Timeout',
			details: {causes: [{reason: 'ResourceVersionTooLarge', message: 'Too large resource version'}], retryAfterSeconds: 1},
			code: 504,
		});
		// An exact version from the future is refused at once, without retry advice (etcd's answer).
		const exact = await rawRequest(t, `/api/v1/namespaces/canary/configmaps?resourceVersion=${asked}&resourceVersionMatch=Exact`);
		assert.equal(exact.status, 504);
		assert.deepEqual(exact.json().details, {causes: [{reason: 'ResourceVersionTooLarge', message: 'Too large resource version'}]});

		// One the store reaches while the list waits is answered with the state at that version or later.
		const next = t.sim.store.resourceVersion + 1;
		const pending = rawRequest(t, `/api/v1/namespaces/canary/configmaps?resourceVersion=${next}`);
		await new Promise(resolve => setTimeout(resolve, 200));
		t.sim.store.create('configmaps', {metadata: {name: 'arrived-later', namespace: 'canary'}, data: {a: '1'}});
		const answered = await pending;
		assert.equal(answered.status, 200);
		const list = answered.json();
		assert.ok(Number(list.metadata.resourceVersion) >= next);
		assert.ok(list.items.some((c: any) => c.metadata.name === 'arrived-later'));
	});

	test('a watch-list from a resourceVersion the sim has not reached ends in an ERROR event: 504 Too large resource version', async () => {
		const asked = t.sim.store.resourceVersion + 1000;
		const events: WatchEvent[] = [];
		let ended = false;
		const stream = await client.watch('/api/v1/namespaces/canary/configmaps', {sendInitialEvents: 'true', resourceVersionMatch: 'NotOlderThan', allowWatchBookmarks: 'true', resourceVersion: String(asked)}, e => events.push(e));
		void stream.ended.then(() => (ended = true));
		await waitFor('the watch to end', () => ended);
		assert.equal(events.length, 1);
		assert.equal(events[0]!.type, 'ERROR');
		const status = events[0]!.object;
		assert.deepEqual({...status, message: undefined}, {
			kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message: undefined, reason: 'Timeout', code: 504,
			details: {causes: [{reason: 'ResourceVersionTooLarge', message: 'Too large resource version'}], retryAfterSeconds: 1},
		});
		assert.equal(status.message, `Timeout: Too large resource version: ${asked}, current: ${currentIn(status.message)}`);
	});

	test('a plain watch from a resourceVersion the sim has not reached stays open and sends only what comes after it, as the watch cache does', async () => {
		t.sim.store.create('namespaces', {metadata: {name: 'future'}});
		const asked = t.sim.store.resourceVersion + 2;
		const events: WatchEvent[] = [];
		const ctrl = await client.watch('/api/v1/namespaces/future/configmaps', {resourceVersion: String(asked)}, e => events.push(e));
		try {
			const written: Array<{name: string; rv: number}> = [];
			for (let i = 0; written.filter(w => w.rv > asked).length < 2; i++) {
				const cm = t.sim.store.create('configmaps', {metadata: {name: `cm-${i}`, namespace: 'future'}});
				written.push({name: cm.metadata.name!, rv: Number(cm.metadata.resourceVersion)});
			}
			const expected = written.filter(w => w.rv > asked).map(w => `ADDED ${w.name}`);
			await waitFor('the events after the asked version', () => events.length >= expected.length);
			assert.deepEqual(events.map(e => `${e.type} ${e.object.metadata.name}`), expected);
			assert.ok(written.some(w => w.rv <= asked), 'some writes were at or below the asked version');
		} finally {
			ctrl.abort();
		}
	});

	test('bookmarks come at the configured interval, each with the store\'s resourceVersion of the moment', async () => {
		const bookmarks: Array<{rv: number; at: number; storeRv: number}> = [];
		const ctrl = await client.watch('/api/v1/namespaces/canary/configmaps', {allowWatchBookmarks: 'true', resourceVersion: String(t.sim.store.resourceVersion)}, e => {
			if (e.type === 'BOOKMARK') bookmarks.push({rv: Number(e.object.metadata.resourceVersion), at: Date.now(), storeRv: t.sim.store.resourceVersion});
		});
		try {
			// Writes this watch does not see (another namespace) move the store on; bookmarks tell the watch so.
			for (let i = 0; i < 2; i++) {
				const written = Number(t.sim.store.create('configmaps', {metadata: {name: `elsewhere-${i}`, namespace: 'default'}}).metadata.resourceVersion);
				await waitFor(`a bookmark at ${written} or later`, () => bookmarks.some(b => b.rv >= written));
			}
			await waitFor('five bookmarks', () => bookmarks.length >= 5);
		} finally {
			ctrl.abort();
		}
		for (const [i, b] of bookmarks.entries()) {
			assert.ok(b.rv <= b.storeRv, `bookmark ${b.rv} is not ahead of the store (${b.storeRv})`);
			if (i > 0) assert.ok(b.rv >= bookmarks[i - 1]!.rv, 'bookmarks never go back');
		}
		// 400 ms apart on average, not a burst (a loose lower bound: delivery may bunch them a little).
		const meanGap = (bookmarks.at(-1)!.at - bookmarks[0]!.at) / (bookmarks.length - 1);
		assert.ok(meanGap >= 200, `mean gap ${meanGap} ms`);
	});

	test('an answer of 128 KiB or more is gzipped for a client that accepts gzip, as kube-apiserver does; a smaller one, a watch and a client that does not are answered plain', async () => {
		const padding = 'x'.repeat(4096);
		t.sim.store.create('namespaces', {metadata: {name: 'wire-gzip'}});
		for (let i = 0; i < 40; i++) t.sim.store.create('configmaps', {metadata: {name: `big-${i}`, namespace: 'wire-gzip'}, data: {padding}});
		const path = '/api/v1/namespaces/wire-gzip/configmaps';
		const plain = await simRequest(t.sim, path);
		assert.equal(plain.headers['content-encoding'], undefined);
		assert.ok(plain.bytes.length >= 128 * 1024, `${plain.bytes.length} bytes`);
		const zipped = await simRequest(t.sim, path, {headers: {'Accept-Encoding': 'gzip'}});
		assert.equal(zipped.status, 200);
		assert.equal(zipped.headers['content-encoding'], 'gzip');
		assert.ok(zipped.bytes.length < plain.bytes.length / 10, `${zipped.bytes.length} bytes gzipped`);
		assert.deepEqual(JSON.parse(gunzipSync(zipped.bytes).toString('utf8')), plain.body);
		assert.equal((await simRequest(t.sim, path, {headers: {'Accept-Encoding': 'gzip;q=0, identity'}})).headers['content-encoding'], undefined);
		assert.equal((await simRequest(t.sim, '/api/v1/namespaces/canary/services', {headers: {'Accept-Encoding': 'gzip'}})).headers['content-encoding'], undefined, 'a small answer');
		const watch = await simRequest(t.sim, `${path}?watch=true&timeoutSeconds=1`, {headers: {'Accept-Encoding': 'gzip'}});
		assert.equal(watch.headers['content-encoding'], undefined);
		assert.equal(eventsOf(watch.text).length, 40, 'a watch from the start: an ADDED for each');
		// kubectl and client-node over the same answer.
		const listed = await t.kubectl(['get', 'configmaps', '-n', 'wire-gzip', '-o', 'name']);
		assert.equal(listed.code, 0, listed.stderr);
		assert.equal(listed.stdout.trim().split('\n').length, 40);
		assert.equal((await client.list(path)).items.length, 40);
	});

	test('acceptsGzip reads Accept-Encoding as HTTP does', () => {
		assert.equal(acceptsGzip('gzip'), true);
		assert.equal(acceptsGzip('deflate, gzip;q=1.0, *;q=0.5'), true);
		assert.equal(acceptsGzip('GZIP'), true);
		assert.equal(acceptsGzip('*'), true);
		assert.equal(acceptsGzip('gzip;q=0'), false);
		assert.equal(acceptsGzip('identity'), false);
		assert.equal(acceptsGzip('br, deflate'), false);
		assert.equal(acceptsGzip(undefined), false);
	});
});
