// All router modules, and the reading of a canary pair's weights from whichever object holds them. A new
// router is a module of its own plus one line in `routers`: the --router choices, the header's labels and
// the release watch's sources come from here.
import type {KObject} from '../kube/object.js';
import {gatewayApiRouter} from './gateway-api.js';
import {istioRouter} from './istio.js';
import {nginxRouter} from './nginx.js';
import type {Router, RouterContext, RouterKind, Side, WatchedResource, WeightReading} from './router.js';
import {smiRouter} from './smi.js';
import {traefikRouter} from './traefik.js';

/** In order of preference when several objects split the same pair. */
export const routers: Router[] = [istioRouter, gatewayApiRouter, smiRouter, traefikRouter, nginxRouter];

/**
 * How the header names what moves the traffic when no router module reads it: levers without a router object,
 * and the routers Argo Rollouts drives whose objects rollscope names but does not read.
 */
const levers: Partial<Record<RouterKind, string>> = {
	replicas: 'replica ratio',
	'service-selector': 'Service selector',
	deployment: 'Deployment controller',
	alb: 'AWS ALB Ingress',
	ambassador: 'Ambassador Mapping',
	apisix: 'APISIX Route',
	'app-mesh': 'App Mesh VirtualRouter',
	plugin: 'traffic router plugin',
};

/** What --router accepts: every router, and `replicas` (the replica ratio of the two Deployments). */
export const routerChoices: readonly RouterKind[] = [...routers.map(r => r.kind), 'replicas'];

/** How the header names what moves the traffic. */
export function routerLabel(kind: RouterKind, list: readonly Router[] = routers): string {
	return list.find(r => r.kind === kind)?.label ?? levers[kind] ?? String(kind);
}

/** Every resource the routers read, for the release watch. */
export const watchesOf = (list: readonly Router[]): WatchedResource[] => list.flatMap(r => r.watches);
export const routerWatches: readonly WatchedResource[] = watchesOf(routers);

export function routerFor(obj: KObject, list: readonly Router[] = routers): Router | undefined {
	return list.find(router => router.handles(obj));
}

export type FoundTraffic = {router: Router; object: KObject; reading: WeightReading};

/** The first object in `ctx.objects` (by router preference, then name) that splits traffic between two of the versions. */
export function findTraffic(versions: readonly Side[], ctx: RouterContext, list: readonly Router[] = routers): FoundTraffic | undefined {
	const sorted = [...ctx.objects].sort((a, b) => ((a.metadata.name ?? '') < (b.metadata.name ?? '') ? -1 : (a.metadata.name ?? '') > (b.metadata.name ?? '') ? 1 : 0));
	for (const router of list) {
		for (const object of sorted) {
			if (!router.handles(object)) continue;
			const reading = router.read(object, versions, ctx);
			if (reading) return {router, object, reading};
		}
	}
	return undefined;
}
