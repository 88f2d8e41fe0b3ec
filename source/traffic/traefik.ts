// Traefik TraefikService (weighted round robin): spec.weighted.services[j] = {name, kind?: Service, weight?: default 1}.
import type {KObject} from '../kube/object.js';
import {
	checkWeights,
	entryWeightOps,
	entryWeights,
	pointer,
	readingOf,
	sideOfService,
	splits,
	versionsIn,
	weightsOf,
	type JsonPatchOp,
	type Router,
	type RouterContext,
	type Side,
	type WeightReading,
	type Weights,
} from './router.js';

type WeightedService = {name?: string; kind?: string; namespace?: string; weight?: number};

function servicesOf(obj: KObject): WeightedService[] {
	return Array.isArray(obj.spec?.weighted?.services) ? obj.spec.weighted.services : [];
}

function serviceName(entry: WeightedService | undefined, ctx: RouterContext): string | undefined {
	if (!entry || (entry.kind ?? 'Service') !== 'Service' || (entry.namespace ?? ctx.namespace) !== ctx.namespace) return undefined;
	return entry.name;
}

const entriesOf = (obj: KObject, versions: readonly Side[], ctx: RouterContext) =>
	servicesOf(obj).map(s => ({side: sideOfService(serviceName(s, ctx), versions), weight: typeof s?.weight === 'number' ? s.weight : 1}));

export function handles(obj: KObject): boolean {
	return obj.kind === 'TraefikService' && Array.isArray(obj.spec?.weighted?.services);
}

export function backends(obj: KObject, ctx: RouterContext): string[] {
	return [...new Set(servicesOf(obj).map(s => serviceName(s, ctx)).filter((n): n is string => n !== undefined))];
}

export function read(obj: KObject, versions: readonly Side[], ctx: RouterContext): WeightReading | undefined {
	const entries = entriesOf(obj, versions, ctx);
	if (!splits(versionsIn(entries), [])) return undefined;
	return readingOf('traefik', obj, weightsOf(entries));
}

export function setWeightPatch(obj: KObject, versions: readonly Side[], ctx: RouterContext, weights: Weights): JsonPatchOp[] | undefined {
	checkWeights(weights);
	const entries = entriesOf(obj, versions, ctx);
	if (!splits(versionsIn(entries), [])) return undefined;
	const next = entryWeights(entries, weights);
	if (!next) return undefined;
	return servicesOf(obj).flatMap((entry, j) => (next[j] === undefined ? [] : entryWeightOps(pointer('spec', 'weighted', 'services', j), {field: 'name', value: entry?.name}, entry?.weight, next[j])));
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
