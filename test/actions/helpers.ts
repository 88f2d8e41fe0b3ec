// Helpers for the action tests: the snapshot a watch would hold, read straight from an in-process sim's store.
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

