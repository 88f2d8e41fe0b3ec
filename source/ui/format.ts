// Pure helpers that turn model values into the short strings and colours the views show.
import type {PodPhase, ReleaseKind, Role} from '../release/model.js';
import {kindRegistry} from '../kinds/registry.js';
import {isNewRole} from '../release/versions.js';
import type {Colour} from '../text/styled.js';

export type {Colour};

export function kindLabel(kind: ReleaseKind): string {
	return kindRegistry.kinds.find(k => k.kind === kind)?.label ?? String(kind);
}


export function roleColour(role: Role): Colour {
	return isNewRole(role) ? 'magenta' : 'cyan';
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
