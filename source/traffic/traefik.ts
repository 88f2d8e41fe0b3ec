// Traefik TraefikService (weighted round robin): spec.weighted.services[j] = {name, kind?: Service, weight?: default 1}.
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
	type Sides,
	type WeightReading,
} from './router.js';

type WeightedService = {name?: string; kind?: string; namespace?: string; weight?: number};

function servicesOf(obj: KObject): WeightedService[] {
	return obj.spec?.weighted?.services ?? [];
}

function serviceName(entry: WeightedService | undefined, ctx: RouterContext): string | undefined {
	if (!entry || (entry.kind ?? 'Service') !== 'Service' || (entry.namespace ?? ctx.namespace) !== ctx.namespace) return undefined;
	return entry.name;
}

export function handles(obj: KObject): boolean {
	return obj.kind === 'TraefikService' && Array.isArray(obj.spec?.weighted?.services);
}

export function backends(obj: KObject, ctx: RouterContext): string[] {
	return [...new Set(servicesOf(obj).map(s => serviceName(s, ctx)).filter((n): n is string => n !== undefined))];
}

export function read(obj: KObject, sides: Sides, ctx: RouterContext): WeightReading | undefined {
	const weights = weightsOf(servicesOf(obj).map(s => ({side: sideOfService(serviceName(s, ctx), sides), weight: s?.weight ?? 1})));
	if (!weights) return undefined;
	return readingOf('traefik', obj, weights);
}

export function setWeightPatch(obj: KObject, sides: Sides, ctx: RouterContext, canaryWeight: number): JsonPatchOp[] | undefined {
	const pair = weightPair(canaryWeight);
	const list = servicesOf(obj);
	const sideOf = list.map(s => sideOfService(serviceName(s, ctx), sides));
	if (!sideOf.includes('stable') || !sideOf.includes('canary')) return undefined;
	return (['stable', 'canary'] as const).flatMap(side => {
		const j = sideOf.indexOf(side);
		const entry = list[j];
		return entryWeightOps(pointer('spec', 'weighted', 'services', j), {field: 'name', value: entry?.name}, entry?.weight, pair[side]);
	});
}

export const traefikRouter: Router = {
	kind: 'traefik',
	label: 'Traefik weighted service',
	// traefik.io since Traefik 3; Traefik 2 served the same kind as traefik.containo.us.
	watches: [{kind: 'TraefikService', resource: 'traefikservices', groupVersions: ['traefik.io/v1alpha1', 'traefik.containo.us/v1alpha1']}],
	handles,
	backends,
	read,
	setWeightPatch,
};
