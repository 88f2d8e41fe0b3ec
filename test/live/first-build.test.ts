// The release watch's first build comes from the lists and watches arriving, not from a timer: the first frame
// waits for it. Its own file: setTimeout is mocked here, for the sim and the client too.
import assert from 'node:assert/strict';
import {test} from 'node:test';
import {KubeClient} from '../../source/kube/client.js';
import {watchRelease} from '../../source/live/release-watch.js';
import {initialState} from '../../source/store/state.js';
import {Store} from '../../source/store/store.js';
import {startTestSim, waitFor} from '../helpers/sim.js';

test('the first release is built as soon as what it waits for has listed and is watched, with no timer firing', async ctx => {
	const t = await startTestSim({scenario: 'canary'});
	const ready = () => t.sim.store.list('pods', 'canary').filter(p => (p.status?.conditions ?? []).some((c: {type: string; status: string}) => c.type === 'Ready' && c.status === 'True'));
	await waitFor('the canary pair\'s six pods ready', () => ready().length === 6, 30_000);
	const client = KubeClient.fromString(t.sim.kubeconfig('canary'), 'canary');
	const store = new Store(initialState('sim', 'canary', 'deploy/checkout'), 0);
	// From here on no setTimeout fires (the watch's, the client's or the sim's): the first build can only come
	// from the lists and watches arriving. Ten seconds are counted on setInterval, which stays real.
	ctx.mock.timers.enable({apis: ['setTimeout']});
	const watch = watchRelease(client, store);
	let ticks = 0;
	const clock = setInterval(() => ticks++, 100);
	try {
		await Promise.race([watch.loaded, new Promise<void>(resolve => setInterval(() => ticks > 100 && resolve(), 100).unref())]);
		assert.ok(ticks <= 100, `no release within 10 s; the connection: ${JSON.stringify(store.getState().connection)}`);
		const release = store.getState().release;
		assert.ok(release, 'the release');
		const held = watch.snapshot().pods.map(p => p.metadata.name!).sort();
		assert.equal(held.length, 6, 'the canary pair\'s six pods');
		assert.deepEqual(release.pods.map(p => p.name).sort(), held);
		assert.equal(store.getState().connection.state, 'live', 'drawn live: its watches are open');
	} finally {
		clearInterval(clock);
		watch.stop();
		store.close();
		// The timers set while mocked fire now, so that nothing waits on them, then setTimeout is real again.
		ctx.mock.timers.runAll();
		ctx.mock.timers.reset();
		await client.close();
		await t.stop();
	}
});
