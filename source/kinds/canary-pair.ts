// A canary pair: two Deployments behind one Service; traffic moves through the router object that splits
// it (or by replica ratio), promote goes in stages, abort takes the canary's weight to 0 and scales it down.
import {patchCheck} from '../actions/access.js';
import {planCanaryAbort, planCanaryPromote} from '../actions/canary.js';
import {canaryPair} from '../actions/target.js';
import {canaryWeightKey, planSetWeight, weightMover} from '../actions/weights.js';
import {assembleRelease, pairParts} from '../release/build.js';
import {detectCanaryPairs, pairTraffic} from '../release/canary-pair.js';
import {nameOf} from '../release/object-fields.js';
import {sidesOf} from '../release/roles.js';
import {deploymentSpecParts, sharedPlan} from './deployments.js';
import type {KindSpec} from './spec.js';
import {canaryAttention} from '../release/attention.js';

const article = 'a canary pair';

export const canaryPairKind: KindSpec = {
	kind: 'canary',
	label: 'canary pair',
	article,
	detect: detectCanaryPairs,
	attention: canaryAttention,
	build: (snap, scan, release, target) => assembleRelease(snap, scan, release, target, pairParts(release, scan, pairTraffic(release, scan))),
	pair(t, focus) {
		const stable = t.release.members.find(m => m.role === 'stable')?.deployment;
		const canaries = t.release.members.filter(m => m.role === 'canary').map(m => m.deployment);
		const canary = canaries.find(d => nameOf(d) === focus) ?? canaries[0];
		const members = t.release.members.map(m => m.deployment);
		return stable && canary ? {stable, canary, members, versions: sidesOf(members, t.scan)} : undefined;
	},
	noWeights: target => `${target} is not a canary pair`,
	plan(t, intent, options) {
		const shared = sharedPlan(t, article, intent);
		if (shared) return shared;
		switch (intent.name) {
			case 'setWeight':
				return planSetWeight(t, intent.percent, options.router);
			case 'promote':
				return planCanaryPromote(t, options.now, options.router);
			case 'abort':
				return planCanaryAbort(t, {scaleCanary: options.config.abortScalesCanary, routerOverride: options.router});
			case 'pause':
				return {message: `space pauses or resumes a rolling Deployment; ${t.release.target} is ${article}`};
			default:
				return {message: t.noWeights};
		}
	},
	access(t, routerOverride) {
		const deployments = patchCheck('Deployment');
		const scale = patchCheck('Deployment', undefined, 'scale');
		const pair = canaryPair(t);
		const mover = pair ? weightMover(t, pair, routerOverride) : undefined;
		const weight = mover && !('message' in mover) && mover.kind === 'router' ? [patchCheck(mover.object.kind ?? '', mover.object.apiVersion)] : [scale];
		return {weight, promote: [deployments, ...weight, scale], abort: [deployments, ...weight, scale], pause: [], undo: [deployments]};
	},
	weightKey: (t, key, options) => canaryWeightKey(t, key, options.config, options.router),
	compared: {newer: 'canary', older: 'stable'},
	...deploymentSpecParts,
};
