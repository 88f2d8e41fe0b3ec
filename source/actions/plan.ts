// From a command to a plan: which planner applies to the release on screen. Pure: the snapshot in, a Plan
// (or a message saying why there is nothing to do) out.
import {nameOf} from '../release/object-fields.js';
import {managedBy} from '../traffic/managed.js';
import {planBlueGreenAbort, planBlueGreenPromote} from './bluegreen.js';
import {planCanaryAbort, planCanaryPromote} from './canary.js';
import type {ActionConfig} from './config.js';
import {planPauseResume, planRollingAbort, planRollingPromote} from './rolling.js';
import {defaultDeployment, memberDeployment, type ActionTarget} from './target.js';
import {planArgo, planFlagger, type StepIntent} from './progressive.js';
import type {Planned} from './types.js';
import {planUndo} from './undo.js';
import {planSetWeight} from './weights.js';

export type Intent =
	| {name: 'setWeight'; percent: number}
	| {name: 'promote'}
	/** `P`: an Argo Rollout's `promote --full`. */
	| {name: 'promoteFull'}
	/** `r`: a Flagger Canary's skipAnalysis back to false. */
	| {name: 'restoreAnalysis'}
	| {name: 'abort'}
	| {name: 'pause'}
	| {name: 'undo'; deployment?: string; revision: number};

export type PlanOptions = {config: ActionConfig; router?: string; now: string};

/** Releases and Deployments a progressive-delivery controller owns are left to it: why, or undefined. */
export function controllerMessage(t: ActionTarget): string | undefined {
	// The Rollout or Canary itself is acted on through the controller's own levers (./progressive.ts).
	if (t.release.kind === 'argo-rollout' || t.release.kind === 'flagger') return undefined;
	for (const {deployment} of t.release.members) {
		const controller = managedBy(deployment);
		if (controller) return `deploy/${nameOf(deployment)} is managed by ${controller}: rollscope does not patch it behind the controller's back; use ${controller === 'flagger' ? "Flagger's Canary resource" : 'kubectl argo rollouts'}`;
	}
	return undefined;
}

const kindWords: Record<'rolling' | 'canary' | 'bluegreen', string> = {rolling: 'a rolling Deployment', canary: 'a canary pair', bluegreen: 'a blue-green pair'};

export function planIntent(t: ActionTarget, intent: Intent | StepIntent, options: PlanOptions): Planned {
	const managed = controllerMessage(t);
	if (managed) return {message: managed};
	const kind = t.release.kind;
	if (kind === 'argo-rollout' || kind === 'flagger') {
		try {
			return kind === 'flagger' ? planFlagger(t, intent) : planArgo(t, intent);
		} catch (error) {
			// The builders refuse objects without a resourceVersion (no precondition possible).
			return {message: (error as Error).message};
		}
	}
	switch (intent.name) {
		case 'stepWeight':
			return {message: 'only an Argo Rollout has setWeight steps to move between'};
		case 'promoteFull':
			return {message: `promote fully (P) is for an Argo Rollout: ${t.release.target} is ${kindWords[kind]} (p promotes it)`};
		case 'restoreAnalysis':
			return {message: `restore analysis (r) is for a Flagger Canary: ${t.release.target} is ${kindWords[kind]}, it has no analysis to restore`};
		case 'setWeight':
			return planSetWeight(t, intent.percent, options.router);
		case 'promote':
			if (kind === 'canary') return planCanaryPromote(t, options.now, options.router);
			if (kind === 'bluegreen') return planBlueGreenPromote(t);
			return planRollingPromote(t);
		case 'abort':
			if (kind === 'canary') return planCanaryAbort(t, {scaleCanary: options.config.abortScalesCanary, routerOverride: options.router});
			if (kind === 'bluegreen') return planBlueGreenAbort(t);
			return planRollingAbort(t);
		case 'pause':
			return planPauseResume(t);
		case 'undo': {
			const deployment = memberDeployment(t, intent.deployment) ?? defaultDeployment(t);
			return planUndo(t, deployment, intent.revision);
		}
	}
}
