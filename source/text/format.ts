// Text shared by the live view and the plain-text output: ages, clock times, image tags.

/** kubectl-like age: 45s, 5m, 3h, 2d. */
export function age(seconds: number): string {
	if (!Number.isFinite(seconds) || seconds < 0) return '?';
	const s = Math.floor(seconds);
	if (s < 120) return `${s}s`;
	const m = Math.floor(s / 60);
	if (m < 120) return `${m}m`;
	const h = Math.floor(m / 60);
	if (h < 48) return `${h}h`;
	return `${Math.floor(h / 24)}d`;
}

/** Seconds until age() of an age of `seconds` reads differently. */
export function ageChangesIn(seconds: number): number {
	if (!Number.isFinite(seconds) || seconds < 0) return Infinity;
	const s = Math.floor(seconds);
	const unit = s < 120 ? 1 : s < 120 * 60 ? 60 : s < 48 * 3600 ? 3600 : 86_400;
	return unit - (s % unit);
}

const pad2 = (n: number) => String(n).padStart(2, '0');

/** Local wall-clock time, HH:MM:SS. */
export function clock(ms: number): string {
	const d = new Date(ms);
	if (Number.isNaN(d.getTime())) return '??:??:??';
	return `${pad2(d.getHours())}:${pad2(d.getMinutes())}:${pad2(d.getSeconds())}`;
}

/** An event time (ISO string) as HH:MM:SS, or the raw text when it does not parse. */
export function eventClock(time: string): string {
	const ms = Date.parse(time);
	return Number.isNaN(ms) ? time : clock(ms);
}

/** Age for the plain-text snapshot: 45s, 5m, 3h, 2d (minutes from 60 s). */
export function formatAge(seconds: number): string {
	if (seconds < 60) return `${Math.max(0, Math.floor(seconds))}s`;
	if (seconds < 3600) return `${Math.floor(seconds / 60)}m`;
	if (seconds < 86_400) return `${Math.floor(seconds / 3600)}h`;
	return `${Math.floor(seconds / 86_400)}d`;
}

/** The tag (or short digest) of an image reference: `reg:5000/app:v1.2` → `v1.2`. */
export function imageTag(image: string | undefined): string {
	if (!image) return '?';
	const at = image.indexOf('@');
	if (at >= 0) {
		const digest = image.slice(at + 1);
		const colon = digest.indexOf(':');
		return `@${digest.slice(colon + 1, colon + 13)}`;
	}
	const slash = image.lastIndexOf('/');
	const colon = image.lastIndexOf(':');
	if (colon > slash) return image.slice(colon + 1);
	return 'latest';
}

/** The tag of the first image, with `+N` when a pod runs several. */
export function imagesLabel(images: readonly string[]): string {
	if (images.length === 0) return '?';
	const first = imageTag(images[0]);
	return images.length > 1 ? `${first} +${images.length - 1}` : first;
}

/** A horizontal bar `██░░░` of `width` cells for a percentage. */
export function bar(percent: number, width: number): string {
	if (width <= 0) return '';
	const p = Math.min(100, Math.max(0, percent));
	const full = Math.round((p / 100) * width);
	return '█'.repeat(full) + '░'.repeat(width - full);
}
