import assert from 'node:assert/strict';
import {afterEach, describe, test} from 'node:test';
import {namespaceRows} from '../../source/kinds/rows.js';
import type {ReleaseRow} from '../../source/release/attention.js';
import {initialClusterState} from '../../source/store/cluster-state.js';
import {ClusterStore} from '../../source/store/cluster-store.js';
import {AllReleases} from '../../source/ui/AllReleases.js';
import {App} from '../../source/ui/App.js';
import type {Verdict} from '../../source/verdict/judge.js';
import {loadCase} from '../helpers/testdata.js';
import {canaryRelease, storeWith} from './fixtures.js';
import {fits, keys, press, renderAt, tick, waitFor, type Rendered} from './render.js';

const mounted: Rendered[] = [];
afterEach(() => {
	for (const r of mounted.splice(0)) r.unmount();
});

/** Rows of some canonical cases, and a stuck Deployment in namespace `zz` (last by name, first by need). */
function rows(): ReleaseRow[] {
	const built = ['rolling', 'canary', 'argo-paused', 'bluegreen', 'flagger'].flatMap(name => namespaceRows(loadCase(name).snapshot).map(b => b.row));
	const stuck: ReleaseRow = {key: 'zz/deploy/ledger', namespace: 'zz', target: 'deploy/ledger', name: 'ledger', kind: 'rolling', attention: 'failing', phase: 'CrashLoopBackOff (1 pod)', versions: [
		{id: 'ledger-1', role: 'old', images: ['registry.local/ledger:2.0.0'], weight: 100},
		{id: 'ledger-2', role: 'new', images: ['registry.local/ledger:2.1.0-crash'], weight: 0},
	]};
	return [...built, stuck];
}

function clusterWith(list: ReleaseRow[], verdicts: Record<string, Verdict> = {}): ClusterStore {
	const store = new ClusterStore(initialClusterState('prod-eu', 'verdicts: Prometheus, every 15s'), 0);
	store.dispatch({type: 'rows', rows: list, namespaces: new Set(list.map(r => r.namespace)).size, loaded: true});
	store.dispatch({type: 'connection', connection: {state: 'live', since: Date.now()}});
	store.dispatch({type: 'verdicts', verdicts});
	return store;
}

async function show(store: ClusterStore, columns: number, rows: number, onOpen: (row: ReleaseRow) => void = () => {}): Promise<Rendered> {
	const r = renderAt(<AllReleases store={store} width={columns} height={rows} onQuit={() => {}} onOpen={onOpen} />, columns, rows);
	mounted.push(r);
	await tick();
	return r;
}

/** The release column of the table's rows, top to bottom. */
const listed = (frame: string) => frame.split('\n').flatMap(l => /^[› ] .* (\S+) +((?:deploy|svc|rollout|canary)\/\S+)/.exec(l)?.slice(1, 3).join(' ') ?? []);

describe('the list of every namespace', () => {
	test('one row per release with state, namespace, kind, versions, weights, phase and verdict; failing first', async () => {
		const r = await show(clusterWith(rows(), {'canary/deploy/checkout': {state: 'pass', reason: '', slis: [], failingWindows: 0}}), 160, 20);
		const f = r.frame();
		assert.match(f, /all namespaces +ctx: prod-eu +● live/);
		assert.match(f, /RELEASES +in all namespaces: 6 in 6 namespaces +· enter watches +· verdicts: Prometheus, every 15s/);
		assert.match(f, /STATE +NAMESPACE +RELEASE +KIND +VERSIONS +WEIGHT +PHASE +VERDICT/);
		assert.deepEqual(listed(f), ['zz deploy/ledger', 'argo-canary rollout/orders', 'canary deploy/checkout', 'bluegreen svc/shop', 'flagger canary/podinfo', 'rolling deploy/web']);
		assert.match(f, /› ✗ failing +zz +deploy\/ledger +rolling Deployment +2\.0\.0 \| 2\.1\.0-crash +100% \| 0% +CrashLoopBackOff \(1 pod\) +-/);
		assert.match(f, /‖ waiting +argo-canary +rollout\/orders +Argo Rollout +.*80% \| 20% +Paused \(CanaryPauseStep\)/);
		assert.match(f, /● progressing +canary +deploy\/checkout +canary pair +1\.2\.3 \| 1\.3\.0 +90% \| 10% +canary 10% +pass/);
	});

	test('a release the verdict fails ranks with the failing ones', async () => {
		const r = await show(clusterWith(rows(), {'canary/deploy/checkout': {state: 'fail', reason: 'errors', slis: [], failingWindows: 3}}), 160, 20);
		assert.deepEqual(listed(r.frame()).slice(0, 2), ['canary deploy/checkout', 'zz deploy/ledger']);
		assert.match(r.frame(), /› ✗ failing +canary +deploy\/checkout +canary pair .* canary 10% +fail/);
	});

	test('j moves, enter opens the release under the cursor; a filter narrows the rows', async () => {
		const opened: string[] = [];
		const r = await show(clusterWith(rows()), 160, 20, row => opened.push(row.key));
		await press(r.stdin, 'j', 'j', keys.ENTER);
		assert.deepEqual(opened, ['canary/deploy/checkout']);
		await press(r.stdin, '/', ...'flagger', keys.ENTER);
		await waitFor(() => assert.deepEqual(listed(r.frame()), ['flagger canary/podinfo']));
		assert.match(r.frame(), /1\/6 in 6 namespaces +filter: flagger/);
		await press(r.stdin, keys.ENTER);
		assert.deepEqual(opened, ['canary/deploy/checkout', 'flagger/canary/podinfo']);
	});

	test('never larger than the terminal; before the first list it says it is listing', async () => {
		for (const [columns, height] of [[40, 10], [80, 24], [120, 12], [200, 50]] as const) {
			const r = await show(clusterWith(rows()), columns, height);
			const size = fits(r.frame(), columns, height);
			assert.ok(size.ok, `${columns}x${height}: ${size.widest}x${size.lines}\n${r.frame()}`);
		}
		const empty = new ClusterStore(initialClusterState('prod-eu'), 0);
		const r = await show(empty, 100, 20);
		assert.match(r.frame(), /listing every namespace…/);
		empty.dispatch({type: 'rows', rows: [], namespaces: 0, loaded: true});
		await waitFor(() => assert.match(r.frame(), /no releases found in any namespace/));
	});
});

describe('a release opened from the list', () => {
	test('esc goes back once nothing else is open (help, a filter); the footer says so', async () => {
		let back = 0;
		const r = renderAt(<App store={storeWith(canaryRelease())} width={160} height={40} onQuit={() => {}} onBack={() => back++} />, 160, 40);
		mounted.push(r);
		await tick();
		assert.match(r.frame(), /esc all releases/);
		await press(r.stdin, '?');
		await press(r.stdin, keys.ESC);
		assert.equal(back, 0, 'esc closed the help first');
		await press(r.stdin, '/', 'x', keys.ENTER, keys.ESC);
		assert.equal(back, 0, 'esc cleared the filter first');
		await press(r.stdin, keys.ESC);
		assert.equal(back, 1);
	});

	test('without a list to go back to, esc does nothing more and the footer does not offer it', async () => {
		const r = renderAt(<App store={storeWith(canaryRelease())} width={160} height={40} onQuit={() => {}} />, 160, 40);
		mounted.push(r);
		await tick();
		assert.doesNotMatch(r.frame(), /all releases/);
	});
});
