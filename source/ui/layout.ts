// Pure layout arithmetic: how the rows and columns of the terminal are shared out.
// Every number here is exact, so the frame is never taller or wider than the terminal.
import {panes, type Pane} from './view-state.js';

export const minColumns = 40;
export const minRows = 10;
export const headerRows = 2;
export const footerRows = 1;

/**
 * How much a version panel shows:
 * - full: bordered, title, pods, phases, weight bar, then the SLI area;
 * - compact: bordered, two lines;
 * - line: one unbordered line.
 */
export type PanelLevel = 'full' | 'compact' | 'line';

export type PanelLayout = {
	direction: 'row' | 'column';
	level: PanelLevel;
	/** Width of each panel, in display order (they add up to the terminal width when in a row). */
	widths: number[];
	/** Height of one panel. */
	height: number;
	/** Rows the panels take together. */
	total: number;
	/** Rows inside a full panel left for SLI sparklines. */
	sliRows: number;
};

export type PaneLayout = {pane: Pane; height: number};

export type Layout = {
	columns: number;
	rows: number;
	/** Rows between header and footer. */
	body: number;
	panels: PanelLayout;
	/** The lower panes shown, top to bottom; one pane with tabs when space is short. */
	lower: PaneLayout[];
	/** True when only the focused pane is shown (its title lists the others as tabs). */
	tabs: boolean;
};

/** Info lines of a full panel (title, pods, phases, weight). */
const fullInfoRows = 4;
/** The lower area needs at least this many rows before panels may grow. */
const minLower = 8;
/** With this many rows below the panels, all three panes are shown at once. */
const allPanesRows = 15;

export function panelHeight(level: PanelLevel, sliRows: number): number {
	switch (level) {
		case 'full':
			return 2 + fullInfoRows + sliRows;
		case 'compact':
			return 2 + 2;
		case 'line':
			return 1;
	}
}

export function isTooSmall(columns: number, rows: number): boolean {
	return columns < minColumns || rows < minRows;
}

/** Panels go side by side when each gets 40 columns, or the terminal is 100 wide and each gets 24. */
function panelDirection(columns: number, count: number): 'row' | 'column' {
	if (count <= 1) return 'row';
	const each = Math.floor(columns / count);
	return each >= 40 || (columns >= 100 && each >= 24) ? 'row' : 'column';
}

function split(total: number, count: number): number[] {
	const each = Math.floor(total / count);
	const extra = total - each * count;
	return Array.from({length: count}, (_, i) => each + (i < extra ? 1 : 0));
}

/**
 * Lay out the release screen.
 * @param versions number of version panels
 * @param focus the focused lower pane
 * @param paneRows rows each pane would need to show everything (title, header, items)
 * @param sliRows rows a full panel keeps for SLI sparklines
 */
export function layout(columns: number, rows: number, versions: number, focus: Pane, paneRows: Record<Pane, number>, sliRows = 1): Layout {
	const body = Math.max(0, rows - headerRows - footerRows);
	const direction = panelDirection(columns, versions);
	const widths = versions === 0 ? [] : direction === 'row' ? split(columns, versions) : Array.from({length: versions}, () => columns);
	let level: PanelLevel = 'line';
	for (const candidate of ['full', 'compact'] as const) {
		const h = panelHeight(candidate, sliRows);
		const total = direction === 'row' ? h : h * versions;
		if (body - total >= minLower) {
			level = candidate;
			break;
		}
	}
	const height = versions === 0 ? 0 : panelHeight(level, sliRows);
	let total = direction === 'row' ? height : height * versions;
	total = Math.min(total, body);
	const panels: PanelLayout = {direction, level, widths, height, total, sliRows: level === 'full' ? sliRows : 0};

	const remaining = body - total;
	return {columns, rows, body, panels, ...lowerPanes(remaining, focus, paneRows)};
}

/**
 * Share `remaining` rows among the panes. All three are shown when there is room (or when the
 * focused pane fits whole and the others still get a few rows); otherwise only the focused one.
 */
function lowerPanes(remaining: number, focus: Pane, need: Record<Pane, number>): {lower: PaneLayout[]; tabs: boolean} {
	const least = 3;
	const fitsWhole = need[focus] + least * (panes.length - 1) <= remaining;
	if (remaining < allPanesRows && !fitsWhole) {
		return {lower: remaining > 0 ? [{pane: focus, height: remaining}] : [], tabs: true};
	}
	// The others get what they need up to a quarter each, the focused one the rest;
	// rows the focused pane cannot use go back to the others.
	const cap = Math.max(least, Math.floor(remaining / 4));
	const lower = panes.map((pane) => ({pane, height: pane === focus ? 0 : Math.min(cap, Math.max(least, need[pane]))}));
	const focused = lower.find((p) => p.pane === focus) as PaneLayout;
	focused.height = remaining - lower.reduce((sum, p) => sum + p.height, 0);
	let spare = focused.height - need[focus];
	for (const p of lower) {
		if (spare <= 0 || p === focused) continue;
		const more = Math.min(spare, Math.max(0, need[p.pane] - p.height));
		p.height += more;
		focused.height -= more;
		spare -= more;
	}
	return {lower, tabs: false};
}

export type ColumnSpec = {
	key: string;
	/** Width of a fixed column, or the minimum of a flexible one. */
	width: number;
	/** Flexible columns share the space left over in proportion to `grow` (1), up to `max` each. */
	flex?: boolean;
	grow?: number;
	max?: number;
	/** Columns with a higher number are dropped first when the row is too narrow; 0 never. */
	drop?: number;
	/** When the row is still too narrow, the column may shrink to this (rightmost first). */
	min?: number;
};

/** `total` split in proportion to `weights`; the remainder goes to the first ones. */
function weighted(total: number, weights: number[]): number[] {
	const sum = weights.reduce((a, b) => a + b, 0) || 1;
	const shares = weights.map((w) => Math.floor((total * w) / sum));
	let rest = total - shares.reduce((a, b) => a + b, 0);
	for (let i = 0; rest > 0; i = (i + 1) % shares.length, rest--) shares[i]++;
	return shares;
}

/**
 * Widths for table columns in `total` cells, with one space between columns. Drops optional
 * columns that do not fit and gives flexible columns the rest. The widths plus gaps never
 * exceed `total`.
 */
export function fitColumns(specs: readonly ColumnSpec[], total: number): Array<{key: string; width: number}> {
	let shown = [...specs];
	const need = (cols: ColumnSpec[]) => cols.reduce((s, c) => s + c.width, 0) + Math.max(0, cols.length - 1);
	while (need(shown) > total) {
		const droppable = shown.filter((c) => (c.drop ?? 0) > 0);
		if (droppable.length === 0) break;
		const worst = droppable.reduce((a, b) => ((b.drop ?? 0) > (a.drop ?? 0) ? b : a));
		shown = shown.filter((c) => c !== worst);
	}
	const widths = new Map(shown.map((c) => [c, c.width]));
	let spare = Math.max(0, total - need(shown));
	// Share the spare among flexible columns; what a capped column cannot take goes to the others.
	for (let open = shown.filter((c) => c.flex); spare > 0 && open.length > 0;) {
		const shares = weighted(spare, open.map((c) => c.grow ?? 1));
		const next: ColumnSpec[] = [];
		open.forEach((c, i) => {
			const now = widths.get(c) ?? 0;
			const take = Math.min(shares[i], (c.max ?? Infinity) - now);
			widths.set(c, now + take);
			spare -= take;
			if (now + take < (c.max ?? Infinity)) next.push(c);
		});
		if (next.length === open.length && shares.every((n) => n === 0)) break;
		open = next;
	}
	let out = shown.map((c) => ({key: c.key, width: widths.get(c) ?? c.width}));
	// Still too wide (tiny terminal): shrink columns that allow it, then anything from the right.
	let over = need(shown.map((c, i) => ({...c, width: out[i].width}))) - total;
	for (let i = out.length - 1; i >= 0 && over > 0; i--) {
		const cut = Math.min(over, Math.max(0, out[i].width - (shown[i].min ?? out[i].width)));
		out[i] = {...out[i], width: out[i].width - cut};
		over -= cut;
	}
	for (let i = out.length - 1; i >= 0 && over > 0; i--) {
		const cut = Math.min(over, out[i].width - 1);
		out[i] = {...out[i], width: out[i].width - cut};
		over -= cut;
	}
	while (over > 0 && out.length > 1) {
		over -= out[out.length - 1].width + 1;
		out = out.slice(0, -1);
	}
	return out;
}
