// Revision history: every ReplicaSet of the release's Deployments, newest first.
import type {KObject} from '../kube/object.js';
import type {Revision} from './model.js';
import {ageSeconds, annotation, CHANGE_CAUSE_ANNOTATION, compareText, createdAt, nameOf, revisionOf, templateImages} from './object-fields.js';
import type {Ownership} from './ownership.js';
import {sanitize} from './sanitize.js';

export function revisionsOf(deployments: KObject[], own: Ownership, now: number): Revision[] {
	const rows: Array<{revision: Revision; created: number}> = [];
	for (const deployment of deployments) {
		const current = own.currentReplicaSet(deployment);
		for (const rs of own.replicaSetsOf(deployment)) {
			const revision: Revision = {
				revision: revisionOf(rs) ?? 0,
				images: templateImages(rs).map(sanitize),
				ageSeconds: ageSeconds(rs, now),
				pods: own.podsOf(rs).length,
				replicaSet: sanitize(nameOf(rs)),
				workload: sanitize(nameOf(deployment)),
				current: rs === current,
			};
			const cause = annotation(rs, CHANGE_CAUSE_ANNOTATION);
			if (cause) revision.changeCause = sanitize(cause);
			rows.push({revision, created: createdAt(rs)});
		}
	}
	// One Deployment: by revision number, as `kubectl rollout history` lists them (a rollback renumbers an old
	// ReplicaSet as the newest). Several: by creation, since each Deployment counts its own revisions.
	const single = deployments.length <= 1;
	rows.sort(
		(a, b) =>
			(single ? b.revision.revision - a.revision.revision : b.created - a.created) ||
			b.revision.revision - a.revision.revision ||
			b.created - a.created ||
			compareText(a.revision.replicaSet, b.revision.replicaSet),
	);
	return rows.map(row => row.revision);
}
