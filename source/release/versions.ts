// A version of a release: a Deployment (canary, blue-green) or a ReplicaSet (rolling), with its pods.
import type {KObject} from '../kube/object.js';
import type {Release, Role, Version} from './model.js';
import {selectorString} from './labels.js';
import {desiredReplicas, nameOf, revisionOf, templateImages} from './object-fields.js';
import {imageWarnings} from './images.js';
import {podFacts} from './pods.js';
import {sanitize} from './sanitize.js';

function podCounts(pods: KObject[]): Pick<Version, 'pods' | 'ready' | 'restarts' | 'phases'> {
	const phases: Record<string, number> = {};
	let ready = 0;
	let restarts = 0;
	for (const pod of pods) {
		const facts = podFacts(pod);
		phases[facts.status] = (phases[facts.status] ?? 0) + 1;
		if (facts.ready) ready++;
		restarts += facts.restarts;
	}
	return {pods: pods.length, ready, restarts, phases};
}

function available(workload: KObject): number {
	const value = workload.status?.availableReplicas;
	return typeof value === 'number' ? value : 0;
}

function hashOf(replicaSet: KObject | undefined): string | undefined {
	const hash = replicaSet?.metadata.labels?.['pod-template-hash'];
	return hash ? sanitize(hash) : undefined;
}

/** A Deployment as one version; `current` is its current ReplicaSet, `pods` the pods of all its ReplicaSets. */
export function deploymentVersion(deployment: KObject, role: Role, current: KObject | undefined, pods: KObject[]): Version {
	const id = sanitize(nameOf(deployment));
	const version: Version = {
		id,
		role,
		workload: id,
		workloadKind: 'Deployment',
		images: templateImages(deployment).map(sanitize),
		desired: desiredReplicas(deployment),
		...podCounts(pods),
		available: available(deployment),
		selector: sanitize(selectorString(deployment.spec?.selector)),
	};
	const revision = revisionOf(deployment);
	if (revision !== undefined) version.revision = revision;
	const hash = hashOf(current);
	if (hash) version.podTemplateHash = hash;
	const warnings = imageWarnings(templateImages(deployment), pods);
	if (warnings.length > 0) version.imageWarnings = warnings;
	return version;
}

/** How a ReplicaSet names its revision and pod template: a Deployment's annotation and label, or an Argo Rollout's. */
export type ReplicaSetNames = {revision: number | undefined; podTemplateHash: string | undefined};

const deploymentNames = (replicaSet: KObject): ReplicaSetNames => ({revision: revisionOf(replicaSet), podTemplateHash: hashOf(replicaSet)});

/** A ReplicaSet (of a rolling Deployment, or of an Argo Rollout with its `names`) as one version. */
export function replicaSetVersion(replicaSet: KObject, role: Role, pods: KObject[], names: ReplicaSetNames = deploymentNames(replicaSet)): Version {
	const id = sanitize(nameOf(replicaSet));
	const version: Version = {
		id,
		role,
		workload: id,
		workloadKind: 'ReplicaSet',
		images: templateImages(replicaSet).map(sanitize),
		desired: desiredReplicas(replicaSet),
		...podCounts(pods),
		available: available(replicaSet),
		selector: sanitize(selectorString(replicaSet.spec?.selector)),
	};
	if (names.revision !== undefined) version.revision = names.revision;
	if (names.podTemplateHash) version.podTemplateHash = sanitize(names.podTemplateHash);
	const warnings = imageWarnings(templateImages(replicaSet), pods);
	if (warnings.length > 0) version.imageWarnings = warnings;
	return version;
}

/** Roles that hold the running (old) version come first, new ones after. */
const roleOrder: Record<Role, number> = {stable: 0, active: 0, old: 0, canary: 1, preview: 1, new: 1};

export function isNewRole(role: Role): boolean {
	return roleOrder[role] === 1;
}

/** Versions in display order: old roles first, then by revision, then by id. */
export function orderVersions(versions: readonly Version[]): Version[] {
	return [...versions].sort((a, b) =>
		(roleOrder[a.role] ?? 2) - (roleOrder[b.role] ?? 2)
		|| (a.revision ?? 0) - (b.revision ?? 0)
		|| a.id.localeCompare(b.id));
}

/** The weight of a version: the router's, else the version's own (replica share). */
export function weightOf(release: Pick<Release, 'traffic'>, version: Pick<Version, 'id' | 'weight'>): number | undefined {
	return release.traffic?.weights[version.id] ?? version.weight;
}
