// orderRevisions: newest first, and a revision number two workloads share in the order localeCompare gives their
// names (workload names are DNS names, which it compares by code unit).
import assert from 'node:assert/strict';
import {test} from 'node:test';
import type {Revision} from '../../source/release/model.js';
import {orderRevisions} from '../../source/ui/RevisionsTable.js';

const revision = (workload: string, number: number): Revision => ({revision: number, images: [], ageSeconds: 0, pods: 0, replicaSet: `${workload}-${number}`, workload, current: false});

test('newest first; one number of several workloads in the order localeCompare gives their DNS names', () => {
	let seed = 9;
	const next = () => (seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31);
	const alphabet = 'abcz0189-.';
	for (let n = 0; n < 300; n++) {
		const revisions = Array.from({length: 1 + (next() % 8)}, () => revision(`${'ab'[next() % 2]}${Array.from({length: next() % 6}, () => alphabet[next() % alphabet.length]).join('')}`, 1 + (next() % 3)));
		const expected = [...revisions].sort((a, b) => b.revision - a.revision || a.workload.localeCompare(b.workload));
		assert.deepEqual(orderRevisions(revisions).map(r => `${r.revision} ${r.workload}`), expected.map(r => `${r.revision} ${r.workload}`));
	}
	assert.deepEqual(orderRevisions([revision('checkout', 1), revision('checkout-canary', 2), revision('checkout-canary', 1)]).map(r => r.replicaSet), ['checkout-canary-2', 'checkout-1', 'checkout-canary-1']);
});
