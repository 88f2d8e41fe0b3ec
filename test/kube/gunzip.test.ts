// A gzipped answer is unzipped in one piece when its trailer tells its size, and the same whatever the piece.
import assert from 'node:assert/strict';
import {gunzip, gzipSync} from 'node:zlib';
import {test} from 'node:test';
import {gunzipChunk} from '../../source/kube/client.js';

const unzip = (zipped: Buffer, chunkSize: number) => new Promise<Buffer>((resolve, reject) => gunzip(zipped, {chunkSize}, (error, plain) => (error ? reject(error) : resolve(plain))));

test('gunzipChunk: the size the gzip trailer gives, and one byte, within 16 KiB and 8 MiB', () => {
	const page = Buffer.from(JSON.stringify({items: Array.from({length: 5000}, (_, i) => ({metadata: {name: `pod-${i}`}}))}));
	assert.ok(page.length > 16 << 10 && page.length < 8 << 20);
	assert.equal(gunzipChunk(gzipSync(page)), page.length + 1);
	assert.equal(gunzipChunk(gzipSync(Buffer.from('{}'))), 16 << 10, 'small answers: the least');
	assert.equal(gunzipChunk(gzipSync(Buffer.alloc(9 << 20, 32))), 8 << 20, 'huge answers: the most');
	assert.equal(gunzipChunk(Buffer.from([0x1f, 0x8b])), 16 << 10, 'too short to hold a trailer');
});

test('any piece size unzips the same, a stream of two gzip members too (whose trailer gives the last one\'s size)', async () => {
	const first = Buffer.from('a'.repeat(70_000));
	const second = Buffer.from(JSON.stringify({kind: 'PodList', items: [{metadata: {name: 'x'}}]}));
	const zipped = Buffer.concat([gzipSync(first), gzipSync(second)]);
	const whole = Buffer.concat([first, second]);
	assert.equal(gunzipChunk(zipped), 16 << 10);
	for (const size of [gunzipChunk(zipped), 64 << 10, 1 << 20]) assert.deepEqual(await unzip(zipped, size), whole);
});
