// kubectl's typed writes against the sim: `kubectl create <kind>` and `kubectl auth can-i` post protobuf bodies,
// and kubectl 1.27 and 1.28 validate `apply -f` against /openapi/v2 in protobuf.
import assert from 'node:assert/strict';
import {writeFileSync} from 'node:fs';
import {join} from 'node:path';
import {after, before, describe, test} from 'node:test';
import {kubectlOk, startTestSim, type TestSim} from '../helpers/sim.js';

describe('kubectl create against the sim (protobuf bodies)', () => {
	let t: TestSim;
	before(async () => {
		t = await startTestSim({scenario: 'rolling'});
	});
	after(async () => {
		await t.stop();
	});
	const ok = (args: string[]) => kubectlOk(t, args);
	const jsonOf = async (args: string[]) => JSON.parse(await ok([...args, '-o', 'json']));

	test('create namespace, then a deployment in it: kubectl get shows its image, replicas and port, and it rolls out', async () => {
		assert.match(await ok(['create', 'namespace', 'shop']), /namespace\/shop created/);
		assert.equal((await jsonOf(['get', 'namespace', 'shop'])).status.phase, 'Active');
		assert.match(await ok(['-n', 'shop', 'create', 'deployment', 'web', '--image=registry.local/web:1.4.0', '--replicas=3', '--port=8080']), /deployment.apps\/web created/);
		const d = await jsonOf(['-n', 'shop', 'get', 'deployment', 'web']);
		assert.equal(d.spec.replicas, 3);
		assert.deepEqual(d.spec.selector, {matchLabels: {app: 'web'}});
		assert.deepEqual(d.spec.template.spec.containers.map((c: any) => [c.name, c.image, c.ports]), [['web', 'registry.local/web:1.4.0', [{containerPort: 8080, protocol: 'TCP'}]]]);
		assert.match(await ok(['-n', 'shop', 'rollout', 'status', 'deployment/web', '--timeout=60s']), /successfully rolled out/);
		assert.match(await ok(['-n', 'shop', 'get', 'deployment', 'web', '-o', 'wide']), /web\s+3\/3\s+3\s+3\s+\S+\s+web\s+registry.local\/web:1.4.0\s+app=web/);
	});

	test('create deployment --replicas=0 keeps zero replicas (a pointer field: zero is not left out)', async () => {
		await ok(['create', 'deployment', 'idle', '--image=busybox:1.36', '--replicas=0']);
		const d = await jsonOf(['get', 'deployment', 'idle']);
		assert.equal(d.spec.replicas, 0);
		assert.equal(d.spec.template.spec.containers[0].image, 'busybox:1.36');
	});

	test('create secret generic and serviceaccount: the data as the bytes given, the account listed', async () => {
		assert.match(await ok(['create', 'secret', 'generic', 'db', '--from-literal=user=admin', '--from-literal=password=s3cr3t']), /secret\/db created/);
		const secret = await jsonOf(['get', 'secret', 'db']);
		assert.equal(secret.type, 'Opaque');
		assert.deepEqual(Object.fromEntries(Object.entries(secret.data as Record<string, string>).map(([k, v]) => [k, Buffer.from(v, 'base64').toString()])), {password: 's3cr3t', user: 'admin'});
		assert.match(await ok(['create', 'serviceaccount', 'deployer-bot']), /serviceaccount\/deployer-bot created/);
		assert.equal((await jsonOf(['get', 'serviceaccount', 'deployer-bot'])).metadata.name, 'deployer-bot');
	});

	test('create configmap from literals and a binary file: data and binaryData', async () => {
		const file = join(t.dir, 'blob.bin');
		writeFileSync(file, Buffer.from([0, 1, 2, 0xff, 0xfe]));
		assert.match(await ok(['create', 'configmap', 'settings', '--from-literal=mode=fast', '--from-literal=retries=3', `--from-file=${file}`]), /configmap\/settings created/);
		const cm = await jsonOf(['get', 'configmap', 'settings']);
		assert.deepEqual(cm.data, {mode: 'fast', retries: '3'});
		assert.deepEqual(Buffer.from(cm.binaryData['blob.bin'], 'base64'), Buffer.from([0, 1, 2, 0xff, 0xfe]));
	});

	test('create service clusterip: ports, target port, selector and type; kubectl get prints it', async () => {
		assert.match(await ok(['create', 'service', 'clusterip', 'api', '--tcp=80:8080', '--tcp=443:8443']), /service\/api created/);
		const svc = await jsonOf(['get', 'service', 'api']);
		assert.equal(svc.spec.type, 'ClusterIP');
		assert.deepEqual(svc.spec.selector, {app: 'api'});
		assert.deepEqual(svc.spec.ports, [
			{name: '80-8080', protocol: 'TCP', port: 80, targetPort: 8080},
			{name: '443-8443', protocol: 'TCP', port: 443, targetPort: 8443},
		]);
		assert.match(svc.spec.clusterIP, /^\d+\.\d+\.\d+\.\d+$/);
		assert.match(await ok(['get', 'service', 'api']), /api\s+ClusterIP\s+\d+\.\d+\.\d+\.\d+\s+<none>\s+80\/TCP,443\/TCP/);
	});

	test('create ingress: host, path, path type and backend', async () => {
		await ok(['create', 'ingress', 'shop', '--class=nginx', '--rule=shop.example.com/cart*=cart:80']);
		const ing = await jsonOf(['get', 'ingress', 'shop']);
		assert.deepEqual(ing.spec, {
			ingressClassName: 'nginx',
			rules: [{host: 'shop.example.com', http: {paths: [{path: '/cart', pathType: 'Prefix', backend: {service: {name: 'cart', port: {number: 80}}}}]}}],
		});
	});

	test('auth can-i asks with a protobuf SelfSubjectAccessReview', async () => {
		assert.equal((await ok(['auth', 'can-i', 'patch', 'deployments.apps'])).trim(), 'yes');
		const viewer = await t.kubectl(['auth', 'can-i', 'patch', 'deployments.apps'], {context: 'rollscope-sim-viewer'});
		assert.match(viewer.stdout, /^no\b/);
	});
});

const deployment = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: legacy
spec:
  replicas: 2
  selector:
    matchLabels: {app: legacy}
  template:
    metadata:
      labels: {app: legacy}
    spec:
      containers:
      - name: legacy
        image: registry.local/legacy:1.0.0
`;

for (const minor of [27, 28]) {
	describe(`kubectl 1.${minor} against a sim that says it is 1.${minor}`, () => {
		let t: TestSim;
		before(async () => {
			t = await startTestSim({scenario: 'rolling', minorVersion: minor});
		});
		after(async () => {
			await t.stop();
		});

		test('the dispatcher runs the old client; apply -f with validation reads /openapi/v2 and succeeds', async () => {
			const version = JSON.parse(await kubectlOk(t, ['version', '-o', 'json']));
			assert.equal(version.clientVersion.minor, String(minor));
			assert.equal(version.serverVersion.minor, String(minor));
			const file = join(t.dir, 'legacy.yaml');
			writeFileSync(file, deployment);
			assert.match(await kubectlOk(t, ['apply', '-f', file, '--validate=strict']), /deployment.apps\/legacy created/);
			writeFileSync(file, deployment.replace('replicas: 2', 'replicas: 3'));
			assert.match(await kubectlOk(t, ['apply', '-f', file]), /deployment.apps\/legacy configured/);
			assert.equal(t.sim.store.get('apps/deployments', 'default', 'legacy')?.spec.replicas, 3);
			assert.match(await kubectlOk(t, ['create', 'configmap', `from-${minor}`, '--from-literal=a=b']), /created/);
		});
	});
}
