// Which releases a namespace holds, and which one a target such as `deploy/checkout` means.
import type {KObject} from '../kube/object.js';
import type {FoundTraffic} from '../traffic/routers.js';
import type {Role} from './model.js';
import {compareText, nameOf} from './object-fields.js';
import {findBlueGreenPairs, findCanaryPairs} from './pairs.js';
import {deploymentProgress} from './progress.js';
import {sanitize} from './sanitize.js';
import {scanSnapshot, type Scan} from './scan.js';
import type {ClusterSnapshot, ReleaseRef} from './snapshot.js';
import {pairTraffic} from './traffic-split.js';
import {CANARY_PREFIXES, detectProgressive, ROLLOUT_PREFIXES} from './progressive.js';

export type Member = {deployment: KObject; role: Role};

/** A release as detection finds it: the ref plus the objects behind it. */
export type DetectedRelease = ReleaseRef & {
	/** In panel order: stable, canary / active, preview / the one rolling Deployment. */
	members: Member[];
	/** The router object of a canary pair, when one splits its traffic. */
	router?: FoundTraffic;
	/** The Service whose selector picks the active side of a blue-green pair. */
	activeService?: string;
};

function serviceNames(services: KObject[]): string[] {
	return [...new Set(services.map(nameOf))];
}

/** Every release of the namespace, those in progress first, then by name. */
const detected = new WeakMap<Scan, DetectedRelease[]>();

/** Every release in a scan, worked out once per scan (see scanSnapshot). Callers must not change it. */
export function detectReleases(scan: Scan): DetectedRelease[] {
	let releases = detected.get(scan);
	if (!releases) detected.set(scan, (releases = detectAll(scan)));
	return releases;
}

function detectAll(scan: Scan): DetectedRelease[] {
	const claimed = new Set<KObject>();
	// Argo Rollouts and Flagger Canaries first: a Canary's primary and target are not a pair of their own.
	const releases: DetectedRelease[] = detectProgressive(scan, claimed);
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
		release.inProgress =
			(canaryWeight > 0 && canaryWeight < 100) || scan.own.podsOfDeployment(pair.canary).length > 0 || !allComplete(release);
		releases.push(release);
	}
	for (const pair of findBlueGreenPairs(scan, claimed)) {
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
		release.inProgress = !allComplete(release);
		releases.push(release);
	}
	for (const deployment of scan.deployments) {
		if (claimed.has(deployment)) continue;
		releases.push({
			target: `deploy/${sanitize(nameOf(deployment))}`,
			name: sanitize(nameOf(deployment)),
			kind: 'rolling',
			deployments: [nameOf(deployment)],
			services: serviceNames(scan.servicesOf(deployment)),
			inProgress: !deploymentProgress(deployment).complete,
			members: [{deployment, role: 'new'}],
		});
	}
	return releases.sort((a, b) => Number(b.inProgress) - Number(a.inProgress) || compareText(a.name, b.name) || compareText(a.target, b.target));
}

function allComplete(release: DetectedRelease): boolean {
	return release.members.every(m => deploymentProgress(m.deployment).complete);
}

function toRef(release: DetectedRelease, target = release.target): ReleaseRef {
	return {
		target,
		name: release.name,
		kind: release.kind,
		deployments: release.deployments.map(sanitize),
		services: release.services.map(sanitize),
		inProgress: release.inProgress,
	};
}

/** Every release in the namespace, those in progress first, then by name. */
export function findReleases(snap: ClusterSnapshot): ReleaseRef[] {
	return detectReleases(scanSnapshot(snap)).map(release => toRef(release));
}

const DEPLOYMENT_PREFIXES = new Set(['deploy', 'deployment', 'deployments', 'deployment.apps', 'deployments.apps']);
const SERVICE_PREFIXES = new Set(['svc', 'service', 'services']);

export type Resolution = {ref: ReleaseRef} | {error: string; candidates: string[]};

/**
 * The release a target names: `deploy/NAME` (or deployment/, deployments/, deployment.apps/), `svc/NAME`
 * (or service/), or a bare NAME (a Deployment, else a Service, else a release name).
 */
export function resolveTarget(snap: ClusterSnapshot, target: string): Resolution {
	const scan = scanSnapshot(snap);
	const releases = detectReleases(scan);
	const candidates = releases.map(r => r.target);
	const namespace = sanitize(snap.namespace);
	const trimmed = target.trim();
	const slash = trimmed.indexOf('/');
	const prefix = slash < 0 ? undefined : trimmed.slice(0, slash).toLowerCase();
	const name = slash < 0 ? trimmed : trimmed.slice(slash + 1);
	const shown = JSON.stringify(sanitize(name));
	if (name === '' || name.includes('/')) return {error: `not a target: ${JSON.stringify(sanitize(target))} (use deploy/NAME or svc/NAME)`, candidates};

	const byDeployment = () => {
		const release = releases.find(r => r.deployments.includes(name));
		return release && {ref: toRef(release, `deploy/${sanitize(name)}`)};
	};
	const byService = (): Resolution | undefined => {
		if (!scan.service(name)) return undefined;
		const fronted = releases.filter(r => r.services.includes(name));
		if (fronted.length === 1) return {ref: toRef(fronted[0], `svc/${sanitize(name)}`)};
		if (fronted.length === 0) return {error: `Service ${shown} in namespace "${namespace}" selects no Deployment`, candidates};
		return {error: `Service ${shown} is in front of several releases; pick one`, candidates: fronted.map(r => r.target)};
	};

	const byController = (kind: 'argo-rollout' | 'flagger') => {
		const release = releases.find(r => r.kind === kind && r.name === name);
		return release && {ref: toRef(release)};
	};

	if (prefix === undefined) {
		const found = byController('argo-rollout') ?? byController('flagger') ?? byDeployment() ?? byService();
		if (found) return found;
		const release = releases.find(r => r.name === name);
		if (release) return {ref: toRef(release)};
		return {error: `no Deployment or Service named ${shown} in namespace "${namespace}"`, candidates};
	}
	if (DEPLOYMENT_PREFIXES.has(prefix)) return byDeployment() ?? {error: `no Deployment named ${shown} in namespace "${namespace}"`, candidates};
	if (SERVICE_PREFIXES.has(prefix)) return byService() ?? {error: `no Service named ${shown} in namespace "${namespace}"`, candidates};
	if (ROLLOUT_PREFIXES.has(prefix)) return byController('argo-rollout') ?? {error: `no Argo Rollout named ${shown} in namespace "${namespace}"`, candidates};
	if (CANARY_PREFIXES.has(prefix)) return byController('flagger') ?? {error: `no Flagger Canary named ${shown} in namespace "${namespace}"`, candidates};
	return {error: `unsupported target kind ${JSON.stringify(sanitize(prefix))}: use deploy/NAME, svc/NAME, rollout/NAME or canary/NAME`, candidates};
}
