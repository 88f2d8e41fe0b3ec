// What the verdict runs with, in the view and in `rollscope gate` (resolved from the config file's
// `verdict:` section and the flags by config/verdict.ts), with its defaults.
import type {JudgeConfig} from './judge.js';

export const defaultWindowSeconds = 60;
export const defaultAutoAbortDelaySeconds = 30;
export const defaultStepIntervalSeconds = 120;

export type VerdictSettings = {
	/** Seconds of each judged window. */
	windowSeconds: number;
	judge: JudgeConfig;
	autoAbortDelaySeconds: number;
	stepIntervalSeconds: number;
};

/** The window as the gate says it: `1m`, `90s`. */
export function windowText(seconds: number): string {
	return seconds % 60 === 0 ? `${seconds / 60}m` : `${seconds}s`;
}
