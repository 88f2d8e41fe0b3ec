// The HorizontalPodAutoscaler controller (autoscaling/v2, pkg/controller/podautoscaler), simplified.
// Every 15 simulated seconds it reads the target's scale subresource (a Deployment, ReplicaSet, or a
// custom resource such as an Argo Rollout through its CRD's scale paths) and:
// - brings a replica count outside minReplicas..maxReplicas back to the nearest bound at once;
// - within the bounds, for a CPU Resource metric (Utilization or AverageValue), when the sim's CPU
//   model is given (the simulated per-pod CPU seconds of metrics.ts), takes each ready pod's CPU
//   use over the last period against its CPU request and asks for ceil(pods × use / target),
//   with the real controller's 10 % tolerance, scale-up limit (4 pods or 100 % per period) and
//   stabilization windows (300 s for scale-down unless spec.behavior says otherwise); a pod
//   without a CPU request, other metric types, or no CPU model leave the count where it is
//   (ScalingActive False, as when metrics are missing).
// It writes status (currentReplicas, desiredReplicas, currentMetrics, lastScaleTime, the
// AbleToScale, ScalingActive and ScalingLimited conditions) and SuccessfulRescale events.
import {clone, deepEqual, nowIso, type KObject} from '../object.js';
import {storageKey} from '../resources.js';
import {scaleOf, withReplicas} from '../scale.js';
import {parseLabelSelector} from '../selectors.js';
import type {Change} from '../store.js';
import {recordEvent, type EventType} from './events.js';
import {isPodActive, isPodReady, keyOf, QueueController, splitKey, type Condition, type Context} from './util.js';

/** Where the controller reads pods' CPU use: the simulated CPU seconds each pod has used up to `now` (wall ms). */
export type PodCpuSource = {podCpuSeconds(namespace: string, pod: string, now: number): number | undefined};

const HPAS = 'autoscaling/horizontalpodautoscalers';
/** Simulated seconds between two looks at a target (--horizontal-pod-autoscaler-sync-period). */
export const autoscalerSyncPeriod = 15;
const tolerance = 0.1;

/** A CPU quantity in cores: `250m` → 0.25, `1.5` → 1.5; undefined when it is not one. */
export function cpuCores(quantity: unknown): number | undefined {
	const m = /^(\d+(?:\.\d+)?)(m?)$/.exec(String(quantity ?? '').trim());
	if (!m) return undefined;
	return Number(m[1]) / (m[2] ? 1000 : 1);
}

type Recommendation = {at: number; replicas: number};

type CpuReading = {replicas: number; utilization?: number; averageMilli: number; above: boolean} | {error: string};

export class HorizontalPodAutoscalerController extends QueueController {
	/** The last CPU seconds seen per pod (`namespace/name`), with the wall time they were read. */
	private readonly samples = new Map<string, {cpu: number; at: number}>();
	private readonly recommendations = new Map<string, Recommendation[]>();
	/** The last CPU reading per HPA: a sync sooner than a period later (after a spec or status write) reuses it. */
	private readonly readings = new Map<string, {at: number; reading: CpuReading}>();

	constructor(ctx: Context, private readonly cpu?: PodCpuSource) {
		super(ctx, 'horizontal-pod-autoscaler');
	}

	protected subscriptions(): Array<[string, (change: Change) => void]> {
		return [[HPAS, change => this.queueChange(change, () => this.forget(keyOf(change.object)))]];
	}

	resync(): void {
		for (const hpa of this.ctx.store.list(HPAS)) this.queue.add(keyOf(hpa));
	}

	private forget(key: string): void {
		this.recommendations.delete(key);
		this.readings.delete(key);
	}

	private event(hpa: KObject, type: EventType, reason: string, message: string): void {
		recordEvent(this.ctx.store, hpa, type, reason, message, 'horizontal-pod-autoscaler', {now: this.ctx.clock.now()});
	}

	protected sync(key: string): void {
		const [namespace, name] = splitKey(key);
		const {store, clock} = this.ctx;
		const hpa = store.get(HPAS, namespace, name);
		if (!hpa) {
			this.queue.forget(key);
			this.forget(key);
			return;
		}
		this.queue.addAfter(key, autoscalerSyncPeriod);
		const now = clock.now();
		const stamp = nowIso(now);
		const status: Record<string, any> = clone(hpa.status ?? {});
		const conditions: Condition[] = Array.isArray(status.conditions) ? status.conditions : [];
		const setCondition = (type: string, value: 'True' | 'False', reason: string, message: string) => {
			const current = conditions.find(c => c.type === type);
			const next: Condition = {type, status: value, reason, message, lastTransitionTime: current?.status === value ? current.lastTransitionTime! : stamp};
			if (current) Object.assign(current, next);
			else conditions.push(next);
		};
		const write = () => {
			const order = ['AbleToScale', 'ScalingActive', 'ScalingLimited'];
			conditions.sort((a, b) => order.indexOf(a.type) - order.indexOf(b.type));
			const next = {...status, conditions, ...(hpa.metadata.generation ? {observedGeneration: hpa.metadata.generation} : {})};
			if (!deepEqual(next, hpa.status)) store.update(HPAS, {...hpa, status: next}, {subresource: 'status'});
		};

		const ref = hpa.spec?.scaleTargetRef ?? {};
		const apiVersion = String(ref.apiVersion ?? '');
		const group = apiVersion.includes('/') ? apiVersion.slice(0, apiVersion.indexOf('/')) : '';
		const resource = store.resources.byKind(group, String(ref.kind ?? ''));
		const target = resource?.subresources?.includes('scale') ? store.get(storageKey(resource), namespace, String(ref.name ?? '')) : undefined;
		if (!resource || !target) {
			const message = !resource || !resource.subresources?.includes('scale')
				? `the HPA controller was unable to get the target's current scale: no matches for kind "${ref.kind}" in group "${group}"`
				: `the HPA controller was unable to get the target's current scale: ${resource.group ? `${resource.plural}.${resource.group}` : resource.plural} "${ref.name}" not found`;
			if (conditions.find(c => c.type === 'AbleToScale')?.message !== message) this.event(hpa, 'Warning', 'FailedGetScale', message.replace(/^the HPA controller was unable to get the target's current scale: /, ''));
			setCondition('AbleToScale', 'False', 'FailedGetScale', message);
			write();
			return;
		}

		const scale = scaleOf(resource, target);
		const current: number = scale.spec.replicas;
		const min = typeof hpa.spec?.minReplicas === 'number' ? hpa.spec.minReplicas : 1;
		const max = Number(hpa.spec?.maxReplicas) || min;
		let desired = current;
		let reason = '';
		if (current === 0 && min !== 0) {
			setCondition('ScalingActive', 'False', 'ScalingDisabled', 'scaling is disabled since the replica count of the target is zero');
		} else if (current > max) {
			desired = max;
			reason = 'Current number of replicas above Spec.MaxReplicas';
			setCondition('ScalingLimited', 'True', 'TooManyReplicas', 'the desired replica count is more than the maximum replica count');
		} else if (current < min) {
			desired = min;
			reason = 'Current number of replicas below Spec.MinReplicas';
			setCondition('ScalingLimited', 'True', 'TooFewReplicas', 'the desired replica count is less than the minimum replica count');
		} else {
			const last = this.readings.get(key);
			const reading = last && now - last.at < clock.toMs(autoscalerSyncPeriod) * 0.9 ? last.reading : this.readCpu(hpa, scale.status.selector ?? '', namespace, current, now);
			if (reading !== last?.reading) this.readings.set(key, {at: now, reading});
			if ('error' in reading) {
				setCondition('ScalingActive', 'False', 'FailedGetResourceMetric', `the HPA was unable to compute the replica count: ${reading.error}`);
				delete status.currentMetrics;
			} else {
				setCondition('ScalingActive', 'True', 'ValidMetricFound', 'the HPA was able to successfully calculate a replica count from cpu resource utilization (percentage of request)');
				status.currentMetrics = [{type: 'Resource', resource: {name: 'cpu', current: {...(reading.utilization !== undefined ? {averageUtilization: reading.utilization} : {}), averageValue: `${reading.averageMilli}m`}}}];
				const stabilized = this.stabilize(key, hpa, reading.replicas, current, now);
				const limited = Math.min(stabilized, Math.max(current + 4, current * 2));
				desired = Math.max(min, Math.min(max, limited));
				if (limited > max) setCondition('ScalingLimited', 'True', 'TooManyReplicas', 'the desired replica count is more than the maximum replica count');
				else if (limited < min) setCondition('ScalingLimited', 'True', 'TooFewReplicas', 'the desired replica count is less than the minimum replica count');
				else setCondition('ScalingLimited', 'False', 'DesiredWithinRange', 'the desired count is within the acceptable range');
				reason = `cpu resource utilization (percentage of request) ${reading.above ? 'above' : 'below'} target`;
			}
		}

		if (desired !== current) {
			store.update(storageKey(resource), withReplicas(resource, target, desired));
			status.lastScaleTime = stamp;
			setCondition('AbleToScale', 'True', 'SucceededRescale', `the HPA controller was able to update the target scale to ${desired}`);
			this.event(hpa, 'Normal', 'SuccessfulRescale', `New size: ${desired}; reason: ${reason}`);
		} else {
			setCondition('AbleToScale', 'True', 'ReadyForNewScale', 'recommended size matches current size');
		}
		status.currentReplicas = scale.status.replicas;
		status.desiredReplicas = desired;
		write();
	}

	/** The replica count the CPU metric asks for, from each ready pod's CPU use since the last look. */
	private readCpu(hpa: KObject, selector: string, namespace: string, current: number, now: number): CpuReading {
		const metrics: any[] = Array.isArray(hpa.spec?.metrics) ? hpa.spec.metrics : [];
		const metric = metrics.find(m => m?.type === 'Resource' && m.resource?.name === 'cpu');
		if (!metric) return {error: 'the simulated cluster measures only the cpu Resource metric'};
		if (!this.cpu) return {error: 'unable to get metrics for resource cpu: no metrics returned from resource metrics API'};
		if (!selector) return {error: 'the target has no label selector for its pods'};
		const matches = parseLabelSelector(selector);
		let used = 0;
		let requested = 0;
		let measured = 0;
		for (const pod of this.ctx.store.list('pods', namespace)) {
			if (!isPodActive(pod) || !matches(pod.metadata.labels)) continue;
			const containers: any[] = Array.isArray(pod.spec?.containers) ? pod.spec.containers : [];
			let request = 0;
			for (const c of containers) {
				const cores = cpuCores(c?.resources?.requests?.cpu ?? c?.resources?.limits?.cpu);
				if (cores === undefined) return {error: `failed to get cpu utilization: missing request for cpu in container ${c?.name} of Pod ${pod.metadata.name}`};
				request += cores;
			}
			const id = `${namespace}/${pod.metadata.name}`;
			const cpu = this.cpu.podCpuSeconds(namespace, pod.metadata.name!, now);
			const before = this.samples.get(id);
			if (cpu !== undefined) this.samples.set(id, {cpu, at: now});
			if (!isPodReady(pod) || cpu === undefined || !before) continue;
			const seconds = ((now - before.at) / 1000) * this.ctx.clock.speed;
			if (!(seconds > 0.5)) continue;
			used += Math.max(0, cpu - before.cpu) / seconds;
			requested += request;
			measured++;
		}
		if (measured === 0) return {error: 'did not receive metrics for targeted pods (pods might be unready)'};
		const averageMilli = Math.round((used / measured) * 1000);
		const target = metric.resource.target ?? {};
		let ratio: number;
		let utilization: number | undefined;
		if (target.type === 'AverageValue') {
			const want = cpuCores(target.averageValue);
			if (!want) return {error: `invalid cpu averageValue target ${JSON.stringify(target.averageValue)}`};
			ratio = used / measured / want;
		} else {
			if (!(requested > 0)) return {error: 'failed to get cpu utilization: no cpu requested'};
			utilization = Math.round((used / requested) * 100);
			ratio = utilization / (Number(target.averageUtilization) || 80);
		}
		const replicas = Math.abs(ratio - 1) <= tolerance ? current : Math.ceil(ratio * measured);
		return {replicas, utilization, averageMilli, above: ratio > 1};
	}

	/** The stabilization windows: scale down only to the highest, up only to the lowest, recommendation within the window. */
	private stabilize(key: string, hpa: KObject, recommendation: number, current: number, now: number): number {
		const behavior = hpa.spec?.behavior ?? {};
		const downWindow = typeof behavior.scaleDown?.stabilizationWindowSeconds === 'number' ? behavior.scaleDown.stabilizationWindowSeconds : 300;
		const upWindow = typeof behavior.scaleUp?.stabilizationWindowSeconds === 'number' ? behavior.scaleUp.stabilizationWindowSeconds : 0;
		const longest = this.ctx.clock.toMs(Math.max(downWindow, upWindow));
		const history = (this.recommendations.get(key) ?? []).filter(r => now - r.at <= longest);
		history.push({at: now, replicas: recommendation});
		this.recommendations.set(key, history);
		const within = (seconds: number) => history.filter(r => now - r.at <= this.ctx.clock.toMs(seconds)).map(r => r.replicas);
		if (recommendation < current) return Math.min(current, Math.max(...within(downWindow)));
		if (recommendation > current) return Math.max(current, Math.min(...within(upWindow)));
		return current;
	}
}

