// ingress-nginx canary: a second Ingress, annotated canary: "true", sends canary-weight out of
// canary-weight-total (default 100) of the main Ingress's traffic (same host) to the canary Service.
import type {KObject} from '../kube/object.js';
import {
	percent,
	pointer,
	readingOf,
	sideOfService,
	weightPair,
	type JsonPatchOp,
	type Router,
	type RouterContext,
	type Sides,
	type WeightReading,
} from './router.js';

export const CANARY = 'nginx.ingress.kubernetes.io/canary';
export const CANARY_WEIGHT = 'nginx.ingress.kubernetes.io/canary-weight';
export const CANARY_WEIGHT_TOTAL = 'nginx.ingress.kubernetes.io/canary-weight-total';

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
	return ctx.objects.find(
		obj => obj.kind === 'Ingress' && !isCanary(obj) && (hosts.size === 0 || hostsOf(obj).some(host => hosts.has(host))),
	);
}

function integer(value: string | undefined, fallback: number): number {
	const n = Number.parseInt(value ?? '', 10);
	return Number.isFinite(n) ? n : fallback;
}

function routesPair(obj: KObject, sides: Sides, ctx: RouterContext): boolean {
	if (!isCanary(obj) || !ingressServices(obj).some(name => sideOfService(name, sides) === 'canary')) return false;
	const hosts = new Set(hostsOf(obj));
	return ctx.objects.some(
		main =>
			main.kind === 'Ingress' &&
			!isCanary(main) &&
			(hosts.size === 0 || hostsOf(main).some(host => hosts.has(host))) &&
			ingressServices(main).some(name => sideOfService(name, sides) === 'stable'),
	);
}

export function handles(obj: KObject): boolean {
	return isCanary(obj);
}

export function backends(obj: KObject, ctx: RouterContext): string[] {
	const main = mainIngress(obj, ctx);
	return [...new Set([...ingressServices(obj), ...(main ? ingressServices(main) : [])])];
}

export function read(obj: KObject, sides: Sides, ctx: RouterContext): WeightReading | undefined {
	if (!routesPair(obj, sides, ctx)) return undefined;
	const annotations = obj.metadata.annotations ?? {};
	const total = integer(annotations[CANARY_WEIGHT_TOTAL], 100);
	const weight = Math.min(Math.max(integer(annotations[CANARY_WEIGHT], 0), 0), total);
	const canary = percent(weight, total);
	return readingOf('nginx', obj, {stable: Math.round((100 - canary) * 10) / 10, canary});
}

/** Sets canary-weight (a string, scaled to canary-weight-total); stable gets the rest implicitly. */
export function setWeightPatch(obj: KObject, sides: Sides, ctx: RouterContext, canaryWeight: number): JsonPatchOp[] | undefined {
	const {canary} = weightPair(canaryWeight);
	if (!routesPair(obj, sides, ctx)) return undefined;
	const annotations = obj.metadata.annotations ?? {};
	const total = integer(annotations[CANARY_WEIGHT_TOTAL], 100);
	const path = pointer('metadata', 'annotations', CANARY_WEIGHT);
	const ops: JsonPatchOp[] = [{op: 'test', path: pointer('metadata', 'annotations', CANARY), value: 'true'}];
	const old = annotations[CANARY_WEIGHT];
	if (old !== undefined) ops.push({op: 'test', path, value: old});
	ops.push({op: 'add', path, value: String(Math.round((canary * total) / 100))});
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
