// SMI TrafficSplit: spec.backends[j] = {service, weight} (a Quantity such as "90" or "500m" in v1alpha1).
import type {KObject} from '../kube/object.js';
import {
	entryWeightOps,
	pointer,
	readingOf,
	sideOfService,
	weightPair,
	weightsOf,
	weightValue,
	type JsonPatchOp,
	type Router,
	type RouterContext,
	type Sides,
	type WeightReading,
} from './router.js';

type Backend = {service?: string; weight?: number | string};

function backendsOf(obj: KObject): Backend[] {
	return obj.spec?.backends ?? [];
}

export function handles(obj: KObject): boolean {
	return obj.kind === 'TrafficSplit';
}

export function backends(obj: KObject, _ctx: RouterContext): string[] {
	return [...new Set(backendsOf(obj).map(b => b?.service).filter((n): n is string => typeof n === 'string'))];
}

export function read(obj: KObject, sides: Sides, _ctx: RouterContext): WeightReading | undefined {
	const weights = weightsOf(backendsOf(obj).map(b => ({side: sideOfService(b?.service, sides), weight: weightValue(b?.weight) ?? 0})));
	if (!weights) return undefined;
	return readingOf('smi', obj, weights);
}

export function setWeightPatch(obj: KObject, sides: Sides, _ctx: RouterContext, canaryWeight: number): JsonPatchOp[] | undefined {
	const pair = weightPair(canaryWeight);
	const list = backendsOf(obj);
	const sideOf = list.map(b => sideOfService(b?.service, sides));
	if (!sideOf.includes('stable') || !sideOf.includes('canary')) return undefined;
	// v1alpha1 weights are Quantities: write them as strings.
	const asQuantity = (obj.apiVersion ?? '').endsWith('/v1alpha1');
	return (['stable', 'canary'] as const).flatMap(side => {
		const j = sideOf.indexOf(side);
		const backend = list[j];
		return entryWeightOps(pointer('spec', 'backends', j), {field: 'service', value: backend?.service}, backend?.weight, asQuantity ? String(pair[side]) : pair[side]);
	});
}

export const smiRouter: Router = {
	kind: 'smi',
	label: 'SMI TrafficSplit',
	// v1alpha1 (Argo Rollouts' default) writes weights as quantities, later versions as integers: both are read.
	watches: [{kind: 'TrafficSplit', resource: 'trafficsplits', groupVersions: ['split.smi-spec.io/v1alpha2', 'split.smi-spec.io/v1alpha1', 'split.smi-spec.io/v1alpha3', 'split.smi-spec.io/v1alpha4']}],
	handles,
	backends,
	read,
	setWeightPatch,
};
