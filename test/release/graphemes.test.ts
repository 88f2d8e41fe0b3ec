// graphemeSegmenter (the bundle's segmenter for Ink and the packages it draws with) held to Intl.Segmenter: the
// same clusters, at the same indices, by iteration and by containing(), for the text it cuts itself and for
// anything it hands to ICU.
import assert from 'node:assert/strict';
import {test} from 'node:test';
import {graphemeSegmenter} from '../../source/release/graphemes.js';

const icu = new Intl.Segmenter(undefined, {granularity: 'grapheme'});
const plain = (segments: Iterable<{segment: string; index: number; input: string}>) => Array.from(segments, ({segment, index, input}) => ({segment, index, input}));

function same(text: string): void {
	const ours = graphemeSegmenter.segment(text);
	const theirs = icu.segment(text);
	assert.deepEqual(plain(ours), plain(theirs), JSON.stringify(text));
	// Iterated twice, and by hand as Ink's line updates do.
	assert.deepEqual(plain(ours), plain(theirs), JSON.stringify(text));
	const iterator = ours[Symbol.iterator]();
	for (const expected of theirs) assert.equal(iterator.next().value?.segment, expected.segment);
	assert.equal(iterator.next().done, true);
	for (const index of [-1, -0.5, 0, 0.7, 1, 2, text.length - 1, text.length, text.length + 1, Number.NaN, Infinity, undefined]) {
		const a = ours.containing(index);
		const b = theirs.containing(index);
		assert.deepEqual(a && {segment: a.segment, index: a.index, input: a.input}, b && {segment: b.segment, index: b.index, input: b.input}, `${JSON.stringify(text)} at ${index}`);
	}
}

test('the text the view is made of, coloured: one cluster a code unit, as ICU cuts it', () => {
	for (const text of ['', 'a', ' rollscope   canary/checkout', '\u001b[36m│\u001b[39m\n\u001b[36m│\u001b[39m', 'weight ███░░░ 90%', '⠋ connecting…', 'tab\there\u007f']) same(text);
	let seed = 3;
	const next = () => (seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31);
	const alphabet = [...'abcXYZ019 -./|', '─', '│', '┌', '█', '░', '▁', '●', '▸', '→', '·', '…', '✓', '⏸', '⚠', 'é', '\u001b', '[', 'm', '\n', '\t'];
	for (let n = 0; n < 500; n++) same(Array.from({length: next() % 60}, () => alphabet[next() % alphabet.length]).join(''));
});

test('the text the view is made of is cut without ICU: its segments are not an Intl.Segmenter\'s', () => {
	const icuSegments = Object.getPrototypeOf(icu.segment('x'));
	for (const text of [' rollscope ', '\u001b[36m│\u001b[39m', '']) assert.notEqual(Object.getPrototypeOf(graphemeSegmenter.segment(text)), icuSegments, JSON.stringify(text));
	assert.equal(Object.getPrototypeOf(graphemeSegmenter.segment('e\u0301')), icuSegments);
});

test('anything else is cut by ICU: clusters of several code units', () => {
	for (const text of ['e\u0301', 'a\r\nb', '👍🏽 ok', '👨‍👩‍👧', '🇫🇷', '⚠\ufe0f warn', '日本語', 'ก่', '\ud83d', 'x\u200dy', '\u001b[31m👍\u001b[39m']) same(text);
	assert.deepEqual(plain(graphemeSegmenter.segment('e\u0301!')).map(s => s.segment), ['e\u0301', '!']);
});
