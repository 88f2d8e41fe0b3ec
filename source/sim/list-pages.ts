// A list in pages as kube-apiserver gives it: every page of one list is read at the resourceVersion of its
// first page (a consistent snapshot, as etcd reads it), in key order; the continue token says that version and
// the key to start after, as the real token does ({"v":"meta.k8s.io/v1","rv":N,"start":"KEY\u0000"}, in
// base64); remainingItemCount counts what is left, only when no selector is given (with one it is not known);
// and a token whose version is gone (compacted, here: its snapshot dropped) is 410 Expired with the server's
// words. The snapshot holds the stored objects themselves, which are replaced on a write, never changed.
import {ApiError, badRequest} from './errors.js';
import type {KObject} from './object.js';

/** How long a snapshot is kept after its last page was read: kube-apiserver compacts etcd every 5 minutes. */
export const SNAPSHOT_TTL_MS = 5 * 60_000;
/** At most this many lists under way at once; the oldest is dropped first. */
export const MAX_SNAPSHOTS = 256;

/** A stored object's key within a list: `namespace/name` across namespaces, `name` within one (etcd's key under the list's prefix). */
export const keyOf = (o: KObject, acrossNamespaces: boolean): string => (acrossNamespaces && o.metadata.namespace ? `${o.metadata.namespace}/${o.metadata.name}` : o.metadata.name!);

/** Objects in etcd's key order (bytes; the names are ASCII). */
export function inKeyOrder(items: KObject[], acrossNamespaces: boolean): KObject[] {
	const keyed = items.map(o => ({o, key: keyOf(o, acrossNamespaces)}));
	keyed.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
	return keyed.map(k => k.o);
}

export type ListScope = {
	/** The resource's storage key, the namespace ('' for all), and the selectors as given. */
	resource: string;
	namespace: string;
	labelSelector: string;
	fieldSelector: string;
};

export type Page = {items: KObject[]; resourceVersion: number; continue?: string; remainingItemCount?: number};

type Token = {v: string; rv: number; start: string};

const expiredContinue = () =>
	new ApiError(
		410,
		'Expired',
		'The provided continue parameter is too old to display a consistent list result. You can start a new list without the continue parameter, or use the continue token in this response to retrieve the remainder of the results. Continuing with the provided token results in an inconsistent list - objects that were created, modified, or deleted between the time the first chunk was returned and now may show up in the list.',
	);

function decode(token: string): Token {
	let parsed: unknown;
	try {
		parsed = JSON.parse(Buffer.from(token, 'base64url').toString('utf8'));
	} catch {
		throw badRequest('continue key is not valid: illegal base64 data or JSON');
	}
	const t = parsed as Partial<Token> | null;
	if (!t || t.v !== 'meta.k8s.io/v1') throw badRequest('continue key is not valid: incorrect encoded start resourceVersion (version meta.k8s.io/v1)');
	if (!Number.isSafeInteger(t.rv) || t.rv! <= 0) throw badRequest('continue key is not valid: incorrect encoded start resourceVersion (version meta.k8s.io/v1)');
	if (typeof t.start !== 'string' || t.start === '') throw badRequest('continue key is not valid: encoded start key empty');
	return t as Token;
}

const encode = (rv: number, lastKey: string) => Buffer.from(JSON.stringify({v: 'meta.k8s.io/v1', rv, start: `${lastKey}\u0000`})).toString('base64url');

export class ListPages {
	private readonly snapshots = new Map<string, {items: KObject[]; usedAt: number}>();

	constructor(private readonly now: () => number = Date.now) {}

	/**
	 * One page. `current` gives the scope's objects in key order and the store's resourceVersion now (asked only for
	 * a first page); `limit` 0 is everything.
	 */
	page(scope: ListScope, limit: number, token: string | undefined, current: () => {items: KObject[]; resourceVersion: number}): Page {
		this.forgetOld();
		const acrossNamespaces = scope.namespace === '';
		let items: KObject[];
		let rv: number;
		let from = 0;
		if (token) {
			const t = decode(token);
			const held = this.snapshots.get(this.id(scope, t.rv));
			if (!held) throw expiredContinue();
			held.usedAt = this.now();
			items = held.items;
			rv = t.rv;
			const start = t.start.endsWith('\u0000') ? t.start.slice(0, -1) : t.start;
			from = items.findIndex(o => keyOf(o, acrossNamespaces) > start);
			if (from < 0) from = items.length;
		} else {
			({items, resourceVersion: rv} = current());
		}
		const end = limit > 0 ? Math.min(items.length, from + limit) : items.length;
		const page: Page = {items: items.slice(from, end), resourceVersion: rv};
		if (end < items.length) {
			if (!token) this.keep(scope, rv, items);
			page.continue = encode(rv, keyOf(items[end - 1]!, acrossNamespaces));
			if (scope.labelSelector === '' && scope.fieldSelector === '') page.remainingItemCount = items.length - end;
		}
		return page;
	}

	private id(scope: ListScope, rv: number): string {
		return [rv, scope.resource, scope.namespace, scope.labelSelector, scope.fieldSelector].join('\u0000');
	}

	private keep(scope: ListScope, rv: number, items: KObject[]): void {
		const id = this.id(scope, rv);
		this.snapshots.delete(id);
		this.snapshots.set(id, {items, usedAt: this.now()});
		while (this.snapshots.size > MAX_SNAPSHOTS) this.snapshots.delete(this.snapshots.keys().next().value!);
	}

	private forgetOld(): void {
		const now = this.now();
		for (const [id, s] of this.snapshots) if (now - s.usedAt > SNAPSHOT_TTL_MS) this.snapshots.delete(id);
	}
}
