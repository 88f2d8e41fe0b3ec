// Small readers of fields every Kubernetes object has.
import type {KObject} from '../kube/object.js';

export const REVISION_ANNOTATION = 'deployment.kubernetes.io/revision';
export const CHANGE_CAUSE_ANNOTATION = 'kubernetes.io/change-cause';

export function nameOf(obj: KObject): string {
	return obj.metadata.name ?? '';
}

export function annotation(obj: KObject, key: string): string | undefined {
	return obj.metadata.annotations?.[key];
}

/** The `deployment.kubernetes.io/revision` annotation as a number. */
export function revisionOf(obj: KObject): number | undefined {
	const value = Number.parseInt(annotation(obj, REVISION_ANNOTATION) ?? '', 10);
	return Number.isFinite(value) ? value : undefined;
}

/** Milliseconds since the epoch of a timestamp string, or undefined. */
export function timeOf(timestamp: unknown): number | undefined {
	if (typeof timestamp !== 'string' || timestamp === '') return undefined;
	const ms = Date.parse(timestamp);
	return Number.isNaN(ms) ? undefined : ms;
}

export function createdAt(obj: KObject): number {
	return timeOf(obj.metadata.creationTimestamp) ?? 0;
}

/** Whole seconds from the creation of the object to `now` (never negative). */
export function ageSeconds(obj: KObject, now: number): number {
	const created = timeOf(obj.metadata.creationTimestamp);
	return created === undefined ? 0 : Math.max(0, Math.floor((now - created) / 1000));
}

/** Container images of a workload's pod template. */
export function templateImages(workload: KObject): string[] {
	const containers: Array<{image?: string}> = workload.spec?.template?.spec?.containers ?? [];
	return containers.map(c => c.image ?? '');
}

/** `spec.replicas`, which defaults to 1 for Deployments and ReplicaSets. */
export function desiredReplicas(workload: KObject): number {
	const value = workload.spec?.replicas;
	return typeof value === 'number' ? value : 1;
}

export function byName(a: KObject, b: KObject): number {
	return compareText(nameOf(a), nameOf(b));
}

export function compareText(a: string, b: string): number {
	return a < b ? -1 : a > b ? 1 : 0;
}
