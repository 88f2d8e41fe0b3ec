// History benchmarks with the 1,000-pod release: the memory of one and two hours of history of a busy release
// (a pod changes every 50 ms, a Warning every 10 s, a weight step every 10 minutes, SLIs every 5 s), and the
// size of a recording of the same hour (written by the recorder, flushed twice a second), then how long its
// replay takes. The objects and the model are the sim's real ones; the hour is played faster than real time.
import {mkdtempSync, rmSync, statSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {setFlagsFromString} from 'node:v8';
import {runInNewContext} from 'node:vm';
import {History} from '../../source/history/history.js';
import {elapsed} from '../../source/history/time.js';
import {readRecording, RecordingWriter} from '../../source/history/recording-file.js';
import {Replay} from '../../source/history/replay.js';
import {buildRelease, resolveTarget} from '../../source/kinds/registry.js';
import type {KObject} from '../../source/kube/object.js';
import {startRecorder} from '../../source/live/recorder.js';
import type {MetricsState} from '../../source/metrics/state.js';
import type {Release} from '../../source/release/model.js';
import type {ClusterSnapshot} from '../../source/release/snapshot.js';
import {initialState} from '../../source/store/state.js';
import {Store} from '../../source/store/store.js';
import {startSim} from '../../source/sim/cluster.js';

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;
const sleep = (ms: number) => new Promise(r => setTimeout(r, ms));
const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MB`;

function heap(): number {
	gc();
	gc();
	return process.memoryUsage().heapUsed;
}

/** The sim's canary release with 1,000 pods, as objects and as the model. */
async function thousandPods(): Promise<{snap: ClusterSnapshot; release: Release; target: string}> {
	const sim = await startSim({scenario: 'canary', pods: 1000, still: true, speed: 20});
	const namespace = sim.scenarios[0]!.namespace;
	const target = sim.scenarios[0]!.target;
	const s = sim.store;
	const ready = () => s.list('pods', namespace).filter(p => (p.status?.conditions ?? []).some((c: {type?: string; status?: string}) => c.type === 'Ready' && c.status === 'True')).length;
	for (let i = 0; i < 600 && ready() < 990; i++) await sleep(100);
	const kinded = (kind: string, list: KObject[]) => list.map(o => ({...o, kind}));
	const snap: ClusterSnapshot = {
		namespace,
		deployments: kinded('Deployment', s.list('apps/deployments', namespace)),
		replicaSets: kinded('ReplicaSet', s.list('apps/replicasets', namespace)),
		pods: kinded('Pod', s.list('pods', namespace)),
		services: kinded('Service', s.list('services', namespace)),
		events: kinded('Event', s.list('events', namespace)),
		routers: [...kinded('VirtualService', s.list('networking.istio.io/virtualservices', namespace)), ...kinded('DestinationRule', s.list('networking.istio.io/destinationrules', namespace))],
		now: Date.now(),
	};
	await sim.stop();
	const resolved = resolveTarget(snap, target);
	if ('error' in resolved) throw new Error(resolved.error);
	return {snap: JSON.parse(JSON.stringify(snap)), release: buildRelease(snap, resolved.ref), target};
}

/** The SLI window as the poller publishes it: 121 steps of 5 s per SLI and version. */
function metricsAt(end: number, versions: readonly string[]): MetricsState {
	const stepMs = 5000;
	const keys = ['requestRate', 'errorRatio', 'p95', 'p99', 'cpu', 'memory'] as const;
	return {
		source: 'prometheus bench',
		status: {state: 'ok', at: end},
		stepMs,
		end,
		rows: keys.map((key, k) => ({key, threshold: {}, values: Object.fromEntries(versions.map((id, v) => [id, Array.from({length: 121}, (_, i) => 100 * (k + 1) + v + Math.sin((end / stepMs - 120 + i) / 10))]))})),
	};
}

const HOUR = 3_600_000;

/** Two hours of history of a busy release: the estimate, the heap it takes, frames and marks after each hour. */
function historyHours(base: Release): string[] {
	const before = heap();
	const history = new History();
	const start = Date.now();
	let release = base;
	const versions = release.versions.map(v => v.id);
	let metrics = metricsAt(start, versions);
	const lines: string[] = [];
	let began = performance.now();
	let n = 0;
	for (let hour = 1; hour <= 2; hour++) {
		for (let at = start + (hour - 1) * HOUR; at < start + hour * HOUR; at += 50, n++) {
			// A pod changes (restarts, readiness).
			const i = (n * 37) % release.pods.length;
			release = {...release, pods: release.pods.map((p, k) => (k === i ? {...p, restarts: p.restarts + 1, ready: !p.ready} : p))};
			if (n % 200 === 0) {
				const event = {time: new Date(at).toISOString(), type: 'Warning' as const, reason: 'BackOff', object: `Pod/${release.pods[i]!.name}`, message: `Back-off restarting failed container (${n})`, count: 1};
				release = {...release, events: [event, ...release.events].slice(0, 50)};
			}
			if (n % 12_000 === 0) {
				const canary = ((n / 12_000) % 10) * 10;
				release = {...release, traffic: {...release.traffic!, weights: Object.fromEntries(versions.map(id => [id, id.includes('canary') ? canary : 100 - canary]))}};
			}
			if (n % 100 === 0) metrics = metricsAt(Math.floor(at / 5000) * 5000, versions);
			history.observe({...initialState('bench', release.namespace, release.target), connection: {state: 'live', since: start}, release, metrics}, at);
		}
		const took = (performance.now() - began) / 1000;
		const used = heap() - before;
		lines.push(`${hour} h of history (a pod changes every 50 ms; ${took.toFixed(1)} s to feed the hour): heap ${mb(used)} (goal: 2 h within 50 MB), estimate ${mb(history.bytes())}, ${history.frames.length.toLocaleString('en')} frames reaching back ${elapsed(history.end! - history.start!)}, ${history.marks.length} marks, ${history.series.samples.toLocaleString('en')} SLI samples`);
		began = performance.now();
	}
	return lines;
}

/** An hour of the same busy release recorded: the file's size, and how long its replay (report) takes. */
async function recordingHour(snap: ClusterSnapshot, target: string): Promise<string[]> {
	const dir = mkdtempSync(join(tmpdir(), 'rollscope-bench-history-'));
	try {
		const file = join(dir, 'hour.ndjson.gz');
		const start = Date.now();
		let clock = start;
		const objects = {...snap, pods: [...snap.pods], events: [...snap.events]};
		let current: ClusterSnapshot = {...objects, now: clock};
		const store = new Store({...initialState('bench', snap.namespace, target), connection: {state: 'live', since: start}}, 0);
		const writer = await RecordingWriter.create(file, {started: start, context: 'bench', namespace: snap.namespace, target});
		const recorder = startRecorder({store, snapshot: () => current, writer, now: () => clock, flushMs: 3_600_000});
		const versions = [...new Set(snap.deployments.map(d => d.metadata.name!))];
		const began = performance.now();
		for (let n = 0; clock < start + HOUR; n++) {
			clock += 50;
			// The same churn as the history: a pod changes every 50 ms, a Warning every 10 s.
			const i = (n * 37) % objects.pods.length;
			const pod = objects.pods[i]!;
			const statuses = (pod.status?.containerStatuses ?? []).map((c: any) => ({...c, restartCount: (c.restartCount ?? 0) + 1}));
			objects.pods[i] = {...pod, metadata: {...pod.metadata, resourceVersion: String(n)}, status: {...pod.status, containerStatuses: statuses}};
			if (n % 200 === 0) {
				const e = objects.events[n % objects.events.length]!;
				objects.events[n % objects.events.length] = {...e, type: 'Warning', reason: 'BackOff', message: `Back-off restarting failed container (${n})`, count: (e.count ?? 1) + 1, lastTimestamp: new Date(clock).toISOString()};
			}
			current = {...objects, pods: [...objects.pods], events: [...objects.events], now: clock};
			if (n % 100 === 0) store.dispatch({type: 'metrics', metrics: metricsAt(Math.floor(clock / 5000) * 5000, versions)});
			recorder.capture();
			// Flushed twice a second, as the recorder's timer does.
			if (n % 10 === 0) await writer.flush();
		}
		await recorder.stop();
		const wrote = (performance.now() - began) / 1000;
		const bytes = statSync(file).size;
		const lines = [`an hour recorded (${writer.entries.toLocaleString('en')} records, ${wrote.toFixed(1)} s to write): ${mb(bytes)} (goal: under 20 MB)`];
		const before = heap();
		const replayBegan = performance.now();
		let replay: Replay | undefined;
		await readRecording(file, (entry, header) => {
			replay ??= new Replay(header);
			replay.push(entry);
		});
		replay!.finish();
		const replayed = (performance.now() - replayBegan) / 1000;
		lines.push(`its replay (what --report and the view do first): ${replayed.toFixed(1)} s, ${replay!.history.frames.length.toLocaleString('en')} frames, heap ${mb(heap() - before)}`);
		store.close();
		return lines;
	} finally {
		rmSync(dir, {recursive: true, force: true});
	}
}

export async function benchHistory(): Promise<string[]> {
	const {snap, release, target} = await thousandPods();
	const lines = [`release: ${release.pods.length} pods, ${release.versions.length} versions, ${snap.events.length} events in the namespace`];
	lines.push(...historyHours(release));
	lines.push(...(await recordingHour(snap, target)));
	return lines;
}
