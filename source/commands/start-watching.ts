// The start of a live view that does not wait for its code: the store and the release watch, started while
// Ink, React and the rest of the view load (source/commands/open-view.tsx takes them over).
import type {KubeClient} from '../kube/client.js';
import {watchRelease, type ReleaseWatch} from '../live/release-watch.js';
import {initialState} from '../store/state.js';
import {Store} from '../store/store.js';

export type Started = {store: Store; watch: ReleaseWatch};

/** The store of a view and its watch (of `namespace`, by default the client's), started: the lists come while the rest of the view loads. */
export function startWatching(client: KubeClient, target: string | undefined, namespace = client.namespace): Started {
	const store = new Store(initialState(client.context, namespace, target));
	// The Events come after the first build: the first frame does not wait for them.
	return {store, watch: watchRelease(client, store, {eventsAfterFirstBuild: true})};
}

/** Whether the live view can be drawn here (a TTY, not TERM=dumb); says why not. */
export function canDraw(dumbTerminal: boolean | undefined): boolean {
	if (!process.stdout.isTTY || !process.stdin.isTTY) {
		process.stderr.write('rollscope: the live view needs a terminal (no TTY here). Use --once for a text snapshot, or --once -o json.\n');
		return false;
	}
	if (dumbTerminal) {
		process.stderr.write('rollscope: TERM=dumb: this terminal cannot draw the live view (no cursor movement). Use --once for a text snapshot, or --once -o json.\n');
		return false;
	}
	return true;
}
