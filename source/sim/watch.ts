// Watches on the simulated API: chunked JSON lines, one event per chunk, resumable from a
// resourceVersion, 410 Expired when too old, bookmarks, watch-list, Table events.
import type http from 'node:http';
import {ApiError, invalid} from './errors.js';
import {waitUntilFresh} from './freshness.js';
import type {KObject} from './object.js';
import {apiVersionOf, storageKey} from './resources.js';
import {asVersion, includeObject, selected, type Request} from './request.js';
import {queryBool} from './query.js';
import {parseFieldSelector, parseLabelSelector} from './selectors.js';
import type {Change, ObjectStore} from './store.js';
import {toTable} from './table.js';

type EventType = 'ADDED' | 'MODIFIED' | 'DELETED' | 'BOOKMARK' | 'ERROR';

const encoded = new WeakMap<Change, Map<string, string>>();

export type WatchOptions = {
	/** Time between BOOKMARK events on watches that allow them (default 60 s, as kube-apiserver's bookmarkFrequency). */
	bookmarkIntervalMs?: number;
};

export const defaultBookmarkIntervalMs = 60_000;

export async function serveWatch(store: ObjectStore, request: Request, req: http.IncomingMessage, res: http.ServerResponse, options: WatchOptions = {}): Promise<void> {
	const q = request.query;
	const labels = parseLabelSelector(q.get('labelSelector') ?? '');
	const fields = parseFieldSelector(q.get('fieldSelector') ?? '', request.resource.kind);
	// sendInitialEvents is a *bool: present (true or false) or absent, and validated as such.
	const sendInitial = queryBool(q, 'sendInitialEvents');
	const rvMatch = q.get('resourceVersionMatch');
	if (sendInitial !== undefined && rvMatch !== 'NotOlderThan') {
		throw invalid(request.resource, '', [{field: 'resourceVersionMatch', message: 'sendInitialEvents requires setting resourceVersionMatch to NotOlderThan'}]);
	}
	if (rvMatch && sendInitial === undefined) {
		throw invalid(request.resource, '', [{field: 'resourceVersionMatch', message: 'resourceVersionMatch is forbidden for watch unless sendInitialEvents is provided'}]);
	}
	const bookmarks = queryBool(q, 'allowWatchBookmarks') === true;
	const key = storageKey(request.resource);
	const ns = request.namespace;
	const matches = (o: KObject) => (ns === undefined || o.metadata.namespace === ns) && labels(o.metadata.labels) && fields(o);
	const table = request.wantsTable;
	const include = includeObject(request);
	const version = apiVersionOf(request.resource, request.version);

	const rvParam = q.get('resourceVersion') ?? '';
	const askedRv = rvParam === '' || rvParam === '0' ? 0 : Number(rvParam);
	if (!Number.isSafeInteger(askedRv) || askedRv < 0) throw invalid(request.resource, '', [{field: 'resourceVersion', message: `Invalid value: "${rvParam}"`}]);
	// The current state as ADDED events first: asked for (watch-list), or the legacy start at resourceVersion unset or 0.
	const initialEvents = sendInitial ?? askedRv === 0;

	// Resume point: validate before any byte is written, so 410 can also be a plain HTTP answer. A watch-list from a
	// resourceVersion the store has not reached waits for it, then ends in an ERROR event (the cacher's errWatcher).
	let backlog: Change[] = [];
	let startError: ApiError | undefined;
	if (initialEvents) {
		if (askedRv > store.resourceVersion) {
			try {
				await waitUntilFresh(store, askedRv);
			} catch (error) {
				if (!(error instanceof ApiError)) throw error;
				startError = error;
			}
		}
	} else if (askedRv > 0) {
		try {
			backlog = store.changesSince(key, askedRv);
		} catch (error) {
			if (!(error instanceof ApiError)) throw error;
			startError = error;
		}
	}
	// Events at or below this resourceVersion are not sent: the client has them. A plain watch from a resourceVersion
	// the store has not reached stays open and waits for it, as the watch cache's does.
	const startRv = initialEvents || askedRv === 0 ? store.resourceVersion : askedRv;

	res.writeHead(200, {'Content-Type': table ? 'application/json;as=Table;v=v1;g=meta.k8s.io' : 'application/json', 'Cache-Control': 'no-cache, private'});
	// No length: chunked over HTTP/1.1, a stream of DATA frames over HTTP/2.
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

	if (startError) {
		write(JSON.stringify({type: 'ERROR', object: startError.toStatus()}));
		setImmediate(() => res.end());
		return;
	}

	// Objects currently seen by this watch; a change that moves one out of the selection is a DELETED.
	const seen = new Set<string>();
	const id = (o: KObject) => `${o.metadata.namespace ?? ''}/${o.metadata.name}`;
	const deliver = (change: Change) => {
		if (change.rv <= startRv) return;
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

	if (initialEvents) {
		for (const o of selected(store, request)) {
			seen.add(id(o));
			write(encode('ADDED', o));
		}
		if (sendInitial === true && bookmarks) bookmark(startRv, {'k8s.io/initial-events-end': 'true'});
	} else if (askedRv === 0) {
		// sendInitialEvents=false from "any" version: from now on, and the objects there now are known to the client.
		for (const o of store.list(key, ns)) if (matches(o)) seen.add(id(o));
	} else {
		const fromRv = askedRv;
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
	// A bookmark says "you have every event up to here": the store's current resourceVersion, never one below where the watch starts.
	const bookmarkNow = () => {
		if (bookmarks && store.resourceVersion >= startRv) bookmark(store.resourceVersion);
	};
	const timeout = setTimeout(() => {
		bookmarkNow();
		close();
	}, timeoutSeconds > 0 ? timeoutSeconds * 1000 : 30 * 60 * 1000);
	const ticker = setInterval(bookmarkNow, options.bookmarkIntervalMs ?? defaultBookmarkIntervalMs);
	req.on('close', close);
	res.on('close', close);
	// The client may have gone while the watch waited for the store to catch up.
	if (res.destroyed || req.socket.destroyed) close();
}
