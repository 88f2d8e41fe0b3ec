// Weights of releases with more than two versions, and of a canary reached only by a header, set through the
// view's action controller against the sim: the focused version gets the weight, every version's old → new is
// in the confirmation, the patch is exact, and the router object ends as planned. Each test has a sim of its own.
import assert from 'node:assert/strict';
import {describe, test} from 'node:test';
import {startTestSim, waitFor, type TestSim} from '../helpers/sim.js';
import {confirmation, openActions, settled, type Opened} from './helpers.js';

/** A sim of one scenario for one test (stopped when it ends), its Deployments rolled out. */
async function simOf(context: {after: (fn: () => Promise<void>) => void}, scenario: string): Promise<TestSim> {
	const t = await startTestSim({scenario});
	context.after(() => t.stop());
	await settled(t.sim, scenario);
	return t;
}

describe('weights of several versions, on the sim', () => {
	const vsWeights = (t: TestSim) => {
		const vs = t.sim.store.get('networking.istio.io/virtualservices', 'bookinfo', 'reviews')!;
		return vs.spec.http[1].route.map((r: {destination: {subset: string}; weight: number}) => `${r.destination.subset} ${r.weight}`);
	};

	test('bookinfo: 3 on the focused v3 gives it 30%, v1 takes the rest, v2 keeps 10%; the header route stays', async context => {
		const t = await simOf(context, 'bookinfo');
		const o: Opened = await openActions(t, 'bookinfo', 'deploy/reviews-v1');
		try {
			const release = o.store.getState().release!;
			assert.deepEqual(release.versions.map(v => `${v.id} ${v.role} ${v.weight}`), ['reviews-v1 stable 80', 'reviews-v2 canary 10', 'reviews-v3 canary 10']);
			assert.deepEqual(release.traffic?.routes, [{version: 'reviews-v2', match: 'header end-user=jason'}]);
			const c = confirmation(o.controller.handle({name: 'setWeight', digit: 3}, {version: 'reviews-v3'}));
			assert.equal(c.title, 'set the weight of reviews-v3: 10% → 30%');
			assert.deepEqual(c.lines, ['VirtualService/reviews: reviews-v1 80% → 60%, reviews-v2 10% → 10%, reviews-v3 10% → 30%']);
			assert.equal(c.onConfirm(), undefined);
			await waitFor('the weights written', () => vsWeights(t).join(', ') === 'v1 60, v2 10, v3 30');
			const vs = t.sim.store.get('networking.istio.io/virtualservices', 'bookinfo', 'reviews')!;
			assert.deepEqual(vs.spec.http[0], {match: [{headers: {'end-user': {exact: 'jason'}}}], route: [{destination: {host: 'reviews', subset: 'v2'}}]});
			await waitFor('the view shows it', () => o.store.getState().release?.versions.map(v => v.weight).join(' ') === '60 10 30');
			// Without a focus the keys act on the first canary.
			const first = confirmation(o.controller.handle({name: 'setWeight', digit: 2}));
			assert.equal(first.title, 'set the weight of reviews-v2: 10% → 20%');
		} finally {
			o.stop();
		}
	});

	test('a header canary at 0 %: 1 gives it 10% with a backendRef of its own in the weighted rule', async context => {
		const t = await simOf(context, 'header-canary');
		const o = await openActions(t, 'header-canary', 'deploy/search');
		try {
			const c = confirmation(o.controller.handle({name: 'setWeight', digit: 1}));
			assert.deepEqual(c.lines, ['HTTPRoute/search: search 100% → 90%, search-canary 0% → 10%']);
			assert.equal(c.onConfirm(), undefined);
			await waitFor('the canary at 10%', () => o.store.getState().release?.traffic?.weights['search-canary'] === 10);
			const route = t.sim.store.get('gateway.networking.k8s.io/httproutes', 'header-canary', 'search')!;
			assert.deepEqual(route.spec.rules[1].backendRefs, [
				{group: '', kind: 'Service', name: 'search-stable', port: 80, weight: 90},
				{group: '', kind: 'Service', name: 'search-canary', port: 80, weight: 10},
			]);
			assert.deepEqual(o.store.getState().release?.traffic?.routes, [{version: 'search-canary', match: 'header x-canary=always'}]);
		} finally {
			o.stop();
		}
	});
});
