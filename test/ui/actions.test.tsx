// The action dialogs: confirm (y/N and by name), the weight prompt, the revision picker with its diff, and
// what read-only and denied actions look like.
import {afterEach, describe, test} from 'node:test';
import assert from 'node:assert/strict';
import type {Store} from '../../source/store/store.js';
import {App, type AppProps} from '../../source/ui/App.js';
import {ConfirmDialog} from '../../source/ui/ConfirmDialog.js';
import type {ActionFocus, ActionResponse, Confirmation, RevisionPick} from '../../source/actions/responses.js';
import type {ActionCommand} from '../../source/actions/commands.js';
import {RevisionPicker} from '../../source/ui/RevisionPicker.js';
import {canaryRelease, rollingRelease, storeWith} from './fixtures.js';
import {fits, keys, press, renderAt, tick, type Rendered} from './render.js';

const mounted: Rendered[] = [];
afterEach(() => {
	for (const r of mounted.splice(0)) r.unmount();
});

async function show(store: Store, columns: number, rows: number, props: Partial<AppProps> = {}): Promise<Rendered> {
	const r = renderAt(<App store={store} width={columns} height={rows} onQuit={() => {}} {...props} />, columns, rows);
	mounted.push(r);
	await tick();
	return r;
}

function assertHas(frame: string, ...texts: string[]) {
	for (const t of texts) assert.ok(frame.includes(t), `missing ${JSON.stringify(t)} in:\n${frame}`);
}

function assertFits(frame: string, columns: number, rows: number) {
	const size = fits(frame, columns, rows);
	assert.ok(size.ok, `frame is ${size.widest}x${size.lines}, terminal ${columns}x${rows}:\n${frame}`);
}

function confirmation(overrides: Partial<Confirmation> = {}, onConfirm: () => ActionResponse = () => undefined): Confirmation {
	return {
		title: 'set the weight of checkout-canary: 10% → 50%',
		lines: ['VirtualService/checkout: checkout 90% → 50%, checkout-canary 10% → 50%'],
		onConfirm,
		...overrides,
	};
}

const pick = (onPick: (revision: number) => ActionResponse): RevisionPick => ({
	workload: 'payments',
	revisions: [
		{revision: 12, images: ['shop/payments:v4.1.0'], pods: 3, current: true, changeCause: 'release 4.1.0', diff: []},
		{revision: 11, images: ['shop/payments:v4.0.1'], pods: 2, current: false, changeCause: 'release 4.0.1', diff: ['image payments: shop/payments:v4.1.0 → shop/payments:v4.0.1', 'env payments LEDGER: v2 → v1']},
		{revision: 10, images: ['shop/payments:v4.0.0'], pods: 1, current: false, diff: ['image payments: shop/payments:v4.1.0 → shop/payments:v4.0.0', 'resources payments limits.memory: 512Mi → 256Mi', 'probe payments readiness: httpGet /ready:8080 → httpGet /healthz:8080']},
	],
	initial: 1,
	onPick,
});

describe('the confirm dialog', () => {
	test('shows the title, what changes and y/N; wraps long lines; says when even the screen cannot hold every change', async () => {
		const r = renderAt(<ConfirmDialog confirmation={confirmation()} typed="" width={80} height={20} />, 80, 20);
		mounted.push(r);
		await tick();
		assertHas(r.frame(), 'set the weight of checkout-canary: 10% → 50%', 'VirtualService/checkout: checkout 90% → 50%', 'apply? y yes · n/esc/enter no');
		const narrow = renderAt(<ConfirmDialog confirmation={confirmation()} typed="" width={40} height={9} />, 40, 9);
		mounted.push(narrow);
		await tick();
		const words = narrow.frame().replace(/[│╭╮╰╯─]/g, ' ').split(/\s+/).join(' ');
		assertHas(words, 'set the weight of checkout-canary: 10% → 50%', 'VirtualService/checkout: checkout 90% → 50%, checkout-canary 10% → 50%', 'apply?');
		assertFits(narrow.frame(), 40, 9);
		const many = confirmation({lines: Array.from({length: 30}, (_, i) => `line ${i}`)});
		const small = renderAt(<ConfirmDialog confirmation={many} typed="" width={40} height={9} />, 40, 9);
		mounted.push(small);
		await tick();
		assertHas(small.frame(), 'line 0', 'enlarge the terminal', 'apply?');
		assert.ok(!small.frame().includes('line 29'));
		assertFits(small.frame(), 40, 9);
		const named = renderAt(<ConfirmDialog confirmation={confirmation({typeToConfirm: 'checkout'})} typed="chec" width={80} height={10} />, 80, 10);
		mounted.push(named);
		await tick();
		assertHas(named.frame(), 'type checkout to confirm: chec▌');
		const dry = renderAt(<ConfirmDialog confirmation={confirmation({dryRun: true, lines: ['VirtualService/checkout: checkout 90% → 50%', '', ...Array.from({length: 12}, (_, i) => `PATCH /apis/x/${i}`)]})} typed="" width={80} height={12} />, 80, 12);
		mounted.push(dry);
		await tick();
		assertHas(dry.frame(), 'DRY RUN (nothing will be sent)', 'checkout 90% → 50%', 'PATCH /apis/x/0', 'more line(s)', 'nothing is sent');
		assertFits(dry.frame(), 80, 12);
	});

	for (const [columns, rows] of [[40, 10], [40, 12], [60, 20], [80, 24]] as const) {
		test(`in the app at ${columns}x${rows}: the object and old → new of every change are on screen before y`, async () => {
			let confirmed = 0;
			const r = await show(storeWith(canaryRelease()), columns, rows, {onAction: () => ({confirm: confirmation({}, () => (confirmed++, 'sending'))})});
			await press(r.stdin, '5');
			const words = r.frame().replace(/[│╭╮╰╯─]/g, ' ').split(/\s+/).join(' ');
			assertHas(words, 'set the weight of checkout-canary: 10% → 50%', 'VirtualService/checkout: checkout 90% → 50%, checkout-canary 10% → 50%', 'apply?');
			assertFits(r.frame(), columns, rows);
			await press(r.stdin, 'y');
			assert.equal(confirmed, 1);
		});
	}

	test('in the app: when the changes cannot all be shown, y waits for a larger terminal', async () => {
		let confirmed = 0;
		const many = confirmation({lines: Array.from({length: 30}, (_, i) => `Deployment/app-${i}: replicas ${i} → ${i + 1}`)}, () => (confirmed++, 'sending'));
		// Sized by the terminal (no width and height given), so that it follows a resize.
		const r = renderAt(<App store={storeWith(canaryRelease())} onQuit={() => {}} onAction={() => ({confirm: many})} />, 60, 20);
		mounted.push(r);
		await tick();
		await press(r.stdin, 'p');
		assertHas(r.frame(), 'enlarge the terminal');
		await press(r.stdin, 'y');
		assert.equal(confirmed, 0);
		assertHas(r.frame(), 'too small to show every change');
		r.resize(60, 45);
		await tick();
		await press(r.stdin, 'y');
		assert.equal(confirmed, 1);
	});

	test('in the app: the key opens it, y confirms, the answer is the status; n and enter cancel', async () => {
		let confirmed = 0;
		const seen: Array<[ActionCommand, ActionFocus]> = [];
		const r = await show(storeWith(canaryRelease()), 100, 30, {
			onAction: (command, focus) => {
				seen.push([command, focus]);
				return {confirm: confirmation({}, () => (confirmed++, 'sending'))};
			},
		});
		await press(r.stdin, '5');
		assert.deepEqual(seen[0][0], {name: 'setWeight', digit: 5});
		assertHas(r.frame(), 'VirtualService/checkout: checkout 90% → 50%', 'y apply', 'n/esc cancel');
		assertFits(r.frame(), 100, 30);
		await press(r.stdin, 'p', 'q', 'j');
		assert.equal(seen.length, 1, 'keys other than y/n do nothing while asked');
		assertHas(r.frame(), 'apply?');
		await press(r.stdin, 'y');
		assert.equal(confirmed, 1);
		assertHas(r.frame(), '! sending', 'STABLE v1.2.3');
		await press(r.stdin, 'a', 'n');
		assert.equal(confirmed, 1);
		assertHas(r.frame(), 'cancelled: nothing changed');
		await press(r.stdin, '+', keys.ENTER);
		assert.equal(confirmed, 1, 'enter is no');
		await press(r.stdin, 'p', keys.ESC);
		assert.equal(confirmed, 1);
		assert.ok(!r.frame().includes('apply?'));
	});

	test('confirm by name: only the exact release name confirms', async () => {
		let confirmed = 0;
		const r = await show(storeWith(canaryRelease()), 100, 30, {onAction: () => ({confirm: confirmation({typeToConfirm: 'checkout'}, () => void confirmed++)})});
		await press(r.stdin, 'p', 'y', 'e', 's', keys.ENTER);
		assert.equal(confirmed, 0);
		assertHas(r.frame(), 'not confirmed: "yes" is not "checkout"; nothing changed');
		await press(r.stdin, 'p', 'checkout');
		assertHas(r.frame(), 'type checkout to confirm: checkout▌');
		await press(r.stdin, keys.ENTER);
		assert.equal(confirmed, 1);
	});
});

describe('the weight prompt', () => {
	test('= opens it in the footer; digits, backspace, enter hand the weight on', async () => {
		const weights: number[] = [];
		const r = await show(storeWith(canaryRelease()), 100, 30, {
			onAction: (command) => (command.name === 'typeWeight' ? {promptWeight: {current: 10, onWeight: (w) => (weights.push(w), `weight ${w}`)}} : 'other'),
		});
		await press(r.stdin, '=', '4', '7', keys.BACKSPACE, '5');
		assertHas(r.frame(), 'canary weight % (now 10%): 45▌', 'enter confirm', 'esc cancel');
		await press(r.stdin, keys.ENTER);
		assert.deepEqual(weights, [45]);
		assertHas(r.frame(), '! weight 45');
		await press(r.stdin, '=', '1', '2', '0', keys.ENTER);
		assert.deepEqual(weights, [45], 'over 100 is refused');
		assertHas(r.frame(), 'the weight must be a whole number from 0 to 100');
	});
});

describe('the revision picker', () => {
	test('lists the revisions, shows what differs for the one under the cursor, enter picks it', async () => {
		const picked: number[] = [];
		const focus: ActionFocus[] = [];
		const r = await show(storeWith(rollingRelease()), 100, 30, {
			onAction: (command, f) => {
				focus.push(f);
				return command.name === 'undo' ? {pickRevision: pick((revision) => (picked.push(revision), {confirm: confirmation({title: `undo deploy/payments to revision ${revision}`})}))} : undefined;
			},
		});
		await press(r.stdin, keys.TAB, 'j', 'u');
		assert.deepEqual(focus[0], {workload: 'payments', revision: 11}, 'the revision selected in REVISIONS');
		let f = r.frame();
		assertHas(f, 'UNDO deploy/payments: pick a revision', '12  current', 'v4.1.0', '▸   11', 'release 4.0.1', 'WHAT CHANGES going back to revision 11', 'image payments: shop/payments:v4.1.0 → shop/payments:v4.0.1', 'env payments LEDGER: v2 → v1');
		assertFits(f, 100, 30);
		await press(r.stdin, 'j');
		f = r.frame();
		assertHas(f, '▸   10', 'WHAT CHANGES going back to revision 10', 'resources payments limits.memory: 512Mi → 256Mi', 'probe payments readiness');
		assert.ok(!f.includes('LEDGER'));
		await press(r.stdin, 'k', 'k');
		assertHas(r.frame(), 'this is the current revision: nothing to undo');
		await press(r.stdin, 'j', keys.ENTER);
		assert.deepEqual(picked, [11]);
		assertHas(r.frame(), 'undo deploy/payments to revision 11', 'apply?');
		await press(r.stdin, keys.ESC);
		assertHas(r.frame(), 'cancelled: nothing changed');
		const small = renderAt(<RevisionPicker pick={pick(() => undefined)} cursor={2} offset={0} width={50} height={6} />, 50, 6);
		mounted.push(small);
		await tick();
		assertFits(small.frame(), 50, 6);
		assertHas(small.frame(), '▸   10');
	});
});

describe('access to actions', () => {
	test('--read-only: the footer and help show no action; keys say read-only', async () => {
		const store = storeWith(canaryRelease());
		store.dispatch({type: 'actions', actions: {mode: 'read-only', denied: {}}});
		let called = 0;
		const r = await show(store, 140, 30, {onAction: () => void called++});
		await tick();
		let f = r.frame();
		assertHas(f, '[read-only]', 'q quit');
		for (const gone of ['+/- weight', 'p promote', 'a abort', 'u undo']) assert.ok(!f.includes(gone), `${gone} is hidden`);
		await press(r.stdin, 'p');
		assert.equal(called, 0);
		assertHas(r.frame(), 'promote: read-only (started with --read-only), nothing changes');
		await press(r.stdin, '?');
		f = r.frame();
		assertHas(f, 'read-only (--read-only): no key changes the cluster');
		assert.ok(!f.includes('promote the new version'));
	});

	test('denied actions are marked not permitted, and their keys say why', async () => {
		const store = storeWith(canaryRelease());
		const why = 'patch deployments.apps denied (user rollscope-viewer may only read)';
		store.dispatch({type: 'actions', actions: {mode: 'enabled', denied: {weight: why, promote: why, abort: why, pause: why, undo: why}}});
		let called = 0;
		const r = await show(store, 140, 30, {onAction: () => void called++});
		await tick();
		assertHas(r.frame(), '[actions not permitted]');
		assert.ok(!r.frame().includes('p promote'));
		await press(r.stdin, '5');
		assert.equal(called, 0);
		assertHas(r.frame(), `set weight 50%: not permitted (${why})`);
		await press(r.stdin, '?');
		assertHas(r.frame(), 'promote the new version (not permitted)');
	});

	test('P and r: in the footer of the release they apply to, handed to the handler; elsewhere the handler says why not', async () => {
		const seen: string[] = [];
		const onAction = (command: ActionCommand) => (seen.push(command.name), `handled ${command.name}`);
		const argo = await show(storeWith({...canaryRelease(), kind: 'argo-rollout'}), 160, 30, {onAction});
		assertHas(argo.frame(), 'p promote', 'P promote fully');
		assert.ok(!argo.frame().includes('r restore analysis'));
		await press(argo.stdin, 'P');
		assert.deepEqual(seen, ['promoteFull']);
		assertHas(argo.frame(), '! handled promoteFull');
		const flagger = await show(storeWith({...canaryRelease(), kind: 'flagger'}), 160, 30, {onAction});
		assertHas(flagger.frame(), 'r restore analysis');
		assert.ok(!flagger.frame().includes('P promote fully'));
		await press(flagger.stdin, 'r');
		assert.deepEqual(seen, ['promoteFull', 'restoreAnalysis']);
		// On a canary pair neither is in the footer; with promote denied, P still reaches the handler, which says what P is for.
		const store = storeWith(canaryRelease());
		store.dispatch({type: 'actions', actions: {mode: 'enabled', denied: {promote: 'patch deployments.apps denied'}}});
		const canary = await show(store, 160, 30, {onAction});
		assert.ok(!canary.frame().includes('P promote fully') && !canary.frame().includes('r restore analysis'));
		await press(canary.stdin, 'P');
		assert.deepEqual(seen, ['promoteFull', 'restoreAnalysis', 'promoteFull']);
		await press(canary.stdin, 'p');
		assertHas(canary.frame(), 'promote: not permitted (patch deployments.apps denied)');
		// On an Argo Rollout a denied P is refused, and help marks it.
		const deniedStore = storeWith({...canaryRelease(), kind: 'argo-rollout'});
		deniedStore.dispatch({type: 'actions', actions: {mode: 'enabled', denied: {promote: 'patch rollouts.argoproj.io/status denied'}}});
		const denied = await show(deniedStore, 160, 30, {onAction});
		assert.ok(!denied.frame().includes('P promote fully'));
		await press(denied.stdin, 'P');
		assert.equal(seen.length, 3);
		assertHas(denied.frame(), 'promote fully: not permitted (patch rollouts.argoproj.io/status denied)');
		await press(denied.stdin, '?');
		assertHas(denied.frame(), 'promote fully, skipping steps and analysis (Argo) (not permitted)');
	});

	test('the activity line shows a promotion\'s steps above the footer, within the terminal', async () => {
		const store = storeWith(canaryRelease());
		store.dispatch({type: 'actions', actions: {mode: 'enabled', denied: {}, activity: {tone: 'busy', text: 'promote checkout-canary', steps: [{label: 'stable takes the canary template', state: 'done'}, {label: 'stable pods ready (2/6)', state: 'active'}, {label: '100% to stable', state: 'pending'}]}}});
		for (const [columns, rows] of [[140, 30], [60, 20], [40, 10]] as const) {
			const r = await show(store, columns, rows, {onAction: () => undefined});
			await tick();
			assertFits(r.frame(), columns, rows);
			assert.equal(r.lines().length, rows);
			if (rows > 10) assertHas(r.frame(), '… promote');
		}
		const r = await show(store, 140, 30, {onAction: () => undefined});
		await tick();
		assertHas(r.frame(), '… promote checkout-canary  ✓ stable takes the canary template · ● stable pods ready (2/6) · ○ 100% to stable');
	});
});
