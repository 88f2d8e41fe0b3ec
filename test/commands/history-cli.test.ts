// The record and replay commands on bad input: one clear line and exit code 2, nothing written; and a small
// recording (made here, no cluster) printed at a moment, as text and JSON, and as a report.
import assert from 'node:assert/strict';
import {existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {after, before, describe, test} from 'node:test';
import {gzipSync} from 'node:zlib';
import {RecordingWriter} from '../../source/history/recording-file.js';
import {clock} from '../../source/text/format.js';
import {runCli} from '../helpers/cli.js';
import {loadCase} from '../helpers/testdata.js';

let dir: string;
let file: string;
const kubeconfig = '/nonexistent/kubeconfig';
const started = Date.parse('2026-03-01T12:00:00Z');

before(async () => {
	dir = mkdtempSync(join(tmpdir(), 'rollscope-history-cli-'));
	file = join(dir, 'canary.ndjson.gz');
	// The canonical canary case as a recording: its objects at the start, the canary to 30% a minute later.
	const c = loadCase('canary');
	const writer = await RecordingWriter.create(file, {started, context: 'fixture', namespace: c.namespace, target: c.target});
	writer.add([{t: started, kind: 'connection', connection: {state: 'live', since: started}}]);
	for (const field of ['deployments', 'replicaSets', 'pods', 'services', 'events', 'routers'] as const) {
		for (const object of c.snapshot[field] ?? []) writer.add([{t: started, kind: 'object', field, object}]);
	}
	const vs = c.snapshot.routers.find(o => o.kind === 'VirtualService')!;
	const moved = JSON.parse(JSON.stringify(vs));
	const route = moved.spec.http.at(-1).route;
	route[0].weight = 70;
	route[1].weight = 30;
	writer.add([{t: started + 60_000, kind: 'object', field: 'routers', object: moved}, {t: started + 120_000, kind: 'end'}]);
	await writer.close();
});
after(() => rmSync(dir, {recursive: true, force: true}));

async function fails(args: string[], expected: RegExp): Promise<void> {
	const r = await runCli(args, kubeconfig);
	assert.equal(r.code, 2, `${args.join(' ')}: ${r.stdout}${r.stderr}`);
	assert.match(r.stderr, expected);
	assert.equal(r.stderr.trim().split('\n').length, 1, `one line: ${r.stderr}`);
	assert.equal(r.stdout, '');
}

describe('replay on bad input: one line, exit 2', () => {
	test('a missing file', () => fails(['replay', join(dir, 'nope.gz'), '--report'], /^rollscope replay: .*nope\.gz does not exist$/m));
	test('a file that is not a recording', () => {
		const path = join(dir, 'notes.txt');
		writeFileSync(path, 'not a recording\n');
		return fails(['replay', path, '--once'], /notes\.txt is not a rollscope recording/);
	});
	test('a recording from a newer rollscope', () => {
		const path = join(dir, 'newer.gz');
		writeFileSync(path, gzipSync(JSON.stringify({kind: 'header', format: 'rollscope-recording', version: 99, started, context: 'c', namespace: 'n'}) + '\n'));
		return fails(['replay', path, '--report'], /was recorded by a newer rollscope \(format version 99; this rollscope reads version 1\)/);
	});
	test('a time outside the recording', () => fails(['replay', file, '--once', '--at', clock(started + 3_600_000)], /is outside the recording \(\d\d:\d\d:\d\d to \d\d:\d\d:\d\d on \d{4}-\d\d-\d\d\)/));
	test('a time that is not one', () => fails(['replay', file, '--once', '--at', 'soon'], /--at soon: give a time as HH:MM:SS/));
	test('no file', () => fails(['replay'], /replay needs the recording/));
	test('--at outside replay', () => fails(['deploy/x', '--at', '12:00:00'], /--at is for rollscope replay FILE/));
});

describe('record on bad input: one line, exit 2, nothing written', () => {
	test('no -o FILE', () => fails(['record', 'deploy/checkout'], /record needs -o FILE/));
	test('no target', () => fails(['record', '-o', join(dir, 'x.gz')], /record needs a TARGET/));
	test('a file that exists', async () => {
		const path = join(dir, 'taken.gz');
		writeFileSync(path, 'mine');
		await fails(['record', 'deploy/checkout', '-o', path], /taken\.gz already exists; record into a new file/);
		assert.equal(readFileSync(path, 'utf8'), 'mine');
	});
	test('a bad --for', async () => {
		await fails(['record', 'deploy/checkout', '-o', join(dir, 'y.gz'), '--for', 'forever'], /--for: expected a duration/);
		assert.equal(existsSync(join(dir, 'y.gz')), false);
	});
});

describe('replay of a small recording', () => {
	test('--once --at before and after the step, as text and JSON', async () => {
		const early = await runCli(['replay', file, '--once', '--at', clock(started + 30_000)], kubeconfig);
		assert.equal(early.code, 0, early.stderr);
		assert.match(early.stdout, /^.*canary\.ndjson\.gz at \d\d:\d\d:\d\d on 2026-03-01 \(30s after the recording started\)$/m);
		assert.match(early.stdout, /checkout-canary +canary +\S+ +\S+ +\d+ +10% /);
		const late = await runCli(['replay', file, '--once', '--at', new Date(started + 90_000).toISOString(), '-o', 'json'], kubeconfig);
		assert.equal(late.code, 0, late.stderr);
		const json = JSON.parse(late.stdout);
		assert.equal(json.at, new Date(started + 90_000).toISOString());
		assert.equal(json.release.traffic.weights['checkout-canary'], 30);
		assert.equal(json.verdict, null);
	});

	test('--report: the span, the weight step; nothing else happened', async () => {
		const r = await runCli(['replay', file, '--report'], kubeconfig);
		assert.equal(r.code, 0, r.stderr);
		assert.match(r.stdout, /Recorded on 2026-03-01 from \d\d:\d\d:\d\d to \d\d:\d\d:\d\d \(2m00s\) · context fixture/);
		assert.match(r.stdout, /\| \d\d:\d\d:\d\d \| weight \| checkout 90% → 70%, checkout-canary 10% → 30% \|/);
		assert.match(r.stdout, /No rollscope action was taken\./);
	});

	test('what a recording says reaches the terminal sanitised; SLIs a later rollscope added are left out', async () => {
		const path = join(dir, 'hostile.ndjson.gz');
		const writer = await RecordingWriter.create(path, {started, context: 'ctx\u001b]0;title\u0007', namespace: 'shop', target: 'deploy/x\u001b[31m'});
		writer.add([
			{t: started, kind: 'connection', connection: {state: 'live', since: started}},
			{t: started, kind: 'metrics', metrics: {source: 'prom\u001b[2J', status: {state: 'ok', at: started}, stepMs: 5000, points: 2, rows: [{key: 'futureSli' as never, threshold: {}}, {key: 'errorRatio', threshold: {bad: 0.01}}]}},
			{t: started + 1000, kind: 'verdict', verdict: {verdict: {state: 'fail', reason: 'errors \u001b[31mhigh', slis: [], failingWindows: 3}}},
			{t: started + 2000, kind: 'end'},
		]);
		await writer.close();
		for (const args of [['--report'], ['--once'], ['--once', '-o', 'json']]) {
			const r = await runCli(['replay', path, ...args], kubeconfig);
			assert.equal(r.code, 0, r.stderr);
			if (args.includes('json')) JSON.parse(r.stdout);
			else assert.ok(!/[\u001b\u0007]/.test(r.stdout), `${args.join(' ')}: ${JSON.stringify(r.stdout)}`);
		}
	});

	test('the view needs a terminal', async () => {
		const r = await runCli(['replay', file], kubeconfig);
		assert.equal(r.code, 2);
		assert.match(r.stderr, /needs a terminal/);
	});
});
