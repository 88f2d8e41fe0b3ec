// Pure helpers that turn model values into the short strings and colours the views show.
import type {PodPhase, ReleaseKind, Role, RouterKind, Version} from '../release/model.js';

export type Colour = 'green' | 'yellow' | 'red' | 'cyan' | 'magenta' | 'blue' | 'gray' | undefined;

const kindLabels: Record<ReleaseKind, string> = {
	rolling: 'rolling Deployment',
	canary: 'canary pair',
	bluegreen: 'blue-green',
	'argo-rollout': 'Argo Rollout',
	flagger: 'Flagger Canary',
};

const routerLabels: Record<RouterKind, string> = {
	istio: 'istio VirtualService',
	'gateway-api': 'Gateway API HTTPRoute',
	smi: 'SMI TrafficSplit',
	nginx: 'NGINX canary Ingress',
	traefik: 'Traefik weighted service',
	replicas: 'replica ratio',
	'service-selector': 'Service selector',
	deployment: 'Deployment controller',
};

export function kindLabel(kind: ReleaseKind): string {
	return kindLabels[kind] ?? String(kind);
}

export function routerLabel(router: RouterKind): string {
	return routerLabels[router] ?? String(router);
}

/** Roles that hold the running (old) version come first, new ones after. */
const roleOrder: Record<Role, number> = {stable: 0, active: 0, old: 0, canary: 1, preview: 1, new: 1};

export function isNewRole(role: Role): boolean {
	return roleOrder[role] === 1;
}

export function roleColour(role: Role): Colour {
	return isNewRole(role) ? 'magenta' : 'cyan';
}

/** Versions in display order: old roles first, then by revision, then by id. */
export function orderVersions(versions: readonly Version[]): Version[] {
	return [...versions].sort((a, b) =>
		(roleOrder[a.role] ?? 2) - (roleOrder[b.role] ?? 2)
		|| (a.revision ?? 0) - (b.revision ?? 0)
		|| a.id.localeCompare(b.id));
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

const phaseColours: Record<string, Colour> = {
	Running: 'green',
	Succeeded: 'green',
	Completed: 'green',
	Pending: 'yellow',
	ContainerCreating: 'yellow',
	PodInitializing: 'yellow',
	Terminating: 'gray',
	CrashLoopBackOff: 'red',
	Failed: 'red',
	Error: 'red',
	ImagePullBackOff: 'red',
	ErrImagePull: 'red',
	OOMKilled: 'red',
	Unknown: 'red',
};

export function statusColour(status: string | PodPhase): Colour {
	if (Object.hasOwn(phaseColours, status)) return phaseColours[status];
	if (/^Init:/.test(status)) return 'yellow';
	if (/Err|BackOff|Fail|Kill/.test(status)) return 'red';
	return undefined;
}

/** Phase counts in a stable order: Running first, then the rest by name. */
export function phaseEntries(phases: Record<string, number>): Array<[string, number]> {
	return Object.entries(phases)
		.filter(([, n]) => n > 0)
		.sort(([a], [b]) => (a === 'Running' ? -1 : b === 'Running' ? 1 : a.localeCompare(b)));
}

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

/** A horizontal bar `██░░░` of `width` cells for a percentage. */
export function bar(percent: number, width: number): string {
	if (width <= 0) return '';
	const p = Math.min(100, Math.max(0, percent));
	const full = Math.round((p / 100) * width);
	return '█'.repeat(full) + '░'.repeat(width - full);
}

/** Never render raw objects: anything not a string or number becomes a short text. */
export function text(value: unknown): string {
	if (value == null) return '';
	if (typeof value === 'string') return value;
	if (typeof value === 'number' || typeof value === 'boolean') return String(value);
	return '?';
}

/** `auto-abort in 27s — c cancels`. */
export function countdownLabel(countdown: {at: number}, now: number): string {
	const seconds = Math.max(0, Math.ceil((countdown.at - now) / 1000));
	return `auto-abort in ${seconds}s — c cancels`;
}
