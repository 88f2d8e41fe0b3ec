// Text from the cluster is printed to a terminal: strip anything that could drive it.

// CSI (ESC [ or C1 0x9b) ... final byte; string sequences OSC/DCS/SOS/PM/APC (ESC ] P X ^ _ or C1 0x9d 0x90 0x98 0x9e 0x9f)
// up to BEL or ST (ESC \ or C1 0x9c) or the end of the text; any other ESC + intermediates + final byte.
const ESCAPES = /(?:\x1b\[|\x9b)[0-?]*[ -/]*[@-~]|(?:\x1b[\]PX^_]|[\x90\x98\x9d\x9e\x9f])[\s\S]*?(?:\x07|\x1b\\|\x9c|$)|\x1b[ -/]*[0-~]/g;
const WHITESPACE = /[\t\n\r\v\f]+/g;
// C0 controls, DEL and C1 controls.
const CONTROLS = /[\x00-\x1f\x7f-\x9f]/g;
// Bidirectional overrides and isolates, which reorder what follows them on screen.
const BIDI = /[\u202a-\u202e\u2066-\u2069]/g;

/** The text with terminal escape sequences and control characters removed; tabs and line breaks become one space. */
export function sanitize(text: unknown): string {
	if (text === undefined || text === null) return '';
	const raw = typeof text === 'string' ? text : String(text);
	return raw.replace(ESCAPES, '').replace(WHITESPACE, ' ').replace(CONTROLS, '').replace(BIDI, '');
}
