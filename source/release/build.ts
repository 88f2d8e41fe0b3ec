// The Release model of a release made of Deployments (rolling, canary pair, blue-green): its versions,
// pods, revisions, events and traffic, from the objects of its namespace. The kinds supply the parts
// that differ (versions and traffic); the rest is assembled here.
import type {KObject} from '../kube/object.js';
import {replicaShare} from '../traffic/replicas.js';
import type {DetectedRelease} from './detected.js';
import type {PodInfo, Release, TrafficSplit, Version} from './model.js';
import {nameOf, revisionOf} from './object-fields.js';
import {podInfo} from './pods.js';
import {revisionsOf} from './revisions.js';
import {releaseEvents} from './events.js';
import {sanitize} from './sanitize.js';
import type {Scan} from './scan.js';
import type {ClusterSnapshot} from './snapshot.js';
import {deploymentVersion, replicaSetVersion} from './versions.js';
import {serviceOfHost} from '../traffic/istio.js';
import {mainIngress} from '../traffic/nginx.js';

/** What differs between kinds of Deployment release: the versions, which pod belongs to which, the traffic. */
export type Parts = {versions: Version[]; pods: Array<{pod: KObject; version: string}>; traffic?: TrafficSplit};

/** A rolling Deployment: its ReplicaSets that have pods (and the current one) as versions, by ready replicas. */
export function rollingParts(release: DetectedRelease, scan: Scan): Parts {
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

/** Two Deployments (canary pair, blue-green) as versions, with the traffic the kind reads for them. */
export function pairParts(release: DetectedRelease, scan: Scan, traffic: TrafficSplit): Parts {
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

/** The Release of a detected release from the parts its kind made. */
export function assembleRelease(snap: ClusterSnapshot, scan: Scan, release: DetectedRelease, target: string, parts: Parts): Release {
	const base = {target, namespace: sanitize(snap.namespace)};
	const order = new Map(parts.versions.map((v, i) => [v.id, i]));
	const rsRevision = new Map<string, number>();
	for (const rs of snap.replicaSets) {
		const revision = Number(rs.metadata.annotations?.['deployment.kubernetes.io/revision']);
		if (rs.metadata.uid && Number.isInteger(revision)) rsRevision.set(rs.metadata.uid, revision);
	}
	// By version, then by name: each pod's version order looked up once, not at every comparison.
	const ranked = parts.pods.map(({pod, version}) => {
		const info = podInfo(pod, version, snap.now);
		const owner = pod.metadata.ownerReferences?.find(o => o.kind === 'ReplicaSet');
		const revision = owner && rsRevision.get(owner.uid);
		return {info: revision === undefined ? info : {...info, revision}, rank: order.get(info.version) ?? 0};
	});
	ranked.sort((a, b) => a.rank - b.rank || (a.info.name < b.info.name ? -1 : a.info.name > b.info.name ? 1 : 0));
	const pods: PodInfo[] = ranked.map(r => r.info);
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
	return result;
}
