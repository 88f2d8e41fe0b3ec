// What the actions of a run go by: --read-only, --dry-run, --router, and the config file's action keys
// (resolved by config/settings.ts), with their defaults.

export type ActionConfig = {
	/** Namespace patterns (`prod*`) where a change is confirmed by typing the release name instead of y. */
	confirmByName: string[];
	/** What + and - move the canary weight by, in percent. */
	weightStep: number;
	/** The weights [ and ] step through. */
	weightPlan: number[];
	/** Whether abort scales the canary to 0 after taking its traffic away. */
	abortScalesCanary: boolean;
};

export type ActionOptions = {readOnly: boolean; dryRun: boolean; router?: string; config: ActionConfig};

export const defaultActionConfig: ActionConfig = {confirmByName: [], weightStep: 10, weightPlan: [5, 25, 50, 100], abortScalesCanary: true};

function globRegExp(pattern: string): RegExp {
	const escaped = pattern.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.');
	return new RegExp(`^${escaped}$`);
}

/** Whether changes in this namespace are confirmed by typing the release name. */
export function confirmsByName(namespace: string, patterns: readonly string[]): boolean {
	return patterns.some(p => globRegExp(p).test(namespace));
}
