import assert from 'node:assert/strict';
import {test} from 'node:test';
import {sanitize} from '../../source/release/sanitize.js';

test('sanitize: undefined and null are empty, other values are stringified', () => {
	assert.equal(sanitize(undefined), '');
	assert.equal(sanitize(null), '');
	assert.equal(sanitize(42), '42');
	assert.equal(sanitize('plain text'), 'plain text');
});

test('sanitize: strips CSI colour and cursor sequences', () => {
	assert.equal(sanitize('\x1b[31mred\x1b[0m'), 'red');
	assert.equal(sanitize('a\x1b[2J\x1b[1;1Hb'), 'ab');
	assert.equal(sanitize('\x1b[?1049hscreen'), 'screen');
});

test('sanitize: strips 8-bit CSI (0x9b)', () => {
	assert.equal(sanitize('x\x9b31my'), 'xy');
});

test('sanitize: strips OSC 8 hyperlinks ended by ST or BEL, and window titles', () => {
	assert.equal(sanitize('\x1b]8;;https://evil.example\x1b\\click\x1b]8;;\x1b\\'), 'click');
	assert.equal(sanitize('\x1b]0;owned\x07title'), 'title');
	assert.equal(sanitize('\x9d8;;http://x\x9clink'), 'link');
	assert.equal(sanitize('before\x1b]52;c;ZXZpbA=='), 'before', 'an unterminated OSC is dropped to the end');
});

test('sanitize: strips DCS and other escapes, BEL, DEL and C0/C1 controls', () => {
	assert.equal(sanitize('a\x1bPq#0;2;0;0;0\x1b\\b'), 'ab');
	assert.equal(sanitize('a\x1bcb'), 'ab');
	assert.equal(sanitize('a\x1b(Bb'), 'ab');
	assert.equal(sanitize('bell\x07'), 'bell');
	assert.equal(sanitize('del\x7f!'), 'del!');
	assert.equal(sanitize('nul\x00\x01\x80\x85end'), 'nulend');
	assert.equal(sanitize('apc\x9fhidden\x9c!'), 'apc!', 'C1 APC starts a string sequence');
	assert.equal(sanitize('lone escape\x1b'), 'lone escape');
});

test('sanitize: tabs, carriage returns and newlines become one space', () => {
	assert.equal(sanitize('a\tb'), 'a b');
	assert.equal(sanitize('line1\r\nline2'), 'line1 line2');
	assert.equal(sanitize('over\rwrite'), 'over write');
	assert.equal(sanitize('a\n\n\tb'), 'a b');
});

test('sanitize: strips bidirectional overrides, keeps other unicode', () => {
	assert.equal(sanitize('abc\u202edcb'), 'abcdcb');
	assert.equal(sanitize('café ✓ 日本'), 'café ✓ 日本');
});
