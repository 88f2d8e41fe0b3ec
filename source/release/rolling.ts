// Rolling Deployments as releases: every Deployment no other kind claimed, in progress until
// `kubectl rollout status` would call it complete.
import type {KObject} from '../kube/object.js';
import {serviceNames, type DetectedRelease} from './detected.js';
import {nameOf} from './object-fields.js';
import {deploymentProgress} from './progress.js';
import {sanitize} from './sanitize.js';
import type {Scan} from './scan.js';

export function detectRolling(scan: Scan, claimed: Set<KObject>): DetectedRelease[] {
	return scan.deployments
		.filter(deployment => !claimed.has(deployment))
		.map(deployment => ({
			target: `deploy/${sanitize(nameOf(deployment))}`,
			name: sanitize(nameOf(deployment)),
			kind: 'rolling',
			deployments: [nameOf(deployment)],
			services: serviceNames(scan.servicesOf(deployment)),
			inProgress: !deploymentProgress(deployment).complete,
			members: [{deployment, role: 'new'}],
		}));
}
