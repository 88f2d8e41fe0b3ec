import {describe, it} from 'node:test';
import assert from 'node:assert/strict';
import type {KObject} from '../../source/sim/object.js';
import {resourceByKey, type Resource} from '../../source/sim/resources.js';
import {humanDuration, toTable} from '../../source/sim/table.js';

const now = Date.parse('2026-03-01T12:00:00Z');
const ago = (ms: number) => new Date(now - ms).toISOString().replace('.000Z', 'Z');
const S = 1000;
const M = 60 * S;
const H = 60 * M;
const D = 24 * H;

type Table = {
	kind: string;
	apiVersion: string;
	metadata: {resourceVersion: string; continue?: string};
	columnDefinitions: Array<{name: string; type: string; format: string; description: string; priority: number}>;
	rows: Array<{cells: unknown[]; conditions?: unknown[]; object?: any}>;
};

const table = (key: string, objects: KObject[], extra: Partial<Parameters<typeof toTable>[2]> = {}) =>
	toTable(resourceByKey(key), objects, {now, resourceVersion: '77', ...extra}) as unknown as Table;
const names = (t: Table) => t.columnDefinitions.map(c => c.name);
const wideNames = (t: Table) => t.columnDefinitions.filter(c => c.priority === 1).map(c => c.name);
const cellsOf = (key: string, o: KObject) => table(key, [o]).rows[0]!.cells;

function pod(name: string, status: Record<string, unknown>, spec: Record<string, unknown> = {}, meta: Record<string, unknown> = {}): KObject {
	return {
		apiVersion: 'v1',
		kind: 'Pod',
		metadata: {name, namespace: 'shop', uid: `uid-${name}`, resourceVersion: '5', creationTimestamp: ago(10 * M), labels: {app: 'web'}, ...meta},
		spec: {containers: [{name: 'web', image: 'shop/web:1.2.0'}], ...spec},
		status,
	};
}

const running = (name = 'web', extra: Record<string, unknown> = {}) => ({
	name,
	ready: true,
	restartCount: 0,
	started: true,
	state: {running: {startedAt: ago(9 * M)}},
	...extra,
});

describe('humanDuration', () => {
	const cases: Array<[number, string]> = [
		[-5 * S, '<invalid>'],
		[-2 * S, '<invalid>'],
		[-1.5 * S, '0s'],
		[-500, '0s'],
		[0, '0s'],
		[999, '0s'],
		[1 * S, '1s'],
		[59 * S, '59s'],
		[60 * S, '60s'],
		[119 * S, '119s'],
		[2 * M, '2m'],
		[2 * M + 30 * S, '2m30s'],
		[5 * M, '5m'],
		[5 * M + 30 * S, '5m30s'],
		[9 * M + 59 * S, '9m59s'],
		[10 * M, '10m'],
		[10 * M + 30 * S, '10m'],
		[179 * M, '179m'],
		[3 * H, '3h'],
		[3 * H + 10 * M, '3h10m'],
		[7 * H + 59 * M, '7h59m'],
		[8 * H, '8h'],
		[8 * H + 30 * M, '8h'],
		[47 * H, '47h'],
		[48 * H, '2d'],
		[2 * D + 3 * H, '2d3h'],
		[7 * D + 23 * H, '7d23h'],
		[8 * D, '8d'],
		[30 * D, '30d'],
		[729 * D, '729d'],
		[730 * D, '2y'],
		[760 * D, '2y30d'],
		[8 * 365 * D - H, '7y364d'],
		[8 * 365 * D, '8y'],
		[3700 * D, '10y'],
	];
	for (const [ms, want] of cases) {
		it(`${ms}ms -> ${want}`, () => assert.equal(humanDuration(ms), want));
	}
});

describe('toTable shape', () => {
	it('returns a meta.k8s.io/v1 Table with metadata and a PartialObjectMetadata per row', () => {
		const p = pod('web-1', {phase: 'Running', containerStatuses: [running()]});
		const t = table('pods', [p], {continueToken: 'c1'});
		assert.equal(t.kind, 'Table');
		assert.equal(t.apiVersion, 'meta.k8s.io/v1');
		assert.deepEqual(t.metadata, {resourceVersion: '77', continue: 'c1'});
		assert.equal(t.rows.length, 1);
		assert.deepEqual(t.rows[0]!.object, {kind: 'PartialObjectMetadata', apiVersion: 'meta.k8s.io/v1', metadata: p.metadata});
		// The row's metadata is a copy
		assert.notEqual(t.rows[0]!.object.metadata, p.metadata);
		for (const c of t.columnDefinitions) {
			assert.deepEqual(Object.keys(c).sort(), ['description', 'format', 'name', 'priority', 'type']);
			assert.equal(typeof c.description, 'string');
		}
		assert.deepEqual(
			t.columnDefinitions.filter(c => c.format === 'name').map(c => c.name),
			['Name'],
		);
	});

	it('omits continue when there is no token, and rows when there are no objects', () => {
		const t = table('pods', []);
		assert.deepEqual(t.metadata, {resourceVersion: '77'});
		assert.deepEqual(t.rows, []);
		assert.equal(t.columnDefinitions.length, 9);
	});

	it('embeds the full object with includeObject=Object, and nothing with None', () => {
		const p = pod('web-1', {phase: 'Running'});
		const full = table('pods', [p], {includeObject: 'Object'}).rows[0]!.object;
		assert.deepEqual(full, p);
		const bare = {metadata: {name: 'cm', creationTimestamp: ago(S)}, data: {a: '1'}};
		assert.deepEqual(table('configmaps', [bare], {includeObject: 'Object'}).rows[0]!.object, {...bare, apiVersion: 'v1', kind: 'ConfigMap'});
		const none = table('pods', [p], {includeObject: 'None'}).rows[0]!;
		assert.equal('object' in none, false);
		assert.equal(none.cells.length, 9);
	});
});

describe('Pod rows', () => {
	it('has kubectl columns, the last four only with -o wide', () => {
		const t = table('pods', []);
		assert.deepEqual(names(t), ['Name', 'Ready', 'Status', 'Restarts', 'Age', 'IP', 'Node', 'Nominated Node', 'Readiness Gates']);
		assert.deepEqual(wideNames(t), ['IP', 'Node', 'Nominated Node', 'Readiness Gates']);
	});

	it('shows a running pod', () => {
		const p = pod('web-1', {phase: 'Running', podIP: '10.1.0.4', containerStatuses: [running()]}, {nodeName: 'node-a'});
		assert.deepEqual(cellsOf('pods', p), ['web-1', '1/1', 'Running', '0', '10m', '10.1.0.4', 'node-a', '<none>', '<none>']);
	});

	it('shows CrashLoopBackOff and restarts with the time of the last one', () => {
		const p = pod(
			'web-crash',
			{
				phase: 'Running',
				podIPs: [{ip: '10.1.0.9'}],
				containerStatuses: [
					{
						name: 'web',
						ready: false,
						restartCount: 3,
						state: {waiting: {reason: 'CrashLoopBackOff', message: 'back-off 40s restarting failed container'}},
						lastState: {terminated: {exitCode: 1, reason: 'Error', finishedAt: ago(25 * S)}},
					},
				],
			},
			{nodeName: 'node-a'},
		);
		const cells = cellsOf('pods', p);
		assert.equal(cells[1], '0/1');
		assert.equal(cells[2], 'CrashLoopBackOff');
		assert.equal(cells[3], '3 (25s ago)');
		assert.equal(cells[5], '10.1.0.9');
	});

	it('shows restarts as a bare number when no termination time is known', () => {
		const p = pod('web-r', {phase: 'Running', containerStatuses: [running('web', {restartCount: 2})]});
		assert.equal(cellsOf('pods', p)[3], '2');
	});

	it('shows waiting, terminated and pending states', () => {
		const creating = pod('web-c', {phase: 'Pending', containerStatuses: [{name: 'web', ready: false, restartCount: 0, state: {waiting: {reason: 'ContainerCreating'}}}]});
		assert.deepEqual(cellsOf('pods', creating).slice(1, 4), ['0/1', 'ContainerCreating', '0']);
		const pending = pod('web-p', {phase: 'Pending'});
		assert.deepEqual(cellsOf('pods', pending).slice(1, 3), ['0/1', 'Pending']);
		const oom = pod('web-o', {phase: 'Running', containerStatuses: [{name: 'web', ready: false, restartCount: 0, state: {terminated: {exitCode: 137, reason: 'OOMKilled'}}}]});
		assert.equal(cellsOf('pods', oom)[2], 'OOMKilled');
		const exit = pod('web-e', {phase: 'Running', containerStatuses: [{name: 'web', ready: false, restartCount: 0, state: {terminated: {exitCode: 2}}}]});
		assert.equal(cellsOf('pods', exit)[2], 'ExitCode:2');
		const evicted = pod('web-v', {phase: 'Failed', reason: 'Evicted'});
		const t = table('pods', [evicted]);
		assert.equal(t.rows[0]!.cells[2], 'Evicted');
		assert.deepEqual(t.rows[0]!.conditions, [{type: 'Completed', status: 'True', reason: 'Failed', message: 'The pod failed.'}]);
	});

	it('counts ready containers across several', () => {
		const p = pod(
			'web-2',
			{phase: 'Running', containerStatuses: [running('web'), running('proxy', {ready: false})]},
			{containers: [{name: 'web', image: 'a'}, {name: 'proxy', image: 'b'}]},
		);
		assert.deepEqual(cellsOf('pods', p).slice(1, 3), ['1/2', 'Running']);
	});

	it('shows Terminating once deletionTimestamp is set', () => {
		const p = pod('web-t', {phase: 'Running', containerStatuses: [running()]}, {}, {deletionTimestamp: ago(2 * S)});
		assert.equal(cellsOf('pods', p)[2], 'Terminating');
		const done = pod('web-d', {phase: 'Succeeded'}, {}, {deletionTimestamp: ago(2 * S)});
		assert.equal(cellsOf('pods', done)[2], 'Succeeded');
	});

	it('shows init container progress and failures', () => {
		const spec = {initContainers: [{name: 'migrate', image: 'm'}]};
		const waiting = pod('web-i', {phase: 'Pending', initContainerStatuses: [{name: 'migrate', ready: false, restartCount: 0, state: {waiting: {reason: 'PodInitializing'}}}]}, spec);
		assert.deepEqual(cellsOf('pods', waiting).slice(1, 3), ['0/1', 'Init:0/1']);
		const running1 = pod('web-i2', {phase: 'Pending', initContainerStatuses: [{name: 'migrate', ready: false, restartCount: 0, state: {running: {}}}]}, spec);
		assert.equal(cellsOf('pods', running1)[2], 'Init:0/1');
		const crash = pod(
			'web-i3',
			{phase: 'Pending', initContainerStatuses: [{name: 'migrate', ready: false, restartCount: 4, state: {waiting: {reason: 'CrashLoopBackOff'}}, lastState: {terminated: {exitCode: 1, finishedAt: ago(90 * S)}}}]},
			spec,
		);
		assert.deepEqual(cellsOf('pods', crash).slice(2, 4), ['Init:CrashLoopBackOff', '4 (90s ago)']);
		const failed = pod('web-i4', {phase: 'Pending', initContainerStatuses: [{name: 'migrate', ready: false, restartCount: 0, state: {terminated: {exitCode: 3}}}]}, spec);
		assert.equal(cellsOf('pods', failed)[2], 'Init:ExitCode:3');
		const done = pod(
			'web-i5',
			{
				phase: 'Running',
				conditions: [{type: 'Initialized', status: 'True'}, {type: 'Ready', status: 'True'}],
				initContainerStatuses: [{name: 'migrate', ready: false, restartCount: 0, state: {terminated: {exitCode: 0, reason: 'Completed'}}}],
				containerStatuses: [running()],
			},
			spec,
		);
		assert.deepEqual(cellsOf('pods', done).slice(1, 3), ['1/1', 'Running']);
	});

	it('counts a started sidecar (restartable init container) as a container', () => {
		const p = pod(
			'web-s',
			{
				phase: 'Running',
				initContainerStatuses: [{name: 'mesh', ready: true, started: true, restartCount: 1, state: {running: {}}, lastState: {terminated: {exitCode: 1, finishedAt: ago(5 * M)}}}],
				containerStatuses: [running()],
			},
			{initContainers: [{name: 'mesh', image: 'envoy', restartPolicy: 'Always'}]},
		);
		assert.deepEqual(cellsOf('pods', p).slice(1, 4), ['2/2', 'Running', '1 (5m ago)']);
	});

	it('shows readiness gates', () => {
		const p = pod(
			'web-g',
			{phase: 'Running', containerStatuses: [running()], conditions: [{type: 'example.com/lb', status: 'True'}]},
			{readinessGates: [{conditionType: 'example.com/lb'}, {conditionType: 'example.com/dns'}]},
		);
		assert.equal(cellsOf('pods', p)[8], '1/2');
	});
});

describe('Deployment and ReplicaSet rows', () => {
	const template = {metadata: {labels: {app: 'web'}}, spec: {containers: [{name: 'web', image: 'shop/web:1.3.0'}, {name: 'proxy', image: 'envoy:1.30'}]}};

	it('shows a deployment as kubectl does', () => {
		const d: KObject = {
			apiVersion: 'apps/v1',
			kind: 'Deployment',
			metadata: {name: 'web', namespace: 'shop', creationTimestamp: ago(2 * D + 3 * H)},
			spec: {replicas: 4, selector: {matchLabels: {app: 'web'}, matchExpressions: [{key: 'track', operator: 'NotIn', values: ['canary']}]}, template},
			status: {replicas: 5, updatedReplicas: 2, readyReplicas: 3, availableReplicas: 3},
		};
		const t = table('apps/deployments', [d]);
		assert.deepEqual(names(t), ['Name', 'Ready', 'Up-to-date', 'Available', 'Age', 'Containers', 'Images', 'Selector']);
		assert.deepEqual(wideNames(t), ['Containers', 'Images', 'Selector']);
		assert.deepEqual(t.rows[0]!.cells, ['web', '3/4', 2, 3, '2d3h', 'web,proxy', 'shop/web:1.3.0,envoy:1.30', 'app=web,track notin (canary)']);
	});

	it('shows zeroes for a deployment without status', () => {
		const d: KObject = {metadata: {name: 'new', creationTimestamp: ago(3 * S)}, spec: {replicas: 2, selector: {matchLabels: {app: 'new'}}, template}};
		assert.deepEqual(cellsOf('apps/deployments', d).slice(0, 5), ['new', '0/2', 0, 0, '3s']);
	});

	it('shows a replica set as kubectl does', () => {
		const rs: KObject = {
			metadata: {name: 'web-7d9f8b6c5', namespace: 'shop', creationTimestamp: ago(45 * M)},
			spec: {replicas: 3, selector: {matchLabels: {app: 'web', 'pod-template-hash': '7d9f8b6c5'}}, template},
			status: {replicas: 3, readyReplicas: 1},
		};
		const t = table('apps/replicasets', [rs]);
		assert.deepEqual(names(t), ['Name', 'Desired', 'Current', 'Ready', 'Age', 'Containers', 'Images', 'Selector']);
		assert.deepEqual(t.rows[0]!.cells, ['web-7d9f8b6c5', 3, 3, 1, '45m', 'web,proxy', 'shop/web:1.3.0,envoy:1.30', 'app=web,pod-template-hash=7d9f8b6c5']);
		const empty: KObject = {metadata: {name: 'x', creationTimestamp: ago(M)}, spec: {replicas: 0, template}};
		assert.deepEqual(cellsOf('apps/replicasets', empty).slice(1, 4), [0, 0, 0]);
		assert.equal(cellsOf('apps/replicasets', empty)[7], '<none>');
	});
});

describe('Service rows', () => {
	it('shows ClusterIP, NodePort and LoadBalancer services', () => {
		const base = {metadata: {name: 'web', namespace: 'shop', creationTimestamp: ago(90 * S)}};
		const clusterIP: KObject = {...base, spec: {type: 'ClusterIP', clusterIP: '10.96.0.12', clusterIPs: ['10.96.0.12'], selector: {app: 'web', tier: 'fe'}, ports: [{port: 80, protocol: 'TCP', targetPort: 8080}, {port: 9090, protocol: 'UDP'}]}};
		const t = table('services', [clusterIP]);
		assert.deepEqual(names(t), ['Name', 'Type', 'Cluster-IP', 'External-IP', 'Port(s)', 'Age', 'Selector']);
		assert.deepEqual(wideNames(t), ['Selector']);
		assert.deepEqual(t.rows[0]!.cells, ['web', 'ClusterIP', '10.96.0.12', '<none>', '80/TCP,9090/UDP', '90s', 'app=web,tier=fe']);

		const nodePort: KObject = {...base, spec: {type: 'NodePort', clusterIP: '10.96.0.13', ports: [{port: 80, nodePort: 30080, protocol: 'TCP'}]}};
		assert.deepEqual(cellsOf('services', nodePort), ['web', 'NodePort', '10.96.0.13', '<none>', '80:30080/TCP', '90s', '<none>']);

		const lbPending: KObject = {...base, spec: {type: 'LoadBalancer', clusterIP: '10.96.0.14', ports: [{port: 443, nodePort: 31443, protocol: 'TCP'}]}};
		assert.equal(cellsOf('services', lbPending)[3], '<pending>');
		const lb: KObject = {...lbPending, status: {loadBalancer: {ingress: [{ip: '203.0.113.5'}]}}};
		assert.equal(cellsOf('services', lb)[3], '203.0.113.5');

		const headless: KObject = {...base, spec: {clusterIP: 'None', clusterIPs: ['None'], ports: []}};
		assert.deepEqual(cellsOf('services', headless).slice(1, 5), ['ClusterIP', 'None', '<none>', '<none>']);
	});
});

describe('Event rows', () => {
	const ev: KObject = {
		apiVersion: 'v1',
		kind: 'Event',
		metadata: {name: 'web-1.17f3a', namespace: 'shop', creationTimestamp: ago(10 * M)},
		involvedObject: {kind: 'Pod', name: 'web-1', namespace: 'shop', fieldPath: 'spec.containers{web}'},
		reason: 'BackOff',
		message: 'Back-off restarting failed container web in pod web-1\n',
		type: 'Warning',
		source: {component: 'kubelet', host: 'node-a'},
		firstTimestamp: ago(10 * M),
		lastTimestamp: ago(30 * S),
		count: 7,
	};

	it('has the kubectl event columns', () => {
		const t = table('events', [ev]);
		assert.deepEqual(names(t), ['Last Seen', 'Type', 'Reason', 'Object', 'Subobject', 'Source', 'Message', 'First Seen', 'Count', 'Name']);
		assert.deepEqual(
			t.columnDefinitions.filter(c => c.priority === 0).map(c => c.name),
			['Last Seen', 'Type', 'Reason', 'Object', 'Message'],
		);
		assert.equal(t.columnDefinitions.find(c => c.name === 'Name')!.format, 'name');
		assert.deepEqual(t.rows[0]!.cells, [
			'30s',
			'Warning',
			'BackOff',
			'pod/web-1',
			'spec.containers{web}',
			'kubelet, node-a',
			'Back-off restarting failed container web in pod web-1',
			'10m',
			7,
			'web-1.17f3a',
		]);
	});

	it('falls back to eventTime, series and reporting fields', () => {
		const newStyle: KObject = {
			metadata: {name: 'web.1', namespace: 'shop'},
			involvedObject: {kind: 'Deployment', name: 'web'},
			reason: 'ScalingReplicaSet',
			message: 'Scaled up replica set web-abc to 3',
			type: 'Normal',
			eventTime: '2026-03-01T11:55:00.123456Z',
			reportingComponent: 'deployment-controller',
			series: {count: 4, lastObservedTime: ago(20 * S)},
		};
		const cells = cellsOf('events', newStyle);
		assert.deepEqual(cells, ['20s', 'Normal', 'ScalingReplicaSet', 'deployment/web', '', 'deployment-controller', 'Scaled up replica set web-abc to 3', '4m59s', 4, 'web.1']);
		const single: KObject = {metadata: {name: 'x'}, involvedObject: {kind: 'Node'}, firstTimestamp: ago(2 * H)};
		assert.deepEqual(cellsOf('events', single).slice(0, 4), ['120m', '', '', 'node']);
		assert.equal(cellsOf('events', single)[8], 1);
	});

	it('prints events.k8s.io events with the same columns', () => {
		const t = toTable(resourceByKey('events.k8s.io/events'), [ev], {now, resourceVersion: '1'}) as unknown as Table;
		assert.equal(t.rows[0]!.cells[3], 'pod/web-1');
	});
});

describe('Other built-in kinds', () => {
	it('Namespace: Name, Status, Age', () => {
		const t = table('namespaces', [{metadata: {name: 'shop', creationTimestamp: ago(40 * D)}, status: {phase: 'Active'}}]);
		assert.deepEqual(names(t), ['Name', 'Status', 'Age']);
		assert.deepEqual(t.rows[0]!.cells, ['shop', 'Active', '40d']);
	});

	it('Endpoints: Name, Endpoints, Age', () => {
		const ep: KObject = {
			metadata: {name: 'web', namespace: 'shop', creationTimestamp: ago(5 * M)},
			subsets: [{addresses: [{ip: '10.1.0.4'}, {ip: '10.1.0.5'}, {ip: '10.1.0.6'}, {ip: '10.1.0.7'}], ports: [{port: 8080, protocol: 'TCP'}]}],
		};
		const t = table('endpoints', [ep]);
		assert.deepEqual(names(t), ['Name', 'Endpoints', 'Age']);
		assert.deepEqual(t.rows[0]!.cells, ['web', '10.1.0.4:8080,10.1.0.5:8080,10.1.0.6:8080 + 1 more...', '5m']);
		assert.equal(cellsOf('endpoints', {metadata: {name: 'none'}})[1], '<none>');
		assert.equal(cellsOf('endpoints', {metadata: {name: 'v6'}, subsets: [{addresses: [{ip: 'fd00::1'}], ports: [{port: 80}]}]})[1], '[fd00::1]:80');
		assert.equal(cellsOf('endpoints', {metadata: {name: 'none'}})[2], '<unknown>');
	});

	it('ConfigMap: Name, Data, Age', () => {
		const t = table('configmaps', [{metadata: {name: 'cfg', creationTimestamp: ago(3 * H + 10 * M)}, data: {a: '1', b: '2'}, binaryData: {c: 'AA=='}}]);
		assert.deepEqual(names(t), ['Name', 'Data', 'Age']);
		assert.deepEqual(t.rows[0]!.cells, ['cfg', 3, '3h10m']);
	});

	it('Ingress: Name, Class, Hosts, Address, Ports, Age', () => {
		const ing: KObject = {
			metadata: {name: 'web', namespace: 'shop', creationTimestamp: ago(6 * M)},
			spec: {ingressClassName: 'nginx', rules: [{host: 'shop.example.com'}, {host: 'www.example.com'}], tls: [{hosts: ['shop.example.com']}]},
			status: {loadBalancer: {ingress: [{ip: '192.0.2.10'}, {hostname: 'lb.example.com'}]}},
		};
		const t = table('networking.k8s.io/ingresses', [ing]);
		assert.deepEqual(names(t), ['Name', 'Class', 'Hosts', 'Address', 'Ports', 'Age']);
		assert.deepEqual(t.rows[0]!.cells, ['web', 'nginx', 'shop.example.com,www.example.com', '192.0.2.10,lb.example.com', '80, 443', '6m']);
		const bare: KObject = {metadata: {name: 'b', creationTimestamp: ago(6 * M)}, spec: {rules: [{http: {}}]}};
		assert.deepEqual(cellsOf('networking.k8s.io/ingresses', bare), ['b', '<none>', '*', '', '80', '6m']);
	});

	it('anything else: Name, Age', () => {
		const t = table('authorization.k8s.io/selfsubjectaccessreviews', [{metadata: {name: 'x', creationTimestamp: ago(S)}}]);
		assert.deepEqual(names(t), ['Name', 'Age']);
		assert.deepEqual(t.rows[0]!.cells, ['x', '1s']);
	});
});

describe('Custom resources', () => {
	it('uses the printer columns after Name (Age is one of them), rendering arrays like kubectl', () => {
		const vs: KObject = {
			apiVersion: 'networking.istio.io/v1',
			kind: 'VirtualService',
			metadata: {name: 'web', namespace: 'shop', creationTimestamp: ago(12 * M)},
			spec: {hosts: ['web', 'web.shop.svc.cluster.local'], http: []},
		};
		const t = table('networking.istio.io/virtualservices', [vs]);
		assert.deepEqual(names(t), ['Name', 'Gateways', 'Hosts', 'Age']);
		assert.deepEqual(t.rows[0]!.cells, ['web', null, '["web","web.shop.svc.cluster.local"]', '12m']);
		assert.equal(t.columnDefinitions[0]!.format, 'name');
	});

	it('renders scalar values and a CRD without printer columns', () => {
		const dr: KObject = {metadata: {name: 'web', creationTimestamp: ago(M)}, spec: {host: 'web.shop.svc.cluster.local'}};
		assert.deepEqual(cellsOf('networking.istio.io/destinationrules', dr), ['web', 'web.shop.svc.cluster.local', '60s']);
		const ts: KObject = {metadata: {name: 't', creationTimestamp: ago(M)}};
		assert.deepEqual(names(table('traefik.io/traefikservices', [ts])), ['Name', 'Age']);
	});

	it('evaluates typed columns and indexed paths', () => {
		const r: Resource = {
			group: 'example.com',
			versions: ['v1'],
			plural: 'widgets',
			singular: 'widget',
			kind: 'Widget',
			namespaced: true,
			builtin: false,
			printerColumns: [
				{name: 'Replicas', jsonPath: '.spec.replicas', type: 'integer'},
				{name: 'Paused', jsonPath: '.spec.paused', type: 'boolean'},
				{name: 'Phase', jsonPath: '.status.conditions[0].type'},
				{name: 'Team', jsonPath: ".metadata.labels['example.com/team']"},
				{name: 'Started', jsonPath: '.status.startedAt', type: 'date'},
				{name: 'Weights', jsonPath: '.spec.weights'},
				{name: 'Age', jsonPath: '.metadata.creationTimestamp', type: 'date'},
			],
		};
		const w: KObject = {
			metadata: {name: 'w', creationTimestamp: ago(H), labels: {'example.com/team': 'payments'}},
			spec: {replicas: 3, paused: false, weights: {b: 20, a: 80}},
			status: {conditions: [{type: 'Ready'}], startedAt: ago(5 * M)},
		};
		const t = toTable(r, [w], {now, resourceVersion: '9'}) as unknown as Table;
		assert.deepEqual(t.columnDefinitions.map(c => [c.name, c.type]), [
			['Name', 'string'],
			['Replicas', 'integer'],
			['Paused', 'boolean'],
			['Phase', 'string'],
			['Team', 'string'],
			['Started', 'date'],
			['Weights', 'string'],
			['Age', 'date'],
		]);
		assert.deepEqual(t.rows[0]!.cells, ['w', 3, false, 'Ready', 'payments', '5m', '{"a":80,"b":20}', '60m']);
	});

	it('declared columns replace the default Age; filters and wildcards give their first value', () => {
		const gw: KObject = {
			metadata: {name: 'public', creationTimestamp: ago(H)},
			spec: {gatewayClassName: 'istio'},
			status: {addresses: [{value: '192.0.2.7'}, {value: '192.0.2.8'}], conditions: [{type: 'Accepted', status: 'True'}, {type: 'Programmed', status: 'False'}]},
		};
		const t = table('gateway.networking.k8s.io/gateways', [gw]);
		assert.deepEqual(names(t), ['Name', 'Class', 'Address', 'Programmed', 'Age']);
		assert.deepEqual(t.rows[0]!.cells, ['public', 'istio', '192.0.2.7', 'False', '60m']);
		const r: Resource = {group: 'example.com', versions: ['v1'], plural: 'gadgets', singular: 'gadget', kind: 'Gadget', namespaced: true, builtin: false, printerColumns: [{name: 'Size', jsonPath: '.spec.size', type: 'integer'}]};
		const g = toTable(r, [{metadata: {name: 'g', creationTimestamp: ago(H)}, spec: {size: 2}}], {now, resourceVersion: '1'}) as unknown as Table;
		assert.deepEqual(names(g), ['Name', 'Size']);
		assert.deepEqual(g.rows[0]!.cells, ['g', 2]);
	});
});
