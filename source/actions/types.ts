// What an action is before it runs: a Plan (requests with preconditions, the audit Event, how the watch will
// show the outcome), made by pure functions from the cluster snapshot.
import type {ClusterSnapshot} from '../release/snapshot.js';

/** One request to the API server. */
export type Step = {
	method: 'PATCH' | 'POST' | 'PUT' | 'DELETE';
	path: string;
	contentType?: string;
	body?: unknown;
	/** The object written, as Kind/name (for messages). */
	object: string;
	/** What the step does, in the operator's words. */
	summary: string;
	/** A controller's request (./argo.ts, ./flagger.ts): its precondition; `uid` takes the previous response's resourceVersion. */
	precondition?: {kind: 'resourceVersion'; resourceVersion: string} | {kind: 'test'; path: string; value: unknown} | {kind: 'uid'; uid: string; resourceVersionFromPrevious: true};
	/** The patch without the precondition (for chaining). */
	patch?: unknown;
	subresource?: 'status';
	/** On 404 from the status subresource, send this to the main resource instead. */
	fallback?: {path: string; body: unknown; patch: unknown};
};

/** The object an audit Event is about (core/v1 ObjectReference). */
export type ObjectRef = {apiVersion: string; kind: string; name: string; namespace: string; uid?: string};

export type AuditReason = 'RollscopeSetWeight' | 'RollscopePromote' | 'RollscopeAbort' | 'RollscopeUndo' | 'RollscopePause' | 'RollscopeResume' | 'RollscopeAutoAdvanceStop';

export type AuditEvent = {reason: AuditReason; regarding: ObjectRef; message: string};

export type Plan = {
	/** Short title: `set weight 10% → 50%`. */
	title: string;
	/** What will change, one line each (old → new). */
	changes: string[];
	steps: Step[];
	/** Left on the target once every step is written. */
	event?: AuditEvent;
	/** True once the watch shows the outcome. */
	verify?: (snap: ClusterSnapshot) => boolean;
	/** Said once verify holds. */
	done: string;
	/** After this plan, the promotion driver carries on stage by stage. */
	continues?: 'promotion';
};

/** A plan, or why there is nothing to do (not an error in the cluster: a message for the operator). */
export type Planned = {plan: Plan} | {message: string};

export const JSON_PATCH = 'application/json-patch+json';
