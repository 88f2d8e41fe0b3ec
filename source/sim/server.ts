// The simulated cluster's API server: the real Kubernetes wire protocol over HTTPS on loopback, with
// credentials checked and rights enforced, good enough for kubectl and @kubernetes/client-node unmodified.
import http from 'node:http';
import http2 from 'node:http2';
import type {AddressInfo, Socket} from 'node:net';
import {gzipSync} from 'node:zlib';
import {parse as parseYaml} from 'yaml';
import {authenticate, authorize, browserRefusal, requestHost, userOf, type User} from './auth.js';
import type {SimCredentials} from './credentials.js';
import {aggregatedContentType, aggregatedDiscovery, aggregatedDiscoveryVersion, apiGroupList, apiGroupOf, apiResourceList, apiVersions, openApiGroupVersion, openApiRoot, openApiV2, versionInfo} from './discovery.js';
import {ApiError, badRequest, conflict, forbidden, invalid, methodNotAllowed, notFound, pathNotFound, tooLargeResourceVersion, unauthorized, unsupportedMediaType} from './errors.js';
import {toCoreEvent} from './event-versions.js';
import {waitUntilFresh} from './freshness.js';
import {clone, type KObject} from './object.js';
import {encodeOpenApiV2, openApiV2ProtobufType} from './openapi-v2.js';
import {applyJsonPatch, applyMergePatch, applyStrategicMergePatch, parsePatchBody} from './patch.js';
import {protobufMediaType, ProtobufError} from './protobuf.js';
import {decodeKubernetesObject, readsProtobuf} from './protobuf-types.js';
import {apiVersionOf, storageKey} from './resources.js';
import {scaleOf, withReplicas} from './scale.js';
import {queryBool} from './query.js';
import {answerReview, reviewKinds} from './reviews.js';
import {SERIES_PATH, type MetricsHistory} from './metrics-history.js';
import type {ObjectStore} from './store.js';
import {toTable} from './table.js';
import {validate, withDefaults} from './validation.js';
import {asVersion, includeObject, selected, type Request} from './request.js';
import {ListPages} from './list-pages.js';
import {Inflight, tooManyRequests, type InflightLimits} from './inflight.js';
import {serveWatch} from './watch.js';

const json = 'application/json';
const tableType = 'application/json;as=Table;v=v1;g=meta.k8s.io';

/**
 * Answers from this size on are gzipped (at level 1) for a client that accepts gzip, as kube-apiserver's
 * response compression does (on by default since 1.16; watches are not compressed).
 */
const GZIP_FROM_BYTES = 128 * 1024;

/** Whether an Accept-Encoding header takes gzip (and not at q=0). */
export function acceptsGzip(header: string | undefined): boolean {
	return (header ?? '').split(',').some(part => {
		const [name, ...params] = part.split(';').map(p => p.trim().toLowerCase());
		const q = params.find(p => p.startsWith('q='));
		return (name === 'gzip' || name === '*') && (q === undefined || Number(q.slice(2)) > 0);
	});
}

function send(res: http.ServerResponse, code: number, body: unknown, contentType = json, extra: Record<string, string> = {}): void {
	const text = typeof body === 'string' ? body : JSON.stringify(body);
	const headers = {'Content-Type': contentType, 'Cache-Control': 'no-cache, private', ...extra};
	if (Buffer.byteLength(text) >= GZIP_FROM_BYTES && acceptsGzip(res.req?.headers['accept-encoding'])) {
		const zipped = gzipSync(text, {level: 1});
		res.writeHead(code, {...headers, 'Content-Encoding': 'gzip', Vary: 'Accept-Encoding', 'Content-Length': zipped.length});
		res.end(zipped);
		return;
	}
	res.writeHead(code, {...headers, 'Content-Length': Buffer.byteLength(text)});
	res.end(text);
}

/** /openapi/v2 in protobuf when asked for it (client-go always is), else in JSON. */
function sendOpenApiV2(res: http.ServerResponse, store: ObjectStore, accept: string): void {
	const doc = openApiV2(store.resources);
	if (!accept.includes('protobuf')) return send(res, 200, doc);
	const body = encodeOpenApiV2(doc);
	res.writeHead(200, {'Content-Type': openApiV2ProtobufType, 'Content-Length': body.length, 'Cache-Control': 'no-cache, private'});
	res.end(body);
}

function sendError(res: http.ServerResponse, error: ApiError): void {
	if (res.headersSent) {
		res.end();
		return;
	}
	// As kube-apiserver's ErrorNegotiated: a Status that says when to retry says it in Retry-After too.
	const retryAfter = error.details?.retryAfterSeconds;
	send(res, error.code, error.toStatus(), json, retryAfter && retryAfter > 0 ? {'Retry-After': String(retryAfter)} : {});
}

async function readBytes(req: http.IncomingMessage, limit = 3 * 1024 * 1024): Promise<Buffer> {
	const chunks: Buffer[] = [];
	let size = 0;
	for await (const chunk of req) {
		size += (chunk as Buffer).length;
		if (size > limit) throw new ApiError(413, 'RequestEntityTooLarge', 'the request body is too large');
		chunks.push(chunk as Buffer);
	}
	return Buffer.concat(chunks);
}

async function readBody(req: http.IncomingMessage): Promise<string> {
	return (await readBytes(req)).toString('utf8');
}

function parseJsonBody(text: string): any {
	if (text.trim() === '') throw badRequest('the request body is empty');
	try {
		return JSON.parse(text);
	} catch (error) {
		throw badRequest(`the request body is not valid JSON: ${(error as Error).message}`);
	}
}

function parseYamlBody(text: string): any {
	if (text.trim() === '') throw badRequest('the request body is empty');
	try {
		return parseYaml(text);
	} catch (error) {
		throw badRequest(`the request body is not valid YAML: ${(error as Error).message.split('\n')[0]}`);
	}
}

/**
 * The object in a create or update body, by its Content-Type as kube-apiserver negotiates it: JSON (also when
 * none is given), YAML, or for built-in kinds Kubernetes protobuf (what kubectl create sends); else 415.
 * Protobuf status writes are refused too: the field tables do not hold status, and dropping it would wipe it.
 */
async function readObjectBody(req: http.IncomingMessage, request: Request): Promise<any> {
	const mediaType = String(req.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase() || json;
	const {resource, subresource} = request;
	const protobuf = resource.builtin && subresource !== 'status' && readsProtobuf(subresource === 'scale' ? 'autoscaling/v1' : apiVersionOf(resource), subresource === 'scale' ? 'Scale' : resource.kind);
	const accepted = [json, 'application/yaml', ...(protobuf ? [protobufMediaType] : [])];
	if (!accepted.includes(mediaType)) throw unsupportedMediaType(accepted);
	const body = await readBytes(req);
	if (mediaType === json) return parseJsonBody(body.toString('utf8'));
	if (mediaType === 'application/yaml') return parseYamlBody(body.toString('utf8'));
	try {
		return decodeKubernetesObject(body);
	} catch (error) {
		if (error instanceof ProtobufError) throw badRequest(`the protobuf body cannot be read: ${error.message}`);
		throw error;
	}
}

/** Split `/api/v1/...` and `/apis/G/V/...` into a request on a resource, or undefined. */
function route(pathname: string): {group: string; version: string; rest: string[]} | undefined {
	const segs = pathname.split('/').filter(Boolean);
	if (segs[0] === 'api' && segs.length >= 2) return {group: '', version: segs[1]!, rest: segs.slice(2)};
	if (segs[0] === 'apis' && segs.length >= 3) return {group: segs[1]!, version: segs[2]!, rest: segs.slice(3)};
	return undefined;
}

export type ApiServer = {url: string; port: number; /** How many requests it serves at once, and those it refused. */ inflight: Inflight; close(): Promise<void>};

export type ApiServerOptions = {
	port?: number;
	host?: string;
	/** The CA-signed serving certificate, the client CA, and the users with their tokens. */
	credentials: SimCredentials;
	/**
	 * Plain HTTP instead of HTTPS, like kube-apiserver's old insecure port: a request without credentials acts
	 * as admin (kubectl sends no token over plain HTTP). Only on explicit request.
	 */
	plainHttp?: boolean;
	/** Time between BOOKMARK events on watches that allow them; default 60 s, as real API servers. */
	bookmarkIntervalMs?: number;
	/** The Kubernetes 1.x minor /version reports (default 33); the machine's kubectl picks its client (1.27-1.33) by it. */
	minorVersion?: number;
	/** Names besides loopback addresses accepted as Host (SimOptions.hostNames). */
	hostNames?: readonly string[];
	/** Requests served at once, past which a request is answered 429 (inflight.ts); kube-apiserver's defaults unless given. */
	inflight?: InflightLimits;
	/**
	 * kube-apiserver's --goaway-chance: the share of HTTP/2 requests (not watches) after whose answer the server
	 * sends GOAWAY, so that clients spread over the servers of a cluster; the streams already open (watches) run
	 * on. 0 (none) unless given; kube-apiserver allows up to 0.02, the sim up to 1 (every answer, for tests).
	 */
	goawayChance?: number;
	/**
	 * The sim's own series, per version once a second, for clients without a Prometheus (rollscope gate): served
	 * to any authenticated user at GET /rollscope-sim/v1/series?since=MS; asking starts the recording.
	 */
	series?: MetricsHistory;
};


export async function startApiServer(store: ObjectStore, options: ApiServerOptions): Promise<ApiServer> {
	if (options.bookmarkIntervalMs !== undefined && !(options.bookmarkIntervalMs >= 1)) throw new Error(`bookmarkIntervalMs must be at least 1 ms, not ${options.bookmarkIntervalMs}`);
	if (options.minorVersion !== undefined && !(Number.isInteger(options.minorVersion) && options.minorVersion >= 0)) throw new Error(`minorVersion must be a whole number, not ${options.minorVersion}`);
	const host = options.host ?? '127.0.0.1';
	const sockets = new Set<Socket>();
	const pages = new ListPages();
	const inflight = new Inflight(options.inflight);
	const goawayChance = options.goawayChance ?? 0;
	if (!(goawayChance >= 0 && goawayChance <= 1)) throw new Error(`goawayChance must be between 0 and 1, not ${options.goawayChance}`);
	// HTTP/2's compatibility API gives a request and a response with what the handler reads (headers, url,
	// method, the body stream, the TLS socket), so one handler serves both protocols.
	const handler = (request: http.IncomingMessage | http2.Http2ServerRequest, response: http.ServerResponse | http2.Http2ServerResponse) => {
		const req = request as http.IncomingMessage;
		const res = response as http.ServerResponse;
		if (goawayChance > 0 && 'stream' in request && queryBool(new URL(request.url, 'http://sim').searchParams, 'watch') !== true && Math.random() < goawayChance) {
			// Graceful, as Go's server after an answer that says Connection: close: GOAWAY, and open streams finish.
			const session = request.stream.session;
			response.once('finish', () => session?.close());
		}
		handle(store, req, res, options, {pages, inflight}).catch(error => {
			sendError(res, error instanceof ApiError ? error : new ApiError(500, 'InternalError', `Internal error occurred: ${(error as Error).message}`));
		});
	};
	const {serving, clientCa} = options.credentials;
	// A client certificate is asked for, not required; one not signed by the client CA fails authentication (401).
	// Over TLS, HTTP/2 for a client that offers it (as a kube-apiserver: kubectl, client-go and undici all take it,
	// so every watch and list shares one connection) and HTTP/1.1 for one that does not.
	const server = options.plainHttp
		? http.createServer(handler)
		: http2.createSecureServer({cert: serving.cert, key: serving.key, ca: clientCa.cert, requestCert: true, rejectUnauthorized: false, allowHTTP1: true}, handler);
	server.on('connection', (s: Socket) => {
		sockets.add(s);
		s.on('close', () => sockets.delete(s));
	});
	// For HTTP/1.1 connections (the HTTP/2 server hands those to the same connection code as http.Server).
	(server as http.Server).keepAliveTimeout = 60_000;
	await new Promise<void>((resolve, reject) => {
		server.once('error', reject);
		server.listen(options.port ?? 0, host, () => resolve());
	});
	const port = (server.address() as AddressInfo).port;
	return {
		url: `${options.plainHttp ? 'http' : 'https'}://${host}:${port}`,
		port,
		inflight,
		close: () =>
			new Promise<void>(resolve => {
				server.close(() => resolve());
				for (const s of sockets) s.destroy();
			}),
	};
}

const openPaths = new Set(['/healthz', '/readyz', '/livez', '/version']);

/**
 * Who the request speaks for: undefined for an anonymous read of health or version (open as on a default
 * kube-apiserver). Throws 403 for a web page's request, 401 for bad credentials or none elsewhere.
 */
function caller(req: http.IncomingMessage, path: string, options: ApiServerOptions): User | undefined {
	const refusal = browserRefusal(req.headers, options.hostNames);
	if (refusal) throw new ApiError(403, 'Forbidden', `forbidden: ${refusal}`);
	const user = authenticate(req, options.credentials.accounts);
	if (user === 'unauthorized') throw unauthorized();
	if (user !== 'anonymous') return user;
	if (options.plainHttp) return userOf(options.credentials.accounts.find(a => a.name === 'admin')!);
	if (openPaths.has(path)) return undefined;
	throw unauthorized();
}

/** What one server keeps across requests. */
type ServerState = {pages: ListPages; inflight: Inflight};

async function handle(store: ObjectStore, req: http.IncomingMessage, res: http.ServerResponse, options: ApiServerOptions, {pages, inflight}: ServerState): Promise<void> {
	const url = new URL(req.url ?? '/', 'http://sim');
	const path = url.pathname.replace(/\/+$/, '') || '/';
	const method = req.method ?? 'GET';
	const user = caller(req, path, options);

	if (path === '/healthz' || path === '/readyz' || path === '/livez') return send(res, 200, 'ok', 'text/plain; charset=utf-8');
	if (path === '/version') return send(res, 200, versionInfo(options.minorVersion));
	if (!user) throw unauthorized();
	if (!inflight.admit(method, user, method === 'GET' && queryBool(url.searchParams, 'watch') === true, res)) return tooManyRequests(res);

	if (path === SERIES_PATH && method === 'GET' && options.series) {
		options.series.start();
		const since = Number(url.searchParams.get('since') ?? 0);
		return send(res, 200, {samples: options.series.since(Number.isFinite(since) ? since : 0)});
	}

	if (method === 'GET') {
		const aggregated = aggregatedDiscoveryVersion(String(req.headers.accept ?? ''));
		if ((path === '/api' || path === '/apis') && aggregated) return send(res, 200, aggregatedDiscovery(store.resources, path === '/api', aggregated), aggregatedContentType(aggregated));
		if (path === '/api') return send(res, 200, apiVersions(requestHost(req.headers) ?? '127.0.0.1'));
		if (path === '/apis') return send(res, 200, apiGroupList(store.resources));
		const group = /^\/apis\/([^/]+)$/.exec(path)?.[1];
		if (group !== undefined) {
			const doc = apiGroupOf(store.resources, group);
			return doc ? send(res, 200, doc) : sendError(res, pathNotFound());
		}
		if (path === '/openapi/v2') return sendOpenApiV2(res, store, String(req.headers.accept ?? ''));
		if (path === '/openapi/v3') return send(res, 200, openApiRoot(store.resources));
		if (path.startsWith('/openapi/v3/')) {
			const doc = openApiGroupVersion(store.resources, path.slice('/openapi/v3/'.length));
			return doc ? send(res, 200, doc) : sendError(res, pathNotFound());
		}
	}

	const r = route(path);
	if (!r) return sendError(res, pathNotFound());
	if (r.rest.length === 0) {
		const list = method === 'GET' ? apiResourceList(store.resources, r.group, r.version) : undefined;
		return list ? send(res, 200, list) : sendError(res, pathNotFound());
	}

	// namespaces/NS/<plural>/... or <plural>/...
	let namespace: string | undefined;
	let rest = r.rest;
	if (rest[0] === 'namespaces' && rest.length >= 3) {
		const inner = store.resources.find(r.group, r.version, rest[2]!);
		if (inner?.namespaced) {
			namespace = rest[1];
			rest = rest.slice(2);
		}
	}
	const resource = store.resources.find(r.group, r.version, rest[0]!);
	if (!resource || rest.length > 3 || (namespace !== undefined && !resource.namespaced)) return sendError(res, pathNotFound());
	const name = rest[1];
	const subresource = rest[2];
	if (subresource && !(resource.subresources ?? []).includes(subresource as 'status' | 'scale')) return sendError(res, pathNotFound());

	const accept = String(req.headers.accept ?? '');
	const request: Request = {
		method,
		user,
		resource,
		version: r.version,
		namespace,
		name,
		subresource,
		query: url.searchParams,
		wantsTable: /as=Table/.test(accept),
	};
	const verb = verbFor(request);
	if (!verb) throw methodNotAllowed();
	const {accounts} = options.credentials;
	if (!authorize(accounts, user, {verb, group: resource.group, resource: resource.plural, subresource, namespace, name}).allowed) {
		throw forbidden(user.name, verb, resource, namespace, name, subresource);
	}
	if (resource.readOnly && !['get', 'list', 'watch'].includes(verb)) throw methodNotAllowed();
	if (verb === 'create' && reviewKinds.has(resource.kind)) {
		return send(res, 201, answerReview(resource.kind, apiVersionOf(resource, r.version), user, accounts, await readBytes(req), String(req.headers['content-type'] ?? '')));
	}

	switch (verb) {
		case 'list':
			return send(res, 200, ...(await listResponse(store, request, pages)));
		case 'watch':
			return serveWatch(store, request, req, res, {bookmarkIntervalMs: options.bookmarkIntervalMs});
		case 'get':
			return send(res, 200, ...getResponse(store, request));
		case 'create':
			return send(res, 201, createObject(store, request, await readObjectBody(req, request)));
		case 'update':
			return send(res, 200, updateObject(store, request, await readObjectBody(req, request)));
		case 'patch':
			return send(res, 200, patchObject(store, request, String(req.headers['content-type'] ?? ''), await readBody(req)));
		case 'delete':
			return send(res, 200, deleteObject(store, request, await readBody(req)));
		case 'deletecollection':
			return send(res, 200, deleteCollection(store, request));
	}
}

function verbFor(req: Request): string | undefined {
	const isWatch = queryBool(req.query, 'watch') === true;
	switch (req.method) {
		case 'GET':
			return req.name ? 'get' : isWatch ? 'watch' : 'list';
		case 'POST':
			return req.name ? undefined : 'create';
		case 'PUT':
			return req.name ? 'update' : undefined;
		case 'PATCH':
			return req.name ? 'patch' : undefined;
		case 'DELETE':
			return req.name ? 'delete' : 'deletecollection';
	}
	return undefined;
}

/** An item of a list as kube-apiserver writes it: built-in kinds without kind and apiVersion (the list says them), custom resources with. */
function listItem(o: KObject, req: Request): KObject {
	const versioned = asVersion(o, req);
	if (!req.resource.builtin) return versioned;
	const {kind: _kind, apiVersion: _apiVersion, ...item} = versioned;
	return item as KObject;
}

async function listResponse(store: ObjectStore, req: Request, pages: ListPages): Promise<[unknown, string]> {
	const q = req.query;
	const rvParam = q.get('resourceVersion') ?? '';
	const rvMatch = q.get('resourceVersionMatch') ?? '';
	const forbidden = (field: string, message: string) => invalid(req.resource, '', [{type: 'FieldValueForbidden', field, message: `Forbidden: ${message}`}]);
	const cont = q.get('continue') ?? '';
	if (rvMatch && !rvParam) throw forbidden('resourceVersionMatch', 'resourceVersionMatch is forbidden unless resourceVersion is provided');
	if (rvMatch && cont) throw forbidden('resourceVersionMatch', 'resourceVersionMatch is forbidden when continue is provided');
	if (rvMatch && rvMatch !== 'Exact' && rvMatch !== 'NotOlderThan') {
		throw invalid(req.resource, '', [{type: 'FieldValueNotSupported', field: 'resourceVersionMatch', message: `Unsupported value: "${rvMatch}": supported values: "Exact", "NotOlderThan", ""`}]);
	}
	if (rvMatch === 'Exact' && rvParam === '0') throw forbidden('resourceVersionMatch', 'resourceVersionMatch "exact" is forbidden for resourceVersion "0"');
	if (q.has('sendInitialEvents')) throw forbidden('sendInitialEvents', 'sendInitialEvents is forbidden for list');
	// A continued list is read at its token's version (list-pages.ts).
	if (cont !== '' && rvParam !== '' && rvParam !== '0') throw badRequest('specifying resource version is not allowed when using continue');
	if (cont === '' && rvParam !== '' && rvParam !== '0') {
		const asked = Number(rvParam);
		if (!/^\d+$/.test(rvParam) || !Number.isSafeInteger(asked)) throw invalid(req.resource, '', [{type: 'FieldValueInvalid', field: 'resourceVersion', message: `Invalid value: "${rvParam}"`}]);
		// Not older than N: wait for the store to reach N, as the watch cache does; an exact N from the future is
		// refused at once by etcd (no retry advice). Older exact versions are answered with the current state.
		if (rvMatch === 'Exact') {
			if (asked > store.resourceVersion) throw tooLargeResourceVersion(asked, store.resourceVersion, 0);
		} else {
			await waitUntilFresh(store, asked);
		}
	}
	const limit = Number(q.get('limit') ?? 0);
	const scope = {resource: storageKey(req.resource), namespace: req.namespace ?? '', labelSelector: q.get('labelSelector') ?? '', fieldSelector: q.get('fieldSelector') ?? ''};
	const page = pages.page(scope, Number.isSafeInteger(limit) && limit > 0 ? limit : 0, cont || undefined, () => ({items: selected(store, req), resourceVersion: store.resourceVersion}));
	const {items, continue: continueToken, remainingItemCount} = page;
	const rv = String(page.resourceVersion);
	const now = Date.now();
	if (req.wantsTable) {
		return [toTable(req.resource, items.map(o => asVersion(o, req)), {now, resourceVersion: rv, includeObject: includeObject(req), continueToken, remainingItemCount}), tableType];
	}
	const kind = req.resource.group === 'events.k8s.io' ? 'EventList' : `${req.resource.kind}List`;
	const apiVersion = apiVersionOf(req.resource, req.version);
	const metadata = {resourceVersion: rv, ...(continueToken ? {continue: continueToken} : {}), ...(remainingItemCount !== undefined ? {remainingItemCount} : {})};
	const listed = items.map(o => listItem(o, req));
	// A built-in kind's list is written in the order its Go type declares its fields; a custom resource's is an
	// unstructured map, which Go's encoder writes in key order: its items come before its metadata.
	return [req.resource.crd ? {apiVersion, items: listed, kind, metadata} : {kind, apiVersion, metadata, items: listed}, json];
}

function getResponse(store: ObjectStore, req: Request): [unknown, string] {
	const o = store.get(storageKey(req.resource), req.namespace, req.name!);
	if (!o) throw notFound(req.resource, req.name!);
	if (req.subresource === 'scale') return [scaleOf(req.resource, o), json];
	if (req.wantsTable && !req.subresource) {
		return [toTable(req.resource, [asVersion(o, req)], {now: Date.now(), resourceVersion: o.metadata.resourceVersion!, includeObject: includeObject(req)}), tableType];
	}
	return [asVersion(o, req), json];
}

function checkBody(req: Request, body: any, name?: string): KObject {
	if (!body || typeof body !== 'object' || Array.isArray(body)) throw badRequest('the request body must be a JSON object');
	if (body.kind !== undefined && body.kind !== req.resource.kind && !(req.resource.kind === 'Event' && body.kind === 'Event')) {
		throw badRequest(`the kind of the body (${body.kind}) does not match the resource (${req.resource.kind})`);
	}
	body.metadata ??= {};
	if (typeof body.metadata !== 'object') throw badRequest('metadata must be an object');
	if (req.namespace !== undefined) {
		if (body.metadata.namespace && body.metadata.namespace !== req.namespace) {
			throw badRequest('the namespace of the provided object does not match the namespace sent on the request');
		}
		body.metadata.namespace = req.namespace;
	}
	if (name !== undefined) {
		if (body.metadata.name && body.metadata.name !== name) throw badRequest('the name of the object (' + body.metadata.name + ') does not match the name on the URL (' + name + ')');
		body.metadata.name = name;
	}
	return body as KObject;
}

const isDryRun = (req: Request) => req.query.getAll('dryRun').includes('All');

function createObject(store: ObjectStore, req: Request, body: any): unknown {
	const o = withDefaults(req.resource, checkBody(req, body));
	validate(req.resource, o);
	if (req.resource.kind === 'Event') Object.assign(o, toCoreEvent(o));
	if (isDryRun(req)) return asVersion({...o, apiVersion: apiVersionOf(req.resource), kind: req.resource.kind}, req);
	return asVersion(store.create(storageKey(req.resource), o), req);
}

/** Write a new version of an object through the store (or, with dryRun, only check it). */
function write(store: ObjectStore, req: Request, next: KObject): KObject {
	const key = storageKey(req.resource);
	if (req.subresource === 'scale') {
		const replicas = next.spec?.replicas;
		if (!Number.isInteger(replicas) || replicas < 0) {
			throw invalid(req.resource, req.name!, [{type: 'FieldValueInvalid', field: 'spec.replicas', message: `Invalid value: ${JSON.stringify(replicas)}: must be greater than or equal to 0`}]);
		}
		const current = store.get(key, req.namespace, req.name!)!;
		if (next.metadata?.resourceVersion && next.metadata.resourceVersion !== current.metadata.resourceVersion) throw conflict(req.resource, req.name!);
		const updated = withReplicas(req.resource, current, replicas);
		return isDryRun(req) ? updated : store.update(key, updated);
	}
	const checked = withDefaults(req.resource, next);
	validate(req.resource, checked);
	if (isDryRun(req)) return checked;
	return store.update(key, checked, req.subresource === 'status' ? {subresource: 'status'} : {});
}

function respond(req: Request, o: KObject): unknown {
	return req.subresource === 'scale' ? scaleOf(req.resource, o) : asVersion(o, req);
}

function updateObject(store: ObjectStore, req: Request, body: any): unknown {
	const key = storageKey(req.resource);
	const current = store.get(key, req.namespace, req.name!);
	if (!current) throw notFound(req.resource, req.name!);
	if (req.subresource === 'scale') return respond(req, write(store, req, body));
	const o = checkBody(req, body, req.name);
	return respond(req, write(store, req, o));
}

function patchObject(store: ObjectStore, req: Request, contentType: string, body: string): unknown {
	const key = storageKey(req.resource);
	const current = store.get(key, req.namespace, req.name!);
	if (!current) throw notFound(req.resource, req.name!);
	const {kind, patch} = parsePatchBody(contentType, body);
	if (kind === 'strategic' && !req.resource.builtin) {
		throw unsupportedMediaType(['application/json-patch+json', 'application/merge-patch+json', 'application/apply-patch+yaml']);
	}
	const base: KObject = req.subresource === 'scale' ? scaleOf(req.resource, current) : clone(current);
	let next: KObject;
	if (kind === 'json') next = applyJsonPatch(base, patch) as KObject;
	else if (kind === 'strategic') next = applyStrategicMergePatch(base, patch) as KObject;
	else next = applyMergePatch(base, patch) as KObject;
	if (!next || typeof next !== 'object' || Array.isArray(next)) throw badRequest('the patch did not produce an object');
	next.metadata ??= {};
	if (next.metadata.name !== undefined && next.metadata.name !== current.metadata.name) throw badRequest('the name of the object cannot be changed by a patch');
	next.metadata.name = current.metadata.name;
	if (current.metadata.namespace) next.metadata.namespace = current.metadata.namespace;
	// A resourceVersion in the patch is a precondition; without one the patch applies to the current object.
	if (next.metadata.resourceVersion === undefined) next.metadata.resourceVersion = current.metadata.resourceVersion;
	return respond(req, write(store, req, next));
}

function deleteObject(store: ObjectStore, req: Request, bodyText: string): unknown {
	let options: any = {};
	if (bodyText.trim()) options = parseJsonBody(bodyText);
	const pre = options?.preconditions ?? {};
	const gone = isDryRun(req)
		? store.get(storageKey(req.resource), req.namespace, req.name!)
		: store.delete(storageKey(req.resource), req.namespace, req.name!, {resourceVersion: pre.resourceVersion, uid: pre.uid});
	if (!gone) throw notFound(req.resource, req.name!);
	return {
		kind: 'Status',
		apiVersion: 'v1',
		metadata: {},
		status: 'Success',
		details: {name: req.name, group: req.resource.group, kind: req.resource.plural, uid: gone.metadata.uid},
	};
}

function deleteCollection(store: ObjectStore, req: Request): unknown {
	const items = selected(store, req);
	if (!isDryRun(req)) {
		for (const o of items) {
			if (store.get(storageKey(req.resource), o.metadata.namespace, o.metadata.name!)) store.delete(storageKey(req.resource), o.metadata.namespace, o.metadata.name!);
		}
	}
	return {kind: `${req.resource.kind}List`, apiVersion: apiVersionOf(req.resource, req.version), metadata: {resourceVersion: String(store.resourceVersion)}, items};
}
