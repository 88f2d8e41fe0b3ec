// The plain-text snapshot `--once` prints: the release as lines, no colour, no terminal tricks. Each table's
// columns are as wide as their longest value (from a least width, up to a most), so columns never run into
// each other: a longer value is cut with `…`, and there is always a gap of two spaces.
import type {Release} from '../release/model.js';
import {formatAge} from './format.js';

/** A column: its least and most width (without the gap); the last column of a row is never cut. */
export type Column = {min: number; max: number};

const GAP = 2;

function cut(value: string, width: number): string {
	return value.length <= width ? value : `${value.slice(0, Math.max(0, width - 1))}…`;
}

/** Rows of cells as aligned lines; the last cell of each row is written as it is. */
export function table(rows: ReadonlyArray<ReadonlyArray<string | number>>, columns: readonly Column[], indent = ''): string[] {
	const cells = rows.map(r => r.map(String));
	const widths = columns.map((c, i) => Math.min(c.max, Math.max(c.min, ...cells.map(r => (i < r.length - 1 ? r[i]!.length : 0)))));
	return cells.map(r => indent + r.map((cell, i) => (i === r.length - 1 ? cell : cut(cell, widths[i]!).padEnd(widths[i]! + GAP))).join('').trimEnd());
}

/** `summary`: the lines the release's kind says about its controller (kinds/spec.ts `summary`). */
export function releaseAsText(release: Release, context: string, summary: readonly string[] = []): string {
	const out: string[] = [];
	const router = release.traffic ? ` via ${release.traffic.router}${release.traffic.object ? ` ${release.traffic.object}` : ''}` : '';
	out.push(`${release.namespace}/${release.name}  ${release.kind}${router}  context ${context}`);
	if (release.progress) {
		const p = release.progress;
		const state = p.deadlineExceeded ? 'ProgressDeadlineExceeded' : p.paused ? 'paused' : p.complete ? 'complete' : 'in progress';
		out.push(`progress: ${p.updated}/${p.desired} updated, ${p.ready} ready, ${p.available} available (${state})`);
	}
	out.push(...summary);
	out.push('');
	out.push(
		...table(
			[['VERSION', 'ROLE', 'REV', 'READY', 'RESTARTS', 'WEIGHT', 'IMAGES'], ...release.versions.map(v => [v.id, v.role, v.revision ?? '-', `${v.ready}/${v.desired}`, v.restarts, v.weight === undefined ? '-' : `${v.weight}%`, v.images.join(',')])],
			[{min: 26, max: 63}, {min: 7, max: 7}, {min: 3, max: 6}, {min: 6, max: 9}, {min: 8, max: 8}, {min: 6, max: 6}],
		),
	);
	for (const route of release.traffic?.routes ?? []) out.push(`  ${route.version} also gets requests with ${route.match}`);
	for (const v of release.versions) for (const warning of v.imageWarnings ?? []) out.push(`  ${v.id} image: ${warning}`);
	out.push('');
	out.push(`PODS (${release.pods.length})`);
	out.push(...table(release.pods.map(p => [p.name, p.status, `${p.containersReady}/${p.containers}`, `restarts ${p.restarts}`, formatAge(p.ageSeconds)]), [{min: 38, max: 63}, {min: 18, max: 30}, {min: 4, max: 5}, {min: 10, max: 14}], '  '));
	out.push('');
	out.push('REVISIONS');
	out.push(
		...table(
			release.revisions.map(r => [r.revision, r.workload, r.images.join(','), `${r.pods} pods`, formatAge(r.ageSeconds), `${r.current ? '* ' : ''}${r.changeCause ?? ''}`]),
			[{min: 3, max: 6}, {min: 20, max: 63}, {min: 38, max: 80}, {min: 7, max: 10}, {min: 4, max: 5}],
			'  ',
		),
	);
	out.push('');
	out.push('EVENTS');
	out.push(...table(release.events.slice(0, 15).map(e => [e.time.slice(11, 19), e.type, e.reason, e.object, e.message]), [{min: 8, max: 8}, {min: 6, max: 7}, {min: 18, max: 30}, {min: 34, max: 70}], '  '));
	return out.join('\n') + '\n';
}
