// The latest SLI values of each version, for `--once`: asked once from the source, put on the
// Release (fields only added), and as text lines after the plain-text snapshot.
import type {Release, ReleaseMetrics, VersionSlis} from '../release/model.js';
import {clock} from '../text/format.js';
import {orderVersions} from '../release/versions.js';
import {formatValue} from './format.js';
import type {MetricsSettings} from './settings.js';
import {slis, type SliKey} from './slis.js';
import {alignDown, type MetricsSource, type RangeAnswer} from './source.js';

const fields: Record<SliKey, keyof VersionSlis> = {
	requestRate: 'requestsPerSecond',
	errorRatio: 'errorRatio',
	p95: 'p95Seconds',
	p99: 'p99Seconds',
	cpu: 'cpuCores',
	memory: 'memoryBytes',
};

const finiteOrNull = (value: number | undefined): number | null => (value !== undefined && Number.isFinite(value) ? value : null);

/** The release with each version's SLIs at one moment, and the source, time and measured split. */
export function releaseWithSlis(release: Release, answer: RangeAnswer, time: number, source: string): Release {
	const metrics: ReleaseMetrics = {source, time: new Date(time).toISOString()};
	if (answer.preset) metrics.preset = answer.preset;
	if (answer.problem) metrics.error = answer.problem.message;
	const errors: Record<string, string> = {};
	const valueOf = (key: SliKey, id: string): number | null => {
		const outcome = answer.outcomes[key];
		if (!outcome?.ok) return null;
		const samples = outcome.series.get(id) ?? [];
		return finiteOrNull(samples.find(([t]) => t === time)?.[1] ?? samples.at(-1)?.[1]);
	};
	for (const [key, outcome] of Object.entries(answer.outcomes)) if (outcome && !outcome.ok) errors[key] = outcome.error;
	if (Object.keys(errors).length > 0) metrics.errors = errors;
	const versions = release.versions.map(v => {
		const sli = Object.fromEntries(Object.entries(fields).map(([key, field]) => [field, valueOf(key as SliKey, v.id)])) as VersionSlis;
		return {...v, sli};
	});
	const rates = versions.map(v => v.sli.requestsPerSecond);
	const total = rates.reduce<number>((sum, r) => sum + (r ?? 0), 0);
	if (versions.length > 0 && rates.every(r => r !== null) && total > 0) {
		metrics.measuredTraffic = Object.fromEntries(versions.map(v => [v.id, Math.round((v.sli.requestsPerSecond! * 1000) / total) / 10]));
	}
	return {...release, versions, metrics};
}

/** Ask the source once for the newest settled step. */
export async function withLatestSlis(release: Release, source: MetricsSource, settings: Pick<MetricsSettings, 'interval'>, now = Date.now()): Promise<Release> {
	const stepMs = Math.round(settings.interval * 1000);
	const time = alignDown(now - 1000, stepMs);
	const controller = new AbortController();
	const timer = setTimeout(() => controller.abort(), 15_000);
	let answer: RangeAnswer;
	try {
		answer = await source.range({release, start: time, end: time, step: settings.interval, signal: controller.signal});
	} catch (error) {
		answer = {outcomes: {}, queries: 0, problem: {message: (error as Error).message, outage: true}};
	} finally {
		clearTimeout(timer);
	}
	return releaseWithSlis(release, answer, time, source.describe());
}

/** Lines for the plain-text snapshot: one per version, then the measured split. */
export function slisAsText(release: Release): string {
	const m = release.metrics;
	if (!m) return '';
	const lines = [`SLIs from ${m.source} at ${clock(Date.parse(m.time))}${m.error ? `: ${m.error}` : ''}`];
	const ordered = orderVersions(release.versions);
	const width = Math.max(...ordered.map(v => v.id.length));
	for (const v of ordered) {
		if (!v.sli) continue;
		const parts = (Object.keys(fields) as SliKey[]).map(key => `${slis[key].label} ${formatValue(v.sli![fields[key]], slis[key].unit)}`);
		lines.push(`  ${v.id.padEnd(width)}  ${parts.join('  ')}`);
	}
	if (m.measuredTraffic) lines.push(`  measured traffic ${ordered.map(v => `${Math.round(m.measuredTraffic![v.id] ?? 0)}%`).join(' | ')}`);
	for (const [key, error] of Object.entries(m.errors ?? {})) lines.push(`  ${key}: ${error}`);
	return lines.join('\n') + '\n';
}
