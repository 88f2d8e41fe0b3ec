// The PromQL for one release: the preset's templates (or the config's), filled with the release's
// namespace, version label and versions. One query per SLI, whatever the number of pods or versions.
import type {Release} from '../release/model.js';
import {presets, type PresetName} from './presets.js';
import type {MetricsSettings} from './settings.js';
import {sliKeys, type SliKey} from './slis.js';
import {alternation, fill, promString, type TemplateValues} from './template.js';
import {matchVersion, versionValues, type VersionMatch} from './version-match.js';
import {promDuration} from '../text/units.js';

/** A label a query may set to the version's own name (Deployment or ReplicaSet), whatever the preset's label. */
export const versionNameLabel = 'rollscope_version';

export type QueryPlan = {
	preset: PresetName;
	/** The label the results carry the version in. */
	label: string;
	match: VersionMatch;
	/** Filled PromQL per SLI that is shown. */
	queries: Partial<Record<SliKey, string>>;
	/** The version id of a series, from its labels. */
	versionOf: (labels: Record<string, string>) => string | undefined;
};

/** A regular expression over pod names: `(name1|name2)-<hash>-<suffix>` for Deployments, `(rs1|rs2)-<suffix>` for ReplicaSets. Group 1 is the version id. */
export function podPattern(release: Release): string {
	const ids = release.versions.map(v => v.id);
	const replicaSets = release.versions.length > 0 && release.versions.every(v => v.workloadKind === 'ReplicaSet');
	return `(${alternation(ids)})${replicaSets ? '-[a-z0-9]+' : '-[a-z0-9]+-[a-z0-9]+'}`;
}

export function templateValues(release: Release, label: string, rateWindow: number): TemplateValues {
	return {
		namespace: promString(release.namespace),
		label,
		versions: alternation(versionValues(release)),
		window: promDuration(rateWindow),
		pods: podPattern(release),
		services: alternation(release.services),
	};
}

export function planQueries(release: Release, settings: MetricsSettings, presetName: PresetName): QueryPlan {
	const preset = presets[presetName];
	const rolling = release.versions.length > 0 && release.versions.every(v => v.workloadKind === 'ReplicaSet');
	const label = rolling ? (settings.revisionLabel ?? preset.revisionLabel) : (settings.label ?? preset.label);
	const match = settings.match ?? preset.match;
	const values = templateValues(release, label, settings.rateWindow);
	const queries: Partial<Record<SliKey, string>> = {};
	for (const key of sliKeys) {
		const sli = settings.slis[key];
		if (!sli.show) continue;
		queries[key] = fill(sli.query ?? preset.queries[key], values);
	}
	const byValue = matchVersion(release, match);
	const byName = matchVersion(release, 'name');
	const versionOf = (labels: Record<string, string>) => (labels[versionNameLabel] !== undefined ? byName(labels[versionNameLabel]) : byValue(labels[label]));
	return {preset: presetName, label, match, queries, versionOf};
}
