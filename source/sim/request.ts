// A request on a resource as the API server has parsed it, and what both a plain answer and a watch do
// with it: the version objects go out in, which objects it selects, how much of them a Table carries.
import type {User} from './auth.js';
import {toEventsV1} from './event-versions.js';
import type {KObject} from './object.js';
import {inKeyOrder} from './list-pages.js';
import {apiVersionOf, storageKey, type Resource} from './resources.js';
import {parseFieldSelector, parseLabelSelector} from './selectors.js';
import type {ObjectStore} from './store.js';

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

/** Objects of the request's kind and namespace that match its selectors, in etcd's key order (`namespace/name` by bytes). */
export function selected(store: ObjectStore, req: Request): KObject[] {
	const labels = parseLabelSelector(req.query.get('labelSelector') ?? '');
	const fields = parseFieldSelector(req.query.get('fieldSelector') ?? '', req.resource.kind);
	const items = store.list(storageKey(req.resource), req.namespace).filter(o => labels(o.metadata.labels) && fields(o));
	return inKeyOrder(items, req.namespace === undefined);
}

export function includeObject(req: Request): 'None' | 'Metadata' | 'Object' {
	const v = req.query.get('includeObject');
	return v === 'None' || v === 'Object' ? v : 'Metadata';
}
