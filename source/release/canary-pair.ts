// Canary pairs as releases: two Deployments behind one Service (or split by one router object), in
// progress while the canary has traffic or pods, or either side rolls out. Their intended split comes
// from the router object, else from the share of ready replicas.
import type {KObject} from '../kube/object.js';
import {replicaShare} from '../traffic/replicas.js';
import {serviceNames, type DetectedRelease} from './detected.js';
import type {TrafficSplit} from './model.js';
import {compareText, nameOf} from './object-fields.js';
import {findCanaryPairs} from './pairs.js';
import {isReady} from './pods.js';
import {membersComplete} from './progress.js';
import {sanitize} from './sanitize.js';
import type {Scan} from './scan.js';

/** Every canary pair of the scan, claiming its Deployments. */
export function detectCanaryPairs(scan: Scan, claimed: Set<KObject>): DetectedRelease[] {
	const releases: DetectedRelease[] = [];
	for (const pair of findCanaryPairs(scan, claimed)) {
		const shared = scan.servicesOf(pair.stable).filter(s => scan.servicesOf(pair.canary).includes(s));
		const named = [...shared].sort((a, b) => nameOf(a).length - nameOf(b).length || compareText(nameOf(a), nameOf(b)))[0];
		const release: DetectedRelease = {
			target: `deploy/${sanitize(nameOf(pair.stable))}`,
			name: sanitize(named ? nameOf(named) : nameOf(pair.stable)),
			kind: 'canary',
			deployments: [nameOf(pair.stable), nameOf(pair.canary)],
			services: serviceNames([...shared, ...scan.servicesOf(pair.stable), ...scan.servicesOf(pair.canary)]),
			inProgress: false,
			members: [
				{deployment: pair.stable, role: 'stable'},
				{deployment: pair.canary, role: 'canary'},
			],
		};
		if (pair.traffic) release.router = pair.traffic;
		const canaryWeight = pairTraffic(release, scan).weights[nameOf(pair.canary)] ?? 0;
		release.inProgress = (canaryWeight > 0 && canaryWeight < 100) || scan.own.podsOfDeployment(pair.canary).length > 0 || !membersComplete(release.members);
		releases.push(release);
	}
	return releases;
}

/** The router object's weights, else the share of ready replicas; keyed by version id (the Deployment name). */
export function pairTraffic(release: DetectedRelease, scan: Scan): TrafficSplit {
	const [first, second] = release.members.map(m => nameOf(m.deployment));
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
