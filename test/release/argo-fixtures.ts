// Argo Rollouts and Flagger objects shaped like the projects' own examples (rollouts-demo from the Argo
// getting-started guide, its Istio and blue-green variants, Flagger's podinfo), for the release tests.
import type {KObject} from '../../source/kube/object.js';
import type {ClusterSnapshot} from '../../source/release/snapshot.js';
import {ago, deployment, NAMESPACE, pod, replicaSet, snapshot} from './fixtures.js';

type Labels = Record<string, string>;

/** The getting-started steps: 20% · pause · 40% · pause 10 · 60% · pause 10 · 80% · pause 10. */
export const demoSteps = [
	{setWeight: 20},
	{pause: {}},
	{setWeight: 40},
	{pause: {duration: 10}},
	{setWeight: 60},
	{pause: {duration: 10}},
	{setWeight: 80},
	{pause: {duration: 10}},
];

export function rollout(name: string, strategy: Record<string, unknown>, status: Record<string, unknown>, o: {replicas?: number; image?: string; generation?: number; paused?: boolean} = {}): KObject {
	return {
		apiVersion: 'argoproj.io/v1alpha1',
		kind: 'Rollout',
		metadata: {name, namespace: NAMESPACE, uid: `uid-ro-${name}`, generation: o.generation ?? 2, creationTimestamp: ago(900)},
		spec: {
			replicas: o.replicas ?? 5,
			revisionHistoryLimit: 2,
			...(o.paused ? {paused: true} : {}),
			selector: {matchLabels: {app: name}},
			template: {
				metadata: {labels: {app: name}},
				spec: {containers: [{name, image: o.image ?? 'argoproj/rollouts-demo:yellow', ports: [{name: 'http', containerPort: 8080, protocol: 'TCP'}]}]},
			},
			strategy,
		},
		status: {observedGeneration: String(o.generation ?? 2), selector: `app=${name}`, ...status},
	};
}

/** A ReplicaSet of a Rollout, with `available` ready pods. */
export function rolloutReplicaSet(owner: KObject, hash: string, revision: number, image: string, replicas: number, age = 600): {rs: KObject; pods: KObject[]} {
	const name = `${owner.metadata.name}-${hash}`;
	const labels: Labels = {app: owner.metadata.name!, 'rollouts-pod-template-hash': hash};
	const rs: KObject = {
		apiVersion: 'apps/v1',
		kind: 'ReplicaSet',
		metadata: {
			name,
			namespace: NAMESPACE,
			uid: `uid-rs-${name}`,
			labels,
			annotations: {'rollout.argoproj.io/revision': String(revision)},
			creationTimestamp: ago(age),
			ownerReferences: [{apiVersion: 'argoproj.io/v1alpha1', kind: 'Rollout', name: owner.metadata.name!, uid: owner.metadata.uid!, controller: true}],
		},
		spec: {replicas, selector: {matchLabels: labels}, template: {metadata: {labels}, spec: {containers: [{name: owner.metadata.name, image}]}}},
		status: {replicas, readyReplicas: replicas, availableReplicas: replicas},
	};
	const pods = Array.from({length: replicas}, (_, i) => pod(rs, `p${i}`, {age}));
	return {rs, pods};
}

export function analysisRun(owner: KObject, name: string, o: {hash: string; revision: number; stepIndex?: number; type?: string; phase: string; metrics: unknown[]; results: unknown[]; message?: string}): KObject {
	const labels: Labels = {'rollout-type': o.type ?? 'Step', 'rollouts-pod-template-hash': o.hash};
	if (o.stepIndex !== undefined) labels['step-index'] = String(o.stepIndex);
	return {
		apiVersion: 'argoproj.io/v1alpha1',
		kind: 'AnalysisRun',
		metadata: {
			name,
			namespace: NAMESPACE,
			labels,
			annotations: {'rollout.argoproj.io/revision': String(o.revision)},
			creationTimestamp: ago(60),
			ownerReferences: [{apiVersion: 'argoproj.io/v1alpha1', kind: 'Rollout', name: owner.metadata.name!, uid: owner.metadata.uid!, controller: true}],
		},
		spec: {metrics: o.metrics},
		status: {phase: o.phase, startedAt: ago(60), metricResults: o.results, ...(o.message ? {message: o.message} : {})},
	};
}

export function virtualServiceOf(name: string, stable: string, canary: string, stableWeight: number, canaryWeight: number): KObject {
	return {
		apiVersion: 'networking.istio.io/v1beta1',
		kind: 'VirtualService',
		metadata: {name, namespace: NAMESPACE, uid: `uid-vs-${name}`},
		spec: {
			gateways: ['rollouts-demo-gateway'],
			hosts: ['rollouts-demo.local'],
			http: [{
				name: 'primary',
				route: [
					{destination: {host: stable}, weight: stableWeight},
					{destination: {host: canary}, weight: canaryWeight},
				],
			}],
		},
	};
}

export function svc(name: string, selector: Labels): KObject {
	return {apiVersion: 'v1', kind: 'Service', metadata: {name, namespace: NAMESPACE, uid: `uid-svc-${name}`}, spec: {selector, ports: [{port: 80, targetPort: 'http'}]}};
}

const controllerKinds = new Set(['Rollout', 'AnalysisRun', 'Experiment', 'Canary']);
const isKruise = (o: KObject) => (o.apiVersion ?? '').startsWith('rollouts.kruise.io/');

/** A snapshot with the Argo, Flagger and OpenKruise kinds sorted into their fields (a Rollout by its API group). */
export function progressiveSnapshot(objects: KObject[]): ClusterSnapshot {
	const snap = snapshot(objects.filter(o => !controllerKinds.has(o.kind ?? '')));
	return {
		...snap,
		rollouts: objects.filter(o => o.kind === 'Rollout' && !isKruise(o)),
		analysisRuns: objects.filter(o => o.kind === 'AnalysisRun'),
		experiments: objects.filter(o => o.kind === 'Experiment'),
		canaries: objects.filter(o => o.kind === 'Canary'),
		kruiseRollouts: objects.filter(o => o.kind === 'Rollout' && isKruise(o)),
	};
}

// --- Flagger --------------------------------------------------------------------------------

/** Flagger's podinfo Canary (Istio), with `analysis` and `status` as given. */
export function podinfoCanary(analysis: Record<string, unknown>, status: Record<string, unknown>, spec: Record<string, unknown> = {}): KObject {
	return {
		apiVersion: 'flagger.app/v1beta1',
		kind: 'Canary',
		metadata: {name: 'podinfo', namespace: NAMESPACE, uid: 'uid-canary-podinfo', generation: 1, creationTimestamp: ago(3600)},
		spec: {
			targetRef: {apiVersion: 'apps/v1', kind: 'Deployment', name: 'podinfo'},
			progressDeadlineSeconds: 60,
			service: {port: 9898, targetPort: 9898, gateways: ['public-gateway.istio-system.svc.cluster.local'], hosts: ['app.example.com']},
			analysis,
			...spec,
		},
		status,
	};
}

/** The Deployments Flagger works with: podinfo (the canary, scaled to `canaryReplicas`) and podinfo-primary. */
export function podinfoDeployments(canaryImage: string, primaryImage: string, canaryReplicas: number): KObject[] {
	const target = deployment('podinfo', {labels: {app: 'podinfo'}, image: canaryImage, replicas: canaryReplicas, revision: 3});
	const primary = deployment('podinfo-primary', {labels: {app: 'podinfo-primary'}, image: primaryImage, replicas: 2, revision: 2});
	const objects: KObject[] = [target, primary];
	if (canaryReplicas > 0) {
		const rs = replicaSet(target, {hash: '7c9f5d', revision: 3, image: canaryImage, replicas: canaryReplicas});
		objects.push(rs, ...Array.from({length: canaryReplicas}, (_, i) => pod(rs, `c${i}`)));
	}
	const prs = replicaSet(primary, {hash: '5b8d4c', revision: 2, image: primaryImage, replicas: 2});
	objects.push(prs, pod(prs, 'a'), pod(prs, 'b'));
	return objects;
}

export function podinfoRouting(primaryWeight: number, canaryWeight: number): KObject[] {
	const vs = virtualServiceOf('podinfo', 'podinfo-primary', 'podinfo-canary', primaryWeight, canaryWeight);
	vs.metadata.ownerReferences = [{apiVersion: 'flagger.app/v1beta1', kind: 'Canary', name: 'podinfo', uid: 'uid-canary-podinfo', controller: true}];
	return [svc('podinfo', {app: 'podinfo-primary'}), svc('podinfo-primary', {app: 'podinfo-primary'}), svc('podinfo-canary', {app: 'podinfo'}), vs];
}
