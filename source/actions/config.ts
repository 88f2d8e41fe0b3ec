// Settings of the actions, from the YAML config file (~/.config/rollscope/config.yaml, or --config FILE)
// and the environment. Keys other than these belong to other features and are left alone.
import {existsSync, readFileSync} from 'node:fs';
import {homedir} from 'node:os';
import {join} from 'node:path';
import {parse} from 'yaml';

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

export const defaultActionConfig: ActionConfig = {confirmByName: [], weightStep: 10, weightPlan: [5, 25, 50, 100], abortScalesCanary: true};

export const CONFIRM_ENV = 'ROLLSCOPE_CONFIRM_BY_NAME';

export function defaultConfigPath(env: NodeJS.ProcessEnv = process.env): string {
	const base = env.XDG_CONFIG_HOME || join(homedir(), '.config');
	return join(base, 'rollscope', 'config.yaml');
}

const isPercent = (n: unknown): n is number => typeof n === 'number' && Number.isInteger(n) && n >= 0 && n <= 100;

/** The action settings from parsed YAML; throws an Error naming the bad key. */
export function actionConfigFrom(doc: unknown, env: NodeJS.ProcessEnv = {}): ActionConfig {
	const config: ActionConfig = {...defaultActionConfig, weightPlan: [...defaultActionConfig.weightPlan]};
	const raw = (doc && typeof doc === 'object' ? doc : {}) as Record<string, unknown>;
	if (raw.confirmByName !== undefined) {
		const list = typeof raw.confirmByName === 'string' ? [raw.confirmByName] : raw.confirmByName;
		if (!Array.isArray(list) || !list.every(p => typeof p === 'string' && p !== '')) throw new Error('confirmByName must be a list of namespace patterns, such as ["prod*"]');
		config.confirmByName = list;
	}
	if (raw.weightStep !== undefined) {
		if (!isPercent(raw.weightStep) || raw.weightStep === 0) throw new Error('weightStep must be a whole number from 1 to 100');
		config.weightStep = raw.weightStep;
	}
	if (raw.weightPlan !== undefined) {
		if (!Array.isArray(raw.weightPlan) || raw.weightPlan.length === 0 || !raw.weightPlan.every(isPercent)) {
			throw new Error('weightPlan must be a list of whole percentages, such as [5, 25, 50, 100]');
		}
		config.weightPlan = [...new Set(raw.weightPlan as number[])].sort((a, b) => a - b);
	}
	if (raw.abortScalesCanary !== undefined) {
		if (typeof raw.abortScalesCanary !== 'boolean') throw new Error('abortScalesCanary must be true or false');
		config.abortScalesCanary = raw.abortScalesCanary;
	}
	const fromEnv = env[CONFIRM_ENV];
	if (fromEnv !== undefined) config.confirmByName = fromEnv.split(',').map(p => p.trim()).filter(Boolean);
	return config;
}

/**
 * Load the settings: `file` if given (it must exist), else the default path if it exists, else the defaults;
 * then ROLLSCOPE_CONFIRM_BY_NAME (comma-separated patterns) overrides confirmByName. Throws with a message fit for the user.
 */
export function loadActionConfig(file?: string, env: NodeJS.ProcessEnv = process.env): ActionConfig {
	const path = file ?? defaultConfigPath(env);
	let doc: unknown;
	if (file !== undefined || existsSync(path)) {
		try {
			doc = parse(readFileSync(path, 'utf8'));
		} catch (error) {
			throw new Error(`cannot read the config file ${path}: ${(error as Error).message}`);
		}
	}
	try {
		return actionConfigFrom(doc, env);
	} catch (error) {
		throw new Error(`config file ${path}: ${(error as Error).message}`);
	}
}

function globRegExp(pattern: string): RegExp {
	const escaped = pattern.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.');
	return new RegExp(`^${escaped}$`);
}

/** Whether changes in this namespace are confirmed by typing the release name. */
export function confirmsByName(namespace: string, patterns: readonly string[]): boolean {
	return patterns.some(p => globRegExp(p).test(namespace));
}
