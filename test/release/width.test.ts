// The one width rule (wcwidth, code point by code point) against a table of characters, and the sanitizer
// that leaves only text on which the rule and Ink's measure (string-width per grapheme cluster) agree.
import assert from 'node:assert/strict';
import {test} from 'node:test';
import stringWidth from 'string-width';
import {sanitize} from '../../source/release/sanitize.js';
import {agreeingCluster, clusters, codePointWidth, inkClusterWidth, terminalWidth} from '../../source/release/width.js';

/** Ink's width of a text: each cluster by string-width, at least 1 (ink/build/output.js). */
const inkWidth = (text: string) => clusters(text).reduce((sum, c) => sum + inkClusterWidth(c), 0);

test('the width of single characters: wcwidth', () => {
	const table: Array<[string, number, string]> = [
		['a', 1, 'ASCII'],
		['é', 1, 'precomposed Latin'],
		['\u0301', 0, 'combining acute accent (Mn)'],
		['\u20dd', 0, 'combining enclosing circle (Me)'],
		['\u200b', 0, 'zero width space (Cf)'],
		['\u200d', 0, 'zero width joiner (Cf)'],
		['\u00ad', 0, 'soft hyphen (Cf)'],
		['\ufeff', 0, 'byte order mark (Cf)'],
		['\ufe0f', 0, 'variation selector 16 (Mn)'],
		['\u1161', 0, 'Hangul medial vowel'],
		['中', 2, 'CJK ideograph'],
		['한', 2, 'Hangul syllable'],
		['ア', 2, 'katakana'],
		['ｱ', 1, 'halfwidth katakana'],
		['Ａ', 2, 'fullwidth Latin'],
		['\u3000', 2, 'ideographic space'],
		['😀', 2, 'emoji with emoji presentation'],
		['⌚', 2, 'watch: emoji presentation, East Asian wide'],
		['❤', 1, 'heavy heart: text presentation by default'],
		['☺', 1, 'smiling face: text presentation by default'],
		['\u{1f3fd}', 2, 'skin tone modifier on its own'],
		['\u{1f1e9}', 1, 'regional indicator'],
		['…', 1, 'ellipsis (ambiguous: narrow)'],
		['│', 1, 'box drawing (ambiguous: narrow)'],
		['▸', 1, 'the focus marker'],
		['\ufffd', 1, 'replacement character'],
	];
	for (const [char, width, what] of table) assert.equal(codePointWidth(char.codePointAt(0)!), width, `${what} ${JSON.stringify(char)}`);
	assert.equal(terminalWidth('ab中\u0301c'), 5);
});

test('sanitize: separators, format characters, variation selectors and skin tones go; what stays measures the same both ways', () => {
	const table: Array<[string, string, string]> = [
		['line\u2028separator', 'line separator', 'U+2028 is a line break: one space'],
		['para\u2029graph', 'para graph', 'U+2029 too'],
		['no\u00a0break\u2003em', 'no break em', 'other spaces become the ASCII one'],
		['❤️ tag', '❤ tag', 'an emoji presentation sequence: drawn in 1 or 2 columns as the terminal pleases, so the text form'],
		['👍🏽', '👍', 'a skin tone: a second emoji to terminals that do not join them'],
		['👨\u200d👩\u200d👧', '👨👩👧', 'a ZWJ sequence: three emoji, as a terminal without joining draws them'],
		['1️⃣', '1', 'a keycap'],
		['zero\u200bwidth\u200djoin', 'zerowidthjoin', 'zero-width characters'],
		['soft\u00adhyphen\ufeff', 'softhyphen', 'soft hyphen and byte order mark'],
		['\u0301start', 'start', 'a combining mark with nothing to combine with takes no column: dropped'],
		['café', 'café', 'combining marks on a letter stay'],
		['日本語 中文 한국어', '日本語 中文 한국어', 'CJK stays'],
		['🇩🇪 flag', '🇩🇪 flag', 'a flag: 2 columns both ways'],
		['กำ', 'ก', 'a cluster Ink measures narrower than the terminal draws it keeps its agreeing part'],
		['\u1161', '\ufffd', 'a lone Hangul vowel: no agreeing part'],
		['a\ud800b', 'a\ufffdb', 'a lone surrogate'],
		['abc\u202edcb', 'abcdcb', 'bidirectional override'],
	];
	for (const [input, output, why] of table) assert.equal(sanitize(input), output, why);
	for (const [input] of table) {
		const out = sanitize(input);
		assert.equal(terminalWidth(out), inkWidth(out), `${JSON.stringify(input)} → ${JSON.stringify(out)}`);
		assert.equal(terminalWidth(out), stringWidth(out), `${JSON.stringify(out)} by string-width`);
	}
});

test('every cluster the sanitizer leaves has the same width by both measures, over a sweep of the planes', () => {
	const samples: string[] = [];
	for (let cp = 0x20; cp < 0x3_0000; cp += cp < 0x3000 ? 1 : 7) {
		if (cp >= 0xd800 && cp <= 0xdfff) continue;
		samples.push(String.fromCodePoint(cp));
	}
	// Pairs with a following mark, modifier, selector or joiner, as clusters form.
	for (const base of ['a', '中', '😀', '❤', '\u{1f1e9}', 'ᄀ']) for (const next of ['\u0301', '\u{1f3fd}', '\ufe0f', '\u200d😀', '\u20e3', '\u1161', '\u{1f1ea}']) samples.push(base + next);
	const bad: string[] = [];
	for (const sample of samples) {
		const out = sanitize(sample);
		for (const cluster of clusters(out)) {
			if (terminalWidth(cluster) !== stringWidth(cluster) || terminalWidth(cluster) < 1) bad.push(`${JSON.stringify(sample)} → ${JSON.stringify(cluster)}`);
		}
	}
	assert.deepEqual(bad.slice(0, 10), []);
});

test('agreeingCluster: the longest leading part on which both measures agree', () => {
	assert.equal(agreeingCluster('e\u0301'), 'e\u0301');
	assert.equal(agreeingCluster('👍\u{1f3fd}'), '👍');
	assert.equal(agreeingCluster('\u200b'), '');
});
