// Small builders of plain Kubernetes objects for the release and traffic tests.
import type {KObject} from '../../source/kube/object.js';
import type {ClusterSnapshot} from '../../source/release/snapshot.js';

export const NAMESPACE = 'shop';
export const NOW = Date.parse('2025-06-01T12:00:00Z');

/** The timestamp `seconds` before NOW. */
export function ago(seconds: number): string {
	return new Date(NOW - seconds * 1000).toISOString();
}

type Labels = Record<string, string>;

export type DeploymentOptions = {
	labels?: Labels;
	replicas?: number;
	image?: string;
	revision?: number;
	generation?: number;
	observedGeneration?: number;
	updated?: number;
	ready?: number;
	available?: number;
	total?: number;
	paused?: boolean;
	conditions?: Array<{type: string; status: string; reason?: string; message?: string}>;
	age?: number;
};

export function deployment(name: string, o: DeploymentOptions = {}): KObject {
	const labels = o.labels ?? {app: name};
	const replicas = o.replicas ?? 2;
	return {
		apiVersion: 'apps/v1',
		kind: 'Deployment',
		metadata: {
			name,
			namespace: NAMESPACE,
			uid: `uid-deploy-${name}`,
			generation: o.generation ?? 1,
			creationTimestamp: ago(o.age ?? 86_400),
			annotations: {'deployment.kubernetes.io/revision': String(o.revision ?? 1)},
		},
		spec: {
			replicas,
			paused: o.paused,
			selector: {matchLabels: labels},
			template: {metadata: {labels}, spec: {containers: [{name: 'app', image: o.image ?? `${name}:1.0`}]}},
		},
		status: {
			observedGeneration: o.observedGeneration ?? o.generation ?? 1,
			replicas: o.total ?? replicas,
			updatedReplicas: o.updated ?? replicas,
			readyReplicas: o.ready ?? replicas,
			availableReplicas: o.available ?? replicas,
			conditions: o.conditions ?? [
				{type: 'Available', status: 'True', reason: 'MinimumReplicasAvailable'},
				{type: 'Progressing', status: 'True', reason: 'NewReplicaSetAvailable'},
			],
		},
	};
}

export type ReplicaSetOptions = {hash: string; revision: number; image?: string; replicas?: number; available?: number; changeCause?: string; age?: number};

export function replicaSet(owner: KObject, o: ReplicaSetOptions): KObject {
	const name = `${owner.metadata.name}-${o.hash}`;
	const labels = {...owner.spec.template.metadata.labels, 'pod-template-hash': o.hash};
	const annotations: Labels = {'deployment.kubernetes.io/revision': String(o.revision)};
	if (o.changeCause) annotations['kubernetes.io/change-cause'] = o.changeCause;
	return {
		apiVersion: 'apps/v1',
		kind: 'ReplicaSet',
		metadata: {
			name,
			namespace: NAMESPACE,
			uid: `uid-rs-${name}`,
			labels,
			annotations,
			creationTimestamp: ago(o.age ?? 3600),
			ownerReferences: [{apiVersion: 'apps/v1', kind: 'Deployment', name: owner.metadata.name ?? '', uid: owner.metadata.uid ?? '', controller: true}],
		},
		spec: {
			replicas: o.replicas ?? 0,
			selector: {matchLabels: labels},
			template: {metadata: {labels}, spec: {containers: [{name: 'app', image: o.image ?? 'app:1'}]}},
		},
		status: {replicas: o.replicas ?? 0, availableReplicas: o.available ?? o.replicas ?? 0},
	};
}

export type PodOptions = {
	ready?: boolean;
	phase?: string;
	waiting?: string;
	terminated?: {reason?: string; exitCode: number};
	restarts?: number;
	deleting?: boolean;
	age?: number;
	node?: string;
};

export function pod(owner: KObject, suffix: string, o: PodOptions = {}): KObject {
	const ready = o.ready ?? (o.waiting === undefined && o.terminated === undefined);
	const state = o.waiting ? {waiting: {reason: o.waiting}} : o.terminated ? {terminated: o.terminated} : {running: {startedAt: ago(o.age ?? 600)}};
	return {
		apiVersion: 'v1',
		kind: 'Pod',
		metadata: {
			name: `${owner.metadata.name}-${suffix}`,
			namespace: NAMESPACE,
			uid: `uid-pod-${owner.metadata.name}-${suffix}`,
			labels: owner.spec.template.metadata.labels,
			creationTimestamp: ago(o.age ?? 600),
			deletionTimestamp: o.deleting ? ago(1) : undefined,
			ownerReferences: [{apiVersion: 'apps/v1', kind: 'ReplicaSet', name: owner.metadata.name ?? '', uid: owner.metadata.uid ?? '', controller: true}],
		},
		spec: {nodeName: o.node ?? 'node-1', containers: [{name: 'app', image: owner.spec.template.spec.containers[0].image}]},
		status: {
			phase: o.phase ?? (o.waiting === 'ContainerCreating' ? 'Pending' : 'Running'),
			conditions: [{type: 'Ready', status: ready ? 'True' : 'False'}],
			containerStatuses: [{name: 'app', ready, restartCount: o.restarts ?? 0, state}],
		},
	};
}

export function service(name: string, selector: Labels): KObject {
	return {apiVersion: 'v1', kind: 'Service', metadata: {name, namespace: NAMESPACE, uid: `uid-svc-${name}`}, spec: {selector, ports: [{port: 80}]}};
}

export type EventOptions = {kind: string; name: string; reason: string; message?: string; type?: string; last?: number; first?: number; eventTime?: number; count?: number; id?: string};

let eventSerial = 0;
export function event(o: EventOptions): KObject {
	eventSerial++;
	return {
		apiVersion: 'v1',
		kind: 'Event',
		metadata: {name: o.id ?? `${o.name}.${eventSerial}`, namespace: NAMESPACE, creationTimestamp: ago(o.last ?? o.first ?? 0)},
		involvedObject: {kind: o.kind, name: o.name, namespace: NAMESPACE},
		reason: o.reason,
		message: o.message ?? o.reason,
		type: o.type ?? 'Normal',
		count: o.count ?? 1,
		lastTimestamp: o.last === undefined ? undefined : ago(o.last),
		firstTimestamp: o.first === undefined ? undefined : ago(o.first),
		eventTime: o.eventTime === undefined ? undefined : ago(o.eventTime),
	};
}

export function snapshot(objects: KObject[], namespace = NAMESPACE): ClusterSnapshot {
	const of = (kind: string) => objects.filter(o => o.kind === kind);
	const routerKinds = new Set(['VirtualService', 'DestinationRule', 'HTTPRoute', 'TrafficSplit', 'Ingress', 'TraefikService']);
	return {
		namespace,
		deployments: of('Deployment'),
		replicaSets: of('ReplicaSet'),
		pods: of('Pod'),
		services: of('Service'),
		events: of('Event'),
		routers: objects.filter(o => routerKinds.has(o.kind ?? '')),
		now: NOW,
	};
}

// Router objects.

export function virtualService(name: string, http: unknown[], extra: Partial<KObject['metadata']> = {}): KObject {
	return {apiVersion: 'networking.istio.io/v1', kind: 'VirtualService', metadata: {name, namespace: NAMESPACE, ...extra}, spec: {hosts: [name], http}};
}

export function destinationRule(name: string, host: string, subsets: Array<{name: string; labels: Labels}>): KObject {
	return {apiVersion: 'networking.istio.io/v1', kind: 'DestinationRule', metadata: {name, namespace: NAMESPACE}, spec: {host, subsets}};
}

export function httpRoute(name: string, backendRefs: Array<{name: string; weight?: number; kind?: string}>): KObject {
	return {
		apiVersion: 'gateway.networking.k8s.io/v1',
		kind: 'HTTPRoute',
		metadata: {name, namespace: NAMESPACE},
		spec: {parentRefs: [{name: 'public-gw', namespace: 'infra'}], rules: [{backendRefs: backendRefs.map(ref => ({port: 80, ...ref}))}]},
	};
}

export function trafficSplit(name: string, root: string, backends: Array<{service: string; weight: number | string}>, apiVersion = 'split.smi-spec.io/v1alpha4'): KObject {
	return {apiVersion, kind: 'TrafficSplit', metadata: {name, namespace: NAMESPACE}, spec: {service: root, backends}};
}

export function ingress(name: string, host: string, serviceName: string, annotations?: Labels): KObject {
	return {
		apiVersion: 'networking.k8s.io/v1',
		kind: 'Ingress',
		metadata: {name, namespace: NAMESPACE, annotations},
		spec: {ingressClassName: 'nginx', rules: [{host, http: {paths: [{path: '/', pathType: 'Prefix', backend: {service: {name: serviceName, port: {number: 80}}}}]}}]},
	};
}

export function traefikService(name: string, services: Array<{name: string; weight?: number}>): KObject {
	return {apiVersion: 'traefik.io/v1alpha1', kind: 'TraefikService', metadata: {name, namespace: NAMESPACE}, spec: {weighted: {services: services.map(s => ({port: 80, ...s}))}}};
}

/**
 * checkout (stable, track=stable, rev 7, 3 pods) and checkout-canary (track=canary, rev 2, 1 pod) behind the
 * Service `checkout`, plus `checkout-stable` and `checkout-canary` Services that select one side each.
 */
export function canaryPair(o: {trackLabels?: boolean} = {}): {objects: KObject[]; stable: KObject; canary: KObject} {
	const track = o.trackLabels ?? true;
	const stable = deployment('checkout', {
		labels: track ? {app: 'checkout', track: 'stable'} : {app: 'checkout', version: 'v1'},
		replicas: 3,
		image: 'shop/checkout:1.2.3',
		revision: 7,
		age: 30 * 86_400,
	});
	const canary = deployment('checkout-canary', {
		labels: track ? {app: 'checkout', track: 'canary'} : {app: 'checkout', version: 'v2'},
		replicas: 1,
		image: 'shop/checkout:1.3.0',
		revision: 2,
		age: 600,
	});
	const stableRs = replicaSet(stable, {hash: 'aaa111', revision: 7, image: 'shop/checkout:1.2.3', replicas: 3, changeCause: 'release 1.2.3', age: 7 * 86_400});
	const oldStableRs = replicaSet(stable, {hash: 'zzz000', revision: 6, image: 'shop/checkout:1.2.2', replicas: 0, age: 14 * 86_400});
	const canaryRs = replicaSet(canary, {hash: 'bbb222', revision: 2, image: 'shop/checkout:1.3.0', replicas: 1, changeCause: 'try 1.3.0', age: 600});
	const selectorOf = (d: KObject) => d.spec.template.metadata.labels as Labels;
	const objects = [
		stable,
		canary,
		stableRs,
		oldStableRs,
		canaryRs,
		pod(stableRs, 'a1'),
		pod(stableRs, 'a2'),
		pod(stableRs, 'a3'),
		pod(canaryRs, 'b1', {restarts: 1}),
		service('checkout', {app: 'checkout'}),
		service('checkout-stable', selectorOf(stable)),
		service('checkout-canary', selectorOf(canary)),
	];
	return {objects, stable, canary};
}
