// Argo Rollouts actions, as pure builders: exactly the patches the kubectl argo rollouts plugin sends
// (promote, promote --full, abort, retry, pause, resume, undo --to-revision), each with a precondition,
// and the weight keys' "go to the step whose setWeight is nearest". Nothing here talks to the cluster:
// an executor sends `steps` in order.
//
// Status patches follow the plugin's status-first rule: a JSON merge patch to the `status` subresource,
// and, when that answers 404 (a CRD without the subresource), `fallback` to the main resource.
//
// Preconditions: the first request of a plan carries the Rollout's `metadata.resourceVersion` (a merge
// patch) or a leading `test` of `/metadata/resourceVersion` (a JSON patch), so a Rollout that changed
// since the operator looked answers 409 (or 422) instead of being changed blindly. A later request of
// the same plan (promote's spec patch after its status patch) carries `metadata.uid`, and says
// `resourceVersionFromPrevious`: an executor that can should put the resourceVersion of the previous
// response in its place (see `chainResourceVersion`).
import type {KObject} from '../kube/object.js';
import {argoRevision, canarySteps, currentStepIndex, isBlueGreen, maxTrafficWeight, ROLLOUT_HASH_LABEL, rolloutHash, stepWeightAt} from '../release/argo.js';
import {nameOf} from '../release/object-fields.js';

export const MERGE_PATCH = 'application/merge-patch+json';
export const JSON_PATCH = 'application/json-patch+json';

export type JsonPatchOperation = {op: 'test' | 'add' | 'replace' | 'remove'; path: string; value?: unknown};

/** One PATCH request (the same shape as the other actions' Step, plus what is particular to controllers). */
export type ControllerPatch = {
	method: 'PATCH';
	/** API path; ends in `/status` for a status-subresource patch. */
	path: string;
	contentType: typeof MERGE_PATCH | typeof JSON_PATCH;
	/** What to send: `patch` plus the precondition. */
	body: unknown;
	/** Exactly the patch the plugin sends, without the precondition. */
	patch: unknown;
	precondition:
		| {kind: 'resourceVersion'; resourceVersion: string}
		| {kind: 'test'; path: string; value: unknown}
		/** Same object (uid); the executor should add the resourceVersion from the previous response. */
		| {kind: 'uid'; uid: string; resourceVersionFromPrevious: true};
	/** Kind/name, for messages and the audit Event. */
	object: string;
	/** What this request does, in the operator's words. */
	summary: string;
	subresource?: 'status';
	/** The status-first rule: on 404 from the status subresource, send this to the main resource instead. */
	fallback?: {path: string; body: unknown; patch: unknown};
};

export type ControllerAction =
	| 'promote'
	| 'promote-full'
	| 'abort'
	| 'retry'
	| 'pause'
	| 'resume'
	| 'undo'
	| 'set-step'
	| 'skip-analysis'
	| 'restore-analysis'
	| 'suspend';

/** A plan for one action on a controller's object (fits the other actions' Plan: title, changes, steps). */
export type ControllerPlan = {
	action: ControllerAction;
	/** Short title: `promote rollout/orders`. */
	title: string;
	/** What will change and what to expect, one line each. */
	changes: string[];
	steps: ControllerPatch[];
	/** The object the audit Event is about. */
	regarding: {apiVersion: string; kind: string; name: string; namespace: string; uid?: string};
	/** Changes the cluster in a way that is hard to take back (abort, undo, promote fully). */
	dangerous: boolean;
};

/** A plan, or why there is nothing to do (a message for the operator, not an error). */
export type ControllerPlanned = {plan: ControllerPlan} | {message: string};

// --- Paths and preconditions -------------------------------------------------------------------

const seg = (s: string) => encodeURIComponent(s);

export function rolloutPath(namespace: string, name: string, subresource?: 'status'): string {
	return `/apis/argoproj.io/v1alpha1/namespaces/${seg(namespace)}/rollouts/${seg(name)}${subresource ? `/${subresource}` : ''}`;
}

/** A merge patch with `metadata.resourceVersion` (or uid) added as the precondition. */
export function withMetadata(patch: Record<string, unknown>, metadata: Record<string, string>): Record<string, unknown> {
	return {metadata, ...patch};
}

function rv(o: KObject): string {
	const value = o.metadata.resourceVersion;
	if (!value) throw new Error(`${o.kind ?? 'object'}/${nameOf(o)} has no resourceVersion: read it from the API server first`);
	return value;
}

/** A merge-patch request to an object (main resource or status), with the resourceVersion precondition. */
export function mergePatch(o: KObject, path: string, patch: Record<string, unknown>, summary: string, options: {subresource?: 'status'; chained?: boolean; fallback?: {path: string; patch: Record<string, unknown>}} = {}): ControllerPatch {
	const first = !options.chained;
	const metadata: Record<string, string> = first ? {resourceVersion: rv(o)} : {uid: o.metadata.uid ?? ''};
	const step: ControllerPatch = {
		method: 'PATCH',
		path,
		contentType: MERGE_PATCH,
		body: withMetadata(patch, metadata),
		patch,
		precondition: first ? {kind: 'resourceVersion', resourceVersion: rv(o)} : {kind: 'uid', uid: o.metadata.uid ?? '', resourceVersionFromPrevious: true},
		object: `${o.kind ?? 'Rollout'}/${nameOf(o)}`,
		summary,
	};
	if (options.subresource) step.subresource = options.subresource;
	if (options.fallback) step.fallback = {path: options.fallback.path, patch: options.fallback.patch, body: withMetadata(options.fallback.patch, metadata)};
	return step;
}

/** A JSON-patch request whose first operation tests `/metadata/resourceVersion`. */
export function jsonPatch(o: KObject, path: string, ops: JsonPatchOperation[], summary: string): ControllerPatch {
	const version = rv(o);
	return {
		method: 'PATCH',
		path,
		contentType: JSON_PATCH,
		body: [{op: 'test', path: '/metadata/resourceVersion', value: version}, ...ops],
		patch: ops,
		precondition: {kind: 'test', path: '/metadata/resourceVersion', value: version},
		object: `${o.kind ?? 'Object'}/${nameOf(o)}`,
		summary,
	};
}

/**
 * The body to send for `step` after the previous request of the plan answered `previous`: a chained merge
 * patch gets the previous response's resourceVersion in place of the uid; other bodies are unchanged.
 */
export function chainResourceVersion(step: ControllerPatch, previous: KObject | undefined): unknown {
	if (step.precondition.kind !== 'uid' || !previous?.metadata?.resourceVersion || step.contentType !== MERGE_PATCH) return step.body;
	return withMetadata(step.patch as Record<string, unknown>, {resourceVersion: previous.metadata.resourceVersion});
}

function regarding(ro: KObject): ControllerPlan['regarding'] {
	const r: ControllerPlan['regarding'] = {apiVersion: ro.apiVersion ?? 'argoproj.io/v1alpha1', kind: 'Rollout', name: nameOf(ro), namespace: ro.metadata.namespace ?? 'default'};
	if (ro.metadata.uid) r.uid = ro.metadata.uid;
	return r;
}

const ref = (ro: KObject) => `rollout/${nameOf(ro)}`;
const ns = (ro: KObject) => ro.metadata.namespace ?? 'default';

/** Pause conditions, controller pause and the current step's analysis as the plugin reads them. */
function pauseState(ro: KObject) {
	const status = ro.status ?? {};
	const pauseConditions: unknown[] = Array.isArray(status.pauseConditions) ? status.pauseConditions : [];
	const inconclusive = !isBlueGreen(ro) && status.canary?.currentStepAnalysisRunStatus?.status === 'Inconclusive';
	return {pauseConditions, controllerPause: status.controllerPause === true, inconclusive};
}

function stepName(ro: KObject, index: number): string {
	const steps = canarySteps(ro);
	if (index >= steps.length) return 'all steps done (100%)';
	const step = steps[index] ?? {};
	const what = typeof step.setWeight === 'number'
		? `setWeight ${step.setWeight}`
		: 'pause' in step
			? step.pause?.duration !== undefined ? `pause ${step.pause.duration}` : 'pause'
			: Object.keys(step)[0] ?? 'step';
	return `step ${index + 1}/${steps.length} (${what})`;
}

// --- Promote ----------------------------------------------------------------------------------

/**
 * `kubectl argo rollouts promote NAME`: clear the pause conditions (or, for a canary that is not paused,
 * move to the next step) through the status subresource; then `spec.paused: false` when the Rollout is
 * paused by spec. For an Inconclusive analysis pause also `controllerPause: false` and the next step.
 */
export function argoPromote(ro: KObject): ControllerPlanned {
	const status = ro.status ?? {};
	if (status.abort === true) return {message: `${ref(ro)} is aborted: retry it or undo to a revision first`};
	const {pauseConditions, controllerPause, inconclusive} = pauseState(ro);
	const steps = canarySteps(ro);
	const index = currentStepIndex(ro);
	const specPaused = ro.spec?.paused === true;
	const promoted = status.currentPodHash !== undefined && status.currentPodHash === status.stableRS;
	if (promoted && !specPaused && pauseConditions.length === 0) return {message: `${ref(ro)} is fully promoted: nothing to promote`};
	const changes: string[] = [];
	let statusPatch: Record<string, unknown> | undefined;
	let unified: Record<string, unknown> = {spec: {paused: false}, status: {pauseConditions: null}};
	if (inconclusive && pauseConditions.length > 0 && controllerPause && index !== undefined) {
		const next = Math.min(index + 1, steps.length);
		statusPatch = {status: {pauseConditions: null, controllerPause: false, currentStepIndex: next}};
		changes.push(`inconclusive analysis: ${stepName(ro, index)} → ${stepName(ro, next)}`);
	} else if (pauseConditions.length > 0) {
		statusPatch = {status: {pauseConditions: null}};
		const reasons = pauseConditions.map(c => String((c as {reason?: string})?.reason ?? '?')).join(', ');
		changes.push(`clear the pause (${reasons})${index !== undefined ? `: ${stepName(ro, index)} → next step` : isBlueGreen(ro) ? ': switch the active Service to the preview' : ''}`);
	} else if (!isBlueGreen(ro) && index !== undefined) {
		const next = Math.min(index + 1, steps.length);
		statusPatch = {status: {pauseConditions: null, currentStepIndex: next}};
		unified = {spec: {paused: false}, status: {pauseConditions: null, currentStepIndex: next}};
		changes.push(`skip ${stepName(ro, index)} → ${stepName(ro, next)}`);
	}
	if (!statusPatch && !specPaused) return {message: `${ref(ro)} is not paused: nothing to promote (promote fully to skip the remaining steps)`};
	const steps_: ControllerPatch[] = [];
	if (statusPatch) {
		steps_.push(mergePatch(ro, rolloutPath(ns(ro), nameOf(ro), 'status'), statusPatch, 'promote (status)', {subresource: 'status', fallback: {path: rolloutPath(ns(ro), nameOf(ro)), patch: unified}}));
	}
	if (specPaused) {
		changes.push('resume: spec.paused true → false');
		steps_.push(mergePatch(ro, rolloutPath(ns(ro), nameOf(ro)), {spec: {paused: false}}, 'unpause (spec)', {chained: steps_.length > 0}));
	}
	return {plan: {action: 'promote', title: `promote ${ref(ro)}`, changes, steps: steps_, regarding: regarding(ro), dangerous: false}};
}

/** `promote --full`: `{"status":{"promoteFull":true}}`, only when the current pod hash is not yet the stable one. */
export function argoPromoteFull(ro: KObject): ControllerPlanned {
	const status = ro.status ?? {};
	if (status.abort === true) return {message: `${ref(ro)} is aborted: retry it or undo to a revision first`};
	if (status.currentPodHash === status.stableRS) return {message: `${ref(ro)} is already fully promoted`};
	const changes = [
		isBlueGreen(ro) ? 'switch the active Service to the new version now, skipping the pause and any analysis' : 'skip the remaining steps, pauses and analysis: the new version takes all traffic',
	];
	if (ro.spec?.paused === true) changes.push('note: spec.paused is true; the controller holds until it is resumed');
	const patch = {status: {promoteFull: true}};
	return {
		plan: {
			action: 'promote-full',
			title: `promote ${ref(ro)} fully`,
			changes,
			steps: [mergePatch(ro, rolloutPath(ns(ro), nameOf(ro), 'status'), patch, 'promote fully (status)', {subresource: 'status', fallback: {path: rolloutPath(ns(ro), nameOf(ro)), patch}})],
			regarding: regarding(ro),
			dangerous: true,
		},
	};
}

// --- Abort and retry --------------------------------------------------------------------------

/** `abort`: `{"status":{"abort":true}}`; all traffic back to the stable ReplicaSet, the canary scaled down. */
export function argoAbort(ro: KObject): ControllerPlanned {
	const status = ro.status ?? {};
	if (status.abort === true) return {message: `${ref(ro)} is already aborted`};
	if (status.currentPodHash !== undefined && status.currentPodHash === status.stableRS) return {message: `${ref(ro)} is fully promoted: nothing to abort (undo to a revision instead)`};
	const patch = {status: {abort: true}};
	return {
		plan: {
			action: 'abort',
			title: `abort ${ref(ro)}`,
			changes: [
				isBlueGreen(ro) ? 'the active Service stays on the stable version; the preview is scaled down' : 'all traffic back to the stable ReplicaSet; the canary is scaled down',
				'spec.template still holds the new version: retry re-runs it, undo replaces it',
			],
			steps: [mergePatch(ro, rolloutPath(ns(ro), nameOf(ro), 'status'), patch, 'abort (status)', {subresource: 'status', fallback: {path: rolloutPath(ns(ro), nameOf(ro)), patch}})],
			regarding: regarding(ro),
			dangerous: true,
		},
	};
}

/** `retry rollout`: `{"status":{"abort":false}}`; the steps start again from the first. */
export function argoRetry(ro: KObject): ControllerPlanned {
	if (ro.status?.abort !== true) return {message: `${ref(ro)} is not aborted: nothing to retry`};
	const patch = {status: {abort: false}};
	return {
		plan: {
			action: 'retry',
			title: `retry ${ref(ro)}`,
			changes: [`run the update to ${(ro.spec?.template?.spec?.containers ?? []).map((c: {image?: string}) => c.image).join(', ') || 'the new template'} again from the first step`],
			steps: [mergePatch(ro, rolloutPath(ns(ro), nameOf(ro), 'status'), patch, 'retry (status)', {subresource: 'status', fallback: {path: rolloutPath(ns(ro), nameOf(ro)), patch}})],
			regarding: regarding(ro),
			dangerous: false,
		},
	};
}

// --- Pause and resume -------------------------------------------------------------------------

/** `pause`: `{"spec":{"paused":true}}`. */
export function argoPause(ro: KObject): ControllerPlanned {
	if (ro.spec?.paused === true) return {message: `${ref(ro)} is already paused`};
	return {
		plan: {
			action: 'pause',
			title: `pause ${ref(ro)}`,
			changes: ['spec.paused false → true: steps, weights and scaling hold where they are'],
			steps: [mergePatch(ro, rolloutPath(ns(ro), nameOf(ro)), {spec: {paused: true}}, 'pause (spec)')],
			regarding: regarding(ro),
			dangerous: false,
		},
	};
}

/** The old `resume`: `{"spec":{"paused":false}}` (the plugin's promote sends the same when paused by spec). */
export function argoResume(ro: KObject): ControllerPlanned {
	if (ro.spec?.paused !== true) return {message: `${ref(ro)} is not paused by spec${pauseState(ro).pauseConditions.length > 0 ? ': it waits at a pause step, promote it instead' : ''}`};
	return {
		plan: {
			action: 'resume',
			title: `resume ${ref(ro)}`,
			changes: ['spec.paused true → false'],
			steps: [mergePatch(ro, rolloutPath(ns(ro), nameOf(ro)), {spec: {paused: false}}, 'resume (spec)')],
			regarding: regarding(ro),
			dangerous: false,
		},
	};
}

// --- Undo -----------------------------------------------------------------------------------

/** The Rollout's ReplicaSets (controlled by it, matching its selector's labels), newest revision first. */
export function rolloutHistory(ro: KObject, replicaSets: KObject[]): KObject[] {
	const match = ro.spec?.selector?.matchLabels ?? {};
	return replicaSets
		.filter(rs => {
			const owner = (rs.metadata.ownerReferences ?? []).find(r => r.controller === true);
			if (!owner || owner.kind !== 'Rollout' || owner.name !== nameOf(ro)) return false;
			if (owner.uid && ro.metadata.uid && owner.uid !== ro.metadata.uid) return false;
			const labels = rs.spec?.template?.metadata?.labels ?? {};
			return Object.entries(match).every(([k, v]) => labels[k] === v);
		})
		.sort((a, b) => (argoRevision(b) ?? 0) - (argoRevision(a) ?? 0));
}

function withoutHash(template: any): any {
	const t = structuredClone(template ?? {});
	if (t.metadata?.labels) delete t.metadata.labels[ROLLOUT_HASH_LABEL];
	return t;
}

function canonical(value: unknown): string {
	if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
	if (value && typeof value === 'object') {
		return `{${Object.keys(value).filter(k => (value as any)[k] !== undefined && (value as any)[k] !== null).sort().map(k => `${JSON.stringify(k)}:${canonical((value as any)[k])}`).join(',')}}`;
	}
	return JSON.stringify(value);
}

/**
 * `undo NAME --to-revision=N` (N = 0: the revision before the newest): a JSON patch that replaces
 * `/spec/template` with that ReplicaSet's template without the rollouts-pod-template-hash label.
 * Unless the revision is the stable one (or within rollbackWindow), the steps and analysis run again.
 */
export function argoUndo(ro: KObject, replicaSets: KObject[], toRevision = 0): ControllerPlanned {
	const history = rolloutHistory(ro, replicaSets);
	if (history.length === 0) return {message: `no revision found for ${ref(ro)}`};
	let chosen: KObject | undefined;
	if (toRevision === 0) {
		const newest = argoRevision(history[0]!) ?? 0;
		chosen = history.find(rs => (argoRevision(rs) ?? 0) < newest);
		if (!chosen) return {message: `no rollout history found for ${ref(ro)}: nothing to undo to`};
	} else {
		chosen = history.find(rs => argoRevision(rs) === toRevision);
		if (!chosen) return {message: `unable to find specified revision ${toRevision} in history of ${ref(ro)}`};
	}
	const revision = argoRevision(chosen) ?? 0;
	const template = withoutHash(chosen.spec?.template);
	if (ro.spec?.workloadRef) return {message: `${ref(ro)} takes its template from ${ro.spec.workloadRef.kind ?? 'a workload'}/${ro.spec.workloadRef.name ?? '?'}: undo that instead`};
	if (canonical(withoutHash(ro.spec?.template)) === canonical(template)) return {message: `skipped rollback (current template already matches revision ${revision})`};
	const hash = rolloutHash(chosen);
	const window = typeof ro.spec?.rollbackWindow?.revisions === 'number' ? ro.spec.rollbackWindow.revisions : 0;
	const newest = argoRevision(history[0]!) ?? 0;
	const fast = hash !== undefined && (hash === ro.status?.stableRS || (window > 0 && newest - revision <= window));
	const images = (template.spec?.containers ?? []).map((c: {image?: string}) => c.image).join(', ');
	return {
		plan: {
			action: 'undo',
			title: `undo ${ref(ro)} to revision ${revision}`,
			changes: [
				`spec.template → revision ${revision}${images ? ` (${images})` : ''}`,
				fast ? 'it is the stable (or a recent) revision: the Rollout goes back at once' : 'the controller treats this as a new update: the steps and analysis run again',
			],
			steps: [jsonPatch(ro, rolloutPath(ns(ro), nameOf(ro)), [{op: 'replace', path: '/spec/template', value: template}], `undo to revision ${revision}`)],
			regarding: regarding(ro),
			dangerous: true,
		},
	};
}

// --- Weight keys: go to a step ----------------------------------------------------------------

export type WeightStep = {
	/** The step index to move to (a setWeight step). */
	index: number;
	/** Its setWeight, in percent of maxTrafficWeight. */
	weight: number;
	/** Relative to the current step. */
	direction: 'forward' | 'backward' | 'current';
};

/** The setWeight steps, in percent, with their indexes. */
export function setWeightSteps(ro: KObject): Array<{index: number; weight: number}> {
	const max = maxTrafficWeight(ro);
	return canarySteps(ro).flatMap((step, index) => (typeof step.setWeight === 'number' ? [{index, weight: Math.round((step.setWeight * 1000) / max) / 10}] : []));
}

function direction(index: number, current: number): WeightStep['direction'] {
	return index === current ? 'current' : index > current ? 'forward' : 'backward';
}

/**
 * The step whose setWeight is nearest `percent` (Argo has no API for an arbitrary weight). Ties go to
 * the step nearer the current one. Undefined for blue-green and for canaries without setWeight steps.
 */
export function nearestWeightStep(ro: KObject, percent: number): WeightStep | undefined {
	const current = currentStepIndex(ro) ?? 0;
	const candidates = setWeightSteps(ro);
	let best: {index: number; weight: number} | undefined;
	for (const c of candidates) {
		if (!best) best = c;
		else {
			const d = Math.abs(c.weight - percent) - Math.abs(best.weight - percent);
			if (d < 0 || (d === 0 && Math.abs(c.index - current) < Math.abs(best.index - current))) best = c;
		}
	}
	return best && {...best, direction: direction(best.index, current)};
}

/** For + and -: the next setWeight step (after the current one) with a higher weight, or the previous with a lower one. */
export function adjacentWeightStep(ro: KObject, delta: 1 | -1): WeightStep | undefined {
	const steps = canarySteps(ro);
	const current = currentStepIndex(ro) ?? 0;
	const now = stepWeightAt(steps, current) * 100 / maxTrafficWeight(ro);
	const candidates = setWeightSteps(ro);
	const found = delta > 0
		? candidates.find(c => c.index > current && c.weight > now)
		: [...candidates].reverse().find(c => c.index < current && c.weight < now);
	return found && {...found, direction: direction(found.index, current)};
}

/** What the weight keys do on an Argo Rollout, for the screen (the confirm dialog and the help). */
export function weightKeyNote(target: WeightStep | undefined, percent?: number): string {
	if (!target) return 'Argo Rollouts has no weight API: this Rollout has no setWeight step to go to';
	const asked = percent !== undefined && percent !== target.weight ? ` (nearest to ${percent}%)` : '';
	const back = target.direction === 'backward' ? '; moving back a step is not a documented Argo operation' : '';
	return `Argo Rollouts has no weight API: go to step ${target.index + 1}, setWeight ${target.weight}%${asked}${back}`;
}

/**
 * Go to step `index`: `{"status":{"currentStepIndex":index,"pauseConditions":null}}` on the status
 * subresource, the patch promote sends to move on (and `promote --skip-current-step` sets the index with).
 */
export function argoGoToStep(ro: KObject, index: number, note?: string): ControllerPlanned {
	if (isBlueGreen(ro)) return {message: `${ref(ro)} is blue-green: it has no steps (promote switches the active Service)`};
	const steps = canarySteps(ro);
	if (steps.length === 0) return {message: `${ref(ro)} has no steps to go to`};
	if (!Number.isInteger(index) || index < 0 || index > steps.length) return {message: `${ref(ro)} has no step ${index + 1}`};
	const status = ro.status ?? {};
	if (status.abort === true) return {message: `${ref(ro)} is aborted: retry it or undo to a revision first`};
	if (status.currentPodHash !== undefined && status.currentPodHash === status.stableRS) return {message: `${ref(ro)} is fully promoted: there is no update to move through`};
	const current = currentStepIndex(ro) ?? 0;
	if (index === current && pauseState(ro).pauseConditions.length === 0) return {message: `${ref(ro)} is at ${stepName(ro, index)} already`};
	const patch = {status: {currentStepIndex: index, pauseConditions: null}};
	const changes = [`${stepName(ro, current)} → ${stepName(ro, index)}: set weight ${stepWeightAt(steps, current)}% → ${stepWeightAt(steps, index)}%`];
	if (note) changes.push(note);
	if (index < current) changes.push('moving back is not a documented Argo Rollouts operation: the controller may not scale down at once');
	return {
		plan: {
			action: 'set-step',
			title: `${ref(ro)}: go to ${stepName(ro, index)}`,
			changes,
			steps: [mergePatch(ro, rolloutPath(ns(ro), nameOf(ro), 'status'), patch, `go to step ${index + 1}`, {subresource: 'status', fallback: {path: rolloutPath(ns(ro), nameOf(ro)), patch}})],
			regarding: regarding(ro),
			dangerous: index > current + 1,
		},
	};
}

/** The weight keys (0-9, exact %): go to the setWeight step nearest `percent`, saying so. */
export function argoSetWeight(ro: KObject, percent: number): ControllerPlanned {
	const target = nearestWeightStep(ro, percent);
	if (!target) return {message: weightKeyNote(undefined)};
	return argoGoToStep(ro, target.index, weightKeyNote(target, percent));
}

/** The + and - keys: the next higher (or previous lower) setWeight step. */
export function argoStepWeight(ro: KObject, delta: 1 | -1): ControllerPlanned {
	const target = adjacentWeightStep(ro, delta);
	if (!target) return {message: delta > 0 ? `${ref(ro)}: no later setWeight step with more weight (promote to continue)` : `${ref(ro)}: no earlier setWeight step with less weight (abort sends all traffic to stable)`};
	return argoGoToStep(ro, target.index, weightKeyNote(target));
}
