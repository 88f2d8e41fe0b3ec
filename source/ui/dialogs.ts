// What an action handler can answer a key with: a status line, a confirmation to ask, a revision to pick,
// or a weight to type. The view shows these as dialogs that take the keys until they close.

export type Confirmation = {
	/** One line: `set the weight of checkout-canary: 10% → 50%`. */
	title: string;
	/** What will change (old → new), or with --dry-run the requests themselves. */
	lines: string[];
	/** Confirm by typing this (the release name) instead of y: for namespaces such as prod*. */
	typeToConfirm?: string;
	/** Nothing will be sent: the lines show what would be. */
	dryRun?: boolean;
	onConfirm: () => ActionResponse;
};

export type RevisionChoice = {
	revision: number;
	images: string[];
	changeCause?: string;
	pods: number;
	current: boolean;
	/** What differs from the Deployment's template now, one line each. */
	diff: string[];
};

export type RevisionPick = {
	/** The Deployment whose revisions these are. */
	workload: string;
	/** Newest first. */
	revisions: RevisionChoice[];
	/** Index to start on. */
	initial?: number;
	onPick: (revision: number) => ActionResponse;
};

export type WeightPrompt = {
	/** The canary's weight now, shown in the prompt. */
	current?: number;
	onWeight: (percent: number) => ActionResponse;
};

export type ActionResponse = string | void | {confirm: Confirmation} | {pickRevision: RevisionPick} | {promptWeight: WeightPrompt};

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

/** What the operator has selected when pressing an action key: a revision row, or the Deployment of a pod. */
export type ActionFocus = {workload?: string; revision?: number};
