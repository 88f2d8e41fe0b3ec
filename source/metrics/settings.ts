// What the metrics feature runs with (resolved from the config file's metrics section and the flags by
// config/metrics.ts), with its defaults.
import {presetNames, type PresetName} from './presets.js';
import type {SliKey, Threshold} from './slis.js';
import type {VersionMatch} from './version-match.js';

export type SliSettings = {query?: string; threshold: Threshold; max?: number; show: boolean};

export type MetricsSettings = {
	/** Fixed by --metrics or the config; undefined: detected per namespace. */
	preset?: PresetName;
	/** Seconds of history in the sparklines. */
	window: number;
	/** Seconds of the rate() window. */
	rateWindow: number;
	/** Seconds between refreshes; also the step of the series. */
	interval: number;
	label?: string;
	revisionLabel?: string;
	match?: VersionMatch;
	slis: Record<SliKey, SliSettings>;
};

export const defaultWindow = 600;
export const defaultRateWindow = 60;

export function isPresetName(name: string): name is PresetName {
	return (presetNames as readonly string[]).includes(name);
}
