// The plain-text snapshot `--once` prints: the release as lines, no colour, no terminal tricks.
import type {Release} from '../release/model.js';
import {formatAge} from './format.js';

const pad = (s: string | number, n: number) => String(s).padEnd(n);

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
	out.push(`${pad('VERSION', 28)}${pad('ROLE', 9)}${pad('REV', 5)}${pad('READY', 8)}${pad('RESTARTS', 10)}${pad('WEIGHT', 8)}IMAGES`);
	for (const v of release.versions) {
		out.push(
			`${pad(v.id, 28)}${pad(v.role, 9)}${pad(v.revision ?? '-', 5)}${pad(`${v.ready}/${v.desired}`, 8)}${pad(v.restarts, 10)}${pad(v.weight === undefined ? '-' : `${v.weight}%`, 8)}${v.images.join(',')}`,
		);
	}
	out.push('');
	out.push(`PODS (${release.pods.length})`);
	for (const p of release.pods) {
		out.push(`  ${pad(p.name, 40)}${pad(p.status, 20)}${pad(`${p.containersReady}/${p.containers}`, 6)}${pad(`restarts ${p.restarts}`, 12)}${formatAge(p.ageSeconds)}`);
	}
	out.push('');
	out.push('REVISIONS');
	for (const r of release.revisions) {
		out.push(`  ${pad(r.revision, 5)}${pad(r.workload, 22)}${pad(r.images.join(','), 40)}${pad(`${r.pods} pods`, 9)}${pad(formatAge(r.ageSeconds), 6)}${r.current ? '* ' : ''}${r.changeCause ?? ''}`);
	}
	out.push('');
	out.push('EVENTS');
	for (const e of release.events.slice(0, 15)) {
		out.push(`  ${e.time.slice(11, 19)}  ${pad(e.type, 8)}${pad(e.reason, 20)}${pad(e.object, 36)}${e.message}`);
	}
	return out.join('\n') + '\n';
}
