// The one small interface every router module implements: read how an object splits traffic between the
// versions of a release (weights, and routes that send matching requests to one version), and produce the
// JSON Patch that sets the weights.
import {managedBy} from './managed.js';
import type {KObject} from '../kube/object.js';

/** What moves a release's traffic: a router module's name (also the --router choice), or a lever without a router object. */
export type RouterKind =
	| 'istio'
	| 'gateway-api'
	| 'smi'
	| 'nginx'
	| 'traefik'
	// Routers a controller drives whose objects rollscope names but does not read.
	| 'alb'
	| 'ambassador'
	| 'apisix'
	| 'app-mesh'
	| 'plugin'
	| 'replicas'
	| 'service-selector'
	| 'deployment';

/** A resource a router reads weights from (or needs beside them), with the API versions it may be served in, preferred first. */
export type WatchedResource = {kind: string; resource: string; groupVersions: readonly string[]};

/** How one version of a release is recognised in router objects. */
export type Side = {
	/** Version id: the Deployment name. */
	id: string;
	/** Labels of the version's pod template (matched by Istio DestinationRule subsets). */
	labels: Record<string, string>;
	/** Services that select this version only (named by hosts and backends). */
	services: string[];
};

/** What a router may look at besides its own object: the namespace, and the other router objects (DestinationRules, main Ingresses). */
export type RouterContext = {namespace: string; objects: KObject[]};

/** Percent of traffic per version id. */
export type Weights = Record<string, number>;

/** Requests that reach one version by what they carry (a header, a cookie), whatever the weights. */
export type MatchRoute = {
	/** The version id the matching requests go to. */
	version: string;
	/** In the operator's words: `header x-canary=always`, `cookie canary=always`, `header x-user ~ ^beta`. */
	match: string;
};

export type WeightReading = {
	router: RouterKind;
	/** The object holding the weights, as Kind/name. */
	object: string;
	/**
	 * Percent of the weighted route per version it names (0 for a version it names without weight, and for a
	 * version reached only by a match route): the versions the object routes to.
	 */
	weights: Weights;
	/** Routes before the weighted one that send matching requests to one version. */
	routes?: MatchRoute[];
	/** The controller that owns the object ('argo-rollouts', 'flagger', 'kruise-rollouts'), which would undo a direct patch. */
	managedBy?: string;
};

/** One RFC 6902 operation. */
export type JsonPatchOp = {op: 'test' | 'add' | 'replace' | 'remove'; path: string; value?: unknown};

export interface Router {
	/** Its name, in the model and for --router. */
	kind: RouterKind;
	/** How the header names it: `istio VirtualService`. */
	label: string;
	/** What the release watch lists and watches for it. */
	watches: readonly WatchedResource[];
	/** Whether the object is one this router reads weights from. */
	handles(obj: KObject): boolean;
	/** Services the object sends traffic to (for finding the Deployments it may split between). */
	backends(obj: KObject, ctx: RouterContext): string[];
	/**
	 * How the object splits traffic between these versions, or undefined when it does not route to two of them
	 * (by weight, or one by weight and another by a match route).
	 */
	read(obj: KObject, versions: readonly Side[], ctx: RouterContext): WeightReading | undefined;
	/**
	 * The JSON Patch (application/json-patch+json) that sets these weights (whole percents per version id, adding
	 * up to 100), with `test` operations on the entries it changes and on their old weights, so a concurrent
	 * change makes the patch fail (422). Undefined when the object does not split traffic between these versions.
	 */
	setWeightPatch(obj: KObject, versions: readonly Side[], ctx: RouterContext, weights: Weights): JsonPatchOp[] | undefined;
}

/** A JSON Pointer from segments, escaping `~` and `/`. */
export function pointer(...segments: Array<string | number>): string {
	return segments.map(s => '/' + String(s).replaceAll('~', '~0').replaceAll('/', '~1')).join('');
}

/** Throws unless the weights are whole percents adding up to 100. */
export function checkWeights(weights: Weights): void {
	const values = Object.values(weights);
	if (values.some(w => !Number.isInteger(w) || w < 0 || w > 100) || values.reduce((a, b) => a + b, 0) !== 100) {
		throw new RangeError(`weights must be whole percents from 0 to 100 adding up to 100, got ${JSON.stringify(weights)}`);
	}
}

/** part/total in percent, to one decimal; 0 when total is 0. */
export function percent(part: number, total: number): number {
	return total > 0 ? Math.round((part * 1000) / total) / 10 : 0;
}

export function objectRef(obj: KObject): string {
	return `${obj.kind ?? 'Object'}/${obj.metadata.name ?? ''}`;
}

/** A router's reading of `obj`, noting the controller (Argo, Flagger) that owns it, if any. */
export function readingOf(router: RouterKind, obj: KObject, weights: Weights, routes: MatchRoute[] = []): WeightReading {
	const all = {...weights};
	for (const r of routes) all[r.version] ??= 0;
	const reading: WeightReading = {router, object: objectRef(obj), weights: all};
	if (routes.length > 0) reading.routes = routes;
	const controller = managedBy(obj);
	if (controller) reading.managedBy = controller;
	return reading;
}

/** Which version a Service name belongs to. */
export function sideOfService(name: unknown, versions: readonly Side[]): string | undefined {
	if (typeof name !== 'string') return undefined;
	return versions.find(v => v.services.includes(name))?.id;
}

/** A number from a weight field (int, or a Quantity such as "90" or "500m"); undefined when it is not one. */
export function weightValue(raw: unknown): number | undefined {
	if (typeof raw === 'number') return Number.isFinite(raw) ? raw : undefined;
	if (typeof raw !== 'string') return undefined;
	const match = /^\s*(\d+(?:\.\d+)?)(m?)\s*$/.exec(raw);
	if (!match) return undefined;
	const value = Number(match[1]);
	return match[2] === 'm' ? value / 1000 : value;
}

/** An entry of a weighted list (route destination, backendRef, ...) with its version and effective weight. */
export type WeightedEntry = {side?: string; weight: number};

/** The distinct versions named by entries, in order. */
export function versionsIn(entries: ReadonlyArray<{side?: string}>): string[] {
	return [...new Set(entries.map(e => e.side).filter((s): s is string => s !== undefined))];
}

/** Percent per version the entries of one list name, over all its entries (entries of no version count in the total). */
export function weightsOf(entries: WeightedEntry[]): Weights {
	const total = entries.reduce((sum, e) => sum + Math.max(0, e.weight), 0);
	const out: Weights = {};
	for (const id of versionsIn(entries)) out[id] = percent(entries.filter(e => e.side === id).reduce((s, e) => s + Math.max(0, e.weight), 0), total);
	return out;
}

/** Whether a reading splits between versions: two named by weight, or one by weight and another by a match route. */
export function splits(weighted: readonly string[], routes: readonly MatchRoute[]): boolean {
	return new Set([...weighted, ...routes.map(r => r.version)]).size >= 2 && weighted.length >= 1;
}

/**
 * Operations that set one list entry's weight: test the entry's identity and its old weight (when it has one),
 * then `add` the new weight (`add` also works when the field was never written).
 */
export function entryWeightOps(entryPath: string, identity: {field: string; value: unknown}, oldWeight: unknown, newWeight: unknown): JsonPatchOp[] {
	const ops: JsonPatchOp[] = [{op: 'test', path: `${entryPath}/${identity.field}`, value: identity.value}];
	if (oldWeight !== undefined) ops.push({op: 'test', path: `${entryPath}/weight`, value: oldWeight});
	ops.push({op: 'add', path: `${entryPath}/weight`, value: newWeight});
	return ops;
}

/**
 * The weight each entry of a list gets so the versions have `weights`: a version's share goes to its first entry
 * (its other entries get 0); entries of no version are left alone. Undefined when an entry of no version has
 * weight: the versions do not own the whole split, so whole percents of theirs cannot be written.
 */
export function entryWeights(entries: readonly WeightedEntry[], weights: Weights): Array<number | undefined> | undefined {
	if (entries.some(e => e.side === undefined && e.weight > 0)) return undefined;
	const seen = new Set<string>();
	return entries.map(e => {
		if (e.side === undefined || !(e.side in weights)) return undefined;
		if (seen.has(e.side)) return 0;
		seen.add(e.side);
		return weights[e.side];
	});
}
