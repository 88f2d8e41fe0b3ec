// Writes a recording while a view (or `rollscope record`) runs: on every change of the store, the objects
// the watches changed or dropped since the last time (stripped), the connection, the target, new or corrected
// SLI samples, the metrics source's state, the verdict and the action under way. Flushed to the file twice a
// second, so a killed process loses at most the last half second.
import {deepEqual} from '../actions/json.js';
import type {Activity} from '../actions/activity.js';
import type {KObject} from '../kube/object.js';
import type {ClusterSnapshot} from '../release/snapshot.js';
import type {AppState} from '../store/state.js';
import type {Store} from '../store/store.js';
import {metricsMoment, verdictMoment, type MetricsMoment, type VerdictMoment} from '../history/frame.js';
import {snapshotFields, stripObject, type Entry, type SampleRun} from '../history/recording.js';
import type {RecordingWriter} from '../history/recording-file.js';

export type RecorderOptions = {
	store: Store;
	/** The objects the watches hold now (the release watch's snapshot). */
	snapshot: () => ClusterSnapshot;
	writer: RecordingWriter;
	flushMs?: number;
	/** Wall clock (ms). */
	now?: () => number;
};

export type Recorder = {
	/** Record what changed since the last time (the store's changes call it too). */
	capture(): void;
	/** Capture, write everything out and close the file. */
	stop(): Promise<void>;
};

/** An object's identity in its field: routers holds several kinds, whose objects may share a name. */
const idOf = (o: KObject) => `${o.kind ?? ''}/${o.metadata?.namespace ?? ''}/${o.metadata?.name ?? ''}`;
const same = (a: number, b: number) => a === b || (Number.isNaN(a) && Number.isNaN(b));

export function startRecorder(options: RecorderOptions): Recorder {
	const {store, snapshot, writer} = options;
	const now = options.now ?? Date.now;
	const known = new Map(snapshotFields.map(f => [f, new Map<string, KObject>()]));
	const written = new Map<string, {end: number; stepMs: number; values: number[]}>();
	let lastSnap: ClusterSnapshot | undefined;
	let last: Partial<Pick<AppState, 'target' | 'connection' | 'metrics'>> = {};
	let lastMetrics: MetricsMoment | undefined;
	let lastVerdict: VerdictMoment | undefined;
	let lastActivity: Activity | undefined;
	let started = false;
	let stopped = false;

	const objects = (t: number, entries: Entry[]) => {
		const snap = snapshot();
		if (snap === lastSnap) return;
		lastSnap = snap;
		for (const field of snapshotFields) {
			const had = known.get(field)!;
			const present = new Set<string>();
			for (const object of snap[field] ?? []) {
				const id = idOf(object);
				present.add(id);
				if (had.get(id) === object) continue;
				had.set(id, object);
				entries.push({t, kind: 'object', field, object: stripObject(field, object)});
			}
			for (const id of had.keys()) {
				if (present.has(id)) continue;
				had.delete(id);
				entries.push({t, kind: 'delete', field, id});
			}
		}
	};

	/** New steps, and steps whose value changed (late scrapes), per series: one run from the first such step. */
	const samples = (t: number, state: AppState, entries: Entry[]) => {
		const metrics = state.metrics;
		if (!metrics || metrics.end === undefined) return;
		const runs: SampleRun[] = [];
		for (const row of metrics.rows) {
			for (const [version, values] of Object.entries(row.values)) {
				const key = `${row.key}\u0000${version}`;
				const before = written.get(key);
				const first: number = metrics.end - (values.length - 1) * metrics.stepMs;
				let from = 0;
				if (before && before.stepMs === metrics.stepMs) {
					while (from < values.length) {
						const time: number = first + from * metrics.stepMs;
						const k = (time - (before.end - (before.values.length - 1) * before.stepMs)) / before.stepMs;
						if (time > before.end || k < 0 || !same(before.values[k]!, values[from]!)) break;
						from++;
					}
				}
				written.set(key, {end: metrics.end, stepMs: metrics.stepMs, values});
				if (from >= values.length) continue;
				const run = values.slice(from);
				if (!before && run.every(v => Number.isNaN(v))) continue;
				runs.push([row.key, version, first + from * metrics.stepMs, run.map(v => (Number.isNaN(v) ? null : v))]);
			}
		}
		if (runs.length > 0) entries.push({t, kind: 'samples', stepMs: metrics.stepMs, end: metrics.end, runs});
	};

	const capture = () => {
		if (stopped) return;
		const t = now();
		const state = store.getState();
		const entries: Entry[] = [];
		if (!started || state.target !== last.target) entries.push({t, kind: 'target', ...(state.target === undefined ? {} : {target: state.target})});
		if (!started || state.connection !== last.connection) entries.push({t, kind: 'connection', connection: state.connection});
		objects(t, entries);
		if (state.metrics !== last.metrics) {
			const moment = metricsMoment(state.metrics);
			if (moment && !deepEqual(moment, lastMetrics)) entries.push({t, kind: 'metrics', metrics: moment});
			lastMetrics = moment;
			samples(t, state, entries);
		}
		const verdict = verdictMoment(state.verdict);
		if (verdict && !deepEqual(verdict, lastVerdict)) entries.push({t, kind: 'verdict', verdict});
		lastVerdict = verdict;
		const activity = state.actions?.activity;
		if (!deepEqual(activity, lastActivity)) entries.push({t, kind: 'activity', activity: activity ?? null});
		lastActivity = activity;
		last = {target: state.target, connection: state.connection, metrics: state.metrics};
		started = true;
		if (entries.length > 0) writer.add(entries);
	};

	const unsubscribe = store.subscribe(capture);
	const timer = setInterval(() => void writer.flush(), options.flushMs ?? 500);
	timer.unref?.();
	capture();
	return {
		capture,
		async stop() {
			capture();
			stopped = true;
			// Where the recording ends, though nothing changed in its last moments.
			writer.add([{t: now(), kind: 'end'}]);
			unsubscribe();
			clearInterval(timer);
			await writer.close();
		},
	};
}
