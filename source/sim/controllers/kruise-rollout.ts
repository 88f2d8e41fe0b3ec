// The OpenKruise Rollouts controller, as seen through the API, written from Kruise's documentation and its
// controller's behaviour: a Rollout (rollouts.kruise.io, v1beta1 `spec.workloadRef` or v1alpha1
// `spec.objectRef.workloadRef`) releases a Deployment in steps. Its webhook pauses the Deployment when the pod
// template changes (here a store admission hook); then each step scales the new version to the step's replicas
// (in the canary style a canary Deployment `<name>-xxxxx` owned by a BatchRelease, in the partition style a new
// ReplicaSet of the Deployment itself), routes the step's traffic through the canary Service and the router
// object (the canary Ingress `<ingress>-canary` with ingress-nginx's canary annotations, or the HTTPRoute's
// backendRefs), and pauses: for its duration, or until approved (currentStepState StepPaused → StepReady on the
// status subresource). spec.strategy.paused holds it; nextStepIndex jumps; putting the template back to the
// stable revision cancels the release; after the last step the workload is resumed and everything restored.
import {clone, deepEqual, nowIso, type KObject} from '../object.js';
import type {Change} from '../store.js';
import {equalIgnoreHash} from './deployment.js';
import {recordEvent, type EventType} from './events.js';
import {computeHash, podTemplateHashLabel} from './hash.js';
import {replicaSetReplicas} from './replicaset.js';
import {controllerRefTo, isControlledBy, keyOf, num, QueueController, splitKey, type Condition, type Context} from './util.js';

const ROLLOUTS = 'rollouts.kruise.io/rollouts';
const BATCHRELEASES = 'rollouts.kruise.io/batchreleases';
const DEPLOYMENTS = 'apps/deployments';
const REPLICASETS = 'apps/replicasets';
const SERVICES = 'services';
const INGRESSES = 'networking.k8s.io/ingresses';
const HTTPROUTES = 'gateway.networking.k8s.io/httproutes';

export const kruiseInProgressingAnnotation = 'rollouts.kruise.io/in-progressing';
export const kruiseStableRevisionLabel = 'rollouts.kruise.io/stable-revision';
export const kruiseCanaryDeploymentLabel = 'rollouts.kruise.io/canary-deployment';
export const kruiseRollingStyleAnnotation = 'rollouts.kruise.io/rolling-style';
const controlInfoAnnotation = 'batchrelease.rollouts.kruise.io/control-info';
const deploymentStrategyAnnotation = 'rollouts.kruise.io/deployment-strategy';
const advancedControlLabel = 'rollouts.kruise.io/controlled-by-advanced-deployment-controller';
const revisionAnnotation = 'deployment.kubernetes.io/revision';
const nginx = 'nginx.ingress.kubernetes.io';
/** Seconds Kruise waits after changing a Service or router before it trusts the change (gracePeriodSeconds). */
const defaultGraceSeconds = 3;

type Step = {traffic?: number; matches: any[]; replicas?: string | number; duration?: number};

/** A Rollout in either API shape, as the controller reads it. */
type View = {
	shape: 'v1alpha1' | 'v1beta1';
	workload?: string;
	steps: Step[];
	style: 'canary' | 'partition';
	routing?: {service: string; canaryService: string; ingress?: string; httpRoute?: string; grace: number};
	paused: boolean;
	disabled: boolean;
};

function percentOf(value: unknown): number | undefined {
	if (typeof value === 'number' && Number.isFinite(value)) return value;
	const m = typeof value === 'string' ? /^(\d+)%?$/.exec(value.trim()) : null;
	return m ? Number(m[1]) : undefined;
}

/** `replicas` (a number or a percent) of `total`, rounded up. */
export function scaled(value: string | number | undefined, total: number): number {
	if (value === undefined) return 0;
	if (typeof value === 'number') return value;
	const m = /^(\d+)%$/.exec(value.trim());
	if (m) return Math.ceil((Number(m[1]) * total) / 100);
	const n = Number.parseInt(value, 10);
	return Number.isFinite(n) ? n : 0;
}

function viewOf(ro: KObject): View {
	const spec = ro.spec ?? {};
	const shape = spec.objectRef !== undefined && spec.workloadRef === undefined ? 'v1alpha1' : 'v1beta1';
	const ref = shape === 'v1alpha1' ? spec.objectRef?.workloadRef : spec.workloadRef;
	const canary = spec.strategy?.canary ?? {};
	const steps: Step[] = (Array.isArray(canary.steps) ? canary.steps : []).map((s: any) => {
		const traffic = percentOf(s?.traffic) ?? (typeof s?.weight === 'number' ? s.weight : undefined);
		const replicas = s?.replicas ?? (typeof s?.weight === 'number' ? `${s.weight}%` : undefined);
		return {
			...(traffic !== undefined ? {traffic} : {}),
			matches: Array.isArray(s?.matches) ? s.matches : [],
			...(replicas !== undefined ? {replicas} : {}),
			...(typeof s?.pause?.duration === 'number' ? {duration: s.pause.duration} : {}),
		};
	});
	const canaryStyle = shape === 'v1alpha1' ? String(ro.metadata.annotations?.[kruiseRollingStyleAnnotation] ?? '').toLowerCase() !== 'partition' : canary.enableExtraWorkloadForCanary === true;
	const tr = Array.isArray(canary.trafficRoutings) ? canary.trafficRoutings[0] : undefined;
	const view: View = {
		shape,
		steps,
		style: canaryStyle && ref?.kind === 'Deployment' ? 'canary' : 'partition',
		paused: spec.strategy?.paused === true,
		disabled: spec.disabled === true,
	};
	if (ref?.kind === 'Deployment' && typeof ref.name === 'string') view.workload = ref.name;
	if (typeof tr?.service === 'string' && tr.service) {
		view.routing = {
			service: tr.service,
			canaryService: canary.disableGenerateCanaryService === true ? tr.service : `${tr.service}-canary`,
			grace: typeof tr.gracePeriodSeconds === 'number' && tr.gracePeriodSeconds >= 0 ? tr.gracePeriodSeconds : defaultGraceSeconds,
			...(typeof tr.ingress?.name === 'string' ? {ingress: tr.ingress.name} : {}),
			...(typeof tr.gateway?.httpRouteName === 'string' ? {httpRoute: tr.gateway.httpRouteName} : {}),
		};
	}
	return view;
}

/** NextBatchIndex: the step after `index`, -1 after the last. */
const nextIndex = (view: View, index: number) => (index >= view.steps.length ? -1 : index + 1);

const hashOf = (rs: KObject | undefined): string | undefined => rs?.metadata.labels?.[podTemplateHashLabel];

type Sync = {ro: KObject; view: View; d: KObject; status: any; now: number; stamp: string; events: Array<[EventType, string, string]>};

type Memory = {
	/** When (wall-clock ms, precisely) the current step's state last changed: lastUpdateTime has whole seconds only. */
	since?: {key: string; ms: number};
};

function setCondition(status: any, type: string, value: Condition['status'], reason: string, message: string, stamp: string): void {
	const list: Condition[] = Array.isArray(status.conditions) ? status.conditions : [];
	const current = list.find(c => c.type === type);
	if (current && current.status === value && current.reason === reason && current.message === message) return;
	const next: Condition = {type, status: value, lastUpdateTime: stamp, lastTransitionTime: current?.status === value ? current.lastTransitionTime ?? stamp : stamp, reason, message};
	status.conditions = [...list.filter(c => c.type !== type), next];
}

export class KruiseRolloutController extends QueueController {
	private readonly memory = new Map<string, Memory>();
	private unadmit: (() => void) | undefined;

	constructor(ctx: Context) {
		super(ctx, 'kruise-rollout');
	}

	protected subscriptions(): Array<[string, (change: Change) => void]> {
		return [
			[ROLLOUTS, change => this.queueChange(change, uid => this.memory.delete(uid))],
			[DEPLOYMENTS, change => this.onDeployment(change.object)],
			[REPLICASETS, change => {
				const owner = change.object.metadata.ownerReferences?.find(r => r.controller && r.kind === 'Deployment');
				const d = owner && this.ctx.store.get(DEPLOYMENTS, change.object.metadata.namespace, owner.name);
				if (d) this.onDeployment(d);
			}],
		];
	}

	override start(): void {
		// Kruise's workload webhook: a Deployment a Rollout releases is paused when its template changes.
		this.unadmit = this.ctx.store.admit(DEPLOYMENTS, (incoming, current) => this.admitDeployment(incoming, current));
		super.start();
	}

	override stop(): void {
		this.unadmit?.();
		super.stop();
	}

	resync(): void {
		for (const ro of this.ctx.store.list(ROLLOUTS)) this.queue.add(keyOf(ro));
	}

	/** A Deployment changed: the Rollouts releasing it (or whose canary Deployment it is) look again. */
	private onDeployment(d: KObject): void {
		const workload = d.metadata.labels?.[kruiseCanaryDeploymentLabel] ?? d.metadata.name;
		for (const ro of this.ctx.store.list(ROLLOUTS, d.metadata.namespace)) if (viewOf(ro).workload === workload) this.queue.add(keyOf(ro));
	}

	private rolloutOf(d: KObject): KObject | undefined {
		return this.ctx.store.list(ROLLOUTS, d.metadata.namespace).find(ro => {
			const view = viewOf(ro);
			return view.workload === d.metadata.name && !view.disabled && (ro.spec?.strategy?.canary || ro.spec?.strategy?.blueGreen);
		});
	}

	/** handleDeployment of Kruise's mutating webhook. */
	private admitDeployment(incoming: KObject, current: KObject | undefined): void {
		if (!current || incoming.metadata?.labels?.[kruiseCanaryDeploymentLabel]) return;
		const ro = this.rolloutOf(current);
		if (!ro) return;
		const annotations = incoming.metadata.annotations ?? {};
		if (annotations[kruiseInProgressingAnnotation] !== undefined) {
			// In progress: it stays paused (the partition style also keeps the Recreate strategy it was given).
			incoming.spec = {...incoming.spec, paused: true};
			if (annotations[deploymentStrategyAnnotation] !== undefined && incoming.spec.strategy?.type !== 'Recreate') incoming.spec.strategy = {type: 'Recreate'};
			return;
		}
		if (incoming.spec?.replicas === 0 || equalIgnoreHash(incoming.spec?.template, current.spec?.template)) return;
		const owned = this.ctx.store.list(REPLICASETS, current.metadata.namespace).filter(rs => isControlledBy(rs, current));
		const active = owned.filter(rs => replicaSetReplicas(rs) > 0);
		if (owned.length === 0) return;
		if (viewOf(ro).routing && active.length !== 1) return;
		const stable = owned.find(rs => equalIgnoreHash(rs.spec?.template, current.spec?.template)) ?? active[0];
		if (stable) incoming.metadata.labels = {...incoming.metadata.labels, [kruiseStableRevisionLabel]: hashOf(stable)!};
		incoming.spec = {...incoming.spec, paused: true};
		incoming.metadata.annotations = {...annotations, [kruiseInProgressingAnnotation]: JSON.stringify({rolloutName: ro.metadata.name})};
	}

	private event(ro: KObject, type: EventType, reason: string, message: string): void {
		recordEvent(this.ctx.store, ro, type, reason, message, 'rollout-controller', {now: this.ctx.clock.now()});
	}

	// --- Rollout sync -------------------------------------------------------------------------

	protected sync(key: string): void {
		const [namespace, name] = splitKey(key);
		const {store, clock} = this.ctx;
		const ro = store.get(ROLLOUTS, namespace, name);
		if (!ro) {
			this.queue.forget(key);
			return;
		}
		if (ro.metadata.deletionTimestamp) return;
		const view = viewOf(ro);
		const now = clock.now();
		const status = clone(ro.status ?? {});
		status.observedGeneration = ro.metadata.generation ?? 1;
		const d = view.workload ? store.get(DEPLOYMENTS, namespace, view.workload) : undefined;
		if (view.disabled) {
			status.phase = 'Disabled';
			status.message = 'Rollout is disabled';
			this.write(ro, view, status);
			return;
		}
		if (!d) {
			this.write(ro, view, {observedGeneration: status.observedGeneration, phase: 'Initial', message: 'Workload Not Found'});
			return;
		}
		// The workload's status must be current (IsStatusConsistent).
		if (num(d.status?.observedGeneration) < num(d.metadata.generation)) return;
		const s: Sync = {ro, view, d, status, now, stamp: nowIso(now), events: []};
		status.phase ||= 'Initial';
		const inProgress = d.metadata.annotations?.[kruiseInProgressingAnnotation] !== undefined;
		switch (status.phase) {
			case 'Initial':
				status.phase = 'Healthy';
				status.message = 'rollout is healthy';
				break;
			case 'Disabled':
				status.phase = 'Healthy';
				status.message = 'rollout is healthy';
				break;
			case 'Healthy':
				if (inProgress) {
					status.phase = 'Progressing';
					this.progressing(s, 'True', 'Initializing', 'Rollout is in Progressing');
					status.conditions = (status.conditions ?? []).filter((c: Condition) => c.type !== 'Succeeded');
				} else if (!status.canaryStatus) {
					const current = this.currentReplicaSet(d);
					status.canaryStatus = {
						observedWorkloadGeneration: d.metadata.generation,
						stableRevision: hashOf(current) ?? '',
						podTemplateHash: hashOf(current) ?? '',
						canaryRevision: computeHash(d.spec?.template ?? {}),
						canaryReplicas: 0,
						canaryReadyReplicas: 0,
						currentStepIndex: view.steps.length,
						nextStepIndex: -1,
						currentStepState: 'Completed',
						finalisingStep: '',
					};
					status.message = 'workload deployment is completed';
				}
				break;
			case 'Progressing':
				this.reconcileProgressing(s);
				break;
		}
		this.write(ro, view, status);
		for (const [type, reason, message] of s.events) this.event(ro, type, reason, message);
	}

	private progressing(s: Sync, value: Condition['status'], reason: string, message: string): void {
		setCondition(s.status, 'Progressing', value, reason, message, s.stamp);
		if (message) s.status.message = message;
	}

	/** The status as the shape has it: v1beta1 repeats the step at the top; v1alpha1 has no such fields. */
	private write(ro: KObject, view: View, status: any): void {
		const sub = status.canaryStatus;
		if (view.shape === 'v1beta1' && sub) {
			status.currentStepIndex = sub.currentStepIndex;
			status.currentStepState = sub.currentStepState;
		} else {
			delete status.currentStepIndex;
			delete status.currentStepState;
		}
		const order = ['Progressing', 'Succeeded'];
		if (Array.isArray(status.conditions)) status.conditions = [...status.conditions].sort((a: Condition, b: Condition) => order.indexOf(a.type) - order.indexOf(b.type));
		const strip = (st: any) => ({...st, conditions: (st.conditions ?? []).map((c: Condition) => ({...c, lastUpdateTime: undefined, lastTransitionTime: undefined})), canaryStatus: st.canaryStatus ? {...st.canaryStatus, lastUpdateTime: undefined} : undefined});
		if (deepEqual(strip(status), strip(ro.status ?? {}))) return;
		this.ctx.store.update(ROLLOUTS, {...ro, status}, {subresource: 'status'});
	}

	private mem(s: Sync): Memory {
		const uid = s.ro.metadata.uid!;
		let m = this.memory.get(uid);
		if (!m) this.memory.set(uid, (m = {}));
		return m;
	}

	/** Mark the current step's state as changed now (lastUpdateTime, and precisely in memory). */
	private touch(s: Sync): void {
		const sub = s.status.canaryStatus;
		sub.lastUpdateTime = s.stamp;
		this.mem(s).since = {key: `${sub.currentStepIndex}/${sub.currentStepState}`, ms: s.now};
	}

	/** When the current step's state last changed, in wall-clock ms. */
	private since(s: Sync): number {
		const sub = s.status.canaryStatus;
		const key = `${sub.currentStepIndex}/${sub.currentStepState}`;
		const m = this.mem(s);
		if (m.since?.key === key) return m.since.ms;
		const parsed = Date.parse(sub.lastUpdateTime ?? '');
		m.since = {key, ms: Number.isFinite(parsed) ? parsed : s.now};
		return m.since.ms;
	}

	private currentReplicaSet(d: KObject): KObject | undefined {
		const owned = this.ownedReplicaSets(d);
		return owned.find(rs => equalIgnoreHash(rs.spec?.template, d.spec?.template)) ?? owned.sort((a, b) => num(Number(b.metadata.annotations?.[revisionAnnotation])) - num(Number(a.metadata.annotations?.[revisionAnnotation])))[0];
	}

	private ownedReplicaSets(d: KObject): KObject[] {
		return this.ctx.store.list(REPLICASETS, d.metadata.namespace).filter(rs => isControlledBy(rs, d));
	}

	private canaryDeployments(s: Sync): KObject[] {
		return this.ctx.store.list(DEPLOYMENTS, s.d.metadata.namespace).filter(c => c.metadata.labels?.[kruiseCanaryDeploymentLabel] === s.d.metadata.name);
	}

	// --- Progressing ---------------------------------------------------------------------------

	private reconcileProgressing(s: Sync): void {
		const {status, view, d} = s;
		const reason = (s.ro.status?.conditions ?? []).find((c: Condition) => c.type === 'Progressing')?.reason;
		switch (reason) {
			case 'Initializing': {
				status.canaryStatus = {
					observedWorkloadGeneration: d.metadata.generation,
					stableRevision: d.metadata.labels?.[kruiseStableRevisionLabel] ?? '',
					canaryRevision: computeHash(d.spec?.template ?? {}),
					podTemplateHash: '',
					canaryReplicas: 0,
					canaryReadyReplicas: 0,
					currentStepIndex: 1,
					nextStepIndex: nextIndex(view, 1),
					currentStepState: 'BeforeStepUpgrade',
					finalisingStep: '',
				};
				this.touch(s);
				this.progressing(s, 'True', 'InRolling', 'Rollout is in Progressing');
				return;
			}
			case 'InRolling':
				return this.inRolling(s);
			case 'Paused':
				if (!view.paused) this.progressing(s, 'True', 'InRolling', 'Rollout is in Progressing');
				return;
			case 'Finalising':
				if (this.finalise(s, 'success')) {
					this.progressing(s, 'False', 'Completed', 'Rollout progressing has been completed');
					setCondition(status, 'Succeeded', 'True', 'Completed', 'Rollout progressing has been completed', s.stamp);
					this.queue.add(keyOf(s.ro));
				}
				return;
			case 'Cancelling':
				if (this.finalise(s, 'rollback')) {
					this.progressing(s, 'False', 'Completed', 'Rollout progressing has been canceled');
					setCondition(status, 'Succeeded', 'False', 'Canceled', 'Rollout progressing has been canceled', s.stamp);
					this.queue.add(keyOf(s.ro));
				}
				return;
			case 'Completed':
				status.phase = 'Healthy';
				return;
			default:
				this.progressing(s, 'True', 'Initializing', 'Rollout is in Progressing');
		}
	}

	private inRolling(s: Sync): void {
		const {status, view, d} = s;
		const sub = status.canaryStatus;
		if (!sub) {
			this.progressing(s, 'True', 'Initializing', 'Rollout is in Progressing');
			return;
		}
		const stableRS = this.ownedReplicaSets(d).find(rs => hashOf(rs) === sub.stableRevision);
		if (stableRS && equalIgnoreHash(stableRS.spec?.template, d.spec?.template)) {
			// The template is back at the stable revision: the release is canceled.
			sub.canaryRevision = computeHash(d.spec?.template ?? {});
			s.events.push(['Normal', 'Progressing', 'workload has been rollback, then rollout is canceled']);
			this.progressing(s, 'True', 'Cancelling', 'The workload has been rolled back and the rollout process will be canceled');
			this.queue.add(keyOf(s.ro));
			return;
		}
		if (view.paused) {
			this.progressing(s, 'True', 'Paused', 'Rollout has been paused, you can resume it by kube-cli');
			return;
		}
		if (sub.canaryRevision !== computeHash(d.spec?.template ?? {})) {
			// A newer template while releasing: start again from the first step.
			s.events.push(['Normal', 'Progressing', 'workload continuous publishing canaryRevision, then restart publishing']);
			for (const c of this.canaryDeployments(s)) this.ctx.store.delete(DEPLOYMENTS, c.metadata.namespace, c.metadata.name!);
			delete status.canaryStatus;
			this.progressing(s, 'True', 'Initializing', 'Workload is continuous release');
			this.queue.add(keyOf(s.ro));
			return;
		}
		if (sub.currentStepState === 'Completed') {
			this.progressing(s, 'True', 'Finalising', 'Rollout has been completed and some closing work is being done');
			this.queue.add(keyOf(s.ro));
			return;
		}
		this.runCanary(s);
	}

	private runCanary(s: Sync): void {
		const {status, view} = s;
		const sub = status.canaryStatus;
		const total = num(s.d.spec?.replicas ?? 1);
		// nextStepIndex patched to another step (kubectl-kruise rollout undo --fast, or a jump): go there.
		const natural = nextIndex(view, sub.currentStepIndex);
		if (sub.nextStepIndex !== natural && sub.nextStepIndex > 0 && sub.nextStepIndex <= view.steps.length) {
			const to = sub.nextStepIndex;
			const from = sub.currentStepIndex;
			sub.currentStepIndex = to;
			sub.nextStepIndex = nextIndex(view, to);
			sub.currentStepState = scaled(view.steps[to - 1]!.replicas, total) === sub.canaryReplicas ? 'StepTrafficRouting' : 'BeforeStepUpgrade';
			this.touch(s);
			s.events.push(['Normal', 'Progressing', `step jumped from ${from} to ${to}`]);
			this.queue.add(keyOf(s.ro));
			return;
		}
		if (sub.nextStepIndex !== natural) sub.nextStepIndex = natural;
		const index = Math.max(1, Math.min(view.steps.length, sub.currentStepIndex));
		const step = view.steps[index - 1];
		if (!step) {
			sub.currentStepState = 'Completed';
			return;
		}
		const routed = step.traffic !== undefined || step.matches.length > 0;
		// A step without traffic takes the canary resources away (the stable Service sends to every pod).
		if (!routed && view.routing && !this.finaliseTraffic(s)) {
			this.queue.addAfter(keyOf(s.ro), 0.2);
			return;
		}
		const n = view.steps.length;
		if (sub.currentStepState === 'BeforeStepUpgrade') {
			if (routed && index === 1 && view.routing && view.routing.canaryService !== view.routing.service) {
				// Before the first batch the stable Service selects the stable pods only.
				if (this.pinService(s, view.routing.service, sub.stableRevision)) {
					this.queue.addAfter(keyOf(s.ro), 0.1);
					return;
				}
			}
			sub.currentStepState = 'StepUpgrade';
			this.touch(s);
		}
		switch (sub.currentStepState) {
			case 'StepUpgrade': {
				this.progressing(s, 'True', 'InRolling', `Rollout is in step(${index}/${n}), and upgrade workload to new version`);
				if (!this.upgrade(s, scaled(step.replicas, total))) return;
				s.events.push(['Normal', 'Progressing', `upgrade step(${index}) canary pods with new versions done`]);
				const all = scaled(step.replicas, total) >= total && view.style === 'partition';
				sub.currentStepState = all ? 'StepMetricsAnalysis' : 'StepTrafficRouting';
				this.touch(s);
				this.queue.add(keyOf(s.ro));
				return;
			}
			case 'StepTrafficRouting': {
				if (this.route(s, step)) {
					sub.currentStepState = 'StepMetricsAnalysis';
					this.touch(s);
				}
				this.queue.addAfter(keyOf(s.ro), view.routing?.grace ?? defaultGraceSeconds);
				return;
			}
			case 'StepMetricsAnalysis':
				sub.currentStepState = 'StepPaused';
				this.touch(s);
				this.queue.add(keyOf(s.ro));
				return;
			case 'StepPaused': {
				const last = index === n && String(step.replicas) === '100%';
				if (!last) {
					if (step.duration === undefined) {
						this.progressing(s, 'True', 'InRolling', `Rollout is in step(${index}/${n}), and you need manually confirm to enter the next step`);
						return;
					}
					this.progressing(s, 'True', 'InRolling', `Rollout is in step(${index}/${n}), and wait duration(${step.duration} seconds) to enter the next step`);
					const endsAt = this.since(s) + this.ctx.clock.toMs(step.duration);
					if (s.now < endsAt) {
						this.queue.addAfter(keyOf(s.ro), (endsAt - s.now) / this.ctx.clock.toMs(1) + 0.05);
						return;
					}
				}
				sub.currentStepState = 'StepReady';
				this.touch(s);
				this.queue.add(keyOf(s.ro));
				return;
			}
			case 'StepReady':
				if (index < n) {
					sub.currentStepIndex = index + 1;
					sub.nextStepIndex = nextIndex(view, index + 1);
					sub.currentStepState = 'BeforeStepUpgrade';
				} else {
					sub.currentStepState = 'Completed';
				}
				this.touch(s);
				this.queue.add(keyOf(s.ro));
				return;
			default:
				sub.currentStepState = 'BeforeStepUpgrade';
				this.touch(s);
				this.queue.add(keyOf(s.ro));
		}
	}

	// --- Batches -------------------------------------------------------------------------------

	/** The BatchRelease that holds the workload under the Rollout's control (and owns the canary Deployment). */
	private batchRelease(s: Sync): KObject {
		const {store} = this.ctx;
		const namespace = s.ro.metadata.namespace;
		const existing = store.get(BATCHRELEASES, namespace, s.ro.metadata.name!);
		const batches = s.view.steps.map(step => ({canaryReplicas: step.replicas ?? 0}));
		const spec = {
			workloadRef: {apiVersion: 'apps/v1', kind: 'Deployment', name: s.d.metadata.name},
			releasePlan: {batches, rollingStyle: s.view.style === 'canary' ? 'Canary' : 'Partition', failureThreshold: '0%'},
		};
		if (existing) {
			if (!deepEqual(existing.spec, spec)) return store.mutate(BATCHRELEASES, namespace, existing.metadata.name!, o => {
				o.spec = spec;
			});
			return existing;
		}
		return store.create(BATCHRELEASES, {apiVersion: 'rollouts.kruise.io/v1beta1', kind: 'BatchRelease', metadata: {name: s.ro.metadata.name, namespace, ownerReferences: [controllerRefTo(s.ro)]}, spec});
	}

	private writeBatchStatus(s: Sync, br: KObject, updated: number, ready: number, done: boolean): void {
		const sub = s.status.canaryStatus;
		const status = {
			phase: 'Progressing',
			observedGeneration: br.metadata.generation,
			stableRevision: sub.stableRevision,
			updateRevision: sub.canaryRevision,
			observedWorkloadReplicas: num(s.d.spec?.replicas ?? 1),
			canaryStatus: {currentBatch: sub.currentStepIndex - 1, currentBatchState: done ? 'Ready' : 'Verifying', batchState: done ? 'Ready' : 'Verifying', updatedReplicas: updated, updatedReadyReplicas: ready},
		};
		if (!deepEqual(status, br.status)) this.ctx.store.update(BATCHRELEASES, {...br, status}, {subresource: 'status'});
	}

	/** Scale the new version to `desired` pods; true once they are available. */
	private upgrade(s: Sync, desired: number): boolean {
		const br = this.batchRelease(s);
		const sub = s.status.canaryStatus;
		let updated = 0;
		let ready = 0;
		let done = false;
		if (s.view.style === 'canary') {
			const canary = this.canaryDeployment(s, br);
			if (num(canary.spec?.replicas) < desired) {
				this.ctx.store.mutate(DEPLOYMENTS, canary.metadata.namespace, canary.metadata.name!, o => {
					o.spec = {...o.spec, replicas: desired};
				});
				return false;
			}
			const rs = this.currentReplicaSet(canary);
			if (rs && hashOf(rs)) sub.podTemplateHash = hashOf(rs);
			updated = num(canary.status?.replicas);
			ready = num(canary.status?.readyReplicas);
			done = num(canary.status?.availableReplicas) >= desired && num(canary.status?.observedGeneration) >= num(canary.metadata.generation);
		} else {
			const result = this.partition(s, desired);
			updated = result.updated;
			ready = result.ready;
			done = result.done;
			if (result.hash) sub.podTemplateHash = result.hash;
		}
		sub.canaryReplicas = updated;
		sub.canaryReadyReplicas = ready;
		this.writeBatchStatus(s, br, updated, ready, done);
		return done;
	}

	/** The canary style's Deployment: the workload's spec at `desired` replicas, made once per release. */
	private canaryDeployment(s: Sync, br: KObject): KObject {
		const existing = this.canaryDeployments(s).find(c => isControlledBy(c, br));
		if (existing) return existing;
		const spec = clone(s.d.spec ?? {});
		spec.replicas = 0;
		spec.paused = false;
		return this.ctx.store.create(DEPLOYMENTS, {
			apiVersion: 'apps/v1',
			kind: 'Deployment',
			metadata: {
				generateName: `${s.d.metadata.name}-`,
				namespace: s.d.metadata.namespace,
				labels: {[kruiseCanaryDeploymentLabel]: s.d.metadata.name!},
				annotations: {[controlInfoAnnotation]: JSON.stringify(controllerRefTo(br))},
				ownerReferences: [controllerRefTo(br)],
			},
			spec,
		});
	}

	/**
	 * The partition style: the workload itself, paused with the Recreate strategy, gets a ReplicaSet of its new template
	 * (named as its controller would name it) scaled to `desired`, and its stable ReplicaSet scaled down by as many once
	 * they are available.
	 */
	private partition(s: Sync, desired: number): {updated: number; ready: number; done: boolean; hash?: string} {
		const {store} = this.ctx;
		const d = this.initialisePartition(s);
		const total = num(d.spec?.replicas ?? 1);
		const owned = this.ownedReplicaSets(d);
		let fresh = owned.find(rs => equalIgnoreHash(rs.spec?.template, d.spec?.template));
		if (!fresh) {
			const hash = computeHash(d.spec?.template ?? {}, d.status?.collisionCount);
			const template = clone(d.spec?.template ?? {});
			template.metadata = {...template.metadata, labels: {...template.metadata?.labels, [podTemplateHashLabel]: hash}};
			const selector = clone(d.spec?.selector ?? {});
			selector.matchLabels = {...selector.matchLabels, [podTemplateHashLabel]: hash};
			const revision = Math.max(0, ...owned.map(rs => num(Number(rs.metadata.annotations?.[revisionAnnotation])))) + 1;
			fresh = store.create(REPLICASETS, {
				apiVersion: 'apps/v1',
				kind: 'ReplicaSet',
				metadata: {name: `${d.metadata.name}-${hash}`, namespace: d.metadata.namespace, labels: {...template.metadata.labels}, annotations: {[revisionAnnotation]: String(revision)}, ownerReferences: [controllerRefTo(d)]},
				spec: {replicas: 0, ...(num(d.spec?.minReadySeconds) > 0 ? {minReadySeconds: d.spec.minReadySeconds} : {}), selector, template},
			});
		}
		const want = Math.min(total, desired);
		if (replicaSetReplicas(fresh) < want) {
			store.mutate(REPLICASETS, fresh.metadata.namespace, fresh.metadata.name!, o => {
				o.spec = {...o.spec, replicas: want};
			});
		}
		const available = num(fresh.status?.availableReplicas);
		// Old pods go once the new ones are available, keeping the total at the workload's replicas.
		let rest = total - Math.min(available, want);
		for (const rs of owned.filter(rs => rs !== fresh).sort((a, b) => Number(hashOf(b) === s.status.canaryStatus.stableRevision) - Number(hashOf(a) === s.status.canaryStatus.stableRevision))) {
			const keep = Math.min(replicaSetReplicas(rs), rest);
			rest -= keep;
			if (keep < replicaSetReplicas(rs)) store.mutate(REPLICASETS, rs.metadata.namespace, rs.metadata.name!, o => {
				o.spec = {...o.spec, replicas: keep};
			});
		}
		const strategy = JSON.parse(d.metadata.annotations?.[deploymentStrategyAnnotation] ?? '{}');
		if (strategy.partition !== want) store.mutate(DEPLOYMENTS, d.metadata.namespace, d.metadata.name!, o => {
			o.metadata.annotations = {...o.metadata.annotations, [deploymentStrategyAnnotation]: JSON.stringify({...strategy, partition: want})};
		});
		return {updated: num(fresh.status?.replicas), ready: num(fresh.status?.readyReplicas), done: available >= want, ...(hashOf(fresh) ? {hash: hashOf(fresh)} : {})};
	}

	/** The partition style's Initialize: the workload under the advanced Deployment controller, strategy Recreate, paused. */
	private initialisePartition(s: Sync): KObject {
		const d = s.d;
		if (d.metadata.labels?.[advancedControlLabel] === 'true' && d.spec?.strategy?.type === 'Recreate') return d;
		const rollingUpdate = d.spec?.strategy?.rollingUpdate ?? {maxSurge: '25%', maxUnavailable: '25%'};
		const br = this.ctx.store.get(BATCHRELEASES, s.ro.metadata.namespace, s.ro.metadata.name!);
		s.d = this.ctx.store.mutate(DEPLOYMENTS, d.metadata.namespace, d.metadata.name!, o => {
			o.metadata.labels = {...o.metadata.labels, [advancedControlLabel]: 'true'};
			o.metadata.annotations = {
				...o.metadata.annotations,
				[deploymentStrategyAnnotation]: JSON.stringify({rollingStyle: 'Partition', rollingUpdate, paused: false, partition: 0}),
				...(br ? {[controlInfoAnnotation]: JSON.stringify(controllerRefTo(br))} : {}),
			};
			o.spec = {...o.spec, paused: true, strategy: {type: 'Recreate'}};
		});
		return s.d;
	}

	// --- Traffic -------------------------------------------------------------------------------

	/** Point a Service's selector at a pod-template hash (none: drop it); true when it changed (wait the grace period). */
	private pinService(s: Sync, name: string, hash: string | undefined): boolean {
		const svc = this.ctx.store.get(SERVICES, s.ro.metadata.namespace, name);
		if (!svc || (svc.spec?.selector?.[podTemplateHashLabel] ?? undefined) === (hash || undefined)) return false;
		this.ctx.store.mutate(SERVICES, svc.metadata.namespace, name, o => {
			const selector = {...o.spec?.selector};
			if (hash) selector[podTemplateHashLabel] = hash;
			else delete selector[podTemplateHashLabel];
			o.spec = {...o.spec, selector};
		});
		this.touch(s);
		return true;
	}

	/** DoTrafficRouting: the canary Service, the stable one pinned, then the router object; true once it carries the step. */
	private route(s: Sync, step: Step): boolean {
		const {view, status} = s;
		const routing = view.routing;
		if (!routing || (step.traffic === undefined && step.matches.length === 0)) return true;
		const sub = status.canaryStatus;
		const stable = this.ctx.store.get(SERVICES, s.ro.metadata.namespace, routing.service);
		if (!stable) return false;
		// What changed last (a Service, the router) is given the grace period before it is trusted.
		if (s.now < this.since(s) + this.ctx.clock.toMs(routing.grace)) return false;
		if (routing.canaryService !== routing.service) {
			if (!sub.stableRevision || !sub.podTemplateHash) return false;
			const canary = this.ctx.store.get(SERVICES, s.ro.metadata.namespace, routing.canaryService);
			if (!canary) {
				const spec = clone(stable.spec ?? {});
				for (const k of ['clusterIP', 'clusterIPs', 'externalIPs', 'ipFamilyPolicy', 'ipFamilies', 'loadBalancerIP']) delete spec[k];
				spec.selector = {...spec.selector, [podTemplateHashLabel]: sub.podTemplateHash};
				for (const p of spec.ports ?? []) delete p.nodePort;
				this.ctx.store.create(SERVICES, {apiVersion: 'v1', kind: 'Service', metadata: {name: routing.canaryService, namespace: s.ro.metadata.namespace, labels: stable.metadata.labels, annotations: stable.metadata.annotations, ownerReferences: [controllerRefTo(s.ro)]}, spec});
				this.touch(s);
				return false;
			}
			if (this.pinService(s, routing.canaryService, sub.podTemplateHash)) return false;
			if (this.pinService(s, routing.service, sub.stableRevision)) return false;
		}
		if (routing.ingress) return this.canaryIngress(s, routing, step);
		if (routing.httpRoute) return this.httpRoute(s, routing, step.traffic);
		return true;
	}

	/** The nginx class's Lua: canary "true", the weight, and the first header of each match as canary-by-header (or by-cookie). */
	private canaryAnnotations(current: Record<string, string>, weight: number | undefined, matches: any[]): Record<string, string> {
		const a: Record<string, string> = {...current, [`${nginx}/canary`]: 'true'};
		for (const k of ['canary-by-cookie', 'canary-by-header', 'canary-by-header-pattern', 'canary-by-header-value', 'canary-weight']) delete a[`${nginx}/${k}`];
		if (weight !== undefined) a[`${nginx}/canary-weight`] = String(weight);
		for (const m of matches) {
			const header = Array.isArray(m?.headers) ? m.headers[0] : undefined;
			if (!header) continue;
			if (header.name === 'canary-by-cookie') a[`${nginx}/canary-by-cookie`] = String(header.value);
			else {
				a[`${nginx}/canary-by-header`] = String(header.name);
				a[`${nginx}/canary-by-header-${header.type === 'RegularExpression' ? 'pattern' : 'value'}`] = String(header.value);
			}
		}
		return a;
	}

	private canaryIngress(s: Sync, routing: NonNullable<View['routing']>, step: Step): boolean {
		const {store} = this.ctx;
		const namespace = s.ro.metadata.namespace;
		const name = `${routing.ingress}-canary`;
		const current = store.get(INGRESSES, namespace, name);
		if (!current) {
			if (step.traffic === 0 && step.matches.length === 0) return true;
			const stable = store.get(INGRESSES, namespace, routing.ingress!);
			if (!stable) return false;
			const rules = (stable.spec?.rules ?? [])
				.filter((rule: any) => (rule?.http?.paths ?? []).some((p: any) => p?.backend?.service?.name === routing.service))
				.map((rule: any) => ({host: rule.host, http: {paths: rule.http.paths.filter((p: any) => p?.backend?.service?.name === routing.service).map((p: any) => ({...clone(p), backend: {service: {...clone(p.backend.service), name: routing.canaryService}}}))}}));
			store.create(INGRESSES, {
				apiVersion: 'networking.k8s.io/v1',
				kind: 'Ingress',
				metadata: {name, namespace, labels: stable.metadata.labels, annotations: this.canaryAnnotations(stable.metadata.annotations ?? {}, 0, []), ownerReferences: [controllerRefTo(s.ro)]},
				spec: {rules, ...(stable.spec?.ingressClassName ? {ingressClassName: stable.spec.ingressClassName} : {}), ...(stable.spec?.tls ? {tls: clone(stable.spec.tls)} : {})},
			});
			this.touch(s);
			return false;
		}
		const wanted = this.canaryAnnotations(current.metadata.annotations ?? {}, step.traffic, step.matches);
		if (deepEqual(wanted, current.metadata.annotations ?? {})) return true;
		store.mutate(INGRESSES, namespace, name, o => {
			o.metadata.annotations = wanted;
		});
		this.touch(s);
		return false;
	}

	/** The Gateway API: every rule to the stable Service also sends `weight` to the canary Service (-1: canary removed). */
	private httpRoute(s: Sync, routing: NonNullable<View['routing']>, weight: number | undefined): boolean {
		const route = this.ctx.store.get(HTTPROUTES, s.ro.metadata.namespace, routing.httpRoute!);
		if (!route) return false;
		const rules = clone(Array.isArray(route.spec?.rules) ? route.spec.rules : []).map((rule: any) => {
			const refs: any[] = Array.isArray(rule.backendRefs) ? rule.backendRefs : [];
			const stable = refs.find(r => r?.name === routing.service && (r.kind ?? 'Service') === 'Service');
			if (!stable) return rule;
			const others = refs.filter(r => r !== stable && r?.name !== routing.canaryService);
			if (weight === undefined || weight < 0) return {...rule, backendRefs: [...others, {...stable, weight: 1}]};
			return {...rule, backendRefs: [...others, {...stable, weight: 100 - weight}, {...stable, name: routing.canaryService, weight}]};
		});
		if (deepEqual(rules, route.spec?.rules)) return true;
		this.ctx.store.mutate(HTTPROUTES, route.metadata.namespace, route.metadata.name!, o => {
			o.spec = {...o.spec, rules};
		});
		this.touch(s);
		return false;
	}

	/** FinalisingTrafficRouting: the stable Service restored, the router back to stable only, the canary Service gone; true when done. */
	private finaliseTraffic(s: Sync): boolean {
		const routing = s.view.routing;
		if (!routing) return true;
		if (this.pinService(s, routing.service, undefined)) return false;
		return this.routeToStable(s) && this.removeCanaryService(s);
	}

	private routeToStable(s: Sync): boolean {
		const routing = s.view.routing;
		if (!routing) return true;
		if (routing.ingress) {
			const name = `${routing.ingress}-canary`;
			if (this.ctx.store.get(INGRESSES, s.ro.metadata.namespace, name)) {
				this.ctx.store.delete(INGRESSES, s.ro.metadata.namespace, name);
				return false;
			}
		}
		if (routing.httpRoute) return this.httpRoute(s, routing, -1);
		return true;
	}

	private removeCanaryService(s: Sync): boolean {
		const routing = s.view.routing;
		if (!routing || routing.canaryService === routing.service) return true;
		const canary = this.ctx.store.get(SERVICES, s.ro.metadata.namespace, routing.canaryService);
		if (canary && isControlledBy(canary, s.ro)) {
			this.ctx.store.delete(SERVICES, s.ro.metadata.namespace, routing.canaryService);
			return false;
		}
		return true;
	}

	// --- Finalising ----------------------------------------------------------------------------

	/** doFinalising: the steps of nextCanaryTask for a success or a rollback, one at a time; true at the end. */
	private finalise(s: Sync, reason: 'success' | 'rollback'): boolean {
		const sub = s.status.canaryStatus;
		if (!sub) return true;
		const sequence = reason === 'rollback'
			? ['FinalisingStepRouteTrafficToStable', 'ResumeWorkload', 'ReleaseWorkloadControl', 'RestoreStableService', 'RemoveCanaryService']
			: ['RestoreStableService', 'FinalisingStepRouteTrafficToStable', 'RemoveCanaryService', 'ResumeWorkload', 'ReleaseWorkloadControl'];
		if (sub.finalisingStep === 'END') return true;
		if (!sub.finalisingStep || !sequence.includes(sub.finalisingStep)) sub.finalisingStep = sequence[0];
		let done: boolean;
		switch (sub.finalisingStep) {
			case 'RestoreStableService':
				done = !this.pinService(s, s.view.routing?.service ?? '', undefined);
				break;
			case 'FinalisingStepRouteTrafficToStable':
				done = this.routeToStable(s);
				break;
			case 'RemoveCanaryService':
				done = this.removeCanaryService(s);
				break;
			case 'ResumeWorkload':
				done = this.resumeWorkload(s);
				break;
			default:
				done = this.releaseControl(s);
		}
		if (done) {
			const i = sequence.indexOf(sub.finalisingStep);
			sub.finalisingStep = i < sequence.length - 1 ? sequence[i + 1] : 'END';
			sub.lastUpdateTime = s.stamp;
		}
		this.queue.addAfter(keyOf(s.ro), 0.2);
		return sub.finalisingStep === 'END';
	}

	/** The workload resumed as it was before the release; in the canary style, done once it has rolled to its template. */
	private resumeWorkload(s: Sync): boolean {
		const d = s.d;
		const strategy = JSON.parse(d.metadata.annotations?.[deploymentStrategyAnnotation] ?? 'null');
		if (d.spec?.paused === true || d.metadata.annotations?.[kruiseInProgressingAnnotation] !== undefined) {
			s.d = this.ctx.store.mutate(DEPLOYMENTS, d.metadata.namespace, d.metadata.name!, o => {
				const annotations = {...o.metadata.annotations};
				for (const k of [kruiseInProgressingAnnotation, deploymentStrategyAnnotation, controlInfoAnnotation]) delete annotations[k];
				o.metadata.annotations = annotations;
				const labels = {...o.metadata.labels};
				for (const k of [kruiseStableRevisionLabel, advancedControlLabel]) delete labels[k];
				o.metadata.labels = labels;
				o.spec = {...o.spec, paused: false, ...(strategy ? {strategy: {type: 'RollingUpdate', rollingUpdate: strategy.rollingUpdate}} : {})};
			});
			return false;
		}
		// Wait for the workload to be rolled (to the new template, or back to the stable one).
		const replicas = num(d.spec?.replicas ?? 1);
		return num(d.status?.observedGeneration) >= num(d.metadata.generation) && num(d.status?.updatedReplicas) === replicas && num(d.status?.availableReplicas) >= replicas && num(d.status?.replicas) === replicas;
	}

	/** The BatchRelease deleted, and with it the canary Deployment it owns. */
	private releaseControl(s: Sync): boolean {
		const br = this.ctx.store.get(BATCHRELEASES, s.ro.metadata.namespace, s.ro.metadata.name!);
		if (br) {
			this.ctx.store.delete(BATCHRELEASES, s.ro.metadata.namespace, s.ro.metadata.name!);
			return false;
		}
		for (const c of this.canaryDeployments(s)) this.ctx.store.delete(DEPLOYMENTS, c.metadata.namespace, c.metadata.name!);
		return true;
	}
}
