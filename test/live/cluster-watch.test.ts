import assert from 'node:assert/strict';
import {after, before, describe, test} from 'node:test';
import {readFileSync} from 'node:fs';
import {KubeClient} from '../../source/kube/client.js';
import type {KObject} from '../../source/kube/object.js';
import {namespaceRows} from '../../source/kinds/rows.js';
import {startClusterVerdicts} from '../../source/live/cluster-verdicts.js';
import type {WindowSource} from '../../source/verdict/window-source.js';
import {namespaceCache, watchCluster} from '../../source/live/cluster-watch.js';
import type {Release} from '../../source/release/model.js';
import type {ClusterSnapshot, SnapshotField} from '../../source/release/snapshot.js';
import {initialClusterState} from '../../source/store/cluster-state.js';
import {ClusterStore} from '../../source/store/cluster-store.js';
import type {WindowData} from '../../source/verdict/judge.js';
import {manyNamespaces, withCrashingPod} from '../helpers/many-releases.js';
import {loadCase} from '../helpers/testdata.js';
import {kubectlOk, startTestSim, waitFor, type TestSim} from '../helpers/sim.js';

type Lists = Partial<Record<SnapshotField, KObject[]>>;

/** A case's objects as the cluster watch groups them. */
function listsOf(name: string): [string, Lists] {
	const {snapshot} = loadCase(name);
	const {namespace, now: _now, ...lists} = snapshot;
	return [namespace, lists];
}

describe('rows per namespace', () => {
	test('only a namespace whose objects changed is detected again; a namespace gone takes its rows with it', () => {
		const built: string[] = [];
		const cache = namespaceCache((snap: ClusterSnapshot) => {
			built.push(snap.namespace);
			return namespaceRows(snap);
		});
		const groups = new Map([listsOf('canary'), listsOf('rolling'), listsOf('argo-paused')]);
		let result = cache.rebuild(groups);
		assert.deepEqual(built.sort(), ['argo-canary', 'canary', 'rolling']);
		assert.deepEqual(result.built.map(b => b.row.key), ['argo-canary/rollout/orders', 'canary/deploy/checkout', 'rolling/deploy/web']);
		assert.equal(result.namespaces, 3);

		built.length = 0;
		// The same objects again: nothing to do.
		result = cache.rebuild(new Map([...groups].map(([ns, lists]) => [ns, {...lists}])));
		assert.deepEqual(built, []);
		assert.equal(result.built.length, 3);

		// One pod of rolling changes (a new object, as a watch event makes): rolling alone is built again.
		const rolling = groups.get('rolling')!;
		const [first, ...rest] = rolling.pods!;
		const crashing = structuredClone(first!);
		crashing.status.containerStatuses[0].state = {waiting: {reason: 'CrashLoopBackOff'}};
		crashing.status.containerStatuses[0].ready = false;
		groups.set('rolling', {...rolling, pods: [crashing, ...rest]});
		result = cache.rebuild(groups);
		assert.deepEqual(built, ['rolling']);
		assert.deepEqual(result.built.map(b => [b.row.key, b.row.attention]), [['rolling/deploy/web', 'failing'], ['argo-canary/rollout/orders', 'waiting'], ['canary/deploy/checkout', 'progressing']]);

		built.length = 0;
		groups.delete('canary');
		result = cache.rebuild(groups);
		assert.deepEqual(built, []);
		assert.deepEqual(result.built.map(b => b.row.key), ['rolling/deploy/web', 'argo-canary/rollout/orders']);
		assert.equal(result.namespaces, 2);
	});
	test('a few hundred releases: one row each, in order of need, and one changed namespace is all that is built again', () => {
		const groups = manyNamespaces(330);
		let builds = 0;
		const cache = namespaceCache(snap => {
			builds++;
			return namespaceRows(snap);
		});
		let result = cache.rebuild(groups);
		assert.equal(builds, 330);
		assert.equal(result.built.length, 330);
		assert.equal(result.namespaces, 330);
		const levels = result.built.map(b => b.row.attention);
		const rank = ['failing', 'waiting', 'progressing', 'steady'];
		assert.deepEqual(levels, [...levels].sort((a, b) => rank.indexOf(a) - rank.indexOf(b)));
		assert.ok(!levels.includes('failing'));
		const namespace = [...groups.keys()].find(ns => ns.startsWith('rolling-'))!;
		groups.set(namespace, withCrashingPod(groups.get(namespace)!));
		builds = 0;
		result = cache.rebuild(groups);
		assert.equal(builds, 1);
		assert.deepEqual([result.built[0]!.row.namespace, result.built[0]!.row.attention], [namespace, 'failing']);
	});
});

describe('the verdicts of the list', () => {
	const buckets = [3000, 1500, 400, 100];
	const data = (canaryErrors: number): WindowData => ({canary: {requests: 5000, errors: canaryErrors, buckets}, baseline: {requests: 5000, errors: 5, buckets}});

	test('each release that compares two versions is judged in rounds, keyed by its row; one that does not is left out', async () => {
		const store = new ClusterStore(initialClusterState('ctx'), 0);
		const releases = ['canary', 'rolling', 'argo-paused'].flatMap(name => namespaceRows(loadCase(name).snapshot).map(b => b.release));
		const asked: string[] = [];
		const source: WindowSource = {
			where: 'test',
			async window(release: Release) {
				asked.push(`${release.namespace}/${release.target}`);
				return {data: data(release.namespace === 'canary' ? 400 : 5), warnings: []};
			},
		};
		const verdicts = startClusterVerdicts({store, releases: () => releases, source, windowSeconds: 60, intervalMs: 60_000});
		try {
			await waitFor('a first round', () => Object.keys(store.getState().verdicts).length === 2);
			// A rolling Deployment has no two versions to compare.
			assert.deepEqual(asked.sort(), ['argo-canary/rollout/orders', 'canary/deploy/checkout']);
			assert.equal(store.getState().verdictNote, 'verdicts: test, every 60s');
			assert.equal(store.getState().verdicts['argo-canary/rollout/orders']?.state, 'pass');
			// Failing windows count up round after round, as in the view: fail after three.
			for (let round = 0; round < 2; round++) await verdicts.round();
			assert.equal(store.getState().verdicts['canary/deploy/checkout']?.state, 'fail');
			assert.equal(store.getState().verdicts['canary/deploy/checkout']?.failingWindows, 3);
		} finally {
			verdicts.stop();
		}
	});

	test('a source that fails keeps the verdicts it had and says why', async () => {
		const store = new ClusterStore(initialClusterState('ctx'), 0);
		const releases = namespaceRows(loadCase('canary').snapshot).map(b => b.release);
		let broken = false;
		const source: WindowSource = {
			where: 'Prometheus',
			async window() {
				if (broken) throw new Error('connect ECONNREFUSED 127.0.0.1:9090');
				return {data: data(5), warnings: []};
			},
		};
		const verdicts = startClusterVerdicts({store, releases: () => releases, source, windowSeconds: 60, intervalMs: 60_000});
		try {
			await waitFor('a first round', () => store.getState().verdicts['canary/deploy/checkout']);
			broken = true;
			await verdicts.round();
			assert.equal(store.getState().verdicts['canary/deploy/checkout']?.state, 'pass');
			assert.match(store.getState().verdictNote ?? '', /^verdicts: Prometheus: .*ECONNREFUSED/);
		} finally {
			verdicts.stop();
		}
	});
});

describe('the cluster watch against the sim', () => {
	let t: TestSim;
	before(async () => {
		t = await startTestSim({scenario: 'all'});
	});
	after(async () => {
		await t.stop();
	});

	test('lists every namespace live, and a rollout going wrong moves its release to the top', async () => {
		const client = KubeClient.fromString(readFileSync(t.kubeconfigPath, 'utf8'));
		const store = new ClusterStore(initialClusterState(client.context), 0);
		const watch = watchCluster(client, store, {batchMs: 20});
		try {
			const scenarios = t.sim.scenarios.length;
			await waitFor('every scenario listed', () => store.getState().connection.state === 'live' && store.getState().loaded && store.getState().rows.length === scenarios, 30_000);
			assert.equal(store.getState().namespaces, scenarios);
			assert.ok(watch.release('rolling/deploy/web'), 'the Release behind a row');
			await kubectlOk(t, ['-n', 'rolling', 'set', 'image', 'deploy/web', 'web=registry.local/web:9.9.9-crash']);
			const rows = (await waitFor('web to fail', () => (store.getState().rows[0]?.key === 'rolling/deploy/web' && store.getState().rows[0]?.attention === 'failing' ? store.getState().rows : undefined), 30_000))!;
			assert.match(rows[0]!.phase, /^(CrashLoopBackOff \(1 pod\)|ProgressDeadlineExceeded)$/);
			assert.deepEqual(rows[0]!.versions.map(v => v.images[0]), ['registry.local/web:1.0.0', 'registry.local/web:9.9.9-crash']);
		} finally {
			watch.stop();
			store.close();
			await client.close();
		}
	});
});
