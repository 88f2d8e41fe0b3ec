// The start of a live view that does not wait for its code: the store and the release watch, started while
// Ink, React and the rest of the view load (source/commands/open-view.tsx takes them over).
import type {KubeClient} from '../kube/client.js';
import {watchRelease, type ReleaseWatch} from '../live/release-watch.js';
import {initialState} from '../store/state.js';
import {Store} from '../store/store.js';

export type Started = {store: Store; watch: ReleaseWatch};

/** The store of a view and its watch, started: the lists come while the rest of the view loads. */
export function startWatching(client: KubeClient, target: string | undefined): Started {
	const store = new Store(initialState(client.context, client.namespace, target));
	return {store, watch: watchRelease(client, store)};
}

/** Whether the live view cannot run here (no terminal); says why. */
export function needsTerminal(): boolean {
	if (process.stdout.isTTY && process.stdin.isTTY) return false;
	process.stderr.write('rollscope: the live view needs a terminal (no TTY here). Use --once for a text snapshot, or --once -o json.\n');
	return true;
}
