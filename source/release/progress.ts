// Rollout progress of a Deployment, judged the way `kubectl rollout status` judges it.
import type {KObject} from '../kube/object.js';
import type {Condition, Progress} from './model.js';
import {desiredReplicas} from './object-fields.js';
import {sanitize} from './sanitize.js';

function count(value: unknown): number {
	return typeof value === 'number' ? value : 0;
}

export function conditionsOf(obj: KObject): Condition[] {
	const raw: Array<Record<string, unknown>> = obj.status?.conditions ?? [];
	return raw.map(c => {
		const condition: Condition = {type: sanitize(c.type), status: sanitize(c.status)};
		if (c.reason) condition.reason = sanitize(c.reason);
		if (c.message) condition.message = sanitize(c.message);
		return condition;
	});
}

export function deploymentProgress(deployment: KObject): Progress {
	const status = deployment.status ?? {};
	const desired = desiredReplicas(deployment);
	const updated = count(status.updatedReplicas);
	const total = count(status.replicas);
	const available = count(status.availableReplicas);
	const paused = deployment.spec?.paused === true;
	const conditions = conditionsOf(deployment);
	const deadlineExceeded = conditions.some(c => c.type === 'Progressing' && c.reason === 'ProgressDeadlineExceeded');
	const observed = count(status.observedGeneration) >= count(deployment.metadata.generation);
	const complete = observed && !paused && !deadlineExceeded && updated === desired && total === desired && available === desired;
	return {desired, updated, ready: count(status.readyReplicas), available, paused, conditions, deadlineExceeded, complete};
}

/** Whether every Deployment of a release has finished rolling out. */
export function membersComplete(members: ReadonlyArray<{deployment: KObject}>): boolean {
	return members.every(m => deploymentProgress(m.deployment).complete);
}
