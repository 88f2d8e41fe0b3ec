// A list-then-watch cache that never gives up and never trusts itself too long. It resumes from the last
// resourceVersion after the server closes a watch, and lists again (replacing everything it holds) after 410
// Expired, "Too large resource version" (a server restored from an older state), a broken connection (the
// server may have restarted), a watch that went quiet for longer than the server's bookmarks allow, or when
// asked (the API server answers again after a freeze). Failures retry with backoff (1 s doubling to 30 s).
import type {KubeClient, WatchEvent, WatchStream} from './client.js';
import {fromStatus, isTooLargeResourceVersion, KubeError, toKubeError} from './errors.js';
import type {KObject} from './object.js';

export type WatchState =
	/** Listing: the first time, or again (`why` says why it lists again). */
	| {state: 'connecting'; why?: string}
	| {state: 'live'}
	| {state: 'reconnecting'; retryAt: number; attempt: number; error: KubeError};

export type ListWatchOptions = {
	/**
	 * The kind and apiVersion of what the path lists. A real API server leaves them off the items of a list of
	 * built-in kinds, so every object is stamped with them as it comes in: an object's kind is the kind of the
	 * resource it was listed or watched from, never a field trusted to be there.
	 */
	kind: string;
	apiVersion: string;
	/** The resource in the operator's words, for messages ("pods"). */
	resource?: string;
	labelSelector?: string;
	fieldSelector?: string;
	/**
	 * What an object is kept as (source/release/lean.ts: what the model reads), applied to each object as it
	 * comes in, page by page, so that whole objects never pile up. Default: kept whole.
	 */
	project?: (o: KObject) => KObject;
	/** Keep at most `max` objects, those of the highest `rank` (the newest Events of a busy namespace). */
	bound?: {max: number; rank: (o: KObject) => number};
	/**
	 * Ask for each next page of the list while one is read (KubeClient.list); true by default. Off for a long list
	 * that nothing waits for: pages arriving back to back raised the peak memory of a start with 20,000 Events
	 * from about 230 MB to 250.
	 */
	pageAhead?: boolean;
	onChange: () => void;
	onState: (state: WatchState) => void;
	/** Delay before retry `attempt` (1-based), ms. */
	backoff?: (attempt: number) => number;
};

export const defaultBackoff = (attempt: number) => Math.min(30_000, 1000 * 2 ** (attempt - 1));

/** How long the server is asked to keep each watch open: 5 to 10 minutes at random, as client-go asks. */
const watchTimeout = () => Math.round(300 + Math.random() * 300) * 1000;

/** A real API server sends a BOOKMARK about once a minute on a watch that asks for them. */
export const DEFAULT_BOOKMARK_MS = 60_000;

/**
 * How long a watch may stay quiet before it is taken for dead. When the server has been seen sending bookmarks
 * every `bookmarkEveryMs`, that plus a margin (half of it, at least 10 s). Otherwise (a resource the server sends
 * no bookmarks for: events, whose watch cache is off by default, are served from etcd without them) only the
 * watch's own timeout tells: the server must have closed it by then.
 */
export function quietLimit(bookmarkEveryMs: number | undefined, watchTimeoutMs: number): {fromLastHeard: number} | {fromOpened: number} {
	if (bookmarkEveryMs !== undefined) return {fromLastHeard: bookmarkEveryMs + Math.max(10_000, bookmarkEveryMs / 2)};
	return {fromOpened: watchTimeoutMs + 30_000};
}

/** The bookmark interval learnt from one more gap between two bookmarks of a watch: the longest seen, within 1 s to 5 min. */
export function learnBookmarkInterval(current: number | undefined, gapMs: number): number {
	const gap = Math.min(300_000, Math.max(1000, gapMs));
	return current === undefined ? gap : Math.max(current, gap);
}

const seconds = (ms: number) => `${Math.round(ms / 1000)}s`;

export class ListWatch {
	readonly items = new Map<string, KObject>();
	private rv = '';
	private stream: WatchStream | undefined;
	private timer: NodeJS.Timeout | undefined;
	private stopped = false;
	private attempt = 0;
	private generation = 0;
	/** Listed at least once. */
	private synced = false;
	/** The next connect lists again, and why. */
	private relistWhy: string | undefined;
	/** The open watch: when it opened, when it last heard anything, its last bookmark, its timeout. */
	private opened = 0;
	private lastHeard = 0;
	/** The last bookmark of the open watch; 0 before its first (the gap to a watch's first says little). */
	private lastBookmark = 0;
	private timeoutMs = 0;
	private bookmarkEvery: number | undefined;
	private endedBy: KubeError | undefined;

	constructor(
		private readonly client: Pick<KubeClient, 'list' | 'watch'> & Partial<Pick<KubeClient, 'renewConnections'>>,
		readonly path: string,
		private readonly options: ListWatchOptions,
	) {}

	private now(): number {
		return Date.now();
	}

	private get name(): string {
		return this.options.resource ?? this.options.kind;
	}

	start(): void {
		void this.connect();
	}

	stop(): void {
		this.stopped = true;
		this.generation++;
		clearTimeout(this.timer);
		this.stream?.abort();
	}

	/** Whether every object has been listed once: until then, what is missing may only be not loaded yet. */
	get listed(): boolean {
		return this.synced;
	}

	/** The bookmark interval seen from the server, if any. */
	get bookmarkInterval(): number | undefined {
		return this.bookmarkEvery;
	}

	list(): KObject[] {
		return [...this.items.values()];
	}

	/** Drop the watch and list again now, replacing everything held (the API server answers again). */
	relist(why: string): void {
		if (this.stopped) return;
		this.generation++;
		clearTimeout(this.timer);
		this.stream?.abort();
		this.stream = undefined;
		this.attempt = 0;
		this.rv = '';
		this.relistWhy = why;
		void this.connect();
	}

	/** Called every second or so: a watch quiet for longer than the server allows is dead; list again. */
	checkQuiet(): void {
		if (!this.stream || this.stopped) return;
		const now = this.now();
		const limit = quietLimit(this.bookmarkEvery, this.timeoutMs);
		if ('fromLastHeard' in limit && now - this.lastHeard > limit.fromLastHeard) {
			// The connection died without a word; others of its pool may have too.
			this.client.renewConnections?.();
			this.relist(`the ${this.name} watch heard nothing for ${seconds(now - this.lastHeard)} (bookmarks come every ${seconds(this.bookmarkEvery!)})`);
		} else if ('fromOpened' in limit && now - this.opened > limit.fromOpened && now - this.lastHeard > 30_000) {
			this.client.renewConnections?.();
			this.relist(`the ${this.name} watch outlived its ${seconds(this.timeoutMs)} timeout without a word`);
		}
	}

	private selectors() {
		return {labelSelector: this.options.labelSelector, fieldSelector: this.options.fieldSelector};
	}

	private async connect(): Promise<void> {
		if (this.stopped) return;
		const generation = ++this.generation;
		this.stream = undefined;
		try {
			if (!this.rv) {
				this.options.onState({state: 'connecting', ...(this.relistWhy ? {why: this.relistWhy} : {})});
				const {items, resourceVersion} = await this.client.list(this.path, this.selectors(), o => this.keep(o), {ahead: this.options.pageAhead ?? true});
				if (generation !== this.generation) return;
				// A new list replaces the cache: anything not in it is gone.
				this.items.clear();
				for (const o of items) this.items.set(idOf(o), o);
				this.trim();
				this.rv = resourceVersion;
				this.synced = true;
				this.relistWhy = undefined;
				this.options.onChange();
			}
			this.timeoutMs = watchTimeout();
			this.endedBy = undefined;
			const stream = await this.client.watch(
				this.path,
				{...this.selectors(), resourceVersion: this.rv, allowWatchBookmarks: 'true', timeoutSeconds: String(Math.round(this.timeoutMs / 1000))},
				event => {
					if (generation === this.generation) this.onEvent(event);
				},
			);
			if (generation !== this.generation) {
				stream.abort();
				return;
			}
			this.stream = stream;
			// An ERROR event may have come before the stream was ours to end.
			if (this.endedBy) stream.abort();
			this.opened = this.lastHeard = this.now();
			this.lastBookmark = 0;
			this.attempt = 0;
			this.options.onState({state: 'live'});
			const error = await stream.ended;
			if (generation !== this.generation) return;
			this.stream = undefined;
			this.onEnd(this.endedBy ?? error, this.now() - this.opened);
		} catch (thrown) {
			if (generation !== this.generation) return;
			this.onEnd(toKubeError(thrown), undefined);
		}
	}

	/** An object as it is kept: stamped with the kind of the resource it came from, and projected. */
	private keep(o: KObject): KObject {
		if (!o || typeof o !== 'object') return o;
		o.kind = this.options.kind;
		o.apiVersion = this.options.apiVersion;
		return this.options.project ? this.options.project(o) : o;
	}

	/** Down to the bound, once it is passed by a tenth (so a busy watch sorts seldom). */
	private trim(): void {
		const bound = this.options.bound;
		if (!bound || this.items.size <= bound.max * 1.1) return;
		const ranked = [...this.items].map(([id, o]) => ({id, rank: bound.rank(o)})).sort((a, b) => b.rank - a.rank);
		for (const {id} of ranked.slice(bound.max)) this.items.delete(id);
	}

	private onEvent(event: WatchEvent): void {
		const now = this.now();
		this.lastHeard = now;
		const o = event.object as KObject;
		switch (event.type) {
			case 'ADDED':
			case 'MODIFIED':
				if (!o?.metadata) return;
				this.items.set(idOf(o), this.keep(o));
				this.trim();
				break;
			case 'DELETED':
				if (!o?.metadata) return;
				this.items.delete(idOf(o));
				break;
			case 'BOOKMARK':
				if (this.lastBookmark > 0) this.bookmarkEvery = learnBookmarkInterval(this.bookmarkEvery, now - this.lastBookmark);
				this.lastBookmark = now;
				break;
			case 'ERROR':
				// The server ends the watch after an ERROR; end it here too, with the Status as the reason.
				this.endedBy = fromStatus(event.object);
				this.stream?.abort();
				return;
			default:
				return;
		}
		if (o?.metadata?.resourceVersion) this.rv = o.metadata.resourceVersion;
		if (event.type !== 'BOOKMARK') this.options.onChange();
	}

	/** The watch (or the list) ended: `error` null for a clean close; `lasted` how long the watch was open. */
	private onEnd(error: KubeError | null, lasted: number | undefined): void {
		if (this.stopped) return;
		if (!error) {
			// The server closed it (its timeout): carry on from where we were; at once, unless it closes at once.
			if (lasted !== undefined && lasted >= 1000) {
				void this.connect();
				return;
			}
			error = new KubeError(0, 'Closed', `the API server closed the ${this.name} watch at once`);
		}
		if (error.code === 410) {
			this.rv = '';
			this.relistWhy = `the ${this.name} watch's resourceVersion expired`;
			void this.connect();
			return;
		}
		if (isTooLargeResourceVersion(error)) {
			this.rv = '';
			this.relistWhy = 'the API server is behind what this view saw (restored from an older state?)';
			void this.connect();
			return;
		}
		// A connection that broke or never came: the server may have restarted, perhaps from an older state; list again.
		if (error.code === 0 && error.reason === 'Unreachable') {
			this.rv = '';
			this.relistWhy ??= `the ${this.name} watch lost the API server`;
		}
		this.retry(error);
	}

	private retry(error: KubeError): void {
		this.attempt++;
		const wait = (this.options.backoff ?? defaultBackoff)(this.attempt);
		this.options.onState({state: 'reconnecting', retryAt: this.now() + wait, attempt: this.attempt, error});
		clearTimeout(this.timer);
		const generation = this.generation;
		this.timer = setTimeout(() => {
			if (generation === this.generation) void this.connect();
		}, wait);
	}
}

export function idOf(o: KObject): string {
	return `${o.metadata?.namespace ?? ''}/${o.metadata?.name ?? ''}`;
}
