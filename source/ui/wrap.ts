// Word wrapping for the view's own layout, by the terminal's width of each character (release/width.ts):
// lines break at spaces, never inside `old → new`; a word longer than a line breaks between its character
// clusters. And a text cut to a width as Ink cuts it (wrap="truncate": an ellipsis at the end).
import {singleColumnWidth} from '../release/single-width.js';
import {clusters, inkClusterWidth, terminalWidth} from '../release/width.js';

/**
 * `text` on one line of at most `width` columns as Ink measures them: itself when it fits, else its leading
 * clusters and `…` (as Ink's wrap="truncate"); and the columns left over.
 */
export function truncateToWidth(text: string, width: number): {text: string; rest: number} {
	const line = text.replace(/[\r\n]+/g, ' ');
	// Most lines: characters of one column each, every one a cluster of its own (single-width.ts).
	const single = singleColumnWidth(line);
	if (single !== undefined) {
		if (single <= width) return {text: line, rest: width - single};
		return width <= 0 ? {text: '', rest: 0} : {text: `${line.slice(0, width - 1)}…`, rest: 0};
	}
	const parts = clusters(line);
	const widths = parts.map(inkClusterWidth);
	const total = widths.reduce((a, b) => a + b, 0);
	if (total <= width) return {text: line, rest: width - total};
	if (width <= 0) return {text: '', rest: 0};
	let used = 0;
	let n = 0;
	while (n < parts.length && used + widths[n]! <= width - 1) used += widths[n++]!;
	return {text: `${parts.slice(0, n).join('')}…`, rest: width - used - 1};
}

/** The words of a text, `a → b` kept as one. */
function words(text: string): string[] {
	const out: string[] = [];
	const parts = text.split(/ +/).filter(w => w !== '');
	for (let i = 0; i < parts.length; i++) {
		if (parts[i] === '→' && out.length > 0 && i + 1 < parts.length) {
			out[out.length - 1] += ` → ${parts[++i]}`;
		} else {
			out.push(parts[i]!);
		}
	}
	return out;
}

/** `text` in lines of at most `width` columns, the first after `first`, the others after `next` (indents). */
export function wrapText(text: string, width: number, first = '', next = first): string[] {
	const lines: string[] = [];
	let line = first;
	let lineWidth = terminalWidth(first);
	let empty = true;
	const room = (indent: string) => Math.max(1, width - terminalWidth(indent));
	const newLine = () => {
		lines.push(line.trimEnd());
		line = next;
		lineWidth = terminalWidth(next);
		empty = true;
	};
	for (const word of words(text)) {
		const w = terminalWidth(word);
		const space = empty ? 0 : 1;
		if (lineWidth + space + w <= width) {
			line += (empty ? '' : ' ') + word;
			lineWidth += space + w;
			empty = false;
			continue;
		}
		if (!empty) newLine();
		if (w <= room(next)) {
			line += word;
			lineWidth += w;
			empty = false;
			continue;
		}
		// Longer than a line: cut it between clusters.
		for (const cluster of clusters(word)) {
			const cw = Math.max(1, terminalWidth(cluster));
			if (lineWidth + cw > width && !empty) newLine();
			line += cluster;
			lineWidth += cw;
			empty = false;
		}
	}
	if (!empty || lines.length === 0) lines.push(line.trimEnd());
	return lines;
}
