import {test} from 'node:test';
import assert from 'node:assert/strict';
import type {Command} from '../../source/ui/keymap.js';
import {activeFilter, initialViewState, matches, modeOf, reduceView, windowOf, type ViewContext, type ViewState} from '../../source/ui/view-state.js';

const context: ViewContext = {
	rows: {pods: 10, revisions: 3, events: 0, picker: 4},
	visible: {pods: 4, revisions: 3, events: 3, picker: 2},
	picking: false,
};

function run(state: ViewState, ...commands: Command[]): ViewState {
	return commands.reduce((s, command) => reduceView(s, {type: 'command', command, context}), state);
}

test('tab cycles focus pods → revisions → events → pods; shift-tab goes back', () => {
	let s = initialViewState();
	assert.equal(s.focus, 'pods');
	s = run(s, {name: 'focusNext'});
	assert.equal(s.focus, 'revisions');
	s = run(s, {name: 'focusNext'}, {name: 'focusNext'});
	assert.equal(s.focus, 'pods');
	s = run(s, {name: 'focusPrev'});
	assert.equal(s.focus, 'events');
});

test('scrolling moves the cursor, keeps it on screen and stops at the ends', () => {
	let s = run(initialViewState(), {name: 'scrollUp'});
	assert.deepEqual(s.scroll.pods, {cursor: 0, offset: 0});
	s = run(s, {name: 'scrollDown'}, {name: 'scrollDown'}, {name: 'scrollDown'}, {name: 'scrollDown'});
	assert.deepEqual(s.scroll.pods, {cursor: 4, offset: 1});
	s = run(s, {name: 'pageDown'});
	assert.deepEqual(s.scroll.pods, {cursor: 7, offset: 4});
	s = run(s, {name: 'bottom'}, {name: 'scrollDown'});
	assert.deepEqual(s.scroll.pods, {cursor: 9, offset: 6});
	s = run(s, {name: 'pageUp'});
	assert.deepEqual(s.scroll.pods, {cursor: 6, offset: 6});
	s = run(s, {name: 'top'});
	assert.deepEqual(s.scroll.pods, {cursor: 0, offset: 0});
	assert.deepEqual(s.scroll.revisions, {cursor: 0, offset: 0}, 'other panes keep their place');
	s = run(s, {name: 'focusNext'}, {name: 'focusNext'}, {name: 'scrollDown'});
	assert.deepEqual(s.scroll.events, {cursor: 0, offset: 0}, 'an empty list does not move');
});

test('windowOf clamps cursor and offset to the rows there are', () => {
	assert.deepEqual(windowOf({cursor: 9, offset: 0}, 10, 4), {cursor: 9, offset: 6, end: 10});
	assert.deepEqual(windowOf({cursor: 9, offset: 8}, 5, 4), {cursor: 4, offset: 1, end: 5});
	assert.deepEqual(windowOf({cursor: 3, offset: 3}, 10, 20), {cursor: 3, offset: 0, end: 10});
	assert.deepEqual(windowOf({cursor: 2, offset: 1}, 0, 4), {cursor: 0, offset: 0, end: 0});
});

test('filter: / starts editing, typing previews, enter applies, esc clears', () => {
	let s = run(initialViewState(), {name: 'scrollDown'}, {name: 'filter'});
	assert.equal(modeOf(s, false), 'filter');
	s = run(s, {name: 'filterInput', text: 'cra'}, {name: 'filterInput', text: 'x'}, {name: 'filterBackspace'}, {name: 'filterInput', text: 'sh'});
	assert.equal(s.draft, 'crash');
	assert.equal(activeFilter(s), 'crash', 'the draft filters while typing');
	assert.equal(s.filter, '');
	assert.deepEqual(s.scroll.pods, {cursor: 0, offset: 0}, 'a new filter starts at the top');
	s = run(s, {name: 'filterApply'});
	assert.equal(s.filter, 'crash');
	assert.equal(modeOf(s, false), 'normal');
	s = run(s, {name: 'filter'});
	assert.equal(s.draft, 'crash', 'editing starts from the applied filter');
	s = run(s, {name: 'filterClear'});
	assert.equal(s.filter, '');
	assert.equal(s.editingFilter, false);
	s = run(s, {name: 'filter'}, {name: 'filterInput', text: 'web'}, {name: 'filterApply'}, {name: 'escape'});
	assert.equal(s.filter, '', 'esc on the release screen clears the filter too');
});

test('help toggles; esc closes it first', () => {
	let s = run(initialViewState(), {name: 'help'});
	assert.equal(s.helpOpen, true);
	assert.equal(modeOf(s, true), 'help');
	s = run(s, {name: 'help'});
	assert.equal(s.helpOpen, false);
	s = run(s, {name: 'filter'}, {name: 'filterInput', text: 'x'}, {name: 'filterApply'}, {name: 'help'}, {name: 'escape'});
	assert.equal(s.helpOpen, false);
	assert.equal(s.filter, 'x', 'the first esc only closes help');
});

test('action commands say they are not available yet; the next key clears the message', () => {
	let s = run(initialViewState(), {name: 'promote'});
	assert.equal(s.status, 'promote: not available yet');
	s = run(s, {name: 'setWeight', digit: 5});
	assert.equal(s.status, 'set weight 50%: not available yet');
	s = run(s, {name: 'promoteFull'});
	assert.equal(s.status, 'promote fully: not available yet');
	s = run(s, {name: 'restoreAnalysis'});
	assert.equal(s.status, 'restore analysis: not available yet');
	s = run(s, {name: 'scrollDown'});
	assert.equal(s.status, undefined);
	s = reduceView(s, {type: 'status', message: 'hello'});
	assert.equal(s.status, 'hello');
	s = run(s, {name: 'escape'});
	assert.equal(s.status, undefined);
});

test('in the picker, scrolling moves the picker cursor', () => {
	const s = reduceView(initialViewState(), {type: 'command', command: {name: 'scrollDown'}, context: {...context, picking: true}});
	assert.deepEqual(s.scroll.picker, {cursor: 1, offset: 0});
	assert.deepEqual(s.scroll.pods, {cursor: 0, offset: 0});
	assert.equal(modeOf(s, true), 'picker');
});

test('matches is a case-insensitive substring test over fields', () => {
	assert.ok(matches('', 'x'));
	assert.ok(matches('CRASH', 'CrashLoopBackOff'));
	assert.ok(matches('8', 'pod', 8));
	assert.ok(!matches('zzz', 'pod', undefined));
});

test('help scrolls by lines while open, within what does not fit', () => {
	const ctx = {...context, helpOverflow: 3};
	const go = (s: ViewState, ...commands: Command[]) => commands.reduce((v, command) => reduceView(v, {type: 'command', command, context: ctx}), s);
	let s = go(initialViewState(), {name: 'help'}, {name: 'scrollDown'}, {name: 'scrollDown'});
	assert.equal(s.helpOffset, 2);
	assert.deepEqual(s.scroll.pods, {cursor: 0, offset: 0}, 'the pods list stays put under help');
	s = go(s, {name: 'bottom'});
	assert.equal(s.helpOffset, 3);
	s = go(s, {name: 'pageUp'}, {name: 'scrollUp'});
	assert.equal(s.helpOffset, 0);
	s = go(s, {name: 'scrollDown'}, {name: 'help'}, {name: 'help'});
	assert.equal(s.helpOffset, 0, 'reopened help starts at the top');
});
