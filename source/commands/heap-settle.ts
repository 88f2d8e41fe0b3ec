// Give back the memory a burst took. V8's young generation grows to its limit (here 134 MB) while the first
// lists of a big namespace or a rollout of thousands of pods pour in, and V8 shrinks it again only when it
// judges the process idle, which a view that redraws its ages never quite is: a view of 5,000 pods stayed at
// about 290 MB resident with 40 MB of live objects. So a long-running view looks every half minute, and when
// the young generation is big and the event loop was mostly idle since the last look (the burst is over),
// asks for a full collection that reduces memory (as V8's own memory reducer does): a pause of about 0.1 s
// at 5,000 pods, once per burst.
import v8 from 'node:v8';
import vm from 'node:vm';

/** Young generation size from which a collection is asked for. */
const BIG_NEW_SPACE_BYTES = 32 * 1024 * 1024;
const CHECK_EVERY_MS = 30_000;
/** The share of the time since the last look the event loop may have been busy for the burst to count as over. */
const QUIET_UTILIZATION = 0.1;

type Gc = (options: {type: 'major'; execution: 'sync'; flavor: 'last-resort'}) => void;
let gc: Gc | undefined;

/** V8's gc(), exposed in a context of its own (the process's global is left alone). */
function collector(): Gc | undefined {
	if (gc) return gc;
	try {
		v8.setFlagsFromString('--expose-gc');
		gc = vm.runInNewContext('gc') as Gc;
	} catch {
		gc = undefined;
	}
	return gc;
}

const newSpaceBytes = () => v8.getHeapSpaceStatistics().find(s => s.space_name === 'new_space')?.space_size ?? 0;

/** Settle the heap if the young generation is big; whether it did. */
export function settleHeap(): boolean {
	if (newSpaceBytes() < BIG_NEW_SPACE_BYTES) return false;
	const collect = collector();
	if (!collect) return false;
	collect({type: 'major', execution: 'sync', flavor: 'last-resort'});
	return true;
}

/**
 * Look `firstMs` after the first frame (the first lists are in), then every 30 s while the event loop was
 * mostly idle since the last look; returns the stop. The timers never keep the process alive.
 */
export function settleHeapWhileRunning(firstMs = 3000): () => void {
	let every: NodeJS.Timeout | undefined;
	let since = performance.eventLoopUtilization();
	const first = setTimeout(() => {
		settleHeap();
		since = performance.eventLoopUtilization();
		every = setInterval(() => {
			const now = performance.eventLoopUtilization();
			const busy = performance.eventLoopUtilization(now, since).utilization;
			since = now;
			if (busy < QUIET_UTILIZATION) settleHeap();
		}, CHECK_EVERY_MS);
		every.unref();
	}, firstMs);
	first.unref();
	return () => {
		clearTimeout(first);
		clearInterval(every);
	};
}
