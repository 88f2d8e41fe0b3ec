// The sim's own CustomResourceDefinitions, as data: the router and controller kinds rollscope
// reads (Istio, Gateway API, SMI, Traefik, Argo Rollouts, Flagger, OpenKruise Rollouts), with the names, versions,
// subresources and printer columns of their projects' install manifests. The store installs them
// at start through the same path as a `kubectl apply` of a CRD.
import type {KObject} from './object.js';

type Column = {name: string; jsonPath: string; type?: string; priority?: number; description?: string};

type CrdSpec = {
	group: string;
	kind: string;
	plural: string;
	shortNames?: string[];
	categories?: string[];
	scope?: 'Namespaced' | 'Cluster';
	/** Served versions; the first one marked storage is where objects are kept. */
	versions: string[];
	storage: string;
	status?: boolean;
	scale?: {specReplicasPath: string; statusReplicasPath: string; labelSelectorPath?: string};
	/** Printer columns of every version; none means kubectl shows Name and Age. */
	columns?: Column[];
	/** Printer columns of a version that has its own. */
	columnsOf?: Record<string, Column[]>;
	annotations?: Record<string, string>;
	labels?: Record<string, string>;
};

const age: Column = {name: 'Age', type: 'date', jsonPath: '.metadata.creationTimestamp', description: 'Time since the object was created'};

/** The schema the sim declares: anything goes (the sim does not enforce CRD schemas). */
const openSchema = {openAPIV3Schema: {type: 'object', 'x-kubernetes-preserve-unknown-fields': true}};

function crd(s: CrdSpec): KObject {
	const subresources = {...(s.status ? {status: {}} : {}), ...(s.scale ? {scale: s.scale} : {})};
	return {
		apiVersion: 'apiextensions.k8s.io/v1',
		kind: 'CustomResourceDefinition',
		metadata: {
			name: `${s.plural}.${s.group}`,
			...(s.annotations ? {annotations: s.annotations} : {}),
			labels: {'app.kubernetes.io/managed-by': 'rollscope-sim', ...s.labels},
		},
		spec: {
			group: s.group,
			names: {
				kind: s.kind,
				listKind: `${s.kind}List`,
				plural: s.plural,
				singular: s.kind.toLowerCase(),
				...(s.shortNames ? {shortNames: s.shortNames} : {}),
				...(s.categories ? {categories: s.categories} : {}),
			},
			scope: s.scope ?? 'Namespaced',
			versions: s.versions.map(name => ({
				name,
				served: true,
				storage: name === s.storage,
				schema: openSchema,
				...(Object.keys(subresources).length > 0 ? {subresources} : {}),
				...(s.columnsOf?.[name] ?? s.columns ? {additionalPrinterColumns: s.columnsOf?.[name] ?? s.columns} : {}),
			})),
			conversion: {strategy: 'None'},
		},
	};
}

const istio = {group: 'networking.istio.io', versions: ['v1', 'v1beta1', 'v1alpha3'], storage: 'v1', status: true, categories: ['istio-io', 'networking-istio-io']};

/** Gateway API CRDs live in a protected group, so they carry the approval annotation. */
const gatewayApi = {
	group: 'gateway.networking.k8s.io',
	status: true,
	categories: ['gateway-api'],
	annotations: {
		'api-approved.kubernetes.io': 'https://github.com/kubernetes-sigs/gateway-api/pull/3328',
		'gateway.networking.k8s.io/bundle-version': 'v1.2.1',
		'gateway.networking.k8s.io/channel': 'standard',
	},
};

const argo = {group: 'argoproj.io', versions: ['v1alpha1'], storage: 'v1alpha1', labels: {'app.kubernetes.io/name': 'argo-rollouts', 'app.kubernetes.io/part-of': 'argo-rollouts'}};

/** OpenKruise Rollouts: v1alpha1 and v1beta1 served, v1beta1 stored (the sim converts nothing: conversion None). */
const kruise = {group: 'rollouts.kruise.io', versions: ['v1alpha1', 'v1beta1'], storage: 'v1beta1', status: true, annotations: {'controller-gen.kubebuilder.io/version': 'v0.14.0'}};

const int = (name: string, jsonPath: string, priority?: number): Column => ({name, jsonPath, type: 'integer', ...(priority ? {priority} : {})});
const str = (name: string, jsonPath: string, priority?: number): Column => ({name, jsonPath, type: 'string', ...(priority ? {priority} : {})});
const bool = (name: string, jsonPath: string, priority?: number): Column => ({name, jsonPath, type: 'boolean', ...(priority ? {priority} : {})});

/** The sim's own CRDs, fresh objects on every call. */
export function simCrds(): KObject[] {
	return [
		// Istio: every networking kind is served as v1, v1beta1 and v1alpha3 (most examples still say v1alpha3).
		crd({...istio, kind: 'VirtualService', plural: 'virtualservices', shortNames: ['vs'], columns: [str('Gateways', '.spec.gateways'), str('Hosts', '.spec.hosts'), age]}),
		crd({...istio, kind: 'DestinationRule', plural: 'destinationrules', shortNames: ['dr'], columns: [str('Host', '.spec.host'), age]}),
		crd({...istio, kind: 'Gateway', plural: 'gateways', shortNames: ['gw']}),
		// Gateway API, standard channel.
		crd({
			...gatewayApi, kind: 'GatewayClass', plural: 'gatewayclasses', shortNames: ['gc'], scope: 'Cluster', versions: ['v1', 'v1beta1'], storage: 'v1',
			columns: [str('Controller', '.spec.controllerName'), str('Accepted', '.status.conditions[?(@.type=="Accepted")].status'), age, str('Description', '.spec.description', 1)],
		}),
		crd({
			...gatewayApi, kind: 'Gateway', plural: 'gateways', shortNames: ['gtw'], versions: ['v1', 'v1beta1'], storage: 'v1',
			columns: [str('Class', '.spec.gatewayClassName'), str('Address', '.status.addresses[*].value'), str('Programmed', '.status.conditions[?(@.type=="Programmed")].status'), age],
		}),
		crd({...gatewayApi, kind: 'HTTPRoute', plural: 'httproutes', versions: ['v1', 'v1beta1'], storage: 'v1', columns: [str('Hostnames', '.spec.hostnames'), age]}),
		crd({...gatewayApi, kind: 'GRPCRoute', plural: 'grpcroutes', versions: ['v1'], storage: 'v1', columns: [str('Hostnames', '.spec.hostnames'), age]}),
		// SMI: v1alpha1 to v1alpha4 with conversion None (v1alpha1 backends weigh with Quantities such as "500m").
		crd({
			group: 'split.smi-spec.io', kind: 'TrafficSplit', plural: 'trafficsplits', shortNames: ['ts'], versions: ['v1alpha1', 'v1alpha2', 'v1alpha3', 'v1alpha4'], storage: 'v1alpha2',
			columns: [{...str('Service', '.spec.service'), description: 'The apex service of this split.'}, age],
		}),
		crd({group: 'traefik.io', kind: 'TraefikService', plural: 'traefikservices', versions: ['v1alpha1'], storage: 'v1alpha1'}),
		// Argo Rollouts: AnalysisRuns and Experiments have no status subresource in Argo's CRDs.
		crd({
			...argo, kind: 'Rollout', plural: 'rollouts', shortNames: ['ro'], status: true,
			scale: {specReplicasPath: '.spec.replicas', statusReplicasPath: '.status.HPAReplicas', labelSelectorPath: '.status.selector'},
			columns: [int('Desired', '.spec.replicas'), int('Current', '.status.replicas'), int('Up-to-date', '.status.updatedReplicas'), int('Available', '.status.availableReplicas'), age],
		}),
		crd({...argo, kind: 'AnalysisRun', plural: 'analysisruns', shortNames: ['ar'], columns: [str('Status', '.status.phase'), age]}),
		crd({...argo, kind: 'AnalysisTemplate', plural: 'analysistemplates', shortNames: ['at'], columns: [age]}),
		crd({...argo, kind: 'ClusterAnalysisTemplate', plural: 'clusteranalysistemplates', shortNames: ['cat'], scope: 'Cluster', columns: [age]}),
		crd({...argo, kind: 'Experiment', plural: 'experiments', shortNames: ['exp'], columns: [str('Status', '.status.phase'), age]}),
		// Flagger: the columns kubectl showed before the sim had CRDs, then Flagger's wide ones.
		crd({
			group: 'flagger.app', kind: 'Canary', plural: 'canaries', shortNames: ['canary'], categories: ['all'], versions: ['v1beta1'], storage: 'v1beta1', status: true,
			columns: [
				str('Status', '.status.phase'),
				int('Weight', '.status.canaryWeight'),
				int('FailedChecks', '.status.failedChecks'),
				bool('Suspended', '.spec.suspend', 1),
				str('Interval', '.spec.analysis.interval', 1),
				bool('Mirror', '.spec.analysis.mirror', 1),
				str('StepWeight', '.spec.analysis.stepWeight', 1),
				str('StepWeights', '.spec.analysis.stepWeights', 1),
				str('MaxWeight', '.spec.analysis.maxWeight', 1),
				str('LastTransitionTime', '.status.lastTransitionTime'),
				age,
			],
		}),
		// OpenKruise Rollouts: v1alpha1 shows the step from canaryStatus, v1beta1 from the status itself.
		crd({
			...kruise, kind: 'Rollout', plural: 'rollouts',
			columnsOf: {
				v1alpha1: [
					{...str('STATUS', '.status.phase'), description: 'The rollout status phase'},
					{...int('CANARY_STEP', '.status.canaryStatus.currentStepIndex'), description: 'The rollout canary status step'},
					{...str('CANARY_STATE', '.status.canaryStatus.currentStepState'), description: 'The rollout canary status step state'},
					{...str('MESSAGE', '.status.message'), description: 'The rollout canary status message'},
					{name: 'AGE', type: 'date', jsonPath: '.metadata.creationTimestamp'},
				],
				v1beta1: [
					{...str('STATUS', '.status.phase'), description: 'The rollout status phase'},
					{...int('CANARY_STEP', '.status.currentStepIndex'), description: 'The rollout canary status step'},
					{...str('CANARY_STATE', '.status.currentStepState'), description: 'The rollout canary status step state'},
					{...str('MESSAGE', '.status.message'), description: 'The rollout canary status message'},
					{name: 'AGE', type: 'date', jsonPath: '.metadata.creationTimestamp'},
				],
			},
		}),
		crd({
			...kruise, kind: 'BatchRelease', plural: 'batchreleases',
			columns: [str('KIND', '.spec.targetReference.workloadRef.kind'), str('PHASE', '.status.phase'), int('BATCH', '.status.canaryStatus.currentBatch'), str('BATCH-STATE', '.status.canaryStatus.batchState'), {name: 'AGE', type: 'date', jsonPath: '.metadata.creationTimestamp'}],
		}),
	];
}
