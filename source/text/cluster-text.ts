// The plain-text list of every namespace's releases (`--once -A`): one line per release, most in need of a
// person first, in columns as wide as their longest value.
import type {ReleaseRow, RowVersion} from '../release/attention.js';
import {imagesLabel} from './format.js';
import {table} from './release-text.js';

/** `1.2.3 | 1.3.0`: each version's tag, old first. */
export function versionsText(versions: readonly RowVersion[]): string {
	return versions.map(v => imagesLabel(v.images)).join(' | ') || '-';
}

/** `90% | 10%`, or `-` when the release says no weight. */
export function weightsText(versions: readonly RowVersion[]): string {
	if (versions.every(v => v.weight === undefined)) return '-';
	return versions.map(v => (v.weight === undefined ? '?' : `${Math.round(v.weight)}%`)).join(' | ');
}

/** The rows as a table; `verdict` says a row's verdict state (`-` where none is known). */
export function clusterAsText(rows: readonly ReleaseRow[], verdict: (row: ReleaseRow) => string | undefined = () => undefined): string {
	if (rows.length === 0) return 'no releases found in any namespace\n';
	const lines = table(
		[
			['STATE', 'NAMESPACE', 'RELEASE', 'KIND', 'VERSIONS', 'WEIGHT', 'PHASE', 'VERDICT'],
			...rows.map(r => [r.attention, r.namespace, r.target, r.kind, versionsText(r.versions), weightsText(r.versions), r.phase, verdict(r) ?? '-']),
		],
		[{min: 11, max: 11}, {min: 9, max: 40}, {min: 7, max: 48}, {min: 4, max: 12}, {min: 8, max: 40}, {min: 6, max: 24}, {min: 5, max: 40}],
	);
	return lines.join('\n') + '\n';
}
