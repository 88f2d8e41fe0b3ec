// The real kubectl against the simulated cluster.
import assert from 'node:assert/strict';
import {spawn} from 'node:child_process';
import {writeFileSync} from 'node:fs';
import {join} from 'node:path';
import {after, before, describe, test} from 'node:test';
import {kubectlOk, startTestSim, waitFor, type TestSim} from '../helpers/sim.js';

const deployment = (name: string, image: string, replicas = 2) => `apiVersion: apps/v1
kind: Deployment
metadata:
  name: ${name}
  annotations:
    kubernetes.io/change-cause: "first ${image}"
spec:
  replicas: ${replicas}
  selector:
    matchLabels: {app: ${name}}
  template:
    metadata:
      labels: {app: ${name}}
    spec:
      containers:
      - name: ${name}
        image: ${image}
        ports: [{containerPort: 8080}]
`;

describe('kubectl against the sim', () => {
	let t: TestSim;
	before(async () => {
		t = await startTestSim({scenario: 'canary'});
	});
	after(async () => {
		await t.stop();
	});

	const ok = (args: string[], input?: string) => kubectlOk(t, args, input);

	test('apply -f creates a Deployment and rollout status completes', async () => {
		const file = join(t.dir, 'web.yaml');
		writeFileSync(file, deployment('web', 'registry.local/web:1.0.0'));
		assert.match(await ok(['apply', '-f', file]), /deployment.apps\/web created/);
		assert.match(await ok(['rollout', 'status', 'deploy/web', '--timeout=60s']), /successfully rolled out/);
	});

	test('get deploy,rs,pods -o wide shows the real columns', async () => {
		const out = await ok(['get', 'deploy,rs,pods', '-o', 'wide']);
		assert.match(out, /NAME\s+READY\s+UP-TO-DATE\s+AVAILABLE\s+AGE\s+CONTAINERS\s+IMAGES\s+SELECTOR/);
		assert.match(out, /deployment.apps\/web\s+2\/2\s+2\s+2\s+\S+\s+web\s+registry.local\/web:1.0.0\s+app=web/);
		assert.match(out, /NAME\s+DESIRED\s+CURRENT\s+READY\s+AGE/);
		assert.match(out, /NAME\s+READY\s+STATUS\s+RESTARTS\s+AGE\s+IP\s+NODE/);
		assert.match(out, /pod\/web-[a-z0-9]+-[a-z0-9]{5}\s+1\/1\s+Running\s+0/);
	});

	test('set image starts a rollout; history lists revisions with change-cause; undo restores', async () => {
		// As with a real cluster, the change-cause annotated after `set image` lands on the new revision.
		await ok(['set', 'image', 'deploy/web', 'web=registry.local/web:2.0.0']);
		await ok(['annotate', 'deploy/web', 'kubernetes.io/change-cause=move to 2.0.0', '--overwrite']);
		assert.match(await ok(['rollout', 'status', 'deploy/web', '--timeout=60s']), /successfully rolled out/);
		const history = await ok(['rollout', 'history', 'deploy/web']);
		assert.match(history, /REVISION\s+CHANGE-CAUSE/);
		assert.match(history, /1\s+first registry.local\/web:1.0.0/);
		assert.match(history, /2\s+move to 2.0.0/);
		await ok(['rollout', 'undo', 'deploy/web', '--to-revision=1']);
		assert.match(await ok(['rollout', 'status', 'deploy/web', '--timeout=60s']), /successfully rolled out/);
		const image = await ok(['get', 'deploy/web', '-o', 'jsonpath={.spec.template.spec.containers[0].image}']);
		assert.equal(image, 'registry.local/web:1.0.0');
		const after = await ok(['rollout', 'history', 'deploy/web']);
		assert.match(after, /\n2\s+move to 2.0.0/);
		assert.match(after, /\n3\s+/);
		assert.doesNotMatch(after, /\n1\s+/);
	});

	test('rollout pause and resume', async () => {
		assert.match(await ok(['rollout', 'pause', 'deploy/web']), /paused/);
		assert.equal(await ok(['get', 'deploy/web', '-o', 'jsonpath={.spec.paused}']), 'true');
		assert.match(await ok(['rollout', 'resume', 'deploy/web']), /resumed/);
		assert.equal(await ok(['get', 'deploy/web', '-o', 'jsonpath={.spec.paused}']), '');
	});

	test('scale changes the pod count and get pods -w sees it', async () => {
		const watcher = spawn('kubectl', ['get', 'pods', '-l', 'app=web', '-w', '--kubeconfig', t.kubeconfigPath, '--cache-dir', join(t.dir, 'cache')], {env: {...process.env, HOME: t.dir}});
		let seen = '';
		watcher.stdout.on('data', d => (seen += String(d)));
		try {
			await waitFor('the initial listing', () => seen.includes('Running'));
			const before = new Set(seen.match(/web-[a-z0-9]+-[a-z0-9]{5}/g));
			await ok(['scale', 'deploy/web', '--replicas=4']);
			await waitFor('new pods in the watch', () => (seen.match(/web-[a-z0-9]+-[a-z0-9]{5}/g) ?? []).some(n => !before.has(n)));
			await waitFor('4 ready replicas', async () => (await ok(['get', 'deploy/web', '-o', 'jsonpath={.status.readyReplicas}'])) === '4');
		} finally {
			watcher.kill();
		}
	});

	test('patch --type merge and --type json on a VirtualService', async () => {
		await ok(['patch', 'virtualservice', 'checkout', '-n', 'canary', '--type', 'merge', '-p', '{"metadata":{"labels":{"touched":"yes"}}}']);
		assert.equal(await ok(['get', 'vs', 'checkout', '-n', 'canary', '-o', 'jsonpath={.metadata.labels.touched}']), 'yes');
		await ok(['patch', 'vs', 'checkout', '-n', 'canary', '--type', 'json', '-p', '[{"op":"test","path":"/spec/http/0/route/1/weight","value":10},{"op":"replace","path":"/spec/http/0/route/1/weight","value":30},{"op":"replace","path":"/spec/http/0/route/0/weight","value":70}]']);
		assert.equal(await ok(['get', 'vs', 'checkout', '-n', 'canary', '-o', 'jsonpath={.spec.http[0].route[*].weight}']), '70 30');
		// A failed test changes nothing.
		const r = await t.kubectl(['patch', 'vs', 'checkout', '-n', 'canary', '--type', 'json', '-p', '[{"op":"test","path":"/spec/http/0/route/1/weight","value":10},{"op":"replace","path":"/spec/http/0/route/1/weight","value":50}]']);
		assert.notEqual(r.code, 0);
		assert.equal(await ok(['get', 'vs', 'checkout', '-n', 'canary', '-o', 'jsonpath={.spec.http[0].route[*].weight}']), '70 30');
		// Strategic merge is refused on a custom resource.
		const s = await t.kubectl(['patch', 'vs', 'checkout', '-n', 'canary', '-p', '{"spec":{"hosts":["x"]}}']);
		assert.notEqual(s.code, 0);
		assert.match(s.stderr, /strategic merge patch|UnsupportedMediaType|unknown format|not supported/i);
	});

	test('the viewer context may read but every write is Forbidden', async () => {
		const read = await t.kubectl(['get', 'deploy', '-n', 'canary'], {context: 'rollscope-sim-viewer'});
		assert.equal(read.code, 0, read.stderr);
		assert.match(read.stdout, /checkout/);
		const write = await t.kubectl(['scale', 'deploy/checkout', '-n', 'canary', '--replicas=9'], {context: 'rollscope-sim-viewer'});
		assert.notEqual(write.code, 0);
		assert.match(write.stderr, /Error from server \(Forbidden\): deployments\.apps "checkout" is forbidden: User "viewer" cannot patch resource "deployments\/scale" in API group "apps" in the namespace "canary"/);
		assert.notEqual(await ok(['get', 'deploy/checkout', '-n', 'canary', '-o', 'jsonpath={.spec.replicas}']), '9');
	});

	test('events and get all work', async () => {
		assert.match(await ok(['get', 'events', '-n', 'default']), /ScalingReplicaSet/);
		assert.match(await ok(['get', 'all', '-n', 'canary']), /deployment.apps\/checkout/);
	});

	test('delete cascades to ReplicaSets and pods', async () => {
		await ok(['delete', 'deploy/web']);
		await waitFor('pods gone', async () => (await ok(['get', 'pods,rs', '-l', 'app=web', '-o', 'name'])).trim() === '');
	});
});
