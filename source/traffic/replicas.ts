// Without a router, traffic follows the pods: each version's share of ready replicas
// (of desired replicas while none is ready).
import type {JsonPatchOp, Weights} from './router.js';
import {checkWeight, percent, pointer} from './router.js';

export type ReplicaCount = {id: string; ready: number; desired: number};

/** Percent per version id: by ready pods, or by desired replicas while no pod is ready; 0 for all when there are none. */
export function replicaShare(versions: ReplicaCount[]): Record<string, number> {
	const byReady = versions.some(v => v.ready > 0);
	const value = (v: ReplicaCount) => Math.max(0, byReady ? v.ready : v.desired);
	const total = versions.reduce((sum, v) => sum + value(v), 0);
	return Object.fromEntries(versions.map(v => [v.id, percent(value(v), total)]));
}

/** Stable and canary replicas for canary = W% of `total` (at least one canary pod when W > 0, as Argo Rollouts does). */
export function replicasForWeight(total: number, canaryWeight: number): Weights {
	checkWeight(canaryWeight);
	let canary = Math.round((total * canaryWeight) / 100);
	if (canaryWeight > 0 && canary === 0 && total > 0) canary = 1;
	return {stable: total - canary, canary};
}

export type ScalePatch = {deployment: string; patch: JsonPatchOp[]};

/**
 * JSON Patches for the two Deployments that move canary = W% of their combined replicas, each testing the old
 * `spec.replicas`. The canary comes first: scale up before scaling down.
 */
export function setWeightPatch(stable: {name: string; replicas: number}, canary: {name: string; replicas: number}, canaryWeight: number): ScalePatch[] {
	const target = replicasForWeight(stable.replicas + canary.replicas, canaryWeight);
	const path = pointer('spec', 'replicas');
	const patch = (old: number, value: number): JsonPatchOp[] => [
		{op: 'test', path, value: old},
		{op: 'replace', path, value},
	];
	return [
		{deployment: canary.name, patch: patch(canary.replicas, target.canary)},
		{deployment: stable.name, patch: patch(stable.replicas, target.stable)},
	];
}
