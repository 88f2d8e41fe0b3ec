// An OpenKruise Rollout (rollouts.kruise.io): its Deployment's stable and canary ReplicaSets are the versions; the
// keys write what kubectl-kruise writes (approve, pause, resume, undo --fast) and u puts the Deployment's template
// back to a revision, Kruise's documented rollback. `rollout/NAME` opens it when no Argo Rollout has that name;
// `krollout/NAME` and `rollouts.rollouts.kruise.io/NAME` always do.
import {patchCheck} from '../actions/access.js';
import {planKruise} from '../actions/kruise.js';
import {revisionEntries} from '../actions/undo.js';
import {buildKruiseRelease, detectKruiseRollouts} from '../release/kruise.js';
import {nameOf} from '../release/object-fields.js';
import {kruiseLines} from '../text/progressive.js';
import {kruiseStrip} from '../text/strip.js';
import type {KindSpec} from './spec.js';

export const kruiseRolloutKind: KindSpec = {
	kind: 'kruise-rollout',
	label: 'Kruise Rollout',
	article: 'a Kruise Rollout',
	named: {
		prefixes: ['krollout', 'krollouts', 'rollout.rollouts.kruise.io', 'rollouts.rollouts.kruise.io'],
		// After Argo Rollouts, which kubectl also lists first for `rollout` (argoproj.io sorts before rollouts.kruise.io).
		shared: ['rollout', 'rollouts'],
		noun: 'Kruise Rollout',
	},
	watches: [{field: 'kruiseRollouts', kind: 'Rollout', resource: 'rollouts', groupVersions: ['rollouts.kruise.io/v1beta1', 'rollouts.kruise.io/v1alpha1']}],
	detect: detectKruiseRollouts,
	build: (snap, scan, release, target) => buildKruiseRelease(snap, scan, release.object!, target),
	noWeights: target => `${target} moves its traffic by its steps (Kruise Rollouts)`,
	plan(t, intent) {
		const ro = t.release.object;
		if (!ro) return {message: `${t.release.target} is not in the watch`};
		try {
			return planKruise(t, ro, intent);
		} catch (error) {
			// The builders refuse objects without a resourceVersion (no precondition possible).
			return {message: (error as Error).message};
		}
	},
	access(t) {
		const apiVersion = t.release.object?.apiVersion ?? 'rollouts.kruise.io/v1beta1';
		const status = patchCheck('Rollout', apiVersion, 'status');
		return {weight: [], promote: [status], abort: [status], pause: [patchCheck('Rollout', apiVersion)], undo: [patchCheck('Deployment')]};
	},
	weightKey: t => ({message: `${t.release.target} moves its traffic by its steps: Kruise Rollouts has no weight API (p approves the paused step)`}),
	revisions(t) {
		const workload = t.release.members.find(m => m.role === 'stable')?.deployment;
		if (!workload) return {message: `${t.release.target}: its Deployment is not in the watch`};
		return {workload: nameOf(workload), prefix: 'deploy', entries: revisionEntries(t, workload)};
	},
	compared: {newer: 'canary', older: 'stable'},
	strip: (release, width) => (release.kruise ? kruiseStrip(release.kruise, width) : []),
	summary: release => (release.kruise ? kruiseLines(release.kruise) : []),
};
