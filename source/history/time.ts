// Moments in words: `--at` read as a clock time on the recording's day or an ISO time, and how long ago or
// after the start a moment was (`3m12s`).

/** `42s`, `3m12s`, `1h04m`, `2d03h`. */
export function elapsed(ms: number): string {
	const s = Math.max(0, Math.floor(ms / 1000));
	const pad = (n: number) => String(n).padStart(2, '0');
	if (s < 60) return `${s}s`;
	if (s < 3600) return `${Math.floor(s / 60)}m${pad(s % 60)}s`;
	if (s < 86_400) return `${Math.floor(s / 3600)}h${pad(Math.floor((s % 3600) / 60))}m`;
	return `${Math.floor(s / 86_400)}d${pad(Math.floor((s % 86_400) / 3600))}h`;
}

/** The local date of a moment, YYYY-MM-DD. */
export function localDate(ms: number): string {
	const d = new Date(ms);
	return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
}

/**
 * A moment given as `HH:MM:SS` (or `HH:MM`), local time on the day the recording started (the day after, when
 * that is the one inside a recording that runs past midnight), or as an ISO 8601 time with its date.
 */
export function parseMoment(text: string, range: {start: number; end: number}): number | {error: string} {
	const clock = /^(\d{1,2}):(\d{2})(?::(\d{2})(?:\.(\d{1,3}))?)?$/.exec(text.trim());
	if (clock) {
		const [hours, minutes, seconds = 0, millis = '0'] = [Number(clock[1]), Number(clock[2]), clock[3] === undefined ? 0 : Number(clock[3]), clock[4] ?? '0'];
		if (hours > 23 || minutes > 59 || seconds > 59) return {error: `--at ${text}: not a time of day`};
		const at = new Date(range.start);
		at.setHours(hours, minutes, seconds, Number(millis.padEnd(3, '0')));
		let ms = at.getTime();
		if (ms < range.start - 1000) {
			const next = new Date(ms);
			next.setDate(next.getDate() + 1);
			if (next.getTime() <= range.end) ms = next.getTime();
		}
		return ms;
	}
	if (/^\d{4}-\d{2}-\d{2}/.test(text.trim())) {
		const ms = Date.parse(text.trim());
		if (!Number.isNaN(ms)) return ms;
	}
	return {error: `--at ${text}: give a time as HH:MM:SS (the recording's day, local time) or an ISO time such as 2026-03-01T14:02:31Z`};
}
