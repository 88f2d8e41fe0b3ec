// The raw objects behind the release on screen: what the planners read. The kind registry
// (source/kinds) makes the target; the planners only read it.
import type {KObject} from '../kube/object.js';
import type {DetectedRelease} from '../release/detected.js';
import {nameOf} from '../release/object-fields.js';
import type {Scan} from '../release/scan.js';
import type {ClusterSnapshot} from '../release/snapshot.js';
import type {Side} from '../traffic/router.js';

/**
 * The versions of a canary release whose weights are set directly: the stable one, the canary the keys act on
 * (the focused one when there are several), and every version (stable first) as Deployments and as the router
 * modules recognise them.
 */
export type Pair = {stable: KObject; canary: KObject; members: KObject[]; versions: Side[]};

export type ActionTarget = {
	snap: ClusterSnapshot;
	scan: Scan;
	release: DetectedRelease;
	namespace: string;
	/** The kubeconfig user, named in audit Events. */
	user: string;
	/** A canary release's versions, when its weights are set on them directly. */
	pair?: Pair;
	/** Why the weight keys do nothing on this kind of release (said when there is no pair). */
	noWeights: string;
};

/** The stable version and the canary the keys act on, of a canary release. */
export function canaryPair(t: ActionTarget): Pair | undefined {
	return t.pair;
}
/** The Deployment of the release with this name (the workload of a pod or revision row). */
export function memberDeployment(t: ActionTarget, name: string | undefined): KObject | undefined {
	return t.release.members.find(m => nameOf(m.deployment) === name)?.deployment;
}

/** The Deployment an undo acts on when nothing is focused: the new side (canary, preview) or the only one. */
export function defaultDeployment(t: ActionTarget): KObject {
	const preferred = t.release.members.find(m => m.role === 'canary' || m.role === 'preview' || m.role === 'new');
	return (preferred ?? t.release.members[0]).deployment;
}

/** A fresh copy of an object by kind and name from the snapshot (after a write, to see what the watch shows). */
export function findObject(snap: ClusterSnapshot, kind: string, name: string): KObject | undefined {
	const pools: KObject[][] = kind === 'Deployment' ? [snap.deployments] : kind === 'Service' ? [snap.services] : kind === 'ReplicaSet' ? [snap.replicaSets] : [snap.routers];
	for (const pool of pools) {
		const found = pool.find(o => nameOf(o) === name && (o.kind === undefined || o.kind === kind));
		if (found) return found;
	}
	return undefined;
}
