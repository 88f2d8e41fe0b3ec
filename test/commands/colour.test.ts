// Colours: FORCE_COLOR decides when set, else NO_COLOR (any non-empty value) and TERM=dumb turn them off.
import assert from 'node:assert/strict';
import {test} from 'node:test';
import {applyColourChoice, colourChoice} from '../../source/commands/colour.js';

test('the colour choice from the environment', () => {
	const table: Array<[Record<string, string>, ReturnType<typeof colourChoice>]> = [
		[{}, undefined],
		[{TERM: 'xterm-256color'}, undefined],
		[{NO_COLOR: '1'}, 0],
		[{NO_COLOR: 'yes please'}, 0],
		[{NO_COLOR: ''}, undefined],
		[{TERM: 'dumb'}, 0],
		[{FORCE_COLOR: '0'}, 0],
		[{FORCE_COLOR: 'false'}, 0],
		[{FORCE_COLOR: '2'}, 2],
		[{FORCE_COLOR: ''}, 1],
		[{FORCE_COLOR: 'true', NO_COLOR: '1'}, 1],
		[{FORCE_COLOR: '3', TERM: 'dumb'}, 3],
		[{FORCE_COLOR: 'sometimes', NO_COLOR: '1'}, 0],
	];
	for (const [env, choice] of table) assert.equal(colourChoice(env), choice, JSON.stringify(env));
});

test('the choice is handed to chalk as FORCE_COLOR', () => {
	const env: Record<string, string | undefined> = {NO_COLOR: '1'};
	assert.equal(applyColourChoice(env), 0);
	assert.equal(env.FORCE_COLOR, '0');
	const untouched: Record<string, string | undefined> = {TERM: 'xterm'};
	applyColourChoice(untouched);
	assert.equal(untouched.FORCE_COLOR, undefined);
});
