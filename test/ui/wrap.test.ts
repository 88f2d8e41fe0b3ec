// The view's own text fitting: words wrapped to a width, and a cell cut to its column as Ink's wrap="truncate"
// cuts (an ellipsis at the end), never wider than the column, wide characters counted as two.
import assert from 'node:assert/strict';
import {test} from 'node:test';
import {truncateToWidth, wrapText} from '../../source/ui/wrap.js';

test('truncateToWidth: a text that fits stays whole, with the columns left over', () => {
	assert.deepEqual(truncateToWidth('Running', 10), {text: 'Running', rest: 3});
	assert.deepEqual(truncateToWidth('Running', 7), {text: 'Running', rest: 0});
	assert.deepEqual(truncateToWidth('', 3), {text: '', rest: 3});
});

test('truncateToWidth: a longer text is cut to width - 1 columns and an ellipsis; a wide character that would cross the edge goes', () => {
	assert.deepEqual(truncateToWidth('checkout-canary', 8), {text: 'checkou…', rest: 0});
	assert.deepEqual(truncateToWidth('ab日本', 5), {text: 'ab日…', rest: 0});
	assert.deepEqual(truncateToWidth('ab日本', 4), {text: 'ab…', rest: 1});
	assert.deepEqual(truncateToWidth('abc', 1), {text: '…', rest: 0});
	assert.deepEqual(truncateToWidth('abc', 0), {text: '', rest: 0});
	assert.deepEqual(truncateToWidth('e\u0301tude', 3), {text: 'e\u0301t…', rest: 0}, 'a letter and its mark are one column');
});

test('truncateToWidth: box drawing, arrows and bullets are a column each, as Ink measures them', () => {
	const bar = 'wt ███░░ → 90% · ✓';
	assert.deepEqual(truncateToWidth(bar, 20), {text: bar, rest: 2});
	assert.deepEqual(truncateToWidth(bar, 18), {text: bar, rest: 0});
	assert.deepEqual(truncateToWidth(bar, 17), {text: 'wt ███░░ → 90% ·…', rest: 0});
	assert.deepEqual(truncateToWidth(bar, 6), {text: 'wt ██…', rest: 0});
	assert.deepEqual(truncateToWidth('─│', 1), {text: '…', rest: 0});
	// One character measured otherwise (a wide one) and the whole line is measured cluster by cluster.
	assert.deepEqual(truncateToWidth('██日', 4), {text: '██日', rest: 0});
	assert.deepEqual(truncateToWidth('██日', 3), {text: '██…', rest: 0});
});

test('truncateToWidth: line breaks are spaces (a cell is one line)', () => {
	assert.deepEqual(truncateToWidth('a\nb', 5), {text: 'a b', rest: 2});
});

test('wrapText keeps old → new together', () => {
	assert.deepEqual(wrapText('weight 10% → 20% now', 12), ['weight', '10% → 20%', 'now']);
});
