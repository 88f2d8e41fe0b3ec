// Whether a progressive-delivery controller owns a router object (and would overwrite a direct patch).
import type {KObject} from '../kube/object.js';

const ARGO = /argo-?rollouts|argoproj\.io/i;
const FLAGGER = /flagger/i;
const KRUISE = /rollouts\.kruise\.io|kruise-?rollout/i;

function controllerIn(text: string): string | undefined {
	if (ARGO.test(text)) return 'argo-rollouts';
	if (FLAGGER.test(text)) return 'flagger';
	if (KRUISE.test(text)) return 'kruise-rollouts';
	return undefined;
}

/**
 * 'argo-rollouts', 'flagger' or 'kruise-rollouts' when the object is owned by a Rollout (Argo's or OpenKruise's, told
 * apart by the owner's API group) or a Canary, or marked by one of them; else undefined.
 */
export function managedBy(obj: KObject): string | undefined {
	for (const ref of obj.metadata.ownerReferences ?? []) {
		if (ref.kind === 'Rollout') return KRUISE.test(ref.apiVersion ?? '') ? 'kruise-rollouts' : 'argo-rollouts';
		if (ref.kind === 'BatchRelease' && KRUISE.test(ref.apiVersion ?? '')) return 'kruise-rollouts';
		if (ref.kind === 'Canary' && (!ref.apiVersion || FLAGGER.test(ref.apiVersion))) return 'flagger';
	}
	const marks = {...obj.metadata.labels, ...obj.metadata.annotations};
	for (const [key, value] of Object.entries(marks)) {
		// last-applied-configuration holds a whole object: what it mentions is not a mark.
		if (key === 'kubectl.kubernetes.io/last-applied-configuration') continue;
		const byKey = controllerIn(key);
		if (byKey) return byKey;
		if (/managed-by|created-by|controller/i.test(key)) {
			const byValue = controllerIn(String(value));
			if (byValue) return byValue;
		}
	}
	return undefined;
}
