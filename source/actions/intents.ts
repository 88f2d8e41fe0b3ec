// What an action key asks for, before any kind of release turns it into a plan.
import type {ActionConfig} from './config.js';

export type Intent =
	| {name: 'setWeight'; percent: number}
	| {name: 'promote'}
	/** `P`: an Argo Rollout's `promote --full`. */
	| {name: 'promoteFull'}
	/** `r`: a Flagger Canary's skipAnalysis back to false. */
	| {name: 'restoreAnalysis'}
	| {name: 'abort'}
	| {name: 'pause'}
	| {name: 'undo'; deployment?: string; revision: number}
	/** The weight keys on a release whose weights move by steps (an Argo Rollout): the next or previous step. */
	| {name: 'stepWeight'; delta: 1 | -1};

export type PlanOptions = {config: ActionConfig; router?: string; now: string};

/** The weight keys that move from the current weight rather than to a given one. */
export type WeightKey = 'weightUp' | 'weightDown' | 'planPrev' | 'planNext' | 'typeWeight';
