// The action keys of the config file (top level, as they always were): namespaces confirmed by typing
// the release name, the step of + and -, the weight plan of [ and ], and whether abort scales the canary
// down. ROLLSCOPE_CONFIRM_BY_NAME overrides confirmByName.
import {boolean, nonEmptyString, type Check} from './check.js';
import {describe} from '../text/units.js';

export type ActionsConfig = {confirmByName?: string[]; weightStep?: number; weightPlan?: number[]; abortScalesCanary?: boolean};

const isPercent = (n: unknown): n is number => typeof n === 'number' && Number.isInteger(n) && n >= 0 && n <= 100;

/** One namespace pattern or a list of them (`prod*`). */
const patterns: Check<string[]> = (value, path, issues) => {
	const list = typeof value === 'string' ? [value] : value;
	if (!Array.isArray(list)) {
		issues.push({path, message: `expected a list of namespace patterns, such as ["prod*"], got ${describe(value)}`});
		return undefined;
	}
	const out = list.map((p, i) => nonEmptyString(p, [...path, String(i)], issues));
	return out.every((p): p is string => p !== undefined) ? out : undefined;
};

const weightStep: Check<number> = (value, path, issues) => {
	if (isPercent(value) && value > 0) return value;
	issues.push({path, message: `expected a whole number from 1 to 100, got ${describe(value)}`});
	return undefined;
};

const weightPlan: Check<number[]> = (value, path, issues) => {
	if (Array.isArray(value) && value.length > 0 && value.every(isPercent)) return [...new Set(value as number[])].sort((a, b) => a - b);
	issues.push({path, message: `expected a list of whole percentages, such as [5, 25, 50, 100], got ${describe(value)}`});
	return undefined;
};

export const actionFields = {confirmByName: patterns, weightStep, weightPlan, abortScalesCanary: boolean};
