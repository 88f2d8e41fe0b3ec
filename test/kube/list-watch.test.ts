// ListWatch against the simulated API server: it learns how often bookmarks come and lists again when a
// watch goes quiet for longer (a connection that died without a word), and a server restarted from an older
// state leaves nothing behind in the cache; a write while a list of several pages is read is not lost.
import assert from 'node:assert/strict';
import {copyFileSync, mkdtempSync, rmSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {test} from 'node:test';
import {KubeClient} from '../../source/kube/client.js';
import {learnBookmarkInterval, ListWatch, quietLimit, type WatchState} from '../../source/kube/list-watch.js';
import {startSim, type Sim} from '../../source/sim/cluster.js';
import {startProxy} from '../helpers/proxy.js';
import {startTestSim, waitFor} from '../helpers/sim.js';
import {listen} from '../helpers/undici.js';

const pod = (name: string) => ({metadata: {name, namespace: 'canary', labels: {app: 'stray'}}, spec: {containers: [{name: 'c', image: 'registry.local/stray:1'}]}});

test('quietLimit: the bookmark interval and a margin once bookmarks were seen; else the watch timeout', () => {
	assert.deepEqual(quietLimit(60_000, 400_000), {fromLastHeard: 90_000});
	assert.deepEqual(quietLimit(2000, 400_000), {fromLastHeard: 12_000});
	assert.deepEqual(quietLimit(undefined, 400_000), {fromOpened: 430_000});
	assert.equal(learnBookmarkInterval(undefined, 61_000), 61_000);
	assert.equal(learnBookmarkInterval(61_000, 2_000), 61_000, 'the longest gap seen');
	assert.equal(learnBookmarkInterval(undefined, 10), 1000);
	assert.equal(learnBookmarkInterval(undefined, 3_600_000), 300_000);
});

/** A ListWatch of the canary namespace's pods, its states recorded, checking for quiet every 200 ms. */
function watchPods(client: KubeClient) {
	const states: WatchState[] = [];
	const lw = new ListWatch(client, '/api/v1/namespaces/canary/pods', {kind: 'Pod', apiVersion: 'v1', resource: 'pods', onChange: () => {}, onState: s => states.push(s)});
	lw.start();
	const quiet = setInterval(() => lw.checkQuiet(), 200);
	return {
		lw,
		states,
		last: () => states[states.length - 1],
		stop() {
			clearInterval(quiet);
			lw.stop();
		},
	};
}

test('a watch that stops hearing bookmarks lists again over a new connection, and sees what it missed', async () => {
	const t = await startTestSim({scenario: 'canary', bookmarkIntervalMs: 300});
	const proxy = await startProxy(t.sim.port);
	const client = KubeClient.fromString(t.sim.kubeconfig('canary').replace(`:${t.sim.port}`, `:${proxy.port}`), 'canary');
	const w = watchPods(client);
	try {
		await waitFor('bookmarks learnt', () => w.last()?.state === 'live' && w.lw.bookmarkInterval !== undefined, 10_000);
		assert.ok(w.lw.bookmarkInterval! < 5000, `learnt ${w.lw.bookmarkInterval} ms`);
		const before = w.states.length;
		// The connection goes quiet; the server lives on and gets a new pod.
		proxy.freeze();
		t.sim.store.create('pods', pod('arrived-while-quiet'));
		const relist = await waitFor('a relist', () => w.states.slice(before).find(s => s.state === 'connecting'), 20_000);
		assert.match((relist as {why?: string}).why ?? '', /^the pods watch heard nothing for \d+s \(bookmarks come every \d+s\)$/);
		await waitFor('the missed pod, live again', () => w.lw.items.has('canary/arrived-while-quiet') && w.last()?.state === 'live', 10_000);
		assert.equal(w.lw.items.get('canary/arrived-while-quiet')!.kind, 'Pod', 'stamped with the kind it was listed as');
	} finally {
		w.stop();
		await client.close();
		await proxy.close();
		await t.stop();
	}
});

test('a server restarted from an older state: the watch lists again and the objects only the newer state had are gone', async () => {
	const dir = mkdtempSync(join(tmpdir(), 'rollscope-restore-'));
	const state = join(dir, 'state.json');
	let sim: Sim | undefined;
	let w: ReturnType<typeof watchPods> | undefined;
	let client: KubeClient | undefined;
	try {
		// The older state: saved on stop, kept aside.
		sim = await startSim({scenario: 'canary', still: true, statePath: state});
		const port = sim.port;
		await sim.stop();
		copyFileSync(state, join(dir, 'older.json'));
		sim = await startSim({scenario: 'canary', still: true, statePath: state, port});
		client = KubeClient.fromString(sim.kubeconfig('canary'), 'canary');
		w = watchPods(client);
		await waitFor('live', () => w!.last()?.state === 'live');
		sim.store.create('pods', pod('only-in-the-newer-state'));
		await waitFor('the new pod', () => w!.lw.items.has('canary/only-in-the-newer-state'));
		await sim.stop();
		copyFileSync(join(dir, 'older.json'), state);
		sim = await startSim({scenario: 'canary', still: true, statePath: state, port});
		const restarted = Date.now();
		await waitFor('the cache as the restored server has it', () => !w!.lw.items.has('canary/only-in-the-newer-state') && w!.last()?.state === 'live', 15_000);
		assert.ok(Date.now() - restarted < 10_000, `took ${Date.now() - restarted} ms`);
		const restored = sim;
		await waitFor('the same pods as the restored server', () => {
			const served = restored.store.list('pods', 'canary').map(o => `canary/${o.metadata.name}`).sort();
			assert.deepEqual([...w!.lw.items.keys()].sort(), served);
			return true;
		}, 5000);
		assert.ok(w.states.some(s => s.state === 'connecting' && s.why === 'the pods watch lost the API server'), JSON.stringify(w.states.map(s => s.state)));
	} finally {
		w?.stop();
		await client?.close();
		await sim?.stop();
		rmSync(dir, {recursive: true, force: true});
	}
});

test('a list of several pages: a write to the first page while the next ones are read comes in through the watch', async () => {
	const t = await startTestSim({scenario: 'canary'});
	const client = KubeClient.fromString(t.sim.kubeconfig('canary'), 'canary');
	const configMap = (name: string, v: string) => ({apiVersion: 'v1', kind: 'ConfigMap', metadata: {name, namespace: 'canary'}, data: {v}});
	// 1,200 objects: three pages of 500.
	for (let i = 0; i < 1200; i++) t.sim.store.create('configmaps', configMap(`cm-${String(i).padStart(4, '0')}`, 'listed'));
	let written = false;
	// The moment the second page is asked for, the first has been answered: change an object on it then.
	const stop = listen('undici:request:create', ({request}) => {
		if (written || !request.path.startsWith('/api/v1/namespaces/canary/configmaps?') || !request.path.includes('continue=')) return;
		written = true;
		const first = t.sim.store.get('configmaps', 'canary', 'cm-0000')!;
		t.sim.store.update('configmaps', {...first, data: {v: 'written between pages'}});
	});
	const lw = new ListWatch(client, '/api/v1/namespaces/canary/configmaps', {kind: 'ConfigMap', apiVersion: 'v1', resource: 'configmaps', onChange: () => {}, onState: () => {}});
	try {
		lw.start();
		await waitFor('the list', () => lw.listed, 20_000);
		assert.ok(written, 'the list came in pages');
		assert.ok(lw.list().length >= 1200);
		await waitFor('the write, through the watch', () => lw.list().find(o => o.metadata.name === 'cm-0000')?.data?.v === 'written between pages', 10_000);
	} finally {
		stop();
		lw.stop();
		await client.close();
		await t.stop();
	}
});
