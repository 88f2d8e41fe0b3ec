// A cluster of a few hundred releases made from the canonical cases of test/testdata: each case copied into
// namespaces of its own (`canary-007`), objects grouped per namespace as the cluster watch groups them.
import type {KObject} from '../../source/kube/object.js';
import type {SnapshotField} from '../../source/release/snapshot.js';
import {caseNames, loadCase} from './testdata.js';

export type Lists = Partial<Record<SnapshotField, KObject[]>>;

/** `count` namespaces, one release each, the cases in turn. */
export function manyNamespaces(count: number): Map<string, Lists> {
	const cases = caseNames().map(name => {
		const {snapshot} = loadCase(name);
		const {namespace: _namespace, now: _now, ...lists} = snapshot;
		return {name, lists: lists as Lists};
	});
	const groups = new Map<string, Lists>();
	for (let i = 0; i < count; i++) {
		const {name, lists} = cases[i % cases.length]!;
		const namespace = `${name}-${String(i).padStart(3, '0')}`;
		const copy: Lists = {};
		for (const [field, objects] of Object.entries(lists) as Array<[SnapshotField, KObject[]]>) {
			copy[field] = objects.map(o => {
				const c = structuredClone(o);
				c.metadata.namespace = namespace;
				return c;
			});
		}
		groups.set(namespace, copy);
	}
	return groups;
}

/** The same namespace with one pod changed (a new object, as a watch event makes): its first pod crash-loops. */
export function withCrashingPod(lists: Lists): Lists {
	const [first, ...rest] = lists.pods ?? [];
	if (!first) return lists;
	const crashing = structuredClone(first);
	crashing.status.containerStatuses = (crashing.status.containerStatuses ?? []).map((c: any) => ({...c, ready: false, restartCount: 5, state: {waiting: {reason: 'CrashLoopBackOff'}}}));
	crashing.status.conditions = [{type: 'Ready', status: 'False'}];
	return {...lists, pods: [crashing, ...rest]};
}
