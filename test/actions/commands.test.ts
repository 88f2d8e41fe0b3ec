// The commands of the action layer and what a run's action config says: the kind of action each command is (as
// permissions group them), the names the keymap may use, and the namespaces where a change is confirmed by name.
import assert from 'node:assert/strict';
import {test} from 'node:test';
import {actionKind, isActionName, type ActionName} from '../../source/actions/commands.js';
import {confirmsByName, defaultActionConfig} from '../../source/actions/config.js';

test('actionKind: promote, abort, pause and undo are their own kinds; promote fully and restore analysis write what promote writes; the rest move weights', () => {
	const kinds = Object.fromEntries(
		(['weightUp', 'weightDown', 'setWeight', 'typeWeight', 'exactWeight', 'planPrev', 'planNext', 'promote', 'promoteFull', 'restoreAnalysis', 'abort', 'pause', 'undo'] as ActionName[]).map(name => [name, actionKind(name)]),
	);
	assert.deepEqual(kinds, {
		weightUp: 'weight',
		weightDown: 'weight',
		setWeight: 'weight',
		typeWeight: 'weight',
		exactWeight: 'weight',
		planPrev: 'weight',
		planNext: 'weight',
		promote: 'promote',
		promoteFull: 'promote',
		restoreAnalysis: 'promote',
		abort: 'abort',
		pause: 'pause',
		undo: 'undo',
	});
});

test('isActionName: the thirteen commands, nothing else', () => {
	for (const name of ['weightUp', 'weightDown', 'setWeight', 'typeWeight', 'exactWeight', 'planPrev', 'planNext', 'promote', 'promoteFull', 'restoreAnalysis', 'abort', 'pause', 'undo']) {
		assert.equal(isActionName(name), true, name);
	}
	for (const name of ['', 'quit', 'Promote', 'weight', 'promote ', 'toString', 'constructor']) assert.equal(isActionName(name), false, JSON.stringify(name));
});

test('confirmsByName: shell-like patterns over the whole namespace name', () => {
	assert.equal(confirmsByName('prod', []), false);
	assert.equal(confirmsByName('prod-eu', ['prod*']), true);
	assert.equal(confirmsByName('preprod', ['prod*']), false, 'anchored at the start');
	assert.equal(confirmsByName('prod', ['prod']), true);
	assert.equal(confirmsByName('prod2', ['prod']), false, 'anchored at the end');
	assert.equal(confirmsByName('prod1', ['prod?']), true);
	assert.equal(confirmsByName('prod12', ['prod?']), false, '? is one character');
	assert.equal(confirmsByName('a.b', ['a.b']), true);
	assert.equal(confirmsByName('axb', ['a.b']), false, 'a dot is a dot');
	assert.equal(confirmsByName('shop', ['staging', 'sh*']), true, 'any pattern');
	assert.equal(confirmsByName('a+b', ['a+b']), true);
	assert.equal(confirmsByName('aab', ['a+b']), false, 'a plus is a plus');
	assert.equal(confirmsByName('x(1)', ['x(1)']), true);
});

test('the default action config', () => {
	assert.deepEqual(defaultActionConfig, {confirmByName: [], weightStep: 10, weightPlan: [5, 25, 50, 100], abortScalesCanary: true});
});
