// Which actions the kubeconfig user may take, asked once per release with SelfSubjectAccessReviews
// (as k9s does before offering dangerous actions). A failed review is not a denial: the write will tell.
import type {ActionKind} from './commands.js';
import {toKubeError} from '../kube/errors.js';
import {resourceOf} from './paths.js';
import {canaryPair, type ActionTarget} from './target.js';
import {weightMover} from './weights.js';

export type Check = {verb: string; group: string; resource: string; subresource?: string};

const patch = (kind: string, apiVersion?: string, subresource?: string): Check => ({verb: 'patch', ...resourceOf(kind, apiVersion), ...(subresource ? {subresource} : {})});

/** The permissions each kind of action needs on this release. */
export function accessChecks(t: ActionTarget, routerOverride?: string): Record<ActionKind, Check[]> {
	const deployments = patch('Deployment');
	const scale = patch('Deployment', undefined, 'scale');
	switch (t.release.kind) {
		case 'canary': {
			const pair = canaryPair(t);
			const mover = pair ? weightMover(t, pair, routerOverride) : undefined;
			const weight = mover && !('message' in mover) && mover.kind === 'router' ? [patch(mover.object.kind ?? '', mover.object.apiVersion)] : [scale];
			return {weight, promote: [deployments, ...weight, scale], abort: [deployments, ...weight, scale], pause: [], undo: [deployments]};
		}
		case 'bluegreen': {
			const services = patch('Service');
			return {weight: [], promote: [services], abort: [services], pause: [], undo: [deployments]};
		}
		case 'argo-rollout': {
			// Status first (the plugin's rule); spec for pause, resume and undo.
			const spec = patch('Rollout', 'argoproj.io/v1alpha1');
			const status = patch('Rollout', 'argoproj.io/v1alpha1', 'status');
			return {weight: [status], promote: [status], abort: [status], pause: [spec], undo: [spec]};
		}
		case 'flagger': {
			const canaries = patch('Canary', 'flagger.app/v1beta1');
			return {weight: [], promote: [canaries], abort: [], pause: [canaries], undo: [deployments]};
		}
		default:
			return {weight: [], promote: [deployments], abort: [deployments], pause: [deployments], undo: [deployments]};
	}
}

export const eventCheck: Check = {verb: 'create', group: '', resource: 'events'};

const label = (c: Check) => `${c.verb} ${c.resource}${c.group ? `.${c.group}` : ''}${c.subresource ? `/${c.subresource}` : ''}`;

export type Review = {request(method: 'POST', path: string, options: {body: unknown}): Promise<any>};

export type AccessResult = {
	/** Why each denied kind of action is denied. */
	denied: Partial<Record<ActionKind, string>>;
	/** Set when the user may not create Events (changes still go through, without their audit record). */
	eventsDenied?: string;
	/** Set when the reviews themselves failed (nothing is marked denied then). */
	problem?: string;
};

/** Ask the API server about every distinct check, in parallel. */
export async function reviewAccess(client: Review, namespace: string, checks: Record<ActionKind, Check[]>): Promise<AccessResult> {
	const all = new Map<string, Check>();
	for (const c of [...Object.values(checks).flat(), eventCheck]) all.set(label(c), c);
	const answers = new Map<string, string | undefined>();
	let problem: string | undefined;
	await Promise.all(
		[...all].map(async ([key, c]) => {
			try {
				const review = await client.request('POST', '/apis/authorization.k8s.io/v1/selfsubjectaccessreviews', {
					body: {apiVersion: 'authorization.k8s.io/v1', kind: 'SelfSubjectAccessReview', spec: {resourceAttributes: {namespace, ...c}}},
				});
				const allowed = review?.status?.allowed === true;
				answers.set(key, allowed ? undefined : `${key} denied${review?.status?.reason ? ` (${review.status.reason})` : ''}`);
			} catch (error) {
				problem ??= `cannot ask what is allowed: ${toKubeError(error).message}`;
			}
		}),
	);
	const denied: AccessResult['denied'] = {};
	for (const [kind, list] of Object.entries(checks) as Array<[ActionKind, Check[]]>) {
		const reasons = list.map(c => answers.get(label(c))).filter((r): r is string => r !== undefined);
		if (reasons.length > 0) denied[kind] = reasons.join('; ');
	}
	const result: AccessResult = {denied};
	const events = answers.get(label(eventCheck));
	if (events) result.eventsDenied = events;
	if (problem) result.problem = problem;
	return result;
}
