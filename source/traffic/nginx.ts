// ingress-nginx canary: a second Ingress for the same host, annotated canary: "true", takes requests by
// canary-by-header (value `always`, canary-by-header-value, or canary-by-header-pattern), then by
// canary-by-cookie (value `always`), then canary-weight out of canary-weight-total (default 100) of the
// rest, for its Service; the main Ingress's Service gets what is left. Only two versions.
import type {KObject} from '../kube/object.js';
import {
	checkWeights,
	percent,
	pointer,
	readingOf,
	sideOfService,
	type JsonPatchOp,
	type MatchRoute,
	type Router,
	type RouterContext,
	type Side,
	type WeightReading,
	type Weights,
} from './router.js';

const PREFIX = 'nginx.ingress.kubernetes.io/';
export const CANARY = `${PREFIX}canary`;
export const CANARY_WEIGHT = `${PREFIX}canary-weight`;
export const CANARY_WEIGHT_TOTAL = `${PREFIX}canary-weight-total`;
export const CANARY_BY_HEADER = `${PREFIX}canary-by-header`;
export const CANARY_BY_HEADER_VALUE = `${PREFIX}canary-by-header-value`;
export const CANARY_BY_HEADER_PATTERN = `${PREFIX}canary-by-header-pattern`;
export const CANARY_BY_COOKIE = `${PREFIX}canary-by-cookie`;

function isCanary(obj: KObject): boolean {
	return obj.kind === 'Ingress' && obj.metadata.annotations?.[CANARY] === 'true';
}

/** Services an Ingress sends traffic to (rules' paths and the default backend). */
export function ingressServices(obj: KObject): string[] {
	const names: unknown[] = [obj.spec?.defaultBackend?.service?.name];
	for (const rule of obj.spec?.rules ?? []) {
		for (const path of rule?.http?.paths ?? []) names.push(path?.backend?.service?.name);
	}
	return [...new Set(names.filter((n): n is string => typeof n === 'string' && n !== ''))];
}

function hostsOf(obj: KObject): string[] {
	return (obj.spec?.rules ?? []).map((rule: {host?: string}) => rule?.host ?? '');
}

/** The non-canary Ingress that serves a host of the canary Ingress. */
export function mainIngress(canary: KObject, ctx: RouterContext): KObject | undefined {
	const hosts = new Set(hostsOf(canary));
	return ctx.objects.find(obj => obj.kind === 'Ingress' && !isCanary(obj) && (hosts.size === 0 || hostsOf(obj).some(host => hosts.has(host))));
}

function integer(value: string | undefined, fallback: number): number {
	const n = Number.parseInt(value ?? '', 10);
	return Number.isFinite(n) ? n : fallback;
}

/** The versions of the main Ingress's Service and the canary's, when they differ. */
function sidesOf(obj: KObject, versions: readonly Side[], ctx: RouterContext): {main: string; canary: string} | undefined {
	if (!isCanary(obj)) return undefined;
	const canary = ingressServices(obj).map(name => sideOfService(name, versions)).find(s => s !== undefined);
	const main = mainIngress(obj, ctx);
	const stable = main ? ingressServices(main).map(name => sideOfService(name, versions)).find(s => s !== undefined && s !== canary) : undefined;
	return canary && stable ? {main: stable, canary} : undefined;
}

/** The canary's match routes, in the order ingress-nginx evaluates them. */
function routesOf(obj: KObject, canary: string): MatchRoute[] {
	const a = obj.metadata.annotations ?? {};
	const routes: MatchRoute[] = [];
	const header = a[CANARY_BY_HEADER];
	if (header) {
		const match = a[CANARY_BY_HEADER_VALUE] ? `header ${header}=${a[CANARY_BY_HEADER_VALUE]}` : a[CANARY_BY_HEADER_PATTERN] ? `header ${header} ~ ${a[CANARY_BY_HEADER_PATTERN]}` : `header ${header}=always`;
		routes.push({version: canary, match});
	}
	if (a[CANARY_BY_COOKIE]) routes.push({version: canary, match: `cookie ${a[CANARY_BY_COOKIE]}=always`});
	return routes;
}

export function handles(obj: KObject): boolean {
	return isCanary(obj);
}

export function backends(obj: KObject, ctx: RouterContext): string[] {
	const main = mainIngress(obj, ctx);
	return [...new Set([...ingressServices(obj), ...(main ? ingressServices(main) : [])])];
}

export function read(obj: KObject, versions: readonly Side[], ctx: RouterContext): WeightReading | undefined {
	const sides = sidesOf(obj, versions, ctx);
	if (!sides) return undefined;
	const annotations = obj.metadata.annotations ?? {};
	const total = integer(annotations[CANARY_WEIGHT_TOTAL], 100);
	const weight = Math.min(Math.max(integer(annotations[CANARY_WEIGHT], 0), 0), total);
	const canary = percent(weight, total);
	const weights: Weights = {[sides.main]: Math.round((100 - canary) * 10) / 10, [sides.canary]: canary};
	return readingOf('nginx', obj, weights, routesOf(obj, sides.canary));
}

/** Sets canary-weight (a string, scaled to canary-weight-total); the main Ingress gets the rest implicitly. */
export function setWeightPatch(obj: KObject, versions: readonly Side[], ctx: RouterContext, weights: Weights): JsonPatchOp[] | undefined {
	checkWeights(weights);
	const sides = sidesOf(obj, versions, ctx);
	// Only the two versions the Ingresses name can have traffic.
	if (!sides || Object.entries(weights).some(([id, w]) => w > 0 && id !== sides.main && id !== sides.canary)) return undefined;
	const annotations = obj.metadata.annotations ?? {};
	const total = integer(annotations[CANARY_WEIGHT_TOTAL], 100);
	const path = pointer('metadata', 'annotations', CANARY_WEIGHT);
	const ops: JsonPatchOp[] = [{op: 'test', path: pointer('metadata', 'annotations', CANARY), value: 'true'}];
	const old = annotations[CANARY_WEIGHT];
	if (old !== undefined) ops.push({op: 'test', path, value: old});
	ops.push({op: 'add', path, value: String(Math.round(((weights[sides.canary] ?? 0) * total) / 100))});
	return ops;
}

export const nginxRouter: Router = {
	kind: 'nginx',
	label: 'NGINX canary Ingress',
	watches: [{kind: 'Ingress', resource: 'ingresses', groupVersions: ['networking.k8s.io/v1']}],
	handles,
	backends,
	read,
	setWeightPatch,
};
