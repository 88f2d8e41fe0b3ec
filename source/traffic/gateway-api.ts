// Gateway API HTTPRoute: spec.rules[i].backendRefs[j] = {name, kind?: Service, weight?: default 1}. The rule
// that takes every request (no matches, or only the path prefix "/") carries the weights; rules that send
// requests matching a header to one version are its match routes. Like the Argo Rollouts plugin, a weight
// change is written to every rule that splits between the versions.
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
	type MatchRoute,
	type Router,
	type RouterContext,
	type Side,
	type WeightReading,
	type Weights,
} from './router.js';

type BackendRef = {group?: string; kind?: string; name?: string; namespace?: string; weight?: number};
type HeaderMatch = {type?: string; name?: string; value?: string};
type RouteMatch = {path?: {type?: string; value?: string}; headers?: HeaderMatch[]; queryParams?: unknown[]; method?: string};
type Rule = {matches?: RouteMatch[]; backendRefs?: BackendRef[]};

function rulesOf(obj: KObject): Rule[] {
	const rules = obj.spec?.rules;
	return Array.isArray(rules) ? rules.map(r => (r && typeof r === 'object' ? r : {})) : [];
}

/** The Service a backendRef names in this namespace, if it names one. */
function serviceOf(ref: BackendRef | undefined, ctx: RouterContext): string | undefined {
	if (!ref || (ref.kind ?? 'Service') !== 'Service' || (ref.group ?? '') !== '' || (ref.namespace ?? ctx.namespace) !== ctx.namespace) return undefined;
	return ref.name;
}

/** A match every request meets: no conditions but a path prefix of "/" (the default match). */
function matchesEverything(m: RouteMatch | undefined): boolean {
	if (!m || typeof m !== 'object') return true;
	const path = m.path;
	const pathOk = !path || ((path.type ?? 'PathPrefix') === 'PathPrefix' && (path.value ?? '/') === '/');
	return pathOk && !(Array.isArray(m.headers) && m.headers.length > 0) && !(Array.isArray(m.queryParams) && m.queryParams.length > 0) && m.method === undefined;
}

const takesEverything = (rule: Rule) => !Array.isArray(rule.matches) || rule.matches.length === 0 || rule.matches.some(matchesEverything);

function describeHeader(h: HeaderMatch): string {
	if (h.type === 'RegularExpression') return `header ${h.name} ~ ${h.value}`;
	return `header ${h.name}=${h.value}`;
}

/** A match in words, when it matches by header: `header x-canary=always`. */
function describeMatch(m: RouteMatch): string | undefined {
	if (!Array.isArray(m?.headers) || m.headers.length === 0) return undefined;
	return m.headers.map(describeHeader).join(' and ');
}

type Picked = {index: number; refs: BackendRef[]; sideOf: Array<string | undefined>};

function sidesOf(rule: Rule, versions: readonly Side[], ctx: RouterContext): Array<string | undefined> {
	return (rule.backendRefs ?? []).map(ref => sideOfService(serviceOf(ref, ctx), versions));
}

const entriesOf = (p: Picked) => p.refs.map((ref, j) => ({side: p.sideOf[j], weight: typeof ref?.weight === 'number' ? ref.weight : 1}));

/** The rule that carries the weights, and the match routes of the rules before it. */
function pick(obj: KObject, versions: readonly Side[], ctx: RouterContext): {main: Picked; routes: MatchRoute[]} | undefined {
	const rules = rulesOf(obj);
	let index = rules.findIndex(takesEverything);
	if (index < 0) index = rules.findIndex(rule => versionsIn(sidesOf(rule, versions, ctx).map(side => ({side}))).length >= 2);
	if (index < 0) return undefined;
	const routes: MatchRoute[] = [];
	rules.forEach((rule, i) => {
		if (i === index || takesEverything(rule)) return;
		const targets = versionsIn(sidesOf(rule, versions, ctx).map(side => ({side})));
		const words = (rule.matches ?? []).map(describeMatch);
		if (targets.length !== 1 || words.length === 0 || words.some(w => w === undefined)) return;
		routes.push({version: targets[0]!, match: words.join(' or ')});
	});
	return {main: {index, refs: rules[index]!.backendRefs ?? [], sideOf: sidesOf(rules[index]!, versions, ctx)}, routes};
}

export function handles(obj: KObject): boolean {
	return obj.kind === 'HTTPRoute';
}

export function backends(obj: KObject, ctx: RouterContext): string[] {
	const names = rulesOf(obj).flatMap(rule => (rule.backendRefs ?? []).map(ref => serviceOf(ref, ctx)));
	return [...new Set(names.filter((n): n is string => n !== undefined))];
}

export function read(obj: KObject, versions: readonly Side[], ctx: RouterContext): WeightReading | undefined {
	const picked = pick(obj, versions, ctx);
	if (!picked) return undefined;
	const entries = entriesOf(picked.main);
	if (!splits(versionsIn(entries), picked.routes)) return undefined;
	return readingOf('gateway-api', obj, weightsOf(entries), picked.routes);
}

/** The backendRef a match rule sends a version's requests to, to add it to the weighted rule. */
function refOf(obj: KObject, version: string, versions: readonly Side[], ctx: RouterContext): BackendRef | undefined {
	for (const rule of rulesOf(obj)) {
		for (const ref of rule.backendRefs ?? []) if (sideOfService(serviceOf(ref, ctx), versions) === version) return ref;
	}
	return undefined;
}

/** Sets the weights in every rule that splits between the versions (as the Argo Rollouts plugin does). */
export function setWeightPatch(obj: KObject, versions: readonly Side[], ctx: RouterContext, weights: Weights): JsonPatchOp[] | undefined {
	checkWeights(weights);
	const picked = pick(obj, versions, ctx);
	if (!picked || !splits(versionsIn(entriesOf(picked.main)), picked.routes)) return undefined;
	const ops: JsonPatchOp[] = [];
	for (const [index, rule] of rulesOf(obj).entries()) {
		const p: Picked = {index, refs: rule.backendRefs ?? [], sideOf: sidesOf(rule, versions, ctx)};
		const entries = entriesOf(p);
		const main = index === picked.main.index;
		if (!main && versionsIn(entries).length < 2) continue;
		const next = entryWeights(entries, weights);
		if (!next) {
			if (main) return undefined;
			continue;
		}
		// A version that only has a match rule (a header canary at 0) gets a backendRef in the weighted rule.
		const added: BackendRef[] = [];
		if (main) {
			for (const v of versions) {
				if (p.sideOf.includes(v.id) || !(weights[v.id]! > 0)) continue;
				const ref = refOf(obj, v.id, versions, ctx);
				if (!ref) return undefined;
				added.push({...ref, weight: weights[v.id]});
			}
			if (added.length > 0) ops.push({op: 'test', path: pointer('spec', 'rules', index, 'backendRefs'), value: p.refs});
		}
		p.refs.forEach((ref, j) => {
			if (next[j] === undefined) return;
			ops.push(...entryWeightOps(pointer('spec', 'rules', index, 'backendRefs', j), {field: 'name', value: ref?.name}, ref?.weight, next[j]));
		});
		for (const a of added) ops.push({op: 'add', path: pointer('spec', 'rules', index, 'backendRefs', '-'), value: a});
	}
	return ops.length > 0 ? ops : undefined;
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
