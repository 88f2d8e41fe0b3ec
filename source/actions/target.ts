// The raw objects behind the release on screen: what the planners read.
import type {KObject} from '../kube/object.js';
import {detectReleases, resolveTarget, type DetectedRelease} from '../release/detect.js';
import {nameOf} from '../release/object-fields.js';
import {sidesOf} from '../release/roles.js';
import {scanSnapshot, type Scan} from '../release/scan.js';
import type {ClusterSnapshot} from '../release/snapshot.js';
import type {Sides} from '../traffic/router.js';

export type ActionTarget = {
	snap: ClusterSnapshot;
	scan: Scan;
	release: DetectedRelease;
	namespace: string;
	/** The kubeconfig user, named in audit Events. */
	user: string;
};

/** The release `target` (deploy/NAME, svc/NAME) names in the snapshot, as detection finds it; undefined if gone. */
export function actionTarget(snap: ClusterSnapshot, target: string, user: string): ActionTarget | undefined {
	const resolved = resolveTarget(snap, target);
	if ('error' in resolved) return undefined;
	const {ref} = resolved;
	const scan = scanSnapshot(snap);
	const releases = detectReleases(scan);
	const controlled = ref.kind === 'argo-rollout' || ref.kind === 'flagger';
	const release =
		(controlled ? releases.find(r => r.kind === ref.kind && r.name === ref.name) : undefined) ??
		releases.find(r => r.kind === ref.kind && r.deployments[0] === ref.deployments[0]) ??
		releases.find(r => ref.deployments.some(d => r.deployments.includes(d)));
	return release ? {snap, scan, release, namespace: snap.namespace, user} : undefined;
}

export type Pair = {stable: KObject; canary: KObject; sides: Sides};

/** Stable and canary Deployments of a canary pair. */
export function canaryPair(t: ActionTarget): Pair | undefined {
	if (t.release.kind !== 'canary') return undefined;
	const stable = t.release.members.find(m => m.role === 'stable')?.deployment;
	const canary = t.release.members.find(m => m.role === 'canary')?.deployment;
	return stable && canary ? {stable, canary, sides: sidesOf(stable, canary, t.scan)} : undefined;
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
