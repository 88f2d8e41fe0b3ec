// The verdict column of the list of every namespace's releases: in rounds, one release at a time, the last
// window of each release whose kind compares two versions is judged as the view judges it (failing windows
// counted per pair of versions), from wherever windows are cheap to get: Prometheus (three instant queries a
// release) or the demo's in-process series. A round starts `intervalMs` after the last one ended.
import {toPromError} from '../metrics/prom-error.js';
import type {Release} from '../release/model.js';
import type {ClusterStore} from '../store/cluster-store.js';
import {defaultJudgeConfig, nextVerdict, type JudgeConfig, type Verdict} from '../verdict/judge.js';
import {windowPair} from '../verdict/window-queries.js';
import type {WindowSource} from '../verdict/window-source.js';

export type ClusterVerdictOptions = {
	store: ClusterStore;
	/** The releases as last built, most in need of a person first. */
	releases: () => Release[];
	source: WindowSource;
	/** The window each verdict counts over. */
	windowSeconds: number;
	intervalMs: number;
	judge?: JudgeConfig;
};

/** The row key of a release (see ReleaseRow.key). */
const rowKey = (release: Release) => `${release.namespace}/${release.target}`;

export function startClusterVerdicts(options: ClusterVerdictOptions): {stop(): void; round(): Promise<void>} {
	const {store, source, intervalMs, windowSeconds} = options;
	const judge = options.judge ?? defaultJudgeConfig;
	const controller = new AbortController();
	/** The last verdict per pair of versions (`key canary baseline`): a new pair starts over. */
	let previous = new Map<string, Verdict>();
	let stopped = false;
	let timer: NodeJS.Timeout | undefined;
	const note = `verdicts: ${source.where}, every ${Math.round(intervalMs / 1000)}s`;
	store.dispatch({type: 'verdicts', verdicts: {}, note});

	async function round(): Promise<void> {
		const next = new Map<string, Verdict>();
		let problem: string | undefined;
		for (const release of options.releases()) {
			if (stopped) return;
			const pair = windowPair(release);
			if (!pair) continue;
			const pairKey = `${rowKey(release)}\u0000${pair.canary.id}\u0000${pair.baseline.id}`;
			try {
				const answer = await source.window(release, windowSeconds, {time: Date.now(), signal: controller.signal});
				if ('note' in answer) continue;
				next.set(pairKey, nextVerdict(previous.get(pairKey), answer.data, judge));
			} catch (error) {
				// An unreachable Prometheus judges nothing this round: the verdicts so far stay.
				const last = previous.get(pairKey);
				if (last) next.set(pairKey, last);
				problem = `verdicts: ${source.where}: ${toPromError(error).message}`;
			}
		}
		if (stopped) return;
		previous = next;
		const verdicts: Record<string, Verdict> = {};
		for (const [pairKey, verdict] of next) verdicts[pairKey.split('\u0000')[0]!] = verdict;
		store.dispatch({type: 'verdicts', verdicts, note: problem ?? note});
	}

	const loop = async () => {
		await round();
		if (!stopped) timer = setTimeout(() => void loop(), intervalMs);
	};
	void loop();
	return {
		round,
		stop() {
			stopped = true;
			clearTimeout(timer);
			controller.abort();
		},
	};
}
