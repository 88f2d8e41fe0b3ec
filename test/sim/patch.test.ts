import {test} from 'node:test';
import assert from 'node:assert/strict';
import {ApiError} from '../../source/sim/errors.js';
import {applyJsonPatch, applyMergePatch, applyStrategicMergePatch, parsePatchBody} from '../../source/sim/patch.js';

function throwsApi(fn: () => unknown, code: number, reason: string, message?: string | RegExp): ApiError {
	let caught: unknown;
	try {
		fn();
	} catch (error) {
		caught = error;
	}
	assert.ok(caught instanceof ApiError, `expected an ApiError, got ${String(caught)}`);
	assert.equal(caught.code, code, caught.message);
	assert.equal(caught.reason, reason, caught.message);
	if (typeof message === 'string') assert.equal(caught.message, message);
	else if (message) assert.match(caught.message, message);
	return caught;
}

/** Deep-freeze so any mutation of an input throws in strict mode. */
function frozen<T>(v: T): T {
	if (typeof v === 'object' && v !== null) {
		for (const x of Object.values(v)) frozen(x);
		Object.freeze(v);
	}
	return v;
}

function hasDirective(v: unknown): boolean {
	if (Array.isArray(v)) return v.some(hasDirective);
	if (typeof v === 'object' && v !== null) return Object.entries(v).some(([k, x]) => k.startsWith('$') || hasDirective(x));
	return false;
}

const deployment = () => ({
	apiVersion: 'apps/v1',
	kind: 'Deployment',
	metadata: {name: 'web', namespace: 'default', annotations: {'deployment.kubernetes.io/revision': '2'}, labels: {app: 'web'}},
	spec: {
		replicas: 3,
		selector: {matchLabels: {app: 'web'}},
		template: {
			metadata: {labels: {app: 'web'}},
			spec: {
				containers: [
					{name: 'web', image: 'a:1', ports: [{containerPort: 80}], env: [{name: 'A', value: '1'}, {name: 'B', value: '2'}]},
					{name: 'side', image: 's:1'},
				],
			},
		},
	},
});

// ---------------------------------------------------------------------------------------------------------------
// Merge patch

test('merge patch: null deletes, objects merge recursively, arrays and scalars replace', () => {
	const target = frozen({a: 1, b: {c: 2, d: 3}, list: [1, 2, 3], keep: 'x'});
	const out = applyMergePatch(target, {a: null, b: {c: 20, e: {f: 1}}, list: [9], keep: 'x', added: true});
	assert.deepEqual(out, {b: {c: 20, d: 3, e: {f: 1}}, list: [9], keep: 'x', added: true});
});

test('merge patch: RFC 7386 edge cases', () => {
	assert.deepEqual(applyMergePatch({a: 1}, 'str'), 'str');
	assert.deepEqual(applyMergePatch({a: 1}, [1]), [1]);
	assert.deepEqual(applyMergePatch('scalar', {a: 1}), {a: 1});
	assert.deepEqual(applyMergePatch([1, 2], {a: 1}), {a: 1});
	assert.deepEqual(applyMergePatch({a: 'x'}, {a: {b: 1}}), {a: {b: 1}});
	// nested nulls inside a new value are dropped
	assert.deepEqual(applyMergePatch({}, {a: {b: null, c: 1}}), {a: {c: 1}});
	assert.deepEqual(applyMergePatch({a: 1}, {b: null}), {a: 1});
	assert.deepEqual(applyMergePatch({a: [{b: 1}]}, {a: [{c: null}]}), {a: [{c: null}]});
	// merge patch does not know about strategic directives
	assert.deepEqual(applyMergePatch({}, {$patch: 'delete'}), {$patch: 'delete'});
});

test('merge patch: inputs are not mutated and the result shares no structure', () => {
	const target = frozen(deployment());
	const patch = frozen({spec: {replicas: 5, template: {spec: {containers: [{name: 'x', image: 'x:1'}]}}}});
	const out = applyMergePatch(target, patch) as any;
	assert.equal(out.spec.replicas, 5);
	assert.deepEqual(out.spec.template.spec.containers, [{name: 'x', image: 'x:1'}]);
	assert.notEqual(out.metadata, target.metadata);
	assert.notEqual(out.spec.template.spec.containers, patch.spec.template.spec.containers);
	out.metadata.labels.app = 'changed';
	assert.equal(target.metadata.labels.app, 'web');
});

test('merge patch: a __proto__ key is data, not a prototype', () => {
	const patch = JSON.parse('{"__proto__": {"polluted": true}, "a": 1}');
	const out = applyMergePatch({}, patch) as any;
	assert.equal(({} as any).polluted, undefined);
	assert.equal(Object.getPrototypeOf(out), Object.prototype);
	assert.deepEqual(Object.keys(out), ['__proto__', 'a']);
});

test('merge patch: kubectl scale and rollout bodies', () => {
	const d = frozen(deployment());
	assert.equal((applyMergePatch(d, {spec: {replicas: 1}}) as any).spec.replicas, 1);
	const paused = applyMergePatch(d, {spec: {paused: true}}) as any;
	assert.equal(paused.spec.paused, true);
	assert.equal('paused' in (applyMergePatch(paused, {spec: {paused: null}}) as any).spec, false);
});

// ---------------------------------------------------------------------------------------------------------------
// JSON Patch

test('json patch: add to objects and arrays, including append with "-" and the root', () => {
	const doc = frozen({a: {b: 1}, list: [1, 2]});
	assert.deepEqual(applyJsonPatch(doc, [{op: 'add', path: '/a/c', value: 2}]), {a: {b: 1, c: 2}, list: [1, 2]});
	assert.deepEqual(applyJsonPatch(doc, [{op: 'add', path: '/a/b', value: 9}]), {a: {b: 9}, list: [1, 2]});
	assert.deepEqual(applyJsonPatch(doc, [{op: 'add', path: '/list/0', value: 0}]), {a: {b: 1}, list: [0, 1, 2]});
	assert.deepEqual(applyJsonPatch(doc, [{op: 'add', path: '/list/2', value: 3}]), {a: {b: 1}, list: [1, 2, 3]});
	assert.deepEqual(applyJsonPatch(doc, [{op: 'add', path: '/list/-', value: 3}]), {a: {b: 1}, list: [1, 2, 3]});
	assert.deepEqual(applyJsonPatch(doc, [{op: 'add', path: '', value: [1]}]), [1]);
	assert.deepEqual(applyJsonPatch(doc, [{op: 'add', path: '/n', value: null}]), {a: {b: 1}, list: [1, 2], n: null});
});

test('json patch: remove and replace', () => {
	const doc = frozen({a: 1, b: 2, c: 3, list: ['x', 'y', 'z']});
	assert.deepEqual(applyJsonPatch(doc, [{op: 'remove', path: '/b'}]), {a: 1, c: 3, list: ['x', 'y', 'z']});
	assert.deepEqual(applyJsonPatch(doc, [{op: 'remove', path: '/list/1'}]), {a: 1, b: 2, c: 3, list: ['x', 'z']});
	const replaced = applyJsonPatch(doc, [{op: 'replace', path: '/b', value: {deep: true}}]) as any;
	assert.deepEqual(replaced, {a: 1, b: {deep: true}, c: 3, list: ['x', 'y', 'z']});
	assert.deepEqual(Object.keys(replaced), ['a', 'b', 'c', 'list'], 'replace keeps the key in place');
	assert.deepEqual(applyJsonPatch(doc, [{op: 'replace', path: '/list/2', value: 'Z'}]), {a: 1, b: 2, c: 3, list: ['x', 'y', 'Z']});
	assert.deepEqual(applyJsonPatch(doc, [{op: 'replace', path: '', value: 'all'}]), 'all');
});

test('json patch: move and copy', () => {
	const doc = frozen({a: {x: 1}, b: [1, 2, 3], c: {}});
	assert.deepEqual(applyJsonPatch(doc, [{op: 'move', from: '/a', path: '/c/a'}]), {b: [1, 2, 3], c: {a: {x: 1}}});
	assert.deepEqual(applyJsonPatch(doc, [{op: 'move', from: '/b/0', path: '/b/-'}]), {a: {x: 1}, b: [2, 3, 1], c: {}});
	assert.deepEqual(applyJsonPatch(doc, [{op: 'move', from: '/a', path: '/a'}]), doc);
	const copied = applyJsonPatch(doc, [{op: 'copy', from: '/a', path: '/d'}, {op: 'replace', path: '/d/x', value: 2}]);
	assert.deepEqual(copied, {a: {x: 1}, b: [1, 2, 3], c: {}, d: {x: 2}}, 'copy is deep');
	assert.deepEqual(applyJsonPatch(doc, [{op: 'copy', from: '/b/1', path: '/b/0'}]), {a: {x: 1}, b: [2, 1, 2, 3], c: {}});
});

test('json patch: test op passes on equal values and ops apply in sequence', () => {
	const doc = frozen(deployment());
	const out = applyJsonPatch(doc, [
		{op: 'test', path: '/metadata/name', value: 'web'},
		{op: 'test', path: '/spec/template/spec/containers/0', value: doc.spec.template.spec.containers[0]},
		{op: 'add', path: '/spec/paused', value: null},
		{op: 'test', path: '/spec/paused', value: null},
		{op: 'replace', path: '/spec/replicas', value: 4},
		{op: 'test', path: '/spec/replicas', value: 4},
	]) as any;
	assert.equal(out.spec.replicas, 4);
	assert.equal(out.spec.paused, null);
});

test('json patch: a failed test precondition is 422 Invalid and names the op', () => {
	const doc = frozen(deployment());
	const e = throwsApi(
		() => applyJsonPatch(doc, [{op: 'test', path: '/metadata/annotations/deployment.kubernetes.io~1revision', value: '1'}, {op: 'replace', path: '/spec/replicas', value: 0}]),
		422,
		'Invalid',
		/^the server rejected our request due to an error in our request: operation 0 \(test \/metadata\/annotations\/deployment\.kubernetes\.io~1revision\): testing value .* failed/,
	);
	assert.match(e.details?.causes?.[0]?.message ?? '', /expected "1", found "2"/);
	assert.equal(e.toStatus().code, 422);
	assert.equal(doc.spec.replicas, 3);
});

test('json patch: pointer escapes ~0 and ~1', () => {
	const doc = frozen({'a/b': 1, 'c~d': 2, '': 3, 'e~1f': 4});
	assert.deepEqual(applyJsonPatch(doc, [
		{op: 'replace', path: '/a~1b', value: 10},
		{op: 'replace', path: '/c~0d', value: 20},
		{op: 'replace', path: '/', value: 30},
		{op: 'replace', path: '/e~01f', value: 40},
	]), {'a/b': 10, 'c~d': 20, '': 30, 'e~1f': 40});
	const annotations = applyJsonPatch({metadata: {}}, [{op: 'add', path: '/metadata/annotations', value: {}}, {op: 'add', path: '/metadata/annotations/kubectl.kubernetes.io~1restartedAt', value: 'now'}]);
	assert.deepEqual(annotations, {metadata: {annotations: {'kubectl.kubernetes.io/restartedAt': 'now'}}});
});

test('json patch: kubectl rollout undo body', () => {
	const doc = frozen(deployment());
	const template = {metadata: {labels: {app: 'web'}}, spec: {containers: [{name: 'web', image: 'a:0'}]}};
	const annotations = {'deployment.kubernetes.io/revision': '2', 'kubernetes.io/change-cause': 'undo'};
	const out = applyJsonPatch(doc, [
		{op: 'replace', path: '/spec/template', value: template},
		{op: 'replace', path: '/metadata/annotations', value: annotations},
	]) as any;
	assert.deepEqual(out.spec.template, template);
	assert.deepEqual(out.metadata.annotations, annotations);
	assert.equal(out.spec.replicas, 3);
	assert.deepEqual(doc, deployment());
	out.spec.template.spec.containers[0].image = 'mutated';
	assert.equal(template.spec.containers[0]!.image, 'a:0', 'result does not alias the patch value');
});

test('json patch: paths that do not exist are 422 Invalid', () => {
	const doc = frozen({a: {b: 1}, list: [1, 2]});
	const cases: unknown[][] = [
		[{op: 'remove', path: '/missing'}],
		[{op: 'remove', path: '/list/2'}],
		[{op: 'remove', path: '/list/-'}],
		[{op: 'remove', path: '/list/01'}],
		[{op: 'remove', path: '/a/b/c'}],
		[{op: 'remove', path: ''}],
		[{op: 'replace', path: '/missing', value: 1}],
		[{op: 'replace', path: '/list/5', value: 1}],
		[{op: 'test', path: '/missing', value: 1}],
		[{op: 'move', from: '/missing', path: '/x'}],
		[{op: 'copy', from: '/missing', path: '/x'}],
		[{op: 'move', from: '/a', path: '/a/b/c'}],
		[{op: 'add', path: '/missing/child', value: 1}],
		[{op: 'add', path: '/list/3', value: 1}],
		[{op: 'add', path: '/list/x', value: 1}],
		[{op: 'add', path: '/a/b/c', value: 1}],
	];
	for (const ops of cases) throwsApi(() => applyJsonPatch(doc, ops), 422, 'Invalid', /^the server rejected our request due to an error in our request: operation 0 /);
	// the failing op is named by its position
	throwsApi(() => applyJsonPatch(doc, [{op: 'add', path: '/x', value: 1}, {op: 'remove', path: '/y'}]), 422, 'Invalid', /operation 1 \(remove \/y\)/);
});

test('json patch: malformed bodies and ops are 400 BadRequest', () => {
	const msg = 'json: cannot unmarshal object into Go value of type []handlers.jsonPatchOp';
	throwsApi(() => applyJsonPatch({}, {op: 'add', path: '/a', value: 1}), 400, 'BadRequest', msg);
	throwsApi(() => applyJsonPatch({}, {spec: {replicas: 3}}), 400, 'BadRequest', msg);
	throwsApi(() => applyJsonPatch({}, 'x'), 400, 'BadRequest', /cannot unmarshal string/);
	throwsApi(() => applyJsonPatch({}, ['x']), 400, 'BadRequest');
	throwsApi(() => applyJsonPatch({}, [{op: 'frobnicate', path: '/a'}]), 400, 'BadRequest', /unexpected kind: "frobnicate"/);
	throwsApi(() => applyJsonPatch({}, [{path: '/a', value: 1}]), 400, 'BadRequest', /missing "op"/);
	for (const op of ['add', 'remove', 'replace', 'move', 'copy', 'test']) {
		throwsApi(() => applyJsonPatch({a: 1}, [{op, from: '/a', value: 1}]), 400, 'BadRequest', /missing "path"/);
	}
	for (const op of ['add', 'replace', 'test']) throwsApi(() => applyJsonPatch({a: 1}, [{op, path: '/a'}]), 400, 'BadRequest', /missing "value"/);
	for (const op of ['move', 'copy']) throwsApi(() => applyJsonPatch({a: 1}, [{op, path: '/b'}]), 400, 'BadRequest', /missing "from"/);
	throwsApi(() => applyJsonPatch({a: 1}, [{op: 'remove', path: 'a'}]), 400, 'BadRequest', /invalid JSON pointer/);
	throwsApi(() => applyJsonPatch({a: 1}, [{op: 'remove', path: '/a~2'}]), 400, 'BadRequest', /bad escape/);
	throwsApi(() => applyJsonPatch({a: 1}, [{op: 'remove', path: 5}]), 400, 'BadRequest', /must be a string/);
	// validation happens before anything is applied
	throwsApi(() => applyJsonPatch({a: 1}, [{op: 'remove', path: '/missing'}, {op: 'bogus', path: '/a'}]), 400, 'BadRequest');
	assert.deepEqual(applyJsonPatch({a: 1}, []), {a: 1});
});

test('json patch: inputs are never mutated, even when an op fails half way', () => {
	const doc = frozen({a: {b: [1, 2]}});
	const ops = frozen([{op: 'add', path: '/a/b/-', value: {c: 1}}, {op: 'move', from: '/a/b/0', path: '/z'}]);
	const out = applyJsonPatch(doc, ops) as any;
	assert.deepEqual(out, {a: {b: [2, {c: 1}]}, z: 1});
	(out as any).a.b[1].c = 2; // deepEqual narrowed `out`
	assert.deepEqual(ops[0]!.value, {c: 1});
	const plain = {a: {b: [1, 2]}};
	throwsApi(() => applyJsonPatch(plain, [{op: 'remove', path: '/a/b/0'}, {op: 'test', path: '/a', value: 0}]), 422, 'Invalid');
	assert.deepEqual(plain, {a: {b: [1, 2]}});
});

// ---------------------------------------------------------------------------------------------------------------
// Strategic merge patch

test('strategic: kubectl set image merges containers by name and honours $setElementOrder', () => {
	const target = frozen({spec: {template: {spec: {containers: [{name: 'web', image: 'a:1', ports: [{containerPort: 80}]}, {name: 'side', image: 's:1'}]}}}});
	const patch = frozen({spec: {template: {spec: {'$setElementOrder/containers': [{name: 'web'}, {name: 'side'}], containers: [{name: 'web', image: 'a:2'}]}}}});
	assert.deepEqual(applyStrategicMergePatch(target, patch), {
		spec: {template: {spec: {containers: [{name: 'web', image: 'a:2', ports: [{containerPort: 80}]}, {name: 'side', image: 's:1'}]}}},
	});
	// the exact body kubectl 1.33 sends
	const d = frozen(deployment());
	const out = applyStrategicMergePatch(d, {spec: {template: {spec: {'$setElementOrder/containers': [{name: 'web'}, {name: 'side'}], containers: [{image: 'nginx:1.27', name: 'web'}]}}}}) as any;
	assert.equal(out.spec.template.spec.containers[0].image, 'nginx:1.27');
	assert.deepEqual(out.spec.template.spec.containers[0].env, d.spec.template.spec.containers[0]!.env);
	assert.deepEqual(out.spec.template.spec.containers[1], {name: 'side', image: 's:1'});
	assert.equal(hasDirective(out), false);
});

test('strategic: kubectl rollout pause, resume and restart', () => {
	const d = frozen(deployment());
	const paused = frozen(applyStrategicMergePatch(d, {spec: {paused: true}}) as any);
	assert.equal(paused.spec.paused, true);
	assert.equal(paused.spec.replicas, 3);
	const resumed = applyStrategicMergePatch(paused, {spec: {paused: null}}) as any;
	assert.equal('paused' in resumed.spec, false);
	assert.deepEqual(resumed, d);
	const restarted = applyStrategicMergePatch(d, {spec: {template: {metadata: {annotations: {'kubectl.kubernetes.io/restartedAt': '2026-11-22T08:53:10Z'}}}}}) as any;
	assert.deepEqual(restarted.spec.template.metadata, {labels: {app: 'web'}, annotations: {'kubectl.kubernetes.io/restartedAt': '2026-11-22T08:53:10Z'}});
	assert.deepEqual(restarted.spec.template.spec, d.spec.template.spec);
});

test('strategic: kubectl client-side apply body', () => {
	const d = frozen(deployment());
	const lastApplied = JSON.stringify({apiVersion: 'apps/v1', kind: 'Deployment'});
	const out = applyStrategicMergePatch(d, {
		metadata: {annotations: {'kubectl.kubernetes.io/last-applied-configuration': lastApplied}},
		spec: {
			replicas: 5,
			template: {
				spec: {
					'$setElementOrder/containers': [{name: 'web'}, {name: 'side'}],
					containers: [
						{'$setElementOrder/env': [{name: 'A'}, {name: 'B'}, {name: 'C'}], env: [{name: 'B', value: null}, {name: 'C', value: '3'}], name: 'web'},
						{name: 'side', image: 's:2'},
					],
				},
			},
		},
	}) as any;
	assert.equal(out.metadata.annotations['kubectl.kubernetes.io/last-applied-configuration'], lastApplied);
	assert.equal(out.metadata.annotations['deployment.kubernetes.io/revision'], '2');
	assert.equal(out.spec.replicas, 5);
	assert.deepEqual(out.spec.template.spec.containers[0].env, [{name: 'A', value: '1'}, {name: 'B'}, {name: 'C', value: '3'}]);
	assert.equal(out.spec.template.spec.containers[1].image, 's:2');
	assert.equal(hasDirective(out), false);
});

test('strategic: merge keys of the built-in kinds', () => {
	const pod = frozen({
		metadata: {ownerReferences: [{uid: 'u1', name: 'rs-1', kind: 'ReplicaSet'}], finalizers: ['a', 'b']},
		spec: {
			initContainers: [{name: 'init', image: 'i:1'}],
			ephemeralContainers: [{name: 'dbg', image: 'd:1'}],
			containers: [{name: 'web', image: 'w:1', ports: [{containerPort: 80, name: 'http'}, {containerPort: 9090, name: 'metrics'}], volumeMounts: [{name: 'data', mountPath: '/data'}], args: ['--a'], command: ['run'], envFrom: [{configMapRef: {name: 'one'}}]}],
			volumes: [{name: 'data', emptyDir: {}}],
			imagePullSecrets: [{name: 'reg'}],
			tolerations: [{key: 'k1', operator: 'Exists'}],
		},
		status: {conditions: [{type: 'Ready', status: 'False'}, {type: 'Initialized', status: 'True'}]},
	});
	const out = applyStrategicMergePatch(pod, {
		metadata: {ownerReferences: [{uid: 'u1', controller: true}, {uid: 'u2', name: 'rs-2', kind: 'ReplicaSet'}], finalizers: ['b', 'c']},
		spec: {
			initContainers: [{name: 'init', image: 'i:2'}],
			ephemeralContainers: [{name: 'dbg2', image: 'd:2'}],
			containers: [{name: 'web', ports: [{containerPort: 9090, protocol: 'TCP'}], volumeMounts: [{mountPath: '/data', readOnly: true}], args: ['--b'], command: ['exec'], envFrom: [{secretRef: {name: 'two'}}]}],
			volumes: [{name: 'cache', emptyDir: {}}],
			imagePullSecrets: [{name: 'reg2'}],
			tolerations: [{key: 'k2', operator: 'Exists'}],
		},
		status: {conditions: [{type: 'Ready', status: 'True'}]},
	}) as any;
	assert.deepEqual(out.metadata.ownerReferences, [{uid: 'u1', name: 'rs-1', kind: 'ReplicaSet', controller: true}, {uid: 'u2', name: 'rs-2', kind: 'ReplicaSet'}]);
	assert.deepEqual(out.metadata.finalizers, ['a', 'b', 'c'], 'finalizers is a merged primitive list');
	assert.deepEqual(out.spec.initContainers, [{name: 'init', image: 'i:2'}]);
	assert.deepEqual(out.spec.ephemeralContainers, [{name: 'dbg', image: 'd:1'}, {name: 'dbg2', image: 'd:2'}]);
	const web = out.spec.containers[0];
	assert.deepEqual(web.ports, [{containerPort: 80, name: 'http'}, {containerPort: 9090, name: 'metrics', protocol: 'TCP'}]);
	assert.deepEqual(web.volumeMounts, [{name: 'data', mountPath: '/data', readOnly: true}], 'volumeMounts merge by mountPath');
	assert.deepEqual(web.args, ['--b']);
	assert.deepEqual(web.command, ['exec']);
	assert.deepEqual(web.envFrom, [{secretRef: {name: 'two'}}], 'envFrom replaces');
	assert.equal(web.image, 'w:1');
	assert.deepEqual(out.spec.volumes, [{name: 'data', emptyDir: {}}, {name: 'cache', emptyDir: {}}]);
	assert.deepEqual(out.spec.imagePullSecrets, [{name: 'reg'}, {name: 'reg2'}]);
	assert.deepEqual(out.spec.tolerations, [{key: 'k2', operator: 'Exists'}], 'tolerations replace');
	assert.deepEqual(out.status.conditions, [{type: 'Ready', status: 'True'}, {type: 'Initialized', status: 'True'}]);
});

test('strategic: Service ports merge by port', () => {
	const svc = frozen({spec: {ports: [{name: 'http', port: 80, targetPort: 8080}, {name: 'https', port: 443, targetPort: 8443}]}});
	const out = applyStrategicMergePatch(svc, {spec: {ports: [{port: 443, targetPort: 9443}, {port: 9000, name: 'admin'}]}}) as any;
	assert.deepEqual(out.spec.ports, [{name: 'http', port: 80, targetPort: 8080}, {name: 'https', port: 443, targetPort: 9443}, {port: 9000, name: 'admin'}]);
});

test('strategic: list order follows the patch, then the live list', () => {
	const t = frozen({spec: {containers: [{name: 'a'}, {name: 'b'}, {name: 'c'}]}});
	// matched elements stay in place, new ones are appended
	assert.deepEqual((applyStrategicMergePatch(t, {spec: {containers: [{name: 'b', x: 1}, {name: 'd'}]}}) as any).spec.containers, [{name: 'a'}, {name: 'b', x: 1}, {name: 'c'}, {name: 'd'}]);
	// the patch order wins over the live order for the elements it names
	assert.deepEqual((applyStrategicMergePatch(t, {spec: {containers: [{name: 'c'}, {name: 'a'}]}}) as any).spec.containers, [{name: 'b'}, {name: 'c'}, {name: 'a'}]);
	// an empty list does not clear a merged list
	assert.deepEqual(applyStrategicMergePatch(t, {spec: {containers: []}}), t);
});

test('strategic: $setElementOrder', () => {
	const t = frozen({spec: {containers: [{name: 'a', image: '1'}, {name: 'b'}, {name: 'c'}]}});
	// full order, list absent from the patch: reorder only
	assert.deepEqual(applyStrategicMergePatch(t, {spec: {'$setElementOrder/containers': [{name: 'c'}, {name: 'b'}, {name: 'a'}]}}), {spec: {containers: [{name: 'c'}, {name: 'b'}, {name: 'a', image: '1'}]}});
	// new element placed where the order says
	assert.deepEqual(
		applyStrategicMergePatch(t, {spec: {'$setElementOrder/containers': [{name: 'a'}, {name: 'new'}, {name: 'b'}, {name: 'c'}], containers: [{name: 'new', image: 'n'}]}}),
		{spec: {containers: [{name: 'a', image: '1'}, {name: 'new', image: 'n'}, {name: 'b'}, {name: 'c'}]}},
	);
	// elements not named keep their live relative order and are interleaved by live position
	assert.deepEqual((applyStrategicMergePatch(t, {spec: {'$setElementOrder/containers': [{name: 'c'}, {name: 'a'}]}}) as any).spec.containers.map((c: any) => c.name), ['b', 'c', 'a']);
	assert.deepEqual((applyStrategicMergePatch(t, {spec: {'$setElementOrder/containers': [{name: 'b'}, {name: 'c'}], containers: [{name: 'b', image: '2'}]}}) as any).spec.containers, [{name: 'a', image: '1'}, {name: 'b', image: '2'}, {name: 'c'}]);
	// primitive merged list
	assert.deepEqual(applyStrategicMergePatch({metadata: {finalizers: ['x', 'y']}}, {metadata: {'$setElementOrder/finalizers': ['z', 'y', 'x'], finalizers: ['z']}}), {metadata: {finalizers: ['z', 'y', 'x']}});
	// order for a list that exists nowhere is dropped
	assert.deepEqual(applyStrategicMergePatch({spec: {}}, {spec: {'$setElementOrder/volumes': [{name: 'v'}]}}), {spec: {}});
	throwsApi(() => applyStrategicMergePatch(t, {spec: {'$setElementOrder/containers': {name: 'a'}}}), 400, 'BadRequest', /setElementOrder/);
});

test('strategic: $patch directives on maps', () => {
	const t = frozen({spec: {strategy: {type: 'RollingUpdate', rollingUpdate: {maxSurge: 1, maxUnavailable: 0}}, replicas: 2}});
	assert.deepEqual(applyStrategicMergePatch(t, {spec: {strategy: {$patch: 'replace', type: 'Recreate'}}}), {spec: {strategy: {type: 'Recreate'}, replicas: 2}});
	assert.deepEqual(applyStrategicMergePatch(t, {spec: {strategy: {$patch: 'delete'}}}), {spec: {replicas: 2}});
	assert.deepEqual(applyStrategicMergePatch(t, {spec: {strategy: {$patch: 'merge', type: 'X'}}}), {spec: {strategy: {type: 'X', rollingUpdate: {maxSurge: 1, maxUnavailable: 0}}, replicas: 2}});
	assert.deepEqual(applyStrategicMergePatch(t, {$patch: 'delete'}), {});
	assert.deepEqual(applyStrategicMergePatch(t, {$patch: 'replace', spec: {replicas: 1}}), {spec: {replicas: 1}});
	// a delete directive for a map the target does not have adds nothing
	assert.deepEqual(applyStrategicMergePatch(t, {status: {$patch: 'delete'}}), t);
	throwsApi(() => applyStrategicMergePatch(t, {spec: {strategy: {$patch: 'explode'}}}), 400, 'BadRequest', /Unknown patch type: "explode"/);
});

test('strategic: $patch directives in lists', () => {
	const t = frozen({spec: {containers: [{name: 'a'}, {name: 'b'}, {name: 'c'}], volumes: [{name: 'v1'}]}});
	assert.deepEqual(applyStrategicMergePatch(t, {spec: {containers: [{name: 'b', $patch: 'delete'}]}}), {spec: {containers: [{name: 'a'}, {name: 'c'}], volumes: [{name: 'v1'}]}});
	assert.deepEqual(applyStrategicMergePatch(t, {spec: {containers: [{$patch: 'replace'}, {name: 'z', image: 'z:1'}]}}), {spec: {containers: [{name: 'z', image: 'z:1'}], volumes: [{name: 'v1'}]}});
	assert.deepEqual(applyStrategicMergePatch(t, {spec: {containers: [{$patch: 'replace'}]}}), {spec: {containers: [], volumes: [{name: 'v1'}]}});
	assert.deepEqual(
		applyStrategicMergePatch(t, {spec: {containers: [{name: 'a', $patch: 'delete'}, {name: 'c', image: 'c:2'}, {name: 'd'}]}}),
		{spec: {containers: [{name: 'b'}, {name: 'c', image: 'c:2'}, {name: 'd'}], volumes: [{name: 'v1'}]}},
	);
	throwsApi(() => applyStrategicMergePatch(t, {spec: {containers: [{$patch: 'delete'}]}}), 400, 'BadRequest', /does not contain declared merge key: name/);
	throwsApi(() => applyStrategicMergePatch(t, {spec: {containers: [{$patch: 'merge'}]}}), 400, 'BadRequest', /merging lists cannot yet be specified/);
	throwsApi(() => applyStrategicMergePatch(t, {spec: {containers: [{$patch: 'nope'}]}}), 400, 'BadRequest', /Unknown patch type/);
	throwsApi(() => applyStrategicMergePatch(t, {spec: {containers: [{image: 'no-name'}]}}), 400, 'BadRequest', /does not contain declared merge key: name/);
	throwsApi(() => applyStrategicMergePatch(t, {spec: {containers: [{name: 'a'}, 'x']}}), 400, 'BadRequest');
});

test('strategic: $retainKeys', () => {
	const t = frozen({spec: {strategy: {type: 'RollingUpdate', rollingUpdate: {maxSurge: 1}}}});
	assert.deepEqual(applyStrategicMergePatch(t, {spec: {strategy: {$retainKeys: ['type'], type: 'Recreate'}}}), {spec: {strategy: {type: 'Recreate'}}});
	assert.deepEqual(applyStrategicMergePatch(t, {spec: {strategy: {$retainKeys: ['type', 'rollingUpdate'], rollingUpdate: {maxUnavailable: 1}}}}), {spec: {strategy: {type: 'RollingUpdate', rollingUpdate: {maxSurge: 1, maxUnavailable: 1}}}});
	throwsApi(() => applyStrategicMergePatch(t, {spec: {strategy: {$retainKeys: ['type'], rollingUpdate: {}}}}), 422, 'Invalid', /retainKeys/);
	throwsApi(() => applyStrategicMergePatch(t, {spec: {strategy: {$retainKeys: 'type'}}}), 400, 'BadRequest', 'invalid patch format of retainKeys');
});

test('strategic: $deleteFromPrimitiveList', () => {
	const t = frozen({metadata: {finalizers: ['a', 'b', 'c']}, spec: {args: ['--x', '--y']}});
	assert.deepEqual(applyStrategicMergePatch(t, {metadata: {'$deleteFromPrimitiveList/finalizers': ['b', 'zz']}}), {metadata: {finalizers: ['a', 'c']}, spec: {args: ['--x', '--y']}});
	assert.deepEqual(applyStrategicMergePatch(t, {metadata: {'$deleteFromPrimitiveList/finalizers': ['a'], finalizers: ['d']}}), {metadata: {finalizers: ['b', 'c', 'd']}, spec: {args: ['--x', '--y']}});
	assert.deepEqual(applyStrategicMergePatch(t, {spec: {'$deleteFromPrimitiveList/args': ['--x']}}), {metadata: {finalizers: ['a', 'b', 'c']}, spec: {args: ['--y']}});
	assert.deepEqual(applyStrategicMergePatch(t, {spec: {'$deleteFromPrimitiveList/missing': ['x']}}), t);
	throwsApi(() => applyStrategicMergePatch(t, {metadata: {'$deleteFromPrimitiveList/finalizers': 'a'}}), 400, 'BadRequest', 'invalid patch format of primitive list');
});

test('strategic: nulls delete, and no directive survives anywhere in the result', () => {
	const t = frozen(deployment());
	const out = applyStrategicMergePatch(t, {
		metadata: {labels: null, annotations: {'deployment.kubernetes.io/revision': null}},
		spec: {
			template: {spec: {containers: [{name: 'new', $retainKeys: ['name', 'image', 'resources', 'env'], image: 'n', resources: {$patch: 'merge', limits: {cpu: '1', memory: null}}, env: [{$patch: 'replace'}, {name: 'X', value: 'x', valueFrom: null}]}]}},
			newMap: {$patch: 'replace', a: {$patch: 'merge', b: 1, c: null}},
			newList: [{name: 'x', $patch: 'delete'}],
			unknownDirective: {$foo: 1, ok: true},
		},
	}) as any;
	assert.equal('labels' in out.metadata, false);
	assert.deepEqual(out.metadata.annotations, {});
	assert.deepEqual(out.spec.template.spec.containers[2], {name: 'new', image: 'n', resources: {limits: {cpu: '1'}}, env: [{name: 'X', value: 'x'}]});
	assert.deepEqual(out.spec.newMap, {a: {b: 1}});
	assert.deepEqual(out.spec.newList, []);
	assert.deepEqual(out.spec.unknownDirective, {ok: true});
	assert.equal(hasDirective(out), false);
});

test('strategic: type changes and non-object patches', () => {
	assert.deepEqual(applyStrategicMergePatch({a: 'x', b: [1]}, {a: {c: 1}, b: 'y'}), {a: {c: 1}, b: 'y'});
	assert.deepEqual(applyStrategicMergePatch('not an object', {a: 1}), {a: 1});
	throwsApi(() => applyStrategicMergePatch({}, [{op: 'add'}]), 400, 'BadRequest', 'json: cannot unmarshal array into Go value of type map[string]interface {}');
	throwsApi(() => applyStrategicMergePatch({}, null), 400, 'BadRequest');
});

test('strategic: inputs are not mutated and the result shares no structure', () => {
	const target = frozen(deployment());
	const patch = frozen({spec: {template: {spec: {'$setElementOrder/containers': [{name: 'side'}, {name: 'web'}], containers: [{name: 'side', image: 's:2', env: [{name: 'N', value: '1'}]}, {name: 'web', $patch: 'delete'}]}}}});
	const out = applyStrategicMergePatch(target, patch) as any;
	assert.deepEqual(out.spec.template.spec.containers, [{name: 'side', image: 's:2', env: [{name: 'N', value: '1'}]}]);
	out.spec.template.spec.containers[0].env[0].value = 'changed';
	out.spec.selector.matchLabels.app = 'changed';
	assert.equal(patch.spec.template.spec.containers[0]!.env![0]!.value, '1');
	assert.equal(target.spec.selector.matchLabels.app, 'web');
	assert.deepEqual(target, deployment());
});

// ---------------------------------------------------------------------------------------------------------------
// Request bodies

test('parsePatchBody classifies the four patch media types and ignores parameters', () => {
	assert.deepEqual(parsePatchBody('application/json-patch+json', '[{"op":"replace","path":"/spec/replicas","value":3}]'), {kind: 'json', patch: [{op: 'replace', path: '/spec/replicas', value: 3}]});
	assert.deepEqual(parsePatchBody('application/merge-patch+json', '{"spec":{"replicas":3}}'), {kind: 'merge', patch: {spec: {replicas: 3}}});
	assert.deepEqual(parsePatchBody('application/strategic-merge-patch+json; charset=utf-8', '{"spec":{"paused":null}}'), {kind: 'strategic', patch: {spec: {paused: null}}});
	assert.deepEqual(parsePatchBody('Application/Merge-Patch+JSON ;charset=UTF-8', '{}'), {kind: 'merge', patch: {}});
	assert.deepEqual(parsePatchBody('application/apply-patch+yaml', '{"apiVersion":"apps/v1","kind":"Deployment"}'), {kind: 'apply', patch: {apiVersion: 'apps/v1', kind: 'Deployment'}});
	const yamlBody = 'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  replicas: 2\n  template:\n    spec:\n      containers:\n        - name: web\n          image: "nginx:1.27"\n';
	assert.deepEqual(parsePatchBody('application/apply-patch+yaml', yamlBody), {
		kind: 'apply',
		patch: {apiVersion: 'apps/v1', kind: 'Deployment', metadata: {name: 'web'}, spec: {replicas: 2, template: {spec: {containers: [{name: 'web', image: 'nginx:1.27'}]}}}},
	});
});

test('parsePatchBody: unknown media types are 415', () => {
	const accepted = 'the body of the request was in an unknown format - accepted media types include: application/json-patch+json, application/merge-patch+json, application/strategic-merge-patch+json, application/apply-patch+yaml';
	for (const type of ['application/json', 'text/plain', '', 'application/apply-patch+cbor', 'application/json-patch+json-ish']) {
		throwsApi(() => parsePatchBody(type, '{}'), 415, 'UnsupportedMediaType', accepted);
	}
});

test('parsePatchBody: invalid bodies are 400', () => {
	for (const type of ['application/json-patch+json', 'application/merge-patch+json', 'application/strategic-merge-patch+json']) {
		throwsApi(() => parsePatchBody(type, '{"spec":'), 400, 'BadRequest', /invalid JSON: .+/);
		throwsApi(() => parsePatchBody(type, ''), 400, 'BadRequest', /invalid JSON/);
	}
	throwsApi(() => parsePatchBody('application/json-patch+json', '{"spec":{"replicas":3}}'), 400, 'BadRequest', 'json: cannot unmarshal object into Go value of type []handlers.jsonPatchOp');
	throwsApi(() => parsePatchBody('application/json-patch+json', '[{"op":"delete","path":"/a"}]'), 400, 'BadRequest', /unexpected kind/);
	throwsApi(() => parsePatchBody('application/json-patch+json', '[{"op":"add","value":1}]'), 400, 'BadRequest', /missing "path"/);
	throwsApi(() => parsePatchBody('application/json-patch+json', '[{"op":"add","path":"/a"}]'), 400, 'BadRequest', /missing "value"/);
	throwsApi(() => parsePatchBody('application/merge-patch+json', '[]'), 400, 'BadRequest', /cannot unmarshal array/);
	throwsApi(() => parsePatchBody('application/strategic-merge-patch+json', '"x"'), 400, 'BadRequest', /cannot unmarshal string/);
	throwsApi(() => parsePatchBody('application/apply-patch+yaml', 'a: [1, 2'), 400, 'BadRequest', /YAML/);
	throwsApi(() => parsePatchBody('application/apply-patch+yaml', 'a: 1\n---\nb: 2\n'), 400, 'BadRequest', /YAML/);
	throwsApi(() => parsePatchBody('application/apply-patch+yaml', '- 1\n- 2\n'), 400, 'BadRequest', /cannot unmarshal array/);
});

test('parsePatchBody output feeds the matching apply function', () => {
	const d = frozen(deployment());
	const {patch: json} = parsePatchBody('application/json-patch+json', '[{"op":"test","path":"/spec/replicas","value":3},{"op":"replace","path":"/spec/replicas","value":1}]');
	assert.equal((applyJsonPatch(d, json) as any).spec.replicas, 1);
	const {patch: strategic} = parsePatchBody('application/strategic-merge-patch+json', '{"spec":{"template":{"spec":{"$setElementOrder/containers":[{"name":"web"},{"name":"side"}],"containers":[{"image":"nginx:1.27","name":"web"}]}}}}');
	assert.equal((applyStrategicMergePatch(d, strategic) as any).spec.template.spec.containers[0].image, 'nginx:1.27');
	const {patch: apply} = parsePatchBody('application/apply-patch+yaml', 'spec:\n  replicas: 7\n');
	assert.equal((applyMergePatch(d, apply) as any).spec.replicas, 7);
});
