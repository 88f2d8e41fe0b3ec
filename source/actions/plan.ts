// Planning shared by the kinds of release made of Deployments (rolling, canary pair, blue-green): a
// Deployment a progressive-delivery controller owns is left to it, and undo acts on the Deployment focused.
// Pure: the snapshot in, a Plan (or a message saying why there is nothing to do) out.
import {nameOf} from '../release/object-fields.js';
import {managedBy} from '../traffic/managed.js';
import type {Intent} from './intents.js';
import {defaultDeployment, memberDeployment, type ActionTarget} from './target.js';
import type {Planned} from './types.js';
import {planUndo} from './undo.js';

/** Deployments a progressive-delivery controller owns are left to it: why, or undefined. */
export function controllerMessage(t: ActionTarget): string | undefined {
	for (const {deployment} of t.release.members) {
		const controller = managedBy(deployment);
		if (controller) return `deploy/${nameOf(deployment)} is managed by ${controller}: rollscope does not patch it behind the controller's back; use ${controller === 'flagger' ? "Flagger's Canary resource" : controller === 'kruise-rollouts' ? 'its Kruise Rollout' : 'kubectl argo rollouts'}`;
	}
	return undefined;
}

/** Messages for the keys that only some kinds of release have, said on a release made of Deployments. */
export function onlyOnControllers(t: ActionTarget, article: string, intent: Intent): Planned | undefined {
	switch (intent.name) {
		case 'stepWeight':
			return {message: 'only an Argo Rollout has setWeight steps to move between'};
		case 'promoteFull':
			return {message: `promote fully (P) is for an Argo Rollout: ${t.release.target} is ${article} (p promotes it)`};
		case 'restoreAnalysis':
			return {message: `restore analysis (r) is for a Flagger Canary: ${t.release.target} is ${article}, it has no analysis to restore`};
		default:
			return undefined;
	}
}

/** Undo on a release made of Deployments: the Deployment of the focused row, else the new side. */
export function planDeploymentUndo(t: ActionTarget, intent: Extract<Intent, {name: 'undo'}>): Planned {
	return planUndo(t, memberDeployment(t, intent.deployment) ?? defaultDeployment(t), intent.revision);
}
