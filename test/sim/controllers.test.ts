import assert from 'node:assert/strict';
import {test, type TestContext} from 'node:test';
import {SimClock} from '../../source/sim/clock.js';
import {startControllers} from '../../source/sim/controllers/index.js';
import {computeHash, safeEncodeString} from '../../source/sim/controllers/hash.js';
import {recordEvent} from '../../source/sim/controllers/events.js';
import {defaultDeployment} from '../../source/sim/controllers/defaults.js';
import {clone, type KObject} from '../../source/sim/object.js';
import {ObjectStore} from '../../source/sim/store.js';

const ns = 'demo';
const revision = 'deployment.kubernetes.io/revision';
const changeCause = 'kubernetes.io/change-cause';

async function waitFor<T>(cond: () => T | undefined | false | null, timeoutMs = 5000, what = 'condition', dump?: () => unknown): Promise<T> {
	const end = Date.now() + timeoutMs;
	for (;;) {
		const v = cond();
		if (v) return v;
		if (Date.now() > end) assert.fail(`timed out waiting for ${what}${dump ? `\n${JSON.stringify(dump(), null, 1)}` : ''}`);
		await new Promise(r => setTimeout(r, 5));
	}
}

function setup(t: TestContext, speed = 50) {
	const store = new ObjectStore();
	const clock = new SimClock(speed);
	const errors: unknown[] = [];
	const controllers = startControllers(store, clock, {onError: e => errors.push(e)});
	t.after(() => {
		controllers.stop();
		clock.stop();
	});
	store.create('namespaces', {metadata: {name: ns}});
	const deploy = (name: string) => store.get('apps/deployments', ns, name)!;
	const replicaSets = (name: string) => store.list('apps/replicasets', ns).filter(rs => rs.metadata.ownerReferences?.[0]?.uid === deploy(name).metadata.uid);
	const podsOf = (rs: KObject) => store.list('pods', ns).filter(p => p.metadata.ownerReferences?.[0]?.uid === rs.metadata.uid);
	const readyPods = (rs: KObject) => podsOf(rs).filter(p => p.status?.conditions?.some((c: any) => c.type === 'Ready' && c.status === 'True'));
	const progressing = (name: string) => deploy(name).status?.conditions?.find((c: any) => c.type === 'Progressing');
	const complete = (name: string) => {
		const d = deploy(name);
		const s = d.status ?? {};
		const want = d.spec.replicas ?? 1;
		return (s.observedGeneration ?? 0) >= d.metadata.generation! && (s.updatedReplicas ?? 0) === want && (s.replicas ?? 0) === want && (s.availableReplicas ?? 0) === want
			&& progressing(name)?.reason === 'NewReplicaSetAvailable';
	};
	const dump = (name: string) => () => ({deployment: deploy(name)?.status, replicaSets: replicaSets(name).map(rs => ({name: rs.metadata.name, spec: rs.spec.replicas, status: rs.status, annotations: rs.metadata.annotations}))});
	const setImage = (name: string, image: string, cause?: string) => store.mutate('apps/deployments', ns, name, d => {
		d.spec.template.spec.containers[0].image = image;
		if (cause) d.metadata.annotations = {...d.metadata.annotations, [changeCause]: cause};
	});
	return {store, clock, errors, controllers, deploy, replicaSets, podsOf, readyPods, progressing, complete, dump, setImage};
}

function deployment(name: string, image: string, spec: Record<string, unknown> = {}, annotations: Record<string, string> = {}): KObject {
	return {
		apiVersion: 'apps/v1',
		kind: 'Deployment',
		metadata: {name, namespace: ns, annotations},
		spec: {
			replicas: 3,
			selector: {matchLabels: {app: name}},
			template: {metadata: {labels: {app: name}}, spec: {containers: [{name: 'web', image}]}},
			...spec,
		},
	};
}

test('pod-template-hash: deterministic, safe alphabet, collision count changes it', () => {
	const template = {metadata: {labels: {app: 'web'}}, spec: {containers: [{name: 'web', image: 'nginx:1.25'}]}};
	const h = computeHash(template);
	assert.match(h, /^[4-9bcdf]{1,10}$/);
	assert.equal(computeHash(clone(template)), h);
	assert.equal(computeHash({spec: template.spec, metadata: template.metadata}), h, 'key order does not matter');
	assert.notEqual(computeHash(template, 1), h);
	assert.equal(safeEncodeString('0123456789'), '456789bcdf');
});

test('a new Deployment gets a ReplicaSet and Ready pods, with status, conditions and events', async t => {
	const c = setup(t);
	c.store.create('apps/deployments', deployment('web', 'nginx:1.25', {}, {[changeCause]: 'first'}));
	await waitFor(() => c.complete('web'), 5000, 'rollout', c.dump('web'));
	const d = c.deploy('web');
	assert.equal(d.metadata.annotations?.[revision], '1');
	assert.equal(d.status.readyReplicas, 3);
	assert.equal(d.status.unavailableReplicas, undefined);
	assert.equal(d.status.observedGeneration, d.metadata.generation);
	const available = d.status.conditions.find((x: any) => x.type === 'Available');
	assert.equal(available.status, 'True');
	assert.equal(available.reason, 'MinimumReplicasAvailable');

	const [rs, ...others] = c.replicaSets('web');
	assert.equal(others.length, 0);
	const hash = rs!.metadata.labels!['pod-template-hash']!;
	assert.equal(rs!.metadata.name, `web-${hash}`);
	assert.equal(hash, computeHash(d.spec.template));
	assert.equal(rs!.spec.selector.matchLabels['pod-template-hash'], hash);
	assert.equal(rs!.spec.template.metadata.labels['pod-template-hash'], hash);
	assert.deepEqual(rs!.metadata.ownerReferences, [{apiVersion: 'apps/v1', kind: 'Deployment', name: 'web', uid: d.metadata.uid, controller: true, blockOwnerDeletion: true}]);
	assert.equal(rs!.metadata.annotations?.[revision], '1');
	assert.equal(rs!.metadata.annotations?.[changeCause], 'first');
	assert.equal(rs!.metadata.annotations?.['deployment.kubernetes.io/desired-replicas'], '3');
	assert.equal(rs!.metadata.annotations?.['deployment.kubernetes.io/max-replicas'], '4');
	assert.equal(rs!.status.availableReplicas, 3);
	assert.equal(rs!.status.observedGeneration, rs!.metadata.generation);
	assert.equal(c.progressing('web').message, `ReplicaSet "${rs!.metadata.name}" has successfully progressed.`);

	const pods = c.podsOf(rs!);
	assert.equal(pods.length, 3);
	const ips = new Set<string>();
	for (const pod of pods) {
		assert.match(pod.metadata.name!, new RegExp(`^web-${hash}-[bcdfghjklmnpqrstvwxz2456789]{5}$`));
		assert.equal(pod.metadata.labels?.['pod-template-hash'], hash);
		assert.equal(pod.metadata.ownerReferences?.[0]?.kind, 'ReplicaSet');
		assert.match(pod.spec.nodeName, /^sim-node-[123]$/);
		assert.equal(pod.status.phase, 'Running');
		assert.match(pod.status.podIP, /^10\.\d+\.\d+\.\d+$/);
		assert.match(pod.status.hostIP, /^172\.18\.0\.\d+$/);
		assert.ok(pod.status.startTime);
		ips.add(pod.status.podIP);
		const types = pod.status.conditions.map((x: any) => `${x.type}=${x.status}`);
		for (const want of ['PodScheduled=True', 'Initialized=True', 'ContainersReady=True', 'Ready=True']) assert.ok(types.includes(want), want);
		const [cs] = pod.status.containerStatuses;
		assert.equal(cs.name, 'web');
		assert.equal(cs.image, 'nginx:1.25');
		assert.match(cs.imageID, /^docker\.io\/library\/nginx@sha256:[0-9a-f]{64}$/);
		assert.equal(cs.ready, true);
		assert.equal(cs.started, true);
		assert.equal(cs.restartCount, 0);
		assert.ok(cs.state.running.startedAt);
	}
	assert.equal(ips.size, 3);

	const events = c.store.list('events', ns);
	const messages = events.map(e => `${e.involvedObject.kind} ${e.reason} ${e.message}`);
	assert.ok(messages.includes(`Deployment ScalingReplicaSet Scaled up replica set ${rs!.metadata.name} from 0 to 3`), messages.join('\n'));
	assert.ok(messages.includes(`ReplicaSet SuccessfulCreate Created pod: ${pods[0]!.metadata.name}`));
	assert.ok(messages.some(m => m.startsWith(`Pod Scheduled Successfully assigned ${ns}/${pods[0]!.metadata.name} to sim-node-`)));
	assert.ok(messages.some(m => /^Pod Pulled Successfully pulled image "nginx:1\.25" in \d+\.\d+s/.test(m)));
	assert.ok(messages.includes('Pod Started Started container web'));
	const scaled = events.find(e => e.reason === 'ScalingReplicaSet')!;
	assert.equal(scaled.type, 'Normal');
	assert.equal(scaled.count, 1);
	assert.deepEqual(scaled.source, {component: 'deployment-controller'});
	assert.equal(scaled.involvedObject.uid, d.metadata.uid);
	assert.equal(scaled.involvedObject.apiVersion, 'apps/v1');
	assert.equal(scaled.eventTime, null);
	assert.match(scaled.metadata.name!, /^web\.[0-9a-f]+$/);
	assert.match(scaled.firstTimestamp, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
	const started = events.find(e => e.reason === 'Started')!;
	assert.equal(started.source.component, 'kubelet');
	assert.match(started.source.host, /^sim-node-/);
	assert.equal(started.involvedObject.fieldPath, 'spec.containers{web}');
	assert.deepEqual(c.errors, []);
});

test('imageID: one digest per tag; sim.rollscope.dev/tag-repushed gives each pod its own for the containers it names', async t => {
	const c = setup(t);
	const twoContainers = (name: string, annotation?: string): KObject => {
		const d = deployment(name, 'registry.local/feed:main');
		d.spec.template.spec.containers.push({name: 'sidecar', image: 'registry.local/shipper:1.0'});
		if (annotation) d.spec.template.metadata.annotations = {'sim.rollscope.dev/tag-repushed': annotation};
		return d;
	};
	c.store.create('apps/deployments', twoContainers('steady'));
	c.store.create('apps/deployments', twoContainers('moved', 'web'));
	c.store.create('apps/deployments', twoContainers('all', 'true'));
	for (const name of ['steady', 'moved', 'all']) await waitFor(() => c.complete(name), 5000, name, c.dump(name));
	const digests = (name: string, container: string) => new Set(c.replicaSets(name).flatMap(c.podsOf).map(p => p.status.containerStatuses.find((s: any) => s.name === container).imageID));
	const [feed] = digests('steady', 'web');
	assert.match(feed, /^registry\.local\/feed@sha256:[0-9a-f]{64}$/);
	assert.deepEqual([...digests('steady', 'web')], [feed], 'one tag, one digest');
	assert.equal(digests('moved', 'web').size, 3, 'each pod pulled the tag after it moved');
	assert.ok(!digests('moved', 'web').has(feed));
	assert.deepEqual([...digests('moved', 'sidecar')], [...digests('steady', 'sidecar')], 'the container it does not name keeps its digest');
	assert.equal(digests('all', 'web').size, 3);
	assert.equal(digests('all', 'sidecar').size, 3);
});

test('image change rolls out revision 2; undo reuses the old ReplicaSet as revision 3', async t => {
	const c = setup(t);
	c.store.create('apps/deployments', deployment('web', 'nginx:1.25', {}, {[changeCause]: 'v1'}));
	await waitFor(() => c.complete('web'), 5000, 'first rollout', c.dump('web'));
	const first = c.replicaSets('web')[0]!;

	c.setImage('web', 'nginx:1.26', 'v2');
	await waitFor(() => c.complete('web') && c.deploy('web').metadata.annotations?.[revision] === '2', 5000, 'second rollout', c.dump('web'));
	const second = c.replicaSets('web').find(rs => rs.metadata.uid !== first.metadata.uid)!;
	assert.equal(second.metadata.annotations?.[revision], '2');
	assert.equal(second.metadata.annotations?.[changeCause], 'v2');
	assert.equal(second.spec.replicas, 3);
	const old = c.store.get('apps/replicasets', ns, first.metadata.name!)!;
	assert.equal(old.spec.replicas, 0);
	assert.equal(old.metadata.annotations?.[changeCause], 'v1', 'the old ReplicaSet keeps its change-cause');
	await waitFor(() => c.podsOf(old).length === 0, 3000, 'old pods gone');
	const messages = c.store.list('events', ns).filter(e => e.reason === 'ScalingReplicaSet').map(e => e.message);
	assert.ok(messages.includes(`Scaled up replica set ${second.metadata.name} from 0 to 1`), messages.join('\n'));
	assert.ok(messages.includes(`Scaled down replica set ${first.metadata.name} from 3 to 2`), messages.join('\n'));

	// What `kubectl rollout undo` does: the old ReplicaSet's template without the hash label, and its annotations.
	// A Go client also sends what it treats as empty: creationTimestamp null, resources {}.
	const template = clone(old.spec.template);
	delete template.metadata.labels['pod-template-hash'];
	template.metadata.creationTimestamp = null;
	template.spec.containers[0].resources = {};
	c.store.mutate('apps/deployments', ns, 'web', d => {
		d.spec.template = template;
		d.metadata.annotations = {...d.metadata.annotations, [changeCause]: old.metadata.annotations![changeCause]!};
	});
	await waitFor(() => c.complete('web') && c.deploy('web').metadata.annotations?.[revision] === '3', 5000, 'rollback', c.dump('web'));
	const rsList = c.replicaSets('web');
	assert.equal(rsList.length, 2, 'no new ReplicaSet for a rollback');
	const reused = c.store.get('apps/replicasets', ns, first.metadata.name!)!;
	assert.equal(reused.metadata.uid, first.metadata.uid);
	assert.equal(reused.metadata.annotations?.[revision], '3');
	assert.equal(reused.metadata.annotations?.['deployment.kubernetes.io/revision-history'], '1');
	assert.equal(reused.spec.replicas, 3);
	assert.equal(c.store.get('apps/replicasets', ns, second.metadata.name!)!.spec.replicas, 0);
	assert.deepEqual(c.errors, []);
});

test('a crashing image restarts with CrashLoopBackOff and the rollout stalls safely', async t => {
	const c = setup(t);
	c.store.create('apps/deployments', deployment('web', 'nginx:1.25'));
	await waitFor(() => c.complete('web'), 5000, 'first rollout');
	const first = c.replicaSets('web')[0]!;
	c.setImage('web', 'nginx:1.26-crash');
	const crashing = await waitFor(() => {
		const pod = c.store.list('pods', ns).find(p => p.spec.containers[0].image === 'nginx:1.26-crash' && p.status?.containerStatuses?.[0]?.restartCount >= 2);
		return pod?.status.containerStatuses[0].state.waiting?.reason === 'CrashLoopBackOff' ? pod : undefined;
	}, 8000, 'CrashLoopBackOff with 2 restarts');
	const cs = crashing.status.containerStatuses[0];
	assert.equal(cs.ready, false);
	assert.equal(cs.lastState.terminated.exitCode, 1);
	assert.equal(cs.lastState.terminated.reason, 'Error');
	assert.ok(cs.lastState.terminated.finishedAt);
	assert.match(cs.state.waiting.message, /^back-off \d+s restarting failed container=web pod=/);
	assert.equal(crashing.status.phase, 'Running');
	assert.ok(crashing.status.conditions.some((x: any) => x.type === 'Ready' && x.status === 'False' && x.reason === 'ContainersNotReady'));
	const backoff = c.store.list('events', ns).find(e => e.reason === 'BackOff' && e.involvedObject.name === crashing.metadata.name)!;
	assert.equal(backoff.type, 'Warning');
	assert.equal(backoff.message, `Back-off restarting failed container web in pod ${crashing.metadata.name}_${ns}(${crashing.metadata.uid})`);
	// maxUnavailable 0 (25% of 3): the old pods all stay.
	const old = c.store.get('apps/replicasets', ns, first.metadata.name!)!;
	assert.equal(old.spec.replicas, 3);
	assert.equal(c.readyPods(old).length, 3);
	assert.equal(c.deploy('web').status.updatedReplicas, 1);
});

test('a paused Deployment makes no new ReplicaSet until resumed, but scales', async t => {
	const c = setup(t);
	c.store.create('apps/deployments', deployment('web', 'nginx:1.25'));
	await waitFor(() => c.complete('web'), 5000, 'first rollout');
	c.store.mutate('apps/deployments', ns, 'web', d => {
		d.spec.paused = true;
	});
	await waitFor(() => c.progressing('web')?.reason === 'DeploymentPaused', 3000, 'paused condition');
	assert.equal(c.progressing('web').status, 'Unknown');
	assert.equal(c.progressing('web').message, 'Deployment is paused');
	const changed = c.setImage('web', 'nginx:1.26');
	await waitFor(() => c.deploy('web').status?.observedGeneration === changed.metadata.generation, 3000, 'template change observed');
	assert.equal(c.replicaSets('web').length, 1, 'no rollout while paused');

	c.store.mutate('apps/deployments', ns, 'web', d => {
		d.spec.replicas = 4;
	});
	await waitFor(() => c.replicaSets('web')[0]!.spec.replicas === 4 && c.deploy('web').status?.availableReplicas === 4, 5000, 'scaled while paused', c.dump('web'));
	assert.equal(c.replicaSets('web').length, 1);

	c.store.mutate('apps/deployments', ns, 'web', d => {
		delete d.spec.paused;
	});
	await waitFor(() => c.replicaSets('web').length === 2, 3000, 'new ReplicaSet after resume');
	await waitFor(() => c.complete('web'), 8000, 'rollout after resume', c.dump('web'));
	assert.equal(c.deploy('web').metadata.annotations?.[revision], '2');
});

test('scaling a Deployment to 5 gives 5 Ready pods, and back to 2', async t => {
	const c = setup(t);
	c.store.create('apps/deployments', deployment('web', 'nginx:1.25'));
	await waitFor(() => c.complete('web'), 5000, 'first rollout');
	c.store.mutate('apps/deployments', ns, 'web', d => {
		d.spec.replicas = 5;
	});
	await waitFor(() => c.complete('web') && c.readyPods(c.replicaSets('web')[0]!).length === 5, 5000, '5 pods', c.dump('web'));
	assert.equal(c.podsOf(c.replicaSets('web')[0]!).length, 5);
	assert.equal(c.replicaSets('web')[0]!.metadata.annotations?.['deployment.kubernetes.io/desired-replicas'], '5');
	c.store.mutate('apps/deployments', ns, 'web', d => {
		d.spec.replicas = 2;
	});
	await waitFor(() => c.complete('web') && c.podsOf(c.replicaSets('web')[0]!).length === 2, 5000, '2 pods', c.dump('web'));
	const messages = c.store.list('events', ns).filter(e => e.reason === 'ScalingReplicaSet').map(e => e.message);
	assert.ok(messages.some(m => /^Scaled up replica set web-\w+ from 3 to 5$/.test(m)), messages.join('\n'));
	assert.ok(messages.some(m => /^Scaled down replica set web-\w+ from 5 to 2$/.test(m)), messages.join('\n'));
	assert.equal(c.store.list('events', ns).filter(e => e.reason === 'SuccessfulDelete').length, 3);
});

test('scaling in the middle of a stuck rollout is proportional (the documented 10 → 15 example)', async t => {
	const c = setup(t);
	const strategy = {type: 'RollingUpdate', rollingUpdate: {maxSurge: 3, maxUnavailable: 2}};
	c.store.create('apps/deployments', deployment('web', 'app:v1', {replicas: 10, strategy}));
	await waitFor(() => c.complete('web'), 5000, 'v1');
	const first = c.replicaSets('web')[0]!;
	c.setImage('web', 'app:v2-crash');
	const sizes = () => {
		const list = c.replicaSets('web');
		const old = list.find(rs => rs.metadata.uid === first.metadata.uid);
		const fresh = list.find(rs => rs.metadata.uid !== first.metadata.uid);
		return {old: old?.spec.replicas, new: fresh?.spec.replicas};
	};
	await waitFor(() => sizes().old === 8 && sizes().new === 5, 5000, 'old 8, new 5', sizes);
	c.store.mutate('apps/deployments', ns, 'web', d => {
		d.spec.replicas = 15;
	});
	await waitFor(() => sizes().old === 11 && sizes().new === 7, 5000, 'old 11, new 7', sizes);
});

test('an image that never gets Ready exceeds the progress deadline', async t => {
	const c = setup(t);
	c.store.create('apps/deployments', deployment('web', 'nginx:1.25-unready', {replicas: 2, progressDeadlineSeconds: 8}));
	const cond = await waitFor(() => {
		const p = c.progressing('web');
		return p?.reason === 'ProgressDeadlineExceeded' ? p : undefined;
	}, 8000, 'ProgressDeadlineExceeded', c.dump('web'));
	const rs = c.replicaSets('web')[0]!;
	assert.equal(cond.status, 'False');
	assert.equal(cond.message, `ReplicaSet "${rs.metadata.name}" has timed out progressing.`);
	const d = c.deploy('web');
	assert.equal(d.status.availableReplicas, undefined);
	assert.equal(d.status.unavailableReplicas, 2);
	assert.equal(d.status.conditions.find((x: any) => x.type === 'Available').reason, 'MinimumReplicasUnavailable');
	const pods = c.podsOf(rs);
	assert.equal(pods.length, 2);
	assert.ok(pods.every(p => p.status.phase === 'Running' && p.status.containerStatuses[0].started === true && p.status.containerStatuses[0].ready === false));
	const unhealthy = await waitFor(() => c.store.list('events', ns).find(e => e.reason === 'Unhealthy'), 3000, 'Unhealthy event');
	assert.equal(unhealthy.type, 'Warning');
	assert.equal(unhealthy.message, 'Readiness probe failed: HTTP probe failed with statuscode: 503');
	// Repeats of an event bump its count.
	await waitFor(() => (c.store.get('events', ns, unhealthy.metadata.name!)?.count ?? 0) >= 2, 3000, 'Unhealthy count 2');
	// A new template starts a new rollout clock, and a good image completes it.
	c.setImage('web', 'nginx:1.26');
	await waitFor(() => c.complete('web'), 5000, 'recovery', c.dump('web'));
});

test('revisionHistoryLimit removes the oldest scaled-down ReplicaSets', async t => {
	const c = setup(t);
	c.store.create('apps/deployments', deployment('web', 'app:v1', {replicas: 1, revisionHistoryLimit: 1}));
	await waitFor(() => c.complete('web'), 5000, 'v1');
	for (const version of ['v2', 'v3', 'v4']) {
		c.setImage('web', `app:${version}`);
		await waitFor(() => c.complete('web') && c.deploy('web').spec.template.spec.containers[0].image === `app:${version}`, 5000, version, c.dump('web'));
	}
	await waitFor(() => c.replicaSets('web').length === 2, 3000, 'cleanup', c.dump('web'));
	const revisions = c.replicaSets('web').map(rs => rs.metadata.annotations?.[revision]).sort();
	assert.deepEqual(revisions, ['3', '4']);
});

test('Recreate scales the old ReplicaSet to zero before the new one starts', async t => {
	const c = setup(t);
	c.store.create('apps/deployments', deployment('web', 'app:v1', {replicas: 2, strategy: {type: 'Recreate'}}));
	await waitFor(() => c.complete('web'), 5000, 'v1');
	const first = c.replicaSets('web')[0]!;
	let overlap = false;
	const unsubscribe = c.store.subscribe('pods', () => {
		const pods = c.store.list('pods', ns);
		if (pods.some(p => p.spec.containers[0].image === 'app:v1') && pods.some(p => p.spec.containers[0].image === 'app:v2')) overlap = true;
	});
	t.after(unsubscribe);
	c.setImage('web', 'app:v2');
	await waitFor(() => c.complete('web') && c.replicaSets('web').length === 2, 5000, 'v2', c.dump('web'));
	assert.equal(overlap, false, 'old and new pods never run together');
	assert.equal(c.store.get('apps/replicasets', ns, first.metadata.name!)!.spec.replicas, 0);
});

test('minReadySeconds delays availability in simulated seconds', async t => {
	const c = setup(t);
	c.store.create('apps/deployments', deployment('web', 'app:v1', {replicas: 1, minReadySeconds: 20}));
	const rs = await waitFor(() => c.replicaSets('web')[0], 2000, 'rs');
	assert.equal(rs.spec.minReadySeconds, 20);
	await waitFor(() => c.readyPods(c.replicaSets('web')[0]!).length === 1, 3000, 'ready pod');
	assert.equal(c.replicaSets('web')[0]!.status.availableReplicas, undefined, 'ready but not yet available');
	await waitFor(() => c.complete('web'), 3000, 'available after 20 simulated seconds', c.dump('web'));
});

test('deleting a Deployment removes its ReplicaSets and pods; stop() ends all activity', async t => {
	const c = setup(t);
	c.store.create('apps/deployments', deployment('web', 'app:v1', {replicas: 2}));
	c.store.create('pods', {metadata: {name: 'bare', namespace: ns}, spec: {containers: [{name: 'main', image: 'busybox'}]}});
	await waitFor(() => c.complete('web'), 5000, 'v1');
	const bare = await waitFor(() => {
		const p = c.store.get('pods', ns, 'bare');
		return p?.status?.conditions?.some((x: any) => x.type === 'Ready' && x.status === 'True') ? p : undefined;
	}, 3000, 'bare pod ready');
	assert.match(bare.spec.nodeName, /^sim-node-/);
	c.store.delete('apps/deployments', ns, 'web');
	assert.equal(c.store.list('apps/replicasets', ns).length, 0);
	assert.equal(c.store.list('pods', ns).length, 1);
	c.controllers.stop();
	const rv = c.store.resourceVersion;
	await new Promise(r => setTimeout(r, 100));
	assert.equal(c.store.resourceVersion, rv, 'no writes after stop');
	assert.deepEqual(c.errors, []);
});

test('recordEvent aggregates repeats and keeps at most 1000 events per namespace', t => {
	const store = new ObjectStore();
	t.after(() => {});
	store.create('namespaces', {metadata: {name: ns}});
	const pod = store.create('pods', {metadata: {name: 'p', namespace: ns}, spec: {containers: [{name: 'c', image: 'x'}]}});
	const a = recordEvent(store, pod, 'Warning', 'BackOff', 'again', 'kubelet', {host: 'sim-node-1'})!;
	const b = recordEvent(store, pod, 'Warning', 'BackOff', 'again', 'kubelet', {host: 'sim-node-1'})!;
	assert.equal(b.metadata.name, a.metadata.name);
	assert.equal(b.count, 2);
	assert.equal(b.reportingComponent, 'kubelet');
	assert.equal(b.reportingInstance, 'sim-node-1');
	assert.deepEqual(b.involvedObject, {kind: 'Pod', namespace: ns, name: 'p', uid: pod.metadata.uid, apiVersion: 'v1', resourceVersion: pod.metadata.resourceVersion});
	for (let i = 0; i < 1100; i++) recordEvent(store, pod, 'Normal', 'Test', `message ${i}`, 'kubelet');
	const events = store.list('events', ns);
	assert.equal(events.length, 1000);
	assert.ok(!events.some(e => e.message === 'again'), 'the oldest went first');
	assert.ok(events.some(e => e.message === 'message 1099'));
	assert.equal(recordEvent(store, {...pod, metadata: {...pod.metadata, namespace: 'gone'}}, 'Normal', 'X', 'y', 'kubelet'), undefined);
});

test('defaultDeployment fills in the API defaults and is idempotent', () => {
	const d = defaultDeployment(deployment('web', 'nginx'));
	assert.equal(d.spec.strategy.type, 'RollingUpdate');
	assert.deepEqual(d.spec.strategy.rollingUpdate, {maxSurge: '25%', maxUnavailable: '25%'});
	assert.equal(d.spec.revisionHistoryLimit, 10);
	assert.equal(d.spec.progressDeadlineSeconds, 600);
	assert.equal(d.spec.template.spec.restartPolicy, 'Always');
	assert.equal(d.spec.template.spec.containers[0].imagePullPolicy, 'Always');
	assert.deepEqual(defaultDeployment(clone(d)), d);
	const r = defaultDeployment(deployment('web', 'nginx:1.25', {strategy: {type: 'Recreate'}}));
	assert.equal(r.spec.strategy.rollingUpdate, undefined);
	assert.equal(r.spec.template.spec.containers[0].imagePullPolicy, 'IfNotPresent');
});
