// OpenKruise Rollouts actions, as pure builders: what kubectl-kruise (kruise-tools) writes, each with a
// precondition. p approves a paused step (`rollout approve`: currentStepState StepPaused → StepReady on the status
// subresource), space pauses and resumes (`rollout pause`/`resume`: spec.strategy.paused), u puts the workload's
// pod template back to a revision (Kruise's documented rollback: the controller sees the stable revision again
// and cancels the release), a goes back to an earlier step without traffic (`rollout undo rollout/NAME --fast`:
// status.canaryStatus.nextStepIndex). Kruise has no weight API and no promote --full.
import type {KObject} from '../kube/object.js';
import {kruiseRawSteps, kruiseSteps, kruiseSubStatus, scaledReplicas, stepReplicas, stepTraffic} from '../release/kruise.js';
import {nameOf} from '../release/object-fields.js';
import {sanitize} from '../release/sanitize.js';
import type {ClusterSnapshot} from '../release/snapshot.js';
import {jsonPatch, mergePatch, type ControllerPlan, type ControllerPlanned} from './argo.js';
import {diffText, templateDiff} from './diff.js';
import {equalIgnoreHash, withoutHash} from './json.js';
import type {Intent} from './intents.js';
import {REASONS} from './progressive.js';
import type {ActionTarget} from './target.js';
import type {Plan, Planned} from './types.js';
import {revisionEntries} from './undo.js';

const seg = (s: string) => encodeURIComponent(s);
const ns = (o: KObject) => o.metadata.namespace ?? 'default';
const ref = (ro: KObject) => `rollout/${nameOf(ro)}`;

/** The Rollout's API path, in the version it was read in (v1beta1 when it does not say). */
export function kruiseRolloutPath(ro: KObject, subresource?: 'status'): string {
	const apiVersion = (ro.apiVersion ?? '').startsWith('rollouts.kruise.io/') ? ro.apiVersion! : 'rollouts.kruise.io/v1beta1';
	return `/apis/${apiVersion}/namespaces/${seg(ns(ro))}/rollouts/${seg(nameOf(ro))}${subresource ? `/${subresource}` : ''}`;
}

function regarding(o: KObject, kind: string, apiVersion: string): ControllerPlan['regarding'] {
	const r: ControllerPlan['regarding'] = {apiVersion: o.apiVersion ?? apiVersion, kind, name: nameOf(o), namespace: ns(o)};
	if (o.metadata.uid) r.uid = o.metadata.uid;
	return r;
}

/** Which status holds the steps: canaryStatus or, for blue-green, blueGreenStatus. */
function subStatusField(ro: KObject): 'canaryStatus' | 'blueGreenStatus' | undefined {
	if (ro.status?.canaryStatus) return 'canaryStatus';
	if (ro.status?.blueGreenStatus) return 'blueGreenStatus';
	return undefined;
}

/** `step 2/4 (50% · 50% pods · pause 60s)`, or `the last step` words for past the end. */
function stepName(ro: KObject, index: number): string {
	const steps = kruiseSteps(ro);
	const step = steps[index - 1];
	return step ? `step ${index}/${steps.length} (${step.label})` : `step ${index}/${steps.length}`;
}

/**
 * `kubectl-kruise rollout approve rollout/NAME`: only at StepPaused, the status subresource gets
 * `{"status":{"canaryStatus":{"currentStepState":"StepReady"}}}` (blueGreenStatus for a blue-green release).
 */
export function kruiseApprove(ro: KObject): ControllerPlanned {
	const field = subStatusField(ro);
	if (!field) return {message: `${ref(ro)}: no need to approve: not in canary or blue-green progress`};
	const sub = ro.status[field];
	const state = String(sub?.currentStepState ?? '');
	const index = Number(sub?.currentStepIndex ?? 0);
	if (state !== 'StepPaused') {
		const why = ro.spec?.strategy?.paused === true ? ' (the Rollout is paused: space resumes it)' : state === 'Completed' ? ' (every step is done)' : '';
		return {message: `${ref(ro)}: does not allow to approve, because the current ${field === 'canaryStatus' ? 'canary' : 'blue-green'} state is ${sanitize(state) || 'unset'}, not 'StepPaused'${why}`};
	}
	const count = kruiseRawSteps(ro).length;
	const patch = {status: {[field]: {currentStepState: 'StepReady'}}};
	return {
		plan: {
			action: 'promote',
			title: `approve ${ref(ro)}`,
			changes: [`${stepName(ro, index)}: StepPaused → StepReady`, index < count ? `Kruise moves on to ${stepName(ro, index + 1)}` : 'that was the last step: Kruise completes the release'],
			steps: [mergePatch(ro, kruiseRolloutPath(ro, 'status'), patch, 'approve (status)', {subresource: 'status'})],
			regarding: regarding(ro, 'Rollout', 'rollouts.kruise.io/v1beta1'),
			dangerous: false,
		},
	};
}

/** `kubectl-kruise rollout pause`: `{"spec":{"strategy":{"paused":true}}}`. */
export function kruisePause(ro: KObject): ControllerPlanned {
	if (ro.spec?.strategy?.paused === true) return {message: `${ref(ro)} is already paused`};
	return {
		plan: {
			action: 'pause',
			title: `pause ${ref(ro)}`,
			changes: ['spec.strategy.paused false → true: the steps hold where they are (replicas and traffic stay)'],
			steps: [mergePatch(ro, kruiseRolloutPath(ro), {spec: {strategy: {paused: true}}}, 'pause (spec)')],
			regarding: regarding(ro, 'Rollout', 'rollouts.kruise.io/v1beta1'),
			dangerous: false,
		},
	};
}

/** `kubectl-kruise rollout resume`: `{"spec":{"strategy":{"paused":false}}}`. */
export function kruiseResume(ro: KObject): ControllerPlanned {
	if (ro.spec?.strategy?.paused !== true) return {message: `${ref(ro)} is not paused`};
	return {
		plan: {
			action: 'resume',
			title: `resume ${ref(ro)}`,
			changes: ['spec.strategy.paused true → false: the steps carry on'],
			steps: [mergePatch(ro, kruiseRolloutPath(ro), {spec: {strategy: {paused: false}}}, 'resume (spec)')],
			regarding: regarding(ro, 'Rollout', 'rollouts.kruise.io/v1beta1'),
			dangerous: false,
		},
	};
}

/** kruise-tools' findPreviousStepWithNoTrafficAndMostReplicas: the earlier step (1-based) without traffic with the most replicas. */
export function previousStepWithoutTraffic(ro: KObject, current: number): number | undefined {
	const steps = kruiseRawSteps(ro);
	let best: number | undefined;
	let most = 0;
	for (let i = current - 2; i >= 0; i--) {
		const step = steps[i]!;
		const traffic = stepTraffic(step);
		if (traffic !== undefined && scaledReplicas(traffic, 100) !== 0) continue;
		const replicas = scaledReplicas(stepReplicas(step), 100);
		if (replicas > most) {
			most = replicas;
			best = i + 1;
		}
	}
	return best;
}

/**
 * `kubectl-kruise rollout undo rollout/NAME --fast`: `{"status":{"canaryStatus":{"nextStepIndex":N}}}` on the status
 * subresource, N the earlier step without traffic and with the most replicas; Kruise jumps back to it.
 */
export function kruiseStepBack(ro: KObject): ControllerPlanned {
	const field = subStatusField(ro);
	if (!field) return {message: `${ref(ro)} is not releasing: there is no step to go back from`};
	const steps = kruiseRawSteps(ro);
	const current = Number(ro.status[field]?.currentStepIndex ?? ro.status?.currentStepIndex ?? 0);
	if (current > steps.length) return {message: `${ref(ro)} has ${steps.length} steps, but the current step is too large (${current})`};
	if (ro.status[field]?.currentStepState === 'Completed') return {message: `${ref(ro)} has done every step: u puts the workload back to a revision`};
	if (current <= 1) return {message: `${ref(ro)} is already at the first step (u puts the workload back to a revision)`};
	const target = previousStepWithoutTraffic(ro, current);
	if (target === undefined) return {message: `${ref(ro)}: no previous step without traffic (u puts the workload back to a revision)`};
	const patch = {status: {[field]: {nextStepIndex: target}}};
	return {
		plan: {
			action: 'abort',
			title: `${ref(ro)}: back to ${stepName(ro, target)}`,
			changes: [
				`${stepName(ro, current)} → ${stepName(ro, target)}: no traffic to the canary`,
				'the canary pods stay (Kruise does not scale a batch down); the workload keeps the new template: u puts it back',
			],
			steps: [mergePatch(ro, kruiseRolloutPath(ro, 'status'), patch, `next step ${target} (status)`, {subresource: 'status'})],
			regarding: regarding(ro, 'Rollout', 'rollouts.kruise.io/v1beta1'),
			dangerous: true,
		},
	};
}

const deploymentPath = (d: KObject) => `/apis/apps/v1/namespaces/${seg(ns(d))}/deployments/${seg(nameOf(d))}`;

/**
 * Kruise's documented rollback: the workload's pod template back to that of a ReplicaSet (a JSON patch that first
 * tests the resourceVersion and the template seen). Back at the stable revision Kruise cancels the release and
 * rolls back at once; any other revision is released anew, step by step.
 */
export function kruiseUndo(ro: KObject, deployment: KObject, rs: KObject, revision: number): ControllerPlanned {
	const template = withoutHash(rs.spec?.template);
	const name = nameOf(deployment);
	if (equalIgnoreHash(template, deployment.spec?.template)) return {message: `skipped: the template of deploy/${name} already matches revision ${revision}`};
	const stableRevision = kruiseSubStatus(ro)?.stableRevision;
	const toStable = stableRevision !== undefined && rs.metadata.labels?.['pod-template-hash'] === stableRevision;
	const images = (template.spec?.containers ?? []).map((c: {image?: string}) => c.image).join(', ');
	return {
		plan: {
			action: 'undo',
			title: `undo deploy/${name} to revision ${revision} (${ref(ro)})`,
			changes: [
				...templateDiff(deployment.spec?.template, template).map(diffText),
				`deploy/${name} spec.template → revision ${revision}${images ? ` (${images})` : ''}`,
				toStable ? 'it is the stable revision: Kruise cancels the release and rolls back at once' : 'Kruise releases it as a new version, step by step',
			],
			steps: [jsonPatch(deployment, deploymentPath(deployment), [{op: 'test', path: '/spec/template', value: deployment.spec?.template}, {op: 'replace', path: '/spec/template', value: template}], `deploy/${name}: template of revision ${revision}`)],
			regarding: regarding(ro, 'Rollout', 'rollouts.kruise.io/v1beta1'),
			dangerous: true,
		},
	};
}

/** A Kruise plan as a Plan: its requests, the audit Event on the Rollout, done once the watch shows the written object changed. */
function asPlan(t: ActionTarget, cp: ControllerPlan, written: 'Rollout' | 'Deployment'): Plan {
	const name = cp.steps.at(-1)!.object.split('/').slice(1).join('/');
	const pool = (snap: ClusterSnapshot) => (written === 'Rollout' ? (snap.kruiseRollouts ?? []) : snap.deployments);
	const seen = pool(t.snap).find(o => nameOf(o) === name)?.metadata.resourceVersion;
	return {
		title: cp.title,
		changes: cp.changes,
		steps: cp.steps,
		event: {reason: REASONS[cp.action], regarding: cp.regarding, message: `${t.user}: ${cp.title}: ${cp.changes.join('; ')}`},
		verify: snap => {
			const now = pool(snap).find(o => nameOf(o) === name);
			return now !== undefined && now.metadata.resourceVersion !== seen;
		},
		done: `${cp.title}: written; Kruise Rollouts carries on`,
	};
}

const planned = (t: ActionTarget, p: ControllerPlanned, written: 'Rollout' | 'Deployment' = 'Rollout'): Planned => ('message' in p ? p : {plan: asPlan(t, p.plan, written)});

/** An intent on an OpenKruise Rollout. */
export function planKruise(t: ActionTarget, ro: KObject, intent: Intent): Planned {
	const target = ref(ro);
	switch (intent.name) {
		case 'setWeight':
		case 'stepWeight':
			return {message: `Kruise Rollouts has no weight API: ${target} moves its traffic by its steps (p approves the paused one)`};
		case 'promote':
			return planned(t, kruiseApprove(ro));
		case 'promoteFull':
			return {message: `Kruise Rollouts has no promote --full: p approves ${target} step by step`};
		case 'restoreAnalysis':
			return {message: `restore analysis (r) is for a Flagger Canary: ${target} is a Kruise Rollout`};
		case 'abort':
			return planned(t, kruiseStepBack(ro));
		case 'pause':
			return planned(t, ro.spec?.strategy?.paused === true ? kruiseResume(ro) : kruisePause(ro));
		case 'undo': {
			const workload = t.release.members.find(m => m.role === 'stable')?.deployment;
			if (!workload) return {message: `${target}: its Deployment is not in the watch`};
			const entry = revisionEntries(t, workload).find(e => e.revision === intent.revision);
			if (!entry) return {message: `deploy/${nameOf(workload)} has no revision ${intent.revision}`};
			return planned(t, kruiseUndo(ro, workload, entry.replicaSet, intent.revision), 'Deployment');
		}
	}
}
