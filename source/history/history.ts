// The past of a release as the view saw it: a frame after each change (the model, connection, verdict, the
// action under way), the marks of what happened, and the SLI samples. Bounded by memory: recent frames are all
// kept, older ones thin out with age (the frames of marks stay), and when the estimate passes the budget older
// frames thin out further. The view asks it for the state at any kept moment.
import {deepEqual} from '../actions/json.js';
import {weightOf} from '../release/versions.js';
import type {MetricsState} from '../metrics/state.js';
import type {AppState} from '../store/state.js';
import {addedBytes, restoreRelease, sizeOfTree, storeRelease} from './compact.js';
import {metricsMoment, verdictMoment, type Frame, type MetricsMoment} from './frame.js';
import {eventKey, marksBetween, type Mark} from './marks.js';
import {SliSeries} from './series.js';

const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;

/** The least time between kept frames, by their age: all of the last two minutes, then thinner. */
export function liveSpacing(ageMs: number): number {
	if (ageMs < 2 * MINUTE) return 0;
	if (ageMs < 15 * MINUTE) return SECOND;
	if (ageMs < HOUR) return 5 * SECOND;
	if (ageMs < 6 * HOUR) return 30 * SECOND;
	return 5 * MINUTE;
}

export type HistoryOptions = {
	/** Bytes the frames may take (estimated); older frames thin out past it. Default 40 MB. */
	budgetBytes?: number;
	/** The least time between kept frames of an age (ms); default liveSpacing. */
	spacing?: (ageMs: number) => number;
	/** Marks kept (the oldest go first). */
	maxMarks?: number;
};

/** What a frame costs beyond the frame before it. */
const FRAME_BYTES = 160;

/** Event keys remembered, to tell a new event from a repeat. */
const MAX_SEEN = 20_000;

export class History {
	readonly frames: Frame[] = [];
	readonly marks: Mark[] = [];
	readonly series = new SliSeries();
	private readonly budget: number;
	private readonly spacing: (ageMs: number) => number;
	private readonly maxMarks: number;
	private readonly seen = new Set<string>();
	private total = 0;
	/** Spacings are multiplied by this while the frames are over the budget. */
	private factor = 1;
	private sinceThin = 0;
	/** Every watch has listed once: from here on, changes are news (before, the release is still loading). */
	private loaded = false;
	private last?: AppState;
	private lastMetrics?: MetricsState;
	private weightCache?: {key: string; values: number[]};

	constructor(options: HistoryOptions = {}) {
		this.budget = options.budgetBytes ?? 40 * 1024 * 1024;
		this.spacing = options.spacing ?? liveSpacing;
		this.maxMarks = options.maxMarks ?? 5000;
	}

	get start(): number | undefined {
		return this.frames[0]?.at;
	}

	get end(): number | undefined {
		return this.frames.at(-1)?.at;
	}

	/** Estimated bytes of the frames and the SLI samples. */
	bytes(): number {
		return this.total + this.series.bytes();
	}

	/** The store's state at `at` (ms epoch): a frame when something the view shows changed, and its marks. */
	observe(state: AppState, at: number): Mark[] {
		if (state.metrics && state.metrics !== this.lastMetrics) {
			this.series.ingest(state.metrics);
			this.lastMetrics = state.metrics;
		}
		const previous = this.last;
		this.last = state;
		const before = this.frames.at(-1);
		if (
			before &&
			previous &&
			state.release === previous.release &&
			state.target === previous.target &&
			state.problem === previous.problem &&
			state.connection === previous.connection &&
			state.verdict === previous.verdict &&
			state.actions?.activity === previous.actions?.activity &&
			state.metrics === previous.metrics
		) {
			return [];
		}
		const sameTarget = before?.release && state.release && before.release.target === state.release.target && before.release.namespace === state.release.namespace;
		const frame: Frame = {at, connection: state.connection, keep: false, bytes: 0};
		if (state.target !== undefined) frame.target = state.target;
		if (state.release) frame.release = sameTarget && state.release === previous?.release ? before!.release : storeRelease(sameTarget ? before!.release : undefined, state.release, at);
		if (state.problem !== undefined) frame.problem = state.problem;
		const verdict = verdictMoment(state.verdict);
		if (verdict) frame.verdict = before?.verdict && deepEqual(before.verdict, verdict) ? before.verdict : verdict;
		const activity = state.actions?.activity;
		if (activity) frame.activity = before?.activity && deepEqual(before.activity, activity) ? before.activity : activity;
		const metrics = metricsMoment(state.metrics);
		if (metrics) frame.metrics = before?.metrics && deepEqual(before.metrics, metrics) ? before.metrics : metrics;
		if (before && deepEqual(before.connection, frame.connection)) frame.connection = before.connection;
		if (before && sameFrame(before, frame)) return [];

		let marks: Mark[] = [];
		const loaded = frame.connection.state !== 'connecting';
		if (frame.release && (!before?.release || !this.loaded) && loaded) {
			// What the first frame of a loaded release shows was there before the history: not news.
			for (const e of frame.release.events) this.seen.add(eventKey(e));
			this.loaded = true;
		} else if (this.loaded) {
			marks = marksBetween(before, frame, at, this.seen);
		}
		if (this.seen.size > MAX_SEEN) {
			this.seen.clear();
			for (const e of frame.release?.events ?? []) this.seen.add(eventKey(e));
		}
		if (marks.length > 0) {
			frame.keep = true;
			if (before) before.keep = true;
			this.marks.push(...marks);
			if (this.marks.length > this.maxMarks) this.marks.splice(0, this.marks.length - this.maxMarks);
		}
		frame.bytes = frameBytes(frame, before);
		this.frames.push(frame);
		this.total += frame.bytes;
		if (++this.sinceThin >= 64 || this.total > this.budget) this.thin(at);
		return marks;
	}

	/** Thin the frames by age, and further while over the budget. */
	private thin(now: number): void {
		this.sinceThin = 0;
		this.thinPass(now, this.factor >= 64);
		while (this.total > this.budget && this.factor < 2 ** 16) {
			this.factor *= 2;
			this.thinPass(now, this.factor >= 64);
		}
		if (this.total < this.budget / 2 && this.factor > 1) this.factor /= 2;
	}

	/** One pass from the oldest: a frame closer to the last kept one than its age allows goes (the first and last stay). */
	private thinPass(now: number, evenKept: boolean): void {
		const frames = this.frames;
		if (frames.length < 3) return;
		const out: Frame[] = [frames[0]!];
		for (let i = 1; i < frames.length - 1; i++) {
			const frame = frames[i]!;
			const kept = out[out.length - 1]!;
			const spacing = this.spacing(now - frame.at) * this.factor;
			if (spacing > 0 && frame.at - kept.at < spacing && (!frame.keep || evenKept)) {
				// The next frame now follows `kept`: what it holds beyond that one is charged to it.
				const next = frames[i + 1]!;
				this.total -= frame.bytes + next.bytes;
				next.bytes = frameBytes(next, kept);
				this.total += next.bytes;
				continue;
			}
			out.push(frame);
		}
		out.push(frames[frames.length - 1]!);
		if (out.length !== frames.length) frames.splice(0, frames.length, ...out);
	}

	/** The last frame at or before `at`. */
	frameAt(at: number): Frame | undefined {
		const i = this.indexAt(at);
		return i >= 0 ? this.frames[i] : undefined;
	}

	private indexAt(at: number): number {
		let lo = 0;
		let hi = this.frames.length;
		while (lo < hi) {
			const mid = (lo + hi) >>> 1;
			if (this.frames[mid]!.at <= at) lo = mid + 1;
			else hi = mid;
		}
		return lo - 1;
	}

	/**
	 * The state the view showed at `at`: the frame then, its release with ages counted to then, its SLI values
	 * from the samples; what does not change with time (context, namespace, the releases of the picker) from `base`.
	 */
	stateAt(at: number, base: AppState): AppState {
		const frame = this.frameAt(at) ?? this.frames[0];
		if (!frame) return base;
		const state: AppState = {context: base.context, namespace: base.namespace, releases: base.releases, connection: frame.connection, now: at};
		if (frame.target !== undefined) state.target = frame.target;
		if (frame.release) state.release = restoreRelease(frame.release, at);
		if (frame.problem !== undefined) state.problem = frame.problem;
		if (base.actions) {
			const {activity: _live, ...actions} = base.actions;
			state.actions = frame.activity ? {...actions, activity: frame.activity} : actions;
		}
		if (frame.metrics) state.metrics = this.metricsAt(frame.metrics, at, state.release?.versions.map(v => v.id) ?? []);
		if (frame.verdict) state.verdict = frame.verdict;
		return state;
	}

	/** The metrics slice at `at`: the window that ended at the last settled step, from the samples. */
	private metricsAt(moment: MetricsMoment, at: number, versions: readonly string[]): MetricsState {
		const {stepMs, points} = moment;
		const end = Math.floor((at - SECOND) / stepMs) * stepMs;
		const rows = moment.rows.map(row => ({...row, values: Object.fromEntries(versions.map(id => [id, this.series.window(row.key, id, end, stepMs, points)]))}));
		return {source: moment.source, status: moment.status, stepMs, rows, end};
	}

	/** A version's weight at each of `count` step times ending at `end` (NaN where unknown): the weight row. */
	weights(version: string, end: number, stepMs: number, count: number): number[] {
		const key = `${version}\u0000${end}\u0000${stepMs}\u0000${count}\u0000${this.frames.length}\u0000${this.end}\u0000${this.start}`;
		if (this.weightCache?.key === key) return this.weightCache.values;
		const values = new Array<number>(count).fill(NaN);
		let i = this.indexAt(end - (count - 1) * stepMs);
		for (let k = 0; k < count; k++) {
			const t = end - (count - 1 - k) * stepMs;
			while (i + 1 < this.frames.length && this.frames[i + 1]!.at <= t) i++;
			const release = i >= 0 ? this.frames[i]!.release : undefined;
			const v = release?.versions.find(x => x.id === version);
			const w = release && v ? weightOf(release, v) : undefined;
			if (w !== undefined) values[k] = w;
		}
		this.weightCache = {key, values};
		return values;
	}
}

/** Frames that show the same thing. */
function sameFrame(a: Frame, b: Frame): boolean {
	return a.release === b.release && a.target === b.target && a.problem === b.problem && a.connection === b.connection && a.verdict === b.verdict && a.activity === b.activity && a.metrics === b.metrics;
}

/** What `frame` holds beyond `before`, roughly. */
function frameBytes(frame: Frame, before: Frame | undefined): number {
	let bytes = FRAME_BYTES + addedBytes(frame.release, before?.release);
	if (frame.verdict !== before?.verdict) bytes += sizeOfTree(frame.verdict);
	if (frame.activity !== before?.activity) bytes += sizeOfTree(frame.activity);
	if (frame.metrics !== before?.metrics) bytes += sizeOfTree(frame.metrics);
	if (frame.connection !== before?.connection) bytes += sizeOfTree(frame.connection);
	return bytes;
}
