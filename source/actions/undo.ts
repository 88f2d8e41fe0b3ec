// Undo to a revision exactly as `kubectl rollout undo --to-revision=N` does (kubectl's DeploymentRollbacker):
// the ReplicaSet of revision N gives the pod template (without pod-template-hash) and the annotations (but
// for those the Deployment keeps), sent as one JSON Patch replacing /spec/template and /metadata/annotations.
// Unlike kubectl, the patch first tests that template and annotations are still what the operator saw.
import type {KObject} from '../kube/object.js';
import {CHANGE_CAUSE_ANNOTATION, nameOf, revisionOf, templateImages} from '../release/object-fields.js';
import {sanitize} from '../release/sanitize.js';
import type {JsonPatchOp} from '../traffic/router.js';
import {diffText, templateDiff, type DiffLine} from './diff.js';
import {clone, equalIgnoreHash, POD_TEMPLATE_HASH} from './json.js';
import {objectPath, refOf} from './paths.js';
import {PROMOTION_ANNOTATION} from './promotion.js';
import {findObject, type ActionTarget} from './target.js';
import {JSON_PATCH, type Plan, type Planned} from './types.js';

/** Annotations the Deployment keeps through a rollback (kubectl's annotationsToSkip). */
export const KEPT_ANNOTATIONS = [
	'kubectl.kubernetes.io/last-applied-configuration',
	'deployment.kubernetes.io/revision',
	'deployment.kubernetes.io/revision-history',
	'deployment.kubernetes.io/desired-replicas',
	'deployment.kubernetes.io/max-replicas',
	'deprecated.deployment.rollback.to',
];

export type RevisionEntry = {revision: number; replicaSet: KObject; pods: number; current: boolean; diff: DiffLine[]};

/** A Deployment's revisions, newest first, each with what differs from the Deployment's template now. */
export function revisionEntries(t: ActionTarget, deployment: KObject): RevisionEntry[] {
	const current = t.scan.own.currentReplicaSet(deployment);
	return t.scan.own
		.replicaSetsOf(deployment)
		.filter(rs => revisionOf(rs) !== undefined)
		.map(rs => ({revision: revisionOf(rs)!, replicaSet: rs, pods: t.scan.own.podsOf(rs).length, current: rs === current, diff: templateDiff(deployment.spec?.template, rs.spec?.template)}))
		.sort((a, b) => b.revision - a.revision);
}

/** kubectl's --to-revision=0: the second-highest revision. */
export function previousRevision(entries: RevisionEntry[]): number | undefined {
	const revisions = [...new Set(entries.map(e => e.revision))].sort((a, b) => b - a);
	return revisions[1];
}

/** The template and annotations a rollback to `rs` writes into `deployment`. */
export function rollbackContent(deployment: KObject, rs: KObject): {template: any; annotations: Record<string, string>} {
	const template = clone(rs.spec?.template ?? {});
	if (template.metadata?.labels) delete template.metadata.labels[POD_TEMPLATE_HASH];
	const annotations: Record<string, string> = {};
	const own = deployment.metadata.annotations ?? {};
	for (const key of KEPT_ANNOTATIONS) if (own[key] !== undefined) annotations[key] = own[key];
	for (const [key, value] of Object.entries(rs.metadata.annotations ?? {})) if (!KEPT_ANNOTATIONS.includes(key)) annotations[key] = value;
	return {template, annotations};
}

/** The JSON Patch of a rollback, testing first that template and annotations are as seen. */
export function rollbackOps(deployment: KObject, content: {template: unknown; annotations: Record<string, string>}): JsonPatchOp[] {
	const ops: JsonPatchOp[] = [{op: 'test', path: '/spec/template', value: deployment.spec?.template}];
	const had = deployment.metadata.annotations;
	if (had !== undefined) ops.push({op: 'test', path: '/metadata/annotations', value: had});
	ops.push({op: 'replace', path: '/spec/template', value: content.template});
	ops.push({op: had === undefined ? 'add' : 'replace', path: '/metadata/annotations', value: content.annotations});
	return ops;
}

const imagesOf = (obj: KObject) => templateImages(obj).map(sanitize).join(', ');

export type UndoOptions = {
	/** Also resume a paused Deployment in the same patch (abort of a paused rollout); kubectl refuses instead. */
	resume?: boolean;
	/** Undo a paused Deployment and leave it paused (abort of a promotion whose stable is paused). */
	allowPaused?: boolean;
	/** Annotation keys to leave out of what the rollback writes. */
	drop?: string[];
	reason?: 'RollscopeUndo' | 'RollscopeAbort';
};

/** Plan: roll `deployment` back to revision `toRevision` (0: the previous one), as kubectl does. */
export function planUndo(t: ActionTarget, deployment: KObject, toRevision: number, options: UndoOptions = {}): Planned {
	const name = nameOf(deployment);
	const entries = revisionEntries(t, deployment);
	const revision = toRevision === 0 ? previousRevision(entries) : toRevision;
	if (revision === undefined) return {message: `deploy/${name} has no rollout history to go back to`};
	const entry = entries.find(e => e.revision === revision);
	if (!entry) return {message: `deploy/${name} has no revision ${revision}`};
	const paused = deployment.spec?.paused === true;
	if (paused && !options.resume && !options.allowPaused) return {message: `deploy/${name} is paused: like kubectl, rollscope does not undo a paused Deployment; resume it first (space)`};
	if (equalIgnoreHash(entry.replicaSet.spec?.template, deployment.spec?.template)) {
		return {message: `skipped: the template of deploy/${name} already matches revision ${revision}`};
	}
	const content = rollbackContent(deployment, entry.replicaSet);
	// rollscope's own records are copied onto ReplicaSets by the controller; they must not come back with an undo.
	for (const key of [PROMOTION_ANNOTATION, ...(options.drop ?? [])]) delete content.annotations[key];
	const ops = rollbackOps(deployment, content);
	if (paused && options.resume) ops.push({op: 'test', path: '/spec/paused', value: true}, {op: 'remove', path: '/spec/paused'});
	const from = revisionOf(deployment);
	const cause = content.annotations[CHANGE_CAUSE_ANNOTATION];
	const changes = [
		...entry.diff.map(diffText),
		...(entry.diff.length === 0 ? ['pod template (metadata only)'] : []),
		`annotations from revision ${revision}${cause ? ` (change-cause: ${sanitize(cause)})` : ''}`,
		`revision ${revision} comes back as a new revision number (as with kubectl rollout undo)`,
		...(entry.pods > 0 ? [`ReplicaSet ${sanitize(nameOf(entry.replicaSet))} still has ${entry.pods} pod(s): it is scaled back up`] : []),
		...(paused ? [options.resume ? 'and the rollout is resumed' : `deploy/${name} stays paused`] : []),
	];
	const images = imagesOf(entry.replicaSet);
	const reason = options.reason ?? 'RollscopeUndo';
	const plan: Plan = {
		title: `${reason === 'RollscopeAbort' ? 'abort: ' : ''}undo deploy/${name} to revision ${revision}`,
		changes,
		steps: [{method: 'PATCH', path: objectPath(deployment, 'Deployment', t.namespace), contentType: JSON_PATCH, body: ops, object: `Deployment/${name}`, summary: `deploy/${name}: template and annotations of revision ${revision}`}],
		event: {
			reason,
			regarding: refOf(deployment, 'Deployment', t.namespace),
			message: `${t.user} rolled deploy/${name} back to revision ${revision}: revision ${from ?? '?'} -> ${revision}, image ${imagesOf(deployment)} -> ${images}`,
		},
		verify: snap => {
			const now = findObject(snap, 'Deployment', name);
			return now !== undefined && equalIgnoreHash(now.spec?.template, content.template);
		},
		done: `deploy/${name} is back at the template of revision ${revision} (${images})`,
	};
	return {plan};
}
