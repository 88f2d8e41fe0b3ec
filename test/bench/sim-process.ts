// A still simulated cluster in its own process, for benchmarks: waits until every pod is ready, adds
// `events` Events to the namespace (about its pods, as a busy namespace holds them), makes the release
// `ageHours` old (its Deployments, ReplicaSets and pods, as a fleet between rollouts is), writes its
// kubeconfig and then prints its URL.
import {writeFileSync} from 'node:fs';
import {startSim} from '../../source/sim/cluster.js';
import {nowIso} from '../../source/sim/object.js';

const [scenario = 'canary', pods = '1000', kubeconfigPath = '/tmp/rollscope-bench.kubeconfig', events = '0', ageHours = '0'] = process.argv.slice(2);
const sim = await startSim({scenario, pods: Number(pods), still: true, speed: 20});
const namespace = sim.scenarios[0]!.namespace;
const ready = () => sim.store.list('pods', namespace).filter(p => (p.status?.conditions ?? []).some((c: {type?: string; status?: string}) => c.type === 'Ready' && c.status === 'True')).length;
for (let i = 0; i < 3000 && ready() < Number(pods); i++) await new Promise(r => setTimeout(r, 100));

const podNames = sim.store.list('pods', namespace).map(p => p.metadata.name!);
const reasons = [
	['Normal', 'Pulled', 'Container image "registry.local/checkout:1.2.3" already present on machine'],
	['Normal', 'Created', 'Created container: checkout'],
	['Normal', 'Started', 'Started container checkout'],
	['Warning', 'Unhealthy', 'Readiness probe failed: HTTP probe failed with statuscode: 503'],
] as const;
const started = Date.now() - Number(events) * 100;
for (let i = 0; i < Number(events); i++) {
	const pod = podNames[i % podNames.length]!;
	const [type, reason, message] = reasons[i % reasons.length]!;
	const at = new Date(started + i * 100).toISOString().replace(/\.\d+Z$/, 'Z');
	sim.store.create('events', {
		apiVersion: 'v1',
		kind: 'Event',
		metadata: {name: `${pod}.bench${i.toString(16)}`, namespace},
		involvedObject: {kind: 'Pod', namespace, name: pod, uid: `bench-${i}`, apiVersion: 'v1', resourceVersion: '1', fieldPath: 'spec.containers{checkout}'},
		reason,
		message,
		source: {component: 'kubelet', host: 'sim-node-1'},
		firstTimestamp: at,
		lastTimestamp: at,
		count: 1,
		type,
		eventTime: null,
		reportingComponent: 'kubelet',
		reportingInstance: 'sim-node-1',
	});
}

// Backdated in place, against the store's rule that listed objects are not written: the API offers no way
// (creationTimestamp is the server's, as on a real one), and nothing has connected or watched yet.
const born = nowIso(Date.now() - Number(ageHours) * 3600_000);
if (Number(ageHours) > 0) for (const key of ['apps/deployments', 'apps/replicasets', 'pods']) for (const o of sim.store.list(key, namespace)) o.metadata.creationTimestamp = born;

writeFileSync(kubeconfigPath, sim.kubeconfig(namespace));
process.stdout.write(`${sim.url}\n`);
process.on('SIGTERM', () => void sim.stop().then(() => process.exit(0)));
