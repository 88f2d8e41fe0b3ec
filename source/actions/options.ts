// The action settings of one run: flags (--read-only, --dry-run, --router, --config) and the config file.
import {loadActionConfig} from './config.js';
import type {ActionOptions} from '../live/action-controller.js';
import {routerChoices} from '../traffic/routers.js';

export type ActionFlags = {readOnly?: boolean; dryRun?: boolean; router?: string; configFile?: string};

/** The options for the actions, or an error fit for the user (a bad --router, an unreadable config file). */
export function actionOptions(flags: ActionFlags, env: NodeJS.ProcessEnv = process.env): ActionOptions | {error: string} {
	if (flags.router !== undefined && !(routerChoices as readonly string[]).includes(flags.router)) {
		return {error: `unknown --router "${flags.router}"; use one of ${routerChoices.join(', ')}`};
	}
	try {
		const config = loadActionConfig(flags.configFile, env);
		return {readOnly: flags.readOnly ?? false, dryRun: flags.dryRun ?? false, ...(flags.router ? {router: flags.router} : {}), config};
	} catch (error) {
		return {error: (error as Error).message};
	}
}
