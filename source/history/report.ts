// The post-mortem of a recording as Markdown: the revisions and when they started, then in time order the
// weight steps, the verdict's turns with their figures, the actions with who and why, and the first Warning
// events of each version. Pure: from a history (text from the cluster was sanitised by the model).
import {sanitize} from '../release/sanitize.js';
import {imagesLabel} from '../text/format.js';
import {clock} from '../text/format.js';
import type {StoredRevision} from './compact.js';
import type {History} from './history.js';
import type {Mark} from './marks.js';
import type {RecordingHeader} from './recording.js';
import {elapsed, localDate} from './time.js';

/** Warnings listed per version. */
const FIRST_WARNINGS = 3;

/** Text for a table cell: sanitised (a recording is a file from anywhere), pipes escaped. */
const cell = (text: string) => sanitize(text).replace(/\\/g, '\\\\').replace(/\|/g, '\\|');

/** A clock time, with its date when it is not the recording's day. */
function when(ms: number, day: string): string {
	return localDate(ms) === day ? clock(ms) : `${localDate(ms)} ${clock(ms)}`;
}

/** `alice aborted checkout-canary: … (automatic: errors 5 %…)` → who, what, why. */
export function actionParts(mark: Extract<Mark, {kind: 'action'}>): {who: string; what: string; why: string} {
	let what = mark.message.startsWith(`${mark.who} `) ? mark.message.slice(mark.who.length + 1) : mark.message;
	const automatic = /\s*\(automatic: (.*)\)$/.exec(what);
	const why = automatic ? `automatic: ${automatic[1]}` : 'by hand';
	if (automatic) what = what.slice(0, automatic.index);
	return {who: mark.who, what, why};
}

/** Every revision the frames show, with its birth, in the order of revision numbers per workload. */
function revisionsOf(history: History): StoredRevision[] {
	const seen = new Map<string, StoredRevision>();
	let last: unknown;
	for (const frame of history.frames) {
		const revisions = frame.release?.revisions;
		if (!revisions || revisions === last) continue;
		last = revisions;
		for (const r of revisions) {
			const key = `${r.workload}\u0000${r.revision}`;
			if (!seen.has(key)) seen.set(key, r);
		}
	}
	return [...seen.values()].sort((a, b) => a.born - b.born || a.workload.localeCompare(b.workload) || a.revision - b.revision);
}

export function reportMarkdown(history: History, header: RecordingHeader, range: {start: number; end: number}): string {
	const day = localDate(range.start);
	const release = history.frames.findLast(f => f.release)?.release;
	const name = release ? `${release.namespace}/${release.name}` : `${header.namespace}/${header.target ?? ''}`;
	const out: string[] = [];
	out.push(`# ${cell(name)}: what happened`, '');
	const what = release ? `${release.kind}${release.traffic ? ` via ${release.traffic.router}${release.traffic.object ? ` ${release.traffic.object}` : ''}` : ''}` : 'no release seen';
	out.push(`Recorded on ${day} from ${clock(range.start)} to ${when(range.end, day)} (${elapsed(range.end - range.start)}) · context ${cell(header.context)} · ${cell(header.target ?? 'no target')} · ${cell(what)}`, '');

	out.push('## Revisions', '');
	const revisions = revisionsOf(history);
	if (revisions.length === 0) out.push('None seen.', '');
	else {
		out.push('| revision | workload | images | started |', '| --- | --- | --- | --- |');
		for (const r of revisions) out.push(`| ${r.revision} | ${cell(r.workload)} | ${cell(r.images.join(', '))} | ${when(r.born, day)}${r.born < range.start ? ' (before the recording)' : ''} |`);
		out.push('');
	}

	const warnings = new Map<string, Array<Extract<Mark, {kind: 'warning'}>>>();
	for (const m of history.marks) if (m.kind === 'warning') warnings.set(m.version ?? '', [...(warnings.get(m.version ?? '') ?? []), m]);
	const firstWarnings = new Set([...warnings.values()].flatMap(list => list.slice(0, FIRST_WARNINGS)));
	out.push('## Timeline', '');
	const shown = history.marks.filter(m => m.kind !== 'warning' || firstWarnings.has(m));
	if (shown.length === 0) out.push('Nothing happened: no new revision, weight step, verdict change, action or Warning.', '');
	else {
		out.push('| time | what | details |', '| --- | --- | --- |');
		for (const m of shown) out.push(`| ${when(m.at, day)} | ${m.kind} | ${cell(markDetails(m))} |`);
		out.push('');
	}

	const actions = history.marks.filter((m): m is Extract<Mark, {kind: 'action'}> => m.kind === 'action');
	out.push('## Actions', '');
	if (actions.length === 0) out.push('No rollscope action was taken.', '');
	else {
		out.push('| time | who | what | why |', '| --- | --- | --- | --- |');
		for (const m of actions) {
			const {who, what, why} = actionParts(m);
			out.push(`| ${when(m.at, day)} | ${cell(who)} | ${cell(what)} | ${cell(why)} |`);
		}
		out.push('');
	}

	out.push('## First warnings of each version', '');
	if (warnings.size === 0) out.push('No Warning events.', '');
	for (const [version, list] of warnings) {
		out.push(`### ${cell(version || 'not of a version')}`, '');
		for (const m of list.slice(0, FIRST_WARNINGS)) out.push(`- ${when(m.at, day)} ${cell(m.reason)} ${cell(m.object)}: ${cell(m.message)}`);
		if (list.length > FIRST_WARNINGS) out.push(`- … and ${list.length - FIRST_WARNINGS} more`);
		out.push('');
	}
	return out.join('\n');
}

/** A mark's details for the timeline table. */
export function markDetails(m: Mark): string {
	switch (m.kind) {
		case 'revision':
			return `${m.revision === undefined ? 'new version' : `revision ${m.revision}`} of ${m.version} (${imagesLabel(m.images)})`;
		case 'weight':
			return m.changes.map(c => `${c.version} ${c.from === undefined ? '?' : Math.round(c.from)}% → ${c.to === undefined ? '?' : Math.round(c.to)}%`).join(', ');
		case 'verdict':
			return `${m.from ?? 'none'} → ${m.state}: ${m.reason}`;
		case 'action': {
			const {who, what, why} = actionParts(m);
			return `${who}: ${what} (${why})`;
		}
		case 'warning':
			return `${m.reason} ${m.object}: ${m.message}`;
	}
}
