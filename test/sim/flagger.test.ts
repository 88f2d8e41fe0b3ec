// The simulated Flagger controller, in process: initialisation, the analysis loop, failed checks and
// rollback, promotion, skipAnalysis and suspend.
import assert from 'node:assert/strict';
import {after, describe, test} from 'node:test';
import {SimClock} from '../../source/sim/clock.js';
import {startControllers} from '../../source/sim/controllers/index.js';
import {iterationMode, maxWeightOf, nextWeight, runChecks} from '../../source/sim/controllers/flagger.js';
import {loadScenario} from '../../source/sim/scenarios.js';
import {ObjectStore} from '../../source/sim/store.js';
import {waitFor} from '../helpers/sim.js';

const CANARY = 'flagger.app/canaries';
const NS = 'flagger';

describe('pure helpers', () => {
	test('weights: stepWeight up to maxWeight, or along stepWeights', () => {
		assert.equal(nextWeight({stepWeight: 10, maxWeight: 50}, 0), 10);
		assert.equal(nextWeight({stepWeight: 20, maxWeight: 50}, 40), 50);
		assert.equal(nextWeight({stepWeights: [1, 2, 10, 80]}, 2), 10);
		assert.equal(maxWeightOf({stepWeights: [1, 2, 10, 80]}), 80);
		assert.equal(iterationMode({iterations: 10, threshold: 2}), true);
		assert.equal(iterationMode({iterations: 10, stepWeight: 5}), false);
	});

	test('checks: success rate against its minimum, duration against its maximum', () => {
		const metrics = [{name: 'request-success-rate', thresholdRange: {min: 99}}, {name: 'request-duration', thresholdRange: {max: 500}}];
		assert.deepEqual(runChecks(metrics, 0.001, 45, 'podinfo.test').map(c => c.ok), [true, true]);
		const bad = runChecks(metrics, 0.05, 700, 'podinfo.test');
		assert.deepEqual(bad.map(c => c.ok), [false, false]);
		assert.equal(bad[0]!.message, 'Halt podinfo.test advancement success rate 95.00% < 99%');
		assert.equal(bad[1]!.message, 'Halt podinfo.test advancement request duration 700ms > 500ms');
	});
});

describe('flagger: a Canary on deploy/podinfo', () => {
	const store = new ObjectStore();
	const clock = new SimClock(40);
	const errors: unknown[] = [];
	loadScenario(store, 'flagger');
	const controllers = startControllers(store, clock, {onError: e => errors.push(e)});
	after(() => {
		controllers.stop();
		clock.stop();
	});
	const canary = () => store.mustGet(CANARY, NS, 'podinfo');
	const target = () => store.mustGet('apps/deployments', NS, 'podinfo');
	const vsWeights = () => store.mustGet('networking.istio.io/virtualservices', NS, 'podinfo').spec.http[0].route.map((r: any) => [r.destination.host, r.weight]);
	const setTemplate = (image: string, errorRate?: string) =>
		store.mutate('apps/deployments', NS, 'podinfo', d => {
			d.spec.template.spec.containers[0].image = image;
			if (errorRate !== undefined) d.spec.template.metadata.annotations['sim.rollscope.dev/error-rate'] = errorRate;
		});

	test('initialises: the primary takes over, Services and the VirtualService appear, the target scales to zero', async () => {
		await waitFor('Initialized', () => canary().status?.phase === 'Initialized');
		const primary = store.mustGet('apps/deployments', NS, 'podinfo-primary');
		assert.deepEqual(primary.spec.selector.matchLabels, {app: 'podinfo-primary'});
		assert.equal(primary.metadata.ownerReferences?.[0]?.kind, 'Canary');
		assert.equal(target().spec.replicas, 0);
		assert.deepEqual(store.mustGet('services', NS, 'podinfo').spec.selector, {app: 'podinfo-primary'});
		assert.deepEqual(store.mustGet('services', NS, 'podinfo-canary').spec.selector, {app: 'podinfo'});
		assert.deepEqual(vsWeights(), [['podinfo-primary', 100], ['podinfo-canary', 0]]);
		const s = canary().status;
		assert.equal(s.lastAppliedSpec, s.lastPromotedSpec);
		assert.deepEqual(s.conditions.map((c: any) => [c.type, c.status, c.reason]), [['Promoted', 'True', 'Initialized']]);
	});

	test('a new revision advances by stepWeight to maxWeight, then promotes into the primary', async () => {
		setTemplate('registry.local/podinfo:6.6.0');
		await waitFor('Progressing', () => canary().status?.phase === 'Progressing');
		assert.equal(target().spec.replicas, 2);
		const seen = new Set<number>();
		await waitFor('Succeeded', () => {
			seen.add(canary().status?.canaryWeight);
			return canary().status?.phase === 'Succeeded';
		}, 30_000, 10);
		assert.ok([10, 20, 30, 40, 50].every(w => seen.has(w)), `weights seen: ${[...seen].join(',')}`);
		assert.equal(store.mustGet('apps/deployments', NS, 'podinfo-primary').spec.template.spec.containers[0].image, 'registry.local/podinfo:6.6.0');
		assert.deepEqual(vsWeights(), [['podinfo-primary', 100], ['podinfo-canary', 0]]);
		assert.equal(target().spec.replicas, 0);
		assert.equal(canary().status.lastPromotedSpec, canary().status.lastAppliedSpec);
	});

	test('a bad canary fails checks until the threshold, then rolls back', async () => {
		setTemplate('registry.local/podinfo:6.7.0', '0.2');
		await waitFor('a failed check', () => (canary().status?.failedChecks ?? 0) >= 1, 30_000);
		await waitFor('Failed', () => canary().status?.phase === 'Failed', 30_000);
		assert.equal(canary().status.failedChecks, 5);
		assert.equal(canary().status.canaryWeight, 0);
		assert.deepEqual(vsWeights(), [['podinfo-primary', 100], ['podinfo-canary', 0]]);
		assert.equal(store.mustGet('apps/deployments', NS, 'podinfo-primary').spec.template.spec.containers[0].image, 'registry.local/podinfo:6.6.0');
		const halts = store.list('events', NS).filter(e => /^Halt podinfo\.flagger advancement success rate 80\.00% < 99%$/.test(e.message));
		assert.ok(halts.length > 0);
	});

	test('suspend freezes the analysis; skipAnalysis promotes without it', async () => {
		setTemplate('registry.local/podinfo:6.8.0', '0.001');
		await waitFor('weight 10', () => canary().status?.canaryWeight === 10, 30_000);
		store.mutate(CANARY, NS, 'podinfo', c => {
			c.spec.suspend = true;
		});
		await new Promise(r => setTimeout(r, clock.toMs(35)));
		const held = canary().status.canaryWeight;
		assert.ok(held === 10 || held === 20, `held at ${held}`);
		await new Promise(r => setTimeout(r, clock.toMs(30)));
		assert.equal(canary().status.canaryWeight, held);
		store.mutate(CANARY, NS, 'podinfo', c => {
			c.spec.suspend = false;
			c.spec.skipAnalysis = true;
		});
		await waitFor('Succeeded', () => canary().status?.phase === 'Succeeded', 30_000);
		assert.equal(store.mustGet('apps/deployments', NS, 'podinfo-primary').spec.template.spec.containers[0].image, 'registry.local/podinfo:6.8.0');
		assert.deepEqual(errors, []);
	});
});
