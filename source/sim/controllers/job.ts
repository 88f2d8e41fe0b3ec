// The Job controller (pkg/controller/job), simplified: it keeps up to `parallelism` pods running
// until `completions` of them have Succeeded (the kubelet runs Job pods to completion), then
// marks the Job SuccessCriteriaMet and Complete; more than `backoffLimit` failed pods, or running
// past activeDeadlineSeconds, fail it. Indexed Jobs give each pod its completion index. `suspend`
// removes the running pods; ttlSecondsAfterFinished deletes a finished Job (and its pods).
// Pods are created the way the ReplicaSet controller creates them; counts come from the pods
// that exist (no tracking finalizers), so deleting a finished pod by hand can lower them.
import {clone, deepEqual, nowIso, type KObject} from '../object.js';
import type {Change} from '../store.js';
import {defaultPodSpec} from './defaults.js';
import {recordEvent, type EventType} from './events.js';
import {controllerRef, getCondition, isPodActive, isPodReady, keyOf, OwnerIndex, QueueController, splitKey, type Condition, type Context} from './util.js';

const JOBS = 'batch/jobs';

export const jobCompletionIndexAnnotation = 'batch.kubernetes.io/job-completion-index';

const int = (v: unknown, fallback: number): number => (typeof v === 'number' && Number.isInteger(v) ? v : fallback);

const finished = (job: KObject) => ['Complete', 'Failed'].some(type => getCondition(job.status, type)?.status === 'True');

/** The indexes in a completedIndexes string such as `0,2-4`. */
function parseIndexes(text: unknown): Set<number> {
	const out = new Set<number>();
	for (const part of typeof text === 'string' && text !== '' ? text.split(',') : []) {
		const [a, b] = part.split('-').map(Number);
		for (let i = a!; i <= (b ?? a!); i++) out.add(i);
	}
	return out;
}

/** Indexes as the Job status writes them: sorted, runs collapsed (`0,2-4`). */
function formatIndexes(indexes: Iterable<number>): string {
	const sorted = [...new Set(indexes)].sort((a, b) => a - b);
	const parts: string[] = [];
	for (let i = 0; i < sorted.length; i++) {
		let j = i;
		while (j + 1 < sorted.length && sorted[j + 1] === sorted[j]! + 1) j++;
		parts.push(j === i ? String(sorted[i]) : `${sorted[i]}-${sorted[j]}`);
		i = j;
	}
	return parts.join(',');
}

const indexOf = (pod: KObject): number | undefined => {
	const v = Number(pod.metadata.annotations?.[jobCompletionIndexAnnotation]);
	return Number.isInteger(v) ? v : undefined;
};

export class JobController extends QueueController {
	private readonly pods = new OwnerIndex('Job');
	/** Cancels the pending TTL deletion of a finished Job, by key. */
	private readonly expiries = new Map<string, () => void>();

	constructor(ctx: Context) {
		super(ctx, 'job');
	}

	protected subscriptions(): Array<[string, (change: Change) => void]> {
		return [
			[JOBS, change => this.queueChange(change)],
			['pods', change => this.onPod(change)],
		];
	}

	resync(): void {
		this.pods.reset(this.ctx.store.list('pods'));
		for (const job of this.ctx.store.list(JOBS)) this.queue.add(keyOf(job));
	}

	override stop(): void {
		for (const cancel of this.expiries.values()) cancel();
		this.expiries.clear();
		super.stop();
	}

	private onPod(change: Change): void {
		this.pods.apply(change);
		const ref = controllerRef(change.object, 'Job');
		if (ref) this.queue.add(`${change.object.metadata.namespace ?? ''}/${ref.name}`);
	}

	private now(): number {
		return this.ctx.clock.now();
	}

	private event(job: KObject, type: EventType, reason: string, message: string): void {
		recordEvent(this.ctx.store, job, type, reason, message, 'job-controller', {now: this.now()});
	}

	protected sync(key: string): void {
		const [namespace, name] = splitKey(key);
		const job = this.ctx.store.get(JOBS, namespace, name);
		if (!job) {
			this.queue.forget(key);
			this.expiries.get(key)?.();
			this.expiries.delete(key);
			return;
		}
		if (job.metadata.deletionTimestamp) return;
		const spec = job.spec ?? {};
		const stamp = nowIso(this.now());
		const status: Record<string, any> = clone(job.status ?? {});
		const conditions: Condition[] = Array.isArray(status.conditions) ? status.conditions : [];
		const setCondition = (type: string, value: 'True' | 'False', reason: string, message: string) => {
			const current = conditions.find(c => c.type === type);
			if (current && current.status === value && current.reason === reason) return;
			const next: Condition = {type, status: value, reason, message, lastProbeTime: stamp, lastTransitionTime: current?.status === value ? current.lastTransitionTime! : stamp};
			if (current) Object.assign(current, next);
			else conditions.push(next);
		};

		const pods = this.pods.owned(job.metadata.uid).map(p => this.ctx.store.get('pods', p.metadata.namespace, p.metadata.name!) ?? p);
		let active = pods.filter(isPodActive);
		const succeededPods = pods.filter(p => p.status?.phase === 'Succeeded');
		const failed = Math.max(int(status.failed, 0), pods.filter(p => p.status?.phase === 'Failed').length);
		const indexed = spec.completionMode === 'Indexed';
		const completedIndexes = parseIndexes(status.completedIndexes);
		if (indexed) for (const p of succeededPods) if (indexOf(p) !== undefined) completedIndexes.add(indexOf(p)!);
		const succeeded = indexed ? completedIndexes.size : Math.max(int(status.succeeded, 0), succeededPods.length);
		const completions = typeof spec.completions === 'number' ? spec.completions : undefined;
		const parallelism = Math.max(0, int(spec.parallelism, 1));

		if (!finished(job)) {
			const suspended = spec.suspend === true;
			if (suspended) {
				this.deletePods(job, active);
				active = [];
				setCondition('Suspended', 'True', 'JobSuspended', 'Job suspended');
			} else {
				if (getCondition({conditions}, 'Suspended')?.status === 'True') setCondition('Suspended', 'False', 'JobResumed', 'Job resumed');
				status.startTime ??= stamp;
			}
			const deadline = typeof spec.activeDeadlineSeconds === 'number' && status.startTime ? Date.parse(status.startTime) + this.ctx.clock.toMs(spec.activeDeadlineSeconds) : undefined;
			const done = completions !== undefined ? succeeded >= completions : succeeded > 0 && active.length === 0;
			if (!suspended && done) {
				setCondition('SuccessCriteriaMet', 'True', 'CompletionsReached', 'Reached expected number of succeeded pods');
				setCondition('Complete', 'True', 'CompletionsReached', 'Reached expected number of succeeded pods');
				status.completionTime = stamp;
				this.deletePods(job, active);
				active = [];
				this.event(job, 'Normal', 'Completed', 'Job completed');
			} else if (!suspended && failed > int(spec.backoffLimit, 6)) {
				this.fail(job, active, setCondition, 'BackoffLimitExceeded', 'Job has reached the specified backoff limit');
				active = [];
			} else if (!suspended && deadline !== undefined && this.now() >= deadline) {
				this.fail(job, active, setCondition, 'DeadlineExceeded', 'Job was active longer than specified deadline');
				active = [];
			} else if (!suspended) {
				active = [...active, ...this.createPods(job, active, succeeded, completedIndexes, parallelism, completions)];
				if (deadline !== undefined) this.queue.addAfter(key, (deadline - this.now()) / this.ctx.clock.toMs(1) + 0.01);
			}
		}

		const next: Record<string, any> = {...status, conditions};
		if (conditions.length === 0) delete next.conditions;
		if (active.length > 0) next.active = active.length;
		else delete next.active;
		next.ready = active.filter(isPodReady).length;
		if (succeeded > 0) next.succeeded = succeeded;
		if (failed > 0) next.failed = failed;
		next.terminating = 0;
		if (indexed) next.completedIndexes = formatIndexes(completedIndexes);
		next.uncountedTerminatedPods = {};
		if (!deepEqual(next, job.status)) this.ctx.store.update(JOBS, {...job, status: next}, {subresource: 'status'});
		if (finished({...job, status: next})) this.expireLater(key, job, next);
	}

	private fail(job: KObject, active: KObject[], setCondition: (type: string, value: 'True' | 'False', reason: string, message: string) => void, reason: string, message: string): void {
		setCondition('FailureTarget', 'True', reason, message);
		setCondition('Failed', 'True', reason, message);
		this.deletePods(job, active);
		this.event(job, 'Warning', reason, message);
	}

	/** New pods up to parallelism, not beyond what is left to complete; Indexed Jobs fill the lowest missing indexes. */
	private createPods(job: KObject, active: KObject[], succeeded: number, completed: Set<number>, parallelism: number, completions: number | undefined): KObject[] {
		let want = parallelism - active.length;
		if (completions !== undefined) want = Math.min(want, completions - succeeded - active.length);
		const indexes: number[] = [];
		if (job.spec?.completionMode === 'Indexed' && completions !== undefined) {
			const busy = new Set(active.map(indexOf));
			for (let i = 0; i < completions && indexes.length < want; i++) if (!completed.has(i) && !busy.has(i)) indexes.push(i);
			want = indexes.length;
		}
		const created: KObject[] = [];
		for (let n = 0; n < want; n++) created.push(this.createPod(job, indexes[n]));
		return created;
	}

	private createPod(job: KObject, index: number | undefined): KObject {
		const template = job.spec?.template ?? {};
		const meta = template.metadata ?? {};
		const labels: Record<string, string> = {...meta.labels};
		const annotations: Record<string, string> = {...meta.annotations};
		if (index !== undefined) {
			labels[jobCompletionIndexAnnotation] = String(index);
			annotations[jobCompletionIndexAnnotation] = String(index);
		}
		const spec = defaultPodSpec(clone(template.spec ?? {}));
		if (index !== undefined && Array.isArray(spec.containers)) {
			for (const c of spec.containers) c.env = [...(Array.isArray(c.env) ? c.env : []), {name: 'JOB_COMPLETION_INDEX', valueFrom: {fieldRef: {apiVersion: 'v1', fieldPath: `metadata.annotations['${jobCompletionIndexAnnotation}']`}}}];
		}
		const pod = this.ctx.store.create('pods', {
			apiVersion: 'v1',
			kind: 'Pod',
			metadata: {
				generateName: index === undefined ? `${job.metadata.name}-` : `${job.metadata.name}-${index}-`,
				namespace: job.metadata.namespace,
				labels,
				...(Object.keys(annotations).length > 0 ? {annotations} : {}),
				ownerReferences: [{apiVersion: 'batch/v1', kind: 'Job', name: job.metadata.name!, uid: job.metadata.uid!, controller: true, blockOwnerDeletion: true}],
			},
			spec,
			status: {phase: 'Pending'},
		});
		this.event(job, 'Normal', 'SuccessfulCreate', `Created pod: ${pod.metadata.name}`);
		return pod;
	}

	private deletePods(job: KObject, pods: KObject[]): void {
		for (const pod of pods) {
			if (!this.ctx.store.get('pods', pod.metadata.namespace, pod.metadata.name!)) continue;
			this.ctx.store.delete('pods', pod.metadata.namespace, pod.metadata.name!);
			this.event(job, 'Normal', 'SuccessfulDelete', `Deleted pod: ${pod.metadata.name}`);
		}
	}

	/** ttlSecondsAfterFinished: delete the Job (its pods go with it) that long after it finished. */
	private expireLater(key: string, job: KObject, status: Record<string, any>): void {
		const ttl = job.spec?.ttlSecondsAfterFinished;
		if (typeof ttl !== 'number' || this.expiries.has(key)) return;
		const done = (status.conditions as Condition[]).find(c => (c.type === 'Complete' || c.type === 'Failed') && c.status === 'True');
		const at = Date.parse(done?.lastTransitionTime ?? '') || this.now();
		const uid = job.metadata.uid;
		const wait = Math.max(0, (at + this.ctx.clock.toMs(ttl) - this.now()) / this.ctx.clock.toMs(1));
		const cancel = this.ctx.clock.after(wait, () => {
			this.expiries.delete(key);
			const [namespace, name] = splitKey(key);
			const current = this.ctx.store.get(JOBS, namespace, name);
			if (current?.metadata.uid === uid) this.ctx.store.delete(JOBS, namespace, name);
		});
		this.expiries.set(key, cancel);
	}
}
