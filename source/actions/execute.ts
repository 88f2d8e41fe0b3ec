// Sends a plan through the one door to the API (KubeClient.request), step by step, stops at the first
// failure and says what it means; then leaves the audit Event. With dryRun it sends nothing.
import {KubeError, toKubeError} from '../kube/errors.js';
import type {KObject} from '../kube/object.js';
import {chainResourceVersion, type ControllerPatch} from './argo.js';
import {eventBody} from './audit.js';
import {eventsPath} from './paths.js';
import type {AuditEvent, Plan, Step} from './types.js';

export type Requester = {request(method: Step['method'], path: string, options?: {body?: unknown; contentType?: string}): Promise<unknown>};

export type FailureKind = 'conflict' | 'forbidden' | 'gone' | 'invalid' | 'unreachable' | 'other';

export type Outcome =
	| {ok: true; written: string[]; eventProblem?: string}
	| {
			ok: false;
			kind: FailureKind;
			message: string;
			written: string[];
			/**
			 * The request of this step got no answer but may have reached the API server (it timed out, or its
			 * connection broke after it was sent): whether it was written, only the watch can tell. `last`: it
			 * was the plan's last step, so the plan's own check tells.
			 */
			uncertain?: {step: Step; last: boolean; why: string};
	  };

/** A failed JSON Patch `test` (422) or a stale resourceVersion (409): someone changed the object meanwhile. */
export function isConflict(error: KubeError): boolean {
	if (error.code === 409) return true;
	return error.code === 422 && /\btest(ing)?\b/i.test(error.message);
}

export function classify(error: KubeError): FailureKind {
	if (isConflict(error)) return 'conflict';
	if (error.code === 403 || error.code === 401) return 'forbidden';
	if (error.code === 404) return 'gone';
	if (error.code === 422 || error.code === 400 || error.code === 415) return 'invalid';
	if (error.unreachable) return 'unreachable';
	return 'other';
}

/** What a failure at `step` means for the operator, saying what was and was not written. */
export function failureMessage(kind: FailureKind, error: KubeError, step: Step, written: string[], rest: Step[]): string {
	const nothing = written.length === 0;
	const tail = nothing ? 'nothing written' : `written before it: ${written.join('; ')}; not written: ${[step, ...rest].map(s => s.summary).join('; ')}`;
	switch (kind) {
		case 'conflict':
			return `${step.object} changed meanwhile: refreshed, ${tail}. Look again and retry.`;
		case 'forbidden':
			return `not permitted: ${error.message} (${tail})`;
		case 'gone':
			return `${step.object} is gone (${tail})`;
		case 'invalid':
			return `the API server refused the change to ${step.object}: ${error.message} (${tail})`;
		case 'unreachable': {
			if (!error.maybeSent) return `cannot reach the API server: ${error.message} (${tail})`;
			const unsent = rest.length > 0 ? `; not sent: ${rest.map(s => s.summary).join('; ')}` : '';
			return `the API server did not answer: ${error.message}; ${nothing ? '' : `written before it: ${written.join('; ')}; `}may or may not have been written: ${step.summary}${unsent}`;
		}
		default:
			return `${step.object}: ${error.message} (${tail})`;
	}
}

/** The plan's requests as text, for --dry-run. */
export function planAsText(plan: Plan): string[] {
	return plan.steps.flatMap(step => [
		`${step.method} ${step.path}`,
		`  Content-Type: ${step.contentType ?? 'application/json'}`,
		...JSON.stringify(step.body, null, 2).split('\n').map(l => `  ${l}`),
		...(step.fallback ? [`  (on 404: ${step.method} ${step.fallback.path} with ${JSON.stringify(step.fallback.patch)})`] : []),
	]);
}

/** The body of a step after the previous response: a chained controller patch takes its resourceVersion. */
function bodyAfter(step: Step, body: unknown, patch: unknown, previous: unknown): unknown {
	if (!step.precondition) return body;
	return chainResourceVersion({...step, body, patch} as ControllerPatch, previous as KObject | undefined);
}

/** One step; a status-subresource patch answered 404 (a CRD without it) goes to the main resource instead. */
async function send(client: Requester, step: Step, previous: unknown): Promise<unknown> {
	try {
		return await client.request(step.method, step.path, {body: bodyAfter(step, step.body, step.patch, previous), contentType: step.contentType});
	} catch (thrown) {
		const error = toKubeError(thrown);
		if (error.code !== 404 || step.subresource !== 'status' || !step.fallback) throw error;
		return client.request(step.method, step.fallback.path, {body: bodyAfter(step, step.fallback.body, step.fallback.patch, previous), contentType: step.contentType});
	}
}

export async function execute(client: Requester, plan: Plan, options: {now?: () => Date} = {}): Promise<Outcome> {
	const written: string[] = [];
	let previous: unknown;
	for (const [i, step] of plan.steps.entries()) {
		try {
			previous = await send(client, step, previous);
			written.push(step.summary);
		} catch (thrown) {
			const error = toKubeError(thrown);
			const kind = classify(error);
			const uncertain = kind === 'unreachable' && error.maybeSent ? {uncertain: {step, last: i === plan.steps.length - 1, why: error.message}} : {};
			return {ok: false, kind, message: failureMessage(kind, error, step, written, plan.steps.slice(i + 1)), written, ...uncertain};
		}
	}
	if (!plan.event || plan.steps.length === 0) return {ok: true, written};
	const eventProblem = await writeAuditEvent(client, plan.event, (options.now ?? (() => new Date()))());
	return eventProblem ? {ok: true, written, eventProblem} : {ok: true, written};
}

/** Leave the audit Event of a written plan; what went wrong, if it could not be written. */
export async function writeAuditEvent(client: Requester, event: AuditEvent, now: Date): Promise<string | undefined> {
	try {
		await client.request('POST', eventsPath(event.regarding.namespace), {body: eventBody(event, now)});
		return undefined;
	} catch (thrown) {
		return `the audit Event could not be written: ${toKubeError(thrown).message}`;
	}
}
