// A rolling Deployment: its ReplicaSets are the versions; pause and resume as `kubectl rollout
// pause|resume`, promote resumes, abort undoes to the previous revision.
import {deploymentChecks} from '../actions/access.js';
import {planPauseResume, planRollingAbort, planRollingPromote} from '../actions/rolling.js';
import {assembleRelease, rollingParts} from '../release/build.js';
import {deploymentProgress} from '../release/progress.js';
import {detectRolling} from '../release/rolling.js';
import {deploymentSpecParts, sharedPlan} from './deployments.js';
import type {KindSpec} from './spec.js';
import {rollingAttention} from '../release/attention.js';

const article = 'a rolling Deployment';

export const rollingKind: KindSpec = {
	kind: 'rolling',
	label: 'rolling Deployment',
	article,
	detect: detectRolling,
	attention: rollingAttention,
	build(snap, scan, release, target) {
		const built = assembleRelease(snap, scan, release, target, rollingParts(release, scan));
		return {...built, progress: deploymentProgress(release.members[0]!.deployment)};
	},
	noWeights: target => `${target} is a rolling Deployment: its traffic follows its ReplicaSets (space pauses, u undoes)`,
	plan(t, intent) {
		const shared = sharedPlan(t, article, intent);
		if (shared) return shared;
		const deployment = t.release.members[0]!.deployment;
		switch (intent.name) {
			case 'promote':
				return planRollingPromote(t, deployment);
			case 'abort':
				return planRollingAbort(t, deployment);
			case 'pause':
				return planPauseResume(t, deployment);
			default:
				return {message: t.noWeights};
		}
	},
	access: () => deploymentChecks(),
	weightKey: t => ({message: t.noWeights}),
	...deploymentSpecParts,
};
