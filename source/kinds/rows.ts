// The releases of one namespace as rows of the list of every namespace's releases: each release found, its
// model built by its kind, and what it asks of a person as its kind says (`attention`).
import {defaultAttention, releaseRow, type ReleaseRow} from '../release/attention.js';
import type {Release} from '../release/model.js';
import {scanSnapshot} from '../release/scan.js';
import type {ClusterSnapshot} from '../release/snapshot.js';
import {kindRegistry, type KindRegistry} from './registry.js';

/** A row and the Release it was made from (the verdict of the list judges the Release). */
export type BuiltRow = {row: ReleaseRow; release: Release};

/** Every release of the snapshot's namespace as a row, in detection order. */
export function namespaceRows(snap: ClusterSnapshot, registry: KindRegistry = kindRegistry): BuiltRow[] {
	const scan = scanSnapshot(snap);
	return registry.detect(scan).map(detected => {
		const spec = registry.spec(detected.kind);
		const release = spec.build(snap, scan, detected, detected.target);
		return {row: releaseRow(release, spec.attention?.(detected, scan) ?? defaultAttention(detected)), release};
	});
}
