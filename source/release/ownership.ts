// Who owns what: Deployments own ReplicaSets, ReplicaSets own Pods (controller ownerReferences).
import type {KObject, OwnerReference} from '../kube/object.js';
import {createdAt, nameOf, revisionOf} from './object-fields.js';

/** The controller owner reference of the given kind (or the first of that kind when none is marked controller). */
export function controllerRef(obj: KObject, kind: string): OwnerReference | undefined {
	// A loop, not filter and find: a build asks this of every pod, thousands of times.
	let unmarked: OwnerReference | undefined;
	for (const ref of obj.metadata.ownerReferences ?? []) {
		if (ref.kind !== kind) continue;
		if (ref.controller === true) return ref;
		if (ref.controller === undefined) unmarked ??= ref;
	}
	return unmarked;
}

function isControlledBy(child: KObject, owner: KObject, kind: string): boolean {
	const ref = controllerRef(child, kind);
	if (!ref || ref.name !== nameOf(owner)) return false;
	// A recreated owner keeps the name but not the uid: its predecessor's children are not its own.
	return !ref.uid || !owner.metadata.uid || ref.uid === owner.metadata.uid;
}

export type Ownership = {
	replicaSetsOf(deployment: KObject): KObject[];
	podsOf(replicaSet: KObject): KObject[];
	/** Pods of all the ReplicaSets of a Deployment. */
	podsOfDeployment(deployment: KObject): KObject[];
	/** The ReplicaSet of the Deployment's current revision. */
	currentReplicaSet(deployment: KObject): KObject | undefined;
};

export function ownership(replicaSets: KObject[], pods: KObject[]): Ownership {
	const rsByOwner = groupByOwner(replicaSets, 'Deployment');
	const podsByOwner = groupByOwner(pods, 'ReplicaSet');
	// Each answer is worked out once: a build asks for the same ones many times (versions, pods, revisions).
	const rsOf = new Map<KObject, KObject[]>();
	const podsOfRs = new Map<KObject, KObject[]>();
	const replicaSetsOf = (deployment: KObject) => {
		let found = rsOf.get(deployment);
		if (!found) rsOf.set(deployment, (found = (rsByOwner.get(nameOf(deployment)) ?? []).filter(rs => isControlledBy(rs, deployment, 'Deployment'))));
		return found;
	};
	const podsOf = (rs: KObject) => {
		let found = podsOfRs.get(rs);
		if (!found) podsOfRs.set(rs, (found = (podsByOwner.get(nameOf(rs)) ?? []).filter(pod => isControlledBy(pod, rs, 'ReplicaSet'))));
		return found;
	};
	return {
		replicaSetsOf,
		podsOf,
		podsOfDeployment: deployment => replicaSetsOf(deployment).flatMap(podsOf),
		currentReplicaSet: deployment => currentOf(deployment, replicaSetsOf(deployment)),
	};
}

function groupByOwner(children: KObject[], kind: string): Map<string, KObject[]> {
	const groups = new Map<string, KObject[]>();
	for (const child of children) {
		const ref = controllerRef(child, kind);
		if (!ref) continue;
		const group = groups.get(ref.name);
		if (group) group.push(child);
		else groups.set(ref.name, [child]);
	}
	return groups;
}

/** The ReplicaSet whose revision is the Deployment's, else the one with the highest revision (newest on a tie). */
function currentOf(deployment: KObject, replicaSets: KObject[]): KObject | undefined {
	const revision = revisionOf(deployment);
	const exact = revision === undefined ? undefined : replicaSets.find(rs => revisionOf(rs) === revision);
	if (exact) return exact;
	let best: KObject | undefined;
	for (const rs of replicaSets) {
		if (!best) best = rs;
		else {
			const diff = (revisionOf(rs) ?? 0) - (revisionOf(best) ?? 0);
			if (diff > 0 || (diff === 0 && createdAt(rs) > createdAt(best))) best = rs;
		}
	}
	return best;
}
