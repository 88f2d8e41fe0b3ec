// Helpers for the action tests: the snapshot a watch would hold, read straight from an in-process sim's store;
// and sending a controller plan (Argo, Flagger) the way the view does.
import {chainResourceVersion, type ControllerPlan, type ControllerPlanned} from '../../source/actions/argo.js';
import type {KubeClient} from '../../source/kube/client.js';
import type {KObject} from '../../source/kube/object.js';
import {actionTarget, type ActionTarget} from '../../source/actions/target.js';
import type {ClusterSnapshot} from '../../source/release/snapshot.js';
import type {Sim} from '../../source/sim/cluster.js';
import {waitFor} from '../helpers/sim.js';

const routerKeys = [
	'networking.istio.io/virtualservices',
	'networking.istio.io/destinationrules',
	'gateway.networking.k8s.io/httproutes',
	'split.smi-spec.io/trafficsplits',
	'networking.k8s.io/ingresses',
	'traefik.io/traefikservices',
];

export function simSnapshot(sim: Sim, namespace: string): ClusterSnapshot {
	const list = (key: string) => sim.store.list(key, namespace).map(o => JSON.parse(JSON.stringify(o)) as KObject);
	return {
		namespace,
		deployments: list('apps/deployments'),
		replicaSets: list('apps/replicasets'),
		pods: list('pods'),
		services: list('services'),
		events: list('events'),
		routers: routerKeys.flatMap(list),
		now: Date.now(),
	};
}

export function simTarget(sim: Sim, namespace: string, target: string, user = 'tester'): ActionTarget {
	const t = actionTarget(simSnapshot(sim, namespace), target, user);
	if (!t) throw new Error(`no release ${target} in ${namespace}`);
	return t;
}

/** Wait until every Deployment of the namespace has rolled out (pods ready). */
export async function settled(sim: Sim, namespace: string): Promise<void> {
	await waitFor(`${namespace} to settle`, () =>
		sim.store.list('apps/deployments', namespace).every(d => {
			const want = d.spec?.replicas ?? 1;
			const s = d.status ?? {};
			return (d.metadata.generation ?? 0) <= (s.observedGeneration ?? 0) && s.updatedReplicas === want && s.availableReplicas === want && (s.replicas ?? 0) === want;
		}),
	);
}


/** Send a plan's steps in order, each step's precondition following the resourceVersion the one before left. */
export async function sendPlan(client: KubeClient, plan: ControllerPlan): Promise<KObject | undefined> {
	let previous: KObject | undefined;
	for (const step of plan.steps) previous = await client.request(step.method, step.path, {body: chainResourceVersion(step, previous), contentType: step.contentType});
	return previous;
}

/**
 * Plan on a fresh read and send, as the view does after "changed meanwhile": the simulated controllers write
 * their objects while they run, so a plan made on a read just before may meet a 409 (the precondition doing
 * its work); read again and plan again, a few times.
 */
export async function sendFresh(client: KubeClient, get: () => Promise<KObject>, build: (o: KObject) => ControllerPlanned): Promise<KObject | undefined> {
	for (let attempt = 1; ; attempt++) {
		const planned = build(await get());
		if ('message' in planned) throw new Error(`no plan: ${planned.message}`);
		try {
			return await sendPlan(client, planned.plan);
		} catch (error) {
			if ((error as {code?: number}).code !== 409 || attempt >= 5) throw error;
		}
	}
}
