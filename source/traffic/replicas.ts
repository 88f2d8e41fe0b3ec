// Without a router, traffic follows the pods: each version's share of ready replicas
// (of desired replicas while none is ready).
import {checkWeights, percent, type Weights} from './router.js';

export type ReplicaCount = {id: string; ready: number; desired: number};

/** Percent per version id: by ready pods, or by desired replicas while no pod is ready; 0 for all when there are none. */
export function replicaShare(versions: ReplicaCount[]): Record<string, number> {
	const byReady = versions.some(v => v.ready > 0);
	const value = (v: ReplicaCount) => Math.max(0, byReady ? v.ready : v.desired);
	const total = versions.reduce((sum, v) => sum + value(v), 0);
	return Object.fromEntries(versions.map(v => [v.id, percent(value(v), total)]));
}

/**
 * Replicas per version for these weights out of `total`: each version but `stable` gets its share, rounded, and at
 * least one pod when its weight is above 0 (as Argo Rollouts does); `stable` gets the rest.
 */
export function replicasForWeights(total: number, weights: Weights, stable: string): Record<string, number> {
	checkWeights(weights);
	const out: Record<string, number> = {};
	let rest = total;
	for (const [id, w] of Object.entries(weights)) {
		if (id === stable) continue;
		let n = Math.round((total * w) / 100);
		if (w > 0 && n === 0 && total > 0) n = 1;
		n = Math.min(n, rest);
		out[id] = n;
		rest -= n;
	}
	out[stable] = rest;
	return out;
}
