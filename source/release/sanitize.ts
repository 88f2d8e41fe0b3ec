// Text from the cluster is printed to a terminal: strip anything that could drive it, and anything whose
// width the terminal and the view's layout (Ink) would measure differently (width.ts), so that every border
// and column lines up whatever the text holds.
import {agreeingCluster, clusters} from './width.js';

// CSI (ESC [ or C1 0x9b) ... final byte; string sequences OSC/DCS/SOS/PM/APC (ESC ] P X ^ _ or C1 0x9d 0x90 0x98 0x9e 0x9f)
// up to BEL or ST (ESC \ or C1 0x9c) or the end of the text; any other ESC + intermediates + final byte.
const ESCAPES = /(?:\x1b\[|\x9b)[0-?]*[ -/]*[@-~]|(?:\x1b[\]PX^_]|[\x90\x98\x9d\x9e\x9f])[\s\S]*?(?:\x07|\x1b\\|\x9c|$)|\x1b[ -/]*[0-~]/g;
// Line breaks and tabs, and the line and paragraph separators (U+2028, U+2029), become one space.
const WHITESPACE = /[\t\n\r\v\f\u2028\u2029]+/g;
// Spaces other than the ASCII one (no-break, ideographic, thin…) become it.
const SPACES = /[\u00a0\u1680\u2000-\u200a\u202f\u205f\u3000]/g;
// A surrogate without its pair.
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;
// C0 controls, DEL and C1 controls.
const CONTROLS = /[\x00-\x1f\x7f-\x9f]/g;
// Format characters (bidirectional overrides and isolates, zero-width spaces and joiners, soft hyphens, byte
// order marks, tags), variation selectors (text or emoji presentation, which terminals draw in 1 or 2
// columns as they please) and emoji skin tones (a second emoji to a terminal that does not join them).
const INVISIBLE = /[\p{Cf}\u180b-\u180f]|[\ufe00-\ufe0f]|[\u{e0100}-\u{e01ef}]|[\u{1f3fb}-\u{1f3ff}]/gu;
// Printable ASCII: nothing more to check.
const ASCII = /^[\x20-\x7e]*$/;

/**
 * The text with terminal escape sequences, control and format characters removed (tabs, line breaks and
 * separators become one space), and every character cluster one that terminals and Ink give the same width.
 */
export function sanitize(text: unknown): string {
	if (text === undefined || text === null) return '';
	const raw = typeof text === 'string' ? text : String(text);
	const plain = raw.replace(ESCAPES, '').replace(WHITESPACE, ' ').replace(CONTROLS, '');
	if (ASCII.test(plain)) return plain;
	const visible = plain.replace(LONE_SURROGATE, '\ufffd').replace(SPACES, ' ').replace(INVISIBLE, '');
	return clusters(visible).map(agreeingCluster).join('');
}
