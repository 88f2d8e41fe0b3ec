// Rolling Deployments from the keyboard: pause and resume, abort of a stuck rollout, and undo to a revision,
// which must give the same Deployment as `kubectl rollout undo --to-revision`.
import assert from 'node:assert/strict';
import {writeFileSync} from 'node:fs';
import {join} from 'node:path';
import {after, before, describe, test} from 'node:test';
import {kubectlOk, startTestSim, waitFor, type TestSim} from '../helpers/sim.js';
import {confirmWith, getJson, openView} from './actions-view.js';

const twin = (namespace: string) => `
apiVersion: v1
kind: Namespace
metadata: {name: ${namespace}}
---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: twin
  namespace: ${namespace}
  annotations: {kubernetes.io/change-cause: "v1", team: shop}
spec:
  replicas: 2
  selector: {matchLabels: {app: twin}}
  template:
    metadata: {labels: {app: twin}, annotations: {build: "1"}}
    spec:
      containers:
      - name: twin
        image: registry.local/twin:1.0.0
        env: [{name: MODE, value: one}]
        resources: {requests: {cpu: 100m}}
        readinessProbe: {httpGet: {path: /healthz, port: 8080}, periodSeconds: 2}
`;

describe('rolling Deployments', () => {
	let t: TestSim;
	const ok = (args: string[]) => kubectlOk(t, args);
	before(async () => {
		t = await startTestSim({scenario: 'rolling', speed: 20});
		// An annotation is not a template change: the Deployment stays at revision 1 (scenario objects carry the
		// API server's defaults, as if created through it).
		await ok(['-n', 'rolling', 'annotate', 'deploy/web', 'e2e=annotated']);
		assert.equal((await getJson(t, ['deployment', 'web', '-n', 'rolling'])).metadata.annotations['deployment.kubernetes.io/revision'], '1');
		await ok(['-n', 'rolling', 'rollout', 'status', 'deploy/web', '--timeout=60s']);
	});
	after(async () => {
		await t.stop();
	});

	test('space pauses the rollout, p (or space) resumes it', async () => {
		await ok(['-n', 'rolling', 'rollout', 'status', 'deploy/web', '--timeout=60s']);
		const term = await openView(t, 'deploy/web -n rolling', /NEW/);
		try {
			await confirmWith(term, ['Space'], /deploy\/web: paused false → true, at revision 1 \(registry\.local\/web:1\.0\.0\)/);
			await term.waitFor(/✓ deploy\/web is paused/);
			await term.waitFor(/paused {3}progress/);
			assert.equal((await getJson(t, ['deployment', 'web', '-n', 'rolling'])).spec.paused, true);
			await confirmWith(term, ['p'], /resume deploy\/web/);
			await term.waitFor(/✓ deploy\/web is resumed/);
			assert.notEqual((await getJson(t, ['deployment', 'web', '-n', 'rolling'])).spec.paused, true);
		} finally {
			term.kill();
		}
	});

	test('a on a stuck rollout undoes to the previous revision, whose ReplicaSet still has the pods', async () => {
		await ok(['-n', 'rolling', 'set', 'image', 'deploy/web', 'web=registry.local/web:9.9.9-unready']);
		const term = await openView(t, 'deploy/web -n rolling', /OLD/);
		try {
			await confirmWith(term, ['a'], /abort: undo deploy\/web to revision 1[\s\S]*image web: registry\.local\/web:9\.9\.9-unready → registry\.local\/web:1\.0\.0[\s\S]*still has \d pod\(s\): it is scaled back up/);
			await term.waitFor(/✓ deploy\/web is back at the template of revision 1 \(registry\.local\/web:1\.0\.0\)/);
			await ok(['-n', 'rolling', 'rollout', 'status', 'deploy/web', '--timeout=60s']);
			const web = await getJson(t, ['deployment', 'web', '-n', 'rolling']);
			assert.equal(web.spec.template.spec.containers[0].image, 'registry.local/web:1.0.0');
			assert.equal(web.metadata.annotations['deployment.kubernetes.io/revision'], '3', 'revision 1 came back as revision 3');
		} finally {
			term.kill();
		}
	});

	test('u: the picker shows what differs; undo gives the same Deployment as kubectl rollout undo --to-revision', async () => {
		for (const ns of ['twin-a', 'twin-b']) {
			const file = join(t.dir, `${ns}.yaml`);
			writeFileSync(file, twin(ns));
			await ok(['create', '-f', file]);
			await ok(['-n', ns, 'rollout', 'status', 'deploy/twin', '--timeout=60s']);
			await ok(['-n', ns, 'annotate', 'deploy/twin', 'kubernetes.io/change-cause=v2', '--overwrite']);
			await ok(['-n', ns, 'set', 'image', 'deploy/twin', 'twin=registry.local/twin:2.0.0']);
			await ok(['-n', ns, 'rollout', 'status', 'deploy/twin', '--timeout=60s']);
			await ok(['-n', ns, 'annotate', 'deploy/twin', 'kubernetes.io/change-cause=v3', '--overwrite']);
			await ok(['-n', ns, 'set', 'env', 'deploy/twin', 'MODE=three']);
			await ok(['-n', ns, 'rollout', 'status', 'deploy/twin', '--timeout=60s']);
		}
		const term = await openView(t, 'deploy/twin -n twin-a', /NEW/);
		try {
			await term.waitFor(/REVISIONS +3/);
			term.keys('u');
			let screen = await term.waitFor(/UNDO deploy\/twin: pick a revision/);
			assert.match(screen, /▸ +2 +2\.0\.0 +0 pods/);
			assert.match(screen, /WHAT CHANGES going back to revision 2[\s\S]*env twin MODE: three → one/);
			term.keys('j');
			screen = await term.waitFor(/WHAT CHANGES going back to revision 1/);
			assert.match(screen, /image twin: registry\.local\/twin:2\.0\.0 → registry\.local\/twin:1\.0\.0/);
			assert.match(screen, /env twin MODE: three → one/);
			term.keys('Enter');
			await confirmWith(term, [], /undo deploy\/twin to revision 1[\s\S]*change-cause: v2/);
			await term.waitFor(/✓ deploy\/twin is back at the template of revision 1/);
		} finally {
			term.kill();
		}
		await ok(['-n', 'twin-b', 'rollout', 'undo', 'deploy/twin', '--to-revision=1']);
		for (const ns of ['twin-a', 'twin-b']) await ok(['-n', ns, 'rollout', 'status', 'deploy/twin', '--timeout=60s']);
		const [a, b] = await Promise.all(['twin-a', 'twin-b'].map(ns => getJson(t, ['deployment', 'twin', '-n', ns])));
		assert.equal(a.spec.template.spec.containers[0].image, 'registry.local/twin:1.0.0');
		assert.deepEqual(a.spec, b.spec, 'the same spec, template included');
		assert.deepEqual(a.metadata.annotations, b.metadata.annotations, 'the same annotations (revision, revision-history, change-cause)');
		assert.equal(a.metadata.annotations['deployment.kubernetes.io/revision'], '4');
		assert.equal(a.metadata.annotations['kubernetes.io/change-cause'], 'v2', 'revision 1 took the change-cause annotated while it was current');
		assert.equal(a.metadata.annotations.team, 'shop', 'kept: the ReplicaSet carries the Deployment\'s annotations');
		await waitFor('the audit Event', async () => (await getJson(t, ['events', '-n', 'twin-a'])).items.some((e: any) => e.reason === 'RollscopeUndo' && e.message.includes('back to revision 1')));
	});
});
