import {afterEach, describe, test} from 'node:test';
import assert from 'node:assert/strict';
import {stripVTControlCharacters} from 'node:util';
import {render as renderLibrary} from 'ink-testing-library';
import type {Release} from '../../source/release/model.js';
import type {Store} from '../../source/store/store.js';
import {App, tooSmallMessage, type AppProps} from '../../source/ui/App.js';
import {clock} from '../../source/text/format.js';
import type {ActionCommand} from '../../source/actions/commands.js';
import {blueGreenRelease, canaryRelease, now, rollingRelease, storeWith} from './fixtures.js';
import {fits, keys, press, renderAt, tick, waitFor, type Rendered} from './render.js';

const mounted: Rendered[] = [];
afterEach(() => {
	for (const r of mounted.splice(0)) r.unmount();
});

type Options = Partial<Omit<AppProps, 'store'>> & {tty?: boolean};

async function show(store: Store, columns: number, rows: number, options: Options = {}): Promise<Rendered> {
	const {tty, ...props} = options;
	const r = renderAt(<App store={store} width={columns} height={rows} onQuit={() => {}} {...props} />, columns, rows, {tty});
	mounted.push(r);
	await tick();
	return r;
}

function assertFits(frame: string, columns: number, rows: number) {
	const size = fits(frame, columns, rows);
	assert.ok(size.ok, `frame is ${size.widest}x${size.lines}, terminal ${columns}x${rows}:\n${frame}`);
}

function assertHas(frame: string, ...texts: string[]) {
	for (const t of texts) assert.ok(frame.includes(t), `missing ${JSON.stringify(t)} in:\n${frame}`);
}

/** The line of the frame that contains `text`. */
function lineOf(frame: string, text: string): string {
	return frame.split('\n').find((l) => l.includes(text)) ?? '';
}

const fixtures: Array<[string, () => Release]> = [
	['canary pair', () => canaryRelease()],
	['rolling Deployment', rollingRelease],
	['blue-green pair', blueGreenRelease],
];
const sizes: Array<[number, number]> = [[60, 20], [100, 30], [200, 50], [40, 10], [80, 24], [120, 12]];

describe('the frame never exceeds the terminal', () => {
	for (const [name, make] of fixtures) {
		for (const [columns, rows] of sizes) {
			test(`${name} at ${columns}x${rows}`, async () => {
				const r = await show(storeWith(make()), columns, rows);
				assertFits(r.frame(), columns, rows);
				assert.equal(r.lines().length, rows, 'the root box fills the terminal height exactly');
			});
		}
	}
});

describe('what the operator sees', () => {
	test('canary pair at 60x20: roles, weights, ready counts, the crash-looping pod', async () => {
		const r = await show(storeWith(canaryRelease()), 60, 20);
		const f = r.frame();
		assertHas(f, 'rollscope', 'shop/checkout', 'canary pair', '● live', 'rev 7 → 8', 'traffic 90% | 10%');
		assertHas(f, 'STABLE v1.2.3', 'CANARY v1.3.0', 'weight 90%', 'weight 10%', '6/6 ready', '1/2 ready', 'CrashLoopBackOff', 'restarts 5');
		assertHas(f, '▸PODS', 'revisions', 'events', 'checkout-canary', '? help', 'q quit');
	});

	test('canary pair at 200x50: panels side by side, pods, revisions and events at once', async () => {
		const r = await show(storeWith(canaryRelease()), 200, 50);
		const f = r.frame();
		assertHas(f, 'canary pair · istio VirtualService', 'ctx: prod-eu');
		const title = lineOf(f, 'STABLE v1.2.3');
		assert.ok(title.includes('CANARY v1.3.0 · rev 8'), 'stable and canary share a line');
		assertHas(f, 'pods 6/6 ready', 'pods 1/2 ready', '1 Running · 1 CrashLoopBackOff', ' 90%', ' 10%', 'SLIs');
		assertHas(f, '▸PODS', 'REVISIONS', 'EVENTS', 'checkout-canary-5b7d9-crash', 'checkout-7c9f5d-s05');
		assertHas(f, 'hotfix payment timeout', 'canary v1.3.0 new cart', 'bump to v1.2.2');
		assert.match(lineOf(f, 'hotfix payment timeout'), /\b7\s+current\b/);
		assertHas(f, 'Warning', 'BackOff', 'Back-off restarting failed container', '×7', 'Pod/checkout-canary-5b7d9-crash', clock(Date.parse('2026-03-01T11:59:30Z')));
		assertHas(f, 'p promote', 'a abort', 'u undo', 'space pause');
	});

	test('rolling Deployment: three ReplicaSets, progress and ProgressDeadlineExceeded', async () => {
		const r = await show(storeWith(rollingRelease()), 100, 30);
		const f = r.frame();
		assertHas(f, 'rolling Deployment', 'rev 10, 11 → 12', '✗ ProgressDeadlineExceeded', 'progress 3/5 updated · 2 ready · 2 available');
		assertHas(f, 'OLD v4.0.0 · rev 10', 'OLD v4.0.1 · rev 11', 'NEW v4.1.0 · rev 12', 'pods 2/3 ready', 'ContainerCreat');
		assert.ok(lineOf(f, 'OLD v4.0.0').includes('NEW v4.1.0'), 'three panels side by side at 100 columns');
		assertHas(f, 'release 4.1.0 ledger v2', 'ReplicaSet "payments-9ab"');
		const narrow = await show(storeWith(rollingRelease()), 60, 20);
		assertHas(narrow.frame(), 'ProgressDeadlineExceeded', 'OLD v4.0.0 r10', 'NEW v4.1.0 r12', 'pods 2/3 ready');
	});

	test('blue-green pair: active and preview, all-or-nothing traffic', async () => {
		const r = await show(storeWith(blueGreenRelease()), 100, 30);
		assertHas(r.frame(), 'blue-green · Service selector', 'ACTIVE v2.0.0 · rev 3', 'PREVIEW v2.1.0 · rev 4', 'traffic 100% | 0%', 'rev 3 → 4', 'green 2.1.0');
	});

	test('the store drives the view: a new weight shows up', async () => {
		const store = storeWith(canaryRelease());
		const r = await show(store, 100, 30);
		const next = canaryRelease();
		next.traffic = {router: 'istio', weights: {checkout: 75, 'checkout-canary': 25}};
		store.dispatch({type: 'release', release: next, releases: []});
		await waitFor(() => assertHas(r.frame(), 'traffic 75% | 25%'));
	});

	test('connecting, unreachable, then stale with the time data went stale, why, and a countdown', async () => {
		const store = storeWith(canaryRelease(), {connection: {state: 'connecting'}});
		const r = await show(store, 100, 30);
		assertHas(r.frame(), '○ connecting…');
		store.dispatch({type: 'connection', connection: {state: 'connecting', problem: 'cannot reach the API server: connection refused', retryAt: now + 4000, attempt: 3}});
		await waitFor(() => assertHas(r.frame(), '○ cannot reach the API server: connection refused · retry in 4s (attempt 3)'));
		const lastLive = now - 65_000;
		store.dispatch({type: 'connection', connection: {state: 'stale', since: lastLive, why: 'API server: no answer within 3s', retryAt: now + 3000, attempt: 2}});
		await waitFor(() => assertHas(r.frame(), `◌ stale since ${clock(lastLive)} · API server: no answer within 3s · retry in 3s (attempt 2)`));
		store.dispatch({type: 'tick', now: now + 1200});
		await waitFor(() => assertHas(r.frame(), 'retry in 2s (attempt 2)'));
		assert.ok(!r.frame().includes('● live'));
		assertFits(r.frame(), 100, 30);
		const narrow = await show(storeWith(canaryRelease(), {connection: {state: 'stale', since: lastLive, why: 'listing again: the API server answers again'}}), 60, 20);
		assertHas(narrow.frame(), `◌ stale since ${clock(lastLive)}`);
		assertFits(narrow.frame(), 60, 20);
	});

	test('a terminal under 40x10 gets one line saying so', async () => {
		const wide = await show(storeWith(canaryRelease()), 70, 9);
		assertHas(wide.frame(), 'terminal too small (70x9), need at least 40x10');
		assertFits(wide.frame(), 70, 9);
		const narrow = await show(storeWith(canaryRelease()), 39, 10);
		assert.equal(narrow.lines()[0].trimEnd(), 'too small (39x10), need 40x10');
		assertFits(narrow.frame(), 39, 10);
		const tiny = await show(storeWith(canaryRelease()), 12, 3);
		assert.equal(tiny.lines()[0].trimEnd(), '12x3 < 40x10');
		assertFits(tiny.frame(), 12, 3);
		assert.equal(tooSmallMessage(8, 2), '8x2 < 40x10');
	});

	test('waiting for a release, and a target that cannot be shown', async () => {
		const r = await show(storeWith(undefined, {target: 'deploy/checkout'}), 60, 20);
		assertHas(r.frame(), 'loading deploy/checkout');
		const p = await show(storeWith(undefined, {target: 'deploy/nope', problem: 'deploy/nope not found in shop'}), 60, 20);
		assertHas(p.frame(), '✗ deploy/nope not found in shop', 'RELEASES', 'deploy/checkout');
	});
});

describe('keys', () => {
	test('tab and shift-tab move the focus between pods, revisions and events', async () => {
		const r = await show(storeWith(canaryRelease()), 60, 20);
		assertHas(r.frame(), '▸PODS');
		await press(r.stdin, keys.TAB);
		assertHas(r.frame(), '▸REVISIONS', 'hotfix payment', 'current');
		assert.ok(!r.frame().includes('▸PODS'));
		await press(r.stdin, keys.TAB);
		assertHas(r.frame(), '▸EVENTS', 'BackOff');
		await press(r.stdin, keys.TAB);
		assertHas(r.frame(), '▸PODS');
		await press(r.stdin, keys.SHIFT_TAB);
		assertHas(r.frame(), '▸EVENTS');
	});

	test('j/k and arrows scroll the pods list', async () => {
		const r = await show(storeWith(canaryRelease(20)), 60, 20);
		assertHas(r.frame(), '1-7 of 22');
		assert.match(lineOf(r.frame(), '›'), /checkout-canary-5b7d9-crash|checkout-canary-5b7/);
		await press(r.stdin, 'j', 'j');
		assert.match(lineOf(r.frame(), '›'), /checkout-7c9f5d-s00/);
		await press(r.stdin, 'j', 'j', 'j', 'j', 'j', 'j');
		assert.match(lineOf(r.frame(), '›'), /checkout-7c9f5d-s06/);
		assertHas(r.frame(), '3-9 of 22');
		assert.ok(!r.frame().includes('CrashLoopBackOff 0/1'), 'the first rows scrolled away');
		await press(r.stdin, 'k', keys.UP);
		assert.match(lineOf(r.frame(), '›'), /checkout-7c9f5d-s04/);
		await press(r.stdin, keys.PAGE_DOWN);
		assert.match(lineOf(r.frame(), '›'), /checkout-7c9f5d-s10/);
		await press(r.stdin, 'G');
		assert.match(lineOf(r.frame(), '›'), /checkout-7c9f5d-s19/);
		assertHas(r.frame(), '16-22 of 22');
		assertFits(r.frame(), 60, 20);
	});

	test('/ filters the pods; enter applies; esc clears', async () => {
		const r = await show(storeWith(canaryRelease()), 100, 30);
		await press(r.stdin, '/');
		assertHas(r.frame(), 'filter: ▌', 'enter apply', 'esc clear');
		await press(r.stdin, 'c', 'r', 'a', 's', 'h');
		assertHas(r.frame(), 'filter: crash▌', 'PODS  1/8');
		assert.ok(!r.frame().includes('checkout-7c9f5d-s00'));
		await press(r.stdin, keys.ENTER);
		const f = r.frame();
		assertHas(f, '[filter: crash]', 'checkout-canary-5b7d9-crash', 'q quit');
		assert.ok(!f.includes('checkout-canary-5b7d9-x2k4p'));
		await press(r.stdin, 'j');
		assertHas(r.frame(), '[filter: crash]', 'checkout-canary-5b7d9-crash');
		await press(r.stdin, '/', keys.BACKSPACE, keys.BACKSPACE, keys.BACKSPACE, keys.BACKSPACE, keys.BACKSPACE, 'x', '2', 'k');
		assertHas(r.frame(), 'filter: x2k▌', 'checkout-canary-5b7d9-x2k4p');
		await press(r.stdin, keys.ESC);
		assert.ok(!r.frame().includes('filter:'), 'esc clears the filter');
		assertHas(r.frame(), 'PODS  8', 'checkout-7c9f5d-s00');
	});

	test('? opens and closes the help overlay listing every key', async () => {
		const r = await show(storeWith(canaryRelease()), 100, 30);
		await press(r.stdin, '?');
		const f = r.frame();
		assertHas(f, 'HELP', 'ctrl-c', 'ctrl-l', 'shift-tab', 'promote the new version', 'undo: pick a revision', 'apply the filter', '0-9');
		assertFits(f, 100, 30);
		await press(r.stdin, '?');
		assert.ok(!r.frame().includes('HELP'));
		await press(r.stdin, '?', keys.ESC);
		assert.ok(!r.frame().includes('HELP'), 'esc closes help');
		const small = await show(storeWith(canaryRelease()), 60, 20);
		await press(small.stdin, '?');
		assertHas(small.frame(), 'HELP', 'quit', 'j/k scroll (0 above');
		assert.ok(!small.frame().includes('space     pause'), 'the last line does not fit at 60x20');
		await press(small.stdin, 'G');
		assertHas(small.frame(), 'space     pause', 'below)');
		assertHas(small.frame(), 'HELP', 'below)');
		assertFits(small.frame(), 60, 20);
		await press(small.stdin, 'p');
		assertHas(small.frame(), 'HELP');
		assert.ok(!small.frame().includes('not available'), 'action keys do nothing under help');
	});

	test('q and ctrl-c call onQuit; ctrl-l calls onRedraw', async () => {
		let quits = 0;
		let redraws = 0;
		const r = await show(storeWith(canaryRelease()), 60, 20, {onQuit: () => quits++, onRedraw: () => redraws++});
		await press(r.stdin, 'q');
		assert.equal(quits, 1);
		await press(r.stdin, keys.CTRL_C);
		assert.equal(quits, 2);
		await press(r.stdin, keys.CTRL_L);
		assert.equal(redraws, 1);
		await press(r.stdin, '/', 'q');
		assert.equal(quits, 2, 'q typed into the filter does not quit');
		assertHas(r.frame(), 'filter: q▌');
	});

	test('action keys say "not available yet" until an action handler is given', async () => {
		const r = await show(storeWith(canaryRelease()), 100, 30);
		await press(r.stdin, 'p');
		assertHas(r.frame(), '! promote: not available yet');
		await press(r.stdin, '3');
		assertHas(r.frame(), '! set weight 30%: not available yet');
		await press(r.stdin, ' ');
		assertHas(r.frame(), '! pause/resume: not available yet');
		await press(r.stdin, 'j');
		assert.ok(!r.frame().includes('not available'), 'the next key clears the message');
		assertFits(r.frame(), 100, 30);

		const seen: ActionCommand[] = [];
		const wired = await show(storeWith(canaryRelease()), 100, 30, {onAction: (c) => {
			seen.push(c);
			return 'abort: confirm with y';
		}});
		await press(wired.stdin, 'a', '+');
		assert.deepEqual(seen, [{name: 'abort'}, {name: 'weightUp'}]);
		assertHas(wired.frame(), '! abort: confirm with y');
	});

	test('the picker lists releases in progress first; enter calls onRetarget', async () => {
		const targets: string[] = [];
		const r = await show(storeWith(undefined), 100, 30, {onRetarget: (t) => targets.push(t)});
		const lines = r.lines();
		const at = (t: string) => lines.findIndex((l) => l.includes(t));
		assertHas(r.frame(), 'RELEASES', '● in progress', 'choose a release');
		assert.ok(at('deploy/checkout') < at('deploy/payments') && at('deploy/payments') < at('deploy/api') && at('deploy/api') < at('svc/web'), r.frame());
		assert.match(lineOf(r.frame(), 'deploy/checkout'), /● in progress/);
		assert.doesNotMatch(lineOf(r.frame(), 'deploy/api'), /in progress/);
		await press(r.stdin, 'j', keys.ENTER);
		assert.deepEqual(targets, ['deploy/payments']);
		await press(r.stdin, '/', 'w', 'e', 'b', keys.ENTER, keys.ENTER);
		assert.deepEqual(targets, ['deploy/payments', 'svc/web']);
		assertFits(r.frame(), 100, 30);
	});

	test('without a TTY the app renders and does not ask for raw mode', async () => {
		const r = await show(storeWith(canaryRelease()), 100, 30, {tty: false});
		assertHas(r.frame(), 'STABLE v1.2.3');
	});
});

test('without size props the app follows the terminal size, and resizes', async () => {
	const r = renderAt(<App store={storeWith(canaryRelease())} onQuit={() => {}} />, 120, 40);
	mounted.push(r);
	await tick();
	assert.equal(r.lines().length, 40);
	assertFits(r.frame(), 120, 40);
	assert.ok(lineOf(r.frame(), 'STABLE v1.2.3').includes('CANARY v1.3.0'));
	r.resize(60, 20);
	await waitFor(() => assert.equal(r.lines().length, 20));
	assertFits(r.frame(), 60, 20);
	assertHas(r.frame(), 'CrashLoopBackOff');
	r.resize(30, 8);
	await waitFor(() => assertHas(r.frame(), 'too small (30x8), need 40x10'));
});

test('works with ink-testing-library as is (100 columns)', async () => {
	let quit = false;
	const {lastFrame, stdin, unmount} = renderLibrary(<App store={storeWith(canaryRelease())} width={100} height={30} onQuit={() => (quit = true)} />);
	await tick();
	const frame = stripVTControlCharacters(lastFrame() ?? '');
	assertFits(frame, 100, 30);
	assertHas(frame, 'STABLE v1.2.3', 'CANARY v1.3.0', 'CrashLoopBackOff');
	stdin.write('q');
	await tick();
	assert.equal(quit, true);
	unmount();
});
