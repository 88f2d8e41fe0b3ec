// Argo Rollouts at the edges: which objects are Argo's, the routers trafficRouting names (each field it may
// name them by), the canary Ingress name's limit, a Rollout with parts missing, experiment steps and their
// Experiments, ping-pong Services behind a VirtualService, pods by owner uid, and the Events of what is involved.
import assert from 'node:assert/strict';
import {test} from 'node:test';
import type {KObject} from '../../source/kube/object.js';
import {argoCanaryIngressName, argoInfo, buildRolloutRelease, canarySteps, isArgoRollout, isBlueGreen, maxTrafficWeight, pluginActualWeight, rolloutPhase, rolloutSteps, trafficRouters} from '../../source/release/argo.js';
import {gatewayApiRouter} from '../../source/traffic/gateway-api.js';
import {istioRouter} from '../../source/traffic/istio.js';
import {nginxRouter} from '../../source/traffic/nginx.js';
import {smiRouter} from '../../source/traffic/smi.js';
import {traefikRouter} from '../../source/traffic/traefik.js';
import {ago, event, NAMESPACE} from './fixtures.js';
import {progressiveSnapshot, rollout, rolloutReplicaSet} from './argo-fixtures.js';

test('isArgoRollout: argoproj.io, or no group said; not OpenKruise\'s nor a look-alike group', () => {
	const of = (apiVersion?: string): KObject => ({...(apiVersion === undefined ? {} : {apiVersion}), kind: 'Rollout', metadata: {name: 'r'}});
	assert.deepEqual(
		[undefined, 'argoproj.io/v1alpha1', 'rollouts.kruise.io/v1beta1', 'argoproj.io.example.com/v1', 'example.com/argoproj.io/v1', ''].map(v => isArgoRollout(of(v))),
		[true, true, false, false, false, false],
	);
});

test('argoCanaryIngressName: <rollout>-<stable ingress>-canary, the prefix cut to 246 characters so the name fits 253', () => {
	assert.equal(argoCanaryIngressName('demo', 'web'), 'demo-web-canary');
	const name = argoCanaryIngressName('r'.repeat(200), 'i'.repeat(100));
	assert.equal(name, `${'r'.repeat(200)}-${'i'.repeat(45)}-canary`);
	assert.equal(name.length, 253);
	assert.equal(argoCanaryIngressName('r'.repeat(100), 'i'.repeat(145)), `${'r'.repeat(100)}-${'i'.repeat(145)}-canary`, '246 exactly: nothing cut');
});

const routed = (trafficRouting: unknown, name = 'shop'): KObject => rollout(name, {canary: {steps: [{setWeight: 10}], trafficRouting}}, {});

test('trafficRouters: each router by each field that may name its object; those rollscope reads first', () => {
	assert.deepEqual(trafficRouters(routed({istio: {virtualService: {name: 'shop-vs.shop.svc.cluster.local'}}})), [{key: 'istio', kind: 'istio', object: {kind: 'VirtualService', name: 'shop-vs'}, router: istioRouter}]);
	assert.deepEqual(trafficRouters(routed({istio: {virtualService: {name: ''}, virtualServices: [{name: 'first', routes: ['primary']}, {name: 'second'}]}})), [{key: 'istio', kind: 'istio', object: {kind: 'VirtualService', name: 'first'}, router: istioRouter}]);
	assert.deepEqual(trafficRouters(routed({istio: {virtualServices: [{}]}})), [{key: 'istio', kind: 'istio', router: istioRouter}]);
	assert.deepEqual(trafficRouters(routed({istio: {virtualServices: []}})), [{key: 'istio', kind: 'istio', router: istioRouter}]);
	assert.deepEqual(trafficRouters(routed({istio: {}})), [{key: 'istio', kind: 'istio', router: istioRouter}]);
	assert.deepEqual(trafficRouters(routed({smi: {}})), [{key: 'smi', kind: 'smi', object: {kind: 'TrafficSplit', name: 'shop'}, router: smiRouter}], 'the TrafficSplit is named after the Rollout by default');
	assert.deepEqual(trafficRouters(routed({smi: {trafficSplitName: ''}})), [{key: 'smi', kind: 'smi', object: {kind: 'TrafficSplit', name: 'shop'}, router: smiRouter}]);
	assert.deepEqual(trafficRouters(routed({nginx: {stableIngresses: ['a', 'b']}})), [{key: 'nginx', kind: 'nginx', object: {kind: 'Ingress', name: 'shop-a-canary'}, router: nginxRouter}]);
	assert.deepEqual(trafficRouters(routed({nginx: {}})), [{key: 'nginx', kind: 'nginx', router: nginxRouter}]);
	assert.deepEqual(trafficRouters(routed({traefik: {}})), [{key: 'traefik', kind: 'traefik', router: traefikRouter}]);
	assert.deepEqual(trafficRouters(routed({plugins: {'argoproj-labs/gatewayAPI': {httpRoutes: [{name: 'first', useHeaderRoutes: true}, {name: 'second'}]}}})), [
		{key: 'plugin argoproj-labs/gatewayAPI', kind: 'gateway-api', object: {kind: 'HTTPRoute', name: 'first'}, router: gatewayApiRouter},
	]);
	assert.deepEqual(trafficRouters(routed({plugins: {'example/GATEWAYAPI': {}, 'acme/mesh': null}})), [
		{key: 'plugin example/GATEWAYAPI', kind: 'gateway-api', router: gatewayApiRouter},
		{key: 'plugin acme/mesh', kind: 'plugin'},
	]);
	assert.deepEqual(trafficRouters(routed({plugins: 'gatewayAPI'})), []);
	assert.deepEqual(trafficRouters(routed({alb: {ingresses: ['one', 'two']}})), [{key: 'alb', kind: 'alb', object: {kind: 'Ingress', name: 'one'}}]);
	assert.deepEqual(trafficRouters(routed({alb: {}, ambassador: {}, apisix: {}, appMesh: {}})), [
		{key: 'alb', kind: 'alb'},
		{key: 'ambassador', kind: 'ambassador'},
		{key: 'apisix', kind: 'apisix'},
		{key: 'appMesh', kind: 'app-mesh'},
	]);
	assert.deepEqual(
		trafficRouters(routed({alb: {ingress: 'alb'}, ambassador: {mappings: ['m1', 'm2']}, smi: {trafficSplitName: 'ts'}, apisix: {route: {name: 'ar'}}, istio: {virtualService: {name: 'vs'}}, appMesh: {virtualService: {name: 'avs'}}})).map(r => `${r.key} ${r.object?.kind}/${r.object?.name} ${r.router ? 'read' : 'named'}`),
		['istio VirtualService/vs read', 'smi TrafficSplit/ts read', 'alb Ingress/alb named', 'ambassador Mapping/m1 named', 'apisix ApisixRoute/ar named', 'appMesh VirtualService/avs named'],
	);
	for (const tr of [undefined, null, 'istio', 7]) assert.deepEqual(trafficRouters(routed(tr)), [], String(tr));
});

test('a Rollout with no spec or status: no steps, weights out of 100, Progressing for want of replicas', () => {
	const bare: KObject = {apiVersion: 'argoproj.io/v1alpha1', kind: 'Rollout', metadata: {name: 'bare', namespace: NAMESPACE}};
	const strategyless: KObject = {...bare, spec: {}};
	const emptyStrategy: KObject = {...bare, spec: {strategy: {}}};
	const emptyCanary: KObject = {...bare, spec: {strategy: {canary: {}}}};
	for (const ro of [bare, strategyless, emptyStrategy, emptyCanary]) {
		assert.equal(isBlueGreen(ro), false);
		assert.deepEqual(canarySteps(ro), []);
		assert.equal(maxTrafficWeight(ro), 100);
		assert.equal(pluginActualWeight(ro, 0), 100);
		assert.deepEqual(rolloutSteps(ro), []);
		assert.deepEqual(trafficRouters(ro), []);
		assert.deepEqual(rolloutPhase(ro), {phase: 'Progressing', message: 'more replicas need to be updated'});
		const release = buildRolloutRelease(progressiveSnapshot([ro]), ro, 'rollout/bare');
		assert.deepEqual(
			{versions: release.versions, pods: release.pods, services: release.services, traffic: release.traffic, progress: release.progress, revisions: release.revisions},
			{versions: [], pods: [], services: [], traffic: {router: 'replicas', weights: {}, managedBy: 'argo-rollouts'}, progress: {desired: 1, updated: 0, ready: 0, available: 0, paused: false, conditions: [], deadlineExceeded: false, complete: false}, revisions: []},
		);
		assert.deepEqual(release.argo, {
			name: 'bare',
			strategy: 'canary',
			phase: 'Progressing',
			message: 'more replicas need to be updated',
			observed: true,
			steps: [],
			maxTrafficWeight: 100,
			paused: false,
			pauseReasons: [],
			controllerPause: false,
			aborted: false,
			promoteFull: false,
			analysisRuns: [],
			setWeight: 100,
			actualWeight: 100,
		});
	}
	const blueGreen: KObject = {...bare, spec: {replicas: 0, strategy: {blueGreen: {}}}, status: {blueGreen: {}}};
	assert.deepEqual(rolloutPhase(blueGreen), {phase: 'Healthy', message: ''});
	const release = buildRolloutRelease(progressiveSnapshot([blueGreen]), blueGreen, 'rollout/bare');
	assert.deepEqual(release.traffic, {router: 'service-selector', weights: {}, managedBy: 'argo-rollouts'});
	assert.equal(release.argo?.strategy, 'blueGreen');
	assert.equal(release.argo?.activeService, undefined);
	assert.equal(release.argo?.setWeight, undefined);
});

test('rolloutPhase: the generation compared only when both are known; a blue-green Rollout without status.blueGreen waits for cutover', () => {
	const healthy = {replicas: 1, updatedReplicas: 1, availableReplicas: 1, currentPodHash: 'a', stableRS: 'a'};
	const ro = (observedGeneration: unknown, generation: number | undefined) => {
		const r = rollout('r', {canary: {}}, {...healthy, observedGeneration}, {replicas: 1});
		if (generation === undefined) delete r.metadata.generation;
		else r.metadata.generation = generation;
		if (observedGeneration === undefined) delete r.status.observedGeneration;
		return r;
	};
	assert.deepEqual(rolloutPhase(ro(undefined, 3)), {phase: 'Healthy', message: ''});
	assert.deepEqual(rolloutPhase(ro('2', undefined)), {phase: 'Healthy', message: ''});
	assert.deepEqual(rolloutPhase(ro(3, 3)), {phase: 'Healthy', message: ''});
	assert.deepEqual(rolloutPhase(ro('2', 3)), {phase: 'Progressing', message: 'waiting for rollout spec update to be observed'});
	const bg = rollout('r', {blueGreen: {activeService: 'a'}}, {...healthy, observedGeneration: '2'}, {replicas: 1});
	assert.deepEqual(rolloutPhase(bg), {phase: 'Progressing', message: 'active service cutover pending'});
	bg.status.blueGreen = {activeSelector: 'a'};
	assert.deepEqual(rolloutPhase(bg), {phase: 'Healthy', message: ''});
});

function experiment(name: string, hash: string, age: number, o: {owner?: string; phase?: string; templates?: unknown[]; statuses?: unknown[]; duration?: unknown; message?: string} = {}): KObject {
	return {
		apiVersion: 'argoproj.io/v1alpha1',
		kind: 'Experiment',
		metadata: {
			name,
			namespace: NAMESPACE,
			labels: {'rollouts-pod-template-hash': hash},
			creationTimestamp: ago(age),
			ownerReferences: [{apiVersion: 'argoproj.io/v1alpha1', kind: 'Rollout', name: o.owner ?? 'shop', uid: `uid-ro-${o.owner ?? 'shop'}`, controller: true}],
		},
		spec: {templates: o.templates ?? [{name: 'baseline'}], ...(o.duration === undefined ? {} : {duration: o.duration})},
		status: {...(o.phase ? {phase: o.phase} : {}), ...(o.statuses ? {templateStatuses: o.statuses} : {}), ...(o.message ? {message: o.message} : {})},
	};
}

const experimentSteps = [{setWeight: 20}, {experiment: {duration: 600, templates: [{name: 'baseline', specRef: 'stable'}, {name: 'canary', specRef: 'canary'}, {}]}}, {pause: {}}, {experiment: {templates: 'x'}}];

test('experiment steps: the Experiment of each step by hash and index, the one status names first; done and current steps show its phase', () => {
	const ro = rollout('shop', {canary: {steps: experimentSteps}}, {currentStepIndex: 1, currentPodHash: 'new', stableRS: 'old', canary: {currentExperiment: 'shop-new-2-1'}});
	const experiments = [
		experiment('shop-new-2-1', 'new', 100, {phase: 'Running', duration: 600, templates: [{name: 'baseline', replicas: 2}, {name: 'canary'}], statuses: [{name: 'baseline', readyReplicas: 1, status: 'Progressing'}, {}], message: 'waiting'}),
		experiment('shop-new-3-1', 'new', 10, {phase: 'Failed'}),
		experiment('shop-new-2-11', 'new', 5, {phase: 'Error'}),
		experiment('shop-old-1-1', 'old', 1, {phase: 'Successful'}),
		experiment('theirs-new-2-1', 'new', 1, {owner: 'theirs', phase: 'Inconclusive'}),
	];
	const info = argoInfo(ro, {...progressiveSnapshot([ro]), experiments}, undefined);
	assert.deepEqual(info.steps.map(s => [s.label, s.state, s.phase, s.durationSeconds]), [
		['20%', 'done', undefined, undefined],
		['experiment baseline,canary 600s', 'current', 'Running', 600],
		['pause', 'pending', undefined, undefined],
		['experiment', 'pending', undefined, undefined],
	]);
	assert.deepEqual(info.experiment, {
		name: 'shop-new-2-1',
		phase: 'Running',
		duration: '600s',
		message: 'waiting',
		templates: [
			{name: 'baseline', replicas: 2, ready: 1, status: 'Progressing'},
			{name: 'canary', replicas: 1, ready: 0},
		],
	});
	// Without status naming it, the newest of the step's Experiments.
	const unnamed = rollout('shop', {canary: {steps: experimentSteps}}, {currentStepIndex: 1, currentPodHash: 'new', stableRS: 'old'});
	const newest = argoInfo(unnamed, {...progressiveSnapshot([unnamed]), experiments}, undefined);
	assert.deepEqual([newest.steps[1]?.phase, newest.experiment?.name, newest.experiment?.phase, newest.experiment?.duration], ['Failed', 'shop-new-3-1', 'Failed', undefined]);
	// Past the step: the done step keeps its phase, and the Experiment status names is still shown.
	const past = rollout('shop', {canary: {steps: experimentSteps}}, {currentStepIndex: 2, currentPodHash: 'new', stableRS: 'old', canary: {currentExperiment: 'shop-new-2-1'}});
	const after = argoInfo(past, {...progressiveSnapshot([past]), experiments}, undefined);
	assert.deepEqual([after.steps[1]?.state, after.steps[1]?.phase, after.experiment?.name], ['done', 'Running', 'shop-new-2-1']);
	const gone = rollout('shop', {canary: {steps: experimentSteps}}, {currentStepIndex: 2, currentPodHash: 'new', stableRS: 'old', canary: {currentExperiment: 'shop-new-9-1'}});
	assert.equal(argoInfo(gone, {...progressiveSnapshot([gone]), experiments}, undefined).experiment, undefined);
	// An Experiment with no phase yet is Pending; without templates it has none.
	const pending = [experiment('shop-new-2-1', 'new', 1, {templates: []})];
	pending[0]!.spec = {};
	pending[0]!.status = undefined;
	const early = argoInfo(ro, {...progressiveSnapshot([ro]), experiments: pending}, undefined);
	assert.deepEqual([early.steps[1]?.phase, early.experiment], ['Pending', {name: 'shop-new-2-1', phase: 'Pending', templates: []}]);
	// A Rollout with no Experiments in the snapshot at all.
	assert.equal(argoInfo(ro, progressiveSnapshot([ro]), undefined).experiment, undefined);
	// Experiments of other steps lend no phase to a step that is no experiment, nor to one not yet reached; past the
	// last step none is the current one; without status the step's Experiment is still found by index.
	const others = [...experiments, experiment('shop-new-2-0', 'new', 3, {phase: 'Running'}), experiment('shop-new-2-3', 'new', 3, {phase: 'Running'}), {...experiment('loose-new-2-1', 'new', 1), metadata: {name: 'loose-new-2-1', creationTimestamp: ago(1)}}];
	const info2 = argoInfo(ro, {...progressiveSnapshot([ro]), experiments: others}, undefined);
	assert.deepEqual(info2.steps.map(s => s.phase), [undefined, 'Running', undefined, undefined]);
	const done = rollout('shop', {canary: {steps: experimentSteps}}, {currentStepIndex: 4, currentPodHash: 'new', stableRS: 'old'});
	assert.deepEqual(argoInfo(done, {...progressiveSnapshot([done]), experiments: others}, undefined).steps.map(s => s.phase), [undefined, 'Failed', undefined, 'Running']);
	const bare = rollout('shop', {canary: {steps: experimentSteps}}, {});
	delete bare.status;
	assert.deepEqual(argoInfo(bare, {...progressiveSnapshot([bare]), experiments: others}, undefined).experiment, undefined);
	const paused = rollout('shop', {canary: {steps: experimentSteps}}, {currentStepIndex: 2, currentPodHash: 'new'});
	assert.equal(argoInfo(paused, {...progressiveSnapshot([paused]), experiments: others}, undefined).experiment, undefined);
	// Of two Experiments made at the same time, the last by name; one without spec, and null templates and statuses.
	const twins = [experiment('shop-new-2-1', 'new', 7, {phase: 'Failed'}), experiment('shop-new-3-1', 'new', 7, {phase: 'Running', templates: [null, {name: 't'}], statuses: [null, {name: 't', readyReplicas: 1}]})];
	twins[0]!.spec = undefined;
	const twin = argoInfo(unnamed, {...progressiveSnapshot([unnamed]), experiments: twins}, undefined);
	assert.deepEqual(twin.experiment, {name: 'shop-new-3-1', phase: 'Running', templates: [{name: '', replicas: 1, ready: 0}, {name: 't', replicas: 1, ready: 1}]});
	const first = argoInfo(ro, {...progressiveSnapshot([ro]), experiments: twins}, undefined);
	assert.deepEqual(first.experiment, {name: 'shop-new-2-1', phase: 'Failed', templates: []});
});

test('ping-pong behind a VirtualService: the stable ReplicaSet is behind pong until status says ping', () => {
	const build = (stablePingPong?: string) => {
		const ro = rollout('shop', {canary: {pingPong: {pingService: 'shop-ping', pongService: 'shop-pong'}, trafficRouting: {istio: {virtualService: {name: 'shop-vs'}}}, steps: [{setWeight: 30}, {pause: {}}]}}, {currentStepIndex: 1, currentPodHash: 'new', stableRS: 'old', availableReplicas: 5, ...(stablePingPong ? {canary: {stablePingPong}} : {})});
		const stable = rolloutReplicaSet(ro, 'old', 1, 'shop:1', 4);
		const canary = rolloutReplicaSet(ro, 'new', 2, 'shop:2', 1);
		const vs: KObject = {
			apiVersion: 'networking.istio.io/v1beta1',
			kind: 'VirtualService',
			metadata: {name: 'shop-vs', namespace: NAMESPACE},
			spec: {hosts: ['shop'], http: [{route: [{destination: {host: 'shop-ping'}, weight: 70}, {destination: {host: 'shop-pong'}, weight: 30}]}]},
		};
		return buildRolloutRelease(progressiveSnapshot([ro, stable.rs, ...stable.pods, canary.rs, ...canary.pods, vs]), ro, 'rollout/shop');
	};
	assert.deepEqual(build().traffic, {router: 'istio', weights: {'shop-old': 30, 'shop-new': 70}, managedBy: 'argo-rollouts', object: 'VirtualService/shop-vs'});
	assert.deepEqual(build('pong').traffic?.weights, {'shop-old': 30, 'shop-new': 70});
	assert.deepEqual(build('ping').traffic?.weights, {'shop-old': 70, 'shop-new': 30});
	assert.deepEqual(build('ping').services, ['shop-ping', 'shop-pong']);
});

test('pods are a ReplicaSet\'s by name and, when both have one, uid; Events of the Rollout\'s own objects only', () => {
	const ro = rollout('shop', {canary: {steps: [{setWeight: 20}, {pause: {}}], trafficRouting: {istio: {virtualService: {name: 'shop-vs'}}}}}, {currentStepIndex: 1, currentPodHash: 'new', stableRS: 'old', availableReplicas: 3, canary: {weights: {canary: {weight: 20}, stable: {weight: 80}}}});
	const stable = rolloutReplicaSet(ro, 'old', 1, 'shop:1', 2);
	const canary = rolloutReplicaSet(ro, 'new', 2, 'shop:2', 1);
	const ref = stable.pods[0]!.metadata.ownerReferences![0]!;
	const withRef = (name: string, r: object): KObject => ({...stable.pods[0]!, metadata: {...stable.pods[0]!.metadata, name, ownerReferences: [r as never]}});
	const strays = [withRef('shop-old-uidless', {...ref, uid: undefined}), withRef('shop-old-stranger', {...ref, uid: 'someone-else'}), withRef('shop-old-other', {...ref, name: 'shop-other'}), withRef('shop-old-orphan', {...ref, controller: false})];
	const run = (name: string, owner: string): KObject => ({apiVersion: 'argoproj.io/v1alpha1', kind: 'AnalysisRun', metadata: {name, namespace: NAMESPACE, creationTimestamp: ago(5), ownerReferences: [{apiVersion: 'argoproj.io/v1alpha1', kind: 'Rollout', name: owner, uid: `uid-ro-${owner}`, controller: true}]}, spec: {metrics: []}, status: {phase: 'Running'}});
	const exp = experiment('shop-new-2-1', 'new', 5);
	const events = [
		event({kind: 'Rollout', name: 'shop', reason: 'RolloutUpdated', last: 1}),
		event({kind: 'AnalysisRun', name: 'shop-run', reason: 'AnalysisRunRunning', last: 2}),
		event({kind: 'AnalysisRun', name: 'theirs-run', reason: 'AnalysisRunRunning', last: 3}),
		event({kind: 'Experiment', name: 'shop-new-2-1', reason: 'ExperimentStarted', last: 4}),
		event({kind: 'VirtualService', name: 'shop-vs', reason: 'Updated', last: 5}),
		event({kind: 'Pod', name: 'shop-old-uidless', reason: 'Started', last: 6}),
		event({kind: 'Pod', name: 'shop-old-stranger', reason: 'Started', last: 7}),
		event({kind: 'ReplicaSet', name: 'shop-new', reason: 'SuccessfulCreate', last: 8}),
		event({kind: 'Service', name: 'shop-vs', reason: 'Updated', last: 9}),
	];
	const snap = {...progressiveSnapshot([ro, canary.rs, ...canary.pods, stable.rs, ...stable.pods, ...strays, ...events]), analysisRuns: [run('shop-run', 'shop'), run('theirs-run', 'theirs'), {metadata: {name: 'loose'}}], experiments: [exp]};
	const release = buildRolloutRelease(snap, ro, 'rollout/shop');
	assert.deepEqual(release.pods.map(p => `${p.version} ${p.name}`), ['shop-old shop-old-p0', 'shop-old shop-old-p1', 'shop-old shop-old-uidless', 'shop-new shop-new-p0']);
	assert.deepEqual(release.versions.map(v => [v.id, v.role, v.weight]), [['shop-old', 'stable', 80], ['shop-new', 'canary', 20]]);
	assert.deepEqual(release.events.map(e => `${e.object} ${e.reason}`), ['Rollout/shop RolloutUpdated', 'AnalysisRun/shop-run AnalysisRunRunning', 'Experiment/shop-new-2-1 ExperimentStarted', 'VirtualService/shop-vs Updated', 'Pod/shop-old-uidless Started', 'ReplicaSet/shop-new SuccessfulCreate']);
	assert.equal(release.argo?.trafficRouter, 'istio VirtualService/shop-vs');
});

test('old ReplicaSets: those with pods or replicas asked stay as old versions; an empty one at 0 is left out', () => {
	const ro = rollout('shop', {canary: {steps: [{setWeight: 20}]}}, {currentStepIndex: 0, currentPodHash: 'new', stableRS: 'old', availableReplicas: 2});
	const stable = rolloutReplicaSet(ro, 'old', 2, 'shop:2', 1);
	const canary = rolloutReplicaSet(ro, 'new', 3, 'shop:3', 1);
	const scaling = rolloutReplicaSet(ro, 'asked', 1, 'shop:1', 2);
	const lingering = rolloutReplicaSet(ro, 'lingering', 1, 'shop:0', 1);
	lingering.rs.spec.replicas = 0;
	const empty = rolloutReplicaSet(ro, 'empty', 0, 'shop:e', 0);
	const release = buildRolloutRelease(progressiveSnapshot([ro, stable.rs, ...stable.pods, canary.rs, ...canary.pods, scaling.rs, lingering.rs, ...lingering.pods, empty.rs]), ro, 'rollout/shop');
	assert.deepEqual(release.versions.map(v => `${v.id} ${v.role}`), ['shop-old stable', 'shop-new canary', 'shop-asked old', 'shop-lingering old']);
	assert.deepEqual(release.pods.map(p => p.name), ['shop-old-p0', 'shop-new-p0', 'shop-lingering-p0']);
});
