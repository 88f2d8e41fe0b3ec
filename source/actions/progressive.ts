// The keys on an Argo Rollout or a Flagger Canary: the pure builders of ./argo.ts and ./flagger.ts turned
// into Plans the rest of the action flow runs (confirmation, executor, audit Event, watch follow-up).
import type {KObject} from '../kube/object.js';
import {argoRevision, canarySteps, currentStepIndex, maxTrafficWeight, ROLLOUT_HASH_LABEL, rolloutHash, stepWeightAt} from '../release/argo.js';
import {nameOf} from '../release/object-fields.js';
import type {ClusterSnapshot} from '../release/snapshot.js';
import {argoAbort, argoPause, argoPromote, argoPromoteFull, argoResume, argoRetry, argoSetWeight, argoStepWeight, argoUndo, rolloutHistory, type ControllerAction, type ControllerPlan, type ControllerPlanned} from './argo.js';
import {templateDiff} from './diff.js';
import {flaggerPromote, flaggerRestoreAnalysis, flaggerResume, flaggerSuspend, flaggerUndo} from './flagger.js';
import type {Intent, WeightKey} from './intents.js';
import type {WeightKeyAnswer} from './weights.js';
import type {ActionTarget} from './target.js';
import type {AuditReason, Plan, Planned} from './types.js';
import {revisionEntries, type RevisionEntry} from './undo.js';

export const REASONS: Record<ControllerAction, AuditReason> = {
	promote: 'RollscopePromote',
	'promote-full': 'RollscopePromote',
	'skip-analysis': 'RollscopePromote',
	retry: 'RollscopeResume',
	abort: 'RollscopeAbort',
	pause: 'RollscopePause',
	suspend: 'RollscopePause',
	resume: 'RollscopeResume',
	'restore-analysis': 'RollscopeResume',
	undo: 'RollscopeUndo',
	'set-step': 'RollscopeSetWeight',
};

function pool(snap: ClusterSnapshot, kind: string): KObject[] {
	if (kind === 'Rollout') return snap.rollouts ?? [];
	if (kind === 'Canary') return snap.canaries ?? [];
	if (kind === 'Deployment') return snap.deployments;
	return [];
}

/**
 * A controller plan as a Plan: its requests as steps, the audit Event on the Rollout/Canary, and done once the
 * watch shows the written object at a newer resourceVersion than the one planned from.
 */
export function fromControllerPlan(t: ActionTarget, cp: ControllerPlan, controller: string, reasonFor = REASONS): Plan {
	const written = cp.steps.at(-1)!;
	const [kind, ...rest] = written.object.split('/');
	const name = rest.join('/');
	const seen = pool(t.snap, kind).find(o => nameOf(o) === name)?.metadata.resourceVersion;
	return {
		title: cp.title,
		changes: cp.changes,
		steps: cp.steps,
		event: {reason: reasonFor[cp.action], regarding: cp.regarding, message: `${t.user}: ${cp.title}: ${cp.changes.join('; ')}`},
		verify: snap => {
			const now = pool(snap, kind).find(o => nameOf(o) === name);
			return now !== undefined && now.metadata.resourceVersion !== seen;
		},
		done: `${cp.title}: written; ${controller} carries on`,
	};
}

const plannedBy = (t: ActionTarget, p: ControllerPlanned, controller: string): Planned => ('message' in p ? p : {plan: fromControllerPlan(t, p.plan, controller)});

/** An intent on an Argo Rollout. */
export function planArgo(t: ActionTarget, ro: KObject, intent: Intent): Planned {
	const planned = (p: ControllerPlanned) => plannedBy(t, p, 'Argo Rollouts');
	switch (intent.name) {
		case 'setWeight':
			return planned(argoSetWeight(ro, intent.percent));
		case 'stepWeight':
			return planned(argoStepWeight(ro, intent.delta));
		case 'promote':
			return planned(ro.status?.abort === true ? argoRetry(ro) : argoPromote(ro));
		case 'promoteFull':
			return planned(argoPromoteFull(ro));
		case 'restoreAnalysis':
			return {message: `restore analysis (r) is for a Flagger Canary: rollout/${nameOf(ro)} is an Argo Rollout (P promotes it fully, skipping its analysis)`};
		case 'abort':
			return planned(argoAbort(ro));
		case 'pause':
			return planned(ro.spec?.paused === true ? argoResume(ro) : argoPause(ro));
		case 'undo':
			return planned(argoUndo(ro, t.snap.replicaSets, intent.revision));
	}
}

/** An intent on a Flagger Canary. */
export function planFlagger(t: ActionTarget, canary: KObject, intent: Intent): Planned {
	const planned = (p: ControllerPlanned) => plannedBy(t, p, 'Flagger');
	const ref = `canary/${nameOf(canary)}`;
	switch (intent.name) {
		case 'setWeight':
		case 'stepWeight':
			return {message: `Flagger has no weight API: ${ref} moves its weight by itself (p promotes, skipping the analysis)`};
		case 'promote':
			return planned(flaggerPromote(canary));
		case 'promoteFull':
			return {message: `Flagger has no promote --full: p promotes ${ref} at once, skipping the rest of its analysis (r restores the analysis afterwards)`};
		case 'restoreAnalysis':
			return planned(flaggerRestoreAnalysis(canary));
		case 'abort':
			return {message: `Flagger has no abort: ${ref} rolls back by itself when its checks fail (u reverts the target Deployment)`};
		case 'pause':
			return planned(canary.spec?.suspend === true ? flaggerResume(canary) : flaggerSuspend(canary));
		case 'undo': {
			const target = t.release.members.find(m => m.role === 'canary')?.deployment;
			if (!target) return {message: `${ref} has no target Deployment in the watch`};
			const primary = t.release.members.find(m => m.role === 'stable')?.deployment;
			const source = primary && intent.deployment === nameOf(primary)
				? primary
				: revisionEntries(t, target).find(e => e.revision === intent.revision)?.replicaSet;
			if (!source) return {message: `deploy/${nameOf(target)} has no revision ${intent.revision}`};
			return planned(flaggerUndo(canary, target, source));
		}
	}
}

/** The weight keys on an Argo Rollout: Argo has no weight API, so + and - (and [ ]) go to the next or previous setWeight step. */
export function argoWeightKey(ro: KObject, key: WeightKey): WeightKeyAnswer {
	if (key === 'typeWeight') return {prompt: {current: argoCurrentWeight(ro)}};
	return {intent: {name: 'stepWeight', delta: key === 'weightUp' || key === 'planNext' ? 1 : -1}};
}

/** The weight the weight prompt starts from on an Argo Rollout: the current step's setWeight. */
export function argoCurrentWeight(ro: KObject): number {
	return Math.round((stepWeightAt(canarySteps(ro), currentStepIndex(ro) ?? 0) * 1000) / maxTrafficWeight(ro)) / 10;
}

function withoutRolloutHash(template: any): any {
	const copy = structuredClone(template ?? {});
	if (copy.metadata?.labels) delete copy.metadata.labels[ROLLOUT_HASH_LABEL];
	return copy;
}

/** The Rollout's revisions for the revision picker, newest first. */
export function argoRevisionEntries(t: ActionTarget, ro: KObject): RevisionEntry[] {
	return rolloutHistory(ro, t.snap.replicaSets)
		.filter(rs => argoRevision(rs) !== undefined)
		.map(rs => ({
			revision: argoRevision(rs)!,
			replicaSet: rs,
			pods: t.scan.own.podsOf(rs).length,
			current: rolloutHash(rs) !== undefined && rolloutHash(rs) === ro.status?.currentPodHash,
			diff: templateDiff(withoutRolloutHash(ro.spec?.template), withoutRolloutHash(rs.spec?.template)),
		}));
}
