// What the metrics feature runs with: the config file's metrics section and the flags, with defaults.
import type {MetricsConfig, SliConfig} from '../config/metrics.js';
import {presetNames, type PresetName} from './presets.js';
import {sliKeys, slis, type SliKey, type Threshold} from './slis.js';
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

function sliSettings(key: SliKey, config: SliConfig | undefined): SliSettings {
	const base = slis[key].threshold;
	const threshold: Threshold = {...base};
	if (config?.threshold !== undefined) {
		threshold.bad = config.threshold;
		// A threshold given alone drops the preset's warn level when it would be above it.
		if (config.warn === undefined && threshold.warn !== undefined && threshold.warn > config.threshold) delete threshold.warn;
	}
	if (config?.warn !== undefined) threshold.warn = config.warn;
	const out: SliSettings = {threshold, show: config?.show ?? true};
	if (config?.query !== undefined) out.query = config.query;
	if (config?.max !== undefined) out.max = config.max;
	return out;
}

export function isPresetName(name: string): name is PresetName {
	return (presetNames as readonly string[]).includes(name);
}

/** Settings from the config file's metrics section, --metrics and --interval. */
export function metricsSettings(config: MetricsConfig | undefined, flags: {metrics?: string; interval?: number} = {}): MetricsSettings {
	const preset = flags.metrics ?? config?.preset;
	if (preset !== undefined && !isPresetName(preset)) throw new Error(`unknown metrics preset "${preset}"; choose one of: ${presetNames.join(', ')}`);
	const settings: MetricsSettings = {
		window: config?.window ?? defaultWindow,
		rateWindow: config?.rateWindow ?? defaultRateWindow,
		interval: flags.interval ?? 5,
		slis: Object.fromEntries(sliKeys.map(key => [key, sliSettings(key, config?.slis?.[key])])) as Record<SliKey, SliSettings>,
	};
	if (preset !== undefined) settings.preset = preset;
	if (config?.label) settings.label = config.label;
	if (config?.revisionLabel) settings.revisionLabel = config.revisionLabel;
	if (config?.match) settings.match = config.match;
	return settings;
}
