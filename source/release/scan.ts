// One pass over a snapshot: who owns what, which Service selects which Deployment, the router objects.
import type {KObject} from '../kube/object.js';
import type {RouterContext} from '../traffic/router.js';
import {serviceSelects} from './labels.js';
import {byName, nameOf} from './object-fields.js';
import {ownership, type Ownership} from './ownership.js';
import type {ClusterSnapshot} from './snapshot.js';

export type Scan = {
	snap: ClusterSnapshot;
	own: Ownership;
	/** Router objects of the namespace, for the traffic modules. */
	ctx: RouterContext;
	/** Sorted by name. */
	deployments: KObject[];
	/** Sorted by name. */
	services: KObject[];
	deployment(name: string): KObject | undefined;
	service(name: string): KObject | undefined;
	/** Services whose selector picks the Deployment's pods, by name. */
	servicesOf(deployment: KObject): KObject[];
	/** Deployments a Service selects, by name. */
	selectedBy(service: KObject): KObject[];
};

const scans = new WeakMap<ClusterSnapshot, Scan>();

/**
 * The scan of a snapshot, made once per snapshot: a rebuild asks for the releases, resolves the
 * target and builds the release from the same snapshot, and each of those needs the scan. Its parts are
 * kept by the lists they come from: a snapshot that shares a list with the one before (the live watch's
 * do, for every kind of object that did not change) shares what was worked out of it.
 */
export function scanSnapshot(snap: ClusterSnapshot): Scan {
	let scan = scans.get(snap);
	if (!scan) scans.set(snap, (scan = makeScan(snap)));
	return scan;
}

/** A value worked out of two lists, kept while both are the same lists. */
function keptBy<T>(cache: WeakMap<object, WeakMap<object, T>>, a: object, b: object, make: () => T): T {
	let inner = cache.get(a);
	if (!inner) cache.set(a, (inner = new WeakMap()));
	let value = inner.get(b);
	if (value === undefined) inner.set(b, (value = make()));
	return value;
}

type Fronts = Pick<Scan, 'deployments' | 'services'> & {servicesOf: Map<KObject, KObject[]>; selectedBy: Map<KObject, KObject[]>};

const frontsKept = new WeakMap<object, WeakMap<object, Fronts>>();
const ownershipKept = new WeakMap<object, WeakMap<object, Ownership>>();

/** Deployments and Services by name, and which Service selects which Deployment. */
function fronts(allDeployments: KObject[], allServices: KObject[]): Fronts {
	const deployments = [...allDeployments].sort(byName);
	const services = [...allServices].sort(byName);
	const servicesOf = new Map<KObject, KObject[]>(deployments.map(d => [d, []]));
	const selectedBy = new Map<KObject, KObject[]>(services.map(s => [s, []]));
	for (const service of services) {
		for (const deployment of deployments) {
			if (!serviceSelects(service, deployment)) continue;
			servicesOf.get(deployment)?.push(service);
			selectedBy.get(service)?.push(deployment);
		}
	}
	return {deployments, services, servicesOf, selectedBy};
}

function makeScan(snap: ClusterSnapshot): Scan {
	const {deployments, services, servicesOf, selectedBy} = keptBy(frontsKept, snap.deployments, snap.services, () => fronts(snap.deployments, snap.services));
	return {
		snap,
		own: keptBy(ownershipKept, snap.replicaSets, snap.pods, () => ownership(snap.replicaSets, snap.pods)),
		ctx: {namespace: snap.namespace, objects: snap.routers},
		deployments,
		services,
		deployment: name => deployments.find(d => nameOf(d) === name),
		service: name => services.find(s => nameOf(s) === name),
		servicesOf: deployment => servicesOf.get(deployment) ?? [],
		selectedBy: service => selectedBy.get(service) ?? [],
	};
}
