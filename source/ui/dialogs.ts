// The dialogs an action's answer opens (actions/responses.ts): a confirmation, a revision picker, a weight prompt.
import type {ActionResponse, Confirmation, RevisionPick, WeightPrompt} from '../actions/responses.js';

export type Dialog =
	| {kind: 'confirm'; confirmation: Confirmation; typed: string}
	| {kind: 'revisions'; pick: RevisionPick; cursor: number; offset: number}
	| {kind: 'weight'; prompt: WeightPrompt; typed: string};

/** The dialog an answer opens, or undefined when the answer is a status line. */
export function dialogFor(response: ActionResponse): Dialog | undefined {
	if (!response || typeof response === 'string') return undefined;
	if ('confirm' in response) return {kind: 'confirm', confirmation: response.confirm, typed: ''};
	if ('pickRevision' in response) {
		const start = Math.min(Math.max(0, response.pickRevision.initial ?? 0), Math.max(0, response.pickRevision.revisions.length - 1));
		return {kind: 'revisions', pick: response.pickRevision, cursor: start, offset: 0};
	}
	return {kind: 'weight', prompt: response.promptWeight, typed: ''};
}
