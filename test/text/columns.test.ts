// The --once text keeps its columns apart whatever the names: a long value widens its column up to a
// limit, beyond which it is cut with `…`; two spaces always separate columns.
import assert from 'node:assert/strict';
import {test} from 'node:test';
import type {Release} from '../../source/release/model.js';
import {releaseAsText} from '../../source/text/release-text.js';

const version = (id: string, image: string) => ({id, role: 'stable' as const, workload: id, workloadKind: 'Deployment' as const, revision: 3, images: [image], desired: 1, pods: 1, ready: 1, available: 1, restarts: 0, phases: {Running: 1}, selector: '', weight: 100});

function release(over: Partial<Release> = {}): Release {
	return {target: 'rollout/x', namespace: 'shop', name: 'x', kind: 'rolling', versions: [], pods: [], revisions: [], events: [], services: [], ...over};
}

test('a long image before the pods count keeps its gap (not `1.20.11 pods`)', () => {
	const image = 'docker.io/istio/examples-bookinfo-reviews-v1:1.20.1';
	const text = releaseAsText(release({revisions: [{revision: 1, images: [image], ageSeconds: 30, pods: 1, replicaSet: 'reviews-v1-abc', workload: 'reviews-v1', current: true}]}), 'ctx');
	assert.match(text, /reviews-v1:1\.20\.1 {2,}1 pods {2,}30s {2,}\*/);
});

test('a long version name widens its column; past the limit it is cut with … and still followed by a gap', () => {
	const long = 'a-rollout-with-a-name-longer-than-seventeen-characters';
	const text = releaseAsText(release({versions: [version(long, 'x:1')]}), 'ctx');
	assert.match(text, new RegExp(`^${long} {2,}stable {2,}3 `, 'm'));
	const longer = `${'x'.repeat(70)}-end`;
	const cut = releaseAsText(release({versions: [version(longer, 'x:1')]}), 'ctx');
	assert.match(cut, /^x{62}… {2}stable /m);
	assert.ok(!cut.includes('-end'), 'the end of the cut name is not shown');
});

test('routes that reach a version by header are listed under the versions', () => {
	const text = releaseAsText(release({kind: 'canary', versions: [version('checkout', 'x:1'), {...version('checkout-canary', 'x:2'), role: 'canary', weight: 0}], traffic: {router: 'istio', object: 'VirtualService/checkout', weights: {checkout: 100, 'checkout-canary': 0}, routes: [{version: 'checkout-canary', match: 'header x-canary=always'}]}}), 'ctx');
	assert.match(text, /^ {2}checkout-canary also gets requests with header x-canary=always$/m);
});
