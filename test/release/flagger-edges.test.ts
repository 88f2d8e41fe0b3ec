// A Flagger Canary at the edges: metrics and weights of the wrong type, the deprecated threshold beside one
// bound, events ordered by time before name, a Canary without status or spec, one Deployment of the two
// missing, an object named like the Service that is no VirtualService, one that routes elsewhere, pods in order.
import assert from 'node:assert/strict';
import {test} from 'node:test';
import type {KObject} from '../../source/kube/object.js';
import {buildCanaryRelease, detectFlaggerCanaries, flaggerInfo} from '../../source/release/flagger.js';
import {scanSnapshot} from '../../source/release/scan.js';
import {podinfoCanary, podinfoDeployments, podinfoRouting, progressiveSnapshot} from './argo-fixtures.js';
import {event, NAMESPACE} from './fixtures.js';

test('flaggerInfo: numbers only where numbers belong; the deprecated threshold only without either bound', () => {
	const canary = podinfoCanary(
		{
			metrics: [
				null,
				{name: 'request-success-rate', thresholdRange: {min: '99'}, threshold: 97},
				{name: 'request-duration', thresholdRange: {min: 1}, threshold: 400},
				{name: 'request-success-rate', thresholdRange: {max: 100}, threshold: 90},
				{name: 'error-rate', thresholdRange: {}, threshold: '5'},
				{name: 'nan', thresholdRange: {min: Number.NaN, max: Number.POSITIVE_INFINITY}, threshold: Number.NaN},
				{name: 'interval', interval: ''},
			],
			stepWeight: '10',
			maxWeight: '50',
			threshold: '5',
			iterations: Number.POSITIVE_INFINITY,
		},
		{phase: 'Progressing', canaryWeight: '20', failedChecks: Number.POSITIVE_INFINITY, iterations: '3'},
	);
	const info = flaggerInfo(canary, [], NAMESPACE);
	assert.deepEqual(info.metrics, [
		{name: ''},
		{name: 'request-success-rate', min: 97},
		{name: 'request-duration', min: 1},
		{name: 'request-success-rate', max: 100},
		{name: 'error-rate'},
		{name: 'nan'},
		{name: 'interval'},
	]);
	assert.deepEqual([info.canaryWeight, info.failedChecks, info.iterations, info.stepWeight, info.maxWeight, info.threshold, info.maxIterations], [0, 0, 0, undefined, undefined, undefined, undefined]);
	const infinite = flaggerInfo(podinfoCanary({stepWeight: Number.POSITIVE_INFINITY}, {canaryWeight: Number.NEGATIVE_INFINITY}), [], NAMESPACE);
	assert.deepEqual([infinite.canaryWeight, infinite.stepWeight, infinite.maxWeight], [0, undefined, undefined]);
});

test('flaggerInfo: the newest event first, by time before name; a halt is a message that starts with it', () => {
	const canary = podinfoCanary({}, {phase: 'Progressing'});
	const at = (id: string, message: string, last: number) => event({kind: 'Canary', name: 'podinfo', reason: 'Synced', message, last, id});
	const info = flaggerInfo(canary, [at('a-new', 'Advance podinfo.shop canary weight 30', 10), at('z-old', 'Halt advancement podinfo.shop request-duration 900 > 500', 60), at('m-mid', 'Canary failed! Halt advancement podinfo.shop is not ready', 30)], NAMESPACE);
	assert.deepEqual([info.lastEvent, info.lastHalt], ['Advance podinfo.shop canary weight 30', 'Halt advancement podinfo.shop request-duration 900 > 500']);
	const same = flaggerInfo(canary, [at('a', 'first by name', 10), at('b', 'last by name', 10)], NAMESPACE);
	assert.equal(same.lastEvent, 'last by name', 'at the same time, the name last in order');
	const untimed: KObject = {kind: 'Event', metadata: {name: 'zz'}, involvedObject: {kind: 'Canary', name: 'podinfo'}, message: 'no time'};
	assert.equal(flaggerInfo(canary, [untimed, at('a', 'timed', 10)], NAMESPACE).lastEvent, 'timed');
});

test('detectFlaggerCanaries: a Canary without status is Initializing, so in progress', () => {
	const fresh = podinfoCanary({}, {});
	delete fresh.status;
	const found = detectFlaggerCanaries(scanSnapshot(progressiveSnapshot([fresh])), new Set());
	assert.deepEqual(found.map(r => [r.target, r.inProgress, r.deployments, r.services]), [['canary/podinfo', true, [], []]]);
});

function build(objects: KObject[], canary = podinfoCanary({}, {phase: 'Progressing', canaryWeight: 20})) {
	const snap = progressiveSnapshot([canary, ...objects]);
	return buildCanaryRelease(snap, scanSnapshot(snap), canary, 'canary/podinfo');
}

test('buildCanaryRelease: the primary\'s pods before the target\'s; the Services in Flagger\'s order; the Events of the VirtualService too', () => {
	const vsEvent = event({kind: 'VirtualService', name: 'podinfo', reason: 'Updated', last: 5});
	const canaryEvent = event({kind: 'Canary', name: 'podinfo', reason: 'Synced', message: 'Advance podinfo.shop canary weight 20', last: 1});
	const serviceEvent = event({kind: 'Service', name: 'podinfo-canary', reason: 'Synced', last: 3});
	const routing = podinfoRouting(80, 20);
	// The pods listed target first and each Deployment's backwards: the Release orders them.
	const deployments = podinfoDeployments('podinfo:2', 'podinfo:1', 2);
	const pods = deployments.filter(o => o.kind === 'Pod').reverse();
	const release = build([...deployments.filter(o => o.kind !== 'Pod'), ...pods, ...routing.reverse(), vsEvent, canaryEvent, serviceEvent]);
	assert.deepEqual(release.pods.map(p => `${p.version} ${p.name}`), ['podinfo-primary podinfo-primary-5b8d4c-a', 'podinfo-primary podinfo-primary-5b8d4c-b', 'podinfo podinfo-7c9f5d-c0', 'podinfo podinfo-7c9f5d-c1']);
	assert.deepEqual(release.services, ['podinfo', 'podinfo-primary', 'podinfo-canary']);
	assert.deepEqual(release.events.map(e => `${e.object} ${e.reason}`), ['Canary/podinfo Synced', 'Service/podinfo-canary Synced', 'VirtualService/podinfo Updated']);
	assert.deepEqual(release.traffic, {router: 'istio', object: 'VirtualService/podinfo', weights: {'podinfo-primary': 80, podinfo: 20}, managedBy: 'flagger'});
});

test('buildCanaryRelease: without the primary or the target, the other alone with its weight; nothing read from a VirtualService then', () => {
	const [target, primary, ...rest] = podinfoDeployments('podinfo:2', 'podinfo:1', 1);
	const noPrimary = build([target!, ...rest, ...podinfoRouting(80, 20)]);
	assert.deepEqual(noPrimary.versions.map(v => `${v.id} ${v.role} ${v.weight}`), ['podinfo canary 20']);
	assert.deepEqual(noPrimary.traffic, {router: 'istio', weights: {podinfo: 20}, managedBy: 'flagger'});
	const noTarget = build([primary!, ...rest, ...podinfoRouting(80, 20)]);
	assert.deepEqual(noTarget.versions.map(v => `${v.id} ${v.role} ${v.weight}`), ['podinfo-primary stable 80']);
	assert.deepEqual(noTarget.traffic, {router: 'istio', weights: {'podinfo-primary': 80}, managedBy: 'flagger'});
	assert.equal(noTarget.progress, undefined, 'no target: no progress to show');
	const neither = build([]);
	assert.deepEqual([neither.versions, neither.pods, neither.traffic], [[], [], {router: 'istio', weights: {}, managedBy: 'flagger'}]);
});

test('buildCanaryRelease: only a VirtualService named for the Service is read, and only when it routes to the primary and canary', () => {
	const deployments = podinfoDeployments('podinfo:2', 'podinfo:1', 1);
	const [, , , vs] = podinfoRouting(70, 30);
	const fromStatus = {router: 'istio', weights: {'podinfo-primary': 80, podinfo: 20}, managedBy: 'flagger'};
	const rule: KObject = {apiVersion: 'networking.istio.io/v1beta1', kind: 'DestinationRule', metadata: {name: 'podinfo', namespace: NAMESPACE}, spec: {host: 'podinfo'}};
	assert.deepEqual(build([...deployments, rule]).traffic, fromStatus, 'a DestinationRule of the same name');
	assert.deepEqual(build([...deployments, {...vs!, metadata: {...vs!.metadata, name: 'podinfo-other'}}]).traffic, fromStatus, 'a VirtualService of another name');
	const elsewhere: KObject = {...vs!, spec: {hosts: ['podinfo'], http: [{route: [{destination: {host: 'somewhere'}, weight: 100}]}]}};
	assert.deepEqual(build([...deployments, elsewhere]).traffic, fromStatus, 'one that routes to neither');
	const front = podinfoCanary({}, {phase: 'Progressing', canaryWeight: 20}, {service: {name: 'front', port: 80}});
	assert.deepEqual(build([...deployments, vs!], front).traffic, fromStatus, 'the Service is named front: the VirtualService podinfo is not the Canary\'s');
});

test('buildCanaryRelease: a Canary with no spec is an empty Initializing release', () => {
	const canary: KObject = {apiVersion: 'flagger.app/v1beta1', kind: 'Canary', metadata: {name: 'podinfo', namespace: NAMESPACE}};
	const release = build(podinfoDeployments('podinfo:2', 'podinfo:1', 1), canary);
	assert.deepEqual([release.versions, release.services, release.traffic, release.flagger?.phase, release.progress], [[], [], {router: 'istio', weights: {}, managedBy: 'flagger'}, 'Initializing', undefined]);
});
