// Istio VirtualService: spec.http[i].route[j] = {destination: {host, subset?}, weight}.
// A destination is a side by its subset (DestinationRule subset labels matching the side's pod labels)
// or, without a subset, by its host (a Service that selects that side only).
import type {KObject} from '../kube/object.js';
import {
	entryWeightOps,
	pointer,
	readingOf,
	sideOfService,
	weightPair,
	weightsOf,
	type JsonPatchOp,
	type Router,
	type RouterContext,
	type SideName,
	type Sides,
	type WeightReading,
} from './router.js';

type Destination = {host?: string; subset?: string};
type RouteDestination = {destination?: Destination; weight?: number};

const STABLE_NAMES = new Set(['stable', 'primary', 'main']);

/** The Service a host names in the namespace: `app`, `app.shop`, `app.shop.svc[.cluster.local]`. */
export function serviceOfHost(host: unknown, namespace: string): string | undefined {
	if (typeof host !== 'string' || host === '' || host.includes('*')) return undefined;
	const [name, ns, svc] = host.split('.');
	if (ns === undefined) return name;
	if (ns === namespace && (svc === undefined || svc === 'svc')) return name;
	return undefined;
}

function subsetLabels(host: unknown, subset: string, ctx: RouterContext): Record<string, string> | undefined {
	const service = serviceOfHost(host, ctx.namespace);
	for (const rule of ctx.objects) {
		if (rule.kind !== 'DestinationRule' || serviceOfHost(rule.spec?.host, ctx.namespace) !== service) continue;
		const found = (rule.spec?.subsets ?? []).find((s: {name?: string}) => s?.name === subset);
		if (found) return found.labels ?? {};
	}
	return undefined;
}

function matches(selector: Record<string, string>, labels: Record<string, string>): boolean {
	const entries = Object.entries(selector);
	return entries.length > 0 && entries.every(([k, v]) => labels[k] === v);
}

export function sideOfDestination(destination: Destination | undefined, sides: Sides, ctx: RouterContext): SideName | undefined {
	if (!destination) return undefined;
	const {host, subset} = destination;
	if (!subset) return sideOfService(serviceOfHost(host, ctx.namespace), sides);
	const labels = subsetLabels(host, subset, ctx);
	if (labels) {
		const stable = matches(labels, sides.stable.labels);
		const canary = matches(labels, sides.canary.labels);
		if (stable !== canary) return stable ? 'stable' : 'canary';
		return undefined;
	}
	// No DestinationRule to read: go by the subset's name.
	if (subset === sides.stable.id || STABLE_NAMES.has(subset)) return 'stable';
	if (subset === sides.canary.id || subset === 'canary') return 'canary';
	return undefined;
}

function routesOf(obj: KObject): RouteDestination[][] {
	const http: Array<{route?: RouteDestination[]}> = obj.spec?.http ?? [];
	return http.map(h => h?.route ?? []);
}

/** Index of the first http route that sends traffic to both sides, with each destination's side. */
function pick(obj: KObject, sides: Sides, ctx: RouterContext): {index: number; route: RouteDestination[]; sideOf: Array<SideName | undefined>} | undefined {
	for (const [index, route] of routesOf(obj).entries()) {
		const sideOf = route.map(r => sideOfDestination(r?.destination, sides, ctx));
		if (sideOf.includes('stable') && sideOf.includes('canary')) return {index, route, sideOf};
	}
	return undefined;
}

export function handles(obj: KObject): boolean {
	return obj.kind === 'VirtualService' && (obj.apiVersion ?? 'networking.istio.io/').startsWith('networking.istio.io/');
}

export function backends(obj: KObject, ctx: RouterContext): string[] {
	const names = routesOf(obj).flatMap(route => route.map(r => serviceOfHost(r?.destination?.host, ctx.namespace)));
	return [...new Set(names.filter((n): n is string => n !== undefined))];
}

export function read(obj: KObject, sides: Sides, ctx: RouterContext): WeightReading | undefined {
	const picked = pick(obj, sides, ctx);
	if (!picked) return undefined;
	// A lone destination takes everything; otherwise an absent weight is 0.
	const entries = picked.route.map((r, j) => ({side: picked.sideOf[j], weight: picked.route.length === 1 ? 100 : (r?.weight ?? 0)}));
	const weights = weightsOf(entries);
	if (!weights) return undefined;
	return readingOf('istio', obj, weights);
}

export function setWeightPatch(obj: KObject, sides: Sides, ctx: RouterContext, canaryWeight: number): JsonPatchOp[] | undefined {
	const pair = weightPair(canaryWeight);
	const picked = pick(obj, sides, ctx);
	if (!picked) return undefined;
	const ops: JsonPatchOp[] = [];
	const name = obj.spec?.http?.[picked.index]?.name;
	if (typeof name === 'string') ops.push({op: 'test', path: pointer('spec', 'http', picked.index, 'name'), value: name});
	for (const side of ['stable', 'canary'] as const) {
		const j = picked.sideOf.indexOf(side);
		const destination = picked.route[j]?.destination ?? {};
		const identity = destination.subset ? {field: 'destination/subset', value: destination.subset} : {field: 'destination/host', value: destination.host};
		ops.push(...entryWeightOps(pointer('spec', 'http', picked.index, 'route', j), identity, picked.route[j]?.weight, pair[side]));
	}
	return ops;
}

export const istioRouter: Router = {
	kind: 'istio',
	label: 'istio VirtualService',
	watches: [
		{kind: 'VirtualService', resource: 'virtualservices', groupVersions: ['networking.istio.io/v1', 'networking.istio.io/v1beta1', 'networking.istio.io/v1alpha3']},
		{kind: 'DestinationRule', resource: 'destinationrules', groupVersions: ['networking.istio.io/v1', 'networking.istio.io/v1beta1', 'networking.istio.io/v1alpha3']},
	],
	handles,
	backends,
	read,
	setWeightPatch,
};
