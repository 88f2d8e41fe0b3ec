// ServiceAccounts, Secrets, Jobs and HorizontalPodAutoscalers on the simulated cluster: the Job and
// HPA controllers in process (with a made-up CPU source), and each kind through the real kubectl.
import assert from 'node:assert/strict';
import {after, before, describe, test, type TestContext} from 'node:test';
import {SimClock} from '../../source/sim/clock.js';
import {startControllers, type PodCpuSource} from '../../source/sim/controllers/index.js';
import type {KObject} from '../../source/sim/object.js';
import {ObjectStore} from '../../source/sim/store.js';
import {withDefaults} from '../../source/sim/validation.js';
import {kubectlOk, startTestSim, waitFor, type TestSim} from '../helpers/sim.js';

const ns = 'work';

function setup(t: TestContext, cpu?: (clock: SimClock) => PodCpuSource) {
	const store = new ObjectStore();
	const clock = new SimClock(50);
	const controllers = startControllers(store, clock, cpu ? {podCpu: cpu(clock)} : {});
	t.after(() => {
		controllers.stop();
		clock.stop();
	});
	store.create('namespaces', {metadata: {name: ns}});
	const create = (key: string, o: KObject) => store.create(key, withDefaults(store.resources.byKey(key), o));
	return {store, clock, create};
}

const job = (name: string, spec: Record<string, unknown>, image = 'registry.local/batch:1.0', annotations: Record<string, string> = {}): KObject => ({
	apiVersion: 'batch/v1',
	kind: 'Job',
	metadata: {name, namespace: ns},
	spec: {...spec, template: {metadata: {annotations: {'sim.rollscope.dev/run-seconds': '1', ...annotations}}, spec: {restartPolicy: 'Never', containers: [{name: 'main', image}]}}},
});

const condition = (o: KObject | undefined, type: string) => o?.status?.conditions?.find((c: any) => c.type === type);

/** Wait until the object `get` returns passes `test`, and return it. */
async function waitObject(what: string, get: () => KObject | undefined, test: (o: KObject) => boolean, timeoutMs?: number): Promise<KObject> {
	return (await waitFor(what, () => {
		const o = get();
		return o && test(o) ? o : undefined;
	}, timeoutMs))!;
}

describe('the Job controller', () => {
	test('runs `completions` pods, `parallelism` at a time, to Complete; the pods end Succeeded', async t => {
		const {store, create} = setup(t);
		let most = 0;
		store.subscribe('batch/jobs', change => {
			most = Math.max(most, change.object.status?.active ?? 0);
		});
		const created = create('batch/jobs', job('count', {completions: 3, parallelism: 2}));
		const done = await waitObject('the Job to complete', () => store.get('batch/jobs', ns, 'count'), j => condition(j, 'Complete')?.status === 'True');
		assert.equal(most, 2, 'never more than parallelism pods at once');
		assert.equal(done.status.succeeded, 3);
		assert.equal(condition(done, 'SuccessCriteriaMet')?.reason, 'CompletionsReached');
		assert.ok(done.status.startTime && done.status.completionTime);
		const pods = store.list('pods', ns).filter(p => p.metadata.ownerReferences?.[0]?.uid === created.metadata.uid);
		assert.equal(pods.length, 3);
		for (const pod of pods) {
			assert.equal(pod.status.phase, 'Succeeded');
			assert.equal(pod.status.containerStatuses[0].state.terminated.reason, 'Completed');
			assert.equal(pod.metadata.labels?.['batch.kubernetes.io/job-name'], 'count');
			assert.equal(pod.metadata.labels?.['batch.kubernetes.io/controller-uid'], created.metadata.uid);
			assert.deepEqual(condition(pod, 'Ready'), {...condition(pod, 'Ready'), status: 'False', reason: 'PodCompleted'});
		}
		assert.deepEqual(created.spec.selector, {matchLabels: {'batch.kubernetes.io/controller-uid': created.metadata.uid}});
	});

	test('more failed pods than backoffLimit fail the Job', async t => {
		const {store, create} = setup(t);
		create('batch/jobs', job('flaky', {backoffLimit: 1}, 'registry.local/batch:fail'));
		const failed = await waitObject('the Job to fail', () => store.get('batch/jobs', ns, 'flaky'), j => condition(j, 'Failed')?.status === 'True');
		assert.equal(condition(failed, 'Failed')?.reason, 'BackoffLimitExceeded');
		assert.equal(failed.status.failed, 2);
		assert.equal(failed.status.succeeded, undefined);
		assert.equal(store.list('pods', ns).length, 2);
		assert.ok(store.list('pods', ns).every(p => p.status.phase === 'Failed' && p.status.containerStatuses[0].state.terminated.exitCode === 1));
	});

	test('an Indexed Job completes each index once; ttlSecondsAfterFinished then deletes it with its pods', async t => {
		const {store, create} = setup(t);
		const indexes: string[] = [];
		store.subscribe('pods', change => {
			if (change.type === 'ADDED') indexes.push(`${change.object.metadata.annotations?.['batch.kubernetes.io/job-completion-index']} ${change.object.metadata.generateName}`);
		});
		let done: KObject | undefined;
		store.subscribe('batch/jobs', change => {
			if (change.type === 'MODIFIED' && condition(change.object, 'Complete')?.status === 'True') done ??= change.object;
		});
		create('batch/jobs', job('shards', {completions: 3, parallelism: 3, completionMode: 'Indexed', ttlSecondsAfterFinished: 5}));
		await waitFor('the TTL to delete the Job and its pods', () => !store.get('batch/jobs', ns, 'shards') && store.list('pods', ns).length === 0);
		assert.ok(done, 'the Job completed before it was deleted');
		assert.equal(done.status.completedIndexes, '0-2');
		assert.equal(done.status.succeeded, 3);
		assert.deepEqual(indexes.sort(), ['0 shards-0-', '1 shards-1-', '2 shards-2-'], 'one pod per index');
	});

	test('a suspended Job runs no pods until it is resumed', async t => {
		const {store, create, clock} = setup(t);
		create('batch/jobs', job('later', {suspend: true}));
		await waitFor('Suspended', () => condition(store.get('batch/jobs', ns, 'later'), 'Suspended')?.status === 'True');
		await new Promise(r => setTimeout(r, clock.toMs(3)));
		assert.equal(store.list('pods', ns).length, 0);
		store.mutate('batch/jobs', ns, 'later', j => {
			j.spec.suspend = false;
		});
		await waitFor('the Job to complete', () => condition(store.get('batch/jobs', ns, 'later'), 'Complete')?.status === 'True');
		assert.equal(condition(store.get('batch/jobs', ns, 'later'), 'Suspended')?.reason, 'JobResumed');
	});
});

describe('the HorizontalPodAutoscaler controller', () => {
	const deployment = (name: string, replicas: number): KObject => ({
		apiVersion: 'apps/v1',
		kind: 'Deployment',
		metadata: {name, namespace: ns},
		spec: {replicas, selector: {matchLabels: {app: name}}, template: {metadata: {labels: {app: name}}, spec: {containers: [{name, image: 'registry.local/api:1.0', resources: {requests: {cpu: '200m'}}}]}}},
	});
	const hpa = (name: string, min: number, max: number, target?: number): KObject => ({
		apiVersion: 'autoscaling/v2',
		kind: 'HorizontalPodAutoscaler',
		metadata: {name, namespace: ns},
		spec: {
			scaleTargetRef: {apiVersion: 'apps/v1', kind: 'Deployment', name},
			minReplicas: min,
			maxReplicas: max,
			...(target ? {metrics: [{type: 'Resource', resource: {name: 'cpu', target: {type: 'Utilization', averageUtilization: target}}}]} : {}),
		},
	});

	/** Every pod uses `cores` CPU all the time (in simulated seconds since the test began). */
	function steadyCpu(clock: SimClock, cores: () => number): PodCpuSource {
		const start = clock.now();
		return {podCpuSeconds: (_namespace, _pod, now) => (((now - start) / 1000) * clock.speed) * cores()};
	}

	test('without CPU readings it only keeps replicas within minReplicas..maxReplicas, and says why', async t => {
		const {store, create} = setup(t);
		create('apps/deployments', deployment('api', 1));
		create('autoscaling/horizontalpodautoscalers', hpa('api', 2, 4));
		await waitFor('scaled up to minReplicas', () => store.get('apps/deployments', ns, 'api')?.spec.replicas === 2);
		store.mutate('apps/deployments', ns, 'api', d => {
			d.spec.replicas = 7;
		});
		await waitFor('scaled down to maxReplicas', () => store.get('apps/deployments', ns, 'api')?.spec.replicas === 4);
		const h = await waitObject('the status', () => store.get('autoscaling/horizontalpodautoscalers', ns, 'api'), o => o.status?.desiredReplicas === 4 && condition(o, 'ScalingActive') !== undefined);
		assert.equal(h.spec.metrics[0].resource.target.averageUtilization, 80, 'the default metric is 80 % CPU');
		assert.equal(condition(h, 'ScalingActive')?.reason, 'FailedGetResourceMetric');
		assert.ok(h.status.lastScaleTime);
		const events = store.list('events', ns).filter(e => e.involvedObject.kind === 'HorizontalPodAutoscaler').map(e => e.message);
		assert.ok(events.includes('New size: 2; reason: Current number of replicas below Spec.MinReplicas'), events.join('\n'));
		assert.ok(events.includes('New size: 4; reason: Current number of replicas above Spec.MaxReplicas'), events.join('\n'));
	});

	test('with CPU readings it moves toward the target: up while use is high, down (after the window) when it falls', async t => {
		let cores = 0.18;
		const {store, create} = setup(t, clock => steadyCpu(clock, () => cores));
		create('apps/deployments', deployment('web', 2));
		create('autoscaling/horizontalpodautoscalers', {...hpa('web', 1, 10, 60), spec: {...hpa('web', 1, 10, 60).spec, behavior: {scaleDown: {stabilizationWindowSeconds: 30}}}});
		// 180m of a 200m request is 90 %, against 60 %: ceil(2 × 1.5) = 3 pods.
		await waitFor('a scale-up', () => store.get('apps/deployments', ns, 'web')!.spec.replicas >= 3, 20_000);
		const up = await waitObject('the reading in status', () => store.get('autoscaling/horizontalpodautoscalers', ns, 'web'), o => o.status?.currentMetrics !== undefined);
		assert.deepEqual(up.status.currentMetrics, [{type: 'Resource', resource: {name: 'cpu', current: {averageUtilization: 90, averageValue: '180m'}}}]);
		assert.equal(condition(up, 'ScalingActive')?.reason, 'ValidMetricFound');
		// Use falls to 20 %: the count comes down, but not below minReplicas.
		cores = 0.04;
		await waitFor('a scale-down to 1', () => store.get('apps/deployments', ns, 'web')!.spec.replicas === 1, 30_000);
	});

	test('an Argo Rollout is scaled through its scale subresource', async t => {
		const {store, create} = setup(t);
		create('argoproj.io/rollouts', {
			apiVersion: 'argoproj.io/v1alpha1',
			kind: 'Rollout',
			metadata: {name: 'orders', namespace: ns},
			spec: {replicas: 1, selector: {matchLabels: {app: 'orders'}}, template: {metadata: {labels: {app: 'orders'}}, spec: {containers: [{name: 'orders', image: 'registry.local/orders:1.0'}]}}, strategy: {canary: {steps: []}}},
		});
		create('autoscaling/horizontalpodautoscalers', {...hpa('orders', 3, 5), spec: {...hpa('orders', 3, 5).spec, scaleTargetRef: {apiVersion: 'argoproj.io/v1alpha1', kind: 'Rollout', name: 'orders'}}});
		await waitFor('the Rollout at 3 replicas', () => store.get('argoproj.io/rollouts', ns, 'orders')?.spec.replicas === 3);
		await waitFor('3 pods', () => store.list('pods', ns).filter(p => p.metadata.labels?.app === 'orders').length === 3, 20_000);
	});

	test('a target that does not exist is reported, not scaled', async t => {
		const {store, create} = setup(t);
		create('autoscaling/horizontalpodautoscalers', hpa('ghost', 1, 3));
		const h = await waitObject('AbleToScale False', () => store.get('autoscaling/horizontalpodautoscalers', ns, 'ghost'), o => condition(o, 'AbleToScale')?.status === 'False');
		assert.equal(condition(h, 'AbleToScale')?.message, 'the HPA controller was unable to get the target\'s current scale: deployments.apps "ghost" not found');
	});
});

describe('ServiceAccounts, Secrets, Jobs and HPAs through kubectl', () => {
	let t: TestSim;
	before(async () => {
		t = await startTestSim({scenario: 'rolling'});
	});
	after(async () => {
		await t.stop();
	});
	const ok = (args: string[], input?: string) => kubectlOk(t, args, input);

	test('a ServiceAccount is created, listed with its secrets count, and deleted', async () => {
		await ok(['apply', '-f', '-'], 'apiVersion: v1\nkind: ServiceAccount\nmetadata:\n  name: reviewer\n  labels: {app: reviews}\n');
		assert.match(await ok(['get', 'sa', 'reviewer']), /^NAME\s+SECRETS\s+AGE\nreviewer\s+0\s+\d+s\n$/);
		assert.equal(await ok(['get', 'serviceaccount', '-l', 'app=reviews', '-o', 'name']), 'serviceaccount/reviewer\n');
		await ok(['delete', 'sa', 'reviewer']);
		assert.equal(await ok(['get', 'sa', '-o', 'name']), '');
	});

	test('a Secret\'s stringData is stored as base64 data, merged with data; type defaults to Opaque', async () => {
		await ok(['apply', '-f', '-'], 'apiVersion: v1\nkind: Secret\nmetadata:\n  name: db\ndata:\n  host: ZGIubG9jYWw=\nstringData:\n  user: admin\n  password: "s3cr3t!"\n');
		const secret = JSON.parse(await ok(['get', 'secret', 'db', '-o', 'json']));
		assert.equal(secret.type, 'Opaque');
		assert.equal(secret.stringData, undefined);
		assert.deepEqual(secret.data, {host: 'ZGIubG9jYWw=', user: Buffer.from('admin').toString('base64'), password: Buffer.from('s3cr3t!').toString('base64')});
		assert.match(await ok(['get', 'secrets']), /^NAME\s+TYPE\s+DATA\s+AGE\ndb\s+Opaque\s+3\s+\d+s\n$/);
		// Applying again with a changed stringData value changes that key only.
		await ok(['apply', '-f', '-'], 'apiVersion: v1\nkind: Secret\nmetadata:\n  name: db\ndata:\n  host: ZGIubG9jYWw=\nstringData:\n  user: root\n  password: "s3cr3t!"\n');
		assert.equal(await ok(['get', 'secret', 'db', '-o', 'jsonpath={.data.user}']), Buffer.from('root').toString('base64'));
		const tls = await t.kubectl(['apply', '-f', '-'], {input: 'apiVersion: v1\nkind: Secret\nmetadata:\n  name: cert\ntype: kubernetes.io/tls\ndata:\n  tls.crt: Y2VydA==\n'});
		assert.notEqual(tls.code, 0);
		assert.match(tls.stderr, /data\[tls\.key\]: Required value/);
		const notBase64 = await t.kubectl(['apply', '-f', '-'], {input: 'apiVersion: v1\nkind: Secret\nmetadata:\n  name: raw\ndata:\n  key: not base64!\n'});
		assert.notEqual(notBase64.code, 0);
		assert.equal(await ok(['get', 'secrets', '-o', 'name']), 'secret/db\n');
	});

	test('a Job runs to Complete: kubectl wait returns, the table and its pods say so', async () => {
		await ok(['apply', '-f', '-'], 'apiVersion: batch/v1\nkind: Job\nmetadata:\n  name: migrate\nspec:\n  completions: 2\n  template:\n    spec:\n      restartPolicy: OnFailure\n      containers:\n      - name: migrate\n        image: registry.local/migrate:2.1\n');
		await ok(['wait', '--for=condition=Complete', 'job/migrate', '--timeout=60s']);
		assert.match(await ok(['get', 'jobs']), /^NAME\s+STATUS\s+COMPLETIONS\s+DURATION\s+AGE\nmigrate\s+Complete\s+2\/2\s+\d+s\s+\d+s\n$/);
		assert.match(await ok(['get', 'job', 'migrate', '-o', 'wide']), /migrate\s+registry\.local\/migrate:2\.1\s+batch\.kubernetes\.io\/controller-uid=[0-9a-f-]{36}\n/);
		const pods = await ok(['get', 'pods', '-l', 'job-name=migrate']);
		assert.equal(pods.match(/migrate-[a-z0-9]{5}\s+0\/1\s+Completed\s+0/g)?.length, 2, pods);
		const bad = await t.kubectl(['apply', '-f', '-'], {input: 'apiVersion: batch/v1\nkind: Job\nmetadata:\n  name: forever\nspec:\n  template:\n    spec:\n      containers:\n      - name: x\n        image: registry.local/x:1\n'});
		assert.notEqual(bad.code, 0);
		assert.match(bad.stderr, /spec\.template\.spec\.restartPolicy: Unsupported value: "Always": supported values: "OnFailure", "Never"/);
	});

	test('an HPA keeps a Deployment within its bounds, and kubectl get hpa shows it', async () => {
		await ok(['apply', '-f', '-'], [
			'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: ratings\nspec:\n  replicas: 1\n  selector:\n    matchLabels: {app: ratings}\n  template:\n    metadata:\n      labels: {app: ratings}\n    spec:\n      containers:\n      - name: ratings\n        image: registry.local/ratings:1.0\n        resources:\n          requests: {cpu: 100m}\n',
			'apiVersion: autoscaling/v2\nkind: HorizontalPodAutoscaler\nmetadata:\n  name: ratings\nspec:\n  scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: ratings}\n  minReplicas: 2\n  maxReplicas: 3\n',
		].join('---\n'));
		await waitFor('2 replicas', async () => (await ok(['get', 'deploy', 'ratings', '-o', 'jsonpath={.spec.replicas}'])) === '2');
		await ok(['scale', 'deploy/ratings', '--replicas=6']);
		// Back within bounds: first to maxReplicas; the sim's idle pods may then take it down to minReplicas.
		await waitFor('back within 2..3 replicas', async () => ['2', '3'].includes(await ok(['get', 'deploy', 'ratings', '-o', 'jsonpath={.spec.replicas}'])));
		const events = await ok(['get', 'events', '--field-selector', 'involvedObject.kind=HorizontalPodAutoscaler,involvedObject.name=ratings']);
		assert.match(events, /SuccessfulRescale\s+horizontalpodautoscaler\/ratings\s+New size: 2; reason: Current number of replicas below Spec\.MinReplicas/);
		assert.match(events, /SuccessfulRescale\s+horizontalpodautoscaler\/ratings\s+New size: 3; reason: Current number of replicas above Spec\.MaxReplicas/);
		assert.match(await ok(['get', 'hpa', 'ratings']), /^NAME\s+REFERENCE\s+TARGETS\s+MINPODS\s+MAXPODS\s+REPLICAS\s+AGE\nratings\s+Deployment\/ratings\s+cpu: (<unknown>|\d+%)\/80%\s+2\s+3\s+\d\s+\d+s\n$/);
		const bad = await t.kubectl(['apply', '-f', '-'], {input: 'apiVersion: autoscaling/v2\nkind: HorizontalPodAutoscaler\nmetadata:\n  name: bad\nspec:\n  scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: ratings}\n  minReplicas: 4\n  maxReplicas: 2\n'});
		assert.notEqual(bad.code, 0);
		assert.match(bad.stderr, /spec\.maxReplicas: Invalid value: 2: must be greater than or equal to `minReplicas`/);
	});
});
