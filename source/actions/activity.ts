// What the actions of a live view show: which kinds are on or denied, and what one is doing now.
import type {ActionKind} from './commands.js';

/** What an action is doing or did, for the line above the footer. */
export type Activity = {
	tone: 'info' | 'busy' | 'ok' | 'warn' | 'error';
	text: string;
	/** Progress of a staged action (a promotion). */
	steps?: Array<{label: string; state: 'done' | 'active' | 'pending'}>;
};

export type ActionsState = {
	/** `read-only` when started with --read-only: every action is off. */
	mode: 'enabled' | 'read-only';
	/** Kinds of action the user may not take, with why (SelfSubjectAccessReview). */
	denied: Partial<Record<ActionKind, string>>;
	activity?: Activity;
};
