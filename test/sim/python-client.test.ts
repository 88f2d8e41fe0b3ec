// Debian's python3-kubernetes against the sim: its typed lists read, and its watch (which sends watch=True)
// sees ADDED and MODIFIED events.
import assert from 'node:assert/strict';
import {spawn, type ChildProcessWithoutNullStreams} from 'node:child_process';
import {existsSync} from 'node:fs';
import {after, before, describe, test} from 'node:test';
import {KubeClient} from '../../source/kube/client.js';
import {startTestSim, waitFor, type TestSim} from '../helpers/sim.js';

// /usr/bin/python3 is Debian's, with python3-kubernetes; the first python3 on PATH may be another build without it.
const python = '/usr/bin/python3';

const script = String.raw`
import json, sys
from kubernetes import client, config, watch

config.load_kube_config(config_file=sys.argv[1])
namespace = sys.argv[2]
apps = client.AppsV1Api()
core = client.CoreV1Api()

def say(**fields):
    print(json.dumps(fields), flush=True)

deployments = apps.list_namespaced_deployment(namespace)
say(what="deployments", names=sorted(d.metadata.name for d in deployments.items),
    replicas={d.metadata.name: d.spec.replicas for d in deployments.items},
    images={d.metadata.name: d.spec.template.spec.containers[0].image for d in deployments.items})
pods = core.list_namespaced_pod(namespace, label_selector="app=checkout")
say(what="pods", count=len(pods.items), phases=sorted(set(p.status.phase for p in pods.items)))

configmaps = core.list_namespaced_config_map(namespace)
say(what="watching", resourceVersion=configmaps.metadata.resource_version)
seen = set()
for event in watch.Watch().stream(core.list_namespaced_config_map, namespace, resource_version=configmaps.metadata.resource_version, timeout_seconds=60):
    cm = event["object"]
    say(what="event", type=event["type"], name=cm.metadata.name, data=cm.data)
    seen.add(event["type"])
    if {"ADDED", "MODIFIED"} <= seen:
        break
`;

describe('python3-kubernetes against the sim', {skip: existsSync(python) ? false : `${python} is not here`}, () => {
	let t: TestSim;
	let child: ChildProcessWithoutNullStreams | undefined;
	before(async () => {
		t = await startTestSim({scenario: 'canary'});
		await waitFor('the canary pods to run', () => t.sim.store.list('pods', 'canary').filter(p => p.status?.phase === 'Running').length >= 6);
	});
	after(async () => {
		if (child?.exitCode === null) child.kill();
		await t.stop();
	});

	test('lists typed objects and watches (watch=True) ADDED and MODIFIED', async () => {
		const lines: any[] = [];
		let stderr = '';
		const proc = spawn(python, ['-c', script, t.kubeconfigPath, 'canary'], {env: {...process.env, PYTHONDONTWRITEBYTECODE: '1'}});
		child = proc;
		let buffered = '';
		proc.stdout.on('data', d => {
			buffered += String(d);
			for (let nl = buffered.indexOf('\n'); nl >= 0; nl = buffered.indexOf('\n')) {
				lines.push(JSON.parse(buffered.slice(0, nl)));
				buffered = buffered.slice(nl + 1);
			}
		});
		proc.stderr.on('data', d => (stderr += String(d)));
		const exited = new Promise<number | null>(resolve => proc.on('exit', code => resolve(code)));

		await waitFor('the python watch to start', () => lines.some(l => l.what === 'watching') || proc.exitCode !== null, 30_000);
		assert.ok(lines.some(l => l.what === 'watching'), `python stopped: ${stderr}`);
		assert.deepEqual(lines.find(l => l.what === 'deployments'), {
			what: 'deployments',
			names: ['checkout', 'checkout-canary'],
			replicas: {'checkout': 4, 'checkout-canary': 2},
			images: {'checkout': 'registry.local/checkout:1.2.3', 'checkout-canary': 'registry.local/checkout:1.3.0'},
		});
		assert.deepEqual(lines.find(l => l.what === 'pods'), {what: 'pods', count: 6, phases: ['Running']});

		const client = KubeClient.load({kubeconfig: t.kubeconfigPath});
		await client.request('POST', '/api/v1/namespaces/canary/configmaps', {body: {metadata: {name: 'from-node'}, data: {step: 'one'}}});
		await client.request('PATCH', '/api/v1/namespaces/canary/configmaps/from-node', {contentType: 'application/merge-patch+json', body: {data: {step: 'two'}}});
		assert.equal(await exited, 0, stderr);
		assert.deepEqual(lines.filter(l => l.what === 'event'), [
			{what: 'event', type: 'ADDED', name: 'from-node', data: {step: 'one'}},
			{what: 'event', type: 'MODIFIED', name: 'from-node', data: {step: 'two'}},
		]);
	});
});
