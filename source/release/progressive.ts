// Releases driven by a progressive-delivery controller: Argo Rollouts and Flagger Canaries. Detection
// (run before the Deployment pairs, so that a Canary's Deployments are not taken for a pair) and the
// Release of each, for detect.ts and build.ts.
import type {KObject} from '../kube/object.js';
import {buildRolloutRelease, rolloutInProgress} from './argo.js';
import type {DetectedRelease} from './detect.js';
import {buildCanaryRelease, canaryServiceName, detectCanaryReleases, FLAGGER_ACTIVE_PHASES} from './flagger.js';
import type {Release} from './model.js';
import {compareText, nameOf} from './object-fields.js';
import {sanitize} from './sanitize.js';
import type {Scan} from './scan.js';
import type {ClusterSnapshot, ReleaseRef} from './snapshot.js';

/** Target prefixes that name an Argo Rollout or a Flagger Canary. */
export const ROLLOUT_PREFIXES = new Set(['ro', 'rollout', 'rollouts', 'rollout.argoproj.io', 'rollouts.argoproj.io']);
export const CANARY_PREFIXES = new Set(['canary', 'canaries', 'canary.flagger.app', 'canaries.flagger.app']);

export const isProgressiveKind = (kind: string): boolean => kind === 'argo-rollout' || kind === 'flagger';

function rolloutServices(rollout: KObject): string[] {
	const canary = rollout.spec?.strategy?.canary ?? {};
	const bg = rollout.spec?.strategy?.blueGreen ?? {};
	return [canary.stableService, canary.canaryService, bg.activeService, bg.previewService].filter((n): n is string => typeof n === 'string' && n !== '').map(sanitize);
}

/** Rollouts and Canaries of the namespace as detected releases; a Canary claims its two Deployments. */
export function detectProgressive(scan: Scan, claimed: Set<KObject>): DetectedRelease[] {
	const out: DetectedRelease[] = [];
	for (const rollout of [...(scan.snap.rollouts ?? [])].sort((a, b) => compareText(nameOf(a), nameOf(b)))) {
		const ref = rollout.spec?.workloadRef;
		const workload = typeof ref?.name === 'string' && ref.kind === 'Deployment' ? scan.deployment(ref.name) : undefined;
		if (workload) claimed.add(workload);
		out.push({
			target: `rollout/${sanitize(nameOf(rollout))}`,
			name: sanitize(nameOf(rollout)),
			kind: 'argo-rollout',
			deployments: workload ? [sanitize(nameOf(workload))] : [],
			services: rolloutServices(rollout),
			inProgress: rolloutInProgress(rollout),
			members: [],
		});
	}
	for (const {canary, primary, target} of detectCanaryReleases(scan, claimed)) {
		const svc = canaryServiceName(canary) ?? '';
		const members: DetectedRelease['members'] = [];
		if (primary) members.push({deployment: primary, role: 'stable'});
		if (target) members.push({deployment: target, role: 'canary'});
		out.push({
			target: `canary/${sanitize(nameOf(canary))}`,
			name: sanitize(nameOf(canary)),
			kind: 'flagger',
			deployments: members.map(m => sanitize(nameOf(m.deployment))),
			services: [svc, `${svc}-primary`, `${svc}-canary`].filter(name => scan.service(name) !== undefined).map(sanitize),
			inProgress: FLAGGER_ACTIVE_PHASES.has(String(canary.status?.phase ?? 'Initializing')) || canary.status?.phase === 'Failed',
			members,
		});
	}
	return out;
}

/** The Release of a Rollout or Canary ref, or undefined when the object is gone. */
export function buildProgressive(snap: ClusterSnapshot, scan: Scan, ref: ReleaseRef): Release | undefined {
	if (ref.kind === 'argo-rollout') {
		const rollout = (snap.rollouts ?? []).find(r => sanitize(nameOf(r)) === ref.name);
		return rollout ? buildRolloutRelease(snap, rollout, ref.target) : undefined;
	}
	if (ref.kind === 'flagger') {
		const canary = (snap.canaries ?? []).find(c => sanitize(nameOf(c)) === ref.name);
		return canary ? buildCanaryRelease(snap, scan, canary, ref.target) : undefined;
	}
	return undefined;
}
