// The kinds of object the simulated cluster serves, as discovery describes them.

export type Resource = {
	/** API group; '' for core/v1. */
	group: string;
	/** Versions served, preferred first. Objects are stored once, under the preferred version. */
	versions: string[];
	plural: string;
	singular: string;
	kind: string;
	namespaced: boolean;
	shortNames?: string[];
	categories?: string[];
	subresources?: Array<'status' | 'scale'>;
	/** Built into Kubernetes: strategic merge patch is accepted. Custom resources answer 415. */
	builtin: boolean;
	/** Verbs beyond the usual CRUD set (for create-only resources such as access reviews). */
	verbs?: string[];
	/** Served for reads only under this group (events.k8s.io mirrors core events). */
	readOnly?: boolean;
	/** The stored resource this one is a view of. */
	aliasOf?: string;
	/** Extra columns kubectl prints for custom resources. */
	printerColumns?: Array<{name: string; jsonPath: string; type?: string}>;
};

const allVerbs = ['create', 'delete', 'deletecollection', 'get', 'list', 'patch', 'update', 'watch'];

export const resources: Resource[] = [
	{group: '', versions: ['v1'], plural: 'namespaces', singular: 'namespace', kind: 'Namespace', namespaced: false, shortNames: ['ns'], subresources: ['status'], builtin: true},
	{group: '', versions: ['v1'], plural: 'pods', singular: 'pod', kind: 'Pod', namespaced: true, shortNames: ['po'], categories: ['all'], subresources: ['status'], builtin: true},
	{group: '', versions: ['v1'], plural: 'services', singular: 'service', kind: 'Service', namespaced: true, shortNames: ['svc'], categories: ['all'], subresources: ['status'], builtin: true},
	{group: '', versions: ['v1'], plural: 'endpoints', singular: 'endpoints', kind: 'Endpoints', namespaced: true, shortNames: ['ep'], builtin: true},
	{group: '', versions: ['v1'], plural: 'events', singular: 'event', kind: 'Event', namespaced: true, shortNames: ['ev'], builtin: true},
	{group: '', versions: ['v1'], plural: 'configmaps', singular: 'configmap', kind: 'ConfigMap', namespaced: true, shortNames: ['cm'], builtin: true},
	{group: 'events.k8s.io', versions: ['v1'], plural: 'events', singular: 'event', kind: 'Event', namespaced: true, shortNames: ['ev'], builtin: true, readOnly: true, aliasOf: 'events'},
	{group: 'apps', versions: ['v1'], plural: 'deployments', singular: 'deployment', kind: 'Deployment', namespaced: true, shortNames: ['deploy'], categories: ['all'], subresources: ['status', 'scale'], builtin: true},
	{group: 'apps', versions: ['v1'], plural: 'replicasets', singular: 'replicaset', kind: 'ReplicaSet', namespaced: true, shortNames: ['rs'], categories: ['all'], subresources: ['status', 'scale'], builtin: true},
	{group: 'networking.k8s.io', versions: ['v1'], plural: 'ingresses', singular: 'ingress', kind: 'Ingress', namespaced: true, shortNames: ['ing'], subresources: ['status'], builtin: true},
	{group: 'authorization.k8s.io', versions: ['v1'], plural: 'selfsubjectaccessreviews', singular: 'selfsubjectaccessreview', kind: 'SelfSubjectAccessReview', namespaced: false, builtin: true, verbs: ['create']},
	{group: 'authentication.k8s.io', versions: ['v1', 'v1beta1'], plural: 'selfsubjectreviews', singular: 'selfsubjectreview', kind: 'SelfSubjectReview', namespaced: false, builtin: true, verbs: ['create']},
	{
		group: 'networking.istio.io', versions: ['v1', 'v1beta1'], plural: 'virtualservices', singular: 'virtualservice', kind: 'VirtualService', namespaced: true,
		shortNames: ['vs'], categories: ['istio-io', 'networking-istio-io'], subresources: ['status'], builtin: false,
		printerColumns: [{name: 'Gateways', jsonPath: '.spec.gateways'}, {name: 'Hosts', jsonPath: '.spec.hosts'}],
	},
	{
		group: 'networking.istio.io', versions: ['v1', 'v1beta1'], plural: 'destinationrules', singular: 'destinationrule', kind: 'DestinationRule', namespaced: true,
		shortNames: ['dr'], categories: ['istio-io', 'networking-istio-io'], subresources: ['status'], builtin: false,
		printerColumns: [{name: 'Host', jsonPath: '.spec.host'}],
	},
	{
		group: 'gateway.networking.k8s.io', versions: ['v1', 'v1beta1'], plural: 'httproutes', singular: 'httproute', kind: 'HTTPRoute', namespaced: true,
		categories: ['gateway-api'], subresources: ['status'], builtin: false,
		printerColumns: [{name: 'Hostnames', jsonPath: '.spec.hostnames'}],
	},
	{group: 'split.smi-spec.io', versions: ['v1alpha2'], plural: 'trafficsplits', singular: 'trafficsplit', kind: 'TrafficSplit', namespaced: true, shortNames: ['ts'], builtin: false, printerColumns: [{name: 'Service', jsonPath: '.spec.service'}]},
	{group: 'traefik.io', versions: ['v1alpha1'], plural: 'traefikservices', singular: 'traefikservice', kind: 'TraefikService', namespaced: true, builtin: false},
	// Argo Rollouts and Flagger (their controllers: controllers/argo-rollout.ts, controllers/flagger.ts).
	{
		group: 'argoproj.io', versions: ['v1alpha1'], plural: 'rollouts', singular: 'rollout', kind: 'Rollout', namespaced: true,
		shortNames: ['ro'], subresources: ['status', 'scale'], builtin: false,
		printerColumns: [
			{name: 'Desired', jsonPath: '.spec.replicas', type: 'integer'},
			{name: 'Current', jsonPath: '.status.replicas', type: 'integer'},
			{name: 'Up-to-date', jsonPath: '.status.updatedReplicas', type: 'integer'},
			{name: 'Available', jsonPath: '.status.availableReplicas', type: 'integer'},
		],
	},
	{
		group: 'argoproj.io', versions: ['v1alpha1'], plural: 'analysisruns', singular: 'analysisrun', kind: 'AnalysisRun', namespaced: true,
		shortNames: ['ar'], subresources: ['status'], builtin: false,
		printerColumns: [{name: 'Status', jsonPath: '.status.phase'}],
	},
	{group: 'argoproj.io', versions: ['v1alpha1'], plural: 'analysistemplates', singular: 'analysistemplate', kind: 'AnalysisTemplate', namespaced: true, shortNames: ['at'], builtin: false},
	{
		group: 'flagger.app', versions: ['v1beta1'], plural: 'canaries', singular: 'canary', kind: 'Canary', namespaced: true,
		shortNames: ['canary'], subresources: ['status'], builtin: false,
		printerColumns: [
			{name: 'Status', jsonPath: '.status.phase'},
			{name: 'Weight', jsonPath: '.status.canaryWeight', type: 'integer'},
			{name: 'FailedChecks', jsonPath: '.status.failedChecks', type: 'integer'},
			{name: 'LastTransitionTime', jsonPath: '.status.lastTransitionTime'},
		],
	},
];

/** The key a resource is stored and watched under: 'pods', 'apps/deployments'. */
export function resourceKey(r: Pick<Resource, 'group' | 'plural'>): string {
	return r.group === '' ? r.plural : `${r.group}/${r.plural}`;
}

export function storageKey(r: Resource): string {
	return r.aliasOf ?? resourceKey(r);
}

export function apiVersionOf(r: Resource, version = r.versions[0]!): string {
	return r.group === '' ? version : `${r.group}/${version}`;
}

/** The group-qualified name used in error messages: `deployments.apps`, `pods`. */
export function qualifiedName(r: Resource): string {
	return r.group === '' ? r.plural : `${r.plural}.${r.group}`;
}

export function findResource(group: string, version: string, plural: string): Resource | undefined {
	return resources.find(r => r.group === group && r.plural === plural && r.versions.includes(version));
}

export function resourceByKey(key: string): Resource {
	const r = resources.find(x => resourceKey(x) === key);
	if (!r) throw new Error(`unknown resource ${key}`);
	return r;
}

export function verbsOf(r: Resource): string[] {
	if (r.verbs) return r.verbs;
	if (r.readOnly) return ['get', 'list', 'watch'];
	return allVerbs;
}
