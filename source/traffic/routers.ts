// All router modules, and the reading of a canary pair's weights from whichever object holds them.
import type {KObject} from '../kube/object.js';
import {gatewayApiRouter} from './gateway-api.js';
import {istioRouter} from './istio.js';
import {nginxRouter} from './nginx.js';
import type {Router, RouterContext, Sides, WeightReading} from './router.js';
import {smiRouter} from './smi.js';
import {traefikRouter} from './traefik.js';

/** In order of preference when several objects split the same pair. */
export const routers: Router[] = [istioRouter, gatewayApiRouter, smiRouter, traefikRouter, nginxRouter];

export function routerFor(obj: KObject): Router | undefined {
	return routers.find(router => router.handles(obj));
}

export type FoundTraffic = {router: Router; object: KObject; reading: WeightReading};

/** The first object in `ctx.objects` (by router preference, then name) that splits traffic between the two sides. */
export function findTraffic(sides: Sides, ctx: RouterContext): FoundTraffic | undefined {
	const sorted = [...ctx.objects].sort((a, b) => ((a.metadata.name ?? '') < (b.metadata.name ?? '') ? -1 : (a.metadata.name ?? '') > (b.metadata.name ?? '') ? 1 : 0));
	for (const router of routers) {
		for (const object of sorted) {
			if (!router.handles(object)) continue;
			const reading = router.read(object, sides, ctx);
			if (reading) return {router, object, reading};
		}
	}
	return undefined;
}
