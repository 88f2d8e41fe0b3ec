// A Flagger Canary: its primary (stable) and target (canary) Deployments are the versions; Flagger moves
// the weight itself, so the keys drive the Canary: promote skips the analysis, r restores it, space
// suspends, u reverts the target Deployment.
import {patchCheck} from '../actions/access.js';
import {planFlagger} from '../actions/progressive.js';
import {buildCanaryRelease, detectFlaggerCanaries} from '../release/flagger.js';
import {flaggerLines} from '../text/progressive.js';
import {flaggerStrip} from '../text/strip.js';
import {deploymentRevisions} from './deployments.js';
import type {KindSpec} from './spec.js';
import {flaggerAttention} from '../release/attention.js';

export const flaggerKind: KindSpec = {
	kind: 'flagger',
	label: 'Flagger Canary',
	article: 'a Flagger Canary',
	named: {prefixes: ['canary', 'canaries', 'canary.flagger.app', 'canaries.flagger.app'], noun: 'Flagger Canary'},
	watches: [{field: 'canaries', kind: 'Canary', resource: 'canaries', groupVersions: ['flagger.app/v1beta1']}],
	detect: detectFlaggerCanaries,
	attention: flaggerAttention,
	build: (snap, scan, release, target) => buildCanaryRelease(snap, scan, release.object!, target),
	noWeights: target => `${target} moves its weight by itself (Flagger)`,
	plan(t, intent) {
		const canary = t.release.object;
		if (!canary) return {message: `${t.release.target} is not in the watch`};
		try {
			return planFlagger(t, canary, intent);
		} catch (error) {
			return {message: (error as Error).message};
		}
	},
	access() {
		const canaries = patchCheck('Canary', 'flagger.app/v1beta1');
		return {weight: [], promote: [canaries], abort: [], pause: [canaries], undo: [patchCheck('Deployment')]};
	},
	// Flagger has no weight API: the plan says so.
	weightKey: () => ({intent: {name: 'stepWeight', delta: 1}}),
	revisions: deploymentRevisions,
	extraActions: ['restoreAnalysis'],
	compared: {newer: 'canary', older: 'stable'},
	strip: (release, width) => (release.flagger ? flaggerStrip(release.flagger, width) : []),
	summary: release => (release.flagger ? flaggerLines(release.flagger) : []),
};
