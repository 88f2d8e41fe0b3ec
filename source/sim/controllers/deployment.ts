// The Deployment controller, after pkg/controller/deployment (sync.go, rolling.go, recreate.go,
// progress.go, util/deployment_util.go): ReplicaSets named by pod-template-hash, revision
// annotations, rolling and recreate rollouts, proportional scaling, pause, progress deadline,
// history cleanup, and status with Available/Progressing conditions.
import {clone, deepEqual, nowIso, type KObject} from '../object.js';
import type {Change} from '../store.js';
import {deploymentSpec, type DeploymentSpecView} from './defaults.js';
import {recordEvent} from './events.js';
import {computeHash, podTemplateHashLabel, pruneEmpty} from './hash.js';
import {replicaSetReplicas} from './replicaset.js';
import {
	controllerRef,
	controllerRefTo,
	creationOrder,
	getCondition,
	isControlledBy,
	keyOf,
	num,
	OwnerIndex,
	QueueController,
	removeCondition,
	Requeue,
	roundHalfAway,
	scaledValue,
	splitKey,
	type Condition,
	type Context,
} from './util.js';

export const revisionAnnotation = 'deployment.kubernetes.io/revision';
export const revisionHistoryAnnotation = 'deployment.kubernetes.io/revision-history';
export const desiredReplicasAnnotation = 'deployment.kubernetes.io/desired-replicas';
export const maxReplicasAnnotation = 'deployment.kubernetes.io/max-replicas';
export const lastAppliedAnnotation = 'kubectl.kubernetes.io/last-applied-configuration';
export const rollbackToAnnotation = 'deprecated.deployment.rollback.to';

const annotationsToSkip = new Set([lastAppliedAnnotation, revisionAnnotation, revisionHistoryAnnotation, desiredReplicasAnnotation, maxReplicasAnnotation, rollbackToAnnotation]);

/** Longest revision-history annotation kept (maxRevHistoryLengthInChars). */
const maxRevisionHistoryChars = 2000;

// Reasons of the Progressing and Available conditions (deploymentutil).
export const reasons = {
	newReplicaSetCreated: 'NewReplicaSetCreated',
	foundNewReplicaSet: 'FoundNewReplicaSet',
	newReplicaSetAvailable: 'NewReplicaSetAvailable',
	replicaSetUpdated: 'ReplicaSetUpdated',
	timedOut: 'ProgressDeadlineExceeded',
	paused: 'DeploymentPaused',
	resumed: 'DeploymentResumed',
	minimumReplicasAvailable: 'MinimumReplicasAvailable',
	minimumReplicasUnavailable: 'MinimumReplicasUnavailable',
} as const;

// --- Pure helpers (deployment_util.go) -----------------------------------------------------

/** ResolveFenceposts: surge rounds up, unavailable down; both 0 means unavailable 1. */
export function resolveFenceposts(spec: DeploymentSpecView): {surge: number; unavailable: number} {
	const surge = scaledValue(spec.maxSurge, spec.replicas, true);
	let unavailable = scaledValue(spec.maxUnavailable, spec.replicas, false);
	if (surge === 0 && unavailable === 0) unavailable = 1;
	return {surge, unavailable};
}

export function maxSurge(spec: DeploymentSpecView): number {
	return spec.strategy === 'RollingUpdate' ? resolveFenceposts(spec).surge : 0;
}

export function maxUnavailable(spec: DeploymentSpecView): number {
	if (spec.strategy !== 'RollingUpdate' || spec.replicas === 0) return 0;
	return Math.min(resolveFenceposts(spec).unavailable, spec.replicas);
}

const sumSpec = (list: KObject[]) => list.reduce((n, rs) => n + replicaSetReplicas(rs), 0);
const sumStatus = (list: KObject[], field: string) => list.reduce((n, rs) => n + num(rs.status?.[field]), 0);
const isActive = (rs: KObject) => replicaSetReplicas(rs) > 0;

export function revisionOf(o: KObject | undefined): number {
	const v = Number.parseInt(o?.metadata.annotations?.[revisionAnnotation] ?? '', 10);
	return Number.isFinite(v) ? v : 0;
}

/** A pod template without the pod-template-hash label and empty values, for comparisons (EqualIgnoreHash). */
function withoutHash(template: any): unknown {
	const t = clone(template ?? {});
	if (t.metadata?.labels) delete t.metadata.labels[podTemplateHashLabel];
	return pruneEmpty(t);
}

export function equalIgnoreHash(a: any, b: any): boolean {
	return deepEqual(withoutHash(a), withoutHash(b));
}

/** NewRSNewReplicas: how big the new ReplicaSet may be now. */
function newRSNewReplicas(spec: DeploymentSpecView, allRSs: KObject[], newRS: KObject): number {
	if (spec.strategy === 'Recreate') return spec.replicas;
	const surge = scaledValue(spec.maxSurge, spec.replicas, true);
	const current = sumSpec(allRSs);
	const maxTotal = spec.replicas + surge;
	const newReplicas = replicaSetReplicas(newRS);
	if (current >= maxTotal) return newReplicas;
	const up = Math.min(maxTotal - current, spec.replicas - newReplicas);
	return newReplicas + up;
}

function annotationInt(rs: KObject, key: string): number | undefined {
	const raw = rs.metadata.annotations?.[key];
	if (raw === undefined) return undefined;
	const v = Number.parseInt(raw, 10);
	return Number.isFinite(v) ? v : undefined;
}

function setReplicasAnnotations(rs: KObject, desired: number, max: number): boolean {
	const a = (rs.metadata.annotations ??= {});
	let changed = false;
	if (a[desiredReplicasAnnotation] !== String(desired)) {
		a[desiredReplicasAnnotation] = String(desired);
		changed = true;
	}
	if (a[maxReplicasAnnotation] !== String(max)) {
		a[maxReplicasAnnotation] = String(max);
		changed = true;
	}
	return changed;
}

function replicasAnnotationsNeedUpdate(rs: KObject, desired: number, max: number): boolean {
	const a = rs.metadata.annotations ?? {};
	return a[desiredReplicasAnnotation] !== String(desired) || a[maxReplicasAnnotation] !== String(max);
}

function copyAnnotations(d: KObject, rs: KObject): boolean {
	const a = (rs.metadata.annotations ??= {});
	let changed = false;
	for (const [k, v] of Object.entries(d.metadata.annotations ?? {})) {
		if (annotationsToSkip.has(k) || a[k] === v) continue;
		a[k] = v;
		changed = true;
	}
	return changed;
}

/** SetNewReplicaSetAnnotations. */
function setNewReplicaSetAnnotations(d: KObject, spec: DeploymentSpecView, rs: KObject, newRevision: number, exists: boolean): boolean {
	let changed = copyAnnotations(d, rs);
	const a = (rs.metadata.annotations ??= {});
	const oldRevision = a[revisionAnnotation];
	let oldRevisionInt = 0;
	if (oldRevision !== undefined && oldRevision !== '') {
		oldRevisionInt = Number.parseInt(oldRevision, 10);
		if (!Number.isFinite(oldRevisionInt)) return false;
	}
	if (oldRevisionInt < newRevision) {
		a[revisionAnnotation] = String(newRevision);
		changed = true;
		// An existing revision moving up: a rollback to this ReplicaSet. Keep its old number.
		if (oldRevision !== undefined && oldRevision !== '') {
			const history = a[revisionHistoryAnnotation] ?? '';
			if (history === '') {
				a[revisionHistoryAnnotation] = oldRevision;
			} else {
				let old = history.split(',');
				let total = history.length + oldRevision.length + 1;
				let start = 0;
				while (total > maxRevisionHistoryChars && start < old.length) {
					total -= old[start]!.length + 1;
					start++;
				}
				if (total <= maxRevisionHistoryChars) {
					old = [...old.slice(start), oldRevision];
					a[revisionHistoryAnnotation] = old.join(',');
				}
			}
		}
	}
	if (!exists && setReplicasAnnotations(rs, spec.replicas, spec.replicas + maxSurge(spec))) changed = true;
	return changed;
}

function newCondition(type: string, status: Condition['status'], reason: string, message: string, stamp: string): Condition {
	return {type, status, lastUpdateTime: stamp, lastTransitionTime: stamp, reason, message};
}

/** SetDeploymentCondition: no change for the same status and reason; lastTransitionTime kept while status stays. */
function setCondition(status: any, condition: Condition): boolean {
	const list: Condition[] = Array.isArray(status.conditions) ? status.conditions : [];
	const current = list.find(c => c.type === condition.type);
	if (current && current.status === condition.status && current.reason === condition.reason) return false;
	if (current && current.status === condition.status) condition.lastTransitionTime = current.lastTransitionTime;
	status.conditions = [...list.filter(c => c.type !== condition.type), condition];
	return true;
}

/** Fields of DeploymentStatus that are omitted when zero (omitempty). */
const omitEmpty = ['observedGeneration', 'replicas', 'updatedReplicas', 'readyReplicas', 'availableReplicas', 'unavailableReplicas'];

function compactStatus(status: any): any {
	for (const k of omitEmpty) if (!status[k]) delete status[k];
	if (Array.isArray(status.conditions) && status.conditions.length === 0) delete status.conditions;
	if (status.collisionCount === undefined) delete status.collisionCount;
	return status;
}

function deploymentComplete(d: KObject, spec: DeploymentSpecView, status: any): boolean {
	return num(status?.updatedReplicas) === spec.replicas
		&& num(status?.replicas) === spec.replicas
		&& num(status?.availableReplicas) === spec.replicas
		&& num(status?.observedGeneration) >= num(d.metadata.generation);
}

function deploymentProgressing(d: KObject, newStatus: any): boolean {
	const old = d.status ?? {};
	const oldOld = num(old.replicas) - num(old.updatedReplicas);
	const newOld = num(newStatus.replicas) - num(newStatus.updatedReplicas);
	return num(newStatus.updatedReplicas) > num(old.updatedReplicas)
		|| newOld < oldOld
		|| num(newStatus.readyReplicas) > num(old.readyReplicas)
		|| num(newStatus.availableReplicas) > num(old.availableReplicas);
}

/** One sync's view of a Deployment: the latest stored object and its defaulted spec. */
type SyncState = {d: KObject; spec: DeploymentSpecView};

export class DeploymentController extends QueueController {
	private readonly replicaSets = new OwnerIndex('Deployment');
	/** Deployment uid → when (real ms) we last wrote the Progressing condition's lastUpdateTime. */
	private readonly progressStamps = new Map<string, {time: string; ms: number}>();

	constructor(ctx: Context) {
		super(ctx, 'deployment');
	}

	protected subscriptions(): Array<[string, (change: Change) => void]> {
		return [
			['apps/deployments', change => this.onDeployment(change)],
			['apps/replicasets', change => this.onReplicaSet(change)],
		];
	}

	resync(): void {
		this.replicaSets.reset(this.ctx.store.list('apps/replicasets'));
		for (const d of this.ctx.store.list('apps/deployments')) this.queue.add(keyOf(d));
	}

	private onDeployment(change: Change): void {
		this.queueChange(change, uid => this.progressStamps.delete(uid));
	}

	private onReplicaSet(change: Change): void {
		this.replicaSets.apply(change);
		const ref = controllerRef(change.object, 'Deployment');
		if (ref) this.queue.add(`${change.object.metadata.namespace ?? ''}/${ref.name}`);
	}

	// --- Sync -----------------------------------------------------------------------------------

	protected sync(key: string): void {
		const [namespace, name] = splitKey(key);
		const d = this.ctx.store.get('apps/deployments', namespace, name);
		if (!d) {
			this.queue.forget(key);
			return;
		}
		const s: SyncState = {d, spec: deploymentSpec(d)};
		if (d.metadata.deletionTimestamp) {
			this.syncStatusOnly(s);
			return;
		}
		this.checkPausedConditions(s);
		if (s.spec.paused) {
			this.syncScale(s);
			return;
		}
		if (this.isScalingEvent(s)) {
			this.syncScale(s);
			return;
		}
		if (s.spec.strategy === 'Recreate') this.rolloutRecreate(s);
		else this.rolloutRolling(s);
	}

	private now(): number {
		return this.ctx.clock.now();
	}

	/** The ReplicaSets this Deployment controls, oldest first. */
	private replicaSetsOf(d: KObject): KObject[] {
		return this.replicaSets.owned(d.metadata.uid).filter(rs => isControlledBy(rs, d)).sort(creationOrder(this.replicaSets));
	}

	/** The stored version of a ReplicaSet we hold (it may have changed during this sync). */
	private fresh(rs: KObject): KObject {
		return this.ctx.store.get('apps/replicasets', rs.metadata.namespace, rs.metadata.name!) ?? rs;
	}

	private writeStatus(s: SyncState, status: any): void {
		if (deepEqual(status, s.d.status)) return;
		s.d = this.ctx.store.update('apps/deployments', {...s.d, status}, {subresource: 'status'});
		const progressing = getCondition(status, 'Progressing');
		const stamp = this.progressStamps.get(s.d.metadata.uid!);
		if (progressing?.lastUpdateTime && (!stamp || stamp.time !== progressing.lastUpdateTime)) {
			// A condition written from elsewhere: its whole-second time is all we have.
			const parsed = Date.parse(progressing.lastUpdateTime);
			this.progressStamps.set(s.d.metadata.uid!, {time: progressing.lastUpdateTime, ms: Number.isFinite(parsed) ? parsed : this.now()});
		}
	}

	/** Set the Progressing condition, remembering the precise time for the deadline. */
	private setProgressing(s: SyncState, status: any, condition: Condition): boolean {
		const changed = setCondition(status, condition);
		if (changed) this.progressStamps.set(s.d.metadata.uid!, {time: condition.lastUpdateTime!, ms: this.now()});
		return changed;
	}

	/** SetDeploymentRevision, written at once (a status write would not keep annotations here). */
	private setDeploymentRevision(s: SyncState, revision: string): void {
		if (s.d.metadata.annotations?.[revisionAnnotation] === revision) return;
		s.d = this.ctx.store.mutate('apps/deployments', s.d.metadata.namespace, s.d.metadata.name!, o => {
			o.metadata.annotations = {...o.metadata.annotations, [revisionAnnotation]: revision};
		});
	}

	private checkPausedConditions(s: SyncState): void {
		if (s.spec.progressDeadlineSeconds === undefined) return;
		const cond = getCondition(s.d.status, 'Progressing');
		if (cond?.reason === reasons.timedOut) return;
		const pausedCondExists = cond?.reason === reasons.paused;
		const stamp = nowIso(this.now());
		const status = clone(s.d.status ?? {});
		if (s.spec.paused && !pausedCondExists) {
			this.setProgressing(s, status, newCondition('Progressing', 'Unknown', reasons.paused, 'Deployment is paused', stamp));
		} else if (!s.spec.paused && pausedCondExists) {
			this.setProgressing(s, status, newCondition('Progressing', 'Unknown', reasons.resumed, 'Deployment is resumed', stamp));
		} else {
			return;
		}
		this.writeStatus(s, status);
	}

	/** getAllReplicaSetsAndSyncRevision: the new ReplicaSet (created if asked) and the old ones. */
	private getAll(s: SyncState, create: boolean): {newRS: KObject | undefined; oldRSs: KObject[]} {
		const rsList = this.replicaSetsOf(s.d);
		const existing = rsList.find(rs => equalIgnoreHash(rs.spec?.template, s.d.spec?.template));
		const oldRSs = rsList.filter(rs => rs !== existing);
		const newRS = this.getNewReplicaSet(s, existing, oldRSs, create);
		return {newRS, oldRSs};
	}

	private getNewReplicaSet(s: SyncState, existing: KObject | undefined, oldRSs: KObject[], create: boolean): KObject | undefined {
		const {store} = this.ctx;
		const newRevision = Math.max(0, ...oldRSs.map(revisionOf)) + 1;
		if (existing) {
			const copy = clone(existing);
			const annotationsUpdated = setNewReplicaSetAnnotations(s.d, s.spec, copy, newRevision, true);
			const minReadyNeedsUpdate = num(copy.spec?.minReadySeconds) !== s.spec.minReadySeconds;
			if (annotationsUpdated || minReadyNeedsUpdate) {
				copy.spec = {...copy.spec};
				if (s.spec.minReadySeconds > 0) copy.spec.minReadySeconds = s.spec.minReadySeconds;
				else delete copy.spec.minReadySeconds;
				return store.update('apps/replicasets', copy);
			}
			this.setDeploymentRevision(s, copy.metadata.annotations?.[revisionAnnotation] ?? String(newRevision));
			if (s.spec.progressDeadlineSeconds !== undefined && !getCondition(s.d.status, 'Progressing')) {
				const status = clone(s.d.status ?? {});
				this.setProgressing(s, status, newCondition('Progressing', 'True', reasons.foundNewReplicaSet, `Found new replica set "${copy.metadata.name}"`, nowIso(this.now())));
				this.writeStatus(s, status);
			}
			return existing;
		}
		if (!create) return undefined;

		const d = s.d;
		const template = clone(d.spec?.template ?? {});
		const hash = computeHash(template, d.status?.collisionCount);
		template.metadata = {...template.metadata, labels: {...template.metadata?.labels, [podTemplateHashLabel]: hash}};
		const selector = clone(d.spec?.selector ?? {});
		selector.matchLabels = {...selector.matchLabels, [podTemplateHashLabel]: hash};
		const rs: KObject = {
			apiVersion: 'apps/v1',
			kind: 'ReplicaSet',
			metadata: {
				name: `${d.metadata.name}-${hash}`,
				namespace: d.metadata.namespace,
				labels: {...template.metadata.labels},
				ownerReferences: [controllerRefTo(d)],
			},
			spec: {replicas: 0, ...(s.spec.minReadySeconds > 0 ? {minReadySeconds: s.spec.minReadySeconds} : {}), selector, template},
		};
		const newReplicas = newRSNewReplicas(s.spec, [...oldRSs, rs], rs);
		rs.spec.replicas = newReplicas;
		setNewReplicaSetAnnotations(d, s.spec, rs, newRevision, false);

		let created: KObject;
		let alreadyExists = false;
		const clash = store.get('apps/replicasets', d.metadata.namespace, rs.metadata.name!);
		if (clash) {
			if (isControlledBy(clash, d) && equalIgnoreHash(clash.spec?.template, d.spec?.template)) {
				created = clash;
				alreadyExists = true;
			} else {
				// A hash collision: try the next hash.
				const status = clone(d.status ?? {});
				status.collisionCount = num(status.collisionCount) + 1;
				this.writeStatus(s, status);
				throw new Requeue('pod-template-hash collision');
			}
		} else {
			created = store.create('apps/replicasets', rs);
		}
		if (!alreadyExists && newReplicas > 0) {
			this.event(s, 'Normal', 'ScalingReplicaSet', `Scaled up replica set ${created.metadata.name} from 0 to ${newReplicas}`);
		}
		this.setDeploymentRevision(s, String(newRevision));
		if (!alreadyExists && s.spec.progressDeadlineSeconds !== undefined) {
			const status = clone(s.d.status ?? {});
			this.setProgressing(s, status, newCondition('Progressing', 'True', reasons.newReplicaSetCreated, `Created new replica set "${created.metadata.name}"`, nowIso(this.now())));
			this.writeStatus(s, status);
		}
		return created;
	}

	private event(s: SyncState, type: 'Normal' | 'Warning', reason: string, message: string): void {
		recordEvent(this.ctx.store, s.d, type, reason, message, 'deployment-controller', {now: this.now()});
	}

	/** scaleReplicaSet: size and the desired/max annotations; an event when the size changes. */
	private scaleReplicaSet(s: SyncState, rs: KObject, newScale: number, operation?: 'up' | 'down'): {scaled: boolean; rs: KObject} {
		const current = this.fresh(rs);
		const oldScale = replicaSetReplicas(current);
		const desired = s.spec.replicas;
		const max = desired + maxSurge(s.spec);
		const sizeNeedsUpdate = oldScale !== newScale;
		if (!sizeNeedsUpdate && !replicasAnnotationsNeedUpdate(current, desired, max)) return {scaled: false, rs: current};
		const updated = this.ctx.store.mutate('apps/replicasets', current.metadata.namespace, current.metadata.name!, o => {
			o.spec = {...o.spec, replicas: newScale};
			setReplicasAnnotations(o, desired, max);
		});
		if (sizeNeedsUpdate) {
			const op = operation ?? (oldScale < newScale ? 'up' : 'down');
			this.event(s, 'Normal', 'ScalingReplicaSet', `Scaled ${op} replica set ${updated.metadata.name} from ${oldScale} to ${newScale}`);
		}
		return {scaled: sizeNeedsUpdate, rs: updated};
	}

	private scaleAndRecord(s: SyncState, rs: KObject, newScale: number): {scaled: boolean; rs: KObject} {
		if (replicaSetReplicas(this.fresh(rs)) === newScale) return {scaled: false, rs};
		return this.scaleReplicaSet(s, rs, newScale);
	}

	private isScalingEvent(s: SyncState): boolean {
		const {newRS, oldRSs} = this.getAll(s, false);
		for (const rs of [...oldRSs, ...(newRS ? [newRS] : [])].map(r => this.fresh(r)).filter(isActive)) {
			const desired = annotationInt(rs, desiredReplicasAnnotation);
			if (desired === undefined) continue;
			if (desired !== s.spec.replicas) return true;
		}
		return false;
	}

	// --- Scaling (sync.go: sync, scale) ---------------------------------------------------------

	private syncScale(s: SyncState): void {
		const {newRS, oldRSs} = this.getAll(s, false);
		this.scale(s, newRS, oldRSs);
		if (s.spec.paused) this.cleanup(s, oldRSs);
		this.syncDeploymentStatus(s, newRS);
	}

	private scale(s: SyncState, newRS: KObject | undefined, oldRSs: KObject[]): void {
		const spec = s.spec;
		const olds = oldRSs.map(rs => this.fresh(rs));
		const current = newRS ? this.fresh(newRS) : undefined;
		// FindActiveOrLatest
		const newestFirst = [...olds].reverse();
		const active = [...newestFirst, ...(current ? [current] : [])].filter(isActive);
		if (current || olds.length > 0) {
			let activeOrLatest: KObject | undefined;
			if (active.length === 0) activeOrLatest = current ?? newestFirst[0];
			else if (active.length === 1) activeOrLatest = active[0];
			if (activeOrLatest) {
				if (replicaSetReplicas(activeOrLatest) !== spec.replicas) this.scaleAndRecord(s, activeOrLatest, spec.replicas);
				return;
			}
		}
		// A saturated new ReplicaSet: old ones go to zero.
		if (current && replicaSetReplicas(current) === spec.replicas && annotationInt(current, desiredReplicasAnnotation) === spec.replicas && num(current.status?.availableReplicas) === spec.replicas) {
			for (const old of olds.filter(isActive)) this.scaleAndRecord(s, old, 0);
			return;
		}
		if (spec.strategy !== 'RollingUpdate') return;
		// Proportional scaling across the active ReplicaSets.
		const all = [...olds, ...(current ? [current] : [])].filter(isActive);
		const allReplicas = sumSpec(all);
		const allowedSize = spec.replicas > 0 ? spec.replicas + maxSurge(spec) : 0;
		const toAdd = allowedSize - allReplicas;
		let operation: 'up' | 'down' | undefined;
		const order = creationOrder(this.replicaSets);
		if (toAdd > 0) {
			all.sort((a, b) => replicaSetReplicas(b) - replicaSetReplicas(a) || order(b, a));
			operation = 'up';
		} else if (toAdd < 0) {
			all.sort((a, b) => replicaSetReplicas(b) - replicaSetReplicas(a) || order(a, b));
			operation = 'down';
		}
		let added = 0;
		const sizes = new Map<string, number>();
		for (const rs of all) {
			if (toAdd !== 0) {
				const proportion = this.proportion(s, rs, toAdd, added);
				sizes.set(rs.metadata.name!, replicaSetReplicas(rs) + proportion);
				added += proportion;
			} else {
				sizes.set(rs.metadata.name!, replicaSetReplicas(rs));
			}
		}
		all.forEach((rs, i) => {
			const name = rs.metadata.name!;
			if (i === 0 && toAdd !== 0) sizes.set(name, Math.max(0, sizes.get(name)! + toAdd - added));
			this.scaleReplicaSet(s, rs, sizes.get(name)!, operation);
		});
	}

	/** GetProportion / getReplicaSetFraction. */
	private proportion(s: SyncState, rs: KObject, toAdd: number, added: number): number {
		const replicas = replicaSetReplicas(rs);
		if (replicas === 0 || toAdd === 0 || toAdd === added) return 0;
		let fraction: number;
		if (s.spec.replicas === 0) {
			fraction = -replicas;
		} else {
			const maxReplicas = s.spec.replicas + maxSurge(s.spec);
			let before = annotationInt(rs, maxReplicasAnnotation) ?? 0;
			if (before === 0) before = num(s.d.status?.replicas);
			fraction = before === 0 ? 0 : roundHalfAway((replicas * maxReplicas) / before) - replicas;
		}
		const allowed = toAdd - added;
		return toAdd > 0 ? Math.min(fraction, allowed) : Math.max(fraction, allowed);
	}

	// --- Rolling update (rolling.go) -------------------------------------------------------------

	private rolloutRolling(s: SyncState): void {
		const {newRS, oldRSs} = this.getAll(s, true);
		if (!newRS) return;
		const allRSs = [...oldRSs, newRS];
		if (this.reconcileNewReplicaSet(s, allRSs, newRS)) {
			this.syncRolloutStatus(s, newRS);
			return;
		}
		if (this.reconcileOldReplicaSets(s, allRSs, oldRSs.filter(isActive), newRS)) {
			this.syncRolloutStatus(s, newRS);
			return;
		}
		if (deploymentComplete(s.d, s.spec, s.d.status)) this.cleanup(s, oldRSs);
		this.syncRolloutStatus(s, newRS);
	}

	private reconcileNewReplicaSet(s: SyncState, allRSs: KObject[], newRS: KObject): boolean {
		const replicas = replicaSetReplicas(newRS);
		if (replicas === s.spec.replicas) return false;
		if (replicas > s.spec.replicas) return this.scaleAndRecord(s, newRS, s.spec.replicas).scaled;
		return this.scaleAndRecord(s, newRS, newRSNewReplicas(s.spec, allRSs, newRS)).scaled;
	}

	private reconcileOldReplicaSets(s: SyncState, allRSs: KObject[], oldRSs: KObject[], newRS: KObject): boolean {
		if (sumSpec(oldRSs) === 0) return false;
		const allPods = sumSpec(allRSs);
		const minAvailable = s.spec.replicas - maxUnavailable(s.spec);
		const newUnavailable = replicaSetReplicas(newRS) - num(newRS.status?.availableReplicas);
		const maxScaledDown = allPods - minAvailable - newUnavailable;
		if (maxScaledDown <= 0) return false;
		const {oldRSs: olds, count: cleaned} = this.cleanupUnhealthyReplicas(s, oldRSs, maxScaledDown);
		const scaledDown = this.scaleDownOldForRollingUpdate(s, [...olds, newRS], olds);
		return cleaned + scaledDown > 0;
	}

	private cleanupUnhealthyReplicas(s: SyncState, oldRSs: KObject[], maxCleanup: number): {oldRSs: KObject[]; count: number} {
		const olds = [...oldRSs].sort(creationOrder(this.replicaSets));
		let total = 0;
		for (let i = 0; i < olds.length; i++) {
			if (total >= maxCleanup) break;
			const rs = olds[i]!;
			const replicas = replicaSetReplicas(rs);
			const available = num(rs.status?.availableReplicas);
			if (replicas === 0 || replicas === available) continue;
			const count = Math.min(maxCleanup - total, replicas - available);
			if (count <= 0) continue;
			olds[i] = this.scaleAndRecord(s, rs, replicas - count).rs;
			total += count;
		}
		return {oldRSs: olds, count: total};
	}

	private scaleDownOldForRollingUpdate(s: SyncState, allRSs: KObject[], oldRSs: KObject[]): number {
		const minAvailable = s.spec.replicas - maxUnavailable(s.spec);
		const available = sumStatus(allRSs, 'availableReplicas');
		if (available <= minAvailable) return 0;
		const olds = [...oldRSs].sort(creationOrder(this.replicaSets));
		const target = available - minAvailable;
		let total = 0;
		for (const rs of olds) {
			if (total >= target) break;
			const replicas = replicaSetReplicas(rs);
			if (replicas === 0) continue;
			const count = Math.min(replicas, target - total);
			this.scaleAndRecord(s, rs, replicas - count);
			total += count;
		}
		return total;
	}

	// --- Recreate (recreate.go) ------------------------------------------------------------------

	private rolloutRecreate(s: SyncState): void {
		let {newRS, oldRSs} = this.getAll(s, false);
		let scaledDown = false;
		for (const rs of oldRSs.filter(isActive)) if (this.scaleAndRecord(s, rs, 0).scaled) scaledDown = true;
		if (scaledDown || this.oldPodsRunning(newRS, oldRSs)) {
			this.syncRolloutStatus(s, newRS);
			return;
		}
		if (!newRS) ({newRS, oldRSs} = this.getAll(s, true));
		if (newRS) this.scaleAndRecord(s, newRS, s.spec.replicas);
		if (deploymentComplete(s.d, s.spec, s.d.status)) this.cleanup(s, oldRSs);
		this.syncRolloutStatus(s, newRS);
	}

	private oldPodsRunning(newRS: KObject | undefined, oldRSs: KObject[]): boolean {
		const olds = oldRSs.map(rs => this.fresh(rs));
		if (sumStatus(olds, 'replicas') > 0) return true;
		for (const rs of olds) {
			if (rs.metadata.uid === newRS?.metadata.uid) continue;
			const pods = this.ctx.pods.owned(rs.metadata.uid);
			if (pods.some(p => p.status?.phase !== 'Failed' && p.status?.phase !== 'Succeeded')) return true;
		}
		return false;
	}

	// --- Cleanup (sync.go: cleanupDeployment) -------------------------------------------------

	private cleanup(s: SyncState, oldRSs: KObject[]): void {
		const limit = s.spec.revisionHistoryLimit;
		if (limit === undefined) return;
		const cleanable = oldRSs.map(rs => this.fresh(rs)).filter(rs => !rs.metadata.deletionTimestamp && this.ctx.store.get('apps/replicasets', rs.metadata.namespace, rs.metadata.name!));
		const diff = cleanable.length - Math.max(0, limit);
		if (diff <= 0) return;
		const order = creationOrder(this.replicaSets);
		cleanable.sort((a, b) => revisionOf(a) - revisionOf(b) || order(a, b));
		for (const rs of cleanable.slice(0, diff)) {
			if (num(rs.status?.replicas) !== 0 || replicaSetReplicas(rs) !== 0 || num(rs.metadata.generation) > num(rs.status?.observedGeneration)) continue;
			this.ctx.store.delete('apps/replicasets', rs.metadata.namespace, rs.metadata.name!);
		}
	}

	// --- Status (sync.go: calculateStatus, progress.go: syncRolloutStatus) ---------------------

	private calculateStatus(s: SyncState, newRS: KObject | undefined): any {
		const all = this.replicaSetsOf(s.d);
		const current = newRS ? all.find(rs => rs.metadata.uid === newRS.metadata.uid) : undefined;
		const available = sumStatus(all, 'availableReplicas');
		const total = sumSpec(all);
		const status: any = {
			observedGeneration: s.d.metadata.generation,
			replicas: sumStatus(all, 'replicas'),
			updatedReplicas: current ? num(current.status?.replicas) : 0,
			readyReplicas: sumStatus(all, 'readyReplicas'),
			availableReplicas: available,
			unavailableReplicas: Math.max(0, total - available),
			conditions: clone(s.d.status?.conditions ?? []),
			collisionCount: s.d.status?.collisionCount,
		};
		const stamp = nowIso(this.now());
		if (available >= s.spec.replicas - maxUnavailable(s.spec)) {
			setCondition(status, newCondition('Available', 'True', reasons.minimumReplicasAvailable, 'Deployment has minimum availability.', stamp));
		} else {
			setCondition(status, newCondition('Available', 'False', reasons.minimumReplicasUnavailable, 'Deployment does not have minimum availability.', stamp));
		}
		return status;
	}

	private syncDeploymentStatus(s: SyncState, newRS: KObject | undefined): void {
		this.writeStatus(s, compactStatus(this.calculateStatus(s, newRS)));
	}

	private syncStatusOnly(s: SyncState): void {
		const {newRS} = this.getAll(s, false);
		this.syncDeploymentStatus(s, newRS);
	}

	private progressStartedAt(s: SyncState, condition: Condition): number {
		const stamp = this.progressStamps.get(s.d.metadata.uid!);
		if (stamp && stamp.time === condition.lastUpdateTime) return stamp.ms;
		const parsed = Date.parse(condition.lastUpdateTime ?? '');
		return Number.isFinite(parsed) ? parsed : this.now();
	}

	private timedOut(s: SyncState, newStatus: any): boolean {
		const deadline = s.spec.progressDeadlineSeconds;
		if (deadline === undefined) return false;
		const condition = getCondition(newStatus, 'Progressing');
		if (!condition) return false;
		if (condition.reason === reasons.newReplicaSetAvailable) return false;
		if (condition.reason === reasons.timedOut) return true;
		return this.progressStartedAt(s, condition) + this.ctx.clock.toMs(deadline) < this.now();
	}

	private syncRolloutStatus(s: SyncState, newRS: KObject | undefined): void {
		const newStatus = this.calculateStatus(s, newRS);
		const deadline = s.spec.progressDeadlineSeconds;
		if (deadline === undefined) removeCondition(newStatus, 'Progressing');
		const currentCond = getCondition(s.d.status, 'Progressing');
		const isCompleteDeployment = num(newStatus.replicas) === num(newStatus.updatedReplicas) && currentCond?.reason === reasons.newReplicaSetAvailable;
		if (deadline !== undefined && !isCompleteDeployment) {
			const stamp = nowIso(this.now());
			const name = newRS?.metadata.name;
			if (deploymentComplete(s.d, s.spec, newStatus)) {
				const message = name ? `ReplicaSet "${name}" has successfully progressed.` : `Deployment "${s.d.metadata.name}" has successfully progressed.`;
				this.setProgressing(s, newStatus, newCondition('Progressing', 'True', reasons.newReplicaSetAvailable, message, stamp));
			} else if (deploymentProgressing(s.d, newStatus)) {
				const message = name ? `ReplicaSet "${name}" is progressing.` : `Deployment "${s.d.metadata.name}" is progressing.`;
				const condition = newCondition('Progressing', 'True', reasons.replicaSetUpdated, message, stamp);
				const existing = getCondition(newStatus, 'Progressing');
				if (existing) {
					if (existing.status === 'True') condition.lastTransitionTime = existing.lastTransitionTime;
					removeCondition(newStatus, 'Progressing');
				}
				this.setProgressing(s, newStatus, condition);
			} else if (this.timedOut(s, newStatus)) {
				const message = name ? `ReplicaSet "${name}" has timed out progressing.` : `Deployment "${s.d.metadata.name}" has timed out progressing.`;
				this.setProgressing(s, newStatus, newCondition('Progressing', 'False', reasons.timedOut, message, stamp));
			}
		}
		// ReplicaFailure conditions of the ReplicaSets become the Deployment's.
		const failure = this.replicaSetsOf(s.d).map(rs => getCondition(rs.status, 'ReplicaFailure')).find(c => c?.status === 'True');
		if (failure) setCondition(newStatus, {...failure, lastUpdateTime: failure.lastTransitionTime});
		else removeCondition(newStatus, 'ReplicaFailure');
		this.writeStatus(s, compactStatus(newStatus));
		this.requeueStuck(s, newStatus);
	}

	/** Look again when the progress deadline would pass (requeueStuckDeployment). */
	private requeueStuck(s: SyncState, newStatus: any): void {
		const deadline = s.spec.progressDeadlineSeconds;
		const condition = getCondition(newStatus, 'Progressing');
		if (deadline === undefined || !condition) return;
		if (deploymentComplete(s.d, s.spec, newStatus) || condition.reason === reasons.timedOut || condition.reason === reasons.newReplicaSetAvailable) return;
		const remainingMs = this.progressStartedAt(s, condition) + this.ctx.clock.toMs(deadline) - this.now();
		this.queue.addAfter(keyOf(s.d), Math.max(0, remainingMs) / this.ctx.clock.toMs(1) + 0.05);
	}
}
