// The Flagger controller, as seen through the API: a Canary (flagger.app/v1beta1) takes over its target
// Deployment, creates `<target>-primary` and the Services `<svc>`, `<svc>-primary`, `<svc>-canary`
// and an Istio VirtualService, then runs its analysis loop once per `interval`: on a new revision of
// the target it scales the target up, shifts weight by stepWeight (or along stepWeights) up to
// maxWeight while the metric checks pass, counts failed checks, rolls back at `threshold`, and
// promotes by copying the target's template into the primary. Iteration mode (analysis.iterations)
// keeps the weight at 0 and counts iterations. `skipAnalysis` promotes at once; `suspend` freezes it.
// The metric checks read the target's pod-template annotations `sim.rollscope.dev/error-rate` (a
// ratio) and `sim.rollscope.dev/latency-ms`.
import {clone, deepEqual, nowIso, type KObject} from '../object.js';
import type {Change} from '../store.js';
import {durationSeconds, errorRateAnnotation, latencyAnnotation} from './argo-rollout.js';
import {recordEvent, type EventType} from './events.js';
import {computeHash} from './hash.js';
import {controllerRefTo, keyOf, num, QueueController, splitKey, type Context} from './util.js';

const CANARIES = 'flagger.app/canaries';
const DEPLOYMENTS = 'apps/deployments';
const VIRTUALSERVICES = 'networking.istio.io/virtualservices';

/** The label Flagger renames in the primary (`app: podinfo` → `app: podinfo-primary`), in order of preference. */
const selectorLabels = ['app', 'name', 'app.kubernetes.io/name'];

/** Phases in which the analysis loop runs (or a promotion is under way). */
const busy = new Set(['Progressing', 'Waiting', 'WaitingPromotion', 'Promoting', 'Finalising']);

export type FlaggerCheck = {metric: string; ok: boolean; value: number; message: string};

/** The metric checks of one analysis iteration, against the canary's error ratio and latency. */
export function runChecks(metrics: unknown, errorRate: number, latencyMs: number, canaryName: string): FlaggerCheck[] {
	const list: any[] = Array.isArray(metrics) ? metrics : [];
	const checks: FlaggerCheck[] = [];
	for (const m of list) {
		const name = String(m?.name ?? '');
		const range = m?.thresholdRange ?? {};
		if (name === 'request-success-rate') {
			const min = typeof range.min === 'number' ? range.min : typeof m?.threshold === 'number' ? m.threshold : 99;
			const value = round2((1 - errorRate) * 100);
			const ok = value >= min && (typeof range.max !== 'number' || value <= range.max);
			checks.push({metric: name, ok, value, message: `Halt ${canaryName} advancement success rate ${value.toFixed(2)}% < ${min}%`});
		} else if (name === 'request-duration') {
			const max = typeof range.max === 'number' ? range.max : typeof m?.threshold === 'number' ? m.threshold : 500;
			const ok = latencyMs <= max;
			checks.push({metric: name, ok, value: latencyMs, message: `Halt ${canaryName} advancement request duration ${formatMs(latencyMs)} > ${formatMs(max)}`});
		} else if (name) {
			// Any other metric (a MetricTemplate) measures the error ratio against its range.
			const value = errorRate;
			const low = typeof range.min === 'number' && value < range.min;
			const high = typeof range.max === 'number' && value > range.max;
			const bound = high ? `> ${range.max}` : `< ${range.min}`;
			checks.push({metric: name, ok: !low && !high, value, message: `Halt ${canaryName} advancement ${name} ${round4(value)} ${bound}`});
		}
	}
	return checks;
}

const round2 = (v: number) => Math.round(v * 100) / 100;
const round4 = (v: number) => Math.round(v * 10000) / 10000;
function formatMs(ms: number): string {
	return ms >= 1000 ? `${round4(ms / 1000)}s` : `${Math.round(ms)}ms`;
}

/** The next canary weight: the next of stepWeights above the current one, else current + stepWeight, capped at maxWeight. */
export function nextWeight(analysis: any, current: number): number {
	const max = maxWeightOf(analysis);
	const steps: number[] = Array.isArray(analysis?.stepWeights) ? analysis.stepWeights.filter((w: unknown) => typeof w === 'number') : [];
	if (steps.length > 0) return Math.min(max, steps.find(w => w > current) ?? max);
	const step = typeof analysis?.stepWeight === 'number' && analysis.stepWeight > 0 ? analysis.stepWeight : 10;
	return Math.min(max, current + step);
}

export function maxWeightOf(analysis: any): number {
	if (typeof analysis?.maxWeight === 'number') return analysis.maxWeight;
	const steps = Array.isArray(analysis?.stepWeights) ? analysis.stepWeights.filter((w: unknown) => typeof w === 'number') : [];
	return steps.length > 0 ? Math.max(...steps) : 100;
}

/** Blue-green and A/B canaries count iterations at weight 0 instead of shifting weight. */
export function iterationMode(analysis: any): boolean {
	return typeof analysis?.iterations === 'number' && analysis.iterations > 0 && analysis.stepWeight === undefined && !Array.isArray(analysis.stepWeights);
}

type Memory = {nextTick?: number};

export class FlaggerController extends QueueController {
	private readonly memory = new Map<string, Memory>();

	constructor(ctx: Context) {
		super(ctx, 'flagger');
	}

	protected subscriptions(): Array<[string, (change: Change) => void]> {
		return [
			[CANARIES, change => this.onCanary(change)],
			[DEPLOYMENTS, change => this.onDeployment(change)],
		];
	}

	resync(): void {
		for (const c of this.ctx.store.list(CANARIES)) this.queue.add(keyOf(c));
	}

	private onCanary(change: Change): void {
		this.queueChange(change, uid => this.memory.delete(uid));
	}

	private onDeployment(change: Change): void {
		const name = change.object.metadata.name ?? '';
		for (const c of this.ctx.store.list(CANARIES, change.object.metadata.namespace)) {
			const target = c.spec?.targetRef?.name;
			if (target === name || `${target}-primary` === name) this.queue.add(keyOf(c));
		}
	}

	private event(canary: KObject, type: EventType, message: string): void {
		recordEvent(this.ctx.store, canary, type, 'Synced', message, 'flagger', {now: this.ctx.clock.now()});
	}

	protected sync(key: string): void {
		const [namespace, name] = splitKey(key);
		const {store, clock} = this.ctx;
		const canary = store.get(CANARIES, namespace, name);
		if (!canary) {
			this.queue.forget(key);
			return;
		}
		const uid = canary.metadata.uid!;
		let mem = this.memory.get(uid);
		if (!mem) this.memory.set(uid, (mem = {}));
		const now = clock.now();
		const status = clone(canary.status ?? {});
		const events: Array<[EventType, string]> = [];
		const id = `${name}.${namespace}`;
		const analysis = canary.spec?.analysis ?? {};
		const interval = durationSeconds(analysis.interval) ?? 60;
		const threshold = typeof analysis.threshold === 'number' ? analysis.threshold : 5;
		const targetName: string | undefined = canary.spec?.targetRef?.name;
		const target = targetName ? store.get(DEPLOYMENTS, namespace, targetName) : undefined;
		const primaryName = `${targetName}-primary`;
		const setPhase = (phase: string) => {
			if (status.phase !== phase) status.lastTransitionTime = nowIso(now);
			status.phase = phase;
		};
		const finish = () => {
			status.trackedConfigs ??= {};
			const condition = promotedCondition(status.phase, canary.status?.conditions?.[0], nowIso(now));
			if (condition) status.conditions = [condition];
			if (!deepEqual(status, canary.status)) store.update(CANARIES, {...canary, status}, {subresource: 'status'});
			for (const [type, message] of events) this.event(canary, type, message);
		};

		if (!target || !targetName) {
			setPhase(status.phase ?? 'Initializing');
			events.push(['Warning', `${targetName ?? '?'}.${namespace} not found, retrying`]);
			finish();
			this.queue.addAfter(key, interval);
			return;
		}
		if (canary.spec?.suspend === true) {
			// Suspended: nothing moves; look again after an interval.
			this.queue.addAfter(key, interval);
			return;
		}

		const specHash = computeHash(target.spec?.template ?? {});
		this.ensureRouting(canary, target);
		let primary = store.get(DEPLOYMENTS, namespace, primaryName);

		// Initialisation: the primary takes the target's place, then the target scales to zero.
		if (!status.phase || status.phase === 'Initializing') {
			if (!primary) primary = this.createPrimary(canary, target);
			setPhase('Initializing');
			status.canaryWeight = 0;
			status.failedChecks = 0;
			status.iterations = 0;
			if (ready(primary)) {
				this.scaleTarget(target, 0);
				setPhase('Initialized');
				status.lastAppliedSpec = specHash;
				status.lastPromotedSpec = specHash;
				events.push(['Normal', `Initialization done! ${id}`]);
			} else {
				this.queue.addAfter(key, 1);
			}
			finish();
			return;
		}
		if (!primary) primary = this.createPrimary(canary, target);

		// A new revision of the target (re)starts the analysis.
		if (specHash !== status.lastAppliedSpec) {
			const restarting = busy.has(status.phase);
			status.lastAppliedSpec = specHash;
			status.canaryWeight = 0;
			status.failedChecks = 0;
			status.iterations = 0;
			setPhase('Progressing');
			this.setWeight(canary, 0);
			this.scaleTarget(target, Math.max(1, num(primary.spec?.replicas)));
			events.push(['Normal', restarting ? `New revision detected! Restarting analysis for ${id}` : `New revision detected! Scaling up ${id}`]);
			mem.nextTick = now + clock.toMs(interval);
			finish();
			this.queue.addAfter(key, interval + 0.01);
			return;
		}

		if (!busy.has(status.phase)) {
			finish();
			return;
		}
		// Between ticks: nothing but to wait for the next one.
		if (mem.nextTick !== undefined && now < mem.nextTick) {
			this.queue.addAfter(key, (mem.nextTick - now) / clock.toMs(1) + 0.01);
			return;
		}
		mem.nextTick = now + clock.toMs(interval);
		this.queue.addAfter(key, interval + 0.01);

		switch (status.phase) {
			case 'Promoting': {
				if (!sameTemplate(primary, target)) {
					this.copyToPrimary(canary, target, primary);
					break;
				}
				if (!ready(this.fresh(primary))) {
					events.push(['Normal', `Halt advancement ${primaryName}.${namespace} waiting for rollout to finish`]);
					break;
				}
				this.setWeight(canary, 0);
				status.canaryWeight = 0;
				setPhase('Finalising');
				events.push(['Normal', 'Routing all traffic to primary']);
				break;
			}
			case 'Finalising': {
				this.scaleTarget(target, 0);
				status.lastPromotedSpec = status.lastAppliedSpec;
				setPhase('Succeeded');
				events.push(['Normal', `Promotion completed! Scaling down ${id}`]);
				break;
			}
			default: {
				// Progressing (and the waiting phases): one analysis iteration.
				if (!ready(target)) {
					events.push(['Normal', `Halt advancement ${id} waiting for rollout to finish: ${num(target.status?.availableReplicas)} of ${num(target.spec?.replicas)} updated replicas are available`]);
					break;
				}
				if (canary.spec?.skipAnalysis === true) {
					events.push(['Normal', `Skipping analysis for ${id}`]);
					this.startPromotion(canary, target, primary, status, setPhase, events, id);
					break;
				}
				if (num(status.failedChecks) >= threshold) {
					this.setWeight(canary, 0);
					status.canaryWeight = 0;
					this.scaleTarget(target, 0);
					setPhase('Failed');
					events.push(['Warning', `Rolling back ${id} failed checks threshold reached ${num(status.failedChecks)}`]);
					events.push(['Warning', `Canary failed! Scaling down ${id}`]);
					break;
				}
				const iterations = iterationMode(analysis);
				if (num(status.canaryWeight) > 0 || iterations) {
					const annotations = target.spec?.template?.metadata?.annotations ?? {};
					const errorRate = Number.parseFloat(annotations[errorRateAnnotation] ?? '0') || 0;
					const latency = Number.parseFloat(annotations[latencyAnnotation] ?? '0') || 0;
					const failed = runChecks(analysis.metrics, errorRate, latency, id).filter(c => !c.ok);
					if (failed.length > 0) {
						status.failedChecks = num(status.failedChecks) + 1;
						for (const check of failed) events.push(['Warning', check.message]);
						break;
					}
				} else {
					events.push(['Normal', `Starting canary analysis for ${id}`]);
				}
				if (iterations) {
					status.iterations = num(status.iterations) + 1;
					if (status.iterations >= analysis.iterations) this.startPromotion(canary, target, primary, status, setPhase, events, id);
					else events.push(['Normal', `Advance ${id} canary iteration ${status.iterations}/${analysis.iterations}`]);
					break;
				}
				const current = num(status.canaryWeight);
				if (current >= maxWeightOf(analysis)) {
					this.startPromotion(canary, target, primary, status, setPhase, events, id);
					break;
				}
				const next = nextWeight(analysis, current);
				this.setWeight(canary, next);
				status.canaryWeight = next;
				events.push(['Normal', `Advance ${id} canary weight ${next}`]);
			}
		}
		finish();
	}

	private startPromotion(canary: KObject, target: KObject, primary: KObject, status: any, setPhase: (p: string) => void, events: Array<[EventType, string]>, id: string): void {
		this.copyToPrimary(canary, target, primary);
		setPhase('Promoting');
		status.canaryWeight = num(status.canaryWeight);
		events.push(['Normal', `Copying ${id} template spec to ${primary.metadata.name}.${canary.metadata.namespace}`]);
	}

	private fresh(o: KObject): KObject {
		return this.ctx.store.get(DEPLOYMENTS, o.metadata.namespace, o.metadata.name!) ?? o;
	}

	private scaleTarget(target: KObject, replicas: number): void {
		if (num(target.spec?.replicas) === replicas) return;
		this.ctx.store.mutate(DEPLOYMENTS, target.metadata.namespace, target.metadata.name!, o => {
			o.spec = {...o.spec, replicas};
		});
	}

	/** The primary's pod template: the target's, with the selector label renamed. */
	private primaryTemplate(target: KObject): any {
		const label = selectorLabelOf(target);
		const template = clone(target.spec?.template ?? {});
		template.metadata ??= {};
		const labels = {...template.metadata.labels};
		if (label) labels[label] = `${labels[label] ?? target.metadata.name}-primary`;
		template.metadata.labels = labels;
		return template;
	}

	private createPrimary(canary: KObject, target: KObject): KObject {
		const label = selectorLabelOf(target);
		const selector = clone(target.spec?.selector ?? {});
		if (label && selector.matchLabels?.[label] !== undefined) selector.matchLabels[label] = `${selector.matchLabels[label]}-primary`;
		const name = `${target.metadata.name}-primary`;
		return this.ctx.store.create(DEPLOYMENTS, {
			apiVersion: 'apps/v1',
			kind: 'Deployment',
			metadata: {
				name,
				namespace: target.metadata.namespace,
				labels: {...target.metadata.labels, ...(label ? {[label]: name} : {})},
				annotations: {...copyable(target.metadata.annotations)},
				ownerReferences: [controllerRefTo(canary)],
			},
			spec: {...clone(target.spec), replicas: Math.max(1, num(target.spec?.replicas) || 1), selector, template: this.primaryTemplate(target)},
		});
	}

	private copyToPrimary(canary: KObject, target: KObject, primary: KObject): void {
		const template = this.primaryTemplate(target);
		if (deepEqual(primary.spec?.template, template)) return;
		this.ctx.store.mutate(DEPLOYMENTS, primary.metadata.namespace, primary.metadata.name!, o => {
			o.spec = {...o.spec, template};
			o.metadata.annotations = {...o.metadata.annotations, ...copyable(target.metadata.annotations)};
		});
	}

	/** The Services and the VirtualService Flagger generates, created once. */
	private ensureRouting(canary: KObject, target: KObject): void {
		const {store} = this.ctx;
		const namespace = canary.metadata.namespace;
		const svc = canary.spec?.service?.name ?? target.metadata.name!;
		const port = typeof canary.spec?.service?.port === 'number' ? canary.spec.service.port : 80;
		const targetPort = canary.spec?.service?.targetPort ?? port;
		const label = selectorLabelOf(target);
		const value = label ? (target.spec?.selector?.matchLabels?.[label] ?? target.metadata.name) : target.metadata.name;
		const services: Array<[string, Record<string, string>]> = [
			[svc, {[label ?? 'app']: `${value}-primary`}],
			[`${svc}-primary`, {[label ?? 'app']: `${value}-primary`}],
			[`${svc}-canary`, {[label ?? 'app']: String(value)}],
		];
		for (const [name, selector] of services) {
			if (store.get('services', namespace, name)) continue;
			const ip = this.freeClusterIp();
			store.create('services', {
				apiVersion: 'v1',
				kind: 'Service',
				metadata: {name, namespace, labels: {app: name}, ownerReferences: [controllerRefTo(canary)]},
				spec: {
					type: 'ClusterIP',
					selector,
					ports: [{name: canary.spec?.service?.portName ?? 'http', protocol: 'TCP', port, targetPort}],
					clusterIP: ip,
					clusterIPs: [ip],
					sessionAffinity: 'None',
					ipFamilies: ['IPv4'],
					ipFamilyPolicy: 'SingleStack',
				},
			});
		}
		const provider = canary.spec?.provider ?? 'istio';
		if (provider !== 'istio' || store.get(VIRTUALSERVICES, namespace, svc)) return;
		const hosts = [svc, ...(Array.isArray(canary.spec?.service?.hosts) ? canary.spec.service.hosts : [])];
		store.create(VIRTUALSERVICES, {
			apiVersion: 'networking.istio.io/v1',
			kind: 'VirtualService',
			metadata: {name: svc, namespace, ownerReferences: [controllerRefTo(canary)]},
			spec: {
				hosts: [...new Set(hosts)],
				...(Array.isArray(canary.spec?.service?.gateways) ? {gateways: canary.spec.service.gateways} : {}),
				http: [{
					route: [
						{destination: {host: `${svc}-primary`}, weight: 100},
						{destination: {host: `${svc}-canary`}, weight: 0},
					],
				}],
			},
		});
	}

	private setWeight(canary: KObject, weight: number): void {
		const svc = canary.spec?.service?.name ?? canary.spec?.targetRef?.name;
		const vs = svc ? this.ctx.store.get(VIRTUALSERVICES, canary.metadata.namespace, svc) : undefined;
		if (!vs) return;
		const next = clone(vs);
		for (const http of Array.isArray(next.spec?.http) ? next.spec.http : []) {
			for (const dest of Array.isArray(http?.route) ? http.route : []) {
				const host = String(dest?.destination?.host ?? '').split('.')[0];
				if (host === `${svc}-canary`) dest.weight = weight;
				else if (host === `${svc}-primary`) dest.weight = 100 - weight;
			}
		}
		if (!deepEqual(next.spec, vs.spec)) this.ctx.store.update(VIRTUALSERVICES, next);
	}

	private freeClusterIp(): string {
		const used = new Set(this.ctx.store.list('services').map(s => s.spec?.clusterIP));
		for (let n = 0; ; n++) {
			const ip = `10.96.${250 - Math.floor(n / 250)}.${(n % 250) + 2}`;
			if (!used.has(ip)) return ip;
		}
	}
}

function selectorLabelOf(target: KObject): string | undefined {
	const labels = target.spec?.selector?.matchLabels ?? {};
	return selectorLabels.find(l => labels[l] !== undefined);
}

/** Annotations worth copying to the primary (not kubectl's or the Deployment controller's). */
function copyable(annotations: Record<string, string> | undefined): Record<string, string> {
	const out: Record<string, string> = {};
	for (const [k, v] of Object.entries(annotations ?? {})) {
		if (k.startsWith('deployment.kubernetes.io/') || k === 'kubectl.kubernetes.io/last-applied-configuration') continue;
		out[k] = v;
	}
	return out;
}

/** The primary runs the target's template (with the renamed label). */
function sameTemplate(primary: KObject, target: KObject): boolean {
	const label = selectorLabelOf(target);
	const a = clone(primary.spec?.template ?? {});
	const b = clone(target.spec?.template ?? {});
	if (label) {
		delete a.metadata?.labels?.[label];
		delete b.metadata?.labels?.[label];
	}
	return deepEqual(a, b);
}

/** A Deployment whose update has finished and whose pods are all available. */
function ready(d: KObject): boolean {
	const replicas = typeof d.spec?.replicas === 'number' ? d.spec.replicas : 1;
	const s = d.status ?? {};
	return num(s.observedGeneration) >= num(d.metadata.generation) && num(s.updatedReplicas) >= replicas && num(s.availableReplicas) >= replicas && num(s.replicas) <= replicas;
}

/** Flagger's one condition, Promoted, whose reason is the phase. */
function promotedCondition(phase: string, previous: any, stamp: string): Record<string, string> | undefined {
	const table: Record<string, [string, string]> = {
		Initializing: ['Unknown', 'New Deployment detected, starting initialization.'],
		Initialized: ['True', 'Deployment initialization completed.'],
		Progressing: ['Unknown', 'New revision detected, progressing canary analysis.'],
		Waiting: ['Unknown', 'Waiting for approval.'],
		WaitingPromotion: ['Unknown', 'Waiting for approval.'],
		Promoting: ['Unknown', 'Canary analysis completed, starting primary rolling update.'],
		Finalising: ['Unknown', 'Canary analysis completed, routing all traffic to primary.'],
		Succeeded: ['True', 'Canary analysis completed successfully, promotion finished.'],
		Failed: ['False', 'Canary analysis failed, Deployment scaled to zero.'],
	};
	const row = table[phase];
	if (!row) return undefined;
	const [status, message] = row;
	const same = previous?.status === status && previous?.reason === phase;
	return {
		type: 'Promoted',
		status,
		lastUpdateTime: same ? previous.lastUpdateTime : stamp,
		lastTransitionTime: previous?.status === status ? (previous.lastTransitionTime ?? stamp) : stamp,
		reason: phase,
		message,
	};
}
