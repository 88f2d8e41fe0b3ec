// Plain-JSON helpers of the planners: copies, equality, and pod templates compared as the API server stores
// them (kubectl's equalIgnoreHash).
import assert from 'node:assert/strict';
import {test} from 'node:test';
import {clone, deepEqual, equalIgnoreHash, storedTemplate, withoutHash, withPodDefaults} from '../../source/actions/json.js';

test('clone: a deep copy; undefined stays undefined', () => {
	const a = {x: [1, {y: 2}]};
	const b = clone(a);
	assert.deepEqual(b, a);
	(b.x[1] as {y: number}).y = 3;
	assert.equal((a.x[1] as {y: number}).y, 2);
	assert.equal(clone(undefined), undefined);
	assert.equal(clone(null), null);
	assert.equal(clone('s'), 's');
});

test('deepEqual: JSON values, keys holding undefined count as absent', () => {
	const cases: Array<[unknown, unknown, boolean]> = [
		[1, 1, true],
		['a', 'a', true],
		[1, '1', false],
		[null, null, true],
		[null, {}, false],
		[{}, null, false],
		[undefined, null, false],
		[{a: 1}, {a: 1}, true],
		[{a: 1}, {a: 2}, false],
		[{a: 1}, {b: 1}, false],
		[{a: 1, b: undefined}, {a: 1}, true],
		[{a: 1}, {a: 1, b: undefined}, true],
		[{a: 1}, {a: 1, b: 2}, false],
		[{a: 1, b: 2}, {a: 1}, false],
		[[1, 2], [1, 2], true],
		[[1, 2], [2, 1], false],
		[[1, 2], [1, 2, 3], false],
		[[1, 2, 3], [1, 2], false],
		[[], {}, false],
		[{}, [], false],
		[{a: [{b: {c: 1}}]}, {a: [{b: {c: 1}}]}, true],
		[{a: [{b: {c: 1}}]}, {a: [{b: {c: 2}}]}, false],
		[[{}], [[]], false],
	];
	for (const [a, b, equal] of cases) assert.equal(deepEqual(a, b), equal, `${JSON.stringify(a)} vs ${JSON.stringify(b)}`);
});

test('withoutHash: the template without pod-template-hash, the original untouched', () => {
	const template = {metadata: {labels: {app: 'a', 'pod-template-hash': 'h1'}}, spec: {}};
	assert.deepEqual(withoutHash(template), {metadata: {labels: {app: 'a'}}, spec: {}});
	assert.equal(template.metadata.labels['pod-template-hash'], 'h1');
	assert.deepEqual(withoutHash(undefined), {});
	assert.deepEqual(withoutHash({spec: {}}), {spec: {}});
});

test('withPodDefaults: what the API server fills in on write', () => {
	const template = {
		metadata: {labels: {app: 'a'}},
		spec: {
			containers: [
				{name: 'latest', image: 'shop/a', ports: [{containerPort: 80}, {containerPort: 53, protocol: 'UDP'}], readinessProbe: {httpGet: {path: '/', port: 80}}, livenessProbe: {exec: {command: ['true']}, periodSeconds: 5}},
				{name: 'tagged', image: 'registry:5000/shop/b:1.2', startupProbe: {httpGet: {path: '/s', port: 81, scheme: 'HTTPS'}, timeoutSeconds: 2}},
				{name: 'digest', image: 'shop/c@sha256:abc', imagePullPolicy: 'Never'},
				{name: 'explicit', image: 'shop/d:latest', terminationMessagePolicy: 'FallbackToLogsOnError'},
				'not a container',
			],
			initContainers: [{name: 'init', image: 'busybox:1.36'}],
			dnsPolicy: 'Default',
		},
	};
	assert.deepEqual(withPodDefaults(template), {
		metadata: {labels: {app: 'a'}},
		spec: {
			containers: [
				{
					name: 'latest',
					image: 'shop/a',
					imagePullPolicy: 'Always',
					terminationMessagePath: '/dev/termination-log',
					terminationMessagePolicy: 'File',
					ports: [
						{containerPort: 80, protocol: 'TCP'},
						{containerPort: 53, protocol: 'UDP'},
					],
					readinessProbe: {httpGet: {path: '/', port: 80, scheme: 'HTTP'}, timeoutSeconds: 1, periodSeconds: 10, successThreshold: 1, failureThreshold: 3},
					livenessProbe: {exec: {command: ['true']}, periodSeconds: 5, timeoutSeconds: 1, successThreshold: 1, failureThreshold: 3},
				},
				{
					name: 'tagged',
					image: 'registry:5000/shop/b:1.2',
					imagePullPolicy: 'IfNotPresent',
					terminationMessagePath: '/dev/termination-log',
					terminationMessagePolicy: 'File',
					startupProbe: {httpGet: {path: '/s', port: 81, scheme: 'HTTPS'}, timeoutSeconds: 2, periodSeconds: 10, successThreshold: 1, failureThreshold: 3},
				},
				{name: 'digest', image: 'shop/c@sha256:abc', imagePullPolicy: 'Never', terminationMessagePath: '/dev/termination-log', terminationMessagePolicy: 'File'},
				{name: 'explicit', image: 'shop/d:latest', imagePullPolicy: 'Always', terminationMessagePath: '/dev/termination-log', terminationMessagePolicy: 'FallbackToLogsOnError'},
				'not a container',
			],
			initContainers: [{name: 'init', image: 'busybox:1.36', imagePullPolicy: 'IfNotPresent', terminationMessagePath: '/dev/termination-log', terminationMessagePolicy: 'File'}],
			dnsPolicy: 'Default',
			restartPolicy: 'Always',
			terminationGracePeriodSeconds: 30,
			schedulerName: 'default-scheduler',
		},
	});
	assert.equal(withPodDefaults({spec: {containers: [{name: 'd', image: 'shop/c@sha256:abc'}]}}).spec.containers[0].imagePullPolicy, 'IfNotPresent', 'a digest is not latest');
	assert.equal((template.spec.containers[0] as any).imagePullPolicy, undefined, 'the original untouched');
	assert.deepEqual(withPodDefaults({metadata: {}}), {metadata: {}}, 'no spec, nothing to fill');
	assert.deepEqual(withPodDefaults(undefined), {});
	assert.deepEqual(withPodDefaults({spec: {}}), {spec: {restartPolicy: 'Always', terminationGracePeriodSeconds: 30, dnsPolicy: 'ClusterFirst', schedulerName: 'default-scheduler'}});
});

test('storedTemplate and equalIgnoreHash: defaults in, the hash label and empty values out', () => {
	const written = {metadata: {labels: {app: 'a'}, annotations: {}}, spec: {containers: [{name: 'app', image: 'a:1', env: [], args: null, workingDir: ''}], volumes: []}};
	assert.deepEqual(storedTemplate(written), {
		metadata: {labels: {app: 'a'}},
		spec: {
			containers: [{name: 'app', image: 'a:1', imagePullPolicy: 'IfNotPresent', terminationMessagePath: '/dev/termination-log', terminationMessagePolicy: 'File'}],
			restartPolicy: 'Always',
			terminationGracePeriodSeconds: 30,
			dnsPolicy: 'ClusterFirst',
			schedulerName: 'default-scheduler',
		},
	});
	const read = {metadata: {labels: {app: 'a', 'pod-template-hash': 'x'}}, spec: (storedTemplate(written) as any).spec};
	assert.equal(equalIgnoreHash(written, read), true);
	assert.equal(equalIgnoreHash(written, {...read, metadata: {labels: {app: 'b'}}}), false);
	assert.equal(equalIgnoreHash(undefined, {}), true);
	assert.equal(equalIgnoreHash({spec: {containers: [{name: 'app', image: 'a:1'}]}}, {spec: {containers: [{name: 'app', image: 'a:2'}]}}), false);
});
