// The pod-template-hash: like controller.ComputeHash (FNV-1a 32 then rand.SafeEncodeString),
// but over sorted-key JSON of the template instead of a Go struct dump. Deterministic, and
// always 1-10 characters of [4-9bcdf], so it looks like the real thing.
import {canonicalJson} from '../object.js';

export const podTemplateHashLabel = 'pod-template-hash';

const alphanums = 'bcdfghjklmnpqrstvwxz2456789';

export function fnv1a32(bytes: Uint8Array, seed = 0x811c9dc5): number {
	let h = seed >>> 0;
	for (const b of bytes) {
		h ^= b;
		h = Math.imul(h, 0x01000193) >>> 0;
	}
	return h >>> 0;
}

/** rand.SafeEncodeString: each character c becomes alphanums[c % 27] (for digits: 0→4 … 9→f). */
export function safeEncodeString(s: string): string {
	let out = '';
	for (let i = 0; i < s.length; i++) out += alphanums[s.charCodeAt(i) % alphanums.length];
	return out;
}

/**
 * A copy without nulls, empty objects and empty arrays, which a Go client treats as absent:
 * kubectl sends `creationTimestamp: null` and `resources: {}` in the template of a rollback.
 */
export function pruneEmpty(value: unknown): unknown {
	if (Array.isArray(value)) {
		const items = value.map(pruneEmpty).map(v => (v === undefined ? null : v));
		return items.length === 0 ? undefined : items;
	}
	if (value !== null && typeof value === 'object') {
		const out: Record<string, unknown> = {};
		for (const [k, v] of Object.entries(value)) {
			const p = pruneEmpty(v);
			if (p !== undefined) out[k] = p;
		}
		return Object.keys(out).length === 0 ? undefined : out;
	}
	return value === null ? undefined : value;
}

/** The hash of a pod template (ignoring empty values, see pruneEmpty). */
export function computeHash(template: unknown, collisionCount?: number | null): string {
	let h = fnv1a32(new TextEncoder().encode(canonicalJson(pruneEmpty(template) ?? {})));
	if (typeof collisionCount === 'number') {
		// 8 little-endian bytes, as the Go code writes them.
		const bytes = new Uint8Array(8);
		new DataView(bytes.buffer).setUint32(0, collisionCount >>> 0, true);
		h = fnv1a32(bytes, h);
	}
	return safeEncodeString(String(h));
}
