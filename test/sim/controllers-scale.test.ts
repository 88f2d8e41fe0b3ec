import assert from 'node:assert/strict';
import {test} from 'node:test';
import {SimClock} from '../../source/sim/clock.js';
import {startControllers} from '../../source/sim/controllers/index.js';
import {ObjectStore} from '../../source/sim/store.js';

const ns = 'big';

async function waitFor(cond: () => boolean, timeoutMs: number, what: string): Promise<void> {
	const end = Date.now() + timeoutMs;
	while (!cond()) {
		if (Date.now() > end) assert.fail(`timed out waiting for ${what}`);
		await new Promise(r => setTimeout(r, 20));
	}
}

test('thousands of pods become Ready and roll over to a new image', async t => {
	const replicas = 1500;
	const store = new ObjectStore();
	const clock = new SimClock(20);
	const errors: unknown[] = [];
	const controllers = startControllers(store, clock, {onError: e => errors.push(e)});
	t.after(() => {
		controllers.stop();
		clock.stop();
	});
	store.create('namespaces', {metadata: {name: ns}});
	store.create('apps/deployments', {
		metadata: {name: 'web', namespace: ns},
		spec: {replicas, selector: {matchLabels: {app: 'web'}}, template: {metadata: {labels: {app: 'web'}}, spec: {containers: [{name: 'web', image: 'app:v1'}]}}},
	});
	const done = (image: string) => {
		const d = store.get('apps/deployments', ns, 'web')!;
		const s = d.status ?? {};
		return d.spec.template.spec.containers[0].image === image && s.observedGeneration === d.metadata.generation
			&& s.updatedReplicas === replicas && s.replicas === replicas && s.availableReplicas === replicas
			&& s.conditions?.some((c: any) => c.type === 'Progressing' && c.reason === 'NewReplicaSetAvailable');
	};
	await waitFor(() => done('app:v1'), 30_000, `${replicas} Ready pods`);
	assert.equal(store.list('pods', ns).length, replicas);
	assert.ok(store.list('events', ns).length <= 1000, 'events are capped per namespace');

	store.mutate('apps/deployments', ns, 'web', d => {
		d.spec.template.spec.containers[0].image = 'app:v2';
	});
	await waitFor(() => done('app:v2'), 60_000, 'rollout to v2');
	await waitFor(() => store.list('pods', ns).length === replicas, 10_000, 'old pods gone');
	assert.ok(store.list('pods', ns).every(p => p.spec.containers[0].image === 'app:v2'));
	assert.deepEqual(errors, []);
});
