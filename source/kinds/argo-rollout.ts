// An Argo Rollout: its ReplicaSets are the versions; the keys write what `kubectl argo rollouts` writes
// (promote, promote --full, abort, retry, pause, undo), and the weight keys go to setWeight steps.
import {patchCheck} from '../actions/access.js';
import {argoRevisionEntries, argoWeightKey, planArgo} from '../actions/progressive.js';
import {detectRollouts, buildRolloutRelease} from '../release/argo.js';
import {nameOf} from '../release/object-fields.js';
import {argoLines} from '../text/progressive.js';
import {argoStrip} from '../text/strip.js';
import type {KindSpec} from './spec.js';
import {rolloutAttention} from '../release/attention.js';

export const argoRolloutKind: KindSpec = {
	kind: 'argo-rollout',
	label: 'Argo Rollout',
	article: 'an Argo Rollout',
	named: {prefixes: ['rollout', 'ro', 'rollouts', 'rollout.argoproj.io', 'rollouts.argoproj.io'], noun: 'Argo Rollout'},
	watches: [
		{field: 'rollouts', kind: 'Rollout', resource: 'rollouts', groupVersions: ['argoproj.io/v1alpha1']},
		{field: 'analysisRuns', kind: 'AnalysisRun', resource: 'analysisruns', groupVersions: ['argoproj.io/v1alpha1']},
		{field: 'experiments', kind: 'Experiment', resource: 'experiments', groupVersions: ['argoproj.io/v1alpha1']},
	],
	detect: detectRollouts,
	attention: rolloutAttention,
	build: (snap, _scan, release, target) => buildRolloutRelease(snap, release.object!, target),
	noWeights: target => `${target} moves its weight by its steps`,
	plan(t, intent) {
		const ro = t.release.object;
		if (!ro) return {message: `${t.release.target} is not in the watch`};
		try {
			return planArgo(t, ro, intent);
		} catch (error) {
			// The builders refuse objects without a resourceVersion (no precondition possible).
			return {message: (error as Error).message};
		}
	},
	access() {
		// Status first (the plugin's rule); spec for pause, resume and undo.
		const spec = patchCheck('Rollout', 'argoproj.io/v1alpha1');
		const status = patchCheck('Rollout', 'argoproj.io/v1alpha1', 'status');
		return {weight: [status], promote: [status], abort: [status], pause: [spec], undo: [spec]};
	},
	weightKey: (t, key) => (t.release.object ? argoWeightKey(t.release.object, key) : {message: 'the Rollout is not loaded yet'}),
	revisions(t) {
		const ro = t.release.object;
		if (!ro) return {message: 'the Rollout is not loaded yet'};
		return {workload: nameOf(ro), prefix: 'rollout', entries: argoRevisionEntries(t, ro)};
	},
	extraActions: ['promoteFull'],
	compared: {newer: 'canary', older: 'stable'},
	strip: (release, width) => (release.argo ? argoStrip(release.argo, width) : []),
	summary: release => (release.argo ? argoLines(release.argo) : []),
};
