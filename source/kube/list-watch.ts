// A list-then-watch cache that never gives up: it resumes from the last resourceVersion after a
// clean close or a timeout, relists after 410 Expired, and retries anything else with backoff
// (1 s doubling to 30 s). client-node's own informer stops for good on most errors, so this owns that.
import type {KubeClient, WatchEvent} from './client.js';
import {KubeError, toKubeError} from './errors.js';
import type {KObject} from './object.js';

export type WatchState =
	| {state: 'connecting'}
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
	labelSelector?: string;
	fieldSelector?: string;
	onChange: () => void;
	onState: (state: WatchState) => void;
	/** Delay before retry `attempt` (1-based), ms. */
	backoff?: (attempt: number) => number;
};

export const defaultBackoff = (attempt: number) => Math.min(30_000, 1000 * 2 ** (attempt - 1));

export class ListWatch {
	readonly items = new Map<string, KObject>();
	private rv = '';
	private abort: AbortController | undefined;
	private timer: NodeJS.Timeout | undefined;
	private stopped = false;
	private attempt = 0;
	private generation = 0;

	constructor(
		private readonly client: KubeClient,
		readonly path: string,
		private readonly options: ListWatchOptions,
	) {}

	start(): void {
		this.options.onState({state: 'connecting'});
		void this.connect();
	}

	stop(): void {
		this.stopped = true;
		clearTimeout(this.timer);
		this.abort?.abort();
	}

	list(): KObject[] {
		return [...this.items.values()];
	}

	private selectors() {
		return {labelSelector: this.options.labelSelector, fieldSelector: this.options.fieldSelector};
	}

	private async connect(): Promise<void> {
		if (this.stopped) return;
		const generation = ++this.generation;
		try {
			if (!this.rv) {
				const {items, resourceVersion} = await this.client.list(this.path, this.selectors());
				if (this.stopped || generation !== this.generation) return;
				this.items.clear();
				for (const o of items) this.items.set(idOf(o), this.stamp(o));
				this.rv = resourceVersion;
				this.options.onChange();
			}
			let ended = false;
			this.abort = await this.client.watch(
				this.path,
				{...this.selectors(), resourceVersion: this.rv, allowWatchBookmarks: 'true'},
				event => this.onEvent(event),
				error => {
					ended = true;
					this.onDone(error, generation);
				},
			);
			if (this.stopped) this.abort.abort();
			else if (!ended && generation === this.generation) {
				this.attempt = 0;
				this.options.onState({state: 'live'});
			}
		} catch (error) {
			this.retry(toKubeError(error), generation);
		}
	}

	private stamp(o: KObject): KObject {
		if (o && typeof o === 'object') {
			o.kind = this.options.kind;
			o.apiVersion = this.options.apiVersion;
		}
		return o;
	}

	private onEvent(event: WatchEvent): void {
		const o = event.object as KObject;
		switch (event.type) {
			case 'ADDED':
			case 'MODIFIED':
				this.items.set(idOf(o), this.stamp(o));
				break;
			case 'DELETED':
				this.items.delete(idOf(o));
				break;
			case 'BOOKMARK':
				break;
			case 'ERROR': {
				const status = event.object as {code?: number; reason?: string; message?: string};
				// 410: the resume point is gone; relist when the stream ends.
				if (status?.code === 410) this.rv = '';
				return;
			}
		}
		if (o?.metadata?.resourceVersion) this.rv = o.metadata.resourceVersion;
		if (event.type !== 'BOOKMARK') this.options.onChange();
	}

	private onDone(error: unknown, generation: number): void {
		if (this.stopped || generation !== this.generation) return;
		const e = error as {name?: string; code?: number; statusCode?: number} | null;
		if (!e || e.name === 'TimeoutError' || e.name === 'AbortError') {
			// A clean end or an idle timeout: carry on from where we were.
			void this.connect();
			return;
		}
		if (e.code === 410 || e.statusCode === 410) {
			this.rv = '';
			void this.connect();
			return;
		}
		this.retry(toKubeError(error), generation);
	}

	private retry(error: KubeError, generation: number): void {
		if (this.stopped || generation !== this.generation) return;
		if (error.code === 410) this.rv = '';
		this.attempt++;
		const wait = (this.options.backoff ?? defaultBackoff)(this.attempt);
		this.options.onState({state: 'reconnecting', retryAt: Date.now() + wait, attempt: this.attempt, error});
		clearTimeout(this.timer);
		this.timer = setTimeout(() => void this.connect(), wait);
	}
}

export function idOf(o: KObject): string {
	return `${o.metadata?.namespace ?? ''}/${o.metadata?.name ?? ''}`;
}
