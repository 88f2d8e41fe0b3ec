// What the layers test must find: code outside source/kinds that branches on the kind of release.
import type {Release, ReleaseKind, Role} from '../../source/release/model.js';

export function isRolling(release: Release): boolean {
	return release.kind === 'rolling';
}

export function word(kind: ReleaseKind): string {
	switch (kind) {
		default:
			return 'a release';
	}
}

export const labels: Partial<Record<ReleaseKind, string>> = {};

/** Not kind switches: a role is not a kind, though 'canary' is both words; and a lookup by kind is not a branch. */
export const sameKind = (a: Release, b: ReleaseKind) => a.kind === b;
export const isCanary = (role: Role) => role === 'canary';
