// Which actions the kubeconfig user may take, asked once per release with SelfSubjectAccessReviews
// (as k9s does before offering dangerous actions). A failed review is not a denial: the write will tell.
import type {ActionKind} from './commands.js';
import {toKubeError} from '../kube/errors.js';
import {resourceOf} from './paths.js';

export type Check = {verb: string; group: string; resource: string; subresource?: string};

/** The check for patching a resource (and a subresource of it). */
export const patchCheck = (kind: string, apiVersion?: string, subresource?: string): Check => ({verb: 'patch', ...resourceOf(kind, apiVersion), ...(subresource ? {subresource} : {})});

/** What each kind of action needs on a release made of Deployments that has no other lever. */
export function deploymentChecks(): Record<ActionKind, Check[]> {
	const deployments = patchCheck('Deployment');
	return {weight: [], promote: [deployments], abort: [deployments], pause: [deployments], undo: [deployments]};
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
