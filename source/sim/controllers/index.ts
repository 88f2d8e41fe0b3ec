// The simulated cluster's control plane: Deployment, ReplicaSet, Job and HorizontalPodAutoscaler
// controllers, scheduler and kubelets, the Argo Rollouts, Flagger and OpenKruise Rollouts controllers. They watch the
// object store and reconcile shortly after, never inside a listener.
import type {SimClock} from '../clock.js';
import type {ObjectStore} from '../store.js';
import {ArgoRolloutController} from './argo-rollout.js';
import {HorizontalPodAutoscalerController, type PodCpuSource} from './autoscaler.js';
import {DeploymentController} from './deployment.js';
import {FlaggerController} from './flagger.js';
import {JobController} from './job.js';
import {KruiseRolloutController} from './kruise-rollout.js';
import {Kubelet} from './kubelet.js';
import {ReplicaSetController} from './replicaset.js';
import {OwnerIndex, type Context, type ErrorHandler} from './util.js';

export {defaultDeployment, defaultPodSpec} from './defaults.js';
export {recordEvent, maxEventsPerNamespace, type EventType, type EventComponent, type EventOptions} from './events.js';
export {computeHash, podTemplateHashLabel} from './hash.js';
export {simNodes, imageBehaviour, runSecondsAnnotation} from './kubelet.js';
export {jobCompletionIndexAnnotation} from './job.js';
export {autoscalerSyncPeriod, type PodCpuSource} from './autoscaler.js';
export {revisionAnnotation, revisionHistoryAnnotation, desiredReplicasAnnotation, maxReplicasAnnotation} from './deployment.js';

export type ControllerOptions = {
	/** Told about reconcile failures (they are retried with back-off). Default: ignore them. */
	onError?: ErrorHandler;
	/** Pods' simulated CPU use, for HorizontalPodAutoscalers; without it they only keep replicas within their bounds. */
	podCpu?: PodCpuSource;
};

export type Controllers = {
	stop(): void;
	/** Rebuild the indexes from the store and reconcile everything (after `store.restore`). */
	resync(): void;
};

export function startControllers(store: ObjectStore, clock: SimClock, options: ControllerOptions = {}): Controllers {
	const ctx: Context = {
		store,
		clock,
		pods: new OwnerIndex('ReplicaSet'),
		readyAt: new Map(),
		onError: options.onError ?? (() => {}),
	};
	ctx.pods.reset(store.list('pods'));
	const unsubscribePods = store.subscribe('pods', change => ctx.pods.apply(change));
	const kubelet = new Kubelet(ctx);
	const replicaSets = new ReplicaSetController(ctx);
	const deployments = new DeploymentController(ctx);
	const progressive = [new ArgoRolloutController(ctx), new FlaggerController(ctx), new KruiseRolloutController(ctx)];
	const workloads = [new JobController(ctx), new HorizontalPodAutoscalerController(ctx, options.podCpu)];
	kubelet.start();
	replicaSets.start();
	deployments.start();
	for (const c of progressive) c.start();
	for (const c of workloads) c.start();
	let stopped = false;
	return {
		stop() {
			if (stopped) return;
			stopped = true;
			unsubscribePods();
			for (const c of workloads) c.stop();
			for (const c of progressive) c.stop();
			deployments.stop();
			replicaSets.stop();
			kubelet.stop();
		},
		resync() {
			if (stopped) return;
			ctx.pods.reset(store.list('pods'));
			kubelet.resync();
			replicaSets.resync();
			deployments.resync();
			for (const c of progressive) c.resync();
			for (const c of workloads) c.resync();
		},
	};
}
