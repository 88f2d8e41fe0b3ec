// The Release model of one release, from the objects of its namespace.
import type {KObject} from '../kube/object.js';
import {replicaShare} from '../traffic/replicas.js';
import {detectReleases, type DetectedRelease} from './detect.js';
import type {PodInfo, Release, TrafficSplit, Version} from './model.js';
import {nameOf, revisionOf} from './object-fields.js';
import {podInfo} from './pods.js';
import {deploymentProgress} from './progress.js';
import {revisionsOf} from './revisions.js';
import {releaseEvents} from './events.js';
import {sanitize} from './sanitize.js';
import {scanSnapshot, type Scan} from './scan.js';
import type {ClusterSnapshot, ReleaseRef} from './snapshot.js';
import {pairTraffic} from './traffic-split.js';
import {deploymentVersion, replicaSetVersion} from './versions.js';
import {serviceOfHost} from '../traffic/istio.js';
import {mainIngress} from '../traffic/nginx.js';
import {buildProgressive, isProgressiveKind} from './progressive.js';

/** The detected release the ref stands for: same kind and first Deployment, else any that holds one of its Deployments. */
function match(releases: DetectedRelease[], ref: ReleaseRef): DetectedRelease | undefined {
	return (
		releases.find(r => r.kind === ref.kind && r.deployments[0] === ref.deployments[0]) ??
		ref.deployments.map(name => releases.find(r => r.deployments.includes(name))).find(r => r !== undefined)
	);
}

type Parts = {versions: Version[]; pods: Array<{pod: KObject; version: string}>; traffic?: TrafficSplit};

function rollingParts(release: DetectedRelease, scan: Scan): Parts {
	const deployment = release.members[0].deployment;
	const current = scan.own.currentReplicaSet(deployment);
	const replicaSets = scan.own
		.replicaSetsOf(deployment)
		.filter(rs => rs === current || scan.own.podsOf(rs).length > 0 || (rs.spec?.replicas ?? 0) > 0)
		.sort((a, b) => (revisionOf(a) ?? 0) - (revisionOf(b) ?? 0));
	const versions = replicaSets.map(rs => replicaSetVersionOf(rs, rs === current, scan));
	const weights = replicaShare(versions.map(v => ({id: v.id, ready: v.ready, desired: v.desired})));
	for (const version of versions) version.weight = weights[version.id];
	return {
		versions,
		pods: replicaSets.flatMap(rs => scan.own.podsOf(rs).map(pod => ({pod, version: nameOf(rs)}))),
		traffic: {router: 'deployment', object: `Deployment/${sanitize(nameOf(deployment))}`, weights},
	};
}

function replicaSetVersionOf(rs: KObject, current: boolean, scan: Scan): Version {
	return replicaSetVersion(rs, current ? 'new' : 'old', scan.own.podsOf(rs));
}

function pairParts(release: DetectedRelease, scan: Scan): Parts {
	const traffic = pairTraffic(release, scan);
	const versions = release.members.map(({deployment, role}) => {
		const version = deploymentVersion(deployment, role, scan.own.currentReplicaSet(deployment), scan.own.podsOfDeployment(deployment));
		const weight = traffic.weights[version.id];
		if (weight !== undefined) version.weight = weight;
		return version;
	});
	const pods = release.members.flatMap(({deployment}) => scan.own.podsOfDeployment(deployment).map(pod => ({pod, version: nameOf(deployment)})));
	return {versions, pods, traffic};
}

/** Kind/name of every object whose events belong to the release. */
function involvedObjects(release: DetectedRelease, scan: Scan, pods: KObject[]): Set<string> {
	const keys = new Set<string>();
	const add = (obj: KObject) => keys.add(`${obj.kind ?? ''}/${nameOf(obj)}`);
	for (const {deployment} of release.members) {
		keys.add(`Deployment/${nameOf(deployment)}`);
		for (const rs of scan.own.replicaSetsOf(deployment)) keys.add(`ReplicaSet/${nameOf(rs)}`);
	}
	for (const pod of pods) keys.add(`Pod/${nameOf(pod)}`);
	for (const service of release.services) keys.add(`Service/${service}`);
	const router = release.router?.object;
	if (router) {
		add(router);
		for (const obj of scan.ctx.objects) {
			if (obj.kind === 'DestinationRule' && release.services.includes(serviceOfHost(obj.spec?.host, scan.ctx.namespace) ?? '')) add(obj);
		}
		const main = router.kind === 'Ingress' ? mainIngress(router, scan.ctx) : undefined;
		if (main) add(main);
	}
	return keys;
}

export function buildRelease(snap: ClusterSnapshot, ref: ReleaseRef): Release {
	const scan = scanSnapshot(snap);
	if (isProgressiveKind(ref.kind)) {
		const built = buildProgressive(snap, scan, ref);
		if (built) return built;
	}
	// A Rollout or Canary that is gone is not stood in for by another release.
	const release = isProgressiveKind(ref.kind) ? undefined : match(detectReleases(scan), ref);
	const base = {target: ref.target, namespace: sanitize(snap.namespace)};
	if (!release) {
		return {...base, name: ref.name, kind: ref.kind, versions: [], pods: [], revisions: [], events: [], services: ref.services};
	}
	const parts = release.kind === 'rolling' ? rollingParts(release, scan) : pairParts(release, scan);
	const order = new Map(parts.versions.map((v, i) => [v.id, i]));
	const rsRevision = new Map<string, number>();
	for (const rs of snap.replicaSets) {
		const revision = Number(rs.metadata.annotations?.['deployment.kubernetes.io/revision']);
		if (rs.metadata.uid && Number.isInteger(revision)) rsRevision.set(rs.metadata.uid, revision);
	}
	const pods: PodInfo[] = parts.pods
		.map(({pod, version}) => {
			const info = podInfo(pod, version, snap.now);
			const owner = pod.metadata.ownerReferences?.find(o => o.kind === 'ReplicaSet');
			const revision = owner && rsRevision.get(owner.uid);
			return revision === undefined ? info : {...info, revision};
		})
		.sort((a, b) => (order.get(a.version) ?? 0) - (order.get(b.version) ?? 0) || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
	const deployments = release.members.map(m => m.deployment);
	const result: Release = {
		...base,
		name: release.name,
		kind: release.kind,
		versions: parts.versions,
		pods,
		revisions: revisionsOf(deployments, scan.own, snap.now),
		events: releaseEvents(snap.events, involvedObjects(release, scan, parts.pods.map(p => p.pod)), snap.namespace),
		services: release.services.map(sanitize),
	};
	if (parts.traffic) result.traffic = parts.traffic;
	if (release.kind === 'rolling') result.progress = deploymentProgress(release.members[0].deployment);
	return result;
}
