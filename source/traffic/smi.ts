// SMI TrafficSplit: spec.backends[j] = {service, weight} (a Quantity such as "90" or "500m" in v1alpha1),
// relative weights over every backend.
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
	weightValue,
	type JsonPatchOp,
	type Router,
	type RouterContext,
	type Side,
	type WeightReading,
	type Weights,
} from './router.js';

type Backend = {service?: string; weight?: number | string};

function backendsOf(obj: KObject): Backend[] {
	return Array.isArray(obj.spec?.backends) ? obj.spec.backends : [];
}

const entriesOf = (obj: KObject, versions: readonly Side[]) => backendsOf(obj).map(b => ({side: sideOfService(b?.service, versions), weight: weightValue(b?.weight) ?? 0}));

export function handles(obj: KObject): boolean {
	return obj.kind === 'TrafficSplit';
}

export function backends(obj: KObject, _ctx: RouterContext): string[] {
	return [...new Set(backendsOf(obj).map(b => b?.service).filter((n): n is string => typeof n === 'string'))];
}

export function read(obj: KObject, versions: readonly Side[], _ctx: RouterContext): WeightReading | undefined {
	const entries = entriesOf(obj, versions);
	if (!splits(versionsIn(entries), [])) return undefined;
	return readingOf('smi', obj, weightsOf(entries));
}

export function setWeightPatch(obj: KObject, versions: readonly Side[], _ctx: RouterContext, weights: Weights): JsonPatchOp[] | undefined {
	checkWeights(weights);
	const entries = entriesOf(obj, versions);
	if (!splits(versionsIn(entries), [])) return undefined;
	const next = entryWeights(entries, weights);
	if (!next) return undefined;
	// v1alpha1 weights are Quantities: write them as strings.
	const asQuantity = (obj.apiVersion ?? '').endsWith('/v1alpha1');
	return backendsOf(obj).flatMap((backend, j) =>
		next[j] === undefined ? [] : entryWeightOps(pointer('spec', 'backends', j), {field: 'service', value: backend?.service}, backend?.weight, asQuantity ? String(next[j]) : next[j]),
	);
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
