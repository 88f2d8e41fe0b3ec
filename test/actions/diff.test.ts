import assert from 'node:assert/strict';
import {test} from 'node:test';
import {diffText, probeText, templateDiff} from '../../source/actions/diff.js';
import {equalIgnoreHash, withPodDefaults} from '../../source/actions/json.js';

const template = (c: Record<string, unknown>, extra: Record<string, unknown> = {}) => ({metadata: {labels: {app: 'a', 'pod-template-hash': 'x'}}, spec: {containers: [{name: 'app', image: 'a:1', ...c}], ...extra}});

test('images, env, resources and probes, container by container', () => {
	const from = template({
		env: [{name: 'A', value: '1'}, {name: 'GONE', value: 'x'}, {name: 'SECRET', valueFrom: {secretKeyRef: {name: 's', key: 'k'}}}],
		resources: {requests: {cpu: '100m'}, limits: {memory: '256Mi'}},
		readinessProbe: {httpGet: {path: '/healthz', port: 8080}, periodSeconds: 2},
	});
	const to = template({
		image: 'a:2',
		env: [{name: 'A', value: '2'}, {name: 'NEW', value: 'y'}, {name: 'SECRET', valueFrom: {secretKeyRef: {name: 's', key: 'k'}}}],
		resources: {requests: {cpu: '200m'}, limits: {memory: '256Mi'}},
		livenessProbe: {tcpSocket: {port: 8080}},
		readinessProbe: {httpGet: {path: '/ready', port: 8080}, periodSeconds: 2},
	});
	assert.deepEqual(templateDiff(from, to).map(diffText), [
		'image app: a:1 → a:2',
		'env app A: 1 → 2',
		'env app GONE: x → (none)',
		'env app NEW: (none) → y',
		'resources app requests.cpu: 100m → 200m',
		'probe app readiness: httpGet /healthz:8080 every 2s → httpGet /ready:8080 every 2s',
		'probe app liveness: none → tcpSocket :8080',
	]);
	assert.equal(probeText({exec: {command: ['cat', '/ok']}, initialDelaySeconds: 5}), 'exec cat /ok delay 5s');
});

test('containers added or removed, and anything else that differs', () => {
	const two = {metadata: {}, spec: {containers: [{name: 'app', image: 'a:1'}, {name: 'proxy', image: 'envoy:1'}]}};
	assert.deepEqual(templateDiff(template({}), two).map(diffText), ['container proxy: added (envoy:1)']);
	assert.deepEqual(templateDiff(template({}), template({}, {serviceAccountName: 'robot'})).map(diffText), ['other pod-template fields differ']);
	assert.deepEqual(templateDiff(template({}), template({})), [], 'the pod-template-hash label alone is no difference');
});

test('templates compare as stored: pod-template-hash and API defaults do not count, real changes do', () => {
	const plain = {metadata: {labels: {app: 'a'}}, spec: {containers: [{name: 'app', image: 'a:1', ports: [{containerPort: 80}], readinessProbe: {httpGet: {path: '/', port: 80}}}]}};
	const stored = withPodDefaults(plain);
	assert.equal(stored.spec.containers[0].terminationMessagePath, '/dev/termination-log');
	assert.equal(stored.spec.containers[0].ports[0].protocol, 'TCP');
	assert.equal(stored.spec.containers[0].readinessProbe.periodSeconds, 10);
	stored.spec.securityContext = {};
	stored.metadata.labels['pod-template-hash'] = 'abc';
	assert.ok(equalIgnoreHash(plain, stored));
	assert.ok(!equalIgnoreHash(plain, {...stored, spec: {...stored.spec, dnsPolicy: 'None'}}));
	assert.ok(!equalIgnoreHash(plain, {metadata: {labels: {app: 'b'}}, spec: stored.spec}));
});
