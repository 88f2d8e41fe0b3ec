// The `metrics:` section of the config file: preset, windows, labels, and per SLI the query,
// threshold and scale that override the preset's.
import {presetNames, type PresetName} from '../metrics/presets.js';
import {defaultRateWindow, defaultWindow, isPresetName, type MetricsSettings, type SliSettings} from '../metrics/settings.js';
import {sliKeys, slis, type SliKey, type Threshold, type Unit} from '../metrics/slis.js';
import {isLabelName, placeholders, unknownPlaceholders} from '../metrics/template.js';
import {boolean, mapping, nonEmptyString, oneOf, quantity, type Check, type Fields} from './check.js';
import {parseBytes, parseCores, parseDuration, parseRate, parseRatio, type Parsed} from '../text/units.js';

export type SliConfig = {
	/** PromQL returning one series per version, labelled with the version label. */
	query?: string;
	/** Red above this. */
	threshold?: number;
	/** Yellow above this. */
	warn?: number;
	/** Top of the sparkline scale (values above are clamped); default: the highest value in the window. */
	max?: number;
	/** false hides the row. */
	show?: boolean;
};

export type VersionMatch = 'name' | 'canary-flag';

export type MetricsConfig = {
	preset?: PresetName;
	/** Seconds of history the sparklines show. */
	window?: number;
	/** Seconds of the rate() window. */
	rateWindow?: number;
	/** Seconds between refreshes (and verdicts), when --interval is not given. */
	interval?: number;
	/** Label telling versions apart for canary and blue-green releases (Deployments). */
	label?: string;
	/** Label telling versions apart for rolling releases (ReplicaSets). */
	revisionLabel?: string;
	/** name: label values are Deployment/ReplicaSet names or pod-template hashes; canary-flag: empty is stable, anything else canary. */
	match?: VersionMatch;
	slis?: Partial<Record<SliKey, SliConfig>>;
};

const latency = (value: unknown): Parsed =>
	typeof value === 'number' ? {error: `give a unit: ${value}ms or ${value}s`} : parseDuration(value);

const parsers: Record<Unit, (value: unknown) => Parsed> = {
	rps: parseRate,
	ratio: parseRatio,
	seconds: latency,
	cores: parseCores,
	bytes: parseBytes,
};

const query: Check<string> = (value, path, issues) => {
	const text = nonEmptyString(value, path, issues);
	if (text === undefined) return undefined;
	const unknown = unknownPlaceholders(text);
	if (unknown.length > 0) {
		issues.push({path, message: `unknown placeholder ${unknown.map(u => `{{${u}}}`).join(', ')}; known: ${Object.keys(placeholders).map(p => `{{${p}}}`).join(', ')}`});
		return undefined;
	}
	return text;
};

const labelName: Check<string> = (value, path, issues) => {
	const text = nonEmptyString(value, path, issues);
	if (text !== undefined && !isLabelName(text)) {
		issues.push({path, message: `not a Prometheus label name: ${JSON.stringify(text)}`});
		return undefined;
	}
	return text;
};

function sliSection(key: SliKey): Check<SliConfig> {
	const value = quantity(parsers[slis[key].unit]);
	const check = mapping<SliConfig>({query, threshold: value, warn: value, max: value, show: boolean});
	return (raw, path, issues) => {
		const out = check(raw, path, issues);
		if (out?.warn !== undefined && out.threshold !== undefined && out.warn > out.threshold) {
			issues.push({path, message: 'warn must not be above threshold'});
		}
		return out;
	};
}

const sliFields = Object.fromEntries(sliKeys.map(key => [key, sliSection(key)])) as Fields<Partial<Record<SliKey, SliConfig>>>;

export const metricsSection = mapping<MetricsConfig>({
	preset: oneOf(presetNames),
	window: quantity(parseDuration),
	rateWindow: quantity(parseDuration),
	interval: quantity(value => {
		const parsed = parseDuration(value);
		return 'value' in parsed && parsed.value < 1 ? {error: `the interval must be at least 1s, got ${JSON.stringify(value)}`} : parsed;
	}),
	label: labelName,
	revisionLabel: labelName,
	match: oneOf<VersionMatch>(['name', 'canary-flag']),
	slis: mapping(sliFields, 'SLI'),
});

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
