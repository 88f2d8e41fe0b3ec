// Reading a Flagger Canary, literal: its analysis (weights, limits, metrics with their thresholds, the last
// halt and word from its events), detection with the Deployments it claims, and the traffic split for each
// provider, from the VirtualService it owns when there is one.
import assert from 'node:assert/strict';
import {test} from 'node:test';
import {buildCanaryRelease, canaryServiceName, canaryTargetName, detectFlaggerCanaries, FLAGGER_ACTIVE_PHASES, flaggerInfo} from '../../source/release/flagger.js';
import type {KObject} from '../../source/kube/object.js';
import {scanSnapshot} from '../../source/release/scan.js';
import {podinfoCanary, podinfoDeployments, podinfoRouting, progressiveSnapshot, svc} from './argo-fixtures.js';
import {event, NAMESPACE} from './fixtures.js';

const analysis = {interval: '1m', threshold: 5, maxWeight: 50, stepWeight: 10, metrics: []};

test('the target and the Service name Flagger generates', () => {
	assert.equal(canaryTargetName(podinfoCanary({}, {})), 'podinfo');
	assert.equal(canaryTargetName({metadata: {name: 'c'}, spec: {targetRef: {name: ''}}}), undefined);
	assert.equal(canaryTargetName({metadata: {name: 'c'}, spec: {targetRef: {name: 7}}}), undefined);
	assert.equal(canaryServiceName(podinfoCanary({}, {}, {service: {name: 'front', port: 80}})), 'front');
	assert.equal(canaryServiceName(podinfoCanary({}, {}, {service: {name: '', port: 80}})), 'podinfo');
	assert.equal(canaryServiceName(podinfoCanary({}, {}, {service: {port: 80}})), 'podinfo');
	assert.equal(canaryServiceName({metadata: {name: 'c'}}), undefined);
	assert.deepEqual([...FLAGGER_ACTIVE_PHASES], ['Initializing', 'Waiting', 'Progressing', 'WaitingPromotion', 'Promoting', 'Finalising']);
});

test('flaggerInfo: the analysis and its metrics, with the deprecated threshold read as Flagger reads it', () => {
	const canary = podinfoCanary(
		{
			interval: '30s',
			threshold: 3,
			iterations: 10,
			stepWeights: [1, 'x', 5, 20],
			stepWeight: 5,
			metrics: [
				{name: 'request-success-rate', thresholdRange: {min: 99}, interval: '1m'},
				{name: 'request-duration', thresholdRange: {max: 500}},
				{name: 'request-success-rate', threshold: 98},
				{name: 'latency', threshold: 300},
				{name: 'both', thresholdRange: {min: 1, max: 2}, threshold: 7},
				{name: 'none'},
			],
		},
		{phase: 'Progressing', canaryWeight: 12.5, failedChecks: 2.9, iterations: 4, lastTransitionTime: '2025-06-01T11:50:00Z', conditions: [{type: 'Promoted', status: 'Unknown', message: 'New revision detected'}]},
		{skipAnalysis: true, suspend: true},
	);
	assert.deepEqual(flaggerInfo(canary, [], NAMESPACE), {
		name: 'podinfo',
		phase: 'Progressing',
		target: 'podinfo',
		primary: 'podinfo-primary',
		canaryWeight: 12.5,
		failedChecks: 2,
		iterations: 4,
		skipAnalysis: true,
		suspended: true,
		metrics: [
			{name: 'request-success-rate', min: 99, interval: '1m'},
			{name: 'request-duration', max: 500},
			{name: 'request-success-rate', min: 98},
			{name: 'latency', max: 300},
			{name: 'both', min: 1, max: 2},
			{name: 'none'},
		],
		stepWeights: [1, 5, 20],
		stepWeight: 5,
		maxWeight: 20,
		threshold: 3,
		maxIterations: 10,
		interval: '30s',
		lastTransitionTime: '2025-06-01T11:50:00Z',
		message: 'New revision detected',
	});
	const bare = flaggerInfo({metadata: {name: 'c'}}, [], NAMESPACE);
	assert.deepEqual(bare, {name: 'c', phase: 'Initializing', target: '', primary: '-primary', canaryWeight: 0, failedChecks: 0, iterations: 0, skipAnalysis: false, suspended: false, metrics: []});
	const maxWeight = (a: Record<string, unknown>) => flaggerInfo(podinfoCanary(a, {}), [], NAMESPACE).maxWeight;
	assert.deepEqual([maxWeight({maxWeight: 30, stepWeight: 10}), maxWeight({stepWeight: 10}), maxWeight({stepWeights: [2, 8, 4]}), maxWeight({})], [30, 100, 8, undefined]);
	assert.equal(flaggerInfo({metadata: {name: 'c'}, spec: {canaryAnalysis: {threshold: 2}}}, [], NAMESPACE).threshold, 2, 'the old field name');
	assert.equal(flaggerInfo({metadata: {name: 'c'}, spec: {analysis: {threshold: 2.5, iterations: '3'}}}, [], NAMESPACE).threshold, 2.5, 'threshold must be a number');
	assert.equal(flaggerInfo({metadata: {name: 'c'}, spec: {analysis: {iterations: '3'}}}, [], NAMESPACE).maxIterations, undefined);
	assert.equal(flaggerInfo(podinfoCanary(analysis, {conditions: [{type: 'Ready', status: 'True', message: 'x'}]}), [], NAMESPACE).message, undefined, 'only the Promoted condition speaks');
});

test('flaggerInfo: the last word and the last halt, from the Canary\'s own events, newest first', () => {
	const canary = podinfoCanary(analysis, {phase: 'Progressing'});
	const mine = (reason: string, message: string, last: number, o: {name?: string; kind?: string; namespace?: string} = {}) => {
		const e = event({kind: o.kind ?? 'Canary', name: o.name ?? 'podinfo', reason, message, last});
		if (o.namespace) e.involvedObject.namespace = o.namespace;
		return e;
	};
	const events = [
		mine('Synced', 'Halt advancement podinfo.shop request-success-rate 95.00 < 99', 120),
		mine('Synced', 'Halt advancement podinfo.shop request-duration 900 > 500', 60),
		mine('Synced', 'Advance podinfo.shop canary weight 20', 30),
		mine('Synced', 'Halted advancement of something else', 10),
		mine('Synced', 'newer but not ours', 5, {name: 'other'}),
		mine('Synced', 'newer but a Deployment', 5, {kind: 'Deployment'}),
		mine('Synced', 'newer in another namespace', 5, {namespace: 'elsewhere'}),
	];
	const info = flaggerInfo(canary, events, NAMESPACE);
	assert.deepEqual([info.lastEvent, info.lastHalt], ['Halted advancement of something else', 'Halt advancement podinfo.shop request-duration 900 > 500']);
	// Events of events.k8s.io/v1 name what they regard and carry a note.
	const v1: KObject = {apiVersion: 'events.k8s.io/v1', kind: 'Event', metadata: {name: 'n1', namespace: NAMESPACE}, regarding: {kind: 'Canary', name: 'podinfo'}, note: 'Starting canary analysis for podinfo.shop', eventTime: new Date(Date.parse('2025-06-01T12:00:00Z')).toISOString()};
	assert.equal(flaggerInfo(canary, [...events, v1], NAMESPACE).lastEvent, 'Starting canary analysis for podinfo.shop');
	assert.equal(flaggerInfo(canary, [], NAMESPACE).lastEvent, undefined);
});

test('detectFlaggerCanaries: each Canary by name with its primary and target, claimed; in progress while active or failed', () => {
	const objects = [
		podinfoCanary(analysis, {phase: 'Succeeded'}),
		{...podinfoCanary(analysis, {phase: 'Failed'}), metadata: {name: 'b-failed', namespace: NAMESPACE}},
		{...podinfoCanary(analysis, {}), metadata: {name: 'a-new', namespace: NAMESPACE}, spec: {targetRef: {name: 'absent'}}},
		{...podinfoCanary(analysis, {phase: 'Progressing'}), metadata: {name: 'c-front', namespace: NAMESPACE}, spec: {targetRef: {name: 'podinfo'}, service: {name: 'front'}}},
		...podinfoDeployments('podinfo:2', 'podinfo:1', 1),
		svc('podinfo', {app: 'podinfo-primary'}),
		svc('podinfo-canary', {app: 'podinfo'}),
		svc('front-primary', {app: 'podinfo-primary'}),
	];
	const claimed = new Set<KObject>();
	const found = detectFlaggerCanaries(scanSnapshot(progressiveSnapshot(objects)), claimed);
	assert.deepEqual(
		found.map(r => [r.target, r.deployments, r.services, r.inProgress, r.members.map(m => `${m.deployment.metadata.name} ${m.role}`)]),
		[
			['canary/a-new', [], [], true, []],
			['canary/b-failed', ['podinfo-primary', 'podinfo'], ['podinfo', 'podinfo-canary'], true, ['podinfo-primary stable', 'podinfo canary']],
			['canary/c-front', ['podinfo-primary', 'podinfo'], ['front-primary'], true, ['podinfo-primary stable', 'podinfo canary']],
			['canary/podinfo', ['podinfo-primary', 'podinfo'], ['podinfo', 'podinfo-canary'], false, ['podinfo-primary stable', 'podinfo canary']],
		],
	);
	assert.deepEqual([...claimed].map(d => d.metadata.name).sort(), ['podinfo', 'podinfo-primary']);
	assert.deepEqual(detectFlaggerCanaries(scanSnapshot({...progressiveSnapshot([]), canaries: undefined}), new Set()), []);
});

test('buildCanaryRelease: weights from the VirtualService the Canary owns, else its status under the provider\'s router', () => {
	const build = (provider: string | undefined, routing: KObject[], status: Record<string, unknown> = {phase: 'Progressing', canaryWeight: 20}) => {
		const canary = podinfoCanary(analysis, status, provider === undefined ? {} : {provider});
		const snap = progressiveSnapshot([canary, ...podinfoDeployments('podinfo:2', 'podinfo:1', 1), ...routing]);
		return buildCanaryRelease(snap, scanSnapshot(snap), canary, 'canary/podinfo');
	};
	const routed = build(undefined, podinfoRouting(70, 30));
	assert.deepEqual(routed.traffic, {router: 'istio', object: 'VirtualService/podinfo', weights: {'podinfo-primary': 70, podinfo: 30}, managedBy: 'flagger'});
	assert.deepEqual(routed.versions.map(v => `${v.id} ${v.role} ${v.weight}`), ['podinfo-primary stable 70', 'podinfo canary 30']);
	assert.deepEqual(routed.progress?.paused, false);
	const header = podinfoRouting(100, 0);
	const vs = header.find(o => o.kind === 'VirtualService')!;
	vs.spec.http.unshift({match: [{headers: {'x-canary': {exact: 'insider'}}}], route: [{destination: {host: 'podinfo-canary'}}]});
	assert.deepEqual(build(undefined, header).traffic?.routes, [{version: 'podinfo', match: 'header x-canary=insider'}]);
	const expect = (provider: string | undefined, router: string) => assert.deepEqual(build(provider, []).traffic, {router, weights: {'podinfo-primary': 80, podinfo: 20}, managedBy: 'flagger'}, String(provider));
	expect(undefined, 'istio');
	expect('istio', 'istio');
	expect('gatewayapi:v1', 'gateway-api');
	expect('smi', 'smi');
	expect('linkerd', 'smi');
	expect('osm', 'smi');
	expect('nginx', 'nginx');
	expect('traefik', 'traefik');
	expect('kubernetes', 'service-selector');
	expect('contour', 'replicas');
	// Not active: no progress; suspended shows as paused.
	assert.equal(build(undefined, [], {phase: 'Succeeded', canaryWeight: 0}).progress, undefined);
	assert.equal(build(undefined, [], {phase: 'Progressing', canaryWeight: 10}).progress?.complete, false);
	const suspendedCanary = podinfoCanary(analysis, {phase: 'Progressing'}, {suspend: true});
	const snap = progressiveSnapshot([suspendedCanary, ...podinfoDeployments('podinfo:2', 'podinfo:1', 1)]);
	assert.equal(buildCanaryRelease(snap, scanSnapshot(snap), suspendedCanary, 'canary/podinfo').progress?.paused, true);
});
