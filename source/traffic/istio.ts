// Istio VirtualService: spec.http[] routes are tried in order and the first whose match applies takes the
// request; a route without a match (or matching every path) takes what is left, split by
// route[j] = {destination: {host, subset?}, weight}. A destination is a version by its subset (the
// DestinationRule subset labels matching the version's pod labels) or, without a subset, by its host (a
// Service that selects that version only). Routes above the weighted one that send requests matching a
// header or cookie to one version are that version's match routes.
import type {KObject} from '../kube/object.js';
import {
	entryWeightOps,
	entryWeights,
	checkWeights,
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

type Destination = {host?: string; subset?: string; port?: unknown};
type RouteDestination = {destination?: Destination; weight?: number};
type StringMatch = {exact?: string; prefix?: string; regex?: string};
type HttpMatch = {headers?: Record<string, StringMatch>; uri?: StringMatch; queryParams?: Record<string, StringMatch>; [key: string]: unknown};
type HttpRoute = {name?: string; match?: HttpMatch[]; route?: RouteDestination[]};

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

/** The version a destination sends to, if exactly one version fits it. */
export function sideOfDestination(destination: Destination | undefined, versions: readonly Side[], ctx: RouterContext): string | undefined {
	if (!destination) return undefined;
	const {host, subset} = destination;
	if (!subset) return sideOfService(serviceOfHost(host, ctx.namespace), versions);
	const labels = subsetLabels(host, subset, ctx);
	if (labels) {
		const fitting = versions.filter(v => matches(labels, v.labels));
		return fitting.length === 1 ? fitting[0]!.id : undefined;
	}
	// No DestinationRule to read: go by the subset's name.
	const named = versions.find(v => v.id === subset);
	if (named) return named.id;
	if (versions.length === 2) {
		if (STABLE_NAMES.has(subset)) return versions[0]!.id;
		if (subset === 'canary') return versions[1]!.id;
	}
	return undefined;
}

function routesOf(obj: KObject): HttpRoute[] {
	const http = obj.spec?.http;
	return Array.isArray(http) ? http.map(h => (h && typeof h === 'object' ? h : {})) : [];
}

/** A match condition that every request meets: nothing, or only a uri prefix of "/". */
function matchesEverything(m: HttpMatch | undefined): boolean {
	if (!m || typeof m !== 'object') return true;
	const keys = Object.keys(m).filter(k => k !== 'name');
	return keys.every(k => k === 'uri' && m.uri?.prefix === '/' && Object.keys(m.uri).length === 1);
}

function takesEverything(route: HttpRoute): boolean {
	return !Array.isArray(route.match) || route.match.length === 0 || route.match.some(matchesEverything);
}

/** `cookie canary=always` for Flagger's cookie regex `^(.*?;)?(canary=always)(;.*)?$`, else undefined. */
function cookieOf(m: StringMatch): string | undefined {
	const found = typeof m.regex === 'string' ? /\(([^()=;]+=[^()=;]+)\)/.exec(m.regex) : null;
	return found ? `cookie ${found[1]}` : undefined;
}

function describeString(name: string, m: StringMatch): string {
	if (name.toLowerCase() === 'cookie') {
		const cookie = cookieOf(m);
		if (cookie) return cookie;
	}
	if (m.exact !== undefined) return `header ${name}=${m.exact}`;
	if (m.prefix !== undefined) return `header ${name} starting ${m.prefix}`;
	if (m.regex !== undefined) return `header ${name} ~ ${m.regex}`;
	return `header ${name}`;
}

/** A match in words, when it matches by header (or cookie): `header x-canary=always and header x-b=1`. */
function describeMatch(m: HttpMatch): string | undefined {
	const headers = m?.headers;
	if (!headers || typeof headers !== 'object' || Object.keys(headers).length === 0) return undefined;
	return Object.entries(headers)
		.map(([name, value]) => describeString(name, value ?? {}))
		.join(' and ');
}

type Picked = {index: number; route: RouteDestination[]; sideOf: Array<string | undefined>; routes: MatchRoute[]};

/**
 * The route that carries the weights (the first that takes every request; without one, the first that names
 * two versions) with each destination's version, and the match routes above it.
 */
function pick(obj: KObject, versions: readonly Side[], ctx: RouterContext): Picked | undefined {
	const http = routesOf(obj);
	const sidesOf = (route: HttpRoute) => (route.route ?? []).map(r => sideOfDestination(r?.destination, versions, ctx));
	let index = http.findIndex(takesEverything);
	if (index < 0) index = http.findIndex(route => versionsIn(sidesOf(route).map(side => ({side}))).length >= 2);
	if (index < 0) return undefined;
	const routes: MatchRoute[] = [];
	for (const route of http.slice(0, index)) {
		const targets = versionsIn(sidesOf(route).map(side => ({side})));
		const words = (route.match ?? []).map(describeMatch);
		if (targets.length !== 1 || words.length === 0 || words.some(w => w === undefined)) continue;
		routes.push({version: targets[0]!, match: words.join(' or ')});
	}
	const route = http[index]!.route ?? [];
	return {index, route, sideOf: route.map(r => sideOfDestination(r?.destination, versions, ctx)), routes};
}

export function handles(obj: KObject): boolean {
	return obj.kind === 'VirtualService' && (obj.apiVersion ?? 'networking.istio.io/').startsWith('networking.istio.io/');
}

export function backends(obj: KObject, ctx: RouterContext): string[] {
	const names = routesOf(obj).flatMap(route => (route.route ?? []).map(r => serviceOfHost(r?.destination?.host, ctx.namespace)));
	return [...new Set(names.filter((n): n is string => n !== undefined))];
}

const entriesOf = (picked: Picked) => picked.route.map((r, j) => ({side: picked.sideOf[j], weight: picked.route.length === 1 ? 100 : (typeof r?.weight === 'number' ? r.weight : 0)}));

export function read(obj: KObject, versions: readonly Side[], ctx: RouterContext): WeightReading | undefined {
	const picked = pick(obj, versions, ctx);
	if (!picked) return undefined;
	// A lone destination takes everything; otherwise an absent weight is 0.
	const entries = entriesOf(picked);
	if (!splits(versionsIn(entries), picked.routes)) return undefined;
	return readingOf('istio', obj, weightsOf(entries), picked.routes);
}

/** The destination a match route sends a version's requests to, to add it to the weighted route. */
function destinationOf(obj: KObject, version: string, versions: readonly Side[], ctx: RouterContext, before: number): Destination | undefined {
	for (const route of routesOf(obj).slice(0, before)) {
		for (const r of route.route ?? []) if (sideOfDestination(r?.destination, versions, ctx) === version) return r.destination;
	}
	return undefined;
}

export function setWeightPatch(obj: KObject, versions: readonly Side[], ctx: RouterContext, weights: Weights): JsonPatchOp[] | undefined {
	checkWeights(weights);
	const picked = pick(obj, versions, ctx);
	if (!picked) return undefined;
	const entries = entriesOf(picked);
	if (!splits(versionsIn(entries), picked.routes)) return undefined;
	const next = entryWeights(entries, weights);
	if (!next) return undefined;
	const base = ['spec', 'http', picked.index] as const;
	// A version that only has a match route (a header canary at 0) gets a destination of its own in the weighted route.
	const named = new Set(picked.sideOf);
	const added: RouteDestination[] = [];
	for (const v of versions) {
		if (named.has(v.id) || !(weights[v.id]! > 0)) continue;
		const destination = destinationOf(obj, v.id, versions, ctx, picked.index);
		if (!destination) return undefined;
		added.push({destination, weight: weights[v.id]});
	}
	const ops: JsonPatchOp[] = [];
	const name = obj.spec?.http?.[picked.index]?.name;
	if (typeof name === 'string') ops.push({op: 'test', path: pointer(...base, 'name'), value: name});
	// Adding to the list: the whole list must be as seen.
	if (added.length > 0) ops.push({op: 'test', path: pointer(...base, 'route'), value: picked.route});
	picked.route.forEach((r, j) => {
		const weight = next[j];
		if (weight === undefined) return;
		const destination = r?.destination ?? {};
		const identity = destination.subset ? {field: 'destination/subset', value: destination.subset} : {field: 'destination/host', value: destination.host};
		ops.push(...entryWeightOps(pointer(...base, 'route', j), identity, r?.weight, weight));
	});
	for (const a of added) ops.push({op: 'add', path: pointer(...base, 'route', '-'), value: a});
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
