// The intended traffic split of a two-Deployment release.
import type {TrafficSplit} from './model.js';
import {replicaShare} from '../traffic/replicas.js';
import {nameOf} from './object-fields.js';
import {isReady} from './pods.js';
import {sanitize} from './sanitize.js';
import type {Scan} from './scan.js';
import type {DetectedRelease} from './detect.js';

/**
 * Canary: the router object's weights, else the share of ready replicas. Blue-green: all to the side the active
 * Service selects. Weights are keyed by version id (the Deployment name).
 */
export function pairTraffic(release: DetectedRelease, scan: Scan): TrafficSplit {
	const [first, second] = release.members.map(m => nameOf(m.deployment));
	if (release.kind === 'bluegreen') {
		return {router: 'service-selector', object: `Service/${sanitize(release.activeService)}`, weights: {[first]: 100, [second]: 0}};
	}
	if (release.router) {
		const {reading} = release.router;
		const split: TrafficSplit = {router: reading.router, object: sanitize(reading.object), weights: {[first]: reading.weights.stable, [second]: reading.weights.canary}};
		if (reading.managedBy) split.managedBy = reading.managedBy;
		return split;
	}
	const counts = release.members.map(({deployment}) => ({
		id: nameOf(deployment),
		ready: scan.own.podsOfDeployment(deployment).filter(isReady).length,
		desired: typeof deployment.spec?.replicas === 'number' ? deployment.spec.replicas : 1,
	}));
	return {router: 'replicas', weights: replicaShare(counts)};
}
