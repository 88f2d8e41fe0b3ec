// Which version of a release a series belongs to, from the value of its version label.
import type {Release, Role, Version} from '../release/model.js';

const newRoles: ReadonlySet<Role> = new Set(['canary', 'preview', 'new']);
const isNewRole = (role: Role) => newRoles.has(role);

export type VersionMatch = 'name' | 'canary-flag';

/** Label values that stand for a version: its Deployment name, or for a ReplicaSet its name and pod-template hash. */
export function versionKeys(version: Version): string[] {
	if (version.workloadKind === 'ReplicaSet') return [version.id, ...(version.podTemplateHash ? [version.podTemplateHash] : [])];
	return [...new Set([version.id, version.workload])];
}

/** Every label value that names a version of the release (for the `{{versions}}` regular expression). */
export function versionValues(release: Release): string[] {
	return [...new Set(release.versions.flatMap(versionKeys))];
}

/**
 * The version id a label value stands for. `name`: by versionKeys. `canary-flag` (ingress-nginx's `canary`
 * label): an empty or absent value is the old side (stable, active), any other the new side (canary, preview).
 * Prometheus leaves labels with empty values out, so an absent label reads as empty.
 */
export function matchVersion(release: Release, match: VersionMatch): (value: string | undefined) => string | undefined {
	if (match === 'canary-flag') {
		const old = release.versions.find(v => !isNewRole(v.role))?.id;
		const fresh = release.versions.find(v => isNewRole(v.role))?.id;
		return value => (value === undefined || value === '' ? old : fresh);
	}
	const byKey = new Map<string, string>();
	// Ids first, so that a version's own name wins over another's hash.
	for (const v of release.versions) byKey.set(v.id, v.id);
	for (const v of release.versions) for (const key of versionKeys(v)) if (!byKey.has(key)) byKey.set(key, v.id);
	return value => (value === undefined ? undefined : byKey.get(value));
}
