// Argo Rollouts: a Rollout and its ReplicaSets, pods and AnalysisRuns as a Release, the way the
// plugin's info package reads them (GetRolloutPhase, GetCurrentSetWeight, ActualWeight, the steps).
import type {KObject} from '../kube/object.js';
import {istioRouter} from '../traffic/istio.js';
import type {Side} from '../traffic/router.js';
import {replicaShare} from '../traffic/replicas.js';
import {templateLabels} from './labels.js';
import type {AnalysisMetric, AnalysisRunInfo, ArgoRolloutInfo, PodInfo, Release, Revision, Role, RolloutStep, TrafficSplit, Version} from './model.js';
import {ageSeconds, annotation, CHANGE_CAUSE_ANNOTATION, compareText, createdAt, nameOf, templateImages} from './object-fields.js';
import {controllerRef} from './ownership.js';
import {podInfo} from './pods.js';
import {conditionsOf} from './progress.js';
import {releaseEvents} from './events.js';
import {sanitize} from './sanitize.js';
import {replicaSetVersion} from './versions.js';
import type {ClusterSnapshot} from './snapshot.js';
import type {DetectedRelease} from './detected.js';
import type {Scan} from './scan.js';

export const ROLLOUT_HASH_LABEL = 'rollouts-pod-template-hash';
export const ROLLOUT_REVISION_ANNOTATION = 'rollout.argoproj.io/revision';
export const SCALE_DOWN_DEADLINE_ANNOTATION = 'scale-down-deadline';

type Step = Record<string, any>;

const int = (v: unknown): number | undefined => (typeof v === 'number' && Number.isFinite(v) ? Math.trunc(v) : undefined);
const count = (v: unknown): number => int(v) ?? 0;

export function isBlueGreen(rollout: KObject): boolean {
	return rollout.spec?.strategy?.blueGreen !== undefined && rollout.spec?.strategy?.blueGreen !== null;
}

export function canarySteps(rollout: KObject): Step[] {
	const steps = rollout.spec?.strategy?.canary?.steps;
	return !isBlueGreen(rollout) && Array.isArray(steps) ? steps.filter(s => s && typeof s === 'object') : [];
}

/** The `rollout.argoproj.io/revision` annotation of a ReplicaSet (or AnalysisRun). */
export function argoRevision(obj: KObject): number | undefined {
	const v = Number.parseInt(annotation(obj, ROLLOUT_REVISION_ANNOTATION) ?? '', 10);
	return Number.isFinite(v) ? v : undefined;
}

export function rolloutHash(obj: KObject | undefined): string | undefined {
	return obj?.metadata.labels?.[ROLLOUT_HASH_LABEL];
}

/** ReplicaSets whose controller is the Rollout (same name and, when both have one, uid). */
export function rolloutReplicaSets(rollout: KObject, replicaSets: KObject[]): KObject[] {
	return replicaSets.filter(rs => {
		const ref = controllerRef(rs, 'Rollout');
		return ref !== undefined && ref.name === nameOf(rollout) && (!ref.uid || !rollout.metadata.uid || ref.uid === rollout.metadata.uid);
	});
}

/** The current step index (GetCurrentCanaryStep): status.currentStepIndex, 0 when unset, capped at the step count. */
export function currentStepIndex(rollout: KObject): number | undefined {
	const steps = canarySteps(rollout);
	if (steps.length === 0) return undefined;
	const index = int(rollout.status?.currentStepIndex) ?? 0;
	return Math.max(0, Math.min(steps.length, index));
}

/** The weight the steps ask for at `index`: the last setWeight at or before it; 100 past the end. */
export function stepWeightAt(steps: Step[], index: number): number {
	if (index >= steps.length) return 100;
	for (let i = Math.min(index, steps.length - 1); i >= 0; i--) {
		const w = int(steps[i]?.setWeight);
		if (w !== undefined) return w;
	}
	return 0;
}

/** The maximum traffic weight the Rollout's weights are out of (trafficRouting.maxTrafficWeight, default 100). */
export function maxTrafficWeight(rollout: KObject): number {
	const max = int(rollout.spec?.strategy?.canary?.trafficRouting?.maxTrafficWeight);
	return max !== undefined && max > 0 ? max : 100;
}

/** GetCurrentSetWeight: 0 when aborted, 100 when fully promoted or past the last step, else the last setWeight. */
export function desiredSetWeight(rollout: KObject): number {
	const status = rollout.status ?? {};
	if (status.abort === true) return 0;
	if (status.promoteFull === true || (status.currentPodHash !== undefined && status.currentPodHash === status.stableRS)) return 100;
	const steps = canarySteps(rollout);
	return stepWeightAt(steps, currentStepIndex(rollout) ?? steps.length);
}

function durationText(value: unknown): {text: string; seconds?: number} {
	if (typeof value === 'number') return {text: `${value}s`, seconds: value};
	if (typeof value !== 'string') return {text: ''};
	const m = /^(\d+)(s|m|h)?$/.exec(value.trim());
	if (!m) return {text: sanitize(value)};
	const n = Number(m[1]);
	const seconds = m[2] === 'h' ? n * 3600 : m[2] === 'm' ? n * 60 : n;
	return {text: `${n}${m[2] ?? 's'}`, seconds};
}

/** The step list with the current one marked (done before currentStepIndex; all done when past the end). */
export function rolloutSteps(rollout: KObject): RolloutStep[] {
	const steps = canarySteps(rollout);
	const current = currentStepIndex(rollout) ?? 0;
	const promoted = rollout.status?.currentPodHash !== undefined && rollout.status?.currentPodHash === rollout.status?.stableRS;
	return steps.map((step, index) => {
		const state: RolloutStep['state'] = promoted || index < current ? 'done' : index === current ? 'current' : 'pending';
		const info: RolloutStep = {index, kind: 'unknown', label: '?', state};
		if (int(step.setWeight) !== undefined) {
			info.kind = 'setWeight';
			info.setWeight = int(step.setWeight);
			info.label = `${info.setWeight}%`;
		} else if ('pause' in step) {
			info.kind = 'pause';
			const d = durationText(step.pause?.duration);
			info.label = d.text ? `pause ${d.text}` : 'pause';
			if (d.seconds !== undefined) info.durationSeconds = d.seconds;
		} else if ('analysis' in step) {
			info.kind = 'analysis';
			const names = (step.analysis?.templates ?? []).map((t: any) => sanitize(t?.templateName)).filter(Boolean);
			info.label = names.length > 0 ? `analysis ${names.join(',')}` : 'analysis';
		} else if ('setCanaryScale' in step) {
			info.kind = 'setCanaryScale';
			const s = step.setCanaryScale ?? {};
			info.label = s.matchTrafficWeight ? 'scale=weight' : int(s.replicas) !== undefined ? `scale ${s.replicas} pods` : `scale ${count(s.weight)}%`;
		} else if ('experiment' in step) {
			info.kind = 'experiment';
			info.label = 'experiment';
		} else if ('setHeaderRoute' in step) {
			info.kind = 'setHeaderRoute';
			info.label = `header route ${sanitize(step.setHeaderRoute?.name)}`.trim();
		} else if ('setMirrorRoute' in step) {
			info.kind = 'setMirrorRoute';
			info.label = `mirror ${sanitize(step.setMirrorRoute?.name)}`.trim();
		} else if ('plugin' in step) {
			info.kind = 'plugin';
			info.label = `plugin ${sanitize(step.plugin?.name)}`.trim();
		}
		return info;
	});
}

/**
 * GetRolloutPhase: Progressing until the controller has seen the spec, and while a promote waits for the
 * controller; else the phase the controller wrote (or, without one, CalculateRolloutPhase's rules).
 */
export function rolloutPhase(rollout: KObject): {phase: string; message: string} {
	const status = rollout.status ?? {};
	const generation = rollout.metadata.generation;
	if (status.observedGeneration !== undefined && generation !== undefined && String(status.observedGeneration) !== String(generation)) {
		return {phase: 'Progressing', message: 'waiting for rollout spec update to be observed'};
	}
	const pauseConditions: unknown[] = Array.isArray(status.pauseConditions) ? status.pauseConditions : [];
	if (status.controllerPause === true && pauseConditions.length === 0) return {phase: 'Progressing', message: 'waiting for rollout to unpause'};
	if (typeof status.phase === 'string' && status.phase !== '') return {phase: sanitize(status.phase), message: sanitize(status.message ?? '')};
	for (const c of conditionsOf(rollout)) {
		if (c.type === 'InvalidSpec') return {phase: 'Degraded', message: `InvalidSpec: ${c.message ?? ''}`};
		if (c.reason === 'RolloutAborted' || c.reason === 'ProgressDeadlineExceeded') return {phase: 'Degraded', message: `${c.reason}: ${c.message ?? ''}`};
	}
	if (rollout.spec?.paused === true) return {phase: 'Paused', message: 'manually paused'};
	const first = pauseConditions[0] as {reason?: string} | undefined;
	if (first) return {phase: 'Paused', message: sanitize(first.reason)};
	const replicas = int(rollout.spec?.replicas) ?? 1;
	if (count(status.updatedReplicas) < replicas) return {phase: 'Progressing', message: 'more replicas need to be updated'};
	if (count(status.availableReplicas) < count(status.updatedReplicas)) return {phase: 'Progressing', message: 'updated replicas are still becoming available'};
	if (isBlueGreen(rollout)) {
		if (status.blueGreen?.activeSelector !== status.currentPodHash) return {phase: 'Progressing', message: 'active service cutover pending'};
	} else if (status.stableRS !== status.currentPodHash) {
		return {phase: 'Progressing', message: 'waiting for all steps to complete'};
	}
	if (count(status.replicas) > count(status.updatedReplicas)) return {phase: 'Progressing', message: 'old replicas are pending termination'};
	return {phase: 'Healthy', message: ''};
}

function metricInfo(spec: any, result: any): AnalysisMetric {
	const measurements: any[] = Array.isArray(result?.measurements) ? result.measurements : [];
	const metric: AnalysisMetric = {
		name: sanitize(spec?.name ?? result?.name),
		phase: sanitize(result?.phase ?? 'Pending'),
		failureLimit: int(spec?.failureLimit) ?? 0,
		inconclusiveLimit: int(spec?.inconclusiveLimit) ?? 0,
		measured: count(result?.count),
		successful: count(result?.successful),
		failed: count(result?.failed),
		inconclusive: count(result?.inconclusive),
		error: count(result?.error),
		values: measurements.map(m => sanitize(m?.value ?? '')),
		valuePhases: measurements.map(m => sanitize(m?.phase ?? '')),
	};
	if (typeof spec?.successCondition === 'string' && spec.successCondition) metric.successCondition = sanitize(spec.successCondition);
	if (typeof spec?.failureCondition === 'string' && spec.failureCondition) metric.failureCondition = sanitize(spec.failureCondition);
	const n = int(spec?.count) ?? (typeof spec?.count === 'string' ? Number.parseInt(spec.count, 10) : undefined);
	if (n !== undefined && Number.isFinite(n)) metric.count = n;
	else if (spec?.interval === undefined && spec) metric.count = 1;
	if (spec?.interval !== undefined) metric.interval = sanitize(spec.interval);
	if (result?.message) metric.message = sanitize(result.message);
	return metric;
}

/** An AnalysisRun: per metric the measured values and the limits they are judged by. */
export function analysisRunInfo(run: KObject, now: number): AnalysisRunInfo {
	const specs: any[] = Array.isArray(run.spec?.metrics) ? run.spec.metrics : [];
	const results: any[] = Array.isArray(run.status?.metricResults) ? run.status.metricResults : [];
	const names = [...new Set([...specs.map(m => m?.name), ...results.map(r => r?.name)].filter(n => typeof n === 'string'))];
	const info: AnalysisRunInfo = {
		name: sanitize(nameOf(run)),
		phase: sanitize(run.status?.phase ?? 'Pending'),
		ageSeconds: ageSeconds(run, now),
		metrics: names.map(name => metricInfo(specs.find(m => m?.name === name) ?? {name}, results.find(r => r?.name === name))),
	};
	const labels = run.metadata.labels ?? {};
	if (labels['rollout-type']) info.type = sanitize(labels['rollout-type']);
	const step = Number.parseInt(labels['step-index'] ?? '', 10);
	if (Number.isFinite(step)) info.stepIndex = step;
	const revision = argoRevision(run);
	if (revision !== undefined) info.revision = revision;
	if (labels[ROLLOUT_HASH_LABEL]) info.podTemplateHash = sanitize(labels[ROLLOUT_HASH_LABEL]);
	if (run.status?.message) info.message = sanitize(run.status.message);
	return info;
}

/** The Rollout's AnalysisRuns: the current pod hash's first, then newest first. */
export function rolloutAnalysisRuns(rollout: KObject, runs: KObject[], now: number): AnalysisRunInfo[] {
	const hash = rollout.status?.currentPodHash;
	return runs
		.filter(run => {
			const ref = controllerRef(run, 'Rollout');
			return ref !== undefined && ref.name === nameOf(rollout);
		})
		.sort((a, b) => Number(rolloutHash(b) === hash) - Number(rolloutHash(a) === hash) || createdAt(b) - createdAt(a) || compareText(nameOf(b), nameOf(a)))
		.map(run => analysisRunInfo(run, now));
}

/** What the Rollout's status says, for the steps/analysis strip. */
export function argoInfo(rollout: KObject, snap: ClusterSnapshot, actualWeight: number | undefined): ArgoRolloutInfo {
	const status = rollout.status ?? {};
	const {phase, message} = rolloutPhase(rollout);
	const blueGreen = isBlueGreen(rollout);
	const canary = rollout.spec?.strategy?.canary ?? {};
	const bg = rollout.spec?.strategy?.blueGreen ?? {};
	const steps = rolloutSteps(rollout);
	const pauseConditions: any[] = Array.isArray(status.pauseConditions) ? status.pauseConditions : [];
	const info: ArgoRolloutInfo = {
		name: sanitize(nameOf(rollout)),
		strategy: blueGreen ? 'blueGreen' : 'canary',
		phase,
		observed: status.observedGeneration === undefined || String(status.observedGeneration) === String(rollout.metadata.generation ?? status.observedGeneration),
		steps,
		maxTrafficWeight: maxTrafficWeight(rollout),
		paused: rollout.spec?.paused === true,
		pauseReasons: pauseConditions.map(c => sanitize(c?.reason)).filter(Boolean),
		controllerPause: status.controllerPause === true,
		aborted: status.abort === true,
		promoteFull: status.promoteFull === true,
		analysisRuns: rolloutAnalysisRuns(rollout, snap.analysisRuns ?? [], snap.now),
	};
	if (message) info.message = message;
	if (!blueGreen) {
		const index = currentStepIndex(rollout);
		if (index !== undefined) info.step = {index, count: steps.length};
		info.setWeight = desiredSetWeight(rollout);
		if (actualWeight !== undefined) info.actualWeight = actualWeight;
		const istio = canary.trafficRouting?.istio;
		const vs = istio?.virtualService?.name ?? istio?.virtualServices?.[0]?.name;
		if (vs) info.trafficRouter = `istio VirtualService/${sanitize(vs)}`;
		else if (canary.trafficRouting) info.trafficRouter = sanitize(Object.keys(canary.trafficRouting).filter(k => k !== 'maxTrafficWeight' && k !== 'managedRoutes').join(','));
		if (canary.canaryService) info.canaryService = sanitize(canary.canaryService);
		if (canary.stableService) info.stableService = sanitize(canary.stableService);
	} else {
		if (bg.activeService) info.activeService = sanitize(bg.activeService);
		if (bg.previewService) info.previewService = sanitize(bg.previewService);
		if (status.blueGreen?.activeSelector) info.activeSelector = sanitize(status.blueGreen.activeSelector);
		if (status.blueGreen?.previewSelector) info.previewSelector = sanitize(status.blueGreen.previewSelector);
	}
	if (status.abortedAt) info.abortedAt = sanitize(status.abortedAt);
	if (status.stableRS) info.stableHash = sanitize(status.stableRS);
	if (status.currentPodHash) info.canaryHash = sanitize(status.currentPodHash);
	return info;
}

// --- The Release ------------------------------------------------------------------------------

function podsOf(rs: KObject, pods: KObject[]): KObject[] {
	return pods.filter(pod => {
		const ref = controllerRef(pod, 'ReplicaSet');
		return ref !== undefined && ref.name === nameOf(rs) && (!ref.uid || !rs.metadata.uid || ref.uid === rs.metadata.uid);
	});
}

/** Services the Rollout names (canary, stable, active, preview) and those selecting its pods. */
function rolloutServices(rollout: KObject, replicaSets: KObject[], services: KObject[]): string[] {
	const canary = rollout.spec?.strategy?.canary ?? {};
	const bg = rollout.spec?.strategy?.blueGreen ?? {};
	const named = [canary.stableService, canary.canaryService, bg.activeService, bg.previewService].filter((n): n is string => typeof n === 'string' && n !== '');
	const labels = [templateLabels(rollout), ...replicaSets.map(templateLabels)];
	const selecting = services
		.filter(s => {
			const selector = Object.entries(s.spec?.selector ?? {});
			return selector.length > 0 && labels.some(l => selector.every(([k, v]) => l[k] === v));
		})
		.map(nameOf);
	return [...new Set([...named, ...selecting])].map(sanitize);
}

type Traffic = {split?: TrafficSplit; actualWeight?: number};

/** The traffic split: the VirtualService's weights (else status.canary.weights), replica share, or the active Service. */
function rolloutTraffic(rollout: KObject, versions: Version[], rsById: Map<string, KObject>, snap: ClusterSnapshot): Traffic {
	const status = rollout.status ?? {};
	const stable = versions.find(v => v.role === 'stable' || v.role === 'active');
	const canaryVersion = versions.find(v => v.role === 'canary' || v.role === 'preview');
	const weights: Record<string, number> = {};
	for (const v of versions) weights[v.id] = 0;
	if (isBlueGreen(rollout)) {
		if (stable) weights[stable.id] = 100;
		const service = rollout.spec?.strategy?.blueGreen?.activeService;
		const split: TrafficSplit = {router: 'service-selector', weights, managedBy: 'argo-rollouts'};
		if (service) split.object = `Service/${sanitize(service)}`;
		return {split};
	}
	const canary = rollout.spec?.strategy?.canary ?? {};
	const max = maxTrafficWeight(rollout);
	const promoted = status.currentPodHash !== undefined && status.currentPodHash === status.stableRS;
	const index = currentStepIndex(rollout);
	const allStepsDone = index === undefined || index >= canarySteps(rollout).length;
	if (!canary.trafficRouting) {
		// Basic canary: traffic follows the pods (ActualWeight = canary available / all available).
		const share = replicaShare(versions.map(v => ({id: v.id, ready: v.available, desired: v.desired})));
		const available = count(status.availableReplicas);
		const actual = promoted && allStepsDone ? 100 : canaryVersion && available > 0 ? Math.round((canaryVersion.available * 1000) / available) / 10 : 0;
		return {split: {router: 'replicas', weights: {...weights, ...share}, managedBy: 'argo-rollouts'}, actualWeight: actual};
	}
	let canaryWeight: number | undefined;
	let object: string | undefined;
	let routes: TrafficSplit['routes'];
	const vsName = canary.trafficRouting.istio?.virtualService?.name ?? canary.trafficRouting.istio?.virtualServices?.[0]?.name;
	if (vsName && stable) {
		const vs = snap.routers.find(o => o.kind === 'VirtualService' && nameOf(o) === String(vsName).split('.')[0]);
		if (vs) {
			object = `VirtualService/${sanitize(nameOf(vs))}`;
			if (!canaryVersion) {
				weights[stable.id] = 100;
			} else {
				const sides: Side[] = [
					{id: stable.id, labels: templateLabels(rsById.get(stable.id)!), services: canary.stableService ? [canary.stableService] : []},
					{id: canaryVersion.id, labels: templateLabels(rsById.get(canaryVersion.id)!), services: canary.canaryService ? [canary.canaryService] : []},
				];
				const reading = istioRouter.read(vs, sides, {namespace: snap.namespace, objects: snap.routers});
				if (reading) {
					weights[stable.id] = reading.weights[stable.id] ?? 0;
					weights[canaryVersion.id] = reading.weights[canaryVersion.id] ?? 0;
					canaryWeight = weights[canaryVersion.id];
					routes = reading.routes?.map(r => ({version: r.version, match: sanitize(r.match)}));
				}
			}
		}
	}
	if (canaryWeight === undefined && canaryVersion && typeof status.canary?.weights?.canary?.weight === 'number') {
		canaryWeight = Math.round((status.canary.weights.canary.weight * 1000) / max) / 10;
		weights[canaryVersion.id] = canaryWeight;
		if (stable) weights[stable.id] = Math.round((100 - canaryWeight) * 10) / 10;
	} else if (!canaryVersion && stable && object === undefined) {
		weights[stable.id] = 100;
	}
	const split: TrafficSplit = {router: canary.trafficRouting.istio ? 'istio' : 'replicas', weights, managedBy: 'argo-rollouts'};
	if (object) split.object = object;
	if (routes && routes.length > 0) split.routes = routes;
	// ActualWeight: 100 once there is no current step; else what the router has, falling back to SetWeight.
	const actual = promoted && allStepsDone ? 100 : allStepsDone && !status.abort ? (canaryWeight ?? 100) : (canaryWeight ?? desiredSetWeight(rollout));
	return {split, actualWeight: actual};
}

function rolloutRevisions(rollout: KObject, replicaSets: KObject[], pods: KObject[], now: number): Revision[] {
	const current = rollout.status?.currentPodHash;
	return replicaSets
		.map(rs => {
			const revision: Revision = {
				revision: argoRevision(rs) ?? 0,
				images: templateImages(rs).map(sanitize),
				ageSeconds: ageSeconds(rs, now),
				pods: podsOf(rs, pods).length,
				replicaSet: sanitize(nameOf(rs)),
				workload: sanitize(nameOf(rollout)),
				current: current !== undefined && rolloutHash(rs) === current,
			};
			const cause = annotation(rs, CHANGE_CAUSE_ANNOTATION);
			if (cause) revision.changeCause = sanitize(cause);
			return revision;
		})
		.sort((a, b) => b.revision - a.revision || compareText(a.replicaSet, b.replicaSet));
}

/** The Release of one Rollout: its ReplicaSets as versions (stable/canary or active/preview), traffic, steps, analysis. */
export function buildRolloutRelease(snap: ClusterSnapshot, rollout: KObject, target: string): Release {
	const status = rollout.status ?? {};
	const replicaSets = rolloutReplicaSets(rollout, snap.replicaSets);
	const byHash = (hash: unknown) => (typeof hash === 'string' ? replicaSets.find(rs => rolloutHash(rs) === hash) : undefined);
	const blueGreen = isBlueGreen(rollout);
	const firstRS = byHash(blueGreen ? (status.blueGreen?.activeSelector ?? status.stableRS) : status.stableRS);
	const secondRS = byHash(blueGreen ? status.blueGreen?.previewSelector ?? status.currentPodHash : status.currentPodHash);
	const chosen: Array<[KObject, Role]> = [];
	if (firstRS) chosen.push([firstRS, blueGreen ? 'active' : 'stable']);
	if (secondRS && secondRS !== firstRS) chosen.push([secondRS, blueGreen ? 'preview' : 'canary']);
	// Other ReplicaSets that still run pods (scaling down after a promotion or an abort).
	for (const rs of replicaSets) {
		if (chosen.some(([c]) => c === rs)) continue;
		if (podsOf(rs, snap.pods).length > 0 || count(rs.spec?.replicas) > 0) chosen.push([rs, 'old']);
	}
	const versions = chosen.map(([rs, role]) => replicaSetVersion(rs, role, podsOf(rs, snap.pods), {revision: argoRevision(rs), podTemplateHash: rolloutHash(rs)}));
	const rsById = new Map(chosen.map(([rs]) => [sanitize(nameOf(rs)), rs]));
	const traffic = rolloutTraffic(rollout, versions, rsById, snap);
	if (traffic.split) for (const v of versions) v.weight = traffic.split.weights[v.id];
	const order = new Map(versions.map((v, i) => [v.id, i]));
	const pods: PodInfo[] = chosen
		.flatMap(([rs]) => podsOf(rs, snap.pods).map(pod => podInfo(pod, sanitize(nameOf(rs)), snap.now)))
		.sort((a, b) => (order.get(a.version) ?? 0) - (order.get(b.version) ?? 0) || compareText(a.name, b.name));
	const services = rolloutServices(rollout, replicaSets, snap.services);
	const involved = new Set<string>([`Rollout/${nameOf(rollout)}`]);
	for (const rs of replicaSets) involved.add(`ReplicaSet/${nameOf(rs)}`);
	for (const [rs] of chosen) for (const pod of podsOf(rs, snap.pods)) involved.add(`Pod/${nameOf(pod)}`);
	for (const run of snap.analysisRuns ?? []) if (controllerRef(run, 'Rollout')?.name === nameOf(rollout)) involved.add(`AnalysisRun/${nameOf(run)}`);
	for (const s of services) involved.add(`Service/${s}`);
	if (traffic.split?.object) involved.add(traffic.split.object);
	const {phase} = rolloutPhase(rollout);
	const conditions = conditionsOf(rollout);
	const replicas = int(rollout.spec?.replicas) ?? 1;
	const release: Release = {
		target,
		namespace: sanitize(snap.namespace),
		name: sanitize(nameOf(rollout)),
		kind: 'argo-rollout',
		versions,
		pods,
		revisions: rolloutRevisions(rollout, replicaSets, snap.pods, snap.now),
		events: releaseEvents(snap.events, involved, snap.namespace),
		services,
		progress: {
			desired: replicas,
			updated: count(status.updatedReplicas),
			ready: count(status.readyReplicas),
			available: count(status.availableReplicas),
			paused: phase === 'Paused',
			conditions,
			deadlineExceeded: conditions.some(c => c.reason === 'ProgressDeadlineExceeded'),
			complete: phase === 'Healthy',
		},
		argo: argoInfo(rollout, snap, traffic.actualWeight),
	};
	if (traffic.split) release.traffic = traffic.split;
	return release;
}

/** Whether the Rollout is mid-update (or needs attention): not Healthy, or its canary is not yet stable. */
export function rolloutInProgress(rollout: KObject): boolean {
	const status = rollout.status ?? {};
	return rolloutPhase(rollout).phase !== 'Healthy' || status.currentPodHash !== status.stableRS;
}

function rolloutServiceNames(rollout: KObject): string[] {
	const canary = rollout.spec?.strategy?.canary ?? {};
	const bg = rollout.spec?.strategy?.blueGreen ?? {};
	return [canary.stableService, canary.canaryService, bg.activeService, bg.previewService].filter((n): n is string => typeof n === 'string' && n !== '').map(sanitize);
}

/** Every Argo Rollout of the scan as a release; a Rollout that takes its template from a Deployment claims it. */
export function detectRollouts(scan: Scan, claimed: Set<KObject>): DetectedRelease[] {
	return [...(scan.snap.rollouts ?? [])]
		.sort((a, b) => compareText(nameOf(a), nameOf(b)))
		.map(rollout => {
			const ref = rollout.spec?.workloadRef;
			const workload = typeof ref?.name === 'string' && ref.kind === 'Deployment' ? scan.deployment(ref.name) : undefined;
			if (workload) claimed.add(workload);
			return {
				target: `rollout/${sanitize(nameOf(rollout))}`,
				name: sanitize(nameOf(rollout)),
				kind: 'argo-rollout',
				deployments: workload ? [sanitize(nameOf(workload))] : [],
				services: rolloutServiceNames(rollout),
				inProgress: rolloutInProgress(rollout),
				members: [],
				object: rollout,
			};
		});
}
