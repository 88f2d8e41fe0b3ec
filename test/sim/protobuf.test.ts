// Protobuf request bodies: bodies captured from kubectl 1.33 and bodies built here decode to the objects they
// stand for; unknown fields are skipped, malformed bodies refused with a clear message; the server takes them.
import assert from 'node:assert/strict';
import {after, before, describe, test} from 'node:test';
import {ProtobufError} from '../../source/sim/protobuf.js';
import {decodeKubernetesObject} from '../../source/sim/protobuf-types.js';
import {startTestSim, type TestSim} from '../helpers/sim.js';
import {rawRequest} from '../helpers/raw-request.js';

// --- a tiny encoder, written here so the decoder is not checked against itself ----------------

type Bytes = number[];
const utf8 = (s: string): Bytes => [...new TextEncoder().encode(s)];
function varint(value: number | bigint): Bytes {
	let v = BigInt.asUintN(64, BigInt(value));
	const out: Bytes = [];
	do {
		const b = Number(v & 0x7fn);
		v >>= 7n;
		out.push(v > 0n ? b | 0x80 : b);
	} while (v > 0n);
	return out;
}
const key = (field: number, wireType: number) => varint((field << 3) | wireType);
/** A varint field (numbers, bools). */
const num = (field: number, value: number | bigint | boolean): Bytes => [...key(field, 0), ...varint(typeof value === 'boolean' ? Number(value) : value)];
/** A length-delimited field: a string, bytes, or a nested message given as its bytes. */
const ld = (field: number, value: string | Bytes): Bytes => {
	const bytes = typeof value === 'string' ? utf8(value) : value;
	return [...key(field, 2), ...varint(bytes.length), ...bytes];
};
const mapEntry = (field: number, k: string, v: string | Bytes) => ld(field, [...ld(1, k), ...ld(2, v)]);
const fixed64 = (field: number): Bytes => [...key(field, 1), 1, 2, 3, 4, 5, 6, 7, 8];
const fixed32 = (field: number): Bytes => [...key(field, 5), 1, 2, 3, 4];
/** Fields no table knows, of every wire type Kubernetes objects use: they must be skipped. */
const unknownFields = (): Bytes => [...num(1999, 7), ...fixed64(1998), ...ld(1997, [...num(1, 1), ...ld(2, 'nested')]), ...fixed32(1996)];
const body = (apiVersion: string, kind: string, raw: Bytes, extra: Bytes = []) =>
	Uint8Array.from([0x6b, 0x38, 0x73, 0x00, ...ld(1, [...ld(1, apiVersion), ...ld(2, kind)]), ...ld(2, raw), ...extra]);
const hex = (s: string) => Uint8Array.from(Buffer.from(s, 'hex'));

// --- bodies kubectl 1.33 sent (captured once from `kubectl create ...` and `kubectl auth can-i`) ------

const captured = {
	secretGeneric: '6b3873000a0c0a027631120653656372657412380a120a02733212001a0022002a0032003800420012110a0762696e2e64617412060001fffe6f6b120d0a0475736572120561646d696e1a001a002200',
	secretDockerRegistry: '6b3873000a0c0a0276311206536563726574128c010a130a0372656712001a0022002a0032003800420012550a112e646f636b6572636f6e6669676a736f6e12407b226175746873223a7b22722e696f223a7b22757365726e616d65223a2275222c2270617373776f7264223a2270222c2261757468223a2264547077227d7d7d1a1e6b756265726e657465732e696f2f646f636b6572636f6e6669676a736f6e1a002200',
	serviceAccount: '6b3873000a140a027631120e536572766963654163636f756e7412150a130a0373613112001a0022002a003200380042001a002200',
	configMapBinary: '6b3873000a0f0a0276311209436f6e6669674d617012370a130a0362696e12001a0022002a00320038004200120d0a05706c61696e1204746578741a110a0762696e2e64617412060001fffe6f6b1a002200',
	deploymentTwoImages: '6b3873000a150a07617070732f7631120a4465706c6f796d656e7412cc010a230a056d756c746912001a0022002a003200380042005a0c0a0361707012056d756c74691296010800120e0a0c0a0361707012056d756c74691a7a0a1e0a0012001a0022002a003200380042005a0c0a0361707012056d756c74691258121c0a01611203613a312a0042006a007200800100880100900100a20100121c0a01621203623a322a0042006a007200800100880100900100a201001a00320042004a0052005800600068008201008a01009a0100c2010022020a00280038001a0c0800100018002000280038001a002200',
	serviceLoadBalancer: '6b3873000a0d0a02763112075365727669636512700a1d0a026c6212001a0022002a003200380042005a090a0361707012026c62124b0a220a093434332d6874747073120354435018bb03220b080110001a056874747073280012090a0361707012026c621a00220c4c6f616442616c616e6365723a00420052005a00600068001a020a001a002200',
	serviceExternalName: '6b3873000a0d0a027631120753657276696365125a0a1f0a0365787412001a0022002a003200380042005a0a0a0361707012036578741233120a0a0361707012036578741a00220c45787465726e616c4e616d653a004200520b6578616d706c652e636f6d5a00600068001a020a001a002200',
	job: '6b3873000a0f0a0862617463682f763112034a6f62127a0a120a026a3112001a0022002a00320038004200125a32580a100a0012001a0022002a00320038004200124412210a026a31120762757379626f782a0042006a007200800100880100900100a201001a054e65766572320042004a0052005800600068008201008a01009a0100c201001a082000280030003a001a002200',
	cronJob: '6b3873000a130a0862617463682f7631120743726f6e4a6f6212a8010a120a02636a12001a0022002a00320038004200128f010a0b2a2f35202a202a202a202a1a002a7e0a120a02636a12001a0022002a00320038004200126832660a100a0012001a0022002a003200380042001252122b0a02636a120762757379626f781a046563686f1a0268692a0042006a007200800100880100900100a201001a094f6e4661696c757265320042004a0052005800600068008201008a01009a0100c201001a001a002200',
	accessReview: '6b3873000a320a17617574686f72697a6174696f6e2e6b38732e696f2f7631121753656c665375626a65637441636365737352657669657712480a100a0012001a0022002a00320038004200122a0a280a0663616e617279120570617463681a046170707322002a0b6465706c6f796d656e747332003a001a08080012001a0020001a002200',
};

describe('protobuf bodies kubectl sends', () => {
	test('create secret generic: data as base64 of the exact bytes, binary or not', () => {
		// kubectl create secret generic s2 --from-file=bin.dat (bytes 00 01 ff fe 6f 6b) --from-literal=user=admin
		assert.deepEqual(decodeKubernetesObject(hex(captured.secretGeneric)), {
			apiVersion: 'v1', kind: 'Secret', metadata: {name: 's2'},
			data: {'bin.dat': Buffer.from([0, 1, 0xff, 0xfe, 0x6f, 0x6b]).toString('base64'), user: Buffer.from('admin').toString('base64')},
		});
	});

	test('create secret docker-registry: the type and the config', () => {
		const secret = decodeKubernetesObject(hex(captured.secretDockerRegistry));
		assert.equal(secret.type, 'kubernetes.io/dockerconfigjson');
		assert.deepEqual(JSON.parse(Buffer.from(secret.data['.dockerconfigjson'], 'base64').toString()), {auths: {'r.io': {username: 'u', password: 'p', auth: 'dTpw'}}});
	});

	test('create serviceaccount', () => {
		assert.deepEqual(decodeKubernetesObject(hex(captured.serviceAccount)), {apiVersion: 'v1', kind: 'ServiceAccount', metadata: {name: 'sa1'}});
	});

	test('create configmap: data and binaryData', () => {
		assert.deepEqual(decodeKubernetesObject(hex(captured.configMapBinary)), {
			apiVersion: 'v1', kind: 'ConfigMap', metadata: {name: 'bin'},
			data: {plain: 'text'}, binaryData: {'bin.dat': Buffer.from([0, 1, 0xff, 0xfe, 0x6f, 0x6b]).toString('base64')},
		});
	});

	test('create deployment with two images and --replicas=0: zero replicas is kept, the rest as kubectl\'s JSON would say it', () => {
		assert.deepEqual(decodeKubernetesObject(hex(captured.deploymentTwoImages)), {
			apiVersion: 'apps/v1', kind: 'Deployment',
			metadata: {name: 'multi', labels: {app: 'multi'}},
			spec: {
				replicas: 0,
				selector: {matchLabels: {app: 'multi'}},
				template: {
					metadata: {labels: {app: 'multi'}},
					spec: {containers: [{name: 'a', image: 'a:1', resources: {}}, {name: 'b', image: 'b:2', resources: {}}]},
				},
				strategy: {},
			},
		});
	});

	test('create service loadbalancer and externalname: a named targetPort, the type, the external name', () => {
		assert.deepEqual(decodeKubernetesObject(hex(captured.serviceLoadBalancer)).spec, {
			ports: [{name: '443-https', protocol: 'TCP', port: 443, targetPort: 'https'}], selector: {app: 'lb'}, type: 'LoadBalancer',
		});
		assert.deepEqual(decodeKubernetesObject(hex(captured.serviceExternalName)).spec, {selector: {app: 'ext'}, type: 'ExternalName', externalName: 'example.com'});
	});

	test('create job and cronjob: the pod template, restart policy, command and schedule', () => {
		assert.deepEqual(decodeKubernetesObject(hex(captured.job)), {
			apiVersion: 'batch/v1', kind: 'Job', metadata: {name: 'j1'},
			spec: {template: {metadata: {}, spec: {containers: [{name: 'j1', image: 'busybox', resources: {}}], restartPolicy: 'Never'}}},
		});
		assert.deepEqual(decodeKubernetesObject(hex(captured.cronJob)), {
			apiVersion: 'batch/v1', kind: 'CronJob', metadata: {name: 'cj'},
			spec: {
				schedule: '*/5 * * * *',
				jobTemplate: {metadata: {name: 'cj'}, spec: {template: {metadata: {}, spec: {containers: [{name: 'cj', image: 'busybox', command: ['echo', 'hi'], resources: {}}], restartPolicy: 'OnFailure'}}}},
			},
		});
	});

	test('auth can-i: a SelfSubjectAccessReview (its status is not read)', () => {
		assert.deepEqual(decodeKubernetesObject(hex(captured.accessReview)), {
			apiVersion: 'authorization.k8s.io/v1', kind: 'SelfSubjectAccessReview', metadata: {},
			spec: {resourceAttributes: {namespace: 'canary', verb: 'patch', group: 'apps', resource: 'deployments'}},
		});
	});
});

describe('protobuf bodies built here', () => {
	const metadata = (name: string, extra: Bytes = []) => ld(1, [...ld(1, name), ...extra]);

	test('every field kind: pointers kept at zero, packed and negative numbers, times, int-or-strings, inline structs, unknown fields skipped', () => {
		const container = [
			...ld(1, 'app'), ...ld(2, 'registry.local/app:1.0.0'), ...ld(4, ''), ...ld(4, '--port=80'), ...unknownFields(),
			...ld(6, [...num(3, 8080), ...ld(4, 'TCP')]),
			...ld(7, [...ld(1, 'EMPTY'), ...ld(2, '')]),
			...ld(7, [...ld(1, 'FROM'), ...ld(3, ld(3, [...ld(1, [...ld(1, 'cm')]), ...ld(2, 'k'), ...num(3, false)]))]),
			...ld(8, [...mapEntry(1, 'memory', ld(1, '256Mi')), ...mapEntry(2, 'cpu', ld(1, '100m'))]),
			...ld(11, [...ld(1, ld(2, [...ld(1, '/healthz'), ...ld(2, [...num(1, 1), ...ld(3, 'http')])])), ...num(2, 0), ...num(4, 5)]),
			...ld(15, [...num(4, 0), ...num(7, true), ...ld(1, [...ld(2, 'ALL')])]),
		];
		const podSpec = [
			...ld(1, [...ld(1, 'data'), ...ld(2, ld(19, [...ld(1, [...ld(1, 'settings')]), ...num(3, 0o644)]))]),
			...ld(2, container),
			...num(4, 0), ...num(21, false),
			...ld(14, [...num(2, -1), ...ld(4, [...varint(1), ...varint(2), ...varint(300)])]),
			...ld(22, [...ld(1, 'node.kubernetes.io/unreachable'), ...ld(2, 'Exists'), ...num(5, 0)]),
		];
		const raw = [
			...metadata('web', [
				...mapEntry(11, 'app', 'web'), ...mapEntry(11, '__proto__', 'polluted'), ...ld(8, [...num(1, 1767225600)]), ...num(7, 0), ...unknownFields(),
			]),
			...ld(2, [
				...num(1, 0), ...num(6, 0), ...num(7, false), ...num(5, 0),
				...ld(2, mapEntry(1, 'app', 'web')),
				...ld(3, [...ld(1, mapEntry(11, 'app', 'web')), ...ld(2, podSpec)]),
				...ld(4, [...ld(1, 'RollingUpdate'), ...ld(2, [...ld(1, [...num(1, 0), ...num(2, 0)]), ...ld(2, [...num(1, 1), ...ld(3, '25%')])])]),
				...unknownFields(),
			]),
			...ld(3, [...num(1, 99)]),
		];
		const decoded = decodeKubernetesObject(body('apps/v1', 'Deployment', raw, unknownFields()));
		assert.equal(Object.getPrototypeOf(decoded.metadata.labels), Object.prototype, 'a "__proto__" label is data, not a prototype');
		assert.equal(JSON.stringify(decoded.metadata.labels), '{"app":"web","__proto__":"polluted"}');
		assert.deepEqual(JSON.parse(JSON.stringify(decoded)), {
			apiVersion: 'apps/v1', kind: 'Deployment',
			metadata: {name: 'web', labels: JSON.parse('{"app":"web","__proto__":"polluted"}'), creationTimestamp: '2026-01-01T00:00:00Z'},
			spec: {
				replicas: 0, revisionHistoryLimit: 0,
				selector: {matchLabels: {app: 'web'}},
				template: {
					metadata: {labels: {app: 'web'}},
					spec: {
						volumes: [{name: 'data', configMap: {name: 'settings', defaultMode: 0o644}}],
						containers: [{
							name: 'app', image: 'registry.local/app:1.0.0', args: ['', '--port=80'],
							ports: [{containerPort: 8080, protocol: 'TCP'}],
							env: [{name: 'EMPTY'}, {name: 'FROM', valueFrom: {configMapKeyRef: {name: 'cm', key: 'k', optional: false}}}],
							resources: {limits: {memory: '256Mi'}, requests: {cpu: '100m'}},
							readinessProbe: {httpGet: {path: '/healthz', port: 'http'}, periodSeconds: 5},
							securityContext: {runAsUser: 0, allowPrivilegeEscalation: true, capabilities: {drop: ['ALL']}},
						}],
						terminationGracePeriodSeconds: 0, automountServiceAccountToken: false,
						securityContext: {runAsUser: -1, supplementalGroups: [1, 2, 300]},
						tolerations: [{key: 'node.kubernetes.io/unreachable', operator: 'Exists', tolerationSeconds: 0}],
					},
				},
				strategy: {type: 'RollingUpdate', rollingUpdate: {maxUnavailable: 0, maxSurge: '25%'}},
			},
		});
	});

	test('numbers too large for JSON and malformed bodies are refused, each with where it went wrong', () => {
		const refused = (bytes: Uint8Array, pattern: RegExp) => assert.throws(() => decodeKubernetesObject(bytes), (e: unknown) => e instanceof ProtobufError && pattern.test((e as Error).message), String(pattern));
		refused(Uint8Array.from([0x7b, 0x7d]), /does not start with the 4-byte magic "k8s\\0"/);
		refused(body('v1', 'ConfigMap', [...metadata('c'), 0x12, 0x05, 0x0a]), /runs past the end of its message at ConfigMap/);
		refused(body('v1', 'ConfigMap', [...metadata('c'), 0x38, 0xff]), /a varint runs past the end of its message at ConfigMap/);
		refused(body('v1', 'ConfigMap', [...ld(1, num(1, 5))]), /ConfigMap\.metadata\.name should be length-delimited but is varint/);
		refused(body('apps/v1', 'Deployment', [...ld(2, ld(1, 'three'))]), /Deployment\.spec\.replicas should be varint but is length-delimited/);
		refused(body('v1', 'ConfigMap', [...metadata('c'), ...key(50, 3)]), /wire type 3 \(start group\) is not used by Kubernetes objects/);
		refused(body('v1', 'ConfigMap', [...metadata('c'), ...key(0, 0), 0]), /field number 0 is not valid/);
		refused(body('apps/v1', 'Deployment', [...metadata('d', num(7, 2n ** 60n))]), /too large for JSON/);
		refused(body('v1', 'ConfigMap', metadata('c'), ld(3, 'gzip')), /encoded with "gzip"/);
		refused(Uint8Array.from([0x6b, 0x38, 0x73, 0x00, ...ld(2, metadata('c'))]), /does not say the apiVersion and kind/);
		refused(body('v1', 'Endpoints', metadata('e')), /protobuf bodies of v1 Endpoints are not read here/);
	});
});


describe('the sim takes create and update bodies by their Content-Type', () => {
	let t: TestSim;
	before(async () => {
		t = await startTestSim({scenario: 'canary'});
	});
	after(async () => {
		await t.stop();
	});
	const protobuf = {'Content-Type': 'application/vnd.kubernetes.protobuf', Accept: 'application/vnd.kubernetes.protobuf,application/json'};
	const configMap = (name: string, value: string) => body('v1', 'ConfigMap', [...ld(1, ld(1, name)), ...mapEntry(2, 'key', value)]);

	test('protobuf creates and replaces a built-in object and is answered in JSON', async () => {
		const created = await rawRequest(t, '/api/v1/namespaces/canary/configmaps', {method: 'POST', headers: protobuf, body: configMap('pb', 'one')});
		assert.equal(created.status, 201);
		const cm = created.json();
		assert.deepEqual([cm.kind, cm.apiVersion, cm.metadata.name, cm.metadata.namespace, cm.data], ['ConfigMap', 'v1', 'pb', 'canary', {key: 'one'}]);
		const replaced = await rawRequest(t, '/api/v1/namespaces/canary/configmaps/pb', {method: 'PUT', headers: protobuf, body: configMap('pb', 'two')});
		assert.equal(replaced.status, 200);
		assert.deepEqual(t.sim.store.get('configmaps', 'canary', 'pb')!.data, {key: 'two'});
	});

	test('protobuf Scale on /scale (client-go\'s UpdateScale), zero replicas included; protobuf on /status is refused', async () => {
		const scale = (replicas: number) => body('autoscaling/v1', 'Scale', [...ld(1, [...ld(1, 'checkout'), ...ld(3, 'canary')]), ...ld(2, num(1, replicas))]);
		const path = '/apis/apps/v1/namespaces/canary/deployments/checkout';
		const answered = await rawRequest(t, `${path}/scale`, {method: 'PUT', headers: protobuf, body: scale(0)});
		assert.equal(answered.status, 200);
		assert.deepEqual([answered.json().kind, answered.json().spec], ['Scale', {replicas: 0}]);
		assert.equal(t.sim.store.get('apps/deployments', 'canary', 'checkout')!.spec.replicas, 0);
		const status = await rawRequest(t, `${path}/status`, {method: 'PUT', headers: protobuf, body: body('apps/v1', 'Deployment', ld(1, ld(1, 'checkout')))});
		assert.equal(status.status, 415);
		assert.match(status.json().message, /accepted media types include: application\/json, application\/yaml$/);
		assert.ok(t.sim.store.get('apps/deployments', 'canary', 'checkout')!.status, 'the status is still there');
	});

	test('YAML is read too', async () => {
		const created = await rawRequest(t, '/api/v1/namespaces/canary/configmaps', {method: 'POST', headers: {'Content-Type': 'application/yaml'}, body: 'metadata:\n  name: from-yaml\ndata:\n  a: "1"\n'});
		assert.equal(created.status, 201);
		assert.deepEqual(t.sim.store.get('configmaps', 'canary', 'from-yaml')!.data, {a: '1'});
	});

	test('a malformed body, protobuf for a custom resource, or another media type is refused and changes nothing', async () => {
		const before = t.sim.store.resourceVersion;
		const malformed = await rawRequest(t, '/api/v1/namespaces/canary/configmaps', {method: 'POST', headers: protobuf, body: Uint8Array.from([0x6b, 0x38, 0x73, 0x00, 0x0a, 0x40, 0x01])});
		assert.equal(malformed.status, 400);
		assert.match(malformed.json().message, /^the protobuf body cannot be read: a length-delimited field of 64 bytes runs past the end of its message at runtime\.Unknown/);
		const wrongKind = await rawRequest(t, '/api/v1/namespaces/canary/secrets', {method: 'POST', headers: protobuf, body: configMap('nope', 'x')});
		assert.ok(wrongKind.status === 400 || wrongKind.status === 404, `a ConfigMap posted as a Secret: ${wrongKind.status}`);
		const custom = await rawRequest(t, '/apis/networking.istio.io/v1/namespaces/canary/virtualservices', {method: 'POST', headers: protobuf, body: configMap('vs', 'x')});
		assert.equal(custom.status, 415);
		assert.equal(custom.json().message, 'the body of the request was in an unknown format - accepted media types include: application/json, application/yaml');
		// A cross-site form post from a browser comes as text/plain.
		const text = await rawRequest(t, '/api/v1/namespaces/canary/configmaps', {method: 'POST', headers: {'Content-Type': 'text/plain'}, body: JSON.stringify({metadata: {name: 'text'}})});
		assert.equal(text.status, 415);
		assert.equal(text.json().message, 'the body of the request was in an unknown format - accepted media types include: application/json, application/yaml, application/vnd.kubernetes.protobuf');
		const badYaml = await rawRequest(t, '/api/v1/namespaces/canary/configmaps', {method: 'POST', headers: {'Content-Type': 'application/yaml'}, body: 'metadata: [unclosed'});
		assert.equal(badYaml.status, 400);
		assert.match(badYaml.json().message, /^the request body is not valid YAML/);
		// Controllers may have written in between; none of the refused requests did.
		for (const key of ['configmaps', 'networking.istio.io/virtualservices']) assert.deepEqual(t.sim.store.changesSince(key, before), [], key);
	});
});
