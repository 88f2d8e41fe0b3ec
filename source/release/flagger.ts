// Flagger: a Canary (flagger.app/v1beta1) with its target Deployment (the canary) and the
// `<target>-primary` Deployment it promotes into, as a Release, with the analysis state
// (phase, weight against maxWeight, failed checks against threshold, iterations).
import type {KObject} from '../kube/object.js';
import {istioRouter} from '../traffic/istio.js';
import type {Side} from '../traffic/router.js';
import {eventTime} from './events.js';
import {templateLabels} from './labels.js';
import type {FlaggerCanaryInfo, PodInfo, Release, TrafficSplit, Version} from './model.js';
import {compareText, nameOf, timeOf} from './object-fields.js';
import {podInfo} from './pods.js';
import {conditionsOf, deploymentProgress} from './progress.js';
import {releaseEvents} from './events.js';
import {revisionsOf} from './revisions.js';
import {sanitize} from './sanitize.js';
import type {DetectedRelease} from './detected.js';
import type {Scan} from './scan.js';
import type {ClusterSnapshot} from './snapshot.js';
import {deploymentVersion} from './versions.js';

const int = (v: unknown): number | undefined => (typeof v === 'number' && Number.isFinite(v) ? Math.trunc(v) : undefined);
const num = (v: unknown): number | undefined => (typeof v === 'number' && Number.isFinite(v) ? v : undefined);

/** Phases in which the canary analysis (or its promotion) is under way. */
export const FLAGGER_ACTIVE_PHASES = new Set(['Initializing', 'Waiting', 'Progressing', 'WaitingPromotion', 'Promoting', 'Finalising']);

export function canaryTargetName(canary: KObject): string | undefined {
	const name = canary.spec?.targetRef?.name;
	return typeof name === 'string' && name !== '' ? name : undefined;
}

/** The Service name Flagger generates from (spec.service.name, else the target's name). */
export function canaryServiceName(canary: KObject): string | undefined {
	const name = canary.spec?.service?.name;
	return typeof name === 'string' && name !== '' ? name : canaryTargetName(canary);
}

export function flaggerInfo(canary: KObject, events: KObject[], namespace: string): FlaggerCanaryInfo {
	const spec = canary.spec ?? {};
	const status = canary.status ?? {};
	const analysis = spec.analysis ?? spec.canaryAnalysis ?? {};
	const target = canaryTargetName(canary) ?? '';
	const info: FlaggerCanaryInfo = {
		name: sanitize(nameOf(canary)),
		phase: sanitize(status.phase ?? 'Initializing'),
		target: sanitize(target),
		primary: sanitize(`${target}-primary`),
		canaryWeight: num(status.canaryWeight) ?? 0,
		failedChecks: int(status.failedChecks) ?? 0,
		iterations: int(status.iterations) ?? 0,
		skipAnalysis: spec.skipAnalysis === true,
		suspended: spec.suspend === true,
		metrics: (Array.isArray(analysis.metrics) ? analysis.metrics : []).map((m: any) => {
			const metric: FlaggerCanaryInfo['metrics'][number] = {name: sanitize(m?.name)};
			const min = num(m?.thresholdRange?.min);
			const max = num(m?.thresholdRange?.max);
			if (min !== undefined) metric.min = min;
			if (max !== undefined) metric.max = max;
			// The deprecated `threshold` is a minimum for the success rate, a maximum for anything else.
			if (min === undefined && max === undefined && num(m?.threshold) !== undefined) {
				if (m.name === 'request-success-rate') metric.min = m.threshold;
				else metric.max = m.threshold;
			}
			if (m?.interval) metric.interval = sanitize(m.interval);
			return metric;
		}),
	};
	const stepWeights = Array.isArray(analysis.stepWeights) ? analysis.stepWeights.filter((w: unknown) => typeof w === 'number') : [];
	if (stepWeights.length > 0) info.stepWeights = stepWeights;
	if (num(analysis.stepWeight) !== undefined) info.stepWeight = analysis.stepWeight;
	const maxWeight = num(analysis.maxWeight) ?? (stepWeights.length > 0 ? Math.max(...stepWeights) : info.stepWeight !== undefined ? 100 : undefined);
	if (maxWeight !== undefined) info.maxWeight = maxWeight;
	if (int(analysis.threshold) !== undefined) info.threshold = analysis.threshold;
	if (int(analysis.iterations) !== undefined) info.maxIterations = analysis.iterations;
	if (analysis.interval) info.interval = sanitize(analysis.interval);
	if (status.lastTransitionTime) info.lastTransitionTime = sanitize(status.lastTransitionTime);
	const promoted = conditionsOf(canary).find(c => c.type === 'Promoted');
	if (promoted?.message) info.message = promoted.message;
	// The newest events of the Canary: the last Halt (a failed check, with its measured value) and the last word.
	const own = events
		.filter(e => {
			const o = e.involvedObject ?? e.regarding ?? {};
			return o.kind === 'Canary' && o.name === nameOf(canary) && (!o.namespace || o.namespace === namespace);
		})
		.sort((a, b) => (timeOf(eventTime(b)) ?? 0) - (timeOf(eventTime(a)) ?? 0) || compareText(nameOf(b), nameOf(a)));
	const message = (e: KObject) => sanitize(e.message ?? e.note ?? '');
	const halt = own.find(e => /^Halt /.test(message(e)) && / advancement /.test(message(e)));
	if (halt) info.lastHalt = message(halt);
	if (own[0]) info.lastEvent = message(own[0]);
	return info;
}

/** Every Flagger Canary of the scan as a release: its primary (stable) and target (canary) Deployments, claimed so no pair takes them. */
export function detectFlaggerCanaries(scan: Scan, claimed: Set<KObject>): DetectedRelease[] {
	return [...(scan.snap.canaries ?? [])]
		.sort((a, b) => compareText(nameOf(a), nameOf(b)))
		.map(canary => {
			const targetName = canaryTargetName(canary);
			const target = targetName ? scan.deployment(targetName) : undefined;
			const primary = targetName ? scan.deployment(`${targetName}-primary`) : undefined;
			if (target) claimed.add(target);
			if (primary) claimed.add(primary);
			const members: DetectedRelease['members'] = [];
			if (primary) members.push({deployment: primary, role: 'stable'});
			if (target) members.push({deployment: target, role: 'canary'});
			const svc = canaryServiceName(canary) ?? '';
			return {
				target: `canary/${sanitize(nameOf(canary))}`,
				name: sanitize(nameOf(canary)),
				kind: 'flagger',
				deployments: members.map(m => sanitize(nameOf(m.deployment))),
				services: [svc, `${svc}-primary`, `${svc}-canary`].filter(name => scan.service(name) !== undefined).map(sanitize),
				inProgress: FLAGGER_ACTIVE_PHASES.has(String(canary.status?.phase ?? 'Initializing')) || canary.status?.phase === 'Failed',
				members,
				object: canary,
			};
		});
}

/** The Release of a Flagger Canary: primary (stable) and target (canary) Deployments, the weights, the analysis. */
export function buildCanaryRelease(snap: ClusterSnapshot, scan: Scan, canary: KObject, target: string): Release {
	const targetName = canaryTargetName(canary) ?? '';
	const primary = scan.deployment(`${targetName}-primary`);
	const canaryDeployment = scan.deployment(targetName);
	const info = flaggerInfo(canary, snap.events, snap.namespace);
	const members: Array<{deployment: KObject; role: 'stable' | 'canary'}> = [];
	if (primary) members.push({deployment: primary, role: 'stable'});
	if (canaryDeployment) members.push({deployment: canaryDeployment, role: 'canary'});
	const versions: Version[] = members.map(({deployment, role}) =>
		deploymentVersion(deployment, role, scan.own.currentReplicaSet(deployment), scan.own.podsOfDeployment(deployment)),
	);
	const traffic = canaryTraffic(canary, members, scan, info);
	for (const v of versions) {
		const w = traffic.weights[v.id];
		if (w !== undefined) v.weight = w;
	}
	const order = new Map(versions.map((v, i) => [v.id, i]));
	const pods: PodInfo[] = members
		.flatMap(({deployment}) => scan.own.podsOfDeployment(deployment).map(pod => podInfo(pod, sanitize(nameOf(deployment)), snap.now)))
		.sort((a, b) => (order.get(a.version) ?? 0) - (order.get(b.version) ?? 0) || compareText(a.name, b.name));
	const svc = canaryServiceName(canary) ?? '';
	const services = [svc, `${svc}-primary`, `${svc}-canary`].filter(name => scan.service(name) !== undefined).map(sanitize);
	const involved = new Set<string>([`Canary/${nameOf(canary)}`]);
	for (const {deployment} of members) {
		involved.add(`Deployment/${nameOf(deployment)}`);
		for (const rs of scan.own.replicaSetsOf(deployment)) involved.add(`ReplicaSet/${nameOf(rs)}`);
		for (const pod of scan.own.podsOfDeployment(deployment)) involved.add(`Pod/${nameOf(pod)}`);
	}
	for (const s of services) involved.add(`Service/${s}`);
	if (traffic.object) involved.add(traffic.object);
	const release: Release = {
		target,
		namespace: sanitize(snap.namespace),
		name: sanitize(nameOf(canary)),
		kind: 'flagger',
		versions,
		pods,
		revisions: revisionsOf(members.map(m => m.deployment), scan.own, snap.now),
		events: releaseEvents(snap.events, involved, snap.namespace),
		services,
		traffic,
		flagger: info,
	};
	if (canaryDeployment && FLAGGER_ACTIVE_PHASES.has(info.phase)) release.progress = {...deploymentProgress(canaryDeployment), paused: info.suspended, complete: false};
	return release;
}

/** The weights: the generated VirtualService (owned by the Canary), else status.canaryWeight. */
function canaryTraffic(canary: KObject, members: Array<{deployment: KObject; role: string}>, scan: Scan, info: FlaggerCanaryInfo): TrafficSplit {
	const primary = members.find(m => m.role === 'stable')?.deployment;
	const target = members.find(m => m.role === 'canary')?.deployment;
	const weights: Record<string, number> = {};
	if (primary) weights[sanitize(nameOf(primary))] = 100 - info.canaryWeight;
	if (target) weights[sanitize(nameOf(target))] = info.canaryWeight;
	const svc = canaryServiceName(canary);
	const vs = scan.ctx.objects.find(o => o.kind === 'VirtualService' && nameOf(o) === svc);
	if (vs && primary && target && svc) {
		const sides: Side[] = [
			{id: nameOf(primary), labels: templateLabels(primary), services: [`${svc}-primary`]},
			{id: nameOf(target), labels: templateLabels(target), services: [`${svc}-canary`]},
		];
		const reading = istioRouter.read(vs, sides, scan.ctx);
		if (reading) {
			const split: TrafficSplit = {
				router: 'istio',
				object: sanitize(reading.object),
				weights: {[sanitize(nameOf(primary))]: reading.weights[nameOf(primary)] ?? 0, [sanitize(nameOf(target))]: reading.weights[nameOf(target)] ?? 0},
				managedBy: 'flagger',
			};
			if (reading.routes) split.routes = reading.routes.map(r => ({version: sanitize(r.version), match: sanitize(r.match)}));
			return split;
		}
	}
	return {router: providerRouter(canary.spec?.provider), weights, managedBy: 'flagger'};
}

/** The router kind of a Flagger provider (`istio`, `gatewayapi:v1`, `nginx`, ...). */
function providerRouter(provider: unknown): TrafficSplit['router'] {
	const p = typeof provider === 'string' ? provider.split(':')[0] : 'istio';
	switch (p) {
		case 'istio':
			return 'istio';
		case 'gatewayapi':
			return 'gateway-api';
		case 'smi':
		case 'linkerd':
		case 'osm':
			return 'smi';
		case 'nginx':
			return 'nginx';
		case 'traefik':
			return 'traefik';
		case 'kubernetes':
			return 'service-selector';
		default:
			return 'replicas';
	}
}
