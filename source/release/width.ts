// The width of text on a terminal, by one rule: the one terminals draw by (wcwidth), code point by code
// point: 0 columns for combining and enclosing marks, format characters and the vowels and finals of
// conjoining Hangul; 2 for East Asian wide and fullwidth characters (emoji with an emoji presentation among
// them); 1 for everything else (ambiguous characters too, as outside CJK locales). Ink measures by grapheme
// cluster instead (string-width), so sanitize() keeps only clusters on which both measures agree.
import {eastAsianWidth} from 'get-east-asian-width';
import stringWidth from 'string-width';

const zeroWidth = /^[\p{Mn}\p{Me}\p{Cf}\u1160-\u11ff\ud7b0-\ud7ff]$/u;

/** Columns one code point takes on a terminal. */
export function codePointWidth(codePoint: number): 0 | 1 | 2 {
	if (codePoint < 0x20 || (codePoint >= 0x7f && codePoint < 0xa0)) return 0;
	if (zeroWidth.test(String.fromCodePoint(codePoint))) return 0;
	return eastAsianWidth(codePoint) === 2 ? 2 : 1;
}

/** Columns a text takes on a terminal (no escape sequences expected: sanitize() removed them). */
export function terminalWidth(text: string): number {
	let width = 0;
	for (const char of text) width += codePointWidth(char.codePointAt(0)!);
	return width;
}

/** Columns Ink gives a grapheme cluster: string-width's, at least 1 (Ink's output never gives a cluster 0). */
export function inkClusterWidth(cluster: string): number {
	return Math.max(1, stringWidth(cluster));
}

// Made when first needed: the first segmenter of a process loads ICU's break rules (about 10 ms), and this
// module loads before the first request goes out; Ink's own make it while the lists come in.
let segmenter: Intl.Segmenter | undefined;

/** The grapheme clusters of a text, as Ink splits it. */
export function clusters(text: string): string[] {
	segmenter ??= new Intl.Segmenter(undefined, {granularity: 'grapheme'});
	return Array.from(segmenter.segment(text), s => s.segment);
}

/**
 * A cluster as both measures agree on it: itself when they do; else its longest leading part on which they
 * agree (an emoji without its skin tone, a letter without the mark a terminal draws apart); '' for a cluster
 * that takes no column at all; else U+FFFD.
 */
export function agreeingCluster(cluster: string): string {
	const chars = Array.from(cluster);
	for (let n = chars.length; n > 0; n--) {
		const part = chars.slice(0, n).join('');
		const width = terminalWidth(part);
		if (width >= 1 && width === stringWidth(part)) return part;
	}
	return stringWidth(cluster) === 0 && terminalWidth(cluster) === 0 ? '' : '\ufffd';
}
