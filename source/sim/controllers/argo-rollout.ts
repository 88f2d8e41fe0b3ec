// The Argo Rollouts controller, as seen through the API: a Rollout's ReplicaSets (labelled with
// rollouts-pod-template-hash, filled with pods by the ReplicaSet controller), canary steps (setWeight,
// pause with and without a duration, analysis, experiment, setHeaderRoute), weights written into an
// Istio VirtualService, an SMI TrafficSplit or an NGINX canary Ingress, header routes as managed routes
// of the VirtualService, the Services' selectors pinned to a pod-template hash (ping-pong Services
// swapping roles at each promotion), blue-green cutover of an active and a preview Service, and the
// status fields the kubectl plugin reads and patches (phase, message, currentStepIndex,
// pauseConditions, controllerPause, canary.weights, canary.stablePingPong, canary.currentExperiment,
// stableRS, currentPodHash, abort, promoteFull, conditions). AnalysisRuns measure the
// `sim.rollscope.dev/error-rate` annotation of the pod template they analyse and judge it with the
// metric's conditions; Experiments run their templates' ReplicaSets for their duration.
import {clone, deepEqual, nowIso, type KObject} from '../object.js';
import type {Change} from '../store.js';
import {recordEvent, type EventType} from './events.js';
import {computeHash, pruneEmpty} from './hash.js';
import {replicaSetReplicas} from './replicaset.js';
import {
	controllerRef,
	controllerRefTo,
	creationOrder,
	isControlledBy,
	keyOf,
	num,
	OwnerIndex,
	QueueController,
	splitKey,
	WorkQueue,
	type Condition,
	type Context,
} from './util.js';

export const rolloutHashLabel = 'rollouts-pod-template-hash';
export const rolloutRevisionAnnotation = 'rollout.argoproj.io/revision';
export const scaleDownDeadlineAnnotation = 'scale-down-deadline';
export const managedByRolloutsAnnotation = 'argo-rollouts.argoproj.io/managed-by-rollouts';
export const errorRateAnnotation = 'sim.rollscope.dev/error-rate';
export const latencyAnnotation = 'sim.rollscope.dev/latency-ms';
const changeCauseAnnotation = 'kubernetes.io/change-cause';

const ROLLOUTS = 'argoproj.io/rollouts';
const RUNS = 'argoproj.io/analysisruns';
const TEMPLATES = 'argoproj.io/analysistemplates';
const CLUSTER_TEMPLATES = 'argoproj.io/clusteranalysistemplates';
const REPLICASETS = 'apps/replicasets';
const VIRTUALSERVICES = 'networking.istio.io/virtualservices';
const DESTINATIONRULES = 'networking.istio.io/destinationrules';
const TRAFFICSPLITS = 'split.smi-spec.io/trafficsplits';
const INGRESSES = 'networking.k8s.io/ingresses';
const EXPERIMENTS = 'argoproj.io/experiments';
/** The label Argo's experiment controller puts on a template's ReplicaSet (and pods). */
export const experimentTemplateAnnotation = 'experiment.argoproj.io/template-name';

/** Default delays (simulated seconds) before an old or aborted ReplicaSet is scaled down. */
const defaultScaleDownDelay = 30;
/** AnalysisRuns keep this many measurements per metric (DefaultMeasurementHistoryLimit). */
const measurementHistory = 10;
/** Finished AnalysisRuns kept per Rollout, of each kind (successful, unsuccessful). */
const runHistory = 5;

// --- Small pure helpers ----------------------------------------------------------------------

/** Seconds of a Go duration (`30s`, `5m`, `1h30m`, `250ms`) or a bare number of seconds; undefined when neither. */
export function durationSeconds(value: unknown): number | undefined {
	if (typeof value === 'number') return Number.isFinite(value) && value >= 0 ? value : undefined;
	if (typeof value !== 'string' || value.trim() === '') return undefined;
	const text = value.trim();
	if (/^\d+(\.\d+)?$/.test(text)) return Number(text);
	const units: Record<string, number> = {h: 3600, m: 60, s: 1, ms: 0.001, us: 1e-6, 'µs': 1e-6, ns: 1e-9};
	let total = 0;
	let rest = text;
	while (rest.length > 0) {
		const m = /^(\d+(?:\.\d+)?)(ms|us|µs|ns|h|m|s)/.exec(rest);
		if (!m) return undefined;
		total += Number(m[1]) * units[m[2]!]!;
		rest = rest.slice(m[0].length);
	}
	return total;
}

type Step = Record<string, any>;

/** The weight a canary step list asks for at `index` (GetCurrentSetWeight): the last setWeight at or before it; 100 past the end. */
export function setWeightAt(steps: Step[], index: number): number {
	if (index >= steps.length) return 100;
	for (let i = Math.min(index, steps.length - 1); i >= 0; i--) {
		const w = steps[i]?.setWeight;
		if (typeof w === 'number') return w;
	}
	return 0;
}

function templateWithoutHash(template: any): unknown {
	const t = clone(template ?? {});
	if (t.metadata?.labels) delete t.metadata.labels[rolloutHashLabel];
	if (t.metadata) delete t.metadata.creationTimestamp;
	return pruneEmpty(t);
}

export function sameTemplate(a: unknown, b: unknown): boolean {
	return deepEqual(templateWithoutHash(a), templateWithoutHash(b));
}

const rsRevision = (rs: KObject): number => {
	const v = Number.parseInt(rs.metadata.annotations?.[rolloutRevisionAnnotation] ?? '', 10);
	return Number.isFinite(v) ? v : 0;
};

const hashOf = (rs: KObject | undefined): string | undefined => rs?.metadata.labels?.[rolloutHashLabel];

/** The first value of a measurement such as `[0.012]` or `0.012`. */
function firstNumber(value: unknown): number {
	const m = /-?\d+(\.\d+)?(e-?\d+)?/i.exec(String(value ?? ''));
	return m ? Number(m[0]) : Number.NaN;
}

/**
 * Evaluate an AnalysisTemplate condition over a one-value result: comparisons of `result`,
 * `result[0]`, `asFloat(result[0])` or `all(result, # < N)` / `any(...)` with a number, joined by
 * `&&` and `||`, and `isNaN(result[0])`. Returns undefined when the expression is not understood.
 */
export function evaluateCondition(expression: string, value: number): boolean | undefined {
	const orParts = expression.split('||');
	let anyTrue = false;
	for (const orPart of orParts) {
		let all = true;
		for (const raw of orPart.split('&&')) {
			const r = evaluateComparison(raw.trim().replace(/^\((.*)\)$/, '$1').trim(), value);
			if (r === undefined) return undefined;
			if (!r) all = false;
		}
		if (all) anyTrue = true;
	}
	return anyTrue;
}

function evaluateComparison(text: string, value: number): boolean | undefined {
	if (/^isNaN\(\s*(asFloat\()?result(\[0\])?\)?\s*\)$/.test(text)) return Number.isNaN(value);
	const quantified = /^(all|any)\(\s*result\s*,\s*#\s*(<=|>=|==|!=|<|>)\s*(-?[\d.]+(?:e-?\d+)?)\s*\)$/i.exec(text);
	if (quantified) return compare(value, quantified[2]!, Number(quantified[3]));
	const m = /^(?:asFloat\()?\s*result(?:\[0\])?\s*\)?\s*(<=|>=|==|!=|<|>)\s*(-?[\d.]+(?:e-?\d+)?)$/.exec(text);
	if (m) return compare(value, m[1]!, Number(m[2]));
	const reversed = /^(-?[\d.]+(?:e-?\d+)?)\s*(<=|>=|==|!=|<|>)\s*(?:asFloat\()?\s*result(?:\[0\])?\s*\)?$/.exec(text);
	if (reversed) return compare(Number(reversed[1]), reversed[2]!, value);
	return undefined;
}

function compare(a: number, op: string, b: number): boolean {
	switch (op) {
		case '<':
			return a < b;
		case '<=':
			return a <= b;
		case '>':
			return a > b;
		case '>=':
			return a >= b;
		case '==':
			return a === b;
		default:
			return a !== b;
	}
}

/** A measurement's phase from the metric's conditions (Argo's rules for success/failure/inconclusive). */
export function assess(metric: Record<string, any>, value: number): 'Successful' | 'Failed' | 'Inconclusive' | 'Error' {
	const success = typeof metric.successCondition === 'string' && metric.successCondition ? evaluateCondition(metric.successCondition, value) : undefined;
	const failure = typeof metric.failureCondition === 'string' && metric.failureCondition ? evaluateCondition(metric.failureCondition, value) : undefined;
	const hasSuccess = typeof metric.successCondition === 'string' && metric.successCondition !== '';
	const hasFailure = typeof metric.failureCondition === 'string' && metric.failureCondition !== '';
	if ((hasSuccess && success === undefined) || (hasFailure && failure === undefined)) return 'Error';
	if (hasFailure && failure) return 'Failed';
	if (hasSuccess && hasFailure) return success ? 'Successful' : 'Inconclusive';
	if (hasSuccess) return success ? 'Successful' : 'Failed';
	return 'Successful';
}

const terminal = new Set(['Successful', 'Failed', 'Error', 'Inconclusive']);

function setCondition(status: any, type: string, value: Condition['status'], reason: string, message: string, stamp: string): void {
	const list: Condition[] = Array.isArray(status.conditions) ? status.conditions : [];
	const current = list.find(c => c.type === type);
	if (current && current.status === value && current.reason === reason && current.message === message) return;
	const next: Condition = {type, status: value, lastUpdateTime: stamp, lastTransitionTime: current?.status === value ? current.lastTransitionTime ?? stamp : stamp, reason, message};
	status.conditions = [...list.filter(c => c.type !== type), next];
}

function removeConditionOf(status: any, type: string): void {
	if (Array.isArray(status.conditions)) status.conditions = status.conditions.filter((c: Condition) => c.type !== type);
}

type PauseCondition = {reason: string; startTime: string};

// --- The controller -------------------------------------------------------------------------

type Memory = {
	/** The step index this controller last wrote, to notice a user moving it. */
	index?: number;
	/** The step (canary) or pod hash (blue-green) the controller paused at. */
	pausedAt?: string;
	/** Last weight event, to record a change once. */
	weight?: number;
	/**
	 * When (wall-clock ms) the current pause began: pauseConditions[].startTime has whole seconds only,
	 * too coarse for a simulated clock that runs faster than real time.
	 */
	pauseStarted?: {at: string; ms: number};
};

type Sync = {
	ro: KObject;
	status: any;
	mem: Memory;
	now: number;
	stamp: string;
	replicas: number;
	revision: number;
	/** Things to say once the status is written. */
	events: Array<[EventType, string, string]>;
};

export class ArgoRolloutController extends QueueController {
	private readonly runQueue: WorkQueue;
	private readonly replicaSets = new OwnerIndex('Rollout');
	private readonly runs = new OwnerIndex('Rollout');
	private readonly memory = new Map<string, Memory>();
	/** AnalysisRun uid → when it started and when each metric was last measured (wall-clock ms, precisely). */
	private readonly runTimes = new Map<string, {started: number; measured: Map<string, number>}>();

	constructor(ctx: Context) {
		super(ctx, 'rollout');
		this.runQueue = new WorkQueue('analysisrun', key => this.syncRun(key), ctx.clock, ctx.onError);
	}

	protected subscriptions(): Array<[string, (change: Change) => void]> {
		return [
			[ROLLOUTS, change => this.onRollout(change)],
			[REPLICASETS, change => this.onOwned(this.replicaSets, change)],
			[RUNS, change => this.onRun(change)],
			[EXPERIMENTS, change => this.onExperiment(change)],
			['apps/deployments', change => this.onDeployment(change)],
		];
	}

	override stop(): void {
		super.stop();
		this.runQueue.stop();
	}

	resync(): void {
		this.replicaSets.reset(this.ctx.store.list(REPLICASETS));
		this.runs.reset(this.ctx.store.list(RUNS));
		for (const ro of this.ctx.store.list(ROLLOUTS)) this.queue.add(keyOf(ro));
		for (const run of this.ctx.store.list(RUNS)) this.runQueue.add(keyOf(run));
	}

	private onRollout(change: Change): void {
		this.queueChange(change, uid => this.memory.delete(uid));
	}

	private onOwned(index: OwnerIndex, change: Change): void {
		index.apply(change);
		const ref = controllerRef(change.object, 'Rollout');
		if (ref) this.queue.add(`${change.object.metadata.namespace ?? ''}/${ref.name}`);
	}

	/** An Experiment changed (terminated, say): its Rollout looks again. */
	private onExperiment(change: Change): void {
		const ref = controllerRef(change.object, 'Rollout');
		if (ref && change.type !== 'DELETED') this.queue.add(`${change.object.metadata.namespace ?? ''}/${ref.name}`);
	}

	private onRun(change: Change): void {
		this.onOwned(this.runs, change);
		if (change.type === 'DELETED') {
			this.runQueue.forget(keyOf(change.object));
			this.runTimes.delete(change.object.metadata.uid ?? '');
		} else {
			this.runQueue.add(keyOf(change.object));
		}
	}

	private event(ro: KObject, type: EventType, reason: string, message: string): void {
		recordEvent(this.ctx.store, ro, type, reason, message, 'rollouts-controller', {now: this.ctx.clock.now()});
	}

	// --- Rollout sync -------------------------------------------------------------------------

	protected sync(key: string): void {
		const [namespace, name] = splitKey(key);
		const {store, clock} = this.ctx;
		let ro = store.get(ROLLOUTS, namespace, name);
		if (!ro) {
			this.queue.forget(key);
			return;
		}
		if (ro.metadata.deletionTimestamp) return;
		const uid = ro.metadata.uid!;
		let mem = this.memory.get(uid);
		if (!mem) this.memory.set(uid, (mem = {}));
		const spec = ro.spec ?? {};
		const template = this.templateOf(ro);
		if (!template) return;
		const blueGreen = spec.strategy?.blueGreen !== undefined && spec.strategy?.blueGreen !== null;
		const steps: Step[] = blueGreen ? [] : Array.isArray(spec.strategy?.canary?.steps) ? spec.strategy.canary.steps : [];
		const now = clock.now();
		const s: Sync = {
			ro,
			status: clone(ro.status ?? {}),
			mem,
			now,
			stamp: nowIso(now),
			replicas: typeof spec.replicas === 'number' ? Math.max(0, Math.trunc(spec.replicas)) : 1,
			revision: 0,
			events: [],
		};
		const status = s.status;

		// The ReplicaSet of the current template, created (or renumbered, for a rollback) as needed.
		const newRS = this.newReplicaSet(s, template);
		const currentHash = hashOf(newRS)!;
		s.revision = rsRevision(newRS);

		// A new pod template (or a first sync) starts over; a changed step list restarts the steps.
		const stepHash = blueGreen ? undefined : computeHash(steps);
		if (status.currentPodHash === undefined || status.stableRS === undefined) {
			status.stableRS = currentHash;
			// promoteStable: the first stable ReplicaSet goes behind the ping Service.
			if (!blueGreen && spec.strategy?.canary?.pingPong) status.canary = {...status.canary, stablePingPong: 'ping'};
			if (!blueGreen) status.currentStepIndex = steps.length;
		} else if (status.currentPodHash !== currentHash) {
			status.abort = false;
			delete status.abortedAt;
			delete status.pauseConditions;
			status.controllerPause = false;
			delete status.promoteFull;
			mem.pausedAt = undefined;
			if (!blueGreen) status.currentStepIndex = currentHash === status.stableRS ? steps.length : 0;
			if (status.canary) delete status.canary.currentStepAnalysisRunStatus;
			s.events.push(['Normal', 'RolloutUpdated', `Rollout updated to revision ${s.revision}`]);
		} else if (!blueGreen && status.currentStepHash !== undefined && status.currentStepHash !== stepHash) {
			status.currentStepIndex = 0;
			mem.pausedAt = undefined;
		}
		status.currentPodHash = currentHash;
		if (stepHash !== undefined) status.currentStepHash = stepHash;
		else delete status.currentStepHash;

		// Someone moved the step index (promote, or a jump to a step): forget the pause we were in.
		if (!blueGreen && mem.index !== undefined && status.currentStepIndex !== mem.index) {
			status.controllerPause = false;
			mem.pausedAt = undefined;
		}

		if (blueGreen) this.syncBlueGreen(s, newRS);
		else this.syncCanary(s, newRS, steps);

		this.writeStatus(s, newRS);
		if (!blueGreen) mem.index = s.status.currentStepIndex;
		ro = s.ro;
		for (const [type, reason, message] of s.events) this.event(ro, type, reason, message);
		this.cleanupRuns(ro);
	}

	/** The pod template: the Rollout's own, or that of the Deployment its workloadRef names. */
	private templateOf(ro: KObject): any {
		const ref = ro.spec?.workloadRef;
		if (ref?.name) {
			const d = ref.kind === 'Deployment' ? this.ctx.store.get('apps/deployments', ro.metadata.namespace, ref.name) : undefined;
			return d?.spec?.template;
		}
		return ro.spec?.template ?? {};
	}

	private onDeployment(change: Change): void {
		for (const ro of this.ctx.store.list(ROLLOUTS, change.object.metadata.namespace)) {
			if (ro.spec?.workloadRef?.name === change.object.metadata.name) this.queue.add(keyOf(ro));
		}
	}

	private replicaSetsOf(ro: KObject): KObject[] {
		return this.replicaSets.owned(ro.metadata.uid).filter(rs => isControlledBy(rs, ro)).sort(creationOrder(this.replicaSets));
	}

	private fresh(rs: KObject): KObject {
		return this.ctx.store.get(REPLICASETS, rs.metadata.namespace, rs.metadata.name!) ?? rs;
	}

	private newReplicaSet(s: Sync, template: any): KObject {
		const {store} = this.ctx;
		const all = this.replicaSetsOf(s.ro);
		const maxRevision = all.reduce((m, rs) => Math.max(m, rsRevision(rs)), 0);
		const existing = all.find(rs => sameTemplate(rs.spec?.template, template));
		if (existing) {
			// A rollback to an older ReplicaSet makes it the newest revision again.
			if (all.some(rs => rs !== existing && rsRevision(rs) > rsRevision(existing))) {
				return store.mutate(REPLICASETS, existing.metadata.namespace, existing.metadata.name!, o => {
					o.metadata.annotations = {...o.metadata.annotations, [rolloutRevisionAnnotation]: String(maxRevision + 1)};
					const cause = s.ro.metadata.annotations?.[changeCauseAnnotation];
					if (cause) o.metadata.annotations[changeCauseAnnotation] = cause;
				});
			}
			return existing;
		}
		let collision = typeof s.status.collisionCount === 'number' ? s.status.collisionCount : undefined;
		for (;;) {
			const hash = computeHash(templateWithoutHash(template), collision);
			const name = `${s.ro.metadata.name}-${hash}`;
			if (store.get(REPLICASETS, s.ro.metadata.namespace, name)) {
				collision = (collision ?? 0) + 1;
				s.status.collisionCount = collision;
				continue;
			}
			const labels = {...(template.metadata?.labels ?? {}), [rolloutHashLabel]: hash};
			const annotations: Record<string, string> = {[rolloutRevisionAnnotation]: String(maxRevision + 1)};
			const cause = s.ro.metadata.annotations?.[changeCauseAnnotation];
			if (cause) annotations[changeCauseAnnotation] = cause;
			const rsTemplate = clone(template);
			rsTemplate.metadata = {...rsTemplate.metadata, labels};
			const selector = clone(s.ro.spec?.selector ?? {matchLabels: template.metadata?.labels ?? {}});
			selector.matchLabels = {...selector.matchLabels, [rolloutHashLabel]: hash};
			const created = store.create(REPLICASETS, {
				apiVersion: 'apps/v1',
				kind: 'ReplicaSet',
				metadata: {name, namespace: s.ro.metadata.namespace, labels, annotations, ownerReferences: [controllerRefTo(s.ro)]},
				spec: {replicas: 0, minReadySeconds: num(s.ro.spec?.minReadySeconds), selector, template: rsTemplate},
			});
			this.replicaSets.put(created);
			s.events.push(['Normal', 'NewReplicaSetCreated', `Created ReplicaSet ${name} (revision ${maxRevision + 1})`]);
			return created;
		}
	}

	/** Scale a ReplicaSet (no-op when already there), with the controller's event. */
	private scale(s: Sync, rs: KObject, replicas: number): KObject {
		const current = this.fresh(rs);
		const hadDeadline = current.metadata.annotations?.[scaleDownDeadlineAnnotation] !== undefined;
		if (replicaSetReplicas(current) === replicas && !(hadDeadline && replicas > 0)) return current;
		const from = replicaSetReplicas(current);
		const updated = this.ctx.store.mutate(REPLICASETS, current.metadata.namespace, current.metadata.name!, o => {
			o.spec = {...o.spec, replicas};
			if (replicas > 0 && o.metadata.annotations) delete o.metadata.annotations[scaleDownDeadlineAnnotation];
		});
		if (from !== replicas) s.events.push(['Normal', 'ScalingReplicaSet', `Scaled ${from < replicas ? 'up' : 'down'} ReplicaSet ${current.metadata.name} (revision ${rsRevision(current)}) from ${from} to ${replicas}`]);
		return updated;
	}

	/** Scale an old ReplicaSet to zero once `delay` simulated seconds have passed (scale-down-deadline). */
	private scaleDownLater(s: Sync, rs: KObject, delay: number): void {
		const current = this.fresh(rs);
		if (replicaSetReplicas(current) === 0) {
			if (current.metadata.annotations?.[scaleDownDeadlineAnnotation] !== undefined) {
				this.ctx.store.mutate(REPLICASETS, current.metadata.namespace, current.metadata.name!, o => {
					if (o.metadata.annotations) delete o.metadata.annotations[scaleDownDeadlineAnnotation];
				});
			}
			return;
		}
		if (delay <= 0) {
			this.scale(s, current, 0);
			return;
		}
		const raw = current.metadata.annotations?.[scaleDownDeadlineAnnotation];
		const deadline = raw ? Date.parse(raw) : Number.NaN;
		if (!Number.isFinite(deadline)) {
			// The annotation is wall-clock time (whole seconds); the wait is in simulated seconds.
			const at = s.now + this.ctx.clock.toMs(delay);
			this.ctx.store.mutate(REPLICASETS, current.metadata.namespace, current.metadata.name!, o => {
				o.metadata.annotations = {...o.metadata.annotations, [scaleDownDeadlineAnnotation]: new Date(at).toISOString()};
			});
			this.queue.addAfter(keyOf(s.ro), delay + 0.05);
			return;
		}
		if (s.now >= deadline) this.scale(s, current, 0);
		else this.queue.addAfter(keyOf(s.ro), (deadline - s.now) / this.ctx.clock.toMs(1) + 0.05);
	}

	private available(rs: KObject | undefined): number {
		return rs ? num(this.fresh(rs).status?.availableReplicas) : 0;
	}

	// --- Canary ---------------------------------------------------------------------------------

	private syncCanary(s: Sync, newRS: KObject, steps: Step[]): void {
		const {status, mem} = s;
		const canary = s.ro.spec?.strategy?.canary ?? {};
		const routing = canary.trafficRouting;
		const maxWeight = typeof routing?.maxTrafficWeight === 'number' && routing.maxTrafficWeight > 0 ? routing.maxTrafficWeight : 100;
		const currentHash = status.currentPodHash as string;
		const all = this.replicaSetsOf(s.ro);
		const stableRS = all.find(rs => hashOf(rs) === status.stableRS);
		const scaleDownDelay = typeof canary.scaleDownDelaySeconds === 'number' ? canary.scaleDownDelaySeconds : routing ? defaultScaleDownDelay : 0;
		const abortDelay = typeof canary.abortScaleDownDelaySeconds === 'number' ? canary.abortScaleDownDelaySeconds : routing ? defaultScaleDownDelay : 0;
		status.canary = {...(status.canary ?? {})};
		let index = typeof status.currentStepIndex === 'number' ? Math.max(0, Math.min(steps.length, Math.trunc(status.currentStepIndex))) : 0;

		if (currentHash === status.stableRS) {
			// Fully promoted: everything on the current ReplicaSet; old ones go after the delay.
			this.scale(s, newRS, s.replicas);
			for (const rs of all) if (rs !== newRS) this.scaleDownLater(s, rs, scaleDownDelay);
			this.route(s, canary, currentHash, currentHash, 0, maxWeight);
			this.removeManagedRoutes(s, canary);
			status.currentStepIndex = steps.length;
			delete status.pauseConditions;
			status.controllerPause = false;
			delete status.promoteFull;
			if (steps.length === 0) delete status.currentStepIndex;
			this.terminateRuns(s.ro, 'Background');
			return;
		}

		const stableHash = status.stableRS as string;
		if (status.abort === true) {
			// Abort: all traffic back to stable at once, the canary scaled down after the delay, steps from 0.
			if (!status.abortedAt) {
				status.abortedAt = s.stamp;
				s.events.push(['Warning', 'RolloutAborted', `Rollout aborted update to revision ${s.revision}`]);
			}
			this.route(s, canary, currentHash, stableHash, 0, maxWeight);
			this.removeManagedRoutes(s, canary);
			this.finishExperiments(s);
			if (stableRS) this.scale(s, stableRS, s.replicas);
			for (const rs of all) if (rs !== stableRS) this.scaleDownLater(s, rs, rs === newRS ? abortDelay : 0);
			delete status.pauseConditions;
			status.controllerPause = false;
			if (steps.length > 0) status.currentStepIndex = 0;
			this.terminateRuns(s.ro);
			return;
		}
		delete status.abortedAt;

		if (s.ro.spec?.paused === true) {
			// Paused by the user: hold replicas and weights where they are.
			return;
		}

		if (status.promoteFull === true) index = steps.length;

		// Replicas for the step's weight; the old stable keeps full size while traffic routing shifts weight.
		const setWeight = setWeightAt(steps, index);
		const canaryReplicas = Math.min(s.replicas, Math.ceil((s.replicas * setWeight) / 100));
		const stableReplicas = routing ? s.replicas : Math.max(0, s.replicas - canaryReplicas);
		const canaryRS = this.scale(s, newRS, canaryReplicas);
		if (stableRS) this.scale(s, stableRS, stableReplicas);
		for (const rs of all) if (rs !== newRS && rs !== stableRS) this.scaleDownLater(s, rs, 0);
		const canaryReady = this.available(canaryRS) >= canaryReplicas;

		// Traffic follows the step once the canary pods for it are available (never ahead of them).
		const wanted = Math.round((setWeight * maxWeight) / 100);
		const previous = typeof status.canary.weights?.canary?.weight === 'number' ? status.canary.weights.canary.weight : 0;
		const weight = wanted <= previous || canaryReady ? wanted : previous;
		this.route(s, canary, currentHash, stableHash, weight, maxWeight);
		const atWeight = weight === wanted && canaryReady;

		// An analysis that failed aborts: traffic goes back to stable in the same pass.
		const abortNow = () => this.route(s, canary, currentHash, stableHash, 0, maxWeight);
		this.backgroundAnalysis(s, canary, index);
		if (status.abort === true) return abortNow();

		if (index >= steps.length) {
			// All steps done: promote once the canary is at full size and takes all the traffic.
			if (atWeight && this.available(canaryRS) >= s.replicas) {
				status.stableRS = currentHash;
				// Ping-pong: the Service the canary was behind becomes the stable one, no selector changes.
				if (canary.pingPong) status.canary.stablePingPong = status.canary.stablePingPong === 'ping' ? 'pong' : 'ping';
				this.removeManagedRoutes(s, canary);
				this.finishExperiments(s);
				delete status.promoteFull;
				status.currentStepIndex = steps.length;
				s.events.push(['Normal', 'RolloutCompleted', `Rollout completed update to revision ${s.revision} (${currentHash}): Completed all ${steps.length} canary steps`]);
				this.queue.add(keyOf(s.ro));
			}
			status.currentStepIndex = steps.length;
			return;
		}

		const step = steps[index] ?? {};
		let completed = false;
		if (typeof step.setWeight === 'number') {
			completed = atWeight;
		} else if (step.pause !== undefined) {
			completed = this.pauseStep(s, step, index);
		} else if (step.analysis !== undefined) {
			completed = this.analysisStep(s, step, index);
		} else if (step.experiment !== undefined) {
			completed = this.experimentStep(s, step, index, newRS, stableRS);
		} else if (step.setHeaderRoute !== undefined) {
			this.setHeaderRoute(s, canary, step.setHeaderRoute);
			completed = true;
		} else {
			// setCanaryScale, mirror routes, plugins: nothing to simulate.
			completed = true;
		}
		if (status.abort === true) return abortNow();
		if (completed) {
			const label = stepLabel(step);
			status.currentStepIndex = index + 1;
			status.controllerPause = false;
			mem.pausedAt = undefined;
			if (status.pauseConditions) status.pauseConditions = status.pauseConditions.filter((c: PauseCondition) => c.reason !== 'CanaryPauseStep' && c.reason !== 'InconclusiveAnalysisRun');
			if (status.pauseConditions?.length === 0) delete status.pauseConditions;
			delete status.canary.currentStepAnalysisRunStatus;
			s.events.push(['Normal', 'RolloutStepCompleted', `Rollout step ${index + 1}/${steps.length} completed (${label})`]);
			this.queue.add(keyOf(s.ro));
		} else {
			status.currentStepIndex = index;
		}
	}

	/** A pause step: add CanaryPauseStep once; done when the duration passes or the user clears the condition. */
	private pauseStep(s: Sync, step: Step, index: number): boolean {
		const {status, mem} = s;
		const conditions: PauseCondition[] = Array.isArray(status.pauseConditions) ? status.pauseConditions : [];
		const condition = conditions.find(c => c.reason === 'CanaryPauseStep');
		const at = `step:${index}`;
		if (!condition) {
			if (status.controllerPause === true && mem.pausedAt === at) return true; // the user promoted
			status.pauseConditions = [...conditions, {reason: 'CanaryPauseStep', startTime: s.stamp}];
			status.controllerPause = true;
			mem.pausedAt = at;
			mem.pauseStarted = {at, ms: s.now};
			s.events.push(['Normal', 'RolloutPaused', 'Rollout is paused (CanaryPauseStep)']);
			const duration = durationSeconds(step.pause?.duration);
			if (duration !== undefined) this.queue.addAfter(keyOf(s.ro), duration + 0.05);
			return false;
		}
		mem.pausedAt = at;
		const duration = durationSeconds(step.pause?.duration);
		if (duration === undefined) return false;
		const started = this.pauseStart(s, at, condition);
		const endsAt = started + this.ctx.clock.toMs(duration);
		if (s.now >= endsAt) return true;
		this.queue.addAfter(keyOf(s.ro), (endsAt - s.now) / this.ctx.clock.toMs(1) + 0.05);
		return false;
	}

	/** When the pause at `at` began, in wall-clock ms: remembered precisely, else from the condition's startTime. */
	private pauseStart(s: Sync, at: string, condition: PauseCondition): number {
		if (s.mem.pauseStarted?.at === at) return s.mem.pauseStarted.ms;
		const parsed = Date.parse(condition.startTime);
		const ms = Number.isFinite(parsed) ? parsed : s.now;
		s.mem.pauseStarted = {at, ms};
		return ms;
	}

	/** An analysis step: run an AnalysisRun; Successful moves on, Failed aborts, Inconclusive pauses. */
	private analysisStep(s: Sync, step: Step, index: number): boolean {
		const {status, mem} = s;
		const run = this.ensureRun(s, step.analysis ?? {}, 'Step', index);
		if (!run) return false;
		const phase = run.status?.phase ?? 'Pending';
		status.canary.currentStepAnalysisRunStatus = {name: run.metadata.name, status: phase, ...(run.status?.message ? {message: run.status.message} : {})};
		if (phase === 'Successful') return true;
		if (phase === 'Failed' || phase === 'Error') {
			this.abortFor(s, run);
			return false;
		}
		if (phase === 'Inconclusive') {
			const conditions: PauseCondition[] = Array.isArray(status.pauseConditions) ? status.pauseConditions : [];
			const at = `step:${index}`;
			if (conditions.some(c => c.reason === 'InconclusiveAnalysisRun')) return false;
			if (status.controllerPause === true && mem.pausedAt === at) return true;
			status.pauseConditions = [...conditions, {reason: 'InconclusiveAnalysisRun', startTime: s.stamp}];
			status.controllerPause = true;
			mem.pausedAt = at;
			s.events.push(['Warning', 'RolloutPaused', 'Rollout is paused (InconclusiveAnalysisRun)']);
		}
		return false;
	}

	private backgroundAnalysis(s: Sync, canary: any, index: number): void {
		const analysis = canary.analysis;
		if (!analysis || !Array.isArray(analysis.templates) || analysis.templates.length === 0) return;
		const starting = typeof analysis.startingStep === 'number' ? analysis.startingStep : 0;
		if (index < starting) return;
		const run = this.ensureRun(s, analysis, 'Background');
		if (!run) return;
		const phase = run.status?.phase ?? 'Pending';
		s.status.canary.currentBackgroundAnalysisRunStatus = {name: run.metadata.name, status: phase, ...(run.status?.message ? {message: run.status.message} : {})};
		if (phase === 'Failed' || phase === 'Error') this.abortFor(s, run);
	}

	private abortFor(s: Sync, run: KObject): void {
		const {status} = s;
		if (status.abort === true) return;
		status.abort = true;
		status.abortedAt = s.stamp;
		delete status.pauseConditions;
		status.controllerPause = false;
		const why = run.status?.message ? `: ${run.status.message}` : '';
		s.events.push(['Warning', 'AnalysisRunFailed', `Analysis Run '${run.metadata.name}' Status New: '${run.status?.phase}' Previous: 'Running'${why}`]);
		s.events.push(['Warning', 'RolloutAborted', `Rollout aborted update to revision ${s.revision}${why}`]);
		this.terminateRuns(s.ro);
		this.queue.add(keyOf(s.ro));
	}

	/** The AnalysisRun for this hash and step (or the background one), created from its templates when missing. */
	private ensureRun(s: Sync, analysis: any, type: 'Step' | 'Background' | 'PrePromotion' | 'PostPromotion', index?: number): KObject | undefined {
		const hash = s.status.currentPodHash as string;
		const existing = this.runs.owned(s.ro.metadata.uid).filter(r => isControlledBy(r, s.ro)).find(r => {
			const l = r.metadata.labels ?? {};
			return l['rollout-type'] === type && l[rolloutHashLabel] === hash && (index === undefined || l['step-index'] === String(index)) && r.metadata.annotations?.[rolloutRevisionAnnotation] === String(s.revision);
		});
		if (existing) return this.ctx.store.get(RUNS, existing.metadata.namespace, existing.metadata.name!) ?? existing;
		const metrics: any[] = [];
		const args = new Map<string, unknown>();
		for (const ref of Array.isArray(analysis.templates) ? analysis.templates : []) {
			const name = ref?.templateName;
			const template = typeof name !== 'string' ? undefined : ref.clusterScope === true ? this.ctx.store.get(CLUSTER_TEMPLATES, undefined, name) : this.ctx.store.get(TEMPLATES, s.ro.metadata.namespace, name);
			if (!template) continue;
			metrics.push(...clone(template.spec?.metrics ?? []));
			for (const a of template.spec?.args ?? []) if (a?.name && !args.has(a.name)) args.set(a.name, a);
		}
		for (const a of Array.isArray(analysis.args) ? analysis.args : []) {
			if (!a?.name) continue;
			let value = a.value;
			if (a.valueFrom?.podTemplateHashValue === 'Latest') value = hash;
			else if (a.valueFrom?.podTemplateHashValue === 'Stable') value = s.status.stableRS;
			args.set(a.name, {name: a.name, ...(value !== undefined ? {value: String(value)} : {})});
		}
		const base = `${s.ro.metadata.name}-${hash}-${s.revision}`;
		const name = type === 'Step' ? `${base}-${index}` : type === 'Background' ? base : `${base}-${type.toLowerCase()}`;
		if (this.ctx.store.get(RUNS, s.ro.metadata.namespace, name)) return undefined;
		const labels: Record<string, string> = {'rollout-type': type, [rolloutHashLabel]: hash};
		if (index !== undefined) labels['step-index'] = String(index);
		const run = this.ctx.store.create(RUNS, {
			apiVersion: 'argoproj.io/v1alpha1',
			kind: 'AnalysisRun',
			metadata: {name, namespace: s.ro.metadata.namespace, labels, annotations: {[rolloutRevisionAnnotation]: String(s.revision)}, ownerReferences: [controllerRefTo(s.ro)]},
			spec: {metrics, args: [...args.values()]},
		});
		this.runs.put(run);
		s.events.push(['Normal', 'AnalysisRunRunning', `${type} Analysis Run '${name}' Status New: 'Running' Previous: ''`]);
		return run;
	}

	/** Stop the Rollout's running AnalysisRuns (of one type, when given). */
	private terminateRuns(ro: KObject, type?: string): void {
		for (const run of this.runs.owned(ro.metadata.uid)) {
			const current = this.ctx.store.get(RUNS, run.metadata.namespace, run.metadata.name!);
			if (!current || terminal.has(current.status?.phase) || current.spec?.terminate === true) continue;
			if (type !== undefined && current.metadata.labels?.['rollout-type'] !== type) continue;
			this.ctx.store.mutate(RUNS, current.metadata.namespace, current.metadata.name!, o => {
				o.spec = {...o.spec, terminate: true};
			});
		}
	}

	/** Keep the newest few successful and unsuccessful AnalysisRuns of a Rollout. */
	private cleanupRuns(ro: KObject): void {
		const finished = this.runs.owned(ro.metadata.uid).filter(r => terminal.has(r.status?.phase)).sort(creationOrder(this.runs)).reverse();
		const ok = finished.filter(r => r.status?.phase === 'Successful');
		const bad = finished.filter(r => r.status?.phase !== 'Successful');
		for (const r of [...ok.slice(runHistory), ...bad.slice(runHistory)]) {
			if (this.ctx.store.get(RUNS, r.metadata.namespace, r.metadata.name!)) this.ctx.store.delete(RUNS, r.metadata.namespace, r.metadata.name!);
		}
	}

	/** Services pinned to their hash, and the VirtualService (and DestinationRule) weights. */
	private route(s: Sync, canary: any, canaryHash: string, stableHash: string, weight: number, maxWeight: number): void {
		if (canary.canaryService) this.pinService(s, canary.canaryService, canaryHash);
		if (canary.stableService) this.pinService(s, canary.stableService, stableHash);
		const pingPong = canary.pingPong;
		if (pingPong?.pingService && pingPong?.pongService) {
			const stablePing = s.status.canary?.stablePingPong === 'ping';
			this.pinService(s, stablePing ? pingPong.pingService : pingPong.pongService, stableHash);
			this.pinService(s, stablePing ? pingPong.pongService : pingPong.pingService, canaryHash);
		}
		const routing = canary.trafficRouting;
		if (!routing) {
			delete s.status.canary.weights;
			return;
		}
		const istio = routing.istio;
		if (istio) {
			const services = istio.virtualServices ?? (istio.virtualService ? [istio.virtualService] : []);
			for (const vs of services) this.setVirtualServiceWeight(s, vs, canary, istio.destinationRule, weight, maxWeight);
			if (istio.destinationRule?.name) this.pinSubsets(s, istio.destinationRule, canaryHash, stableHash);
		}
		if (routing.smi) this.setTrafficSplit(s, canary, routing.smi, weight);
		if (routing.nginx) for (const stable of routing.nginx.stableIngresses ?? [routing.nginx.stableIngress]) if (stable) this.setCanaryIngress(s, canary, routing, stable, weight);
		s.status.canary.weights = {
			canary: {weight, serviceName: canary.canaryService ?? '', podTemplateHash: canaryHash},
			stable: {weight: maxWeight - weight, serviceName: canary.stableService ?? '', podTemplateHash: stableHash},
		};
		if (s.mem.weight !== undefined && s.mem.weight !== weight) {
			s.events.push(['Normal', 'TrafficWeightUpdated', `Traffic weight updated from ${s.mem.weight} to ${weight}`]);
		}
		s.mem.weight = weight;
	}

	/** The stable and canary Services the routers send to: stable/canary, else ping/pong (GetStableAndCanaryServices). */
	private routedServices(s: Sync, canary: any): {stable?: string; canary?: string} {
		const pp = canary.pingPong;
		if (!canary.stableService && !canary.canaryService && pp?.pingService && pp?.pongService) {
			const stablePing = s.status.canary?.stablePingPong === 'ping';
			return {stable: stablePing ? pp.pingService : pp.pongService, canary: stablePing ? pp.pongService : pp.pingService};
		}
		return {stable: canary.stableService, canary: canary.canaryService};
	}

	/** SMI: the TrafficSplit (trafficSplitName, else the Rollout's name) of the canary and stable Services, v1alpha1 Quantities, owned by the Rollout. */
	private setTrafficSplit(s: Sync, canary: any, smi: any, weight: number): void {
		const {stable, canary: canarySvc} = this.routedServices(s, canary);
		if (!stable || !canarySvc) return;
		const name = typeof smi.trafficSplitName === 'string' && smi.trafficSplitName ? smi.trafficSplitName : s.ro.metadata.name!;
		const spec = {service: smi.rootService || stable, backends: [{service: canarySvc, weight: String(weight)}, {service: stable, weight: String(100 - weight)}]};
		const namespace = s.ro.metadata.namespace;
		const current = this.ctx.store.get(TRAFFICSPLITS, namespace, name);
		if (!current) {
			this.ctx.store.create(TRAFFICSPLITS, {apiVersion: 'split.smi-spec.io/v1alpha1', kind: 'TrafficSplit', metadata: {name, namespace, ownerReferences: [controllerRefTo(s.ro)]}, spec});
			s.events.push(['Normal', 'TrafficSplitCreated', `TrafficSplit \`${name}\` created`]);
			return;
		}
		if (!isControlledBy(current, s.ro)) {
			s.events.push(['Warning', 'TrafficRoutingError', `Rollout does not own TrafficSplit \`${name}\``]);
			return;
		}
		if (!deepEqual(current.spec, spec)) this.ctx.store.mutate(TRAFFICSPLITS, namespace, name, o => {
			o.spec = spec;
		});
	}

	/** NGINX: the canary Ingress `<rollout>-<stableIngress>-canary`, the stable Ingress's rules to the canary Service, canary-weight. */
	private setCanaryIngress(s: Sync, canary: any, routing: any, stableName: string, weight: number): void {
		const namespace = s.ro.metadata.namespace;
		const stableIngress = this.ctx.store.get(INGRESSES, namespace, stableName);
		const {stable, canary: canarySvc} = this.routedServices(s, canary);
		if (!stableIngress || !stable || !canarySvc) return;
		const prefix = typeof routing.nginx.annotationPrefix === 'string' && routing.nginx.annotationPrefix ? routing.nginx.annotationPrefix : 'nginx.ingress.kubernetes.io';
		const name = `${`${s.ro.metadata.name}-${stableName}`.slice(0, 253 - '-canary'.length)}-canary`;
		const rules = (stableIngress.spec?.rules ?? [])
			.filter((rule: any) => (rule?.http?.paths ?? []).some((p: any) => p?.backend?.service?.name === stable))
			.map((rule: any) => {
				const copy = clone(rule);
				for (const p of copy.http.paths) if (p?.backend?.service?.name === stable) p.backend.service.name = canarySvc;
				return copy;
			});
		if (rules.length === 0) return;
		const annotations: Record<string, string> = {};
		const ingressClass = stableIngress.metadata.annotations?.['kubernetes.io/ingress.class'];
		if (ingressClass) annotations['kubernetes.io/ingress.class'] = ingressClass;
		for (const [k, v] of Object.entries(routing.nginx.additionalIngressAnnotations ?? {})) annotations[k.startsWith(prefix) ? k : `${prefix}/${k}`] = String(v);
		annotations[`${prefix}/canary`] = 'true';
		annotations[`${prefix}/canary-weight`] = String(weight);
		if (typeof routing.maxTrafficWeight === 'number') annotations[`${prefix}/canary-weight-total`] = String(routing.maxTrafficWeight);
		const spec: any = {rules, ...(stableIngress.spec?.ingressClassName ? {ingressClassName: stableIngress.spec.ingressClassName} : {}), ...(stableIngress.spec?.tls ? {tls: clone(stableIngress.spec.tls)} : {})};
		const current = this.ctx.store.get(INGRESSES, namespace, name);
		if (!current) {
			this.ctx.store.create(INGRESSES, {apiVersion: 'networking.k8s.io/v1', kind: 'Ingress', metadata: {name, namespace, annotations, ownerReferences: [controllerRefTo(s.ro)]}, spec});
			return;
		}
		const merged = {...current.metadata.annotations, ...annotations};
		if (!deepEqual(merged, current.metadata.annotations) || !deepEqual(current.spec?.rules, rules)) {
			this.ctx.store.mutate(INGRESSES, namespace, name, o => {
				o.metadata.annotations = merged;
				o.spec = {...o.spec, rules};
			});
		}
	}

	/**
	 * setHeaderRoute (Istio): the named route with the step's header matches to the canary host (or the
	 * DestinationRule's canary subset), above the other routes in managedRoutes order; without matches, removed.
	 */
	private setHeaderRoute(s: Sync, canary: any, step: any): void {
		const istio = canary.trafficRouting?.istio;
		const name = step?.name;
		if (!istio || typeof name !== 'string') return;
		const destinationRule = istio.destinationRule;
		const host = destinationRule?.name ? this.ctx.store.get(DESTINATIONRULES, s.ro.metadata.namespace, destinationRule.name)?.spec?.host : this.routedServices(s, canary).canary;
		if (!host) return;
		const matches: any[] = Array.isArray(step.match) ? step.match : [];
		const route = matches.length === 0 ? undefined : {
			name,
			match: matches.map(m => ({headers: {[m.headerName]: Object.fromEntries(['exact', 'regex', 'prefix'].filter(k => m.headerValue?.[k]).map(k => [k, m.headerValue[k]]))}})),
			route: [{destination: {host, ...(destinationRule?.canarySubsetName ? {subset: destinationRule.canarySubsetName} : {})}, weight: 100}],
		};
		const managed: string[] = (canary.trafficRouting?.managedRoutes ?? []).map((m: any) => m?.name);
		for (const ref of istio.virtualServices ?? (istio.virtualService ? [istio.virtualService] : [])) {
			this.editRoutes(s, ref, http => {
				const rest = http.filter(r => r?.name !== name);
				const withRoute = route ? [route, ...rest] : rest;
				// orderRoutes: managed routes on top, in managedRoutes order.
				const ours = withRoute.filter(r => managed.includes(r?.name)).sort((a, b) => managed.indexOf(a.name) - managed.indexOf(b.name));
				return [...ours, ...withRoute.filter(r => !managed.includes(r?.name))];
			});
		}
		s.events.push(['Normal', 'Updated VirtualService', `VirtualService set headerRoute '${name}'`]);
	}

	/** RemoveManagedRoutes: the header and mirror routes of the steps leave the VirtualServices. */
	private removeManagedRoutes(s: Sync, canary: any): void {
		const istio = canary.trafficRouting?.istio;
		if (!istio) return;
		const names = new Set((Array.isArray(canary.steps) ? canary.steps : []).flatMap((step: any) => [step?.setHeaderRoute?.name, step?.setMirrorRoute?.name]).filter(Boolean));
		if (names.size === 0) return;
		for (const ref of istio.virtualServices ?? (istio.virtualService ? [istio.virtualService] : [])) this.editRoutes(s, ref, http => http.filter(r => !names.has(r?.name)));
	}

	private editRoutes(s: Sync, ref: any, edit: (http: any[]) => any[]): void {
		const name = typeof ref?.name === 'string' ? ref.name.split('.')[0] : undefined;
		const vs = name ? this.ctx.store.get(VIRTUALSERVICES, s.ro.metadata.namespace, name) : undefined;
		if (!vs) return;
		const http = edit(clone(Array.isArray(vs.spec?.http) ? vs.spec.http : []));
		if (!deepEqual(http, vs.spec?.http ?? [])) this.ctx.store.mutate(VIRTUALSERVICES, vs.metadata.namespace, vs.metadata.name!, o => {
			o.spec = {...o.spec, http};
		});
	}

	// --- Experiments ------------------------------------------------------------------------------

	/**
	 * An experiment step: the Experiment `<rollout>-<hash>-<revision>-<step>` runs a ReplicaSet per template (the
	 * canary's or the stable's pod template) for its duration, then is Successful and the step completes.
	 */
	private experimentStep(s: Sync, step: Step, index: number, newRS: KObject, stableRS: KObject | undefined): boolean {
		const {store} = this.ctx;
		const namespace = s.ro.metadata.namespace;
		const hash = s.status.currentPodHash as string;
		const name = `${s.ro.metadata.name}-${hash}-${s.revision}-${index}`;
		let experiment = store.get(EXPERIMENTS, namespace, name);
		const spec = step.experiment ?? {};
		if (!experiment) {
			const templates = (Array.isArray(spec.templates) ? spec.templates : []).map((t: any) => {
				const from = t?.specRef === 'stable' ? (stableRS ?? newRS) : newRS;
				// The template's pods get a pod-template hash of their own, so the Rollout's Services do not select them.
				const template = clone(this.fresh(from).spec?.template ?? {});
				const own = computeHash({experiment: name, template: templateWithoutHash(template), name: t?.name});
				template.metadata = {...template.metadata, labels: {...template.metadata?.labels, [rolloutHashLabel]: own}};
				const selector = clone(this.fresh(from).spec?.selector ?? {});
				selector.matchLabels = {...selector.matchLabels, [rolloutHashLabel]: own};
				return {name: String(t?.name ?? 'template'), replicas: typeof t?.replicas === 'number' ? t.replicas : 1, selector, template};
			});
			experiment = store.create(EXPERIMENTS, {
				apiVersion: 'argoproj.io/v1alpha1',
				kind: 'Experiment',
				metadata: {name, namespace, labels: {[rolloutHashLabel]: hash}, annotations: {[rolloutRevisionAnnotation]: String(s.revision)}, ownerReferences: [controllerRefTo(s.ro)]},
				spec: {...(spec.duration !== undefined ? {duration: spec.duration} : {}), templates},
			});
			s.events.push(['Normal', 'ExperimentPending', `Experiment '${name}' Status New: 'Pending' Previous: ''`]);
		}
		s.status.canary.currentExperiment = name;
		const phase = this.syncExperiment(s, experiment);
		if (phase === 'Successful') {
			delete s.status.canary.currentExperiment;
			return true;
		}
		if (phase === 'Failed' || phase === 'Error') {
			s.status.abort = true;
			s.status.abortedAt = s.stamp;
			s.events.push(['Warning', 'RolloutAborted', `Rollout aborted update to revision ${s.revision}: Experiment '${name}' ${phase}`]);
			this.queue.add(keyOf(s.ro));
		}
		return false;
	}

	/** One pass of the experiment controller: template ReplicaSets, their readiness, the duration; returns the phase. */
	private syncExperiment(s: Sync, experiment: KObject): string {
		const {store} = this.ctx;
		const namespace = experiment.metadata.namespace;
		const status = clone(experiment.status ?? {});
		if (status.phase === 'Successful' || status.phase === 'Failed' || status.phase === 'Error') return status.phase;
		const templates: any[] = Array.isArray(experiment.spec?.templates) ? experiment.spec.templates : [];
		const statuses = templates.map(t => {
			const rsName = `${experiment.metadata.name}-${t.name}`;
			let rs = store.get(REPLICASETS, namespace, rsName);
			if (!rs) {
				const labels = {...(t.template?.metadata?.labels ?? {})};
				rs = store.create(REPLICASETS, {
					apiVersion: 'apps/v1',
					kind: 'ReplicaSet',
					metadata: {name: rsName, namespace, labels, annotations: {[experimentTemplateAnnotation]: t.name, [rolloutRevisionAnnotation]: String(s.revision)}, ownerReferences: [controllerRefTo(experiment)]},
					spec: {replicas: t.replicas, selector: clone(t.selector ?? {matchLabels: labels}), template: clone(t.template ?? {})},
				});
			}
			const ready = num(rs.status?.readyReplicas);
			return {name: t.name, replicas: t.replicas, updatedReplicas: num(rs.status?.replicas), readyReplicas: ready, availableReplicas: num(rs.status?.availableReplicas), status: ready >= t.replicas ? 'Running' : 'Progressing'};
		});
		status.templateStatuses = statuses;
		const allReady = statuses.every(t => t.readyReplicas >= t.replicas);
		if (allReady && !status.availableAt) status.availableAt = s.stamp;
		const duration = durationSeconds(experiment.spec?.duration);
		let phase = allReady ? 'Running' : 'Pending';
		if (allReady && experiment.spec?.terminate !== true) {
			const since = Date.parse(status.availableAt);
			const endsAt = (Number.isFinite(since) ? since : s.now) + this.ctx.clock.toMs(duration ?? 0);
			if (s.now >= endsAt) phase = 'Successful';
			else this.queue.addAfter(keyOf(s.ro), (endsAt - s.now) / this.ctx.clock.toMs(1) + 0.05);
		} else if (experiment.spec?.terminate === true) {
			phase = 'Successful';
		} else {
			this.queue.addAfter(keyOf(s.ro), 0.5);
		}
		status.phase = phase;
		if (phase === 'Successful') {
			status.message = experiment.spec?.terminate === true ? 'Experiment terminated' : 'Experiment completed';
			for (const t of templates) {
				const rsName = `${experiment.metadata.name}-${t.name}`;
				if (store.get(REPLICASETS, namespace, rsName)) store.mutate(REPLICASETS, namespace, rsName, o => {
					o.spec = {...o.spec, replicas: 0};
				});
			}
			s.events.push(['Normal', 'ExperimentCompleted', `Experiment '${experiment.metadata.name}' Status New: 'Successful' Previous: 'Running'`]);
		}
		if (!deepEqual(status, experiment.status)) store.update(EXPERIMENTS, {...experiment, status});
		return phase;
	}

	/** Running Experiments of the Rollout end (abort, promotion): terminated, their ReplicaSets scaled down. */
	private finishExperiments(s: Sync): void {
		for (const e of this.ctx.store.list(EXPERIMENTS, s.ro.metadata.namespace)) {
			if (!isControlledBy(e, s.ro) || e.status?.phase === 'Successful' || e.status?.phase === 'Failed' || e.status?.phase === 'Error') continue;
			const terminated = this.ctx.store.mutate(EXPERIMENTS, e.metadata.namespace, e.metadata.name!, o => {
				o.spec = {...o.spec, terminate: true};
			});
			this.syncExperiment(s, terminated);
		}
		if (s.status.canary) delete s.status.canary.currentExperiment;
	}

	private pinService(s: Sync, name: string, hash: string): void {
		const svc = this.ctx.store.get('services', s.ro.metadata.namespace, name);
		if (!svc) return;
		if (svc.spec?.selector?.[rolloutHashLabel] === hash && svc.metadata.annotations?.[managedByRolloutsAnnotation] === s.ro.metadata.name) return;
		const from = svc.spec?.selector?.[rolloutHashLabel] ?? '';
		this.ctx.store.mutate('services', svc.metadata.namespace, name, o => {
			o.spec = {...o.spec, selector: {...o.spec?.selector, [rolloutHashLabel]: hash}};
			o.metadata.annotations = {...o.metadata.annotations, [managedByRolloutsAnnotation]: s.ro.metadata.name!};
		});
		if (from !== hash) s.events.push(['Normal', 'SwitchService', `Switched selector for service '${name}' from '${from}' to '${hash}'`]);
	}

	private setVirtualServiceWeight(s: Sync, ref: any, canary: any, destinationRule: any, weight: number, maxWeight: number): void {
		const name = typeof ref?.name === 'string' ? ref.name.split('.')[0] : undefined;
		if (!name) return;
		const vs = this.ctx.store.get(VIRTUALSERVICES, s.ro.metadata.namespace, name);
		if (!vs) return;
		const wanted: string[] = Array.isArray(ref.routes) ? ref.routes : [];
		const next = clone(vs);
		const http: any[] = Array.isArray(next.spec?.http) ? next.spec.http : [];
		const hostService = (host: unknown) => (typeof host === 'string' ? host.split('.')[0] : undefined);
		for (const route of http) {
			if (wanted.length > 0 && !wanted.includes(route?.name)) continue;
			for (const dest of Array.isArray(route?.route) ? route.route : []) {
				const d = dest?.destination ?? {};
				const isCanary = destinationRule ? d.subset === destinationRule.canarySubsetName : hostService(d.host) === canary.canaryService;
				const isStable = destinationRule ? d.subset === destinationRule.stableSubsetName : hostService(d.host) === canary.stableService;
				if (isCanary) dest.weight = weight;
				else if (isStable) dest.weight = maxWeight - weight;
			}
		}
		if (!deepEqual(next.spec, vs.spec)) this.ctx.store.update(VIRTUALSERVICES, next);
	}

	private pinSubsets(s: Sync, rule: any, canaryHash: string, stableHash: string): void {
		const dr = this.ctx.store.get(DESTINATIONRULES, s.ro.metadata.namespace, rule.name);
		if (!dr) return;
		const next = clone(dr);
		for (const subset of Array.isArray(next.spec?.subsets) ? next.spec.subsets : []) {
			if (subset?.name === rule.canarySubsetName) subset.labels = {...subset.labels, [rolloutHashLabel]: canaryHash};
			else if (subset?.name === rule.stableSubsetName) subset.labels = {...subset.labels, [rolloutHashLabel]: stableHash};
		}
		if (!deepEqual(next.spec, dr.spec)) this.ctx.store.update(DESTINATIONRULES, next);
	}

	// --- Blue-green ----------------------------------------------------------------------------

	private syncBlueGreen(s: Sync, newRS: KObject): void {
		const {status, mem} = s;
		const bg = s.ro.spec?.strategy?.blueGreen ?? {};
		const currentHash = status.currentPodHash as string;
		const all = this.replicaSetsOf(s.ro);
		const stableRS = all.find(rs => hashOf(rs) === status.stableRS);
		const scaleDownDelay = typeof bg.scaleDownDelaySeconds === 'number' ? bg.scaleDownDelaySeconds : defaultScaleDownDelay;
		const abortDelay = typeof bg.abortScaleDownDelaySeconds === 'number' ? bg.abortScaleDownDelaySeconds : defaultScaleDownDelay;
		delete status.canary;
		status.blueGreen = {...(status.blueGreen ?? {})};
		const setActive = (hash: string) => {
			if (bg.activeService) this.pinService(s, bg.activeService, hash);
			status.blueGreen.activeSelector = hash;
		};
		const setPreview = (hash: string) => {
			if (bg.previewService) this.pinService(s, bg.previewService, hash);
			status.blueGreen.previewSelector = hash;
		};

		if (currentHash === status.stableRS) {
			this.scale(s, newRS, s.replicas);
			setActive(currentHash);
			setPreview(currentHash);
			for (const rs of all) if (rs !== newRS) this.scaleDownLater(s, rs, scaleDownDelay);
			delete status.pauseConditions;
			status.controllerPause = false;
			delete status.promoteFull;
			return;
		}
		const stableHash = status.stableRS as string;
		if (status.abort === true) {
			if (!status.abortedAt) {
				status.abortedAt = s.stamp;
				s.events.push(['Warning', 'RolloutAborted', `Rollout aborted update to revision ${s.revision}`]);
			}
			if (stableRS) this.scale(s, stableRS, s.replicas);
			setActive(stableHash);
			setPreview(stableHash);
			for (const rs of all) if (rs !== stableRS) this.scaleDownLater(s, rs, rs === newRS ? abortDelay : 0);
			delete status.pauseConditions;
			status.controllerPause = false;
			return;
		}
		delete status.abortedAt;
		if (s.ro.spec?.paused === true) return;

		const previewReplicas = typeof bg.previewReplicaCount === 'number' ? Math.min(s.replicas, bg.previewReplicaCount) : s.replicas;
		const promoting = status.promoteFull === true || mem.pausedAt === `promote:${currentHash}`;
		const preview = this.scale(s, newRS, promoting ? s.replicas : previewReplicas);
		if (stableRS) this.scale(s, stableRS, s.replicas);
		for (const rs of all) if (rs !== newRS && rs !== stableRS) this.scaleDownLater(s, rs, 0);
		setActive(stableHash);
		setPreview(currentHash);
		const ready = this.available(preview) >= (promoting ? s.replicas : previewReplicas);
		if (!ready) return;

		let cutover = promoting;
		if (!cutover) {
			const conditions: PauseCondition[] = Array.isArray(status.pauseConditions) ? status.pauseConditions : [];
			const condition = conditions.find(c => c.reason === 'BlueGreenPause');
			const at = `pause:${currentHash}`;
			const auto = bg.autoPromotionEnabled !== false;
			const autoSeconds = typeof bg.autoPromotionSeconds === 'number' ? bg.autoPromotionSeconds : undefined;
			if (auto && autoSeconds === undefined) {
				cutover = true;
			} else if (!condition) {
				if (status.controllerPause === true && mem.pausedAt === at) {
					cutover = true;
				} else {
					status.pauseConditions = [...conditions, {reason: 'BlueGreenPause', startTime: s.stamp}];
					status.controllerPause = true;
					mem.pausedAt = at;
					mem.pauseStarted = {at, ms: s.now};
					s.events.push(['Normal', 'RolloutPaused', 'Rollout is paused (BlueGreenPause)']);
					if (auto && autoSeconds !== undefined) this.queue.addAfter(keyOf(s.ro), autoSeconds + 0.05);
				}
			} else if (auto && autoSeconds !== undefined) {
				mem.pausedAt = at;
				const endsAt = this.pauseStart(s, at, condition) + this.ctx.clock.toMs(autoSeconds);
				if (s.now >= endsAt) cutover = true;
				else this.queue.addAfter(keyOf(s.ro), (endsAt - s.now) / this.ctx.clock.toMs(1) + 0.05);
			} else {
				mem.pausedAt = at;
			}
		}
		if (!cutover) return;
		if (previewReplicas < s.replicas && this.available(preview) < s.replicas) {
			// Scale the preview up to full size first, then switch.
			mem.pausedAt = `promote:${currentHash}`;
			delete status.pauseConditions;
			status.controllerPause = false;
			this.scale(s, preview, s.replicas);
			return;
		}
		setActive(currentHash);
		status.stableRS = currentHash;
		delete status.pauseConditions;
		status.controllerPause = false;
		delete status.promoteFull;
		mem.pausedAt = undefined;
		s.events.push(['Normal', 'RolloutCompleted', `Rollout completed update to revision ${s.revision} (${currentHash}): Completed blue-green update`]);
		this.queue.add(keyOf(s.ro));
	}

	// --- Status ----------------------------------------------------------------------------------

	private writeStatus(s: Sync, newRS: KObject): void {
		const {status} = s;
		const ro = s.ro;
		const all = this.replicaSetsOf(ro).map(rs => this.fresh(rs));
		const current = this.fresh(newRS);
		// ReplicaSets waiting out their scale-down delay do not count (they no longer take traffic).
		const counted = all.filter(rs => rs === current || rs.metadata.annotations?.[scaleDownDeadlineAnnotation] === undefined);
		const sum = (field: string) => counted.reduce((n, rs) => n + num(rs.status?.[field]), 0);
		status.replicas = sum('replicas');
		status.updatedReplicas = num(current.status?.replicas);
		status.readyReplicas = sum('readyReplicas');
		status.availableReplicas = sum('availableReplicas');
		status.HPAReplicas = status.replicas;
		const matchLabels = ro.spec?.selector?.matchLabels ?? {};
		status.selector = Object.entries(matchLabels).map(([k, v]) => `${k}=${v}`).join(',');
		status.observedGeneration = String(ro.metadata.generation ?? 1);
		if (status.controllerPause === false) delete status.controllerPause;
		if (status.abort === false) delete status.abort;
		if (Array.isArray(status.pauseConditions) && status.pauseConditions.length === 0) delete status.pauseConditions;
		const {phase, message} = rolloutPhase(ro, status, s.replicas, s.revision);
		status.phase = phase;
		status.message = message;
		if (!message) delete status.message;
		const stamp = s.stamp;
		const done = status.currentPodHash === status.stableRS;
		const available = status.availableReplicas >= s.replicas;
		setCondition(status, 'Available', available ? 'True' : 'False', 'AvailableReason', available ? 'Rollout has minimum availability' : 'Rollout does not have minimum availability', stamp);
		if (status.abort) setCondition(status, 'Progressing', 'False', 'RolloutAborted', `Rollout aborted update to revision ${s.revision}`, stamp);
		else if (phase === 'Paused') setCondition(status, 'Progressing', 'Unknown', 'RolloutPaused', 'Rollout is paused', stamp);
		else if (done && phase === 'Healthy') setCondition(status, 'Progressing', 'True', 'NewReplicaSetAvailable', `ReplicaSet "${current.metadata.name}" has successfully progressed.`, stamp);
		else setCondition(status, 'Progressing', 'True', 'ReplicaSetUpdated', `ReplicaSet "${current.metadata.name}" is progressing.`, stamp);
		if (phase === 'Paused') setCondition(status, 'Paused', 'True', 'RolloutPaused', 'Rollout is paused', stamp);
		else removeConditionOf(status, 'Paused');
		setCondition(status, 'Completed', done && phase === 'Healthy' ? 'True' : 'False', done && phase === 'Healthy' ? 'RolloutCompleted' : 'RolloutNotCompleted', done && phase === 'Healthy' ? 'Rollout completed update to revision ' + s.revision : 'Rollout not completed, started update to revision ' + s.revision, stamp);
		setCondition(status, 'Healthy', phase === 'Healthy' ? 'True' : 'False', phase === 'Healthy' ? 'RolloutHealthy' : 'RolloutHealthyReason', phase === 'Healthy' ? 'Rollout is healthy' : 'Rollout is not healthy', stamp);
		// Conditions in a fixed order, so that unchanged ones compare equal.
		const order = ['Available', 'Completed', 'Healthy', 'Paused', 'Progressing'];
		status.conditions = [...status.conditions].sort((a: Condition, b: Condition) => order.indexOf(a.type) - order.indexOf(b.type));
		const previous = ro.status ?? {};
		// Timestamps alone do not make a change.
		const strip = (st: any) => ({...st, conditions: (st.conditions ?? []).map((c: Condition) => ({...c, lastUpdateTime: undefined, lastTransitionTime: undefined}))});
		if (deepEqual(strip(status), strip(previous))) return;
		s.ro = this.ctx.store.update(ROLLOUTS, {...ro, status}, {subresource: 'status'});
	}

	// --- AnalysisRuns ---------------------------------------------------------------------------

	private syncRun(key: string): void {
		const [namespace, name] = splitKey(key);
		const {store, clock} = this.ctx;
		const run = store.get(RUNS, namespace, name);
		if (!run) {
			this.runQueue.forget(key);
			return;
		}
		const phase = run.status?.phase;
		if (terminal.has(phase)) return;
		const now = clock.now();
		const stamp = nowIso(now);
		const status = clone(run.status ?? {});
		status.startedAt ??= stamp;
		let times = this.runTimes.get(run.metadata.uid ?? '');
		if (!times) {
			const parsed = Date.parse(status.startedAt);
			times = {started: Number.isFinite(parsed) && run.status?.startedAt ? parsed : now, measured: new Map()};
			this.runTimes.set(run.metadata.uid ?? '', times);
		}
		if (run.spec?.terminate === true) {
			status.phase = 'Successful';
			status.message = 'Run Terminated';
			for (const r of status.metricResults ?? []) if (!terminal.has(r.phase)) r.phase = 'Successful';
			store.update(RUNS, {...run, status}, {subresource: 'status'});
			return;
		}
		const metrics: any[] = Array.isArray(run.spec?.metrics) ? run.spec.metrics : [];
		const results: any[] = Array.isArray(status.metricResults) ? status.metricResults : [];
		let nextIn: number | undefined;
		const value = this.measuredErrorRate(run);
		for (const metric of metrics) {
			let result = results.find(r => r.name === metric.name);
			if (!result) {
				result = {name: metric.name, phase: 'Running', measurements: [], count: 0, successful: 0, failed: 0, inconclusive: 0, error: 0, consecutiveError: 0};
				results.push(result);
			}
			if (terminal.has(result.phase)) continue;
			const interval = durationSeconds(metric.interval);
			const count = typeof metric.count === 'number' ? metric.count : Number.parseInt(String(metric.count ?? ''), 10);
			const limit = Number.isFinite(count) ? count : interval === undefined ? 1 : undefined;
			const delay = durationSeconds(metric.initialDelay) ?? 0;
			const last = result.measurements.at(-1);
			const lastAt = times.measured.get(metric.name) ?? (last ? Date.parse(last.finishedAt) : Number.NaN);
			let dueAt = last ? lastAt + clock.toMs(interval ?? 0) : times.started + clock.toMs(delay);
			if (!Number.isFinite(dueAt)) dueAt = now;
			if ((limit === undefined || result.count < limit) && now >= dueAt) {
				const measured = assess(metric, value);
				const valueText = `[${formatValue(value)}]`;
				result.measurements.push({phase: measured, value: valueText, startedAt: stamp, finishedAt: stamp});
				const keep = typeof run.spec?.measurementRetention?.[0]?.limit === 'number' ? run.spec.measurementRetention[0].limit : measurementHistory;
				if (result.measurements.length > keep) result.measurements.splice(0, result.measurements.length - keep);
				result.count++;
				result[measured.toLowerCase()]++;
				times.measured.set(metric.name, now);
				result.consecutiveError = measured === 'Error' ? result.consecutiveError + 1 : 0;
				dueAt = now + clock.toMs(interval ?? 0);
			}
			const failureLimit = typeof metric.failureLimit === 'number' ? metric.failureLimit : 0;
			const inconclusiveLimit = typeof metric.inconclusiveLimit === 'number' ? metric.inconclusiveLimit : 0;
			const errorLimit = typeof metric.consecutiveErrorLimit === 'number' ? metric.consecutiveErrorLimit : 4;
			if (result.failed > failureLimit) {
				result.phase = 'Failed';
				result.message = `Metric "${metric.name}" assessed Failed due to failed (${result.failed}) > failureLimit (${failureLimit})`;
			} else if (result.inconclusive > inconclusiveLimit) {
				result.phase = 'Inconclusive';
				result.message = `Metric "${metric.name}" assessed Inconclusive due to inconclusive (${result.inconclusive}) > inconclusiveLimit (${inconclusiveLimit})`;
			} else if (result.consecutiveError > errorLimit) {
				result.phase = 'Error';
				result.message = `Metric "${metric.name}" assessed Error due to consecutiveErrors (${result.consecutiveError}) > consecutiveErrorLimit (${errorLimit})`;
			} else if (limit !== undefined && result.count >= limit) {
				result.phase = 'Successful';
			} else {
				nextIn = Math.min(nextIn ?? Infinity, Math.max(0, dueAt - now));
			}
		}
		status.metricResults = results;
		const phases = results.map(r => r.phase);
		const failed = results.find(r => r.phase === 'Failed' || r.phase === 'Error');
		if (failed) {
			status.phase = failed.phase;
			status.message = failed.message;
		} else if (phases.includes('Inconclusive')) {
			status.phase = 'Inconclusive';
			status.message = results.find(r => r.phase === 'Inconclusive')?.message;
		} else if (results.length === metrics.length && phases.every(p => p === 'Successful')) {
			status.phase = 'Successful';
			delete status.message;
		} else {
			status.phase = 'Running';
			delete status.message;
		}
		if (metrics.length === 0) {
			status.phase = 'Successful';
			status.message = 'No metrics to measure';
		}
		if (!deepEqual(status, run.status)) store.update(RUNS, {...run, status}, {subresource: 'status'});
		if (!terminal.has(status.phase) && nextIn !== undefined) this.runQueue.addAfter(key, nextIn / clock.toMs(1) + 0.01);
	}

	/** The error ratio the run measures: the annotation of the pod template of the ReplicaSet it analyses. */
	private measuredErrorRate(run: KObject): number {
		const hash = run.metadata.labels?.[rolloutHashLabel];
		const owner = controllerRef(run, 'Rollout');
		const namespace = run.metadata.namespace;
		let template: any;
		if (owner && hash) {
			const rs = this.ctx.store.get(REPLICASETS, namespace, `${owner.name}-${hash}`);
			template = rs?.spec?.template;
		}
		if (!template && owner) template = this.ctx.store.get(ROLLOUTS, namespace, owner.name)?.spec?.template;
		const raw = template?.metadata?.annotations?.[errorRateAnnotation];
		const v = firstNumber(raw);
		return Number.isFinite(v) ? v : 0;
	}
}

function formatValue(v: number): string {
	return Number.isInteger(v) ? String(v) : String(Number(v.toPrecision(6)));
}

/** The step as the plugin names it: `setWeight: 20`, `pause: 30s`, `analysis`. */
export function stepLabel(step: Step): string {
	if (typeof step.setWeight === 'number') return `setWeight: ${step.setWeight}`;
	if (step.pause !== undefined) return step.pause?.duration !== undefined ? `pause: ${step.pause.duration}` : 'pause';
	const kind = Object.keys(step)[0];
	return kind ?? 'step';
}

/** CalculateRolloutPhase (utils/rollout/rolloututil.go), for the status the controller writes. */
export function rolloutPhase(ro: KObject, status: any, replicas: number, revision: number): {phase: string; message: string} {
	if (status.abort === true) {
		const analysis = status.canary?.currentStepAnalysisRunStatus ?? status.canary?.currentBackgroundAnalysisRunStatus;
		const why = analysis && (analysis.status === 'Failed' || analysis.status === 'Error') && analysis.message ? `: ${analysis.message}` : '';
		return {phase: 'Degraded', message: `RolloutAborted: Rollout aborted update to revision ${revision}${why}`};
	}
	if (ro.spec?.paused === true) return {phase: 'Paused', message: 'manually paused'};
	if (Array.isArray(status.pauseConditions) && status.pauseConditions.length > 0) return {phase: 'Paused', message: String(status.pauseConditions[0].reason)};
	if (num(status.updatedReplicas) < replicas) return {phase: 'Progressing', message: 'more replicas need to be updated'};
	if (num(status.availableReplicas) < num(status.updatedReplicas)) return {phase: 'Progressing', message: 'updated replicas are still becoming available'};
	const blueGreen = ro.spec?.strategy?.blueGreen !== undefined && ro.spec?.strategy?.blueGreen !== null;
	if (blueGreen) {
		if (status.blueGreen?.activeSelector !== status.currentPodHash) return {phase: 'Progressing', message: 'active service cutover pending'};
		if (status.stableRS !== status.currentPodHash) return {phase: 'Progressing', message: 'waiting for analysis to complete'};
	} else if (status.stableRS !== status.currentPodHash) {
		return {phase: 'Progressing', message: 'waiting for all steps to complete'};
	}
	if (num(status.replicas) > num(status.updatedReplicas)) return {phase: 'Progressing', message: 'old replicas are pending termination'};
	return {phase: 'Healthy', message: ''};
}
