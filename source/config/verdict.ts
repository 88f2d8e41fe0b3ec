// The `verdict:` section of the config file: the window each verdict judges, the judge's settings
// (minimum requests, significance, margins, failing windows in a row), absolute limits, and the timings
// of --auto-abort and --auto-advance. Flags of the same name win over these.
import {mapping, quantity, type Check, type Fields} from './check.js';
import {defaultJudgeConfig, type JudgeConfig} from '../verdict/judge.js';
import {defaultAutoAbortDelaySeconds, defaultStepIntervalSeconds, defaultWindowSeconds, type VerdictSettings} from '../verdict/settings.js';
import {describe, parseDuration, parseRatio, type Parsed} from '../text/units.js';

export type VerdictConfig = {
	/** Seconds of each judged window. */
	window?: number;
	/** Requests each version needs in a window before it is judged. */
	minRequests?: number;
	/** Significance level of each test (0..0.5). */
	alpha?: number;
	/** Error ratio increase that always matters (0..1). */
	errorMargin?: number;
	/** Error ratio increase that matters as a share of the old version's ratio (0.5 = half as many errors again). */
	errorMarginRelative?: number;
	/** Share of (new, old) request pairs in which the new one is slower, above which a latency difference matters (0.5..1). */
	latencyMargin?: number;
	/** Failing windows in a row before the verdict is fail. */
	failAfter?: number;
	/** Absolute limits: error ratio (0..1) and p95 latency (seconds). */
	maxErrorRatio?: number;
	maxP95?: number;
	/** Seconds of the --auto-abort countdown and between --auto-advance steps. */
	autoAbortDelay?: number;
	stepInterval?: number;
};

/** A whole number from `min` up. */
function wholeNumber(min: number): Check<number> {
	return (value, path, issues) => {
		if (typeof value === 'number' && Number.isInteger(value) && value >= min) return value;
		issues.push({path, message: `expected a whole number of at least ${min}, got ${describe(value)}`});
		return undefined;
	};
}

/** A ratio (`1%` or 0.01) inside [min, max] (max may be exclusive). */
function ratioWithin(min: number, max: number, hint: string, exclusiveMin = false): Check<number> {
	return quantity((value): Parsed => {
		const parsed = parseRatio(value);
		const ok = 'value' in parsed && (exclusiveMin ? parsed.value > min : parsed.value >= min) && parsed.value <= max;
		return ok ? parsed : {error: `${hint}, got ${describe(value)}`};
	});
}

/** A relative margin: `50%`, `200%` or a number from 0 (1 = 100 %). */
const relative = quantity((value): Parsed => {
	const expected = 'expected a share of the old ratio such as 50% or 200%';
	if (typeof value === 'number') return Number.isFinite(value) && value >= 0 ? {value} : {error: `${expected}, got ${value}`};
	const m = typeof value === 'string' ? /^\s*(\d+(?:\.\d+)?)\s*%\s*$/.exec(value) : null;
	return m ? {value: Number(m[1]) / 100} : {error: `${expected}, got ${describe(value)}`};
});

/** Latency needs a unit: `300ms` or `0.3s`. */
const latency = quantity((value): Parsed => (typeof value === 'number' ? {error: `give a unit: ${value}ms or ${value}s`} : parseDuration(value)));

const fields: Fields<VerdictConfig> = {
	window: quantity(parseDuration),
	minRequests: wholeNumber(1),
	alpha: ratioWithin(0, 0.5, 'expected a significance level above 0 and at most 0.5, such as 0.01 or 1%', true),
	errorMargin: ratioWithin(0, 1, 'expected a ratio such as 0.5% or 0.005'),
	errorMarginRelative: relative,
	latencyMargin: ratioWithin(0.5, 1, 'expected a share of pairs from 50% to 100%, such as 60%'),
	failAfter: wholeNumber(1),
	maxErrorRatio: ratioWithin(0, 1, 'expected a percentage such as 1% or a ratio from 0 to 1'),
	maxP95: latency,
	autoAbortDelay: quantity(parseDuration),
	stepInterval: quantity(parseDuration),
};

export const verdictSection = mapping<VerdictConfig>(fields);

export type VerdictFlags = {window?: string; maxErrorRatio?: string; maxP95?: string; autoAbortDelay?: string; stepInterval?: string};

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
