// Canary releases: two or more Deployments a router object splits traffic between (Istio bookinfo's three
// `reviews`, a stable/canary pair, a canary reached only by a header), or a pair behind one Service told
// apart by a role label. In progress while a canary has traffic or pods, or any version rolls out. Their
// intended split comes from the router object, else from the share of ready replicas.
import type {KObject} from '../kube/object.js';
import {replicaShare} from '../traffic/replicas.js';
import {serviceNames, type DetectedRelease} from './detected.js';
import type {TrafficSplit} from './model.js';
import {compareText, nameOf} from './object-fields.js';
import {findCanaryGroups} from './pairs.js';
import {isReady} from './pods.js';
import {membersComplete} from './progress.js';
import {sanitize} from './sanitize.js';
import type {Scan} from './scan.js';

/** Every canary release of the scan, claiming its Deployments. */
export function detectCanaryPairs(scan: Scan, claimed: Set<KObject>): DetectedRelease[] {
	const releases: DetectedRelease[] = [];
	for (const group of findCanaryGroups(scan, claimed)) {
		const [stable, ...canaries] = group.versions;
		const shared = scan.servicesOf(stable!).filter(s => group.versions.every(d => scan.servicesOf(d).includes(s)));
		const named = [...shared].sort((a, b) => nameOf(a).length - nameOf(b).length || compareText(nameOf(a), nameOf(b)))[0];
		const release: DetectedRelease = {
			target: `deploy/${sanitize(nameOf(stable!))}`,
			name: sanitize(named ? nameOf(named) : nameOf(stable!)),
			kind: 'canary',
			deployments: group.versions.map(nameOf),
			services: serviceNames([...shared, ...group.versions.flatMap(d => scan.servicesOf(d))]),
			inProgress: false,
			members: [{deployment: stable!, role: 'stable'}, ...canaries.map(deployment => ({deployment, role: 'canary' as const}))],
		};
		if (group.traffic) release.router = group.traffic;
		const weights = pairTraffic(release, scan).weights;
		const moving = canaries.some(c => {
			const w = weights[nameOf(c)] ?? 0;
			return (w > 0 && w < 100) || scan.own.podsOfDeployment(c).length > 0;
		});
		release.inProgress = moving || !membersComplete(release.members);
		releases.push(release);
	}
	return releases;
}

/** The router object's weights and match routes, else the share of ready replicas; keyed by version id (the Deployment name). */
export function pairTraffic(release: DetectedRelease, scan: Scan): TrafficSplit {
	const ids = release.members.map(m => nameOf(m.deployment));
	if (release.router) {
		const {reading} = release.router;
		const weights = Object.fromEntries(ids.map(id => [id, reading.weights[id] ?? 0]));
		const split: TrafficSplit = {router: reading.router, object: sanitize(reading.object), weights};
		if (reading.routes) split.routes = reading.routes.map(r => ({version: r.version, match: sanitize(r.match)}));
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
