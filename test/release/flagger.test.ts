// Flagger Canaries read into the release model: podinfo shaped like Flagger's own examples, progressive
// (stepWeight, stepWeights) and A/B (iterations), in several phases.
import assert from 'node:assert/strict';
import {describe, test} from 'node:test';
import {buildRelease} from '../../source/kinds/registry.js';
import {findReleases, resolveTarget} from '../../source/kinds/registry.js';
import type {Release} from '../../source/release/model.js';
import type {ClusterSnapshot} from '../../source/release/snapshot.js';
import {event} from './fixtures.js';
import {podinfoCanary, podinfoDeployments, podinfoRouting, progressiveSnapshot} from './argo-fixtures.js';

function open(snap: ClusterSnapshot, target: string): Release {
	const resolved = resolveTarget(snap, target);
	if ('error' in resolved) throw new Error(resolved.error);
	return buildRelease(snap, resolved.ref);
}

const progressive = {
	interval: '1m',
	threshold: 5,
	maxWeight: 50,
	stepWeight: 10,
	metrics: [
		{name: 'request-success-rate', thresholdRange: {min: 99}, interval: '1m'},
		{name: 'request-duration', thresholdRange: {max: 500}, interval: '30s'},
	],
	webhooks: [{name: 'load-test', url: 'http://flagger-loadtester.test/', timeout: '5s', metadata: {cmd: 'hey -z 1m -q 10 -c 2 http://podinfo-canary.test:9898/'}}],
};

describe('a progressing podinfo canary with failed checks', () => {
	const canary = podinfoCanary(progressive, {
		phase: 'Progressing',
		canaryWeight: 20,
		failedChecks: 2,
		iterations: 0,
		lastAppliedSpec: '5d8c4c6f8',
		lastPromotedSpec: '7b9f6d5c4',
		lastTransitionTime: '2025-06-01T11:58:00Z',
		conditions: [{type: 'Promoted', status: 'Unknown', reason: 'Progressing', message: 'New revision detected, progressing canary analysis.'}],
	});
	const objects = [
		canary,
		...podinfoDeployments('ghcr.io/stefanprodan/podinfo:6.0.1', 'ghcr.io/stefanprodan/podinfo:6.0.0', 2),
		...podinfoRouting(80, 20),
		event({kind: 'Canary', name: 'podinfo', reason: 'Synced', message: 'Advance podinfo.shop canary weight 20', last: 130}),
		event({kind: 'Canary', name: 'podinfo', reason: 'Synced', type: 'Warning', message: 'Halt podinfo.shop advancement success rate 95.00% < 99%', last: 70}),
		event({kind: 'Canary', name: 'podinfo', reason: 'Synced', type: 'Warning', message: 'Halt podinfo.shop advancement success rate 97.10% < 99%', last: 10}),
	];
	const snap = progressiveSnapshot(objects);
	const release = open(snap, 'canary/podinfo');

	test('is a flagger release: the primary is stable, the target is the canary', () => {
		assert.equal(release.kind, 'flagger');
		assert.equal(release.target, 'canary/podinfo');
		assert.deepEqual(release.versions.map(v => [v.id, v.role, v.images[0], v.pods, v.weight]), [
			['podinfo-primary', 'stable', 'ghcr.io/stefanprodan/podinfo:6.0.0', 2, 80],
			['podinfo', 'canary', 'ghcr.io/stefanprodan/podinfo:6.0.1', 2, 20],
		]);
		assert.deepEqual(release.traffic, {router: 'istio', object: 'VirtualService/podinfo', weights: {'podinfo-primary': 80, podinfo: 20}, managedBy: 'flagger'});
		assert.deepEqual(release.services, ['podinfo', 'podinfo-primary', 'podinfo-canary']);
	});

	test('shows the phase, weight against maxWeight, failed checks against the threshold, and the last halt', () => {
		const f = release.flagger!;
		assert.equal(f.phase, 'Progressing');
		assert.equal(f.canaryWeight, 20);
		assert.equal(f.maxWeight, 50);
		assert.equal(f.stepWeight, 10);
		assert.equal(f.failedChecks, 2);
		assert.equal(f.threshold, 5);
		assert.equal(f.iterations, 0);
		assert.equal(f.interval, '1m');
		assert.equal(f.message, 'New revision detected, progressing canary analysis.');
		assert.deepEqual(f.metrics, [{name: 'request-success-rate', min: 99, interval: '1m'}, {name: 'request-duration', max: 500, interval: '30s'}]);
		assert.equal(f.lastHalt, 'Halt podinfo.shop advancement success rate 97.10% < 99%');
		assert.equal(f.skipAnalysis, false);
		assert.equal(f.suspended, false);
		assert.deepEqual(release.events.map(e => e.message.slice(0, 30)), ['Halt podinfo.shop advancement ', 'Halt podinfo.shop advancement ', 'Advance podinfo.shop canary we']);
	});

	test('claims its Deployments: no canary pair or rolling release of podinfo besides it', () => {
		assert.deepEqual(findReleases(snap).map(r => [r.target, r.kind, r.inProgress]), [['canary/podinfo', 'flagger', true]]);
		for (const target of ['canary/podinfo', 'canaries/podinfo', 'canaries.flagger.app/podinfo', 'podinfo', 'deploy/podinfo', 'deploy/podinfo-primary']) {
			const resolved = resolveTarget(snap, target);
			assert.ok('ref' in resolved, target);
			assert.equal(resolved.ref.kind, 'flagger', target);
		}
		const nope = resolveTarget(snap, 'canary/nope');
		assert.ok('error' in nope && /no Flagger Canary named "nope"/.test(nope.error));
	});
});

describe('other phases and strategies', () => {
	test('Succeeded: all traffic on the primary, the target scaled to zero, not in progress', () => {
		const canary = podinfoCanary(progressive, {
			phase: 'Succeeded',
			canaryWeight: 0,
			failedChecks: 0,
			iterations: 0,
			conditions: [{type: 'Promoted', status: 'True', reason: 'Succeeded', message: 'Canary analysis completed successfully, promotion finished.'}],
		});
		const snap = progressiveSnapshot([canary, ...podinfoDeployments('podinfo:6.0.1', 'podinfo:6.0.1', 0), ...podinfoRouting(100, 0)]);
		const release = open(snap, 'podinfo');
		assert.equal(release.flagger?.phase, 'Succeeded');
		assert.deepEqual(release.traffic?.weights, {'podinfo-primary': 100, podinfo: 0});
		assert.equal(release.versions.find(v => v.role === 'canary')?.desired, 0);
		assert.equal(release.progress, undefined);
		assert.equal(findReleases(snap)[0]?.inProgress, false);
	});

	test('Failed: rolled back, with its checks at the threshold, listed as needing attention', () => {
		const canary = podinfoCanary(progressive, {
			phase: 'Failed',
			canaryWeight: 0,
			failedChecks: 5,
			iterations: 0,
			conditions: [{type: 'Promoted', status: 'False', reason: 'Failed', message: 'Canary analysis failed, Deployment scaled to zero.'}],
		});
		const snap = progressiveSnapshot([canary, ...podinfoDeployments('podinfo:6.0.2', 'podinfo:6.0.1', 0), ...podinfoRouting(100, 0),
			event({kind: 'Canary', name: 'podinfo', reason: 'Synced', type: 'Warning', message: 'Canary failed! Scaling down podinfo.shop', last: 5})]);
		const release = open(snap, 'canary/podinfo');
		assert.equal(release.flagger?.failedChecks, 5);
		assert.equal(release.flagger?.message, 'Canary analysis failed, Deployment scaled to zero.');
		assert.equal(release.flagger?.lastEvent, 'Canary failed! Scaling down podinfo.shop');
		assert.equal(findReleases(snap)[0]?.inProgress, true);
	});

	test('A/B testing: iterations against analysis.iterations, no weights', () => {
		const canary = podinfoCanary({interval: '1m', threshold: 10, iterations: 10, match: [{headers: {'x-canary': {regex: '.*insider.*'}}}], metrics: [{name: 'request-success-rate', threshold: 99}]}, {
			phase: 'Progressing',
			canaryWeight: 0,
			failedChecks: 0,
			iterations: 4,
		});
		const release = open(progressiveSnapshot([canary, ...podinfoDeployments('podinfo:6.0.1', 'podinfo:6.0.0', 2), ...podinfoRouting(100, 0)]), 'canary/podinfo');
		const f = release.flagger!;
		assert.equal(f.iterations, 4);
		assert.equal(f.maxIterations, 10);
		assert.equal(f.maxWeight, undefined);
		assert.deepEqual(f.metrics, [{name: 'request-success-rate', min: 99}]);
	});

	test('stepWeights: the max weight is the last step; skipAnalysis and suspend are shown', () => {
		const canary = podinfoCanary({interval: '30s', threshold: 3, stepWeights: [1, 2, 10, 80], metrics: []}, {phase: 'Progressing', canaryWeight: 10, failedChecks: 0, iterations: 0}, {skipAnalysis: true, suspend: true});
		const release = open(progressiveSnapshot([canary, ...podinfoDeployments('podinfo:6.0.1', 'podinfo:6.0.0', 2), ...podinfoRouting(90, 10)]), 'canary/podinfo');
		const f = release.flagger!;
		assert.deepEqual(f.stepWeights, [1, 2, 10, 80]);
		assert.equal(f.maxWeight, 80);
		assert.equal(f.skipAnalysis, true);
		assert.equal(f.suspended, true);
		assert.equal(release.progress?.paused, true);
	});
});
