// OpenKruise Rollouts (rollouts.kruise.io v1beta1 and v1alpha1): a Rollout releasing a Deployment in steps, as
// a Release. The versions are the stable and canary pods of the Deployment, told apart as Kruise does: the stable
// ReplicaSet's pod-template-hash is status.canaryStatus.stableRevision, the canary's is podTemplateHash; the
// canary ReplicaSet belongs to a canary Deployment (labelled rollouts.kruise.io/canary-deployment) in the canary
// style, to the workload itself in the partition style.
import type {KObject} from '../kube/object.js';
import {gatewayApiRouter} from '../traffic/gateway-api.js';
import {istioRouter} from '../traffic/istio.js';
import {nginxRouter} from '../traffic/nginx.js';
import {replicaShare} from '../traffic/replicas.js';
import type {Router, RouterKind, Side, WeightReading} from '../traffic/router.js';
import type {DetectedRelease} from './detected.js';
import {releaseEvents} from './events.js';
import {templateLabels} from './labels.js';
import type {KruiseRolloutInfo, KruiseStep, PodInfo, Release, Role, TrafficSplit, Version} from './model.js';
import {compareText, nameOf, revisionOf} from './object-fields.js';
import {podInfo} from './pods.js';
import {conditionsOf} from './progress.js';
import {revisionsOf} from './revisions.js';
import {sanitize} from './sanitize.js';
import type {Scan} from './scan.js';
import type {ClusterSnapshot} from './snapshot.js';
import {replicaSetVersion} from './versions.js';

export const KRUISE_GROUP = 'rollouts.kruise.io';
/** On the canary Deployment of the canary style: the name of the workload it is the canary of. */
export const CANARY_DEPLOYMENT_LABEL = 'rollouts.kruise.io/canary-deployment';
/** On the workload while it is released: the pod-template-hash of its stable ReplicaSet. */
export const STABLE_REVISION_LABEL = 'rollouts.kruise.io/stable-revision';
/** On the workload while it is released: `{"rolloutName":…}`. */
export const IN_PROGRESSING_ANNOTATION = 'rollouts.kruise.io/in-progressing';
/** v1alpha1: `partition` releases the workload in place; anything else makes a canary Deployment. */
export const ROLLING_STYLE_ANNOTATION = 'rollouts.kruise.io/rolling-style';
const POD_TEMPLATE_HASH = 'pod-template-hash';

const text = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v : undefined);
const int = (v: unknown): number | undefined => (typeof v === 'number' && Number.isFinite(v) ? Math.trunc(v) : undefined);
const count = (v: unknown): number => int(v) ?? 0;

/** An OpenKruise Rollout (its apiVersion says rollouts.kruise.io). */
export function isKruiseRollout(o: KObject): boolean {
	return (o.apiVersion ?? '').startsWith(`${KRUISE_GROUP}/`);
}

/** The shape of the object, whatever version it was served in: v1alpha1 nests the workload under objectRef. */
export function kruiseShape(ro: KObject): 'v1alpha1' | 'v1beta1' {
	return ro.spec?.objectRef !== undefined && ro.spec?.workloadRef === undefined ? 'v1alpha1' : 'v1beta1';
}

/** spec.workloadRef (v1beta1) or spec.objectRef.workloadRef (v1alpha1). */
export function kruiseWorkloadRef(ro: KObject): {apiVersion?: string; kind: string; name: string} | undefined {
	const ref = kruiseShape(ro) === 'v1alpha1' ? ro.spec?.objectRef?.workloadRef : ro.spec?.workloadRef;
	return text(ref?.kind) && text(ref?.name) ? {...(text(ref.apiVersion) ? {apiVersion: ref.apiVersion} : {}), kind: ref.kind, name: ref.name} : undefined;
}

/** GetRollingStyle (with IsRealPartition for Deployments): canary Deployment, partition of the workload, or blue-green. */
export function kruiseStyle(ro: KObject): KruiseRolloutInfo['style'] {
	const strategy = ro.spec?.strategy ?? {};
	if (strategy.blueGreen) return 'blueGreen';
	const canaryStyle = kruiseShape(ro) === 'v1alpha1'
		? String(ro.metadata.annotations?.[ROLLING_STYLE_ANNOTATION] ?? '').toLowerCase() !== 'partition'
		: strategy.canary?.enableExtraWorkloadForCanary === true;
	return canaryStyle && kruiseWorkloadRef(ro)?.kind === 'Deployment' ? 'canary' : 'partition';
}

/** The canary or blue-green status, whichever the controller keeps. */
export function kruiseSubStatus(ro: KObject): Record<string, any> | undefined {
	const status = ro.status ?? {};
	return status.canaryStatus ?? status.blueGreenStatus ?? undefined;
}

type StepSpec = {traffic?: string; matches: string[]; replicas?: string; pause?: 'manual' | number};

/** A header match of a step in words (Gateway API's HTTPHeaderMatch): `header x-canary=always`, `header ua ~ ^pc`. */
function headerMatch(h: any): string | undefined {
	const name = text(h?.name);
	if (!name) return undefined;
	return h.type === 'RegularExpression' ? `header ${sanitize(name)} ~ ${sanitize(h.value)}` : `header ${sanitize(name)}=${sanitize(h.value)}`;
}

/** The raw steps of the strategy (canary or blue-green). */
export function kruiseRawSteps(ro: KObject): Array<Record<string, any>> {
	const strategy = ro.spec?.strategy ?? {};
	const steps = strategy.blueGreen ? strategy.blueGreen.steps : strategy.canary?.steps;
	return Array.isArray(steps) ? steps.filter(s => s && typeof s === 'object') : [];
}

/** A step's traffic as Kruise reads it: v1beta1 `traffic: "5%"`, v1alpha1 `weight: 5`. */
export function stepTraffic(step: Record<string, any>): string | undefined {
	if (text(step.traffic)) return sanitize(step.traffic);
	return int(step.weight) !== undefined ? `${int(step.weight)}%` : undefined;
}

/** A step's canary replicas: `replicas` (a number or a percent); v1alpha1 defaults it to the weight. */
export function stepReplicas(step: Record<string, any>): string | undefined {
	const r = step.replicas;
	if (typeof r === 'number' && Number.isFinite(r)) return String(Math.trunc(r));
	if (text(r)) return sanitize(r);
	return int(step.weight) !== undefined ? `${int(step.weight)}%` : undefined;
}

/** `replicas` scaled to the workload's replicas, rounded up (GetScaledValueFromIntOrPercent). */
export function scaledReplicas(value: string | undefined, total: number): number {
	if (value === undefined) return 0;
	const percent = /^(\d+)%$/.exec(value);
	if (percent) return Math.ceil((Number(percent[1]) * total) / 100);
	const n = Number.parseInt(value, 10);
	return Number.isFinite(n) ? n : 0;
}

function stepSpec(step: Record<string, any>, last: boolean): StepSpec {
	const spec: StepSpec = {matches: []};
	const traffic = stepTraffic(step);
	if (traffic) spec.traffic = traffic;
	for (const m of Array.isArray(step.matches) ? step.matches : []) {
		const words = (Array.isArray(m?.headers) ? m.headers : []).map(headerMatch).filter((w: string | undefined): w is string => w !== undefined);
		if (words.length > 0) spec.matches.push(words.join(' and '));
	}
	const replicas = stepReplicas(step);
	if (replicas) spec.replicas = replicas;
	// Every step waits (pause is a struct): for its duration, else for approval; the last at 100% does not.
	const duration = int(step.pause?.duration);
	if (!(last && replicas === '100%')) spec.pause = duration !== undefined ? duration : 'manual';
	return spec;
}

function stepLabel(spec: StepSpec): string {
	const replicas = spec.replicas === undefined ? undefined : spec.replicas.endsWith('%') ? `${spec.replicas} pods` : `${spec.replicas} pod${spec.replicas === '1' ? '' : 's'}`;
	const pause = spec.pause === undefined ? undefined : spec.pause === 'manual' ? 'pause' : `pause ${spec.pause}s`;
	return [...(spec.matches.length > 0 ? [spec.matches.join(' or ')] : spec.traffic ? [spec.traffic] : []), replicas, pause].filter(Boolean).join(' · ') || 'step';
}

/** The steps with the current one marked: done before it (and it too once Completed). */
export function kruiseSteps(ro: KObject): KruiseStep[] {
	const raw = kruiseRawSteps(ro);
	const sub = kruiseSubStatus(ro);
	const current = int(sub?.currentStepIndex) ?? 0;
	const completed = sub?.currentStepState === 'Completed';
	return raw.map((step, i) => {
		const index = i + 1;
		const spec = stepSpec(step, index === raw.length);
		const state: KruiseStep['state'] = index < current || (index === current && completed) ? 'done' : index === current ? 'current' : 'pending';
		const out: KruiseStep = {index, label: stepLabel(spec), state};
		if (spec.traffic) out.traffic = spec.traffic;
		if (spec.matches.length > 0) out.matches = spec.matches;
		if (spec.replicas) out.replicas = spec.replicas;
		if (spec.pause !== undefined) out.pause = spec.pause;
		return out;
	});
}

/** The phase, `Initial` before the controller wrote one. */
export function kruisePhase(ro: KObject): string {
	return sanitize(text(ro.status?.phase) ?? 'Initial');
}

/** Whether the Rollout is releasing (or winding down after) a new version. */
export function kruiseInProgress(ro: KObject, workload: KObject | undefined): boolean {
	const phase = kruisePhase(ro);
	if (phase === 'Progressing' || phase === 'Disabling' || phase === 'Terminating') return true;
	return phase !== 'Disabled' && workload?.metadata.annotations?.[IN_PROGRESSING_ANNOTATION] !== undefined;
}

/** The first trafficRoutings entry: the stable Service, the canary Service Kruise makes, and the router object it writes. */
export function kruiseTrafficRouting(ro: KObject): {service: string; canaryService: string; router?: {kind: RouterKind; object: {kind: string; name: string}; reader?: Router}; words: string} | undefined {
	const strategy = ro.spec?.strategy ?? {};
	const part = strategy.blueGreen ?? strategy.canary ?? {};
	const ref = Array.isArray(part.trafficRoutings) ? part.trafficRoutings[0] : undefined;
	const service = text(ref?.service);
	if (!service) return undefined;
	const canaryService = part.disableGenerateCanaryService === true ? service : `${service}-canary`;
	const base = {service: sanitize(service), canaryService: sanitize(canaryService)};
	if (text(ref.ingress?.name)) {
		const classType = sanitize(text(ref.ingress.classType) ?? 'nginx');
		return {...base, router: {kind: 'nginx', object: {kind: 'Ingress', name: sanitize(`${ref.ingress.name}-canary`)}, reader: nginxRouter}, words: `Ingress/${sanitize(ref.ingress.name)} (${classType}) for Service/${base.service}`};
	}
	if (text(ref.gateway?.httpRouteName)) {
		return {...base, router: {kind: 'gateway-api', object: {kind: 'HTTPRoute', name: sanitize(ref.gateway.httpRouteName)}, reader: gatewayApiRouter}, words: `HTTPRoute/${sanitize(ref.gateway.httpRouteName)} for Service/${base.service}`};
	}
	const custom = (Array.isArray(ref.customNetworkRefs) ? ref.customNetworkRefs : []).find((c: any) => text(c?.kind) && text(c?.name));
	if (custom) {
		const istio = custom.kind === 'VirtualService';
		return {...base, router: {kind: istio ? 'istio' : 'plugin', object: {kind: sanitize(custom.kind), name: sanitize(custom.name)}, ...(istio ? {reader: istioRouter} : {})}, words: `${sanitize(custom.kind)}/${sanitize(custom.name)} for Service/${base.service}`};
	}
	return {...base, words: `Service/${base.service}`};
}

/** What the Rollout's spec and status say, for the strip and the plain text. */
export function kruiseInfo(ro: KObject): KruiseRolloutInfo {
	const sub = kruiseSubStatus(ro);
	const workload = kruiseWorkloadRef(ro);
	const steps = kruiseSteps(ro);
	const info: KruiseRolloutInfo = {
		name: sanitize(nameOf(ro)),
		apiVersion: kruiseShape(ro),
		style: kruiseStyle(ro),
		workload: workload ? `${sanitize(workload.kind)}/${sanitize(workload.name)}` : '?',
		phase: kruisePhase(ro),
		paused: ro.spec?.strategy?.paused === true,
		disabled: ro.spec?.disabled === true,
		steps,
	};
	if (kruiseInProgress(ro, undefined)) info.releasing = true;
	if (text(ro.status?.message)) info.message = sanitize(ro.status.message);
	const progressing = conditionsOf(ro).find(c => c.type === 'Progressing');
	if (progressing?.reason) info.progressing = sanitize(progressing.reason);
	if (sub) {
		const index = int(sub.currentStepIndex);
		if (index !== undefined && steps.length > 0) info.step = {index, count: steps.length};
		if (text(sub.currentStepState)) info.state = sanitize(sub.currentStepState);
		if (int(sub.nextStepIndex) !== undefined) info.nextStepIndex = int(sub.nextStepIndex);
		const canaryRevision = text(sub.canaryRevision) ?? text(sub.updatedRevision);
		if (canaryRevision) info.canaryRevision = sanitize(canaryRevision);
		if (text(sub.stableRevision)) info.stableRevision = sanitize(sub.stableRevision);
		if (text(sub.podTemplateHash)) info.podTemplateHash = sanitize(sub.podTemplateHash);
		const replicas = int(sub.canaryReplicas) ?? int(sub.updatedReplicas);
		if (replicas !== undefined) info.canaryReplicas = replicas;
		const ready = int(sub.canaryReadyReplicas) ?? int(sub.updatedReadyReplicas);
		if (ready !== undefined) info.canaryReadyReplicas = ready;
		if (text(sub.finalisingStep)) info.finalisingStep = sanitize(sub.finalisingStep);
		if (text(sub.lastUpdateTime)) info.lastUpdateTime = sanitize(sub.lastUpdateTime);
	}
	const routing = kruiseTrafficRouting(ro);
	if (routing) info.trafficRouting = routing.words;
	return info;
}

// --- The Release ------------------------------------------------------------------------------

/** The canary Deployments the canary style made for a workload (labelled with its name). */
export function canaryDeployments(scan: Scan, workload: KObject): KObject[] {
	return scan.deployments.filter(d => d !== workload && d.metadata.labels?.[CANARY_DEPLOYMENT_LABEL] === nameOf(workload));
}

const hashOf = (rs: KObject | undefined): string | undefined => rs?.metadata.labels?.[POD_TEMPLATE_HASH];

type Chosen = {stable?: KObject; canary?: KObject; others: KObject[]};

/** The stable and canary ReplicaSets, as Kruise tells them apart, and the others that still run pods. */
function chooseReplicaSets(ro: KObject, scan: Scan, workload: KObject, canaries: KObject[]): Chosen {
	const own = scan.own.replicaSetsOf(workload);
	const all = [...own, ...canaries.flatMap(d => scan.own.replicaSetsOf(d))];
	const sub = kruiseSubStatus(ro);
	const progressing = kruiseInProgress(ro, workload);
	const current = scan.own.currentReplicaSet(workload);
	let stable: KObject | undefined;
	let canary: KObject | undefined;
	if (!progressing) {
		stable = current;
	} else {
		const stableHash = text(sub?.stableRevision) ?? workload.metadata.labels?.[STABLE_REVISION_LABEL];
		stable = own.find(rs => hashOf(rs) === stableHash) ?? (kruiseStyle(ro) === 'canary' ? current : undefined);
		const canaryHash = text(sub?.podTemplateHash);
		canary = all.find(rs => rs !== stable && canaryHash !== undefined && hashOf(rs) === canaryHash);
		// Before podTemplateHash is written: the canary Deployment's newest ReplicaSet, or the workload's new one.
		canary ??= canaries.map(d => scan.own.currentReplicaSet(d)).find(rs => rs !== undefined) ?? (current !== stable ? current : undefined);
	}
	const others = all.filter(rs => rs !== stable && rs !== canary && (scan.own.podsOf(rs).length > 0 || count(rs.spec?.replicas) > 0));
	return {...(stable ? {stable} : {}), ...(canary ? {canary} : {}), others};
}

/**
 * The traffic: the router object Kruise writes (the canary Ingress, the HTTPRoute, a VirtualService) read with the
 * stable and canary ReplicaSets as versions; without one, the stable Service: pinned to the stable revision it
 * sends everything there, else it sends by the pods it selects.
 */
function kruiseTraffic(ro: KObject, scan: Scan, versions: Version[], byId: Map<string, KObject>): TrafficSplit {
	const weights: Record<string, number> = Object.fromEntries(versions.map(v => [v.id, 0]));
	const stable = versions.find(v => v.role === 'stable');
	const canary = versions.find(v => v.role === 'canary');
	const routing = kruiseTrafficRouting(ro);
	const byReplicas = () => replicaShare(versions.map(v => ({id: v.id, ready: v.available, desired: v.desired})));
	if (!routing) return {router: 'replicas', weights: {...weights, ...byReplicas()}, managedBy: 'kruise-rollouts'};
	// The router object while Kruise has it (the canary Ingress exists only during a release); else the stable Service.
	const router = routing.router;
	const obj = router && scan.snap.routers.find(o => o.kind === router.object.kind && nameOf(o) === router.object.name && (!router.reader || router.reader.handles(o)));
	const split: TrafficSplit = obj ? {router: router.kind, object: `${router.object.kind}/${router.object.name}`, weights, managedBy: 'kruise-rollouts'} : {router: 'service-selector', object: `Service/${routing.service}`, weights, managedBy: 'kruise-rollouts'};
	let reading: WeightReading | undefined;
	if (stable && canary && obj && router.reader) {
		const sides: Side[] = [
			{id: stable.id, labels: templateLabels(byId.get(stable.id)!), services: [routing.service]},
			{id: canary.id, labels: templateLabels(byId.get(canary.id)!), services: [routing.canaryService]},
		];
		reading = router.reader.read(obj, sides, scan.ctx);
	}
	if (reading) {
		for (const id of Object.keys(weights)) weights[id] = reading.weights[id] ?? 0;
		const routes = (reading.routes ?? []).map(r => ({version: r.version, match: sanitize(r.match)}));
		if (routes.length > 0) split.routes = routes;
		return split;
	}
	const service = scan.service(routing.service);
	const pinned = service?.spec?.selector?.[POD_TEMPLATE_HASH];
	if (stable && (!canary || (pinned !== undefined && pinned === stable.podTemplateHash))) weights[stable.id] = 100;
	else Object.assign(weights, byReplicas());
	return split;
}

/** The Release of one Kruise Rollout: the stable and canary ReplicaSets of its Deployment (and canary Deployment). */
export function buildKruiseRelease(snap: ClusterSnapshot, scan: Scan, ro: KObject, target: string): Release {
	const ref = kruiseWorkloadRef(ro);
	const workload = ref?.kind === 'Deployment' ? scan.deployment(ref.name) : undefined;
	const canaries = workload ? canaryDeployments(scan, workload) : [];
	const chosen: Array<[KObject, Role]> = [];
	if (workload) {
		const {stable, canary, others} = chooseReplicaSets(ro, scan, workload, canaries);
		if (stable) chosen.push([stable, 'stable']);
		if (canary) chosen.push([canary, 'canary']);
		for (const rs of others) chosen.push([rs, 'old']);
	}
	const versions = chosen.map(([rs, role]) => replicaSetVersion(rs, role, scan.own.podsOf(rs)));
	const byId = new Map(chosen.map(([rs]) => [sanitize(nameOf(rs)), rs]));
	const traffic = kruiseTraffic(ro, scan, versions, byId);
	for (const v of versions) v.weight = traffic.weights[v.id];
	const order = new Map(versions.map((v, i) => [v.id, i]));
	const pods: PodInfo[] = chosen
		.flatMap(([rs]) => scan.own.podsOf(rs).map(pod => ({...podInfo(pod, sanitize(nameOf(rs)), snap.now), ...(revisionOf(rs) !== undefined ? {revision: revisionOf(rs)} : {})})))
		.sort((a, b) => (order.get(a.version) ?? 0) - (order.get(b.version) ?? 0) || compareText(a.name, b.name));
	const deployments = workload ? [workload, ...canaries] : [];
	const services = kruiseServices(ro, scan, workload);
	const involved = new Set<string>([`Rollout/${nameOf(ro)}`, `BatchRelease/${nameOf(ro)}`]);
	for (const d of deployments) {
		involved.add(`Deployment/${nameOf(d)}`);
		for (const rs of scan.own.replicaSetsOf(d)) involved.add(`ReplicaSet/${nameOf(rs)}`);
	}
	for (const [rs] of chosen) for (const pod of scan.own.podsOf(rs)) involved.add(`Pod/${nameOf(pod)}`);
	for (const s of services) involved.add(`Service/${s}`);
	if (traffic.object) involved.add(traffic.object);
	const info = kruiseInfo(ro);
	const inProgress = kruiseInProgress(ro, workload);
	const conditions = conditionsOf(ro);
	const desired = count(workload?.spec?.replicas ?? 1);
	const release: Release = {
		target,
		namespace: sanitize(snap.namespace),
		name: sanitize(nameOf(ro)),
		kind: 'kruise-rollout',
		versions,
		pods,
		revisions: revisionsOf(deployments, scan.own, snap.now),
		events: releaseEvents(snap.events, involved, snap.namespace),
		services,
		traffic,
		progress: {
			desired,
			// While releasing, the canary's pods are the updated ones; otherwise the Deployment says.
			updated: inProgress ? (info.canaryReplicas ?? versions.find(v => v.role === 'canary')?.pods ?? 0) : count(workload?.status?.updatedReplicas),
			ready: versions.reduce((n, v) => n + v.ready, 0),
			available: versions.reduce((n, v) => n + v.available, 0),
			paused: info.paused || info.state === 'StepPaused',
			conditions,
			deadlineExceeded: false,
			complete: !inProgress && info.phase === 'Healthy',
		},
		kruise: info,
	};
	return release;
}

/** The Services of the release: the stable and canary Services of trafficRoutings, and those selecting the Deployment's pods. */
function kruiseServices(ro: KObject, scan: Scan, workload: KObject | undefined): string[] {
	const routing = kruiseTrafficRouting(ro);
	const named = routing ? [routing.service, routing.canaryService].filter(n => scan.service(n)) : [];
	const selecting = workload ? scan.servicesOf(workload).map(nameOf) : [];
	return [...new Set([...named, ...selecting.map(sanitize)])];
}

/**
 * Every OpenKruise Rollout of the scan as a release; it claims its Deployment and the canary Deployments made for
 * it. Its target is `rollout/NAME`, or `krollout/NAME` when an Argo Rollout of the namespace has the same name.
 */
export function detectKruiseRollouts(scan: Scan, claimed: Set<KObject>): DetectedRelease[] {
	const argoNames = new Set((scan.snap.rollouts ?? []).filter(o => !isKruiseRollout(o)).map(nameOf));
	return [...(scan.snap.kruiseRollouts ?? [])]
		.filter(isKruiseRollout)
		.sort((a, b) => compareText(nameOf(a), nameOf(b)))
		.map(ro => {
			const ref = kruiseWorkloadRef(ro);
			const workload = ref?.kind === 'Deployment' ? scan.deployment(ref.name) : undefined;
			const canaries = workload ? canaryDeployments(scan, workload) : [];
			for (const d of [...(workload ? [workload] : []), ...canaries]) claimed.add(d);
			const name = sanitize(nameOf(ro));
			return {
				target: `${argoNames.has(nameOf(ro)) ? 'krollout' : 'rollout'}/${name}`,
				name,
				kind: 'kruise-rollout',
				deployments: [...(workload ? [workload] : []), ...canaries].map(d => sanitize(nameOf(d))),
				services: kruiseServices(ro, scan, workload),
				inProgress: kruiseInProgress(ro, workload),
				members: [...(workload ? [{deployment: workload, role: 'stable' as const}] : []), ...canaries.map(d => ({deployment: d, role: 'canary' as const}))],
				object: ro,
			};
		});
}
