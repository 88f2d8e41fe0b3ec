// A release of three versions: one panel each, side by side at 160 columns and stacked when narrow; the
// header routes on the header and the panel; ← and → move the focus between the canaries, and the weight keys
// act on the focused one.
import assert from 'node:assert/strict';
import {afterEach, test} from 'node:test';
import type {ActionCommand} from '../../source/actions/commands.js';
import type {ActionFocus} from '../../source/actions/responses.js';
import {App} from '../../source/ui/App.js';
import {bookinfoRelease, storeWith} from './fixtures.js';
import {fits, keys, press, renderAt, tick, type Rendered} from './render.js';

const mounted: Rendered[] = [];
afterEach(() => {
	for (const r of mounted.splice(0)) r.unmount();
});

async function show(columns: number, rows: number, onAction?: (c: ActionCommand, f: ActionFocus) => string | undefined): Promise<Rendered> {
	const r = renderAt(<App store={storeWith(bookinfoRelease())} width={columns} height={rows} onQuit={() => {}} onAction={onAction} />, columns, rows);
	mounted.push(r);
	await tick();
	return r;
}

test('three panels side by side at 160 columns, each with its weight; the header says what the header route sends where', async () => {
	const r = await show(160, 40);
	const frame = r.frame();
	const titles = r.lines().find(l => l.includes('STABLE 1.20.1'))!;
	assert.ok(titles.includes('CANARY 1.20.2') && titles.includes('CANARY 1.20.3'), `one row of three panels:\n${frame}`);
	assert.match(frame, /traffic 80% \| 10% \| 10%/);
	assert.match(frame, /reviews-v2 10% \+ requests with header end-user=jason/);
	assert.match(frame, /weight .*10% \+ header end-user=jason/);
	assert.ok(fits(frame, 160, 40).ok);
});

test('at 80 columns the three panels stack and still fit', async () => {
	const r = await show(80, 30);
	const lines = r.lines();
	const rows = ['STABLE', 'CANARY 1.20.2', 'CANARY 1.20.3'].map(t => lines.findIndex(l => l.includes(t)));
	assert.ok(rows.every(i => i >= 0) && rows[0]! < rows[1]! && rows[1]! < rows[2]!, r.frame());
	assert.ok(fits(r.frame(), 80, 30).ok);
});

test('the first canary is focused; → and ← move the focus, and a weight key goes with the focused version', async () => {
	const seen: Array<{command: ActionCommand; focus: ActionFocus}> = [];
	const r = await show(160, 40, (command, focus) => {
		seen.push({command, focus});
		return 'noted';
	});
	assert.match(r.frame(), /▸CANARY 1\.20\.2/);
	await press(r.stdin, keys.RIGHT);
	assert.match(r.frame(), /▸CANARY 1\.20\.3/);
	assert.doesNotMatch(r.frame(), /▸CANARY 1\.20\.2/);
	await press(r.stdin, '3');
	assert.deepEqual(seen.at(-1)?.command, {name: 'setWeight', digit: 3});
	assert.equal(seen.at(-1)?.focus.version, 'reviews-v3');
	await press(r.stdin, keys.RIGHT);
	assert.match(r.frame(), /▸CANARY 1\.20\.2/, 'it wraps around');
	await press(r.stdin, keys.LEFT);
	assert.match(r.frame(), /▸CANARY 1\.20\.3/);
});

test('a version whose images break release practice says so in its panel, at every panel size', async () => {
	const release = bookinfoRelease();
	release.versions[1] = {...release.versions[1]!, imageWarnings: ['registry.local/reviews:latest uses :latest, a tag that moves']};
	for (const [columns, rows] of [[160, 40], [80, 30], [80, 16]] as const) {
		const r = renderAt(<App store={storeWith(release)} width={columns} height={rows} onQuit={() => {}} />, columns, rows);
		mounted.push(r);
		await tick();
		const marked = r.lines().filter(l => l.includes('⚠ image'));
		assert.equal(marked.length, 1, `${columns}x${rows}: only the version that has one, after its title\n${r.frame()}`);
		assert.match(marked[0]!, /CANARY 1\.20\.2( · rev 1| r1) ⚠ image/);
		// Panels with room say what it is.
		if (columns === 160) assert.match(r.frame(), /1 Running {2}⚠ registry\.local\/reviews:latest uses/);
		assert.ok(fits(r.frame(), columns, rows).ok);
	}
});
