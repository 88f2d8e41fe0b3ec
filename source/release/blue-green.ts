// Blue-green pairs as releases: two Deployments, one Service selecting the active one (and maybe a
// preview Service); in progress while either rolls out. All traffic goes to the side the Service selects.
import type {KObject} from '../kube/object.js';
import {serviceNames, type DetectedRelease} from './detected.js';
import type {TrafficSplit} from './model.js';
import {nameOf} from './object-fields.js';
import {findBlueGreenPairs} from './pairs.js';
import {membersComplete} from './progress.js';
import {sanitize} from './sanitize.js';
import type {Scan} from './scan.js';

/** Every blue-green pair of the scan, claiming its Deployments. */
export function detectBlueGreen(scan: Scan, claimed: Set<KObject>): DetectedRelease[] {
	return findBlueGreenPairs(scan, claimed).map(pair => {
		const services = pair.previewService ? [pair.activeService, pair.previewService] : [pair.activeService];
		const release: DetectedRelease = {
			target: `svc/${sanitize(nameOf(pair.activeService))}`,
			name: sanitize(nameOf(pair.activeService)),
			kind: 'bluegreen',
			deployments: [nameOf(pair.active), nameOf(pair.preview)],
			services: serviceNames(services),
			inProgress: false,
			members: [
				{deployment: pair.active, role: 'active'},
				{deployment: pair.preview, role: 'preview'},
			],
			activeService: nameOf(pair.activeService),
		};
		release.inProgress = !membersComplete(release.members);
		return release;
	});
}

/** All to the side the active Service selects. */
export function blueGreenTraffic(release: DetectedRelease): TrafficSplit {
	const [first, second] = release.members.map(m => nameOf(m.deployment));
	return {router: 'service-selector', object: `Service/${sanitize(release.activeService)}`, weights: {[first]: 100, [second]: 0}};
}
