// A blue-green pair: one Service selects the active colour; promote switches it to the other colour,
// abort switches it back. Traffic moves all at once, so the weight keys do nothing.
import {patchCheck} from '../actions/access.js';
import {planBlueGreenAbort, planBlueGreenPromote} from '../actions/bluegreen.js';
import {blueGreenTraffic, detectBlueGreen} from '../release/blue-green.js';
import {assembleRelease, pairParts} from '../release/build.js';
import {deploymentSpecParts, sharedPlan} from './deployments.js';
import type {KindSpec} from './spec.js';
import {blueGreenAttention} from '../release/attention.js';

const article = 'a blue-green pair';

export const blueGreenKind: KindSpec = {
	kind: 'bluegreen',
	label: 'blue-green',
	article,
	detect: detectBlueGreen,
	attention: blueGreenAttention,
	build: (snap, scan, release, target) => assembleRelease(snap, scan, release, target, pairParts(release, scan, blueGreenTraffic(release))),
	noWeights: target => `${target} is blue-green: traffic moves all at once (p switches, a switches back)`,
	plan(t, intent) {
		const shared = sharedPlan(t, article, intent);
		if (shared) return shared;
		switch (intent.name) {
			case 'promote':
				return planBlueGreenPromote(t);
			case 'abort':
				return planBlueGreenAbort(t);
			case 'pause':
				return {message: `space pauses or resumes a rolling Deployment; ${t.release.target} is ${article}`};
			default:
				return {message: t.noWeights};
		}
	},
	access() {
		const services = patchCheck('Service');
		return {weight: [], promote: [services], abort: [services], pause: [], undo: [patchCheck('Deployment')]};
	},
	weightKey: t => ({message: t.noWeights}),
	compared: {newer: 'preview', older: 'active'},
	...deploymentSpecParts,
};
