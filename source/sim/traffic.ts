// Simulated traffic: how many requests per second each pod of a namespace serves. Requests enter
// through "fronts": a router object (Istio VirtualService, Gateway API HTTPRoute, SMI TrafficSplit,
// ingress-nginx main + canary Ingress, TraefikService) that splits them by weight between Services (or
// Istio subsets), or a plain Service that spreads them over its ready pods. Each router is read the way
// its data plane documents it, from the objects alone (the sim imports none of rollscope's readers).
// Pure: objects in, loads out.
import type {KObject} from './object.js';

/** Annotation on a router object or Service: requests per second it receives (default: 10 per pod behind it). */
export const demandAnnotation = 'sim.rollscope.dev/requests-per-second';
/** Requests per second a front receives per pod behind it, unless annotated. */
export const requestsPerPod = 10;
/** What a preview Service (name containing "preview") receives: a trickle of smoke tests. */
export const previewDemand = 1;

/**
 * What the simulated clients send: a plain `GET /` over HTTP, with no headers a route could match
 * on, no cookies and no query string. Header, cookie and query routes never take it.
 */
const plainRequest = {method: 'GET', path: '/', scheme: 'http'};

type Labels = Record<string, string>;

export type Destination = {
	/** The Service the requests go to (the backend's name as written when it is not a Service). */
	service: string;
	/** The Service's namespace: the router's own unless it names another. Pods of other namespaces are not in view. */
	namespace: string;
	/** Istio DestinationRule subset labels narrowing the Service's pods, when the route names a subset. */
	subset?: Labels;
	/** Why no pod can serve this destination (an undefined subset, a backend that is not a Service...): its share is lost. */
	unserved?: string;
	/** Relative weight: the destination gets weight / (sum of the front's weights) of the front's requests. */
	weight: number;
};

export type Front = {
	/** Kind/name of the object requests enter through. */
	name: string;
	destinations: Destination[];
	/** Requests per second, when the object says. */
	demand?: number;
	/** Services of the namespace the object stands for (hosts, root services) besides its destinations. */
	covers: string[];
};

export type NamespaceObjects = {namespace: string; services: KObject[]; pods: KObject[]; routers: KObject[]};

export type PodShare = {service: string; rps: number};
export type PodLoad = {pod: KObject; shares: PodShare[]};

// --- Small readers --------------------------------------------------------------------------

const list = (value: unknown): any[] => (Array.isArray(value) ? value : []);
const isRecord = (value: unknown): value is Record<string, any> => typeof value === 'object' && value !== null && !Array.isArray(value);
const text = (value: unknown): string | undefined => (typeof value === 'string' && value !== '' ? value : undefined);
const nameOf = (o: KObject) => o.metadata.name ?? '';
const sum = (values: number[]) => values.reduce((total, v) => total + v, 0);

/** The API group of an apiVersion: `networking.istio.io/v1` → `networking.istio.io`, `v1` → the core group "". */
const apiGroup = (apiVersion: string) => (apiVersion.includes('/') ? apiVersion.slice(0, apiVersion.indexOf('/')) : '');

/** An object of this kind in one of these API groups (an object without apiVersion goes by its kind). */
function isKind(o: KObject, kind: string, groups: readonly string[]): boolean {
	return o.kind === kind && (o.apiVersion === undefined || groups.includes(apiGroup(o.apiVersion)));
}

/** Oldest first, then by name: the order in which the data planes let objects win a conflict. */
function oldestFirst(a: KObject, b: KObject): number {
	const ta = a.metadata.creationTimestamp ?? '';
	const tb = b.metadata.creationTimestamp ?? '';
	if (ta !== tb) return ta < tb ? -1 : 1;
	return nameOf(a) < nameOf(b) ? -1 : nameOf(a) > nameOf(b) ? 1 : 0;
}

function annotatedDemand(o: KObject): number | undefined {
	const raw = o.metadata.annotations?.[demandAnnotation];
	const value = raw === undefined || raw.trim() === '' ? NaN : Number(raw);
	return Number.isFinite(value) && value >= 0 ? value : undefined;
}

/** A weight field that must be a non-negative number; anything else carries no traffic. */
function countWeight(raw: unknown): number {
	return typeof raw === 'number' && Number.isFinite(raw) && raw >= 0 ? raw : 0;
}

const binarySuffixes: Record<string, number> = {Ki: 2 ** 10, Mi: 2 ** 20, Gi: 2 ** 30, Ti: 2 ** 40, Pi: 2 ** 50, Ei: 2 ** 60};
const decimalSuffixes: Record<string, number> = {n: 1e-9, u: 1e-6, m: 1e-3, '': 1, k: 1e3, M: 1e6, G: 1e9, T: 1e12, P: 1e15, E: 1e18};

/** A Kubernetes resource Quantity ("500m", "90", "1.5", "2Ki", "1e3", or a JSON number) as a number; undefined if malformed. */
function quantityValue(raw: unknown): number | undefined {
	if (typeof raw === 'number') return Number.isFinite(raw) ? raw : undefined;
	if (typeof raw !== 'string') return undefined;
	const m = /^([+-]?(?:\d+(?:\.\d*)?|\.\d+))(?:([eE][+-]?\d+)|(Ki|Mi|Gi|Ti|Pi|Ei|n|u|m|k|M|G|T|P|E)?)$/.exec(raw);
	if (!m) return undefined;
	const value = Number(m[1]);
	if (m[2]) return value * 10 ** Number(m[2].slice(1));
	const suffix = m[3] ?? '';
	return value * (binarySuffixes[suffix] ?? decimalSuffixes[suffix]!);
}

/** A regular expression that must match the whole value (Envoy's and the Gateway API's full match); a bad one matches nothing. */
function fullMatch(pattern: unknown, value: string): boolean {
	if (typeof pattern !== 'string') return false;
	try {
		return new RegExp(`^(?:${pattern})$`).test(value);
	} catch {
		return false;
	}
}

// --- Kubernetes Services and pods -----------------------------------------------------------

/** Go's strconv.ParseBool true values, which annotations such as ingress-nginx's canary are read with. */
const parseBoolTrue = new Set(['1', 't', 'T', 'TRUE', 'true', 'True']);

const isTerminating = (pod: KObject) => Boolean(pod.metadata.deletionTimestamp);
const isReady = (pod: KObject) => list(pod.status?.conditions).some(c => c?.type === 'Ready' && c?.status === 'True');
/** A pod is an endpoint that takes requests when it is Ready and not terminating. */
const isServing = (pod: KObject) => !isTerminating(pod) && isReady(pod);
/** A pod that counts towards a front's default demand: not terminating and not finished. */
const isAlive = (pod: KObject) => !isTerminating(pod) && pod.status?.phase !== 'Succeeded' && pod.status?.phase !== 'Failed';

/**
 * Whether a Service selects the pod. A Service without a selector, or with an empty one (the API
 * server stores `{}` as no selector), gets no endpoints from the cluster: it selects no pods.
 */
function selects(service: KObject, pod: KObject): boolean {
	const selector = service.spec?.selector;
	if (!isRecord(selector)) return false;
	const pairs = Object.entries(selector);
	const labels = pod.metadata.labels ?? {};
	return pairs.length > 0 && pairs.every(([key, value]) => labels[key] === value);
}

/** Istio's subset test: every subset label is on the pod; a subset without labels keeps all of the Service's endpoints. */
function inSubset(subset: Labels, pod: KObject): boolean {
	const labels = pod.metadata.labels ?? {};
	return Object.entries(subset).every(([key, value]) => labels[key] === value);
}

// --- Istio ----------------------------------------------------------------------------------

const ISTIO = ['networking.istio.io'];

type ServiceRef = {service: string; namespace: string};

/**
 * The Kubernetes Service an Istio host names, read relative to the rule's namespace: `name` (a short
 * name is in the rule's own namespace), `name.namespace`, `name.namespace.svc`,
 * `name.namespace.svc.cluster.local`. Wildcards and other hosts name no Service of the cluster.
 */
function hostService(host: unknown, namespace: string): ServiceRef | undefined {
	if (typeof host !== 'string' || host === '' || host.includes('*')) return undefined;
	const [name, hostNamespace, ...rest] = host.split('.');
	if (!name) return undefined;
	if (hostNamespace === undefined) return {service: name, namespace};
	const suffix = rest.join('.');
	if (hostNamespace !== '' && (suffix === '' || suffix === 'svc' || suffix === 'svc.cluster.local')) return {service: name, namespace: hostNamespace};
	return undefined;
}

/** Istio's StringMatch (exact, prefix or regex) against a value; a match that sets none of them takes anything. ignoreCase folds exact and prefix only. */
function stringMatches(match: unknown, value: string, ignoreCase = false): boolean {
	if (!isRecord(match)) return false;
	const fold = (s: string) => (ignoreCase ? s.toLowerCase() : s);
	if (typeof match.exact === 'string') return fold(match.exact) === fold(value);
	if (typeof match.prefix === 'string') return fold(value).startsWith(fold(match.prefix));
	if (typeof match.regex === 'string') return fullMatch(match.regex, value);
	return true;
}

/** Whether one HTTPMatchRequest takes a plain request arriving through these gateways ("mesh" for sidecars). */
function istioMatchApplies(match: unknown, gateways: string[]): boolean {
	if (!isRecord(match)) return false;
	for (const [field, value] of Object.entries(match)) {
		if (value === undefined || value === null) continue;
		switch (field) {
			case 'name':
			case 'statPrefix':
			case 'ignoreUriCase':
				continue;
			case 'uri':
				if (!stringMatches(value, plainRequest.path, match.ignoreUriCase === true)) return false;
				continue;
			case 'method':
				if (!stringMatches(value, plainRequest.method)) return false;
				continue;
			case 'scheme':
				if (!stringMatches(value, plainRequest.scheme)) return false;
				continue;
			case 'headers':
			case 'queryParams':
				// A plain request carries none of the headers or parameters a route asks for.
				if (isRecord(value) && Object.keys(value).length > 0) return false;
				continue;
			case 'withoutHeaders':
				// ...so a route that asks for their absence takes it.
				continue;
			case 'gateways':
				if (list(value).length > 0 && !list(value).some(g => gateways.includes(g))) return false;
				continue;
			default:
				// authority, port, sourceLabels, sourceNamespace: the simulated clients give nothing to match them.
				return false;
		}
	}
	return true;
}

/** An http route takes a plain request when it has no match, or one of its match conditions applies (they are ORed). */
function istioRouteApplies(route: Record<string, any>, gateways: string[]): boolean {
	const matches = list(route.match);
	return matches.length === 0 || matches.some(m => istioMatchApplies(m, gateways));
}

function destinationRules(ns: NamespaceObjects): KObject[] {
	return ns.routers.filter(o => isKind(o, 'DestinationRule', ISTIO)).sort(oldestFirst);
}

/** A subset's labels from the DestinationRules whose host is that Service (the oldest that defines it); undefined when none does. */
function subsetLabels(target: ServiceRef, subset: string, ns: NamespaceObjects): Labels | undefined {
	for (const rule of destinationRules(ns)) {
		const host = hostService(rule.spec?.host, rule.metadata.namespace ?? ns.namespace);
		if (!host || host.service !== target.service || host.namespace !== target.namespace) continue;
		const found = list(rule.spec?.subsets).find(s => s?.name === subset);
		if (found) return isRecord(found.labels) ? found.labels : {};
	}
	return undefined;
}

/**
 * A VirtualService: the first http route (in order) that takes a plain request splits it between its
 * destinations by weight; a lone destination takes everything whatever its weight. A subset no
 * DestinationRule defines has no endpoints (Istio answers 503).
 */
function virtualServiceFront(vs: KObject, ns: NamespaceObjects): Front {
	const namespace = vs.metadata.namespace ?? ns.namespace;
	const bound = list(vs.spec?.gateways).filter((g): g is string => typeof g === 'string');
	const gateways = bound.length > 0 ? bound : ['mesh'];
	const taken = list(vs.spec?.http).find(h => isRecord(h) && istioRouteApplies(h, gateways));
	const route = list(taken?.route);
	const destinations = route.map((r): Destination => {
		const weight = route.length === 1 ? 1 : countWeight(r?.weight);
		const host = r?.destination?.host;
		const target = hostService(host, namespace);
		if (!target) return {service: String(host ?? ''), namespace: '', weight, unserved: 'not a Kubernetes Service'};
		const subset = text(r.destination.subset);
		if (subset === undefined) return {...target, weight};
		const labels = subsetLabels(target, subset, ns);
		return labels ? {...target, subset: labels, weight} : {...target, weight, unserved: `no DestinationRule defines subset "${subset}"`};
	});
	const covers = list(vs.spec?.hosts)
		.map(h => hostService(h, namespace))
		.filter((s): s is ServiceRef => s !== undefined && s.namespace === ns.namespace)
		.map(s => s.service);
	return {name: `VirtualService/${nameOf(vs)}`, destinations, demand: annotatedDemand(vs), covers};
}

// --- Gateway API ----------------------------------------------------------------------------

const GATEWAY = ['gateway.networking.k8s.io'];

/** PathPrefix matches whole path elements: "/" takes everything, "/foo" takes "/foo" and "/foo/bar" but not "/foobar". */
function pathPrefixMatches(prefix: string, path: string): boolean {
	const trimmed = prefix.replace(/\/+$/, '');
	return trimmed === '' || path === trimmed || path.startsWith(`${trimmed}/`);
}

/**
 * How strongly an HTTPRouteMatch takes a plain request, for the spec's precedence (exact path, then
 * the longest prefix, then a method match); undefined when it does not take it. A match without a
 * path is PathPrefix "/". Regular expressions rank below both (their precedence is left to implementations).
 */
function httpRouteMatchRank(match: unknown): number[] | undefined {
	if (!isRecord(match)) return undefined;
	if (list(match.headers).length > 0 || list(match.queryParams).length > 0) return undefined;
	if (match.method !== undefined && match.method !== plainRequest.method) return undefined;
	const path = isRecord(match.path) ? match.path : {};
	const type = path.type ?? 'PathPrefix';
	const value = typeof path.value === 'string' ? path.value : '/';
	const method = match.method === undefined ? 0 : 1;
	if (type === 'Exact') return value === plainRequest.path ? [2, value.length, method] : undefined;
	if (type === 'PathPrefix') return pathPrefixMatches(value, plainRequest.path) ? [1, value.length, method] : undefined;
	if (type === 'RegularExpression') return fullMatch(value, plainRequest.path) ? [0, 0, method] : undefined;
	return undefined;
}

const higher = (a: number[], b: number[]) => {
	for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return a[i]! > b[i]!;
	return false;
};

/** A backendRef: kind Service of the core group by default, in the route's namespace by default, weight 1 by default. */
function backendRefDestination(ref: unknown, namespace: string): Destination {
	const r = isRecord(ref) ? ref : {};
	const weight = r.weight === undefined ? 1 : countWeight(r.weight);
	const service = text(r.name) ?? '';
	const target = {service, namespace: text(r.namespace) ?? namespace};
	const kind = r.kind ?? 'Service';
	const group = r.group ?? '';
	if (kind !== 'Service' || group !== '' || service === '') return {...target, weight, unserved: `${group === '' ? '' : `${group}/`}${kind} "${service}" is not a Service`};
	return {...target, weight};
}

/** An HTTPRoute: of the rules whose matches take a plain request, the one with the most specific match (ties: the first) splits it by weight; weight 0 gets nothing. */
function httpRouteFront(route: KObject, ns: NamespaceObjects): Front {
	const namespace = route.metadata.namespace ?? ns.namespace;
	let best: {rule: Record<string, any>; rank: number[]} | undefined;
	for (const rule of list(route.spec?.rules)) {
		if (!isRecord(rule)) continue;
		const matches = list(rule.matches).length > 0 ? list(rule.matches) : [{}];
		for (const match of matches) {
			const rank = httpRouteMatchRank(match);
			if (rank && (!best || higher(rank, best.rank))) best = {rule, rank};
		}
	}
	const destinations = list(best?.rule.backendRefs).map(ref => backendRefDestination(ref, namespace));
	// A route attached to a Service (the mesh, GAMMA) stands for that Service.
	const covers = list(route.spec?.parentRefs)
		.filter(p => isRecord(p) && p.kind === 'Service' && (p.group ?? '') === '' && (text(p.namespace) ?? namespace) === ns.namespace && text(p.name))
		.map(p => p.name as string);
	return {name: `HTTPRoute/${nameOf(route)}`, destinations, demand: annotatedDemand(route), covers};
}

// --- SMI ------------------------------------------------------------------------------------

const SMI = ['split.smi-spec.io'];

/** A TrafficSplit: requests for the root spec.service go to the backends by weight (v1alpha1: Quantities such as "500m"; later versions: integers). */
function trafficSplitFront(split: KObject, ns: NamespaceObjects): Front {
	const namespace = split.metadata.namespace ?? ns.namespace;
	const quantities = split.apiVersion === undefined || split.apiVersion.endsWith('/v1alpha1');
	const destinations = list(split.spec?.backends).map((b): Destination => {
		const weight = quantities ? Math.max(0, quantityValue(b?.weight) ?? 0) : countWeight(b?.weight);
		const service = text(b?.service);
		return service ? {service, namespace, weight} : {service: '', namespace, weight, unserved: 'a backend without a service'};
	});
	const root = text(split.spec?.service);
	return {name: `TrafficSplit/${nameOf(split)}`, destinations, demand: annotatedDemand(split), covers: root ? [root] : []};
}

// --- Traefik --------------------------------------------------------------------------------

const TRAEFIK = ['traefik.io', 'traefik.containo.us'];

const isTraefikService = (o: KObject) => isKind(o, 'TraefikService', TRAEFIK);

/** The services a TraefikService sends requests to: its weighted services (weight 1 by default), or a mirroring's main service. */
function traefikEntries(service: KObject): any[] {
	if (isRecord(service.spec?.weighted)) return list(service.spec.weighted.services);
	if (isRecord(service.spec?.mirroring)) return [{...service.spec.mirroring, weight: 1}];
	return [];
}

/** Destinations of a TraefikService, a nested TraefikService of the namespace splitting its share again. */
function traefikDestinations(service: KObject, ns: NamespaceObjects, seen: ReadonlySet<string>): Destination[] {
	const namespace = service.metadata.namespace ?? ns.namespace;
	const out: Destination[] = [];
	for (const entry of traefikEntries(service)) {
		const weight = entry?.weight === undefined ? 1 : countWeight(entry.weight);
		const target = {service: text(entry?.name) ?? '', namespace: text(entry?.namespace) ?? namespace};
		const kind = entry?.kind ?? 'Service';
		if (kind === 'Service') {
			out.push(target.service ? {...target, weight} : {...target, weight, unserved: 'a service without a name'});
			continue;
		}
		const child = kind === 'TraefikService' && target.namespace === ns.namespace && !seen.has(target.service)
			? ns.routers.find(o => isTraefikService(o) && nameOf(o) === target.service)
			: undefined;
		const inner = child ? traefikDestinations(child, ns, new Set([...seen, target.service])) : [];
		const total = sum(inner.map(d => d.weight));
		if (total > 0) out.push(...inner.map(d => ({...d, weight: (weight * d.weight) / total})));
		else out.push({...target, weight, unserved: `${kind} "${target.service}" sends nowhere`});
	}
	return out;
}

/** TraefikServices of the namespace that another one uses: they take requests through it, not on their own. */
function nestedTraefikServices(ns: NamespaceObjects): Set<string> {
	const nested = new Set<string>();
	for (const o of ns.routers) {
		if (!isTraefikService(o)) continue;
		for (const entry of traefikEntries(o)) {
			if (entry?.kind === 'TraefikService' && (text(entry.namespace) ?? o.metadata.namespace ?? ns.namespace) === ns.namespace && text(entry.name) !== nameOf(o)) nested.add(entry.name);
		}
	}
	return nested;
}

function traefikFront(service: KObject, ns: NamespaceObjects): Front {
	return {name: `TraefikService/${nameOf(service)}`, destinations: traefikDestinations(service, ns, new Set([nameOf(service)])), demand: annotatedDemand(service), covers: []};
}

// --- ingress-nginx --------------------------------------------------------------------------

const INGRESS = ['networking.k8s.io', 'extensions'];
const CANARY = 'nginx.ingress.kubernetes.io/canary';
const CANARY_WEIGHT = 'nginx.ingress.kubernetes.io/canary-weight';
const CANARY_WEIGHT_TOTAL = 'nginx.ingress.kubernetes.io/canary-weight-total';

const isIngress = (o: KObject) => isKind(o, 'Ingress', INGRESS);
const isCanaryIngress = (o: KObject) => isIngress(o) && parseBoolTrue.has(o.metadata.annotations?.[CANARY] ?? '');

/** The Service of an Ingress backend (v1 `service.name`, v1beta1 `serviceName`); undefined for a resource backend. */
function backendService(backend: unknown): string | undefined {
	if (!isRecord(backend)) return undefined;
	return text(backend.service?.name) ?? text(backend.serviceName);
}

/** One place requests reach through an Ingress: a host ("" for any host) and a path, and the Service behind it. */
type IngressEntry = {host: string; path: string; service: string | undefined};

/**
 * Where an Ingress takes requests: each path of each rule, and its default backend, which serves the
 * "/" of each of its hosts that no path claims, or every host when the Ingress has no rules.
 */
function ingressEntries(ingress: KObject): IngressEntry[] {
	const rules = list(ingress.spec?.rules);
	const defaultBackend = ingress.spec?.defaultBackend ?? ingress.spec?.backend;
	const entries: IngressEntry[] = [];
	const add = (entry: IngressEntry) => {
		if (!entries.some(e => e.host === entry.host && e.path === entry.path)) entries.push(entry);
	};
	const hosts = rules.map(rule => text(rule?.host) ?? '');
	rules.forEach((rule, i) => {
		for (const path of list(rule?.http?.paths)) add({host: hosts[i]!, path: text(path?.path) ?? '/', service: backendService(path?.backend)});
	});
	if (defaultBackend !== undefined) {
		for (const host of rules.length > 0 ? hosts : ['']) add({host, path: '/', service: backendService(defaultBackend)});
	}
	return entries;
}

/** A whole number as ingress-nginx reads an integer annotation (Go's strconv.Atoi), else the fallback. */
function annotationInteger(raw: string | undefined, fallback: number): number {
	return raw !== undefined && /^[+-]?\d+$/.test(raw) ? Number(raw) : fallback;
}

/**
 * The canary Ingress (the oldest) with the same host and path as an entry of the main Ingress, and the
 * Service it offers there: a path of its rules, or its default backend for requests to any host.
 */
function canaryFor(entry: IngressEntry, canaries: KObject[]): {canary: KObject; service: string | undefined} | undefined {
	for (const canary of canaries) {
		for (const rule of list(canary.spec?.rules)) {
			if ((text(rule?.host) ?? '') !== entry.host) continue;
			const path = list(rule?.http?.paths).find(p => (text(p?.path) ?? '/') === entry.path);
			if (path) return {canary, service: backendService(path.backend)};
		}
		const fallback = canary.spec?.defaultBackend ?? canary.spec?.backend;
		if (entry.host === '' && fallback !== undefined) return {canary, service: backendService(fallback)};
	}
	return undefined;
}

/**
 * A main Ingress: its clients spread evenly over its paths and default backend. Where a canary Ingress
 * serves the same host and path, canary-weight of canary-weight-total (default 100) goes to the
 * canary's Service. canary-by-header and canary-by-cookie take only requests carrying them, which plain
 * clients do not: they fall through to the weight.
 */
function ingressFront(main: KObject, ns: NamespaceObjects): Front | undefined {
	const namespace = main.metadata.namespace ?? ns.namespace;
	const entries = ingressEntries(main);
	if (entries.length === 0) return undefined;
	const canaries = ns.routers.filter(isCanaryIngress).sort(oldestFirst);
	const destination = (service: string | undefined, weight: number): Destination =>
		service ? {service, namespace, weight} : {service: '', namespace, weight, unserved: 'a backend that is not a Service'};
	const destinations: Destination[] = [];
	for (const entry of entries) {
		const share = 1 / entries.length;
		const canary = canaryFor(entry, canaries);
		let canaryShare = 0;
		if (canary) {
			const annotations = canary.canary.metadata.annotations ?? {};
			const total = annotationInteger(annotations[CANARY_WEIGHT_TOTAL], 100);
			const weight = annotationInteger(annotations[CANARY_WEIGHT], 0);
			canaryShare = total > 0 ? Math.min(Math.max(weight, 0), total) / total : 0;
			if (canaryShare > 0) destinations.push(destination(canary.service, share * canaryShare));
		}
		if (canaryShare < 1) destinations.push(destination(entry.service, share * (1 - canaryShare)));
	}
	return {name: `Ingress/${nameOf(main)}`, destinations, demand: annotatedDemand(main), covers: []};
}

// --- Routing --------------------------------------------------------------------------------

/** Router objects that take requests in, one front each. DestinationRules, canary Ingresses and nested TraefikServices are read through the others. */
export function routerFronts(ns: NamespaceObjects): Front[] {
	const nested = nestedTraefikServices(ns);
	const fronts: Array<Front | undefined> = [];
	for (const o of ns.routers) {
		if (isKind(o, 'VirtualService', ISTIO)) fronts.push(virtualServiceFront(o, ns));
		else if (isKind(o, 'HTTPRoute', GATEWAY)) fronts.push(httpRouteFront(o, ns));
		else if (isKind(o, 'TrafficSplit', SMI)) fronts.push(trafficSplitFront(o, ns));
		else if (isTraefikService(o) && !nested.has(nameOf(o)) && traefikEntries(o).length > 0) fronts.push(traefikFront(o, ns));
		else if (isIngress(o) && !isCanaryIngress(o)) fronts.push(ingressFront(o, ns));
	}
	return fronts.filter((f): f is Front => f !== undefined);
}

/** Requests per second each pod of the namespace serves, and through which Service. Pods with no traffic have no shares. */
export function routeTraffic(ns: NamespaceObjects): PodLoad[] {
	const services = new Map(ns.services.map(s => [nameOf(s), s]));
	const loads = new Map<KObject, PodShare[]>(ns.pods.map(p => [p, []]));
	const fronts = routerFronts(ns);
	const routed = new Set<KObject>();
	const covered = new Set<string>();
	const local = (d: Destination) => d.unserved === undefined && d.namespace === ns.namespace;
	for (const front of fronts) {
		for (const d of front.destinations) if (local(d)) covered.add(d.service);
		for (const s of front.covers) covered.add(s);
	}
	/** Pods behind a destination: selected by its Service (and subset), in this namespace. */
	const podsOf = (d: Destination, test: (pod: KObject) => boolean) => {
		const service = local(d) ? services.get(d.service) : undefined;
		if (!service) return [];
		return ns.pods.filter(p => test(p) && selects(service, p) && (!d.subset || inSubset(d.subset, p)));
	};

	const spread = (front: Front, fallbackDemand: (alive: number) => number) => {
		const alive = new Set(front.destinations.flatMap(d => podsOf(d, isAlive)));
		const demand = front.demand ?? fallbackDemand(alive.size);
		const total = sum(front.destinations.map(d => Math.max(0, d.weight)));
		if (!(total > 0) || !(demand > 0)) return;
		for (const d of front.destinations) {
			// A destination with no serving pod loses its share (the data plane answers 503).
			const serving = podsOf(d, isServing);
			if (serving.length === 0 || !(d.weight > 0)) continue;
			const each = (demand * d.weight) / total / serving.length;
			for (const pod of serving) {
				routed.add(pod);
				const shares = loads.get(pod)!;
				const same = shares.find(s => s.service === d.service);
				if (same) same.rps += each;
				else shares.push({service: d.service, rps: each});
			}
		}
	};

	for (const front of fronts) spread(front, alive => requestsPerPod * Math.max(1, alive));
	// Services no router stands for take requests of their own, unless every pod they select is routed already.
	for (const service of [...services.values()].sort((a, b) => (nameOf(a) < nameOf(b) ? -1 : 1))) {
		const name = nameOf(service);
		if (covered.has(name)) continue;
		const selected = ns.pods.filter(p => isServing(p) && selects(service, p));
		if (selected.length > 0 && selected.every(p => routed.has(p))) continue;
		const preview = name.toLowerCase().includes('preview');
		const front: Front = {name: `Service/${name}`, destinations: [{service: name, namespace: ns.namespace, weight: 1}], demand: annotatedDemand(service), covers: []};
		spread(front, alive => (preview ? previewDemand : requestsPerPod * Math.max(1, alive)));
	}
	return ns.pods.map(pod => ({pod, shares: loads.get(pod)!}));
}
