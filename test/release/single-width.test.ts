// singleColumnWidth (the bundle's first answer to string-width) held to string-width itself: every character
// it counts as one column, alone and beside others, and whatever it declines.
import assert from 'node:assert/strict';
import {test} from 'node:test';
import stringWidth from 'string-width';
import {eachUnitAGrapheme, singleColumnWidth, styledSingleColumnWidth} from '../../source/release/single-width.js';

/** Every BMP character outside printable ASCII that singleColumnWidth counts. */
const counted = Array.from({length: 0x10000 - 0x80}, (_, i) => String.fromCharCode(0x80 + i)).filter(c => singleColumnWidth(c) === 1);

test('every character it counts is one column to string-width, alone, after ASCII, doubled and before ASCII', () => {
	assert.ok(counted.length > 1000, `${counted.length} characters`);
	for (const c of ['─', '│', '█', '░', '▁', '●', '▸', '›', '→', '·', '…', '✓', '✗', '⏸', '⚠', '≤', '×', 'µ', '◌', '⠋']) assert.ok(counted.includes(c), `${c} (the view draws it)`);
	const differ = counted.filter(c => stringWidth(c) !== 1 || stringWidth(`a${c}`) !== 2 || stringWidth(c + c) !== 2 || stringWidth(`${c}a`) !== 2);
	assert.deepEqual(differ.map(c => c.charCodeAt(0).toString(16)), []);
	// None extends or joins a cluster: each is a cluster of its own.
	assert.deepEqual(counted.filter(c => /[\p{Grapheme_Extend}\p{Default_Ignorable_Code_Point}\p{Cf}\p{Mc}\p{Cc}\p{Zl}\p{Zp}\p{Emoji_Presentation}]/u.test(c)), []);
});

test('the ends of every range it counts are counted, and the characters just outside them are not', () => {
	const ends = [' ', '~', '\u00a1', '\u00ff', '\u2010', '\u2027', '\u2030', '\u205e', '\u2190', '\u22ff', '\u23f8', '\u2500', '\u25fc', '\u25ff', '\u26a0', '\u2713', '\u2714', '\u2717', '\u2718', '\u2800', '\u28ff'];
	assert.deepEqual(ends.filter(c => singleColumnWidth(c) !== 1).map(c => c.charCodeAt(0).toString(16)), []);
	const outside = ['\u001f', '\u007f', '\u00a0', '\u00ad', '\u0100', '\u200f', '\u2028', '\u205f', '\u2300', '\u23f7', '\u25fd', '\u25fe', '\u2600', '\u2712', '\u2715', '\u2719', '\u2900'];
	assert.deepEqual(outside.filter(c => singleColumnWidth(c) !== undefined).map(c => c.charCodeAt(0).toString(16)), []);
});

test('texts of them and printable ASCII: the same width as string-width gives; anything else is left to it', () => {
	let seed = 7;
	const next = () => (seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31);
	const ascii = Array.from({length: 0x5f}, (_, i) => String.fromCharCode(0x20 + i));
	for (let n = 0; n < 2000; n++) {
		const text = Array.from({length: next() % 40}, () => (next() % 2 ? ascii[next() % ascii.length] : counted[next() % counted.length])).join('');
		assert.equal(singleColumnWidth(text), stringWidth(text), JSON.stringify(text));
	}
	assert.equal(singleColumnWidth(''), 0);
	assert.equal(singleColumnWidth('pods 800/800 ready ─── → 90%'), 28);
	for (const other of ['e\u0301', '⚠\ufe0f', '\u001b[31mred', 'tab\there', '日本', '👍', '◽', 'soft\u00adhyphen', '\u200bzero', 'a\u2028b', '\ud83d']) {
		assert.equal(singleColumnWidth(other), undefined, JSON.stringify(other));
	}
});

const sgr = ['\u001b[0m', '\u001b[1m', '\u001b[36m', '\u001b[39m', '\u001b[7m', '\u001b[38;5;208m', '\u001b[48;2;10;20;30m', '\u001b[m', '\u001b[22;39m'];

test('styled texts (SGR sequences among those characters): the width string-width gives; other escapes are left to it', () => {
	let seed = 11;
	const next = () => (seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31);
	const ascii = Array.from({length: 0x5f}, (_, i) => String.fromCharCode(0x20 + i));
	for (let n = 0; n < 2000; n++) {
		const pick = () => [ascii[next() % ascii.length], counted[next() % counted.length], sgr[next() % sgr.length]][next() % 3];
		const text = Array.from({length: next() % 40}, pick).join('');
		assert.equal(styledSingleColumnWidth(text), stringWidth(text), JSON.stringify(text));
	}
	assert.equal(styledSingleColumnWidth('\u001b[7m\u001b[1m rollscope \u001b[22m\u001b[27m ● live'), 18);
	for (const other of ['\u001b[31', '\u001b', '\u001b]8;;https://x\u0007link\u001b]8;;\u0007', '\u001b[2K', '\u001b[2Kmore', '\u001bX1m', '\u001b[1:2m', '\u001b[36m日本\u001b[39m', 'e\u0301', '\u001b(B', 'tab\there']) {
		assert.equal(styledSingleColumnWidth(other), undefined, JSON.stringify(other));
	}
});

test('eachUnitAGrapheme: true exactly when Intl.Segmenter cuts the text into its code units', () => {
	const segmenter = new Intl.Segmenter(undefined, {granularity: 'grapheme'});
	const units = (text: string) => [...segmenter.segment(text)].every(s => s.segment.length === 1);
	let seed = 5;
	const next = () => (seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31);
	const controls = Array.from({length: 0x20}, (_, i) => String.fromCharCode(i)).filter(c => c !== '\r').concat('\u007f');
	const ascii = Array.from({length: 0x5f}, (_, i) => String.fromCharCode(0x20 + i));
	for (let n = 0; n < 2000; n++) {
		const text = Array.from({length: next() % 40}, () => [ascii[next() % ascii.length], counted[next() % counted.length], controls[next() % controls.length]][next() % 3]).join('');
		assert.ok(eachUnitAGrapheme(text), JSON.stringify(text));
		assert.ok(units(text), JSON.stringify(text));
	}
	// Every control character but CR, and the ends of printable ASCII, each beside the others.
	const all = `${controls.join('')} ~${counted.join('')}`;
	assert.ok(eachUnitAGrapheme(all));
	assert.ok(units(all));
	for (const other of ['a\r\nb', '\r', 'e\u0301', '⚠\ufe0f', '👍', '日本', '\u200d', 'soft\u00adhyphen', '\ud83d', '\u0100', '\u0080', '\u00a0']) assert.equal(eachUnitAGrapheme(other), false, JSON.stringify(other));
});
