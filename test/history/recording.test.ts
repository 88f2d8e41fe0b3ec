// The recording file: written gzip-compressed and flushed per batch, read back whole; a file cut anywhere reads
// up to its last complete line; what is not a recording (or is one from a newer rollscope) is one clear line.
import assert from 'node:assert/strict';
import {mkdtempSync, readFileSync, rmSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {after, before, describe, test} from 'node:test';
import {gzipSync} from 'node:zlib';
import {readRecording, RecordingWriter} from '../../source/history/recording-file.js';
import {RECORDING_VERSION, RecordingError, snapshotFields, stripObject, type Entry} from '../../source/history/recording.js';
import {buildRelease, findReleases, resolveTarget} from '../../source/kinds/registry.js';
import type {KObject} from '../../source/kube/object.js';
import type {ClusterSnapshot} from '../../source/release/snapshot.js';
import {caseNames, loadCase} from '../helpers/testdata.js';

let dir: string;
before(() => {
	dir = mkdtempSync(join(tmpdir(), 'rollscope-recording-'));
});
after(() => rmSync(dir, {recursive: true, force: true}));

const header = {started: Date.parse('2026-03-01T12:00:00Z'), context: 'ctx', namespace: 'shop', target: 'deploy/checkout'};

function pod(name: string, restarts: number) {
	return {kind: 'Pod', apiVersion: 'v1', metadata: {name, namespace: 'shop', managedFields: [{manager: 'kubelet'}], resourceVersion: '12'}, spec: {containers: [{name: 'app', image: 'shop/app:1', env: [{name: 'SECRET', value: 'x'}]}], volumes: [{name: 'v'}], nodeName: 'n1'}, status: {phase: 'Running', podIP: '10.0.0.1', conditions: [{type: 'Ready', status: 'True', lastTransitionTime: 'x'}], containerStatuses: [{name: 'app', ready: true, restartCount: restarts, imageID: 'sha', state: {running: {startedAt: 'x'}}, lastState: {terminated: {exitCode: 1}}}]}};
}

async function readAll(path: string): Promise<{entries: Entry[]; cut: boolean}> {
	const entries: Entry[] = [];
	const {cut} = await readRecording(path, entry => void entries.push(entry));
	return {entries, cut};
}

async function failure(path: string): Promise<string> {
	try {
		await readAll(path);
	} catch (error) {
		assert.ok(error instanceof RecordingError, String(error));
		return error.message;
	}
	return 'no error';
}

describe('writing and reading', () => {
	test('entries written in batches read back in order; the file is gzip and ends cleanly', async () => {
		const path = join(dir, 'whole.ndjson.gz');
		const writer = await RecordingWriter.create(path, header);
		const written: Entry[] = [];
		for (let batch = 0; batch < 5; batch++) {
			const entries: Entry[] = [{t: header.started + batch * 1000, kind: 'object', field: 'pods', object: pod(`p${batch}`, batch)}, {t: header.started + batch * 1000, kind: 'activity', activity: {tone: 'busy', text: `step ${batch} — ünïcode`}}];
			writer.add(entries);
			await writer.flush();
			written.push(...entries);
		}
		await writer.close();
		const bytes = readFileSync(path);
		assert.deepEqual([...bytes.subarray(0, 2)], [0x1f, 0x8b]);
		const {entries, cut} = await readAll(path);
		assert.equal(cut, false);
		assert.deepEqual(entries, written);
	});

	test('a file cut anywhere after the header reads its complete lines and ignores the cut one', async () => {
		const path = join(dir, 'cut.ndjson.gz');
		const writer = await RecordingWriter.create(path, header);
		const written: Entry[] = [];
		for (let i = 0; i < 40; i++) {
			const entry: Entry = {t: header.started + i * 100, kind: 'object', field: 'pods', object: pod(`pod-${i}`, i)};
			writer.add([entry]);
			// A batch per few entries, as the recorder flushes twice a second.
			if (i % 4 === 3) await writer.flush();
			written.push(entry);
		}
		await writer.close();
		const whole = readFileSync(path);
		const flushedAfter: number[] = [];
		for (let size = 40; size < whole.length; size += 37) {
			const cutPath = join(dir, `cut-${size}.gz`);
			writeFileSync(cutPath, whole.subarray(0, size));
			let result: {entries: Entry[]; cut: boolean};
			try {
				result = await readAll(cutPath);
			} catch (error) {
				// Cut inside the header line: not yet a recording.
				assert.match((error as Error).message, /is not a rollscope recording/);
				continue;
			}
			// Every entry read is one written, whole, in order.
			assert.deepEqual(result.entries, written.slice(0, result.entries.length), `cut at ${size} bytes`);
			flushedAfter.push(result.entries.length);
		}
		assert.ok(flushedAfter.length > 10 && flushedAfter.at(-1)! >= 36, `cuts read ${flushedAfter.join(',')}`);
		assert.ok(flushedAfter.every((n, i) => i === 0 || n >= flushedAfter[i - 1]!), 'a longer cut never reads less');
	});

	test('uncompressed NDJSON reads too', async () => {
		const path = join(dir, 'plain.ndjson');
		writeFileSync(path, [JSON.stringify({kind: 'header', format: 'rollscope-recording', version: 1, ...header}), JSON.stringify({t: header.started, kind: 'connection', connection: {state: 'live', since: 1}}), ''].join('\n'));
		const {entries} = await readAll(path);
		assert.deepEqual(entries.map(e => e.kind), ['connection']);
	});

	test('record kinds this version does not know are skipped', async () => {
		const path = join(dir, 'later.ndjson.gz');
		writeFileSync(path, gzipSync([JSON.stringify({kind: 'header', format: 'rollscope-recording', version: 1, ...header}), JSON.stringify({t: 1, kind: 'hologram', x: 1}), JSON.stringify({t: 2, kind: 'target', target: 'deploy/x'}), ''].join('\n')));
		const {entries} = await readAll(path);
		assert.deepEqual(entries.map(e => e.kind), ['target']);
	});

	test('writing refuses a file that exists and a folder that does not', async () => {
		const path = join(dir, 'exists.gz');
		writeFileSync(path, 'keep me');
		await assert.rejects(RecordingWriter.create(path, header), /already exists; record into a new file/);
		assert.equal(readFileSync(path, 'utf8'), 'keep me', 'the file is untouched');
		await assert.rejects(RecordingWriter.create(join(dir, 'no/such/folder/x.gz'), header), /its folder does not exist/);
	});
});

describe('what is not a recording is one clear line', () => {
	const cases: Array<[string, () => string, RegExp]> = [
		['a missing file', () => join(dir, 'missing.gz'), /missing\.gz does not exist/],
		['an empty file', () => write('empty', ''), /is not a rollscope recording \(it is empty\)/],
		['a text file', () => write('text.txt', 'hello\nworld\n'), /text\.txt is not a rollscope recording/],
		['JSON that is not a recording', () => write('other.json', '{"kind":"Pod"}\n'), /other\.json is not a rollscope recording/],
		['gzip of something else', () => write('other.gz', gzipSync('just some text\n')), /other\.gz is not a rollscope recording/],
		['a newer format version', () => write('newer.gz', gzipSync(JSON.stringify({kind: 'header', format: 'rollscope-recording', version: RECORDING_VERSION + 1, ...header}) + '\n')), /was recorded by a newer rollscope \(format version 2; this rollscope reads version 1\)/],
		['a broken line in the middle', () => write('broken.gz', gzipSync([JSON.stringify({kind: 'header', format: 'rollscope-recording', version: 1, ...header}), '{"t": 1, "kind": "obj', JSON.stringify({t: 2, kind: 'target'}), ''].join('\n'))), /broken\.gz, line 2 is not JSON/],
		['a record without its object', () => write('bad.gz', gzipSync([JSON.stringify({kind: 'header', format: 'rollscope-recording', version: 1, ...header}), JSON.stringify({t: 1, kind: 'object', field: 'pods'}), ''].join('\n'))), /bad\.gz, line 2: an object record without an object with metadata/],
		['a folder', () => dir, /is a folder|EISDIR/],
	];
	function write(name: string, data: string | Buffer): string {
		const path = join(dir, name);
		writeFileSync(path, data);
		return path;
	}
	for (const [name, make, expected] of cases) {
		test(name, async () => {
			const message = await failure(make());
			assert.match(message, expected);
			assert.ok(!message.includes('\n'), 'one line');
		});
	}
});

test('objects keep what the model reads and lose what it does not', () => {
	const stripped = stripObject('pods', pod('p', 3));
	assert.deepEqual(stripped, {
		kind: 'Pod',
		apiVersion: 'v1',
		metadata: {name: 'p', namespace: 'shop'},
		spec: {containers: [{name: 'app', image: 'shop/app:1'}], nodeName: 'n1'},
		status: {phase: 'Running', conditions: [{type: 'Ready', status: 'True'}], containerStatuses: [{name: 'app', ready: true, restartCount: 3, imageID: 'sha', state: {running: {}}}]},
	});
	const deployment = {kind: 'Deployment', metadata: {name: 'd', annotations: {'kubectl.kubernetes.io/last-applied-configuration': '{"big":true}', 'kubernetes.io/change-cause': 'why \u001b[31mred'}}, spec: {replicas: 2, template: {metadata: {labels: {app: 'd'}}, spec: {containers: [{name: 'c', image: 'i:1', resources: {}}], volumes: []}}}, status: {replicas: 2}};
	const kept = stripObject('deployments', deployment);
	assert.deepEqual(kept.metadata.annotations, {'kubernetes.io/change-cause': 'why \u001b[31mred'}, 'text from the cluster is kept as it is');
	assert.deepEqual(kept.spec.template, {metadata: {labels: {app: 'd'}}, spec: {containers: [{name: 'c', image: 'i:1'}]}});
	assert.deepEqual(kept.status, {replicas: 2});
});

describe('stripped objects build the same release (every canonical case)', () => {
	for (const name of caseNames()) {
		test(name, () => {
			const c = loadCase(name);
			const stripped = {...c.snapshot} as ClusterSnapshot;
			for (const field of snapshotFields) {
				const list = c.snapshot[field];
				if (list) (stripped[field] as KObject[]) = list.map(o => stripObject(field, JSON.parse(JSON.stringify(o)) as KObject));
			}
			const build = (snap: ClusterSnapshot) => {
				const resolved = resolveTarget(snap, c.target);
				assert.ok(!('error' in resolved), JSON.stringify(resolved));
				return buildRelease(snap, resolved.ref);
			};
			assert.deepEqual(build(stripped), build(c.snapshot));
			assert.deepEqual(findReleases(stripped), findReleases(c.snapshot));
		});
	}
});
