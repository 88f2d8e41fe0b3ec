// The simulated cluster's HTTP API: the real Kubernetes wire protocol on loopback,
// good enough for kubectl and @kubernetes/client-node unmodified.
import http from 'node:http';
import type {AddressInfo} from 'node:net';
import {allowed, userForPath, type User} from './auth.js';
import {aggregatedContentType, aggregatedDiscovery, aggregatedDiscoveryVersion, apiGroupList, apiGroupOf, apiResourceList, apiVersions, openApiGroupVersion, openApiRoot, serverVersion} from './discovery.js';
import {ApiError, badRequest, conflict, forbidden, invalid, methodNotAllowed, notFound, pathNotFound, unsupportedMediaType} from './errors.js';
import {toCoreEvent, toEventsV1} from './event-versions.js';
import {clone, type KObject} from './object.js';
import {applyJsonPatch, applyMergePatch, applyStrategicMergePatch, parsePatchBody} from './patch.js';
import {apiVersionOf, storageKey, type Resource} from './resources.js';
import {scaleOf, withReplicas} from './scale.js';
import {parseFieldSelector, parseLabelSelector} from './selectors.js';
import type {ObjectStore} from './store.js';
import {toTable} from './table.js';
import {validate, withDefaults} from './validation.js';
import {serveWatch} from './watch.js';

const json = 'application/json';
const tableType = 'application/json;as=Table;v=v1;g=meta.k8s.io';

export type Request = {
	method: string;
	user: User;
	resource: Resource;
	/** The API version asked for (objects are converted to it on the way out). */
	version: string;
	namespace?: string;
	name?: string;
	subresource?: string;
	query: URLSearchParams;
	wantsTable: boolean;
};

/** Set apiVersion to the version the client asked for. */
export function asVersion(o: KObject, req: Pick<Request, 'resource' | 'version'>): KObject {
	if (req.resource.aliasOf === 'events' && req.resource.group === 'events.k8s.io') return toEventsV1(o);
	const apiVersion = apiVersionOf(req.resource, req.version);
	return o.apiVersion === apiVersion ? o : {...o, apiVersion};
}

function send(res: http.ServerResponse, code: number, body: unknown, contentType = json): void {
	const text = typeof body === 'string' ? body : JSON.stringify(body);
	res.writeHead(code, {'Content-Type': contentType, 'Content-Length': Buffer.byteLength(text), 'Cache-Control': 'no-cache, private'});
	res.end(text);
}

function sendError(res: http.ServerResponse, error: ApiError): void {
	if (res.headersSent) {
		res.end();
		return;
	}
	send(res, error.code, error.toStatus());
}

async function readBody(req: http.IncomingMessage, limit = 3 * 1024 * 1024): Promise<string> {
	const chunks: Buffer[] = [];
	let size = 0;
	for await (const chunk of req) {
		size += (chunk as Buffer).length;
		if (size > limit) throw new ApiError(413, 'RequestEntityTooLarge', 'the request body is too large');
		chunks.push(chunk as Buffer);
	}
	return Buffer.concat(chunks).toString('utf8');
}

function parseJsonBody(text: string): any {
	if (text.trim() === '') throw badRequest('the request body is empty');
	try {
		return JSON.parse(text);
	} catch (error) {
		throw badRequest(`the request body is not valid JSON: ${(error as Error).message}`);
	}
}

/** Split `/api/v1/...` and `/apis/G/V/...` into a request on a resource, or undefined. */
function route(pathname: string): {group: string; version: string; rest: string[]} | undefined {
	const segs = pathname.split('/').filter(Boolean);
	if (segs[0] === 'api' && segs.length >= 2) return {group: '', version: segs[1]!, rest: segs.slice(2)};
	if (segs[0] === 'apis' && segs.length >= 3) return {group: segs[1]!, version: segs[2]!, rest: segs.slice(3)};
	return undefined;
}

export type ApiServer = {url: string; port: number; close(): Promise<void>};

export type ApiServerOptions = {
	port?: number;
	host?: string;
	/** The sim's metrics in the Prometheus text format, served on GET /metrics to anyone. */
	metrics?: () => string;
};

export async function startApiServer(store: ObjectStore, options: ApiServerOptions = {}): Promise<ApiServer> {
	const host = options.host ?? '127.0.0.1';
	const sockets = new Set<import('node:net').Socket>();
	const server = http.createServer((req, res) => {
		handle(store, req, res, options).catch(error => {
			sendError(res, error instanceof ApiError ? error : new ApiError(500, 'InternalError', `Internal error occurred: ${(error as Error).message}`));
		});
	});
	server.on('connection', s => {
		sockets.add(s);
		s.on('close', () => sockets.delete(s));
	});
	server.keepAliveTimeout = 60_000;
	await new Promise<void>((resolve, reject) => {
		server.once('error', reject);
		server.listen(options.port ?? 0, host, () => resolve());
	});
	const port = (server.address() as AddressInfo).port;
	return {
		url: `http://${host}:${port}`,
		port,
		close: () =>
			new Promise<void>(resolve => {
				server.close(() => resolve());
				for (const s of sockets) s.destroy();
			}),
	};
}

async function handle(store: ObjectStore, req: http.IncomingMessage, res: http.ServerResponse, options: ApiServerOptions = {}): Promise<void> {
	const url = new URL(req.url ?? '/', 'http://sim');
	const {user, path} = userForPath(url.pathname.replace(/\/+$/, '') || '/');
	const method = req.method ?? 'GET';

	if (path === '/healthz' || path === '/readyz' || path === '/livez') return send(res, 200, 'ok', 'text/plain; charset=utf-8');
	if (path === '/version') return send(res, 200, serverVersion);
	if (path === '/metrics' && options.metrics && (method === 'GET' || method === 'HEAD')) return send(res, 200, options.metrics(), 'text/plain; version=0.0.4; charset=utf-8');

	if (method === 'GET') {
		const aggregated = aggregatedDiscoveryVersion(String(req.headers.accept ?? ''));
		if ((path === '/api' || path === '/apis') && aggregated) return send(res, 200, aggregatedDiscovery(store.resources, path === '/api', aggregated), aggregatedContentType(aggregated));
		if (path === '/api') return send(res, 200, apiVersions(req.headers.host ?? '127.0.0.1'));
		if (path === '/apis') return send(res, 200, apiGroupList(store.resources));
		const group = /^\/apis\/([^/]+)$/.exec(path)?.[1];
		if (group !== undefined) {
			const doc = apiGroupOf(store.resources, group);
			return doc ? send(res, 200, doc) : sendError(res, pathNotFound());
		}
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
	// Anyone may ask what they may do.
	if (!allowed(user, verb) && resource.kind !== 'SelfSubjectAccessReview') throw forbidden(user.name, verb, resource, namespace, name);
	if (resource.readOnly && !['get', 'list', 'watch'].includes(verb)) throw methodNotAllowed();

	switch (verb) {
		case 'list':
			return send(res, 200, ...listResponse(store, request));
		case 'watch':
			return serveWatch(store, request, req, res);
		case 'get':
			return send(res, 200, ...getResponse(store, request));
		case 'create':
			return send(res, 201, createObject(store, request, parseJsonBody(await readBody(req))));
		case 'update':
			return send(res, 200, updateObject(store, request, parseJsonBody(await readBody(req))));
		case 'patch':
			return send(res, 200, patchObject(store, request, String(req.headers['content-type'] ?? ''), await readBody(req)));
		case 'delete':
			return send(res, 200, deleteObject(store, request, await readBody(req)));
		case 'deletecollection':
			return send(res, 200, deleteCollection(store, request));
	}
}

function verbFor(req: Request): string | undefined {
	const watch = req.query.get('watch');
	const isWatch = watch === 'true' || watch === '1';
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

/** Objects of the request's kind and namespace that match its selectors, sorted by namespace and name. */
export function selected(store: ObjectStore, req: Request): KObject[] {
	const labels = parseLabelSelector(req.query.get('labelSelector') ?? '');
	const fields = parseFieldSelector(req.query.get('fieldSelector') ?? '', req.resource.kind);
	const items = store.list(storageKey(req.resource), req.namespace).filter(o => labels(o.metadata.labels) && fields(o));
	return items.sort((a, b) => (a.metadata.namespace ?? '').localeCompare(b.metadata.namespace ?? '') || a.metadata.name!.localeCompare(b.metadata.name!));
}

function listResponse(store: ObjectStore, req: Request): [unknown, string] {
	if (req.query.get('sendInitialEvents')) throw invalid(req.resource, '', [{message: 'sendInitialEvents is forbidden for list', field: 'sendInitialEvents'}]);
	let items = selected(store, req);
	const rv = String(store.resourceVersion);
	let continueToken: string | undefined;
	const limit = Number(req.query.get('limit') ?? 0);
	const cont = req.query.get('continue');
	let offset = 0;
	if (cont) {
		try {
			offset = JSON.parse(Buffer.from(cont, 'base64url').toString('utf8')).offset;
			if (!Number.isInteger(offset) || offset < 0) throw new Error('bad');
		} catch {
			throw badRequest('invalid continue token');
		}
	}
	if (offset > 0 || (limit > 0 && items.length > limit)) {
		const page = items.slice(offset, limit > 0 ? offset + limit : undefined);
		if (limit > 0 && offset + limit < items.length) continueToken = Buffer.from(JSON.stringify({offset: offset + limit})).toString('base64url');
		items = page;
	}
	const now = Date.now();
	if (req.wantsTable) {
		return [toTable(req.resource, items.map(o => asVersion(o, req)), {now, resourceVersion: rv, includeObject: includeObject(req), continueToken}), tableType];
	}
	const kind = req.resource.group === 'events.k8s.io' ? 'EventList' : `${req.resource.kind}List`;
	return [
		{
			kind,
			apiVersion: apiVersionOf(req.resource, req.version),
			metadata: {resourceVersion: rv, ...(continueToken ? {continue: continueToken, remainingItemCount: 0} : {})},
			items: items.map(o => asVersion(o, req)),
		},
		json,
	];
}

export function includeObject(req: Request): 'None' | 'Metadata' | 'Object' {
	const v = req.query.get('includeObject');
	return v === 'None' || v === 'Object' ? v : 'Metadata';
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
	if (req.resource.kind === 'SelfSubjectAccessReview') return accessReview(req, body);
	const o = withDefaults(req.resource, checkBody(req, body));
	validate(req.resource, o);
	if (req.resource.kind === 'Event') Object.assign(o, toCoreEvent(o));
	if (isDryRun(req)) return asVersion({...o, apiVersion: apiVersionOf(req.resource), kind: req.resource.kind}, req);
	return asVersion(store.create(storageKey(req.resource), o), req);
}

function accessReview(req: Request, body: any): unknown {
	const attrs = body?.spec?.resourceAttributes ?? {};
	const verb = String(attrs.verb ?? '');
	const ok = allowed(req.user, verb);
	return {
		kind: 'SelfSubjectAccessReview',
		apiVersion: 'authorization.k8s.io/v1',
		metadata: {creationTimestamp: null},
		spec: body?.spec ?? {},
		status: {allowed: ok, ...(ok ? {} : {reason: `user ${req.user.name} may only read`})},
	};
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
