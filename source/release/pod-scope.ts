// Which pods a release is made of, as label selectors: the live view watches those rather than every pod
// of the namespace once it knows the release it shows.
import type {KObject} from '../kube/object.js';
import type {DetectedRelease} from './detected.js';
import {selectorString, type LabelSelector} from './labels.js';

/** A selector as requirements (`app=web`, `tier in (a,b)`); undefined when it selects everything or is not one. */
function requirements(selector: unknown): string[] | undefined {
	if (!selector || typeof selector !== 'object') return undefined;
	const {matchLabels, matchExpressions} = selector as LabelSelector;
	const out = [
		...Object.entries(matchLabels ?? {}).map(([key, value]) => selectorString({matchLabels: {[key]: value}})),
		...(Array.isArray(matchExpressions) ? matchExpressions : []).map(e => selectorString({matchExpressions: [e]})),
	];
	return out.length > 0 && out.every(r => r !== '') ? out : undefined;
}

/**
 * Label selectors whose pods together hold every pod of the release: one per workload (its Deployments, an
 * Argo Rollout), less those another one's pods include. Undefined when a workload's selector cannot say (the
 * namespace's pods then).
 */
export function podSelectors(release: DetectedRelease): string[] | undefined {
	const workloads: KObject[] = release.members.map(m => m.deployment);
	if (release.object?.spec?.selector !== undefined) workloads.push(release.object);
	if (workloads.length === 0) return undefined;
	const all: string[][] = [];
	for (const workload of workloads) {
		const reqs = requirements(workload.spec?.selector);
		if (!reqs) return undefined;
		all.push(reqs);
	}
	// A selector whose requirements include all of another's selects a part of its pods: it is not needed.
	const broader = (a: string[], b: string[]) => a.every(r => b.includes(r));
	const kept = all.filter((reqs, i) => !all.some((other, j) => j !== i && broader(other, reqs) && (!broader(reqs, other) || j < i)));
	return [...new Set(kept.map(reqs => reqs.join(',')))].sort();
}
