import {test} from 'node:test';
import assert from 'node:assert/strict';
import {fitColumns, layout, panelHeight} from '../../source/ui/layout.js';

const need = {pods: 12, revisions: 6, events: 8};

test('a 60x20 terminal gets compact stacked panels and one pane with tabs', () => {
	const l = layout(60, 20, 2, 'pods', need);
	assert.equal(l.panels.direction, 'column');
	assert.equal(l.panels.level, 'compact');
	assert.equal(l.tabs, true);
	assert.deepEqual(l.lower.map((p) => p.pane), ['pods']);
	assert.equal(2 + l.panels.total + l.lower[0].height + 1, 20);
});

test('a 200x50 terminal shows full panels side by side and all three panes', () => {
	const l = layout(200, 50, 2, 'revisions', need);
	assert.equal(l.panels.direction, 'row');
	assert.equal(l.panels.level, 'full');
	assert.deepEqual(l.panels.widths, [100, 100]);
	assert.equal(l.tabs, false);
	assert.deepEqual(l.lower.map((p) => p.pane), ['pods', 'revisions', 'events']);
	assert.equal(l.lower.reduce((s, p) => s + p.height, 0) + l.panels.total, l.body);
});

test('three versions at 100 columns stay side by side; at 60 they go to one line each', () => {
	const wide = layout(100, 30, 3, 'pods', need);
	assert.equal(wide.panels.direction, 'row');
	assert.deepEqual(wide.panels.widths, [34, 33, 33]);
	const narrow = layout(60, 20, 3, 'pods', need);
	assert.equal(narrow.panels.direction, 'column');
	assert.equal(narrow.panels.level, 'line');
	assert.equal(narrow.panels.total, 3);
});

test('rows always add up to the body, whatever the size', () => {
	for (const columns of [40, 60, 80, 100, 160, 200]) {
		for (const rows of [10, 12, 20, 30, 50]) {
			for (const versions of [0, 1, 2, 3, 5]) {
				const l = layout(columns, rows, versions, 'events', need);
				const used = l.panels.total + l.lower.reduce((s, p) => s + p.height, 0);
				assert.ok(used <= l.body, `${columns}x${rows}/${versions}: ${used} > ${l.body}`);
				assert.deepEqual(l.lower.filter(p => p.height < 0), [], 'no pane of negative height');
				if (l.panels.direction === 'row') assert.ok(l.panels.widths.reduce((a, b) => a + b, 0) <= columns);
			}
		}
	}
	assert.equal(panelHeight('full', 1), 7);
});

test('fitColumns drops optional columns first and shares the rest among flexible ones', () => {
	const specs = [
		{key: 'name', width: 10, flex: true},
		{key: 'version', width: 12, drop: 2},
		{key: 'status', width: 16},
		{key: 'restarts', width: 8, drop: 1},
	];
	const total = (cols: Array<{width: number}>) => cols.reduce((s, c) => s + c.width, 0) + cols.length - 1;
	const wide = fitColumns(specs, 80);
	assert.deepEqual(wide.map((c) => c.key), ['name', 'version', 'status', 'restarts']);
	assert.equal(total(wide), 80);
	const narrow = fitColumns(specs, 40);
	assert.deepEqual(narrow.map((c) => c.key), ['name', 'status', 'restarts']);
	assert.ok(total(narrow) <= 40);
	const tiny = fitColumns(specs, 12);
	assert.ok(total(tiny) <= 12);
	const capped = fitColumns([{key: 'a', width: 5, flex: true, max: 10}, {key: 'b', width: 5, flex: true, grow: 3}], 50);
	assert.deepEqual(capped.map((c) => c.width), [10, 39]);
});
