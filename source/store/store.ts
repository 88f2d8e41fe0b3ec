// One external store: watches and timers dispatch into it; React reads it with useSyncExternalStore.
// Subscribers are told at most once per `batchMs`, so bursts of watch events make one render.
import {BatchedStore} from './batched-store.js';
import {reduce, type Action, type AppState} from './state.js';

/** What a view reads: the store itself, or one that shows a moment of its past (source/history/travel.ts). */
export type StateSource = Pick<Store, 'getState' | 'subscribe'>;

export class Store extends BatchedStore<AppState, Action> {
	constructor(initial: AppState, batchMs = 50) {
		super(initial, reduce, batchMs);
	}
}
