// Counts over one evaluation window for the verdict: PromQL for the requests, 5xx errors and latency
// buckets of the release's two versions (old = stable/active, new = canary/preview), built from the
// preset's series and version label, and the answers turned into the judge's WindowData. Pure.
import {bucketQuantile, type Bucket} from '../metrics/histogram.js';
import type {PromSeries} from '../metrics/prometheus-client.js';
import {presets, type PresetName} from '../metrics/presets.js';
import {templateValues} from '../metrics/queries.js';
import type {MetricsSettings} from '../metrics/settings.js';
import {fill} from '../metrics/template.js';
import {matchVersion} from '../metrics/version-match.js';
import {kindSpec} from '../kinds/registry.js';
import type {Release, Role, Version} from '../release/model.js';
import {decumulate} from './statistics.js';
import type {Arm, WindowData} from './judge.js';

const oldRoles: ReadonlySet<Role> = new Set(['stable', 'active', 'old']);
const newRoles: ReadonlySet<Role> = new Set(['canary', 'preview', 'new']);

export type WindowPlan = {
	preset: PresetName;
	label: string;
	/** Seconds of the window. */
	window: number;
	requests: string;
	errors: string;
	buckets: string;
	msPerLe: number;
	/** Version ids of the two arms. */
	canary: string;
	baseline: string;
	/** The version id a series belongs to, from its labels. */
	versionOf: (labels: Record<string, string>) => string | undefined;
};

/** The old and new version of a release whose kind compares them; undefined when it has not got one of each. */
export function windowPair(release: Release): {canary: Version; baseline: Version} | undefined {
	if (!kindSpec(release.kind).compared) return undefined;
	const canary = release.versions.find(v => newRoles.has(v.role));
	const baseline = release.versions.find(v => oldRoles.has(v.role));
	return canary && baseline ? {canary, baseline} : undefined;
}

/** The window queries for a release, or why there are none. */
export function planWindowQueries(release: Release, settings: MetricsSettings, presetName: PresetName, windowSeconds: number): WindowPlan | {error: string} {
	const compared = kindSpec(release.kind).compared;
	if (!compared) return {error: `${release.target} is ${kindSpec(release.kind).article}: the verdict compares the two versions of a canary or blue-green release`};
	const pair = windowPair(release);
	if (!pair) return {error: `${release.target} has no ${compared.newer} version next to the ${compared.older} one to compare`};
	const preset = presets[presetName];
	const label = settings.label ?? preset.label;
	const match = settings.match ?? preset.match;
	const values = templateValues(release, label, windowSeconds);
	const {series} = preset;
	const sel = (template: string) => fill(template, values);
	const window = values.window;
	const byValue = matchVersion(release, match);
	return {
		preset: presetName,
		label,
		window: windowSeconds,
		requests: `round(sum by (${label}) (increase(${sel(series.requests)}[${window}])))`,
		errors: `round(sum by (${label}) (increase(${sel(series.errors)}[${window}])))`,
		buckets: `sum by (${label}, le) (increase(${sel(series.buckets)}[${window}]))`,
		msPerLe: series.msPerLe,
		canary: pair.canary.id,
		baseline: pair.baseline.id,
		versionOf: labels => byValue(labels[label]),
	};
}

export type WindowAnswers = {requests: PromSeries[]; errors: PromSeries[]; buckets: PromSeries[]};

const lastValue = (s: PromSeries) => s.samples[s.samples.length - 1]?.[1] ?? NaN;

/** What the arithmetic of a window needs of its plan: the two arms' version ids, how a series names its version, the unit of `le`. */
export type WindowArms = Pick<WindowPlan, 'canary' | 'baseline' | 'versionOf' | 'msPerLe'>;

function count(series: PromSeries[], plan: WindowArms, id: string): number {
	let sum = 0;
	for (const s of series) {
		if (plan.versionOf(s.labels) !== id) continue;
		const v = lastValue(s);
		if (Number.isFinite(v)) sum += v;
	}
	return sum;
}

/** Cumulative counts per `le` of one version, summed over series that map to it. */
function cumulative(series: PromSeries[], plan: WindowArms, id: string): Map<number, number> {
	const out = new Map<number, number>();
	for (const s of series) {
		if (plan.versionOf(s.labels) !== id) continue;
		const le = Number(s.labels.le === '+Inf' ? Infinity : s.labels.le);
		const v = lastValue(s);
		if (Number.isNaN(le) || !Number.isFinite(v)) continue;
		out.set(le, (out.get(le) ?? 0) + v);
	}
	return out;
}

/** Per-bucket counts of both arms on the same bounds (sorted by numeric le), and each arm's p95 in ms. */
export function armBuckets(series: PromSeries[], plan: WindowArms): {canary?: {buckets: number[]; p95Ms?: number}; baseline?: {buckets: number[]; p95Ms?: number}} {
	const byArm = {canary: cumulative(series, plan, plan.canary), baseline: cumulative(series, plan, plan.baseline)};
	const bounds = [...new Set([...byArm.canary.keys(), ...byArm.baseline.keys()])].sort((a, b) => a - b);
	const out: ReturnType<typeof armBuckets> = {};
	for (const arm of ['canary', 'baseline'] as const) {
		const counts = byArm[arm];
		if (counts.size === 0) continue;
		// A bound one arm lacks holds what the bound below it holds (counts are cumulative).
		let carried = 0;
		const cum = bounds.map(le => {
			const v = counts.get(le);
			carried = v === undefined ? carried : Math.max(carried, Math.round(v));
			return carried;
		});
		const p95 = bucketQuantile(0.95, bounds.map((le, i): Bucket => ({le, count: cum[i]!})));
		out[arm] = {buckets: decumulate(cum), ...(Number.isFinite(p95) ? {p95Ms: p95 * plan.msPerLe} : {})};
	}
	return out;
}

/** The judge's WindowData from the three answers. */
export function windowData(plan: WindowArms, answers: WindowAnswers): WindowData {
	const buckets = armBuckets(answers.buckets, plan);
	const arm = (id: string, which: 'canary' | 'baseline'): Arm => {
		const out: Arm = {requests: count(answers.requests, plan, id), errors: count(answers.errors, plan, id)};
		const b = buckets[which];
		if (b) {
			out.buckets = b.buckets;
			if (b.p95Ms !== undefined) out.p95Ms = b.p95Ms;
		}
		return out;
	};
	return {canary: arm(plan.canary, 'canary'), baseline: arm(plan.baseline, 'baseline')};
}
