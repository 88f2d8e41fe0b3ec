// Watches on the simulated API: chunked JSON lines, one event per chunk, resumable from a
// resourceVersion, 410 Expired when too old, bookmarks, watch-list, Table events.
import type http from 'node:http';
import {ApiError, invalid} from './errors.js';
import type {KObject} from './object.js';
import {apiVersionOf, storageKey} from './resources.js';
import {asVersion, includeObject, selected, type Request} from './server.js';
import {parseFieldSelector, parseLabelSelector} from './selectors.js';
import type {Change, ObjectStore} from './store.js';
import {toTable} from './table.js';

type EventType = 'ADDED' | 'MODIFIED' | 'DELETED' | 'BOOKMARK' | 'ERROR';

const encoded = new WeakMap<Change, Map<string, string>>();

export function serveWatch(store: ObjectStore, request: Request, req: http.IncomingMessage, res: http.ServerResponse): void {
	const q = request.query;
	const labels = parseLabelSelector(q.get('labelSelector') ?? '');
	const fields = parseFieldSelector(q.get('fieldSelector') ?? '', request.resource.kind);
	const sendInitial = q.get('sendInitialEvents');
	const rvMatch = q.get('resourceVersionMatch');
	if (sendInitial === 'true' && rvMatch !== 'NotOlderThan') {
		throw invalid(request.resource, '', [{field: 'resourceVersionMatch', message: 'sendInitialEvents requires setting resourceVersionMatch to NotOlderThan'}]);
	}
	if (rvMatch && sendInitial !== 'true') {
		throw invalid(request.resource, '', [{field: 'resourceVersionMatch', message: 'resourceVersionMatch is forbidden for watch unless sendInitialEvents is provided'}]);
	}
	const bookmarks = q.get('allowWatchBookmarks') === 'true';
	const key = storageKey(request.resource);
	const ns = request.namespace;
	const matches = (o: KObject) => (ns === undefined || o.metadata.namespace === ns) && labels(o.metadata.labels) && fields(o);
	const table = request.wantsTable;
	const include = includeObject(request);
	const version = apiVersionOf(request.resource, request.version);

	// Resume point: validate before any byte is written, so 410 can also be a plain HTTP answer.
	const rvParam = q.get('resourceVersion');
	const fromRv = rvParam && rvParam !== '0' && sendInitial !== 'true' ? Number(rvParam) : undefined;
	if (fromRv !== undefined && !Number.isFinite(fromRv)) throw invalid(request.resource, '', [{field: 'resourceVersion', message: `Invalid value: "${rvParam}"`}]);
	let backlog: Change[] = [];
	let expiredError: ApiError | undefined;
	if (fromRv !== undefined) {
		try {
			backlog = store.changesSince(key, fromRv);
		} catch (error) {
			if (!(error instanceof ApiError)) throw error;
			expiredError = error;
		}
	}

	res.writeHead(200, {'Content-Type': table ? 'application/json;as=Table;v=v1;g=meta.k8s.io' : 'application/json', 'Cache-Control': 'no-cache, private', 'Transfer-Encoding': 'chunked'});
	res.flushHeaders();

	let closed = false;
	const write = (line: string) => {
		if (!closed) res.write(line + '\n');
	};
	const encode = (type: EventType, o: KObject): string => {
		const object = table
			? toTable(request.resource, [asVersion(o, request)], {now: Date.now(), resourceVersion: o.metadata.resourceVersion!, includeObject: include})
			: asVersion(o, request);
		return JSON.stringify({type, object});
	};
	/** Encodings are shared by every watcher with the same shape, so fan-out serialises once. */
	const encodeChange = (change: Change, type: EventType): string => {
		const shape = `${type}|${table ? 'T' + include : version}`;
		let cache = encoded.get(change);
		if (!cache) {
			cache = new Map();
			encoded.set(change, cache);
		}
		let line = cache.get(shape);
		if (line === undefined && !table) {
			line = encode(type, change.object);
			cache.set(shape, line);
		}
		return line ?? encode(type, change.object);
	};
	const bookmark = (rv: number, annotations?: Record<string, string>) =>
		write(JSON.stringify({type: 'BOOKMARK', object: {kind: request.resource.kind, apiVersion: version, metadata: {resourceVersion: String(rv), ...(annotations ? {annotations} : {})}}}));

	const close = () => {
		if (closed) return;
		closed = true;
		unsubscribe();
		clearTimeout(timeout);
		clearInterval(ticker);
		// End on a later tick than the last event, so clients flush what they buffered.
		setImmediate(() => res.end());
	};

	if (expiredError) {
		write(JSON.stringify({type: 'ERROR', object: expiredError.toStatus()}));
		setImmediate(() => res.end());
		return;
	}

	// Objects currently seen by this watch; a change that moves one out of the selection is a DELETED.
	const seen = new Set<string>();
	const id = (o: KObject) => `${o.metadata.namespace ?? ''}/${o.metadata.name}`;
	const deliver = (change: Change) => {
		const o = change.object;
		const wasSeen = seen.has(id(o));
		if (change.type === 'DELETED') {
			if (!wasSeen && !matches(o)) return;
			seen.delete(id(o));
			write(encodeChange(change, 'DELETED'));
			return;
		}
		if (matches(o)) {
			seen.add(id(o));
			write(encodeChange(change, change.type === 'ADDED' || !wasSeen ? 'ADDED' : 'MODIFIED'));
		} else if (wasSeen) {
			seen.delete(id(o));
			write(encodeChange(change, 'DELETED'));
		}
	};

	const unsubscribe = store.subscribe(key, change => deliver(change));

	if (fromRv === undefined) {
		// rv unset or 0, or watch-list: the current state as ADDED events first.
		for (const o of selected(store, request)) {
			seen.add(id(o));
			write(encode('ADDED', o));
		}
		if (sendInitial === 'true') bookmark(store.resourceVersion, {'k8s.io/initial-events-end': 'true'});
	} else {
		for (const o of store.list(key, ns)) if (matches(o) && Number(o.metadata.resourceVersion) <= fromRv) seen.add(id(o));
		// Objects whose first later change is not their creation existed (and were seen) at fromRv.
		const first = new Set<string>();
		for (const change of backlog) {
			if (first.has(id(change.object))) continue;
			first.add(id(change.object));
			if (change.type !== 'ADDED' && matches(change.object)) seen.add(id(change.object));
		}
		for (const change of backlog) deliver(change);
	}

	const timeoutSeconds = Number(q.get('timeoutSeconds') ?? 0);
	const timeout = setTimeout(() => {
		if (bookmarks) bookmark(store.resourceVersion);
		close();
	}, timeoutSeconds > 0 ? timeoutSeconds * 1000 : 30 * 60 * 1000);
	const ticker = setInterval(() => {
		if (bookmarks) bookmark(store.resourceVersion);
	}, 60_000);
	req.on('close', close);
	res.on('close', close);
}
