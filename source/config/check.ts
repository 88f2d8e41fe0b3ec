// Small validators for config values: each reads one value at a path and either returns it in
// shape or records an issue. Sections of the config file are built from these.
import {describe, type Parsed} from '../text/units.js';

/** `at`: where the problem is when the message names its place itself (an unknown key). */
export type ConfigIssue = {path: string[]; message: string; at?: string[]};

export type Check<T> = (value: unknown, path: string[], issues: ConfigIssue[]) => T | undefined;

export const pathText = (path: readonly string[]) => (path.length === 0 ? 'top level' : path.join('.'));

export const string: Check<string> = (value, path, issues) => {
	if (typeof value === 'string') return value;
	issues.push({path, message: `expected text, got ${describe(value)}`});
	return undefined;
};

export const nonEmptyString: Check<string> = (value, path, issues) => {
	const s = string(value, path, issues);
	if (s !== undefined && s.trim() === '') {
		issues.push({path, message: 'must not be empty'});
		return undefined;
	}
	return s;
};

export const boolean: Check<boolean> = (value, path, issues) => {
	if (typeof value === 'boolean') return value;
	issues.push({path, message: `expected true or false, got ${describe(value)}`});
	return undefined;
};

export function oneOf<T extends string>(choices: readonly T[]): Check<T> {
	return (value, path, issues) => {
		if (typeof value === 'string' && (choices as readonly string[]).includes(value)) return value as T;
		issues.push({path, message: `expected one of ${choices.join(', ')}, got ${describe(value)}`});
		return undefined;
	};
}

/** A value read by a unit parser (durations, ratios, bytes). */
export function quantity(parse: (value: unknown) => Parsed): Check<number> {
	return (value, path, issues) => {
		const parsed = parse(value);
		if ('value' in parsed) return parsed.value;
		issues.push({path, message: parsed.error});
		return undefined;
	};
}

/** A mapping of text to text (HTTP headers). */
export const stringMap: Check<Record<string, string>> = (value, path, issues) => {
	if (!isMapping(value)) {
		issues.push({path, message: `expected a mapping of names to text, got ${describe(value)}`});
		return undefined;
	}
	const out: Record<string, string> = {};
	for (const [k, v] of Object.entries(value)) {
		if (typeof v === 'string' || typeof v === 'number') out[k] = String(v);
		else issues.push({path: [...path, k], message: `expected text, got ${describe(v)}`});
	}
	return out;
};

export function isMapping(value: unknown): value is Record<string, unknown> {
	return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export type Fields<T> = {[K in keyof T]-?: Check<T[K]>};

/**
 * A mapping with known keys, each with its own check. Unknown keys are issues that name the known
 * ones, so a typo is reported rather than ignored. Keys that are absent (or null) stay absent.
 */
export function mapping<T extends object>(fields: Fields<T>, what = 'key'): Check<T> {
	return (value, path, issues) => {
		if (value === null || value === undefined) return {} as T;
		if (!isMapping(value)) {
			issues.push({path, message: `expected a mapping, got ${describe(value)}`});
			return undefined;
		}
		const out: Record<string, unknown> = {};
		const known = Object.keys(fields);
		for (const [key, raw] of Object.entries(value)) {
			if (!Object.hasOwn(fields, key)) {
				issues.push({path, at: [...path, key], message: `unknown ${what} ${JSON.stringify(key)} at ${pathText(path)}; known: ${known.join(', ')}`});
				continue;
			}
			if (raw === null || raw === undefined) continue;
			const checked = (fields as Record<string, Check<unknown>>)[key]!(raw, [...path, key], issues);
			if (checked !== undefined) out[key] = checked;
		}
		return out as T;
	};
}
