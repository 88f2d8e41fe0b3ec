import {test} from 'node:test';
import assert from 'node:assert/strict';
import {actionKind, type ActionName} from '../../source/actions/commands.js';
import {appliesToRelease, bindings, bindingsFor, commandFor, commandLabel, isAction, type Mode} from '../../source/ui/keymap.js';
import {footerEntries, footerHidden} from '../../source/ui/Footer.js';
import {helpLines} from '../../source/ui/Help.js';

test('normal mode: letters, arrows and control keys map to commands', () => {
	const n = (input: string, key = {}) => commandFor(input, key, 'normal');
	assert.deepEqual(n('q'), {name: 'quit'});
	assert.deepEqual(n('c', {ctrl: true}), {name: 'quit'});
	assert.deepEqual(n('?'), {name: 'help'});
	assert.deepEqual(n('', {tab: true}), {name: 'focusNext'});
	assert.deepEqual(n('', {tab: true, shift: true}), {name: 'focusPrev'});
	assert.deepEqual(n('', {upArrow: true}), {name: 'scrollUp'});
	assert.deepEqual(n('k'), {name: 'scrollUp'});
	assert.deepEqual(n('', {downArrow: true}), {name: 'scrollDown'});
	assert.deepEqual(n('j'), {name: 'scrollDown'});
	assert.deepEqual(n('', {pageUp: true}), {name: 'pageUp'});
	assert.deepEqual(n('', {pageDown: true}), {name: 'pageDown'});
	assert.deepEqual(n('/'), {name: 'filter'});
	assert.deepEqual(n('l', {ctrl: true}), {name: 'redraw'});
	assert.deepEqual(n('', {escape: true}), {name: 'escape'});
	assert.equal(n('x'), undefined);
	assert.equal(n('', {return: true}), undefined, 'enter means nothing on the release screen yet');
});

test('action keys are commands of their own', () => {
	const n = (input: string) => commandFor(input, {}, 'normal');
	assert.deepEqual(n('+'), {name: 'weightUp'});
	assert.deepEqual(n('-'), {name: 'weightDown'});
	assert.deepEqual(n('3'), {name: 'setWeight', digit: 3});
	assert.deepEqual(n('0'), {name: 'setWeight', digit: 0});
	assert.deepEqual(n('p'), {name: 'promote'});
	assert.deepEqual(n('a'), {name: 'abort'});
	assert.deepEqual(n(' '), {name: 'pause'});
	assert.deepEqual(n('u'), {name: 'undo'});
	for (const c of ['+', '-', '5', 'p', 'a', ' ', 'u']) assert.ok(isAction(n(c)!), c);
	assert.ok(!isAction({name: 'quit'}));
	assert.equal(commandLabel({name: 'setWeight', digit: 3}), 'set weight 30%');
	assert.equal(commandFor('p', {ctrl: true}, 'normal'), undefined, 'ctrl-p is not p');
});

test('filter mode: letters are text, enter applies, esc clears, ctrl-c still quits', () => {
	const f = (input: string, key = {}) => commandFor(input, key, 'filter');
	assert.deepEqual(f('q'), {name: 'filterInput', text: 'q'});
	assert.deepEqual(f('?'), {name: 'filterInput', text: '?'});
	assert.deepEqual(f('j'), {name: 'filterInput', text: 'j'});
	assert.deepEqual(f('crash'), {name: 'filterInput', text: 'crash'}, 'a paste arrives as one string');
	assert.deepEqual(f('', {return: true}), {name: 'filterApply'});
	assert.deepEqual(f('', {escape: true}), {name: 'filterClear'});
	assert.deepEqual(f('', {backspace: true}), {name: 'filterBackspace'});
	assert.deepEqual(f('c', {ctrl: true}), {name: 'quit'});
	assert.equal(f('', {tab: true}), undefined);
	assert.equal(f('\u0007'), undefined, 'control characters are not typed');
});

test('help and picker modes', () => {
	assert.deepEqual(commandFor('?', {}, 'help'), {name: 'help'});
	assert.deepEqual(commandFor('', {escape: true}, 'help'), {name: 'escape'});
	assert.deepEqual(commandFor('q', {}, 'help'), {name: 'quit'});
	assert.equal(commandFor('p', {}, 'help'), undefined);
	assert.deepEqual(commandFor('j', {}, 'help'), {name: 'scrollDown'}, 'help scrolls when it does not fit');
	assert.deepEqual(commandFor('', {return: true}, 'picker'), {name: 'select'});
	assert.deepEqual(commandFor('j', {}, 'picker'), {name: 'scrollDown'});
	assert.deepEqual(commandFor('/', {}, 'picker'), {name: 'filter'});
	assert.equal(commandFor('p', {}, 'picker'), undefined, 'no actions without a release');
	assert.equal(commandFor('', {tab: true}, 'picker'), undefined);
});

test('footer and help are made from the same bindings as the handler', () => {
	const modes: Mode[] = ['normal', 'filter', 'help', 'picker', 'confirm', 'confirm-name', 'picker-revision', 'weight-input'];
	for (const mode of modes) {
		for (const entry of footerEntries(mode, 1000)) {
			const binding = bindingsFor(mode).find((b) => b.footer?.keys === entry.keys && b.footer.label === entry.label);
			assert.ok(binding, `${mode}: footer entry ${entry.keys} has a binding`);
		}
	}
	const help = helpLines().filter((l) => l.kind === 'entry');
	// Dialog keys are in the dialog's own footer, not in help.
	for (const b of bindings.filter((x) => x.group !== 'dialog')) assert.ok(help.some((l) => l.keys === b.keys && l.text === b.description), `help lists ${b.keys}`);
	assert.deepEqual(footerEntries('normal', 1000).map((e) => e.keys), ['?', 'q', 'tab', 'j/k', '/', '+/-', '=', '[/]', '0-9', 'p', 'P', 'a', 'u', 'space', 'r']);
});

test('P promotes an Argo Rollout fully, r restores a Flagger Canary\'s analysis: keys, kind, label, help', () => {
	const n = (input: string, key = {}) => commandFor(input, key, 'normal');
	assert.deepEqual(n('P', {shift: true}), {name: 'promoteFull'});
	assert.deepEqual(n('P'), {name: 'promoteFull'});
	assert.deepEqual(n('r'), {name: 'restoreAnalysis'});
	assert.deepEqual(n('p'), {name: 'promote'}, 'p stays promote');
	assert.equal(n('R'), undefined);
	assert.equal(commandFor('P', {ctrl: true}, 'normal'), undefined);
	for (const mode of ['filter', 'confirm', 'help', 'picker'] as const) {
		assert.notDeepEqual(commandFor('P', {}, mode), {name: 'promoteFull'}, mode);
		assert.notDeepEqual(commandFor('r', {}, mode), {name: 'restoreAnalysis'}, mode);
	}
	assert.ok(isAction({name: 'promoteFull'}) && isAction({name: 'restoreAnalysis'}));
	// The same permission as p: the Rollout's status (Argo), the Canary's spec (Flagger).
	assert.equal(actionKind('promoteFull'), 'promote');
	assert.equal(actionKind('restoreAnalysis'), 'promote');
	assert.equal(commandLabel({name: 'promoteFull'}), 'promote fully');
	assert.equal(commandLabel({name: 'restoreAnalysis'}), 'restore analysis');
	const help = helpLines().filter((l) => l.kind === 'entry');
	assert.ok(help.some((l) => l.keys === 'P' && l.text === 'promote fully, skipping steps and analysis (Argo)'));
	assert.ok(help.some((l) => l.keys === 'r' && l.text === 'restore analysis: skipAnalysis false (Flagger)'));
	const denied = helpLines({mode: 'enabled', denied: {promote: 'no'}}).filter((l) => l.kind === 'entry' && (l.keys === 'P' || l.keys === 'r'));
	assert.deepEqual(denied.map((l) => l.text.endsWith('(not permitted)')), [true, true]);
});

test('the footer shows P on an Argo Rollout and r on a Flagger Canary only; --read-only and denials hide them', () => {
	assert.ok(appliesToRelease('promoteFull', 'argo-rollout') && !appliesToRelease('promoteFull', 'flagger') && !appliesToRelease('promoteFull', undefined));
	assert.ok(appliesToRelease('restoreAnalysis', 'flagger') && !appliesToRelease('restoreAnalysis', 'canary'));
	assert.ok(appliesToRelease('promote', 'rolling') && appliesToRelease('promote', undefined));
	const enabled = {mode: 'enabled' as const, denied: {}};
	const footer = (kind: Parameters<typeof footerHidden>[2], actions: Parameters<typeof footerHidden>[1] = enabled) =>
		footerEntries('normal', 1000, (b) => footerHidden(b, actions, kind)).map((e) => `${e.keys} ${e.label}`);
	assert.ok(footer('argo-rollout').includes('P promote fully'));
	assert.ok(!footer('argo-rollout').includes('r restore analysis'));
	assert.ok(footer('flagger').includes('r restore analysis'));
	assert.ok(!footer('flagger').includes('P promote fully'));
	for (const kind of ['canary', 'bluegreen', 'rolling', undefined] as const) assert.ok(!footer(kind).some((e) => e.startsWith('P ') || e.startsWith('r ')), String(kind));
	assert.deepEqual(footer('argo-rollout', {mode: 'read-only', denied: {}}), ['? help', 'q quit', 'tab pane', 'j/k scroll', '/ filter']);
	assert.ok(!footer('argo-rollout', {mode: 'enabled', denied: {promote: 'no'}}).includes('P promote fully'));
	// On a narrow footer P goes before the keys every release has.
	const narrow = footerEntries('normal', 140, (b) => footerHidden(b, enabled, 'argo-rollout')).map((e) => e.keys);
	assert.ok(narrow.includes('space') && !narrow.includes('P'), narrow.join(' '));
});

test('a narrow footer keeps the lowest ranks: quit and help first', () => {
	assert.deepEqual(footerEntries('normal', 16).map((e) => e.keys), ['?', 'q']);
	assert.deepEqual(footerEntries('normal', 0), []);
});

test('action keys: = types a weight, [ and ] walk the weight plan; each action has its kind', () => {
	const n = (input: string) => commandFor(input, {}, 'normal');
	assert.deepEqual(n('='), {name: 'typeWeight'});
	assert.deepEqual(n('['), {name: 'planPrev'});
	assert.deepEqual(n(']'), {name: 'planNext'});
	for (const c of ['=', '[', ']']) assert.ok(isAction(n(c)!), c);
	assert.ok(isAction({name: 'exactWeight', percent: 35}));
	assert.equal(commandLabel({name: 'exactWeight', percent: 35}), 'set weight 35%');
	assert.deepEqual(['weightUp', 'setWeight', 'typeWeight', 'planNext', 'promote', 'abort', 'pause', 'undo'].map((x) => actionKind(x as ActionName)), ['weight', 'weight', 'weight', 'weight', 'promote', 'abort', 'pause', 'undo']);
});

test('confirm dialog: y applies; n, esc and enter (the default) cancel; other keys do nothing', () => {
	const c = (input: string, key = {}) => commandFor(input, key, 'confirm');
	assert.deepEqual(c('y'), {name: 'confirmYes'});
	assert.deepEqual(c('Y'), {name: 'confirmYes'});
	assert.deepEqual(c('n'), {name: 'cancel'});
	assert.deepEqual(c('', {escape: true}), {name: 'cancel'});
	assert.deepEqual(c('', {return: true}), {name: 'cancel'}, 'enter is no: the default is N');
	for (const k of ['q', 'p', '5', 'j', ' ']) assert.equal(c(k), undefined, `${k} means nothing while asked`);
	assert.deepEqual(c('c', {ctrl: true}), {name: 'quit'});
	assert.deepEqual(footerEntries('confirm', 1000), [{keys: 'y', label: 'apply'}, {keys: 'n/esc', label: 'cancel'}]);
});

test('confirm by name: letters (even y and q) are text, enter submits, esc cancels', () => {
	const c = (input: string, key = {}) => commandFor(input, key, 'confirm-name');
	assert.deepEqual(c('y'), {name: 'textInput', text: 'y'});
	assert.deepEqual(c('q'), {name: 'textInput', text: 'q'});
	assert.deepEqual(c('checkout'), {name: 'textInput', text: 'checkout'});
	assert.deepEqual(c('', {return: true}), {name: 'textSubmit'});
	assert.deepEqual(c('', {backspace: true}), {name: 'textBackspace'});
	assert.deepEqual(c('', {escape: true}), {name: 'cancel'});
});

test('weight prompt takes digits only; the revision picker scrolls, enter picks, esc cancels', () => {
	const w = (input: string, key = {}) => commandFor(input, key, 'weight-input');
	assert.deepEqual(w('4'), {name: 'textInput', text: '4'});
	assert.equal(w('x'), undefined);
	assert.deepEqual(w('', {return: true}), {name: 'textSubmit'});
	const r = (input: string, key = {}) => commandFor(input, key, 'picker-revision');
	assert.deepEqual(r('j'), {name: 'scrollDown'});
	assert.deepEqual(r('', {upArrow: true}), {name: 'scrollUp'});
	assert.deepEqual(r('', {return: true}), {name: 'pickRevision'});
	assert.deepEqual(r('', {escape: true}), {name: 'cancel'});
	assert.equal(r('u'), undefined);
});
