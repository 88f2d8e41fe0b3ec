// A recording played back into the app state and a history, with no cluster: the objects the watches saw
// are applied in order and the release is built from them the way the release watch builds it (at most every
// quarter second of recorded time, a millisecond per pod for big releases, and at the end), the SLI samples,
// verdicts and actions are set as they came.
import type {KObject} from '../kube/object.js';
import {buildRelease, findReleases, resolveTarget} from '../kinds/registry.js';
import type {MetricsState} from '../metrics/state.js';
import {sliKeys} from '../metrics/slis.js';
import {sanitize} from '../release/sanitize.js';
import type {ClusterSnapshot, SnapshotField} from '../release/snapshot.js';
import {initialState, reduce, type Action, type AppState} from '../store/state.js';
import type {MetricsMoment} from './frame.js';
import {History} from './history.js';
import {snapshotFields, type Entry, type RecordingHeader} from './recording.js';

export type ReplayOptions = {
	/** Recorded time between rebuilds of the release while objects change (ms); default 250, more for big releases. */
	rebuildMs?: number;
	/** Where the frames go; a history that only thins out over its budget by default. */
	history?: History;
};

/** Frames of a replay are at most a few a second; only the budget thins them. */
export const replaySpacing = () => 250;

export class Replay {
	readonly history: History;
	state: AppState;
	/** Where the release is first on screen (the header's start until then), and the last recorded time. */
	start: number;
	end: number;
	private readonly objects = new Map<SnapshotField, Map<string, KObject>>(snapshotFields.map(f => [f, new Map()]));
	private readonly rebuildMs: number;
	private dirty = false;
	private lastBuild = -Infinity;
	private lastT: number;
	private metrics?: MetricsMoment;
	private versions = '';
	private shown = false;

	constructor(readonly header: RecordingHeader, options: ReplayOptions = {}) {
		this.history = options.history ?? new History({spacing: replaySpacing});
		this.rebuildMs = options.rebuildMs ?? 250;
		// The header's words reach the screen: no terminal sequences from a file.
		this.state = initialState(sanitize(header.context), sanitize(header.namespace), header.target === undefined ? undefined : sanitize(header.target));
		this.start = header.started;
		this.end = header.started;
		this.lastT = header.started;
		this.state = {...this.state, now: header.started};
	}

	private dispatch(action: Action, at: number): void {
		this.state = reduce({...this.state, now: at}, action);
		this.history.observe(this.state, at);
		// A replay starts where the release is first on screen.
		if (!this.shown && this.state.release) {
			this.shown = true;
			this.start = at;
		}
	}

	/** Recorded time between rebuilds: the base, or a millisecond per pod for big releases (a build costs about that). */
	private interval(): number {
		return Math.max(this.rebuildMs, this.state.release?.pods.length ?? 0);
	}

	/** Apply one record (records come in time order; those of one moment are applied together). */
	push(entry: Entry): void {
		const t = Math.max(entry.t, this.lastT);
		if (this.dirty && t > this.lastT && t - this.lastBuild >= this.interval()) this.rebuild(this.lastT);
		this.lastT = t;
		this.end = Math.max(this.end, t);
		switch (entry.kind) {
			case 'object':
				this.objects.get(entry.field)!.set(`${entry.object.kind ?? ''}/${entry.object.metadata.namespace ?? ''}/${entry.object.metadata.name ?? ''}`, entry.object);
				this.dirty = true;
				break;
			case 'delete':
				this.objects.get(entry.field)!.delete(entry.id);
				this.dirty = true;
				break;
			case 'connection':
				this.dispatch({type: 'connection', connection: entry.connection}, t);
				break;
			case 'target':
				this.dispatch({type: 'target', target: entry.target === undefined ? undefined : sanitize(entry.target)}, t);
				this.dirty = true;
				break;
			case 'metrics':
				// Rows of SLIs this rollscope does not know (a later one's) are left out.
				this.metrics = {...entry.metrics, rows: entry.metrics.rows.filter(row => (sliKeys as readonly string[]).includes(row.key))};
				this.dispatch({type: 'metrics', metrics: this.metricsState(this.state.metrics?.end)}, t);
				break;
			case 'samples':
				for (const [sli, version, start, values] of entry.runs) {
					values.forEach((value, k) => this.history.series.set(sli, version, start + k * entry.stepMs, value === null ? NaN : value));
				}
				if (this.metrics) this.dispatch({type: 'metrics', metrics: this.metricsState(entry.end)}, t);
				break;
			case 'verdict':
				this.dispatch({type: 'verdict', verdict: {verdict: undefined, windowStart: undefined, note: undefined, ...entry.verdict}}, t);
				break;
			case 'activity':
				this.dispatch({type: 'actions', actions: {activity: entry.activity ?? undefined}}, t);
				break;
			case 'end':
				break;
		}
	}

	/** The metrics slice as the view had it: the window ending at `end`, from the samples so far. */
	private metricsState(end: number | undefined): MetricsState {
		const moment = this.metrics!;
		const versions = this.state.release?.versions.map(v => v.id) ?? [];
		const rows = moment.rows.map(row => ({
			...row,
			values: end === undefined ? {} : Object.fromEntries(versions.map(id => [id, this.history.series.window(row.key, id, end, moment.stepMs, moment.points)])),
		}));
		const {points: _points, ...rest} = moment;
		return {...rest, rows, ...(end === undefined ? {} : {end})};
	}

	/** Build the release from the objects as they stood at `at`, as the release watch does. */
	private rebuild(at: number): void {
		this.dirty = false;
		this.lastBuild = at;
		const snap: ClusterSnapshot = {namespace: this.header.namespace, deployments: [], replicaSets: [], pods: [], services: [], events: [], routers: [], now: at};
		for (const [field, objects] of this.objects) if (objects.size > 0 || field in snap) (snap[field] as KObject[] | undefined) = [...objects.values()];
		const releases = findReleases(snap);
		const target = this.state.target;
		if (!target) {
			this.dispatch({type: 'release', release: undefined, releases}, at);
			return;
		}
		const resolved = resolveTarget(snap, target);
		if ('error' in resolved) {
			this.dispatch({type: 'release', release: undefined, releases, problem: this.state.connection.state === 'live' ? resolved.error : undefined}, at);
			return;
		}
		const release = buildRelease(snap, resolved.ref);
		const versions = release.versions.map(v => v.id).join('\u0000');
		this.dispatch({type: 'release', release, releases}, at);
		// With other versions, the SLI window shows those.
		if (versions !== this.versions && this.metrics && this.state.metrics) this.dispatch({type: 'metrics', metrics: this.metricsState(this.state.metrics.end)}, at);
		this.versions = versions;
	}

	/** The state at `at` (default: the last record): the release built from every object recorded up to then. */
	finish(at = this.lastT): AppState {
		this.rebuild(Math.max(at, this.lastT));
		this.end = Math.max(this.end, at);
		this.state = {...this.state, now: at};
		return this.state;
	}
}
