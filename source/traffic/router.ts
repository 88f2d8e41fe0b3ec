// The one small interface every router module implements: read the stable/canary weights from the
// object that holds them, and produce the JSON Patch that sets them.
import {managedBy} from './managed.js';
import type {KObject} from '../kube/object.js';

/** What moves a release's traffic: a router module's name (also the --router choice), or a lever without a router object. */
export type RouterKind =
	| 'istio'
	| 'gateway-api'
	| 'smi'
	| 'nginx'
	| 'traefik'
	| 'replicas'
	| 'service-selector'
	| 'deployment';

/** A resource a router reads weights from (or needs beside them), with the API versions it may be served in, preferred first. */
export type WatchedResource = {kind: string; resource: string; groupVersions: readonly string[]};

/** How one side of a canary pair is recognised in router objects. */
export type Side = {
	/** Version id: the Deployment name. */
	id: string;
	/** Labels of the side's pod template (matched by Istio DestinationRule subsets). */
	labels: Record<string, string>;
	/** Services that select this side only (named by hosts and backends). */
	services: string[];
};

export type Sides = {stable: Side; canary: Side};
export type SideName = keyof Sides;

/** What a router may look at besides its own object: the namespace, and the other router objects (DestinationRules, main Ingresses). */
export type RouterContext = {namespace: string; objects: KObject[]};

/** Percent of traffic each side gets. */
export type Weights = {stable: number; canary: number};

export type WeightReading = {
	router: RouterKind;
	/** The object holding the weights, as Kind/name. */
	object: string;
	weights: Weights;
	/** The controller that owns the object ('argo-rollouts', 'flagger'), which would undo a direct patch. */
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
	/** The weights, or undefined when the object does not split traffic between these two sides. */
	read(obj: KObject, sides: Sides, ctx: RouterContext): WeightReading | undefined;
	/**
	 * The JSON Patch (application/json-patch+json) that sets canary = W and stable = 100 − W, with `test`
	 * operations on the destinations and on the old weights, so a concurrent change makes the patch fail (422).
	 * Undefined when the object does not split traffic between these two sides.
	 */
	setWeightPatch(obj: KObject, sides: Sides, ctx: RouterContext, canaryWeight: number): JsonPatchOp[] | undefined;
}

/** A JSON Pointer from segments, escaping `~` and `/`. */
export function pointer(...segments: Array<string | number>): string {
	return segments.map(s => '/' + String(s).replaceAll('~', '~0').replaceAll('/', '~1')).join('');
}

/** Throws unless the weight is an integer percent. */
export function checkWeight(canaryWeight: number): void {
	if (!Number.isInteger(canaryWeight) || canaryWeight < 0 || canaryWeight > 100) {
		throw new RangeError(`canary weight must be an integer from 0 to 100, got ${canaryWeight}`);
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
export function readingOf(router: RouterKind, obj: KObject, weights: WeightReading['weights']): WeightReading {
	const reading: WeightReading = {router, object: objectRef(obj), weights};
	const controller = managedBy(obj);
	if (controller) reading.managedBy = controller;
	return reading;
}

/** Which side a Service name belongs to. */
export function sideOfService(name: unknown, sides: Sides): SideName | undefined {
	if (typeof name !== 'string') return undefined;
	if (sides.stable.services.includes(name)) return 'stable';
	if (sides.canary.services.includes(name)) return 'canary';
	return undefined;
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

/** An entry of a weighted list (route destination, backendRef, ...) with its side and effective weight. */
export type WeightedEntry = {side?: SideName; weight: number};

/** Percent per side over all entries of one list; undefined unless both sides appear. */
export function weightsOf(entries: WeightedEntry[]): Weights | undefined {
	if (!entries.some(e => e.side === 'stable') || !entries.some(e => e.side === 'canary')) return undefined;
	const total = entries.reduce((sum, e) => sum + Math.max(0, e.weight), 0);
	const sum = (side: SideName) => entries.filter(e => e.side === side).reduce((s, e) => s + Math.max(0, e.weight), 0);
	return {stable: percent(sum('stable'), total), canary: percent(sum('canary'), total)};
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

/** The integer weight pair written for canary = W: Argo and Flagger write the same. */
export function weightPair(canaryWeight: number): Weights {
	checkWeight(canaryWeight);
	return {stable: 100 - canaryWeight, canary: canaryWeight};
}
