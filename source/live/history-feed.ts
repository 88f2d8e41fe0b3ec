// Feeds the history from the store: every change the store announces becomes a frame (when something the
// view shows changed), at the wall-clock time it was announced.
import type {History} from '../history/history.js';
import type {StateSource} from '../store/store.js';

/** Observe the store now and on every change; returns the unsubscribe. */
export function feedHistory(store: StateSource, history: History, now: () => number = Date.now): () => void {
	const observe = () => void history.observe(store.getState(), now());
	observe();
	return store.subscribe(observe);
}
