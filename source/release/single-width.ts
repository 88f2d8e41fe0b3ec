// The width of the text most of the view is made of, without measuring it character cluster by character
// cluster: printable ASCII and the characters the view draws with (box drawing, block elements, arrows,
// punctuation, Latin-1, Braille), each one column wide on its own and never joined to a neighbour in one
// cluster. string-width (Ink's measure, and width.ts's) gives every such text its length; it gets there by
// segmenting it and testing each cluster against Unicode-property regular expressions, whose first use costs
// about 20 ms and whose construction another 20 (the RGI emoji set). The package's bundle answers these texts
// here first (source/build/bundles.ts, stringWidthFastPath); test/release/single-width.test.ts holds every
// character listed here to string-width.

/** Whether a UTF-16 code unit is one of those characters (not printable ASCII, which the caller checks). */
function singleColumn(c: number): boolean {
	if (c < 0x2010) return c >= 0xa1 && c <= 0xff && c !== 0xad; // Latin-1 but the soft hyphen
	if (c < 0x2190) return c <= 0x2027 || (c >= 0x2030 && c <= 0x205e); // dashes, quotes, bullets, ellipsis, primes, ‹ ›
	if (c < 0x2300) return true; // arrows, mathematical operators
	if (c < 0x2500) return c === 0x23f8; // ⏸
	if (c < 0x2600) return c !== 0x25fd && c !== 0x25fe; // box drawing, block elements, geometric shapes but two emoji
	if (c < 0x2700) return c === 0x26a0; // ⚠
	if (c < 0x2800) return c === 0x2713 || c === 0x2714 || c === 0x2717 || c === 0x2718; // ✓ ✔ ✗ ✘
	return c <= 0x28ff; // Braille (spinners)
}

/** The columns `text` takes when it is made only of such characters (each one column); undefined otherwise. */
export function singleColumnWidth(text: string): number | undefined {
	for (let i = 0; i < text.length; i++) {
		const c = text.charCodeAt(i);
		if ((c < 0x20 || c > 0x7e) && !singleColumn(c)) return undefined;
	}
	return text.length;
}

/** Where the SGR sequence (ESC [ digits and semicolons m: colours and styles) whose ESC is at `i` ends; -1 if it is none. */
function sgrEnd(text: string, i: number): number {
	if (text.charCodeAt(i + 1) !== 0x5b) return -1;
	for (let j = i + 2; j < text.length; j++) {
		const c = text.charCodeAt(j);
		if (c === 0x6d) return j + 1;
		if ((c < 0x30 || c > 0x39) && c !== 0x3b) return -1;
	}
	return -1;
}

/**
 * The columns `text` takes when it is made of such characters and SGR sequences (which take none, as string-width
 * strips them); undefined otherwise. Ink measures text its colours are already in (chalk's, and the view's own).
 */
export function styledSingleColumnWidth(text: string): number | undefined {
	let width = 0;
	for (let i = 0; i < text.length; i++) {
		const c = text.charCodeAt(i);
		if (c === 0x1b) {
			const end = sgrEnd(text, i);
			if (end < 0) return undefined;
			i = end - 1;
		} else if ((c < 0x20 || c > 0x7e) && !singleColumn(c)) {
			return undefined;
		} else {
			width++;
		}
	}
	return width;
}

/**
 * Whether every UTF-16 code unit of `text` is a grapheme cluster of its own: printable ASCII, the characters
 * above, and control characters (ESC, LF, tab...), which no cluster joins, but CR (CR LF is one cluster). Ink and the packages it draws with cut text into
 * clusters with an Intl.Segmenter, whose first one in a process loads ICU's break rules (about 10 ms); such a
 * text needs none (graphemes.ts).
 */
export function eachUnitAGrapheme(text: string): boolean {
	for (let i = 0; i < text.length; i++) {
		const c = text.charCodeAt(i);
		if (c < 0x20 ? c === 0x0d : c > 0x7f && !singleColumn(c)) return false;
	}
	return true;
}
