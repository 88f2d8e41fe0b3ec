// An Argo Rollout's steps and Release at the edges, literal: Go durations of several parts, steps whose
// fields are null, AnalysisRuns and metrics with parts missing, the weights when status.canary.weights holds
// one side only or the stable ReplicaSet is gone, which VirtualService is read, and the Release of odd states.
import assert from 'node:assert/strict';
import {test} from 'node:test';
import type {KObject} from '../../source/kube/object.js';
import {analysisRunInfo, argoInfo, buildRolloutRelease, detectRollouts, pluginActualWeight, rolloutAnalysisRuns, rolloutHash, rolloutSteps} from '../../source/release/argo.js';
import {scanSnapshot} from '../../source/release/scan.js';
import {event, NAMESPACE, NOW} from './fixtures.js';
import {progressiveSnapshot, rollout, rolloutReplicaSet, svc, virtualServiceOf} from './argo-fixtures.js';

test('rolloutSteps: durations as Argo reads them (seconds, or a Go duration of one or more parts), null fields, no status', () => {
	const ro = rollout('r', {
		canary: {
			steps: [
				{pause: {duration: '1h30m'}},
				{pause: {duration: '250ms'}},
				{pause: {duration: '1.5h'}},
				{pause: {duration: '90'}},
				{pause: {duration: '5 m'}},
				{pause: {duration: '1h30'}},
				{pause: {duration: 'x5m'}},
				{pause: null},
				{analysis: null},
				{analysis: {templates: [null, {templateName: 'errors'}]}},
				{experiment: null},
				{experiment: {duration: '1m30s', templates: [null, {name: 'a'}, {name: 'b'}]}},
				{setHeaderRoute: null},
				{setMirrorRoute: {}},
				{plugin: {}},
			],
		},
	}, {});
	delete ro.status;
	assert.deepEqual(rolloutSteps(ro), [
		{index: 0, kind: 'pause', label: 'pause 1h30m', state: 'current', durationSeconds: 5400},
		{index: 1, kind: 'pause', label: 'pause 250ms', state: 'pending', durationSeconds: 0.25},
		{index: 2, kind: 'pause', label: 'pause 1.5h', state: 'pending', durationSeconds: 5400},
		{index: 3, kind: 'pause', label: 'pause 90s', state: 'pending', durationSeconds: 90},
		{index: 4, kind: 'pause', label: 'pause 5 m', state: 'pending'},
		{index: 5, kind: 'pause', label: 'pause 1h30', state: 'pending'},
		{index: 6, kind: 'pause', label: 'pause x5m', state: 'pending'},
		{index: 7, kind: 'pause', label: 'pause', state: 'pending'},
		{index: 8, kind: 'analysis', label: 'analysis', state: 'pending'},
		{index: 9, kind: 'analysis', label: 'analysis errors', state: 'pending'},
		{index: 10, kind: 'experiment', label: 'experiment', state: 'pending'},
		{index: 11, kind: 'experiment', label: 'experiment a,b 1m30s', state: 'pending', durationSeconds: 90},
		{index: 12, kind: 'setHeaderRoute', label: 'header route', state: 'pending'},
		{index: 13, kind: 'setMirrorRoute', label: 'mirror', state: 'pending'},
		{index: 14, kind: 'plugin', label: 'plugin', state: 'pending'},
	]);
	assert.equal(rolloutHash({metadata: {name: 'x'}}), undefined);
	const small = rollout('r', {canary: {steps: ['2000000ns', '3000us', '4000µs', '1m0.5s'].map(duration => ({pause: {duration}}))}}, {});
	assert.deepEqual(rolloutSteps(small).map(st => [st.label, st.durationSeconds]), [['pause 2000000ns', 0.002], ['pause 3000us', 0.003], ['pause 4000µs', 0.004], ['pause 1m0.5s', 60.5]]);
});

test('analysisRunInfo and rolloutAnalysisRuns: a run without spec or status; null metrics and measurements; a Rollout without status', () => {
	assert.deepEqual(analysisRunInfo({metadata: {name: 'bare', creationTimestamp: new Date(NOW - 2000).toISOString()}}, NOW), {name: 'bare', phase: 'Pending', ageSeconds: 2, metrics: []});
	const run: KObject = {
		metadata: {name: 'run', creationTimestamp: new Date(NOW).toISOString()},
		spec: {metrics: [null, {name: 'errors', count: 2}]},
		status: {metricResults: [null, {name: 'errors', phase: 'Running', count: 2, measurements: [null, {value: '0.1', phase: 'Successful'}]}]},
	};
	assert.deepEqual(analysisRunInfo(run, NOW).metrics, [
		{name: 'errors', phase: 'Running', failureLimit: 0, inconclusiveLimit: 0, measured: 2, successful: 0, failed: 0, inconclusive: 0, error: 0, values: ['', '0.1'], valuePhases: ['', 'Successful'], count: 2},
	]);
	const statusless = rollout('r', {canary: {steps: [{setWeight: 1}]}}, {});
	delete statusless.status;
	const owned = (name: string, hash?: string): KObject => ({metadata: {name, creationTimestamp: new Date(NOW).toISOString(), labels: hash ? {'rollouts-pod-template-hash': hash} : {}, ownerReferences: [{apiVersion: 'argoproj.io/v1alpha1', kind: 'Rollout', name: 'r', uid: 'u', controller: true}]}});
	assert.deepEqual(rolloutAnalysisRuns(statusless, [owned('b', 'h'), owned('a'), owned('c', 'h')], NOW).map(r => r.name), ['a', 'c', 'b'], 'no current hash: the runs without one first, then newest, then by name (last first)');
});

const steps = [{setWeight: 20}, {pause: {}}];
const istio = {canaryService: 'shop-canary', stableService: 'shop-stable', trafficRouting: {istio: {virtualService: {name: 'shop-vs'}}}, steps};

/** shop with a stable (old, 4 pods) and a canary (new, 1 pod) ReplicaSet, as chosen. */
function shop(strategy: Record<string, unknown>, status: Record<string, unknown>, o: {stable?: boolean; canary?: boolean; extra?: KObject[]} = {}) {
	const ro = rollout('shop', {canary: strategy}, {currentStepIndex: 1, currentPodHash: 'new', stableRS: 'old', availableReplicas: 5, ...status});
	const objects: KObject[] = [ro];
	if (o.stable ?? true) {
		const s = rolloutReplicaSet(ro, 'old', 1, 'shop:1', 4);
		objects.push(s.rs, ...s.pods);
	}
	if (o.canary ?? true) {
		const c = rolloutReplicaSet(ro, 'new', 2, 'shop:2', 1);
		objects.push(c.rs, ...c.pods);
	}
	return buildRolloutRelease(progressiveSnapshot([...objects, ...(o.extra ?? [])]), ro, 'rollout/shop');
}

test('weights from status.canary.weights with one side recorded: the other is what is left, or the set weight', () => {
	assert.deepEqual(shop(istio, {canary: {weights: {canary: {weight: 30}}}}).traffic?.weights, {'shop-old': 70, 'shop-new': 30});
	assert.deepEqual(shop(istio, {canary: {weights: {stable: {weight: 90}}}}).traffic?.weights, {'shop-old': 90, 'shop-new': 20});
	assert.equal(shop(istio, {canary: {weights: {stable: {weight: 90}}}}).argo?.actualWeight, 20, 'no canary weight recorded: the set weight');
	// Past the last step the plugin shows 100, but the controller's record still says where traffic is.
	assert.deepEqual(shop(istio, {currentStepIndex: 2, canary: {weights: {canary: {weight: 0}, stable: {weight: 100}}}}).traffic?.weights, {'shop-old': 100, 'shop-new': 0});
});

test('the stable ReplicaSet gone: the canary alone has its recorded weight; no ReplicaSet at all: no weights', () => {
	const release = shop(istio, {canary: {weights: {canary: {weight: 20}, stable: {weight: 80}}}}, {stable: false, extra: [virtualServiceOf('shop-vs', 'shop-stable', 'shop-canary', 80, 20)]});
	assert.deepEqual(release.versions.map(v => `${v.id} ${v.role}`), ['shop-new canary']);
	assert.deepEqual(release.traffic, {router: 'istio', weights: {'shop-new': 20}, managedBy: 'argo-rollouts', object: 'VirtualService/shop-vs'});
	const none = shop(istio, {}, {stable: false, canary: false});
	assert.deepEqual(none.traffic, {router: 'istio', weights: {}, managedBy: 'argo-rollouts', object: 'VirtualService/shop-vs'});
	assert.deepEqual(shop({...istio, trafficRouting: {istio: {}}}, {canary: {weights: {canary: {weight: 10}, stable: {weight: 90}}}}).traffic, {router: 'istio', weights: {'shop-old': 90, 'shop-new': 10}, managedBy: 'argo-rollouts'}, 'no VirtualService named: the recorded weights');
});

test('the VirtualService the Rollout names is read, not another; with one side only, all on the stable', () => {
	const other = virtualServiceOf('a-other-vs', 'shop-stable', 'shop-canary', 50, 50);
	const rule: KObject = {apiVersion: 'networking.istio.io/v1beta1', kind: 'DestinationRule', metadata: {name: 'shop-vs', namespace: NAMESPACE}, spec: {host: 'shop-stable'}};
	const mine = virtualServiceOf('shop-vs', 'shop-stable', 'shop-canary', 85, 15);
	assert.deepEqual(shop(istio, {}, {extra: [other, rule, mine]}).traffic?.weights, {'shop-old': 85, 'shop-new': 15});
	const promoted = shop(istio, {currentPodHash: 'old'}, {canary: false, extra: [mine]});
	assert.deepEqual(promoted.traffic?.weights, {'shop-old': 100});
});

test('a ReplicaSet without a hash label is not the stable one for want of status; its revision is not current', () => {
	const ro = rollout('shop', {canary: {steps}}, {});
	delete ro.status;
	const s = rolloutReplicaSet(ro, 'old', 1, 'shop:1', 1);
	delete s.rs.metadata.labels!['rollouts-pod-template-hash'];
	delete s.rs.status;
	const release = buildRolloutRelease(progressiveSnapshot([ro, s.rs, ...s.pods]), ro, 'rollout/shop');
	assert.deepEqual(release.versions.map(v => `${v.id} ${v.role}`), ['shop-old old']);
	assert.deepEqual(release.revisions.map(r => [r.replicaSet, r.current]), [['shop-old', false]]);
	assert.deepEqual(release.argo?.steps.map(st => st.state), ['current', 'pending']);
});

test('a canary ReplicaSet without status has no replica available: the actual weight is 0 of the canary', () => {
	const ro = rollout('shop', {canary: {steps}}, {currentStepIndex: 0, currentPodHash: 'new', stableRS: 'old', availableReplicas: 4});
	const s = rolloutReplicaSet(ro, 'old', 1, 'shop:1', 4);
	const c = rolloutReplicaSet(ro, 'new', 2, 'shop:2', 1);
	delete c.rs.status;
	assert.equal(buildRolloutRelease(progressiveSnapshot([ro, s.rs, ...s.pods, c.rs]), ro, 'rollout/shop').argo?.actualWeight, 0);
	assert.equal(pluginActualWeight(ro, undefined), 0);
});

test('blue-green without a preview selector: the current pod hash is the preview', () => {
	const ro = rollout('shop', {blueGreen: {activeService: 'shop', previewService: 'shop-preview'}}, {currentPodHash: 'new', stableRS: 'old', blueGreen: {activeSelector: 'old'}});
	const s = rolloutReplicaSet(ro, 'old', 1, 'shop:1', 2);
	const c = rolloutReplicaSet(ro, 'new', 2, 'shop:2', 2);
	const release = buildRolloutRelease(progressiveSnapshot([ro, s.rs, c.rs]), ro, 'rollout/shop');
	assert.deepEqual(release.versions.map(v => `${v.id} ${v.role} ${v.weight}`), ['shop-old active 100', 'shop-new preview 0']);
});

test('argoInfo of a plain canary says only what it has; ping-pong needs both Services', () => {
	const ro = rollout('shop', {canary: {steps, pingPong: {pingService: 'shop-ping'}}}, {currentStepIndex: 1, pauseConditions: [{reason: 'CanaryPauseStep'}, null]});
	delete ro.status.observedGeneration;
	assert.deepEqual(argoInfo(ro, progressiveSnapshot([ro]), undefined), {
		name: 'shop',
		strategy: 'canary',
		phase: 'Paused',
		message: 'CanaryPauseStep',
		observed: true,
		steps: [
			{index: 0, kind: 'setWeight', label: '20%', state: 'done', setWeight: 20},
			{index: 1, kind: 'pause', label: 'pause', state: 'current'},
		],
		maxTrafficWeight: 100,
		paused: false,
		pauseReasons: ['CanaryPauseStep'],
		controllerPause: false,
		aborted: false,
		promoteFull: false,
		analysisRuns: [],
		step: {index: 1, count: 2},
		setWeight: 20,
	});
	const statusless = rollout('shop', {canary: {steps, pingPong: {pingService: 'shop-ping', pongService: 'shop-pong'}}}, {});
	delete statusless.status;
	assert.deepEqual(argoInfo(statusless, progressiveSnapshot([statusless]), 0).pingPong, {pingService: 'shop-ping', pongService: 'shop-pong', stable: 'pong'});
});

test('the Release: Events of the Services it names, deadline exceeded from the conditions, a Service selecting the canary only', () => {
	const conditions = [{type: 'Progressing', status: 'False', reason: 'ProgressDeadlineExceeded', message: 'too slow'}];
	const release = shop({canaryService: 'shop-canary', steps}, {conditions}, {extra: [event({kind: 'Service', name: 'shop-canary', reason: 'Synced', last: 1}), svc('shop-new-only', {app: 'shop', 'rollouts-pod-template-hash': 'new'}), {apiVersion: 'v1', kind: 'Service', metadata: {name: 'headless', namespace: NAMESPACE}}]});
	assert.deepEqual(release.events.map(e => `${e.object} ${e.reason}`), ['Service/shop-canary Synced']);
	assert.equal(release.progress?.deadlineExceeded, true);
	assert.deepEqual(release.services, ['shop-canary', 'shop-new-only']);
	const other = shop({steps}, {conditions: [{type: 'Progressing', status: 'True', reason: 'ReplicaSetUpdated'}]});
	assert.equal(other.progress?.deadlineExceeded, false);
});

test('detectRollouts: a Rollout with no spec is found, claiming nothing', () => {
	const bare: KObject = {apiVersion: 'argoproj.io/v1alpha1', kind: 'Rollout', metadata: {name: 'bare', namespace: NAMESPACE}};
	const claimed = new Set<KObject>();
	const found = detectRollouts(scanSnapshot(progressiveSnapshot([bare])), claimed);
	assert.deepEqual(found.map(r => [r.target, r.deployments, r.services, r.inProgress]), [['rollout/bare', [], [], true]]);
	assert.equal(claimed.size, 0);
});

test('numbers that are not finite count as unset; metric conditions only when non-empty text', () => {
	assert.deepEqual([Number.POSITIVE_INFINITY, Number.NaN].map(m => rollout('r', {canary: {steps, trafficRouting: {maxTrafficWeight: m}}}, {currentStepIndex: m})).map(ro => [argoInfo(ro, progressiveSnapshot([ro]), 0).maxTrafficWeight, argoInfo(ro, progressiveSnapshot([ro]), 0).step]), [[100, {index: 0, count: 2}], [100, {index: 0, count: 2}]]);
	const run: KObject = {metadata: {name: 'run', creationTimestamp: new Date(NOW).toISOString()}, spec: {metrics: [{name: 'odd', successCondition: '', failureCondition: 7, count: 1}]}};
	assert.deepEqual(analysisRunInfo(run, NOW).metrics.map(m => [m.successCondition, m.failureCondition]), [[undefined, undefined]]);
});

test('trafficRouters: a Gateway API plugin with no config or no routes, names that are not text', async () => {
	const {trafficRouters} = await import('../../source/release/argo.js');
	const routed = (trafficRouting: unknown) => rollout('shop', {canary: {steps, trafficRouting}}, {});
	assert.deepEqual(trafficRouters(routed({plugins: {'argoproj-labs/gatewayAPI': null}})).map(r => [r.key, r.object]), [['plugin argoproj-labs/gatewayAPI', undefined]]);
	assert.deepEqual(trafficRouters(routed({plugins: {'argoproj-labs/gatewayAPI': {httpRoutes: []}}})).map(r => [r.key, r.object]), [['plugin argoproj-labs/gatewayAPI', undefined]]);
	assert.deepEqual(trafficRouters(routed({alb: {ingress: 5}, ambassador: {mappings: [{name: 'm'}]}})).map(r => [r.key, r.object]), [['alb', undefined], ['ambassador', undefined]]);
});

test('the routers\' objects are looked for only for the router that reads them, and only with both sides', () => {
	const alb = shop({...istio, trafficRouting: {alb: {ingress: 'shop-ingress'}}}, {canary: {weights: {canary: {weight: 10}, stable: {weight: 90}}}}, {extra: [{apiVersion: 'networking.k8s.io/v1', kind: 'Ingress', metadata: {name: 'shop-ingress', namespace: NAMESPACE}, spec: {}}]});
	assert.deepEqual(alb.traffic, {router: 'alb', weights: {'shop-old': 90, 'shop-new': 10}, managedBy: 'argo-rollouts', object: 'Ingress/shop-ingress'});
	const unnamed = shop({...istio, trafficRouting: {istio: {}}}, {canary: {weights: {canary: {weight: 10}, stable: {weight: 90}}}}, {extra: [virtualServiceOf('shop-vs', 'shop-stable', 'shop-canary', 50, 50)]});
	assert.deepEqual(unnamed.traffic, {router: 'istio', weights: {'shop-old': 90, 'shop-new': 10}, managedBy: 'argo-rollouts'});
});

test('pods in version order, then by name, whatever order the cluster lists them in', () => {
	const ro = rollout('shop', {canary: {steps}}, {currentStepIndex: 0, currentPodHash: 'new', stableRS: 'old', availableReplicas: 5});
	const s = rolloutReplicaSet(ro, 'old', 1, 'shop:1', 3);
	const c = rolloutReplicaSet(ro, 'new', 2, 'shop:2', 2);
	const release = buildRolloutRelease(progressiveSnapshot([ro, s.rs, c.rs, ...[...c.pods].reverse(), ...[...s.pods].reverse()]), ro, 'rollout/shop');
	assert.deepEqual(release.pods.map(p => p.name), ['shop-old-p0', 'shop-old-p1', 'shop-old-p2', 'shop-new-p0', 'shop-new-p1']);
});

test('detectRollouts: by name, whatever order they are listed in', () => {
	const of = (name: string): KObject => ({apiVersion: 'argoproj.io/v1alpha1', kind: 'Rollout', metadata: {name, namespace: NAMESPACE}});
	assert.deepEqual(detectRollouts(scanSnapshot(progressiveSnapshot([of('b'), of('c'), of('a')])), new Set()).map(r => r.name), ['a', 'b', 'c']);
});

test('more edges: null mirror and plugin steps, conditions that are not text, a first experiment step without status, an OpenKruise Rollout among Argo\'s', () => {
	assert.deepEqual(rolloutSteps(rollout('r', {canary: {steps: [{setMirrorRoute: null}, {plugin: null}]}}, {})).map(st => st.label), ['mirror', 'plugin']);
	const run: KObject = {metadata: {name: 'run', creationTimestamp: new Date(NOW).toISOString()}, spec: {metrics: [{name: 'odd', successCondition: 7, failureCondition: '', count: 1}]}};
	assert.deepEqual(analysisRunInfo(run, NOW).metrics.map(m => [m.successCondition, m.failureCondition]), [[undefined, undefined]]);
	const first = rollout('shop', {canary: {steps: [{experiment: {templates: [{name: 'a'}]}}]}}, {});
	delete first.status;
	assert.deepEqual(argoInfo(first, {...progressiveSnapshot([first]), experiments: []}, undefined).steps.map(st => [st.label, st.state]), [['experiment a', 'current']]);
	const kruise: KObject = {apiVersion: 'rollouts.kruise.io/v1beta1', kind: 'Rollout', metadata: {name: 'k', namespace: NAMESPACE}};
	const argo: KObject = {apiVersion: 'argoproj.io/v1alpha1', kind: 'Rollout', metadata: {name: 'a', namespace: NAMESPACE}};
	assert.deepEqual(detectRollouts(scanSnapshot({...progressiveSnapshot([]), rollouts: [kruise, argo]}), new Set()).map(r => r.name), ['a']);
});
