// A recording made through the real path (the sim's API server, the release watch, the recorder) and replayed
// with no cluster: the release rebuilt from the stripped objects is the one the view had; the states before and
// after a weight change and a new revision made with kubectl differ as they did; the report lists both.
import assert from 'node:assert/strict';
import {mkdtempSync, rmSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {after, before, describe, test} from 'node:test';
import {readRecording, RecordingWriter} from '../../source/history/recording-file.js';
import {Replay} from '../../source/history/replay.js';
import {reportMarkdown} from '../../source/history/report.js';
import {KubeClient} from '../../source/kube/client.js';
import {startRecorder} from '../../source/live/recorder.js';
import {watchRelease} from '../../source/live/release-watch.js';
import type {Release} from '../../source/release/model.js';
import {initialState} from '../../source/store/state.js';
import {Store} from '../../source/store/store.js';
import {kubectlOk, startTestSim, waitFor, type TestSim} from '../helpers/sim.js';

const namespace = 'canary';
const sleep = (ms: number) => new Promise(r => setTimeout(r, ms));

/** A release without what moves with the clock (ages), to compare a replayed one with the live one. */
const ageless = (r: Release) => ({...r, pods: r.pods.map(p => ({...p, ageSeconds: 0})), revisions: r.revisions.map(x => ({...x, ageSeconds: 0}))});

async function replayOf(path: string, until?: number): Promise<Replay> {
	let replay: Replay | undefined;
	const {header} = await readRecording(path, (entry, h) => {
		replay ??= new Replay(h);
		if (until !== undefined && entry.t > until) return 'stop';
		replay.push(entry);
		return undefined;
	});
	replay ??= new Replay(header);
	return replay;
}

describe('a recording of the sim, replayed', () => {
	let t: TestSim;
	let dir: string;
	let path: string;
	let before1: number;
	let after2: number;
	let live: Release;

	before(async () => {
		t = await startTestSim({scenario: 'canary'});
		dir = mkdtempSync(join(tmpdir(), 'rollscope-replay-'));
		path = join(dir, 'canary.ndjson.gz');
		const client = KubeClient.fromString(t.sim.kubeconfig(namespace), namespace);
		const store = new Store(initialState(client.context, namespace, 'deploy/checkout'));
		const watch = await watchRelease(client, store);
		await waitFor('the release', () => store.getState().connection.state === 'live' && store.getState().release, 20_000);
		const writer = await RecordingWriter.create(path, {started: Date.now(), context: client.context, namespace, target: 'deploy/checkout'});
		const recorder = startRecorder({store, snapshot: watch.snapshot, writer});
		try {
			await sleep(1500);
			before1 = Date.now();
			await sleep(1500);
			await kubectlOk(t, ['-n', namespace, 'patch', 'virtualservice', 'checkout', '--type', 'json', '-p', JSON.stringify([{op: 'replace', path: '/spec/http/0/route/0/weight', value: 60}, {op: 'replace', path: '/spec/http/0/route/1/weight', value: 40}])]);
			await kubectlOk(t, ['-n', namespace, 'set', 'image', 'deploy/checkout-canary', 'checkout=registry.local/checkout:7.7.7']);
			await waitFor('the new weight and revision in the view', () => {
				const r = store.getState().release;
				return r?.traffic?.weights['checkout-canary'] === 40 && r.versions.some(v => v.images.includes('registry.local/checkout:7.7.7')) && r.pods.filter(p => p.version === 'checkout-canary').every(p => p.ready);
			}, 30_000);
			await sleep(1500);
			after2 = Date.now();
			live = store.getState().release!;
			await sleep(300);
		} finally {
			await recorder.stop();
			watch.stop();
			store.close();
		}
	});

	after(async () => {
		await t?.stop();
		if (dir) rmSync(dir, {recursive: true, force: true});
	});

	test('the release rebuilt from the recording is the one the view had', async () => {
		const replay = await replayOf(path);
		const state = replay.finish(after2);
		assert.deepEqual(ageless(state.release!), ageless(live));
	});

	test('before and after the change: weights, revisions and images as they were', async () => {
		const first = (await replayOf(path, before1)).finish(before1).release!;
		const second = (await replayOf(path, after2)).finish(after2).release!;
		assert.equal(first.traffic!.weights['checkout-canary'], 10);
		assert.equal(second.traffic!.weights['checkout-canary'], 40);
		const canary = (r: Release) => r.versions.find(v => v.id === 'checkout-canary')!;
		assert.ok(canary(second).revision! > canary(first).revision!, `revision ${canary(first).revision} then ${canary(second).revision}`);
		assert.deepEqual(canary(second).images, ['registry.local/checkout:7.7.7']);
		assert.notDeepEqual(canary(first).images, ['registry.local/checkout:7.7.7']);
	});

	test('the history of the replay marks the weight step and the new revision; the report lists them', async () => {
		const replay = await replayOf(path);
		replay.finish();
		const kinds = replay.history.marks.map(m => m.kind);
		assert.ok(kinds.includes('weight') && kinds.includes('revision'), kinds.join(','));
		const weight = replay.history.marks.find(m => m.kind === 'weight')!;
		assert.ok(weight.at > before1 && weight.at < after2);
		// Just before the mark the old weight, at it the new.
		assert.equal(replay.history.stateAt(weight.at - 1, replay.state).release!.traffic!.weights['checkout-canary'], 10);
		assert.equal(replay.history.stateAt(weight.at, replay.state).release!.traffic!.weights['checkout-canary'], 40);
		const report = reportMarkdown(replay.history, replay.header, {start: replay.header.started, end: replay.end});
		assert.match(report, /\| weight \| checkout 90% → 60%, checkout-canary 10% → 40% \|/);
		assert.match(report, /\| revision \| revision \d+ of checkout-canary \(7\.7\.7\) \|/);
		assert.match(report, /\| \d+ \| checkout-canary \| registry\.local\/checkout:7\.7\.7 \| \d\d:\d\d:\d\d \|/, 'the new revision started during the recording');
	});
});
