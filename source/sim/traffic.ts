// Simulated traffic: how many requests per second each pod of a namespace serves. Requests enter
// through "fronts": a router object (VirtualService, HTTPRoute, TrafficSplit, main + canary Ingress,
// TraefikService) that splits them by weight between Services (or subsets), or a plain Service that
// spreads them over its ready pods. Pure: objects in, loads out.
import type {KObject} from '../kube/object.js';
import {mapMatches} from '../release/labels.js';
import {isReady} from '../release/pods.js';
import {handles as isGatewayRoute} from '../traffic/gateway-api.js';
import {handles as isVirtualService, serviceOfHost} from '../traffic/istio.js';
import {CANARY, CANARY_WEIGHT, CANARY_WEIGHT_TOTAL, ingressServices} from '../traffic/nginx.js';
import {weightValue} from '../traffic/router.js';
import {handles as isTrafficSplit} from '../traffic/smi.js';
import {handles as isTraefikService} from '../traffic/traefik.js';

/** Annotation on a router object or Service: requests per second it receives (default: 10 per pod behind it). */
export const demandAnnotation = 'sim.rollscope.dev/requests-per-second';
/** Requests per second a front receives per pod behind it, unless annotated. */
export const requestsPerPod = 10;
/** What a preview Service (name containing "preview") receives: a trickle of smoke tests. */
export const previewDemand = 1;

export type Destination = {service: string; /** DestinationRule subset labels, when the route names a subset. */ subset?: Record<string, string>; weight: number};

export type Front = {
	/** Kind/name of the object requests enter through. */
	name: string;
	destinations: Destination[];
	/** Requests per second, when the object says. */
	demand?: number;
	/** Services the object stands for (hosts, root services) besides its destinations. */
	covers: string[];
};

export type NamespaceObjects = {namespace: string; services: KObject[]; pods: KObject[]; routers: KObject[]};

export type PodShare = {service: string; rps: number};
export type PodLoad = {pod: KObject; shares: PodShare[]};

const nameOf = (o: KObject) => o.metadata.name ?? '';

function annotatedDemand(o: KObject): number | undefined {
	const raw = o.metadata.annotations?.[demandAnnotation];
	const value = raw === undefined ? NaN : Number(raw);
	return Number.isFinite(value) && value >= 0 ? value : undefined;
}

/** The route taking requests without a match (the default one), else the first. */
function defaultEntry<T extends {match?: unknown; matches?: unknown}>(entries: T[]): T | undefined {
	const unmatched = entries.find(e => e && !(Array.isArray(e.match) && e.match.length > 0) && !(Array.isArray(e.matches) && e.matches.some(m => m?.headers || m?.queryParams)));
	return unmatched ?? entries[0];
}

function subsetLabels(host: unknown, subset: string, ns: NamespaceObjects): Record<string, string> | undefined {
	const service = serviceOfHost(host, ns.namespace);
	for (const rule of ns.routers) {
		if (rule.kind !== 'DestinationRule' || serviceOfHost(rule.spec?.host, ns.namespace) !== service) continue;
		const found = (rule.spec?.subsets ?? []).find((s: {name?: string}) => s?.name === subset);
		if (found) return found.labels ?? {};
	}
	return undefined;
}

function virtualServiceFront(vs: KObject, ns: NamespaceObjects): Front | undefined {
	const route: Array<{destination?: {host?: string; subset?: string}; weight?: number}> = defaultEntry<{match?: unknown; route?: any[]}>(vs.spec?.http ?? [])?.route ?? [];
	const destinations: Destination[] = [];
	for (const r of route) {
		const service = serviceOfHost(r?.destination?.host, ns.namespace);
		if (!service) continue;
		const weight = route.length === 1 ? 100 : (weightValue(r.weight) ?? 0);
		const subsetName = r.destination?.subset;
		if (subsetName) {
			const subset = subsetLabels(r.destination?.host, subsetName, ns);
			// A subset no DestinationRule defines gets no endpoints (Istio answers 503 NR).
			destinations.push({service, subset: subset ?? {'sim.rollscope.dev/undefined-subset': subsetName}, weight});
		} else {
			destinations.push({service, weight});
		}
	}
	const hosts: unknown[] = vs.spec?.hosts ?? [];
	const covers = hosts.map(h => serviceOfHost(h, ns.namespace)).filter((s): s is string => s !== undefined);
	return destinations.length > 0 ? {name: `VirtualService/${nameOf(vs)}`, destinations, demand: annotatedDemand(vs), covers} : undefined;
}

function serviceRefs(refs: Array<{group?: string; kind?: string; name?: string; namespace?: string; weight?: unknown}>, ns: NamespaceObjects): Destination[] {
	return refs
		.filter(ref => ref && (ref.kind ?? 'Service') === 'Service' && (ref.group ?? '') === '' && (ref.namespace ?? ns.namespace) === ns.namespace && typeof ref.name === 'string')
		.map(ref => ({service: ref.name!, weight: weightValue(ref.weight) ?? 1}));
}

function httpRouteFront(route: KObject, ns: NamespaceObjects): Front | undefined {
	const rule = defaultEntry<{matches?: unknown; backendRefs?: any[]}>(route.spec?.rules ?? []);
	const destinations = serviceRefs(rule?.backendRefs ?? [], ns);
	return destinations.length > 0 ? {name: `HTTPRoute/${nameOf(route)}`, destinations, demand: annotatedDemand(route), covers: []} : undefined;
}

function trafficSplitFront(split: KObject): Front | undefined {
	const destinations = (split.spec?.backends ?? [])
		.filter((b: {service?: unknown}) => typeof b?.service === 'string')
		.map((b: {service: string; weight?: unknown}) => ({service: b.service, weight: weightValue(b.weight) ?? 0}));
	const root = typeof split.spec?.service === 'string' ? [split.spec.service] : [];
	return destinations.length > 0 ? {name: `TrafficSplit/${nameOf(split)}`, destinations, demand: annotatedDemand(split), covers: root} : undefined;
}

function traefikFront(service: KObject, ns: NamespaceObjects): Front | undefined {
	const destinations = serviceRefs(service.spec?.weighted?.services ?? [], ns);
	return destinations.length > 0 ? {name: `TraefikService/${nameOf(service)}`, destinations, demand: annotatedDemand(service), covers: []} : undefined;
}

const isIngress = (o: KObject) => o.kind === 'Ingress';
const isCanaryIngress = (o: KObject) => isIngress(o) && o.metadata.annotations?.[CANARY] === 'true';
const hostsOf = (o: KObject): string[] => (o.spec?.rules ?? []).map((r: {host?: string}) => r?.host ?? '');

function integer(value: string | undefined, fallback: number): number {
	const n = Number.parseInt(value ?? '', 10);
	return Number.isFinite(n) ? n : fallback;
}

/** A main Ingress and the first canary Ingress for one of its hosts: canary-weight of canary-weight-total goes to the canary. */
function ingressFront(main: KObject, ns: NamespaceObjects): Front | undefined {
	const mainServices = ingressServices(main);
	if (mainServices.length === 0) return undefined;
	const hosts = new Set(hostsOf(main));
	const canary = ns.routers
		.filter(o => isCanaryIngress(o) && hostsOf(o).some(h => hosts.has(h)))
		.sort((a, b) => (nameOf(a) < nameOf(b) ? -1 : 1))[0];
	let canaryShare = 0;
	let canaryServices: string[] = [];
	if (canary) {
		const annotations = canary.metadata.annotations ?? {};
		const total = Math.max(1, integer(annotations[CANARY_WEIGHT_TOTAL], 100));
		canaryShare = Math.min(Math.max(integer(annotations[CANARY_WEIGHT], 0), 0), total) / total;
		canaryServices = ingressServices(canary);
	}
	const destinations: Destination[] = [
		...mainServices.map(service => ({service, weight: (1 - canaryShare) / mainServices.length})),
		...canaryServices.map(service => ({service, weight: canaryShare / canaryServices.length})),
	];
	return {name: `Ingress/${nameOf(main)}`, destinations, demand: annotatedDemand(main), covers: []};
}

/** Router objects that take requests in, one front each. */
export function routerFronts(ns: NamespaceObjects): Front[] {
	const fronts: Array<Front | undefined> = [];
	for (const o of ns.routers) {
		if (isVirtualService(o)) fronts.push(virtualServiceFront(o, ns));
		else if (isGatewayRoute(o)) fronts.push(httpRouteFront(o, ns));
		else if (isTrafficSplit(o)) fronts.push(trafficSplitFront(o));
		else if (isTraefikService(o)) fronts.push(traefikFront(o, ns));
		else if (isIngress(o) && !isCanaryIngress(o)) fronts.push(ingressFront(o, ns));
	}
	return fronts.filter((f): f is Front => f !== undefined);
}

const isServing = (pod: KObject) => !pod.metadata.deletionTimestamp && isReady(pod);
const isAlive = (pod: KObject) => !pod.metadata.deletionTimestamp && pod.status?.phase !== 'Succeeded' && pod.status?.phase !== 'Failed';

function selects(service: KObject | undefined, pod: KObject, subset?: Record<string, string>): boolean {
	if (!service) return false;
	const labels = pod.metadata.labels ?? {};
	return mapMatches(service.spec?.selector, labels) && (!subset || mapMatches(subset, labels));
}

/** Requests per second each pod of the namespace serves, and through which Service. Pods with no traffic have no shares. */
export function routeTraffic(ns: NamespaceObjects): PodLoad[] {
	const services = new Map(ns.services.map(s => [nameOf(s), s]));
	const loads = new Map<KObject, PodShare[]>(ns.pods.map(p => [p, []]));
	const fronts = routerFronts(ns);
	const routed = new Set<KObject>();
	const covered = new Set<string>();
	for (const front of fronts) {
		for (const d of front.destinations) covered.add(d.service);
		for (const s of front.covers) covered.add(s);
	}
	const podsOf = (d: Destination, test: (pod: KObject) => boolean) => ns.pods.filter(p => test(p) && selects(services.get(d.service), p, d.subset));

	const spread = (front: Front, fallbackDemand: (alive: number) => number) => {
		const alive = new Set(front.destinations.flatMap(d => podsOf(d, isAlive)));
		const demand = front.demand ?? fallbackDemand(alive.size);
		const total = front.destinations.reduce((sum, d) => sum + Math.max(0, d.weight), 0);
		if (!(total > 0) || !(demand > 0)) return;
		for (const d of front.destinations) {
			const serving = podsOf(d, isServing);
			if (serving.length === 0 || d.weight <= 0) continue;
			const each = (demand * d.weight) / total / serving.length;
			for (const pod of serving) {
				routed.add(pod);
				const shares = loads.get(pod)!;
				const same = shares.find(s => s.service === d.service);
				if (same) same.rps += each;
				else shares.push({service: d.service, rps: each});
			}
		}
	};

	for (const front of fronts) spread(front, alive => requestsPerPod * Math.max(1, alive));
	// Services no router stands for take requests of their own, unless every pod they select is routed already.
	for (const service of [...services.values()].sort((a, b) => (nameOf(a) < nameOf(b) ? -1 : 1))) {
		const name = nameOf(service);
		if (covered.has(name)) continue;
		const selected = ns.pods.filter(p => isServing(p) && selects(service, p));
		if (selected.length > 0 && selected.every(p => routed.has(p))) continue;
		const preview = name.toLowerCase().includes('preview');
		const front: Front = {name: `Service/${name}`, destinations: [{service: name, weight: 1}], demand: annotatedDemand(service), covers: []};
		spread(front, alive => (preview ? previewDemand : requestsPerPod * Math.max(1, alive)));
	}
	return ns.pods.map(pod => ({pod, shares: loads.get(pod)!}));
}
