// Argo Rollouts: a Rollout and its ReplicaSets, pods and AnalysisRuns as a Release, the way the
// plugin's info package reads them (GetRolloutPhase, GetCurrentSetWeight, ActualWeight, the steps).
import type {KObject} from '../kube/object.js';
import {gatewayApiRouter} from '../traffic/gateway-api.js';
import {istioRouter} from '../traffic/istio.js';
import {nginxRouter} from '../traffic/nginx.js';
import type {Router, RouterKind, Side, WeightReading} from '../traffic/router.js';
import {replicaShare} from '../traffic/replicas.js';
import {smiRouter} from '../traffic/smi.js';
import {traefikRouter} from '../traffic/traefik.js';
import {mapMatches, templateLabels} from './labels.js';
import type {AnalysisMetric, AnalysisRunInfo, ArgoExperimentInfo, ArgoRolloutInfo, PodInfo, Release, Revision, Role, RolloutStep, TrafficSplit, Version} from './model.js';
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

type Step = Record<string, any>;

const int = (v: unknown): number | undefined => (typeof v === 'number' && Number.isFinite(v) ? Math.trunc(v) : undefined);
const count = (v: unknown): number => int(v) ?? 0;

/** An Argo Rollout (argoproj.io), not an OpenKruise one (rollouts.kruise.io), when the object says its group. */
export function isArgoRollout(o: KObject): boolean {
	return o.apiVersion === undefined || o.apiVersion.startsWith('argoproj.io/');
}

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

const inPercent = (weight: number, max: number): number => Math.round((weight * 1000) / max) / 10;

/** Whether the Rollout has a current step (GetCurrentCanaryStep): steps, and the index not past them. */
function hasCurrentStep(rollout: KObject): boolean {
	const index = currentStepIndex(rollout);
	return index !== undefined && index < canarySteps(rollout).length;
}

/**
 * GetCurrentSetWeight, in percent of maxTrafficWeight: 0 when aborted, 100 without a current step (no steps, or
 * all done), else the last setWeight at or before the current step.
 */
export function desiredSetWeight(rollout: KObject): number {
	if (rollout.status?.abort === true) return 0;
	if (!hasCurrentStep(rollout)) return 100;
	return inPercent(stepWeightAt(canarySteps(rollout), currentStepIndex(rollout)!), maxTrafficWeight(rollout));
}

/**
 * ActualWeight as the plugin computes it (info/rollout_info.go), in percent of maxTrafficWeight: 100 without a
 * current step; 0 while no replica is available; without traffic routing the canary's share of the available
 * replicas; with it status.canary.weights, and the set weight when the controller recorded none.
 */
export function pluginActualWeight(rollout: KObject, canaryAvailable: number | undefined): number {
	if (!hasCurrentStep(rollout)) return 100;
	const status = rollout.status ?? {};
	const available = count(status.availableReplicas);
	if (available <= 0) return 0;
	const max = maxTrafficWeight(rollout);
	if (!rollout.spec?.strategy?.canary?.trafficRouting) return inPercent(Math.floor(((canaryAvailable ?? 0) * max) / available), max);
	const recorded = status.canary?.weights?.canary?.weight;
	return typeof recorded === 'number' ? inPercent(recorded, max) : desiredSetWeight(rollout);
}

/** Seconds in each unit of a Go duration (time.ParseDuration). */
const UNIT_SECONDS: Record<string, number> = {h: 3600, m: 60, s: 1, ms: 1e-3, us: 1e-6, 'µs': 1e-6, ns: 1e-9};

/**
 * A step's duration (DurationString): a number of seconds, a string of digits (seconds), or a Go duration of one
 * or more parts (`30s`, `5m`, `1h30m`, `250ms`); anything else is shown as written, without seconds.
 */
function durationText(value: unknown): {text: string; seconds?: number} {
	if (typeof value === 'number') return {text: `${value}s`, seconds: value};
	if (typeof value !== 'string') return {text: ''};
	const text = value.trim();
	if (/^\d+$/.test(text)) return {text: `${Number(text)}s`, seconds: Number(text)};
	if (!/^(?:\d+(?:\.\d+)?(?:ms|us|µs|ns|h|m|s))+$/.test(text)) return {text: sanitize(value)};
	let seconds = 0;
	for (const part of text.matchAll(/(\d+(?:\.\d+)?)(ms|us|µs|ns|h|m|s)/g)) seconds += Number(part[1]) * UNIT_SECONDS[part[2]!]!;
	return {text, seconds: Math.round(seconds * 1000) / 1000};
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
			const templates = (Array.isArray(step.experiment?.templates) ? step.experiment.templates : []).map((t: any) => sanitize(t?.name)).filter(Boolean);
			const d = durationText(step.experiment?.duration);
			info.label = ['experiment', templates.join(','), d.text].filter(Boolean).join(' ');
			if (d.seconds !== undefined) info.durationSeconds = d.seconds;
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

/** The Rollout's Experiments (experiment steps), newest first. */
function rolloutExperiments(rollout: KObject, experiments: KObject[]): KObject[] {
	return experiments
		.filter(e => controllerRef(e, 'Rollout')?.name === nameOf(rollout))
		.sort((a, b) => createdAt(b) - createdAt(a) || compareText(nameOf(b), nameOf(a)));
}

/** The Experiment of step `index` of the current pod hash (named `<rollout>-<hash>-<revision>-<index>`), if the cluster has it. */
function stepExperiment(rollout: KObject, experiments: KObject[], index: number): KObject | undefined {
	const hash = rollout.status?.currentPodHash;
	const current = rollout.status?.canary?.currentExperiment;
	const mine = experiments.filter(e => rolloutHash(e) === hash && nameOf(e).endsWith(`-${index}`));
	return mine.find(e => nameOf(e) === current) ?? mine[0];
}

function experimentInfo(experiment: KObject): ArgoExperimentInfo {
	const statuses: any[] = Array.isArray(experiment.status?.templateStatuses) ? experiment.status.templateStatuses : [];
	const specs: any[] = Array.isArray(experiment.spec?.templates) ? experiment.spec.templates : [];
	const info: ArgoExperimentInfo = {
		name: sanitize(nameOf(experiment)),
		phase: sanitize(experiment.status?.phase ?? 'Pending'),
		templates: specs.map(t => {
			const st = statuses.find(x => x?.name === t?.name) ?? {};
			return {name: sanitize(t?.name), replicas: int(t?.replicas) ?? 1, ready: count(st.readyReplicas), ...(st.status ? {status: sanitize(st.status)} : {})};
		}),
	};
	if (experiment.spec?.duration !== undefined) info.duration = durationText(experiment.spec.duration).text;
	if (experiment.status?.message) info.message = sanitize(experiment.status.message);
	return info;
}

type RouterRef = {
	/** How trafficRouting names it: `istio`, `smi`, `plugin argoproj-labs/gatewayAPI`. */
	key: string;
	kind: RouterKind;
	/** The object the controller writes the weights into, when the Rollout says which. */
	object?: {kind: string; name: string};
	/** The router module that reads that object, when rollscope has one. */
	router?: Router;
};

const text = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v : undefined);

/** The canary Ingress Argo Rollouts makes for a stable Ingress (GetCanaryIngressName). */
export function argoCanaryIngressName(rollout: string, stableIngress: string): string {
	return `${`${rollout}-${stableIngress}`.slice(0, 253 - '-canary'.length)}-canary`;
}

/**
 * The routers `spec.strategy.canary.trafficRouting` names, with the objects holding the weights: those rollscope
 * reads (Istio, SMI, NGINX, Traefik, the Gateway API plugin) first, then those it only names.
 */
export function trafficRouters(rollout: KObject): RouterRef[] {
	const tr = rollout.spec?.strategy?.canary?.trafficRouting;
	if (!tr || typeof tr !== 'object') return [];
	const name = nameOf(rollout);
	const refs: RouterRef[] = [];
	const push = (key: string, kind: RouterKind, objectKind: string, objectName: string | undefined, router?: Router) =>
		refs.push({key, kind, ...(objectName ? {object: {kind: objectKind, name: sanitize(objectName)}} : {}), ...(router ? {router} : {})});
	if (tr.istio) push('istio', 'istio', 'VirtualService', (text(tr.istio.virtualService?.name) ?? text(tr.istio.virtualServices?.[0]?.name))?.split('.')[0], istioRouter);
	if (tr.smi) push('smi', 'smi', 'TrafficSplit', text(tr.smi.trafficSplitName) ?? name, smiRouter);
	if (tr.nginx) {
		const stable = text(tr.nginx.stableIngress) ?? text(tr.nginx.stableIngresses?.[0]);
		push('nginx', 'nginx', 'Ingress', stable && argoCanaryIngressName(name, stable), nginxRouter);
	}
	if (tr.traefik) push('traefik', 'traefik', 'TraefikService', text(tr.traefik.weightedTraefikServiceName), traefikRouter);
	const plugins = tr.plugins && typeof tr.plugins === 'object' ? Object.entries(tr.plugins as Record<string, any>) : [];
	for (const [plugin, config] of plugins) {
		const key = `plugin ${sanitize(plugin)}`;
		if (/gatewayapi/i.test(plugin)) push(key, 'gateway-api', 'HTTPRoute', text(config?.httpRoute) ?? text(config?.httpRoutes?.[0]?.name), gatewayApiRouter);
		else push(key, 'plugin', '', undefined);
	}
	if (tr.alb) push('alb', 'alb', 'Ingress', text(tr.alb.ingress) ?? text(tr.alb.ingresses?.[0]));
	if (tr.ambassador) push('ambassador', 'ambassador', 'Mapping', text(tr.ambassador.mappings?.[0]));
	if (tr.apisix) push('apisix', 'apisix', 'ApisixRoute', text(tr.apisix.route?.name));
	if (tr.appMesh) push('appMesh', 'app-mesh', 'VirtualService', text(tr.appMesh.virtualService?.name));
	const readable = refs.filter(r => r.router);
	return [...readable, ...refs.filter(r => !r.router)];
}

/** `istio VirtualService/orders, smi TrafficSplit/orders`. */
function routerText(refs: RouterRef[]): string | undefined {
	return refs.length === 0 ? undefined : refs.map(r => (r.object ? `${r.key} ${r.object.kind}/${r.object.name}` : r.key)).join(', ');
}

/** Ping-pong (canary.pingPong): the two Services and which one the stable ReplicaSet is behind (IsStablePing). */
function pingPongOf(rollout: KObject): ArgoRolloutInfo['pingPong'] {
	const pp = rollout.spec?.strategy?.canary?.pingPong;
	if (!text(pp?.pingService) || !text(pp?.pongService)) return undefined;
	return {pingService: sanitize(pp.pingService), pongService: sanitize(pp.pongService), stable: rollout.status?.canary?.stablePingPong === 'ping' ? 'ping' : 'pong'};
}

/** What the Rollout's status says, for the steps/analysis strip. */
export function argoInfo(rollout: KObject, snap: ClusterSnapshot, actualWeight: number | undefined): ArgoRolloutInfo {
	const status = rollout.status ?? {};
	const {phase, message} = rolloutPhase(rollout);
	const blueGreen = isBlueGreen(rollout);
	const canary = rollout.spec?.strategy?.canary ?? {};
	const bg = rollout.spec?.strategy?.blueGreen ?? {};
	const steps = rolloutSteps(rollout);
	const experiments = rolloutExperiments(rollout, snap.experiments ?? []);
	for (const step of steps) {
		if (step.kind !== 'experiment' || step.state === 'pending') continue;
		const experiment = stepExperiment(rollout, experiments, step.index);
		if (experiment) step.phase = sanitize(experiment.status?.phase ?? 'Pending');
	}
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
		const routers = routerText(trafficRouters(rollout));
		if (routers) info.trafficRouter = routers;
		if (canary.canaryService) info.canaryService = sanitize(canary.canaryService);
		if (canary.stableService) info.stableService = sanitize(canary.stableService);
		const pingPong = pingPongOf(rollout);
		if (pingPong) info.pingPong = pingPong;
		const current = index !== undefined && canarySteps(rollout)[index] && 'experiment' in canarySteps(rollout)[index]! ? stepExperiment(rollout, experiments, index) : undefined;
		const shown = current ?? experiments.find(e => nameOf(e) === status.canary?.currentExperiment);
		if (shown) info.experiment = experimentInfo(shown);
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

/** Services the Rollout names (canary, stable, active, preview, ping, pong) and those selecting its pods. */
function rolloutServices(rollout: KObject, replicaSets: KObject[], services: KObject[]): string[] {
	const labels = [templateLabels(rollout), ...replicaSets.map(templateLabels)];
	const selecting = services.filter(s => labels.some(l => mapMatches(s.spec?.selector, l))).map(nameOf);
	return [...new Set([...rolloutServiceNames(rollout), ...selecting.map(sanitize)])];
}

/** The Services that send to one side only: the stable (or canary) Service and the ping or pong Service it is behind. */
function sideServices(rollout: KObject, side: 'stable' | 'canary'): string[] {
	const canary = rollout.spec?.strategy?.canary ?? {};
	const pingPong = pingPongOf(rollout);
	const named = side === 'stable' ? canary.stableService : canary.canaryService;
	const pp = pingPong && ((side === 'stable') === (pingPong.stable === 'ping') ? pingPong.pingService : pingPong.pongService);
	return [text(named), pp].filter((n): n is string => n !== undefined);
}

/**
 * The traffic split: blue-green by the active Service; a basic canary by the replicas; with traffic routing the
 * weights of the router object rollscope can read (the Rollout's ReplicaSets as the versions), else
 * status.canary.weights, else the weight the plugin shows as actual.
 */
function rolloutTraffic(rollout: KObject, versions: Version[], rsById: Map<string, KObject>, snap: ClusterSnapshot, actual: number): TrafficSplit {
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
		return split;
	}
	const refs = trafficRouters(rollout);
	if (refs.length === 0) {
		// Basic canary: traffic follows the pods.
		const share = replicaShare(versions.map(v => ({id: v.id, ready: v.available, desired: v.desired})));
		return {router: 'replicas', weights: {...weights, ...share}, managedBy: 'argo-rollouts'};
	}
	const sides: Side[] = [];
	if (stable) sides.push({id: stable.id, labels: templateLabels(rsById.get(stable.id)!), services: sideServices(rollout, 'stable')});
	if (canaryVersion) sides.push({id: canaryVersion.id, labels: templateLabels(rsById.get(canaryVersion.id)!), services: sideServices(rollout, 'canary')});
	const ctx = {namespace: snap.namespace, objects: snap.routers};
	let reading: {ref: RouterRef; reading: WeightReading} | undefined;
	for (const ref of refs) {
		if (!ref.router || !ref.object || sides.length < 2) continue;
		const obj = snap.routers.find(o => o.kind === ref.object!.kind && nameOf(o) === ref.object!.name && ref.router!.handles(o));
		const read = obj && ref.router.read(obj, sides, ctx);
		if (read) {
			reading = {ref, reading: read};
			break;
		}
	}
	const ref = reading?.ref ?? refs[0]!;
	const split: TrafficSplit = {router: ref.kind, weights, managedBy: 'argo-rollouts'};
	if (ref.object) split.object = `${ref.object.kind}/${ref.object.name}`;
	if (reading) {
		for (const side of sides) weights[side.id] = reading.reading.weights[side.id] ?? 0;
		const routes = (reading.reading.routes ?? []).map(r => ({version: r.version, match: sanitize(r.match)}));
		if (routes.length > 0) split.routes = routes;
	} else if (!canaryVersion) {
		if (stable) weights[stable.id] = 100;
	} else {
		const max = maxTrafficWeight(rollout);
		const recorded = status.canary?.weights;
		const canaryWeight = typeof recorded?.canary?.weight === 'number' ? inPercent(recorded.canary.weight, max) : actual;
		weights[canaryVersion.id] = canaryWeight;
		if (stable) weights[stable.id] = typeof recorded?.stable?.weight === 'number' ? inPercent(recorded.stable.weight, max) : Math.round((100 - canaryWeight) * 10) / 10;
	}
	return split;
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
	const canaryRS = !blueGreen && secondRS && secondRS !== firstRS ? secondRS : undefined;
	const actual = blueGreen ? undefined : pluginActualWeight(rollout, canaryRS ? count(canaryRS.status?.availableReplicas) : undefined);
	const traffic = rolloutTraffic(rollout, versions, rsById, snap, actual ?? 0);
	for (const v of versions) v.weight = traffic.weights[v.id];
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
	for (const e of rolloutExperiments(rollout, snap.experiments ?? [])) involved.add(`Experiment/${nameOf(e)}`);
	if (traffic.object) involved.add(traffic.object);
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
		argo: argoInfo(rollout, snap, actual),
		traffic,
	};
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
	const pp = canary.pingPong ?? {};
	return [canary.stableService, canary.canaryService, pp.pingService, pp.pongService, bg.activeService, bg.previewService].filter((n): n is string => typeof n === 'string' && n !== '').map(sanitize);
}

/**
 * Every Argo Rollout of the scan as a release, with the Services in front of it (those it names and those selecting
 * its pods); a Rollout that takes its template from a Deployment claims it.
 */
export function detectRollouts(scan: Scan, claimed: Set<KObject>): DetectedRelease[] {
	return [...(scan.snap.rollouts ?? [])]
		.filter(isArgoRollout)
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
				services: rolloutServices(rollout, rolloutReplicaSets(rollout, scan.snap.replicaSets), scan.services),
				inProgress: rolloutInProgress(rollout),
				members: [],
				object: rollout,
			};
		});
}
