// The fields of an OpenKruise Rollout read one by one (v1alpha1 and v1beta1 shapes, after Kruise's API reference):
// the workload reference, the rolling style, the steps and their labels, the phase, the traffic routing, the info.
import assert from 'node:assert/strict';
import {describe, test} from 'node:test';
import type {KObject} from '../../source/kube/object.js';
import {
	isKruiseRollout, kruiseInfo, kruiseInProgress, kruisePhase, kruiseRawSteps, kruiseShape, kruiseSteps, kruiseStyle,
	kruiseTrafficRouting, kruiseWorkloadRef, scaledReplicas, stepReplicas, stepTraffic,
} from '../../source/release/kruise.js';
import {gatewayApiRouter} from '../../source/traffic/gateway-api.js';
import {istioRouter} from '../../source/traffic/istio.js';
import {nginxRouter} from '../../source/traffic/nginx.js';

const meta = {name: 'demo', namespace: 'shop'};
const beta = (spec: Record<string, unknown> = {}, status?: Record<string, unknown>): KObject => ({apiVersion: 'rollouts.kruise.io/v1beta1', kind: 'Rollout', metadata: {...meta}, spec, ...(status ? {status} : {})});
const alpha = (spec: Record<string, unknown> = {}, annotations?: Record<string, string>): KObject => ({apiVersion: 'rollouts.kruise.io/v1alpha1', kind: 'Rollout', metadata: {...meta, ...(annotations ? {annotations} : {})}, spec});
const deploymentRef = {apiVersion: 'apps/v1', kind: 'Deployment', name: 'web'};

describe('the shape and the workload', () => {
	test('v1alpha1 nests the workload under objectRef; v1beta1 (or both, or neither) has workloadRef', () => {
		assert.equal(kruiseShape(alpha({objectRef: {workloadRef: deploymentRef}})), 'v1alpha1');
		assert.equal(kruiseShape(beta({workloadRef: deploymentRef})), 'v1beta1');
		assert.equal(kruiseShape(beta({objectRef: {workloadRef: deploymentRef}, workloadRef: deploymentRef})), 'v1beta1');
		assert.equal(kruiseShape({metadata: meta}), 'v1beta1');
		assert.equal(isKruiseRollout(beta()), true);
		assert.equal(isKruiseRollout({apiVersion: 'argoproj.io/v1alpha1', kind: 'Rollout', metadata: meta}), false);
		assert.equal(isKruiseRollout({kind: 'Rollout', metadata: meta}), false);
	});

	test('the workload reference needs a kind and a name; apiVersion comes along when given', () => {
		assert.deepEqual(kruiseWorkloadRef(alpha({objectRef: {workloadRef: deploymentRef}})), deploymentRef);
		assert.deepEqual(kruiseWorkloadRef(beta({workloadRef: {kind: 'CloneSet', name: 'web'}})), {kind: 'CloneSet', name: 'web'});
		assert.equal(kruiseWorkloadRef(beta({workloadRef: {kind: 'Deployment'}})), undefined);
		assert.equal(kruiseWorkloadRef(beta({workloadRef: {name: 'web'}})), undefined);
		assert.equal(kruiseWorkloadRef(beta({workloadRef: {kind: '', name: 'web'}})), undefined);
		assert.equal(kruiseWorkloadRef(beta({workloadRef: {kind: 42, name: 'web'}})), undefined);
		assert.equal(kruiseWorkloadRef(alpha({objectRef: null})), undefined);
		assert.equal(kruiseWorkloadRef(alpha({objectRef: {}})), undefined);
		assert.equal(kruiseWorkloadRef({metadata: meta}), undefined);
	});

	test('the style: blue-green; v1alpha1 canary unless rolling-style is partition; v1beta1 canary only with enableExtraWorkloadForCanary; a Deployment only', () => {
		assert.equal(kruiseStyle(beta({workloadRef: deploymentRef, strategy: {blueGreen: {steps: []}}})), 'blueGreen');
		assert.equal(kruiseStyle(alpha({objectRef: {workloadRef: deploymentRef}, strategy: {canary: {}}})), 'canary');
		assert.equal(kruiseStyle(alpha({objectRef: {workloadRef: deploymentRef}, strategy: {canary: {}}}, {'rollouts.kruise.io/rolling-style': 'Partition'})), 'partition');
		assert.equal(kruiseStyle(alpha({objectRef: {workloadRef: deploymentRef}, strategy: {canary: {}}}, {'rollouts.kruise.io/rolling-style': 'canary'})), 'canary');
		assert.equal(kruiseStyle(alpha({objectRef: {workloadRef: {kind: 'CloneSet', name: 'web'}}})), 'partition');
		assert.equal(kruiseStyle(alpha({objectRef: {}})), 'partition');
		assert.equal(kruiseStyle(beta({workloadRef: deploymentRef, strategy: {canary: {enableExtraWorkloadForCanary: true}}})), 'canary');
		assert.equal(kruiseStyle(beta({workloadRef: deploymentRef, strategy: {canary: {enableExtraWorkloadForCanary: false}}})), 'partition');
		assert.equal(kruiseStyle(beta({workloadRef: deploymentRef, strategy: {}})), 'partition');
		assert.equal(kruiseStyle({metadata: meta}), 'partition');
	});
});

describe('the steps', () => {
	test('the raw steps: of the canary or the blue-green strategy, objects only', () => {
		assert.deepEqual(kruiseRawSteps(beta({strategy: {canary: {steps: [null, 5, 'x', {traffic: '5%'}]}}})), [{traffic: '5%'}]);
		assert.deepEqual(kruiseRawSteps(beta({strategy: {blueGreen: {steps: [{traffic: '50%'}]}, canary: {steps: [{traffic: '5%'}]}}})), [{traffic: '50%'}]);
		assert.deepEqual(kruiseRawSteps(beta({strategy: {canary: {steps: 'x'}}})), []);
		assert.deepEqual(kruiseRawSteps(beta({strategy: {}})), []);
		assert.deepEqual(kruiseRawSteps({metadata: meta}), []);
	});

	test('traffic: v1beta1 `traffic`, else v1alpha1 `weight` as a percent; a weight must be a finite number', () => {
		assert.equal(stepTraffic({traffic: '5%', weight: 10}), '5%');
		assert.equal(stepTraffic({traffic: '', weight: 10}), '10%');
		assert.equal(stepTraffic({weight: 12.7}), '12%');
		assert.equal(stepTraffic({weight: '5'}), undefined);
		assert.equal(stepTraffic({weight: Number.POSITIVE_INFINITY}), undefined);
		assert.equal(stepTraffic({}), undefined);
	});

	test('replicas: a number, a string, else the v1alpha1 weight', () => {
		assert.equal(stepReplicas({replicas: 3.9, weight: 10}), '3');
		assert.equal(stepReplicas({replicas: '20%', weight: 10}), '20%');
		assert.equal(stepReplicas({replicas: Number.POSITIVE_INFINITY, weight: 10}), '10%');
		assert.equal(stepReplicas({replicas: '', weight: 10}), '10%');
		assert.equal(stepReplicas({}), undefined);
	});

	test('scaled replicas: a percent of the total rounded up, else the number', () => {
		assert.equal(scaledReplicas('50%', 10), 5);
		assert.equal(scaledReplicas('25%', 10), 3);
		assert.equal(scaledReplicas('100%', 7), 7);
		assert.equal(scaledReplicas('3', 10), 3);
		assert.equal(scaledReplicas('50%x', 10), 50);
		assert.equal(scaledReplicas('x50%', 10), 0);
		assert.equal(scaledReplicas('a%', 10), 0);
		assert.equal(scaledReplicas(undefined, 10), 0);
	});

	test('each step in words, with the current one marked; the last at 100% does not pause', () => {
		const ro = beta({strategy: {canary: {steps: [
			{traffic: '10%', pause: {}},
			{replicas: 2, pause: {duration: 30}},
			{replicas: 1, matches: [{headers: [{name: 'x-canary', value: 'always'}, {type: 'RegularExpression', name: 'user-agent', value: '^pc'}]}, {headers: [null, {value: 'no-name'}, {name: 'x-beta', value: 'on'}]}, {headers: []}, {}, null]},
			{replicas: '100%', pause: {}},
			{replicas: '100%'},
		]}}}, {canaryStatus: {currentStepIndex: 2, currentStepState: 'StepPaused'}});
		assert.deepEqual(kruiseSteps(ro), [
			{index: 1, label: '10% · pause', state: 'done', traffic: '10%', pause: 'manual'},
			{index: 2, label: '2 pods · pause 30s', state: 'current', replicas: '2', pause: 30},
			{index: 3, label: 'header x-canary=always and header user-agent ~ ^pc or header x-beta=on · 1 pod · pause', state: 'pending', matches: ['header x-canary=always and header user-agent ~ ^pc', 'header x-beta=on'], replicas: '1', pause: 'manual'},
			{index: 4, label: '100% pods · pause', state: 'pending', replicas: '100%', pause: 'manual'},
			{index: 5, label: '100% pods', state: 'pending', replicas: '100%'},
		]);
	});

	test('a step Completed is done, those after it pending; without a status every step is pending', () => {
		const steps = {strategy: {canary: {steps: [{traffic: '10%', pause: {}}, {traffic: '50%', pause: {}}]}}};
		assert.deepEqual(kruiseSteps(beta(steps, {canaryStatus: {currentStepIndex: 1, currentStepState: 'Completed'}})).map(s => s.state), ['done', 'pending']);
		assert.deepEqual(kruiseSteps(beta(steps)).map(s => s.state), ['pending', 'pending']);
		assert.deepEqual(kruiseSteps(beta(steps, {blueGreenStatus: {currentStepIndex: 2, currentStepState: 'StepUpgrade'}})).map(s => s.state), ['done', 'current']);
	});
});

describe('the phase and whether it releases', () => {
	test('the phase, Initial before one is written', () => {
		assert.equal(kruisePhase(beta({}, {phase: 'Healthy'})), 'Healthy');
		assert.equal(kruisePhase(beta({}, {phase: ''})), 'Initial');
		assert.equal(kruisePhase(beta()), 'Initial');
	});

	test('Progressing, Disabling and Terminating release; otherwise the workload\'s in-progressing annotation says, unless Disabled', () => {
		const marked: KObject = {metadata: {name: 'web', annotations: {'rollouts.kruise.io/in-progressing': '{"rolloutName":"demo"}'}}};
		const plain: KObject = {metadata: {name: 'web'}};
		for (const phase of ['Progressing', 'Disabling', 'Terminating']) assert.equal(kruiseInProgress(beta({}, {phase}), undefined), true, phase);
		assert.equal(kruiseInProgress(beta({}, {phase: 'Healthy'}), marked), true);
		assert.equal(kruiseInProgress(beta({}, {phase: 'Healthy'}), plain), false);
		assert.equal(kruiseInProgress(beta({}, {phase: 'Healthy'}), undefined), false);
		assert.equal(kruiseInProgress(beta({}, {phase: 'Disabled'}), marked), false);
		assert.equal(kruiseInProgress(beta(), marked), true);
	});
});

describe('the traffic routing', () => {
	const routed = (ref: Record<string, unknown>, extra: Record<string, unknown> = {}) => beta({strategy: {canary: {trafficRoutings: [ref], ...extra}}});

	test('an Ingress: the canary Ingress Kruise makes, read as nginx; the class type in the words', () => {
		assert.deepEqual(kruiseTrafficRouting(routed({service: 'web', ingress: {name: 'web'}})), {service: 'web', canaryService: 'web-canary', router: {kind: 'nginx', object: {kind: 'Ingress', name: 'web-canary'}, reader: nginxRouter}, words: 'Ingress/web (nginx) for Service/web'});
		assert.deepEqual(kruiseTrafficRouting(routed({service: 'web', ingress: {name: 'web', classType: 'aliyun-alb'}}, {disableGenerateCanaryService: true})), {service: 'web', canaryService: 'web', router: {kind: 'nginx', object: {kind: 'Ingress', name: 'web-canary'}, reader: nginxRouter}, words: 'Ingress/web (aliyun-alb) for Service/web'});
	});

	test('an HTTPRoute of the Gateway API: Kruise edits the route itself', () => {
		assert.deepEqual(kruiseTrafficRouting(routed({service: 'web', gateway: {httpRouteName: 'web-route'}})), {service: 'web', canaryService: 'web-canary', router: {kind: 'gateway-api', object: {kind: 'HTTPRoute', name: 'web-route'}, reader: gatewayApiRouter}, words: 'HTTPRoute/web-route for Service/web'});
	});

	test('customNetworkRefs: the first with a kind and a name; a VirtualService read as Istio, anything else a plugin', () => {
		assert.deepEqual(kruiseTrafficRouting(routed({service: 'web', customNetworkRefs: [null, {kind: 'VirtualService'}, {name: 'x'}, {apiVersion: 'networking.istio.io/v1', kind: 'VirtualService', name: 'web-vs'}]})), {service: 'web', canaryService: 'web-canary', router: {kind: 'istio', object: {kind: 'VirtualService', name: 'web-vs'}, reader: istioRouter}, words: 'VirtualService/web-vs for Service/web'});
		assert.deepEqual(kruiseTrafficRouting(routed({service: 'web', customNetworkRefs: [{kind: 'ApisixRoute', name: 'web-apisix'}]})), {service: 'web', canaryService: 'web-canary', router: {kind: 'plugin', object: {kind: 'ApisixRoute', name: 'web-apisix'}}, words: 'ApisixRoute/web-apisix for Service/web'});
	});

	test('only a Service: no router object; without a Service, no routing', () => {
		assert.deepEqual(kruiseTrafficRouting(routed({service: 'web', customNetworkRefs: 'x'})), {service: 'web', canaryService: 'web-canary', words: 'Service/web'});
		assert.deepEqual(kruiseTrafficRouting(beta({strategy: {blueGreen: {trafficRoutings: [{service: 'web'}]}}})), {service: 'web', canaryService: 'web-canary', words: 'Service/web'});
		assert.equal(kruiseTrafficRouting(routed({ingress: {name: 'web'}})), undefined);
		assert.equal(kruiseTrafficRouting(beta({strategy: {canary: {trafficRoutings: 'web'}}})), undefined);
		assert.equal(kruiseTrafficRouting({metadata: meta}), undefined);
	});
});

describe('the info of the strip', () => {
	test('a bare Rollout: its name, shape, style, no workload, Initial, no steps', () => {
		assert.deepEqual(kruiseInfo({apiVersion: 'rollouts.kruise.io/v1beta1', kind: 'Rollout', metadata: meta}), {name: 'demo', apiVersion: 'v1beta1', style: 'partition', workload: '?', phase: 'Initial', paused: false, disabled: false, steps: []});
		assert.deepEqual(kruiseInfo(beta({workloadRef: deploymentRef})), {name: 'demo', apiVersion: 'v1beta1', style: 'partition', workload: 'Deployment/web', phase: 'Initial', paused: false, disabled: false, steps: []});
		assert.deepEqual(kruiseInfo(beta({workloadRef: deploymentRef, strategy: {canary: {}}})), {name: 'demo', apiVersion: 'v1beta1', style: 'partition', workload: 'Deployment/web', phase: 'Initial', paused: false, disabled: false, steps: []});
	});

	test('every field of a canary status, the Progressing condition\'s reason, the flags', () => {
		const ro = beta({workloadRef: deploymentRef, disabled: true, strategy: {paused: true, canary: {steps: [{traffic: '20%', pause: {}}, {traffic: '100%', replicas: '100%'}], trafficRoutings: [{service: 'web'}]}}}, {
			phase: 'Progressing',
			message: 'Rollout is in step(1/2)',
			conditions: [{type: 'Succeeded', status: 'False', reason: 'Nope'}, {type: 'Progressing', status: 'True', reason: 'InRolling'}],
			canaryStatus: {currentStepIndex: 1, nextStepIndex: 2, currentStepState: 'StepPaused', canaryRevision: 'c1', stableRevision: 's1', podTemplateHash: 'h1', canaryReplicas: 2, canaryReadyReplicas: 1, finalisingStep: 'RestoreStableService', lastUpdateTime: '2025-06-01T11:59:30Z'},
		});
		assert.deepEqual(kruiseInfo(ro), {
			name: 'demo', apiVersion: 'v1beta1', style: 'partition', workload: 'Deployment/web', phase: 'Progressing', paused: true, disabled: true,
			steps: [{index: 1, label: '20% · pause', state: 'current', traffic: '20%', pause: 'manual'}, {index: 2, label: '100% · 100% pods', state: 'pending', traffic: '100%', replicas: '100%'}],
			releasing: true, message: 'Rollout is in step(1/2)', progressing: 'InRolling',
			step: {index: 1, count: 2}, state: 'StepPaused', nextStepIndex: 2, canaryRevision: 'c1', stableRevision: 's1', podTemplateHash: 'h1',
			canaryReplicas: 2, canaryReadyReplicas: 1, finalisingStep: 'RestoreStableService', lastUpdateTime: '2025-06-01T11:59:30Z', trafficRouting: 'Service/web',
		});
	});

	test('a blue-green status: updatedRevision and updatedReplicas; an empty status adds nothing; a step index without steps is no step', () => {
		const info = kruiseInfo(beta({workloadRef: deploymentRef, strategy: {blueGreen: {}}}, {phase: 'Healthy', blueGreenStatus: {currentStepIndex: 1, updatedRevision: 'u1', updatedReplicas: 3, updatedReadyReplicas: 2}}));
		assert.deepEqual(info, {name: 'demo', apiVersion: 'v1beta1', style: 'blueGreen', workload: 'Deployment/web', phase: 'Healthy', paused: false, disabled: false, steps: [], canaryRevision: 'u1', canaryReplicas: 3, canaryReadyReplicas: 2});
		const empty = kruiseInfo(beta({workloadRef: deploymentRef, strategy: {canary: {steps: [{traffic: '5%'}]}}}, {canaryStatus: {finalisingStep: '', message: ''}}));
		assert.deepEqual(empty, {name: 'demo', apiVersion: 'v1beta1', style: 'partition', workload: 'Deployment/web', phase: 'Initial', paused: false, disabled: false, steps: [{index: 1, label: '5% · pause', state: 'pending', traffic: '5%', pause: 'manual'}]});
	});
});
