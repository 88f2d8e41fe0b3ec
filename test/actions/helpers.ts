// Helpers for the action tests: the snapshot a watch would hold, read straight from an in-process sim's store;
// and sending a controller plan (Argo, Flagger) the way the view does.
import assert from 'node:assert/strict';
import {chainResourceVersion, type ControllerPlan, type ControllerPlanned} from '../../source/actions/argo.js';
import {defaultActionConfig, type ActionConfig} from '../../source/actions/config.js';
import {ActionController, type ActionOptions} from '../../source/live/action-controller.js';
import {KubeClient} from '../../source/kube/client.js';
import type {KObject} from '../../source/kube/object.js';
import {watchRelease} from '../../source/live/release-watch.js';
import {type ActionTarget} from '../../source/actions/target.js';
import {actionTarget} from '../../source/kinds/registry.js';
import type {ClusterSnapshot} from '../../source/release/snapshot.js';
import type {Sim} from '../../source/sim/cluster.js';
import {routerKeys} from '../../source/sim/metrics.js';
import {initialState} from '../../source/store/state.js';
import {Store} from '../../source/store/store.js';
import type {ActionResponse, Confirmation} from '../../source/actions/responses.js';
import type {ActionCommand} from '../../source/actions/commands.js';
import {waitFor, type TestSim} from '../helpers/sim.js';

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
		sim.store.list('apps/deployments', namespace).length > 0 &&
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

// --- The view's action controller against a test sim: real client, real watch, real store -------------

export type Opened = {controller: ActionController; store: Store; client: KubeClient; snapshot: () => ClusterSnapshot; stop: () => void};

/** The action controller of a view on `target`, once every watch has listed and the release is built. */
export async function openActions(t: TestSim, namespace: string, target: string, options: Partial<Omit<ActionOptions, 'config'>> & {context?: string; config?: Partial<ActionConfig>} = {}): Promise<Opened> {
	const client = KubeClient.load({kubeconfig: t.kubeconfigPath, context: options.context, namespace});
	const store = new Store(initialState(client.context, namespace, target), 10);
	const watch = watchRelease(client, store, {batchMs: 10});
	const controller = new ActionController(
		{client, snapshot: watch.snapshot, refresh: watch.refresh, store},
		{readOnly: options.readOnly ?? false, dryRun: options.dryRun ?? false, router: options.router, config: {...defaultActionConfig, ...options.config}},
	);
	controller.start();
	await waitFor('the release, every watch listed', () => store.getState().connection.state === 'live' && store.getState().release?.versions.length);
	return {controller, store, client, snapshot: watch.snapshot, stop: () => (controller.stop(), watch.stop(), store.close(), void client.close())};
}

export function confirmation(response: ActionResponse): Confirmation {
	assert.ok(response && typeof response === 'object' && 'confirm' in response, `expected a confirmation, got ${JSON.stringify(response)}`);
	return response.confirm;
}

export const activity = (o: Opened) => o.store.getState().actions?.activity;

/**
 * Press an action key and confirm it, as an operator does; wait for the outcome the view shows. A controller
 * that wrote its object between the watch's last event and the write makes it a 409 ("changed meanwhile"):
 * then, as the operator would, look again and press the key again (a few times).
 */
export async function confirmKey(o: Opened, command: ActionCommand, check: (c: Confirmation) => void = () => {}): Promise<string> {
	for (let attempt = 1; ; attempt++) {
		const c = confirmation(o.controller.handle(command));
		check(c);
		assert.equal(c.onConfirm(), undefined, 'sent, not refused');
		const outcome = (await waitFor(`the outcome of ${command.name}`, () => {
			const a = activity(o);
			return a && (a.tone === 'ok' || a.tone === 'error' || a.tone === 'warn') ? a : undefined;
		}))!;
		if (outcome.tone === 'ok') return outcome.text;
		if (!/changed meanwhile/.test(outcome.text) || attempt >= 5) assert.fail(`${command.name}: ${outcome.text}`);
		// The refresh after the conflict: wait for the watch to hold the object as the server has it now.
		await new Promise(resolve => setTimeout(resolve, 200));
	}
}

/** Events with a Rollscope* reason in a namespace, as the API server lists them. */
export async function rollscopeEvents(client: KubeClient, namespace: string): Promise<KObject[]> {
	const list = await client.list(`/api/v1/namespaces/${namespace}/events`);
	return list.items.filter((e: KObject) => String(e.reason).startsWith('Rollscope'));
}

/** The plan a controller planner made; fails the test with its message when it refused. */
export function planOf(planned: ControllerPlanned): ControllerPlan {
	if ('message' in planned) throw new Error(`no plan: ${planned.message}`);
	return planned.plan;
}

/** Why a controller planner refused; fails the test when it made a plan. */
export function messageOf(planned: ControllerPlanned): string {
	if ('plan' in planned) throw new Error(`a plan: ${planned.plan.title}`);
	return planned.message;
}
