// The shape of a demo scenario as data: its Deployments, how it moves, and the rest it creates.
import type {KObject} from '../object.js';
import type {ObjectStore} from '../store.js';

/** One Deployment of a scenario, at the image it starts from. */
export type DeploymentPlan = {
	name: string;
	app: string;
	/** Labels beyond `app` that tell this Deployment's pods apart (track=stable, color=blue). */
	labels: Record<string, string>;
	/** Semver tag of `registry.local/<app>` it starts at. */
	version: string;
	/** Replicas without the `pods` option. */
	replicas: number;
	/** Relative share of the scenario's pods when the `pods` option scales it. */
	share: number;
	/** Pod-template annotations read by the simulated traffic (error rate, latency). */
	podAnnotations: Record<string, string>;
	maxSurge?: number | string;
	maxUnavailable?: number | string;
	minReadySeconds?: number;
	/** spec.progressDeadlineSeconds (default 600). */
	progressDeadlineSeconds?: number;
};

/** How a scenario moves once animated. */
export type Motion =
	/** Roll the Deployment to the next minor version, again and again. */
	| {kind: 'rolling'; deployment: string}
	/**
	 * Give the canary a new image; in the loop, alternate promoting the canary's image to
	 * stable with a new canary image (or only new canary images when `promote` is false).
	 */
	| {kind: 'canary'; stable: string; canary: string; promote: boolean}
	/** Give the idle colour (the one `service` does not select) a newer image. */
	| {kind: 'bluegreen'; service: string; colors: Record<string, string>}
	/** The scenario moves itself (Argo Rollouts, Flagger: see progressive.ts); `step` counts moves from 0. */
	| {kind: 'custom'; move: (store: ObjectStore, namespace: string, step: number) => void};

export type ScenarioPlan = {
	name: string;
	target: string;
	description: string;
	namespaceLabels?: Record<string, string>;
	deployments: DeploymentPlan[];
	/** Services and router objects, keyed by store key. Services get a clusterIP when created. */
	objects: (namespace: string) => Array<{key: string; object: KObject}>;
	motion: Motion;
	/** Simulated seconds after animation starts before the first change. */
	firstMoveAfter: number;
};

export const imageRepository = (app: string) => `registry.local/${app}`;
