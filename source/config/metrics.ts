// The `metrics:` section of the config file: preset, windows, labels, and per SLI the query,
// threshold and scale that override the preset's.
import {presetNames, type PresetName} from '../metrics/presets.js';
import {sliKeys, slis, type SliKey, type Unit} from '../metrics/slis.js';
import {isLabelName, placeholders, unknownPlaceholders} from '../metrics/template.js';
import {boolean, mapping, nonEmptyString, oneOf, quantity, type Check, type Fields} from './check.js';
import {parseBytes, parseCores, parseDuration, parseRate, parseRatio, type Parsed} from './units.js';

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
