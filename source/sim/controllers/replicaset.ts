// The ReplicaSet controller (pkg/controller/replicaset): keeps spec.replicas pods, deleting the
// least useful ones first, and reports replicas/fullyLabeled/ready/available in status.
import {clone, deepEqual, type KObject} from '../object.js';
import type {Change} from '../store.js';
import {defaultPodSpec} from './defaults.js';
import {recordEvent} from './events.js';
import {simNodes} from './kubelet.js';
import {
	controllerRef,
	isPodActive,
	isPodReady,
	keyOf,
	labelsMatch,
	num,
	podAvailability,
	QueueController,
	readySince,
	splitKey,
	type Context,
} from './util.js';

/** At most this many pods are created or deleted in one sync (controller.BurstReplicas). */
export const burstReplicas = 500;

export const replicaSetReplicas = (rs: KObject): number => {
	const r = rs.spec?.replicas;
	return typeof r === 'number' && Number.isFinite(r) ? Math.max(0, Math.trunc(r)) : 1;
};

const phaseRank: Record<string, number> = {Pending: 0, Unknown: 1, Running: 2};

export class ReplicaSetController extends QueueController {
	private nextNode = 0;

	constructor(ctx: Context) {
		super(ctx, 'replicaset');
	}

	protected subscriptions(): Array<[string, (change: Change) => void]> {
		return [
			['apps/replicasets', change => this.onReplicaSet(change)],
			['pods', change => this.onPod(change)],
		];
	}

	resync(): void {
		for (const rs of this.ctx.store.list('apps/replicasets')) this.queue.add(keyOf(rs));
	}

	private onReplicaSet(change: Change): void {
		this.queueChange(change);
	}

	private onPod(change: Change): void {
		const ref = controllerRef(change.object, 'ReplicaSet');
		if (ref) this.queue.add(`${change.object.metadata.namespace ?? ''}/${ref.name}`);
	}

	protected sync(key: string): void {
		const [namespace, name] = splitKey(key);
		const {store} = this.ctx;
		const rs = store.get('apps/replicasets', namespace, name);
		if (!rs) {
			this.queue.forget(key);
			return;
		}
		let active = this.activePods(rs);
		if (!rs.metadata.deletionTimestamp) {
			const diff = active.length - replicaSetReplicas(rs);
			if (diff < 0) this.createPods(rs, Math.min(-diff, burstReplicas));
			else if (diff > 0) this.deletePods(rs, active, Math.min(diff, burstReplicas));
			if (diff !== 0) active = this.activePods(rs);
			if (Math.abs(diff) > burstReplicas) this.queue.add(key);
		}
		this.updateStatus(rs, active);
	}

	private activePods(rs: KObject): KObject[] {
		return this.ctx.pods.owned(rs.metadata.uid).filter(isPodActive);
	}

	private createPods(rs: KObject, count: number): void {
		const {store} = this.ctx;
		const template = rs.spec?.template ?? {};
		const meta = template.metadata ?? {};
		const ownerRef = {apiVersion: 'apps/v1', kind: 'ReplicaSet', name: rs.metadata.name!, uid: rs.metadata.uid!, controller: true, blockOwnerDeletion: true};
		for (let i = 0; i < count; i++) {
			const node = simNodes[this.nextNode++ % simNodes.length]!;
			const pod: KObject = {
				apiVersion: 'v1',
				kind: 'Pod',
				metadata: {
					generateName: `${rs.metadata.name}-`,
					namespace: rs.metadata.namespace,
					labels: {...meta.labels},
					...(meta.annotations && Object.keys(meta.annotations).length > 0 ? {annotations: {...meta.annotations}} : {}),
					ownerReferences: [ownerRef],
				},
				spec: {...defaultPodSpec(clone(template.spec ?? {})), nodeName: node},
				status: {phase: 'Pending'},
			};
			const created = store.create('pods', pod);
			recordEvent(store, rs, 'Normal', 'SuccessfulCreate', `Created pod: ${created.metadata.name}`, 'replicaset-controller', {now: this.ctx.clock.now()});
		}
	}

	/** controller.ActivePodsWithRanks order: the pods to delete first come first. */
	private deletionOrder(pods: KObject[]): KObject[] {
		const now = this.ctx.clock.now();
		const ranked = pods.map(pod => {
			const ready = isPodReady(pod);
			return {
				pod,
				// Unassigned < assigned; Pending < Unknown < Running; not ready < ready.
				assigned: pod.spec?.nodeName ? 1 : 0,
				phase: phaseRank[pod.status?.phase] ?? 1,
				ready: ready ? 1 : 0,
				// Ready for a shorter time first.
				readySince: ready ? (readySince(this.ctx, pod) ?? now) : 0,
				restarts: (pod.status?.containerStatuses ?? []).reduce((n: number, s: any) => n + num(s?.restartCount), 0),
				created: pod.metadata.creationTimestamp ?? '',
				order: this.ctx.pods.order(pod),
			};
		});
		ranked.sort((a, b) => a.assigned - b.assigned
			|| a.phase - b.phase
			|| a.ready - b.ready
			|| b.readySince - a.readySince
			|| b.restarts - a.restarts
			// Newer first.
			|| (a.created === b.created ? b.order - a.order : a.created < b.created ? 1 : -1));
		return ranked.map(r => r.pod);
	}

	private deletePods(rs: KObject, active: KObject[], count: number): void {
		const {store} = this.ctx;
		for (const pod of this.deletionOrder(active).slice(0, count)) {
			const name = pod.metadata.name!;
			if (!store.get('pods', pod.metadata.namespace, name)) continue;
			store.delete('pods', pod.metadata.namespace, name);
			recordEvent(store, rs, 'Normal', 'SuccessfulDelete', `Deleted pod: ${name}`, 'replicaset-controller', {now: this.ctx.clock.now()});
		}
	}

	private updateStatus(rs: KObject, active: KObject[]): void {
		const {store, clock} = this.ctx;
		const now = clock.now();
		const minReadySeconds = Math.max(0, num(rs.spec?.minReadySeconds));
		const templateLabels = rs.spec?.template?.metadata?.labels;
		let fullyLabeled = 0;
		let ready = 0;
		let available = 0;
		let soonest: number | undefined;
		for (const pod of active) {
			if (labelsMatch(pod.metadata.labels, templateLabels)) fullyLabeled++;
			if (!isPodReady(pod)) continue;
			ready++;
			const a = podAvailability(this.ctx, pod, minReadySeconds, now);
			if (a.available) available++;
			else if (a.wait !== undefined) soonest = Math.min(soonest ?? Infinity, a.wait);
		}
		const status: Record<string, unknown> = {replicas: active.length};
		if (fullyLabeled) status.fullyLabeledReplicas = fullyLabeled;
		if (ready) status.readyReplicas = ready;
		if (available) status.availableReplicas = available;
		if (rs.metadata.generation) status.observedGeneration = rs.metadata.generation;
		if (Array.isArray(rs.status?.conditions) && rs.status.conditions.length > 0) status.conditions = rs.status.conditions;
		if (!deepEqual(status, rs.status)) {
			store.update('apps/replicasets', {...rs, status}, {subresource: 'status'});
		}
		// Look again once the pods that are Ready have been so for minReadySeconds.
		if (soonest !== undefined) this.queue.addAfter(keyOf(rs), soonest / clock.toMs(1) + 0.01);
	}
}
