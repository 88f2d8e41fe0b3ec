// A user who may read some resources and not others, as a namespaced Role grants the core and apps groups and
// not the CRDs a cluster serves besides: the view and --once show the release without what may not be read,
// and name it; what no release can be read without (pods) is said as the server said it. Against the sim,
// whose viewer is given such a Role, side by side with kubectl.
import assert from 'node:assert/strict';
import {after, before, describe, test} from 'node:test';
import {KubeClient} from '../../source/kube/client.js';
import {watchCluster} from '../../source/live/cluster-watch.js';
import {watchRelease} from '../../source/live/release-watch.js';
import {initialClusterState} from '../../source/store/cluster-state.js';
import {ClusterStore} from '../../source/store/cluster-store.js';
import {simContexts} from '../../source/sim/kubeconfig.js';
import {initialState} from '../../source/store/state.js';
import {Store} from '../../source/store/store.js';
import {runCli} from '../helpers/cli.js';
import {startTestSim, waitFor, type TestSim} from '../helpers/sim.js';

describe('a user who may not read every resource the view watches', () => {
	let t: TestSim;
	const viewer = () => t.sim.credentials.accounts.find(a => a.name === 'viewer')!;
	before(async () => {
		t = await startTestSim({scenario: 'canary'});
		await waitFor('the canary pods ready', () => t.sim.store.list('pods', 'canary').filter(p => (p.status?.conditions ?? []).some((c: {type: string; status: string}) => c.type === 'Ready' && c.status === 'True')).length === 6, 30_000);
	});
	after(async () => {
		await t.stop();
	});

	test('the core and apps groups only: the sim refuses the rest as kube-apiserver does, and kubectl reads what it may', async () => {
		viewer().reads = ['', 'apps'];
		try {
			const vs = await t.kubectl(['--context', simContexts.viewer, 'get', 'virtualservices', '-n', 'canary']);
			assert.notEqual(vs.code, 0);
			assert.match(vs.stderr, /virtualservices\.networking\.istio\.io is forbidden: User "viewer" cannot list resource "virtualservices" in API group "networking\.istio\.io" in the namespace "canary"/);
			const can = await t.kubectl(['--context', simContexts.viewer, 'auth', 'can-i', 'list', 'virtualservices.networking.istio.io', '-n', 'canary']);
			assert.match(can.stdout, /^no\b/);
			const pods = await t.kubectl(['--context', simContexts.viewer, 'get', 'pods', '-n', 'canary', '-o', 'name']);
			assert.equal(pods.code, 0, pods.stderr);
		} finally {
			delete viewer().reads;
		}
	});

	test('the view: the first release comes, live, naming what it may not read; granted later, the name goes', async () => {
		viewer().reads = ['', 'apps'];
		const client = KubeClient.load({kubeconfig: t.kubeconfigPath, context: simContexts.viewer, namespace: 'canary'});
		const store = new Store(initialState(simContexts.viewer, 'canary', 'deploy/checkout'), 0);
		const watch = watchRelease(client, store, {batchMs: 10, eventsAfterFirstBuild: true});
		try {
			await waitFor('the release, live', () => store.getState().release?.pods.length === 6 && store.getState().connection.state === 'live', 20_000);
			const c = store.getState().connection;
			assert.ok(c.state === 'live' && c.unreadable?.includes('virtualservices.networking.istio.io') && c.unreadable.includes('rollouts.argoproj.io'), JSON.stringify(c));
			assert.ok(c.state === 'live' && !c.unreadable!.includes('events'), 'the core group is read');
			delete viewer().reads;
			// The refused watches keep trying, with their back-off: the right, once granted, is used.
			await waitFor('every resource read', () => {
				const now = store.getState().connection;
				return now.state === 'live' && now.unreadable === undefined;
			}, 60_000);
			await waitFor('the VirtualService\'s weights', () => store.getState().release?.traffic?.router === 'istio', 20_000);
		} finally {
			delete viewer().reads;
			watch.stop();
			store.close();
			await client.close();
		}
	});

	test('--once: the release, exit 0, and one line on stderr naming what it may not read', async () => {
		viewer().reads = ['', 'apps'];
		try {
			const r = await runCli(['deploy/checkout', '-n', 'canary', '--once', '--context', simContexts.viewer], t.kubeconfigPath);
			assert.equal(r.code, 0, r.stderr);
			assert.match(r.stdout, /^canary\/checkout\s/);
			assert.match(r.stderr, /^rollscope: user rollscope-viewer may not read .*virtualservices\.networking\.istio\.io.* \(403 Forbidden\): shown without them\n$/);
		} finally {
			delete viewer().reads;
		}
	});

	test('-A: every namespace\'s rows, live, naming what it may not read', async () => {
		viewer().reads = ['', 'apps'];
		const client = KubeClient.load({kubeconfig: t.kubeconfigPath, context: simContexts.viewer});
		const store = new ClusterStore(initialClusterState(client.context), 0);
		const watch = watchCluster(client, store, {batchMs: 20});
		try {
			await waitFor('the rows, live', () => store.getState().connection.state === 'live' && store.getState().loaded && store.getState().rows.some(r => r.key === 'canary/deploy/checkout'), 20_000);
			const c = store.getState().connection;
			assert.ok(c.state === 'live' && c.unreadable?.includes('virtualservices.networking.istio.io'), JSON.stringify(c));
		} finally {
			delete viewer().reads;
			watch.stop();
			store.close();
			await client.close();
		}
	});

	test('the core group not granted (pods): no release, and the server\'s 403 for the pods is what --once says', async () => {
		viewer().reads = ['apps'];
		try {
			const r = await runCli(['deploy/checkout', '-n', 'canary', '--once', '--context', simContexts.viewer], t.kubeconfigPath);
			assert.notEqual(r.code, 0);
			assert.match(r.stderr, /pods is forbidden: User "viewer" cannot list resource "pods" in API group "" in the namespace "canary"/);
		} finally {
			delete viewer().reads;
		}
	});
});
