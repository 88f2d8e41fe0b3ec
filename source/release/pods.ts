// Pods as the operator sees them: the status kubectl prints, readiness, restarts, age. What a frozen pod
// shows (lean.ts freezes those the watch keeps) is worked out once: a rebuild after one pod changed reads
// the others' from before.
import type {KObject} from '../kube/object.js';
import type {PodInfo, PodPhase} from './model.js';
import {onceForFrozen} from './lean.js';
import {nameOf, timeOf} from './object-fields.js';
import {sanitize} from './sanitize.js';

type ContainerState = {
	waiting?: {reason?: string};
	running?: unknown;
	terminated?: {reason?: string; exitCode?: number; signal?: number};
};
type ContainerStatus = {name?: string; ready?: boolean; restartCount?: number; state?: ContainerState};

/** The STATUS column of `kubectl get pods` (same rules as kubectl's printPod). */
export function podStatus(pod: KObject): string {
	const status = pod.status ?? {};
	let reason: string = status.reason || status.phase || 'Unknown';
	const initStatuses: ContainerStatus[] = status.initContainerStatuses ?? [];
	const initSpecs: Array<{restartPolicy?: string}> = pod.spec?.initContainers ?? [];
	const initCount = initSpecs.length || initStatuses.length;
	let initializing = false;
	for (const [index, container] of initStatuses.entries()) {
		const {terminated, waiting, running} = container.state ?? {};
		if (terminated && terminated.exitCode === 0) continue;
		// A sidecar (restartable init container) that runs is done initialising.
		if (running && initSpecs[index]?.restartPolicy === 'Always') continue;
		if (terminated) {
			reason = terminated.reason
				? `Init:${terminated.reason}`
				: terminated.signal
					? `Init:Signal:${terminated.signal}`
					: `Init:ExitCode:${terminated.exitCode ?? ''}`;
		} else if (waiting?.reason && waiting.reason !== 'PodInitializing') {
			reason = `Init:${waiting.reason}`;
		} else {
			reason = `Init:${index}/${initCount}`;
		}
		initializing = true;
		break;
	}
	if (!initializing) {
		let hasRunning = false;
		const statuses: ContainerStatus[] = [...(status.containerStatuses ?? [])].reverse();
		for (const container of statuses) {
			const {terminated, waiting, running} = container.state ?? {};
			if (waiting?.reason) reason = waiting.reason;
			else if (terminated?.reason) reason = terminated.reason;
			else if (terminated) reason = terminated.signal ? `Signal:${terminated.signal}` : `ExitCode:${terminated.exitCode ?? ''}`;
			else if (container.ready && running) hasRunning = true;
		}
		if (reason === 'Completed' && hasRunning) reason = isReady(pod) ? 'Running' : 'NotReady';
	}
	if (pod.metadata.deletionTimestamp) reason = status.reason === 'NodeLost' ? 'Unknown' : 'Terminating';
	return sanitize(reason);
}

const PHASES = new Set<string>(['Pending', 'Running', 'Succeeded', 'Failed', 'Unknown']);

/** The coarse phase for colouring: the pod phase, refined by the kubectl status. */
export function podPhase(pod: KObject, status = podStatus(pod)): PodPhase {
	if (status === 'Terminating') return 'Terminating';
	if (status.includes('CrashLoopBackOff')) return 'CrashLoopBackOff';
	if (status === 'ContainerCreating' || status === 'PodInitializing' || status.startsWith('Init:')) return 'ContainerCreating';
	const phase = pod.status?.phase;
	return typeof phase === 'string' && PHASES.has(phase) ? (phase as PodPhase) : 'Unknown';
}

/** The pod's Ready condition is True. */
export function isReady(pod: KObject): boolean {
	const conditions: Array<{type?: string; status?: string}> = pod.status?.conditions ?? [];
	return conditions.some(c => c.type === 'Ready' && c.status === 'True');
}

export function restartsOf(pod: KObject): number {
	const statuses: ContainerStatus[] = [...(pod.status?.initContainerStatuses ?? []), ...(pod.status?.containerStatuses ?? [])];
	return statuses.reduce((sum, c) => sum + (c.restartCount ?? 0), 0);
}

/** What a pod shows but for its version and age. */
export type PodFacts = Omit<PodInfo, 'version' | 'ageSeconds' | 'revision'> & {created: number | undefined};

/** A pod's name, status, readiness, containers, restarts, node and creation time; kept for a frozen pod. */
export const podFacts = onceForFrozen((pod): PodFacts => {
	const status = podStatus(pod);
	const statuses: ContainerStatus[] = pod.status?.containerStatuses ?? [];
	const containers: unknown[] = pod.spec?.containers ?? [];
	const facts: PodFacts = {
		name: sanitize(nameOf(pod)),
		phase: podPhase(pod, status),
		status,
		ready: isReady(pod),
		containersReady: statuses.filter(c => c.ready).length,
		containers: containers.length || statuses.length,
		restarts: restartsOf(pod),
		created: timeOf(pod.metadata.creationTimestamp),
	};
	if (pod.spec?.nodeName) facts.node = sanitize(pod.spec.nodeName);
	return facts;
});

export function podInfo(pod: KObject, version: string, now: number): PodInfo {
	const facts = podFacts(pod);
	const info: PodInfo = {
		name: facts.name,
		version: sanitize(version),
		phase: facts.phase,
		status: facts.status,
		ready: facts.ready,
		containersReady: facts.containersReady,
		containers: facts.containers,
		restarts: facts.restarts,
		ageSeconds: facts.created === undefined ? 0 : Math.max(0, Math.floor((now - facts.created) / 1000)),
	};
	if (facts.node !== undefined) info.node = facts.node;
	return info;
}
