import {test} from 'node:test';
import assert from 'node:assert/strict';
import {actionKind, bindings, bindingsFor, commandFor, commandLabel, isAction, type ActionName, type Mode} from '../../source/ui/keymap.js';
import {footerEntries} from '../../source/ui/Footer.js';
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
	assert.deepEqual(footerEntries('normal', 1000).map((e) => e.keys), ['?', 'q', 'tab', 'j/k', '/', '+/-', '=', '[/]', '0-9', 'p', 'a', 'u', 'space']);
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
