// What an action handler can answer a key with: a status line, a confirmation to ask, a revision to pick,
// or a weight to type. The view (ui/dialogs.ts) shows these as dialogs that take the keys until they close.

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

/**
 * What the operator has selected when pressing an action key: a revision row, or the Deployment of a pod; and
 * the version panel the weight keys act on (a release with several canaries).
 */
export type ActionFocus = {workload?: string; revision?: number; version?: string};
