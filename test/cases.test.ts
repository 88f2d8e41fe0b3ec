// The canonical cases of test/testdata, each compared whole: the --once text and the -o json of the
// release it opens. ROLLSCOPE_UPDATE_TESTDATA=1 writes the expected files anew (then read the diff).
import assert from 'node:assert/strict';
import {existsSync, readFileSync, writeFileSync} from 'node:fs';
import {join} from 'node:path';
import {describe, test} from 'node:test';
import {buildRelease, kindSpec, resolveTarget} from '../source/kinds/registry.js';
import {releaseAsText} from '../source/text/release-text.js';
import {caseNames, loadCase} from './helpers/testdata.js';

const update = process.env.ROLLSCOPE_UPDATE_TESTDATA === '1';

function compare(file: string, actual: string): void {
	if (update || !existsSync(file)) {
		if (!update) assert.fail(`${file} is missing: run with ROLLSCOPE_UPDATE_TESTDATA=1 to write it, then read it`);
		writeFileSync(file, actual);
		return;
	}
	assert.equal(actual, readFileSync(file, 'utf8'));
}

describe('cases in test/testdata, whole outputs', () => {
	const names = caseNames();
	test('there are cases', () => assert.ok(names.length >= 6, names.join(', ')));
	for (const name of names) {
		test(name, () => {
			const c = loadCase(name);
			const resolved = resolveTarget(c.snapshot, c.target);
			assert.ok('ref' in resolved, 'error' in resolved ? resolved.error : '');
			const release = buildRelease(c.snapshot, resolved.ref);
			compare(join(c.dir, 'once.txt'), releaseAsText(release, c.context, kindSpec(release.kind).summary?.(release)));
			compare(join(c.dir, 'once.json'), JSON.stringify(release, null, 2) + '\n');
		});
	}
});
