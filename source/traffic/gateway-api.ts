// Gateway API HTTPRoute: spec.rules[i].backendRefs[j] = {name, kind?: Service, weight?: default 1}.
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

type BackendRef = {group?: string; kind?: string; name?: string; namespace?: string; weight?: number};

function rulesOf(obj: KObject): BackendRef[][] {
	const rules: Array<{backendRefs?: BackendRef[]}> = obj.spec?.rules ?? [];
	return rules.map(r => r?.backendRefs ?? []);
}

/** The Service a backendRef names in this namespace, if it names one. */
function serviceOf(ref: BackendRef | undefined, ctx: RouterContext): string | undefined {
	if (!ref || (ref.kind ?? 'Service') !== 'Service' || (ref.group ?? '') !== '' || (ref.namespace ?? ctx.namespace) !== ctx.namespace) return undefined;
	return ref.name;
}

/** Every rule that sends traffic to both sides, with each backendRef's side. */
function pickAll(obj: KObject, sides: Sides, ctx: RouterContext): Array<{index: number; refs: BackendRef[]; sideOf: Array<SideName | undefined>}> {
	const picked = [];
	for (const [index, refs] of rulesOf(obj).entries()) {
		const sideOf = refs.map(ref => sideOfService(serviceOf(ref, ctx), sides));
		if (sideOf.includes('stable') && sideOf.includes('canary')) picked.push({index, refs, sideOf});
	}
	return picked;
}

export function handles(obj: KObject): boolean {
	return obj.kind === 'HTTPRoute';
}

export function backends(obj: KObject, ctx: RouterContext): string[] {
	const names = rulesOf(obj).flatMap(refs => refs.map(ref => serviceOf(ref, ctx)));
	return [...new Set(names.filter((n): n is string => n !== undefined))];
}

export function read(obj: KObject, sides: Sides, ctx: RouterContext): WeightReading | undefined {
	const [rule] = pickAll(obj, sides, ctx);
	if (!rule) return undefined;
	const weights = weightsOf(rule.refs.map((ref, j) => ({side: rule.sideOf[j], weight: ref?.weight ?? 1})));
	if (!weights) return undefined;
	return readingOf('gateway-api', obj, weights);
}

/** Sets the weights in every rule that splits between the two sides (as the Argo Rollouts plugin does). */
export function setWeightPatch(obj: KObject, sides: Sides, ctx: RouterContext, canaryWeight: number): JsonPatchOp[] | undefined {
	const pair = weightPair(canaryWeight);
	const rules = pickAll(obj, sides, ctx);
	if (rules.length === 0) return undefined;
	return rules.flatMap(rule =>
		(['stable', 'canary'] as const).flatMap(side => {
			const j = rule.sideOf.indexOf(side);
			const ref = rule.refs[j];
			return entryWeightOps(pointer('spec', 'rules', rule.index, 'backendRefs', j), {field: 'name', value: ref?.name}, ref?.weight, pair[side]);
		}),
	);
}

export const gatewayApiRouter: Router = {
	kind: 'gateway-api',
	label: 'Gateway API HTTPRoute',
	watches: [{kind: 'HTTPRoute', resource: 'httproutes', groupVersions: ['gateway.networking.k8s.io/v1', 'gateway.networking.k8s.io/v1beta1']}],
	handles,
	backends,
	read,
	setWeightPatch,
};
