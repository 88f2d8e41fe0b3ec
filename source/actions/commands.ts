// The commands that change the cluster, as the action layer knows them: the keymap (ui/keymap.ts) binds
// keys to them, the controller (live/action-controller.ts) turns them into plans.

/** The kinds of action, as permissions, the footer and the help group them. */
export type ActionKind = 'weight' | 'promote' | 'abort' | 'pause' | 'undo';

/** Commands that change the cluster (each asks for confirmation first). */
export type ActionName =
	| 'weightUp'
	| 'weightDown'
	| 'setWeight'
	| 'typeWeight'
	| 'exactWeight'
	| 'planPrev'
	| 'planNext'
	| 'promote'
	| 'promoteFull'
	| 'restoreAnalysis'
	| 'abort'
	| 'pause'
	| 'undo';

/** The kind of action a command is, as permissions group them. */
export function actionKind(name: ActionName): ActionKind {
	switch (name) {
		case 'promote':
		case 'abort':
		case 'pause':
		case 'undo':
			return name;
		// The same write as promote: the Rollout's status (Argo), the Canary's spec (Flagger).
		case 'promoteFull':
		case 'restoreAnalysis':
			return 'promote';
		default:
			return 'weight';
	}
}

export type ActionCommand =
	| {name: Exclude<ActionName, 'setWeight' | 'exactWeight'>}
	| {name: 'setWeight'; digit: number}
	| {name: 'exactWeight'; percent: number};

const actionNames: ReadonlySet<string> = new Set<ActionName>(['weightUp', 'weightDown', 'setWeight', 'typeWeight', 'exactWeight', 'planPrev', 'planNext', 'promote', 'promoteFull', 'restoreAnalysis', 'abort', 'pause', 'undo']);

export function isActionName(name: string): name is ActionName {
	return actionNames.has(name);
}

