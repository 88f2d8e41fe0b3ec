// Reads from a resourceVersion the store has not reached: kube-apiserver's watch cache waits up to
// 3 s for it (watch_cache.go waitUntilFreshLocked), then answers 504 "Too large resource version".
import {tooLargeResourceVersion} from './errors.js';
import type {ObjectStore} from './store.js';

/** How long a read waits for the store to reach the resourceVersion it asked for (the watch cache's blockTimeout). */
export const freshnessTimeoutMs = 3000;
/** What the watch cache asks the client to wait before trying again (resourceVersionTooHighRetrySeconds). */
const retryAfterSeconds = 1;

/** Resolves once the store's resourceVersion is at least `rv`; rejects with 504 Too large resource version after the timeout. */
export async function waitUntilFresh(store: ObjectStore, rv: number, timeoutMs = freshnessTimeoutMs): Promise<void> {
	const deadline = Date.now() + timeoutMs;
	while (store.resourceVersion < rv) {
		const left = deadline - Date.now();
		if (left <= 0) throw tooLargeResourceVersion(rv, store.resourceVersion, retryAfterSeconds);
		await new Promise(resolve => setTimeout(resolve, Math.min(50, left)));
	}
}
