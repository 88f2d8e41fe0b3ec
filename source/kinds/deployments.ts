// What the kinds of release made of Deployments (rolling, canary pair, blue-green) share: a Deployment a
// controller owns refuses every action, undo and the keys of other kinds say the same, and the revisions
// offered are those of the focused Deployment.
import type {Intent} from '../actions/intents.js';
import {controllerMessage, onlyOnControllers, planDeploymentUndo} from '../actions/plan.js';
import {defaultDeployment, memberDeployment, type ActionTarget} from '../actions/target.js';
import type {Planned} from '../actions/types.js';
import {revisionEntries} from '../actions/undo.js';
import {nameOf} from '../release/object-fields.js';
import type {KindSpec, RevisionList} from './spec.js';

/** The plan of an intent every Deployment kind answers the same way, else undefined. */
export function sharedPlan(t: ActionTarget, article: string, intent: Intent): Planned | undefined {
	const managed = controllerMessage(t);
	if (managed) return {message: managed};
	if (intent.name === 'undo') return planDeploymentUndo(t, intent);
	return onlyOnControllers(t, article, intent);
}

/** The revisions of the focused Deployment of the release, else of its new side. */
export function deploymentRevisions(t: ActionTarget, focusedWorkload?: string): RevisionList {
	const deployment = memberDeployment(t, focusedWorkload) ?? defaultDeployment(t);
	return {workload: nameOf(deployment), prefix: 'deploy', entries: revisionEntries(t, deployment)};
}

export const deploymentSpecParts: Pick<KindSpec, 'refusal' | 'revisions'> = {
	refusal: controllerMessage,
	revisions: deploymentRevisions,
};
