// What the verdict runs with, in the view and in `rollscope gate`: the config file's `verdict:` section,
// then the flags of the same name on top, then defaults. A flag that does not parse is a usage error
// naming the flag.
import {loadConfig, type Env} from '../config/config.js';
import type {VerdictConfig} from '../config/verdict.js';
import {parseDuration, parseRatio, type Parsed} from '../config/units.js';
import {defaultJudgeConfig, type JudgeConfig} from './judge.js';

export const defaultWindowSeconds = 60;
export const defaultAutoAbortDelaySeconds = 30;
export const defaultStepIntervalSeconds = 120;

export type VerdictFlags = {window?: string; maxErrorRatio?: string; maxP95?: string; autoAbortDelay?: string; stepInterval?: string};

export type VerdictSettings = {
	/** Seconds of each judged window. */
	windowSeconds: number;
	judge: JudgeConfig;
	autoAbortDelaySeconds: number;
	stepIntervalSeconds: number;
};

type Problem = {error: string};

/** The flag's value (parsed), else the config's; a flag that does not parse is a problem naming it. */
function flagOr(flag: string | undefined, name: string, parse: (value: unknown) => Parsed, configured: number | undefined): number | undefined | Problem {
	if (flag === undefined) return configured;
	const parsed = parse(flag);
	return 'error' in parsed ? {error: `--${name}: ${parsed.error}`} : parsed.value;
}

const isProblem = (value: unknown): value is Problem => typeof value === 'object' && value !== null;

export function verdictSettings(config: VerdictConfig | undefined, flags: VerdictFlags): VerdictSettings | Problem {
	const c = config ?? {};
	const window = flagOr(flags.window, 'window', parseDuration, c.window);
	const autoAbortDelay = flagOr(flags.autoAbortDelay, 'auto-abort-delay', parseDuration, c.autoAbortDelay);
	const stepInterval = flagOr(flags.stepInterval, 'step-interval', parseDuration, c.stepInterval);
	const maxErrorRatio = flagOr(flags.maxErrorRatio, 'max-error-ratio', parseRatio, c.maxErrorRatio);
	const maxP95 = flagOr(flags.maxP95, 'max-p95', parseDuration, c.maxP95);
	for (const value of [window, autoAbortDelay, stepInterval, maxErrorRatio, maxP95]) if (isProblem(value)) return value;

	const judge: JudgeConfig = {
		minRequests: c.minRequests ?? defaultJudgeConfig.minRequests,
		alpha: c.alpha ?? defaultJudgeConfig.alpha,
		errorMarginAbsolute: c.errorMargin ?? defaultJudgeConfig.errorMarginAbsolute,
		errorMarginRelative: c.errorMarginRelative ?? defaultJudgeConfig.errorMarginRelative,
		latencyMargin: c.latencyMargin ?? defaultJudgeConfig.latencyMargin,
		failAfter: c.failAfter ?? defaultJudgeConfig.failAfter,
	};
	if (typeof maxErrorRatio === 'number') judge.maxErrorRatio = maxErrorRatio;
	if (typeof maxP95 === 'number') judge.maxP95Ms = maxP95 * 1000;
	return {
		windowSeconds: (window as number | undefined) ?? defaultWindowSeconds,
		judge,
		autoAbortDelaySeconds: (autoAbortDelay as number | undefined) ?? defaultAutoAbortDelaySeconds,
		stepIntervalSeconds: (stepInterval as number | undefined) ?? defaultStepIntervalSeconds,
	};
}

/** The settings from the config file (--config, else the default file) under the flags; a broken file is an error. */
export function loadVerdictSettings(flags: VerdictFlags & {config?: string}, env: Env = process.env): VerdictSettings | Problem {
	let config: VerdictConfig | undefined;
	try {
		config = loadConfig({path: flags.config, env}).config.verdict;
	} catch (error) {
		return {error: (error as Error).message};
	}
	return verdictSettings(config, flags);
}

/** The window as the gate says it: `1m`, `90s`. */
export function windowText(seconds: number): string {
	return seconds % 60 === 0 ? `${seconds / 60}m` : `${seconds}s`;
}
