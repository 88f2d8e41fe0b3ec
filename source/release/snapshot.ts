// What the release domain reads: the objects of one namespace, as plain JSON.
import type {KObject} from '../kube/object.js';
import type {ReleaseKind} from './model.js';

export type ClusterSnapshot = {
	namespace: string;
	deployments: KObject[];
	replicaSets: KObject[];
	pods: KObject[];
	services: KObject[];
	events: KObject[];
	/** Router objects: VirtualService, DestinationRule, HTTPRoute, TrafficSplit, Ingress, TraefikService. */
	routers: KObject[];
	/** Wall-clock ms used for ages. */
	now: number;
	/** Argo Rollouts (argoproj.io/v1alpha1), when the API serves them. */
	rollouts?: KObject[];
	analysisRuns?: KObject[];
	/** Argo Rollouts' Experiments (argoproj.io/v1alpha1), for experiment steps. */
	experiments?: KObject[];
	/** Flagger Canaries (flagger.app/v1beta1), when the API serves them. */
	canaries?: KObject[];
	/** OpenKruise Rollouts (rollouts.kruise.io v1beta1, else v1alpha1), when the API serves them. */
	kruiseRollouts?: KObject[];
};

/** The lists of objects a snapshot holds, each filled by a watch. */
export type SnapshotField = keyof Omit<ClusterSnapshot, 'namespace' | 'now'>;

/** A release found in a namespace, for the picker and for resolving a target. */
export type ReleaseRef = {
	/** Normalised target that opens it: `deploy/NAME`. */
	target: string;
	name: string;
	kind: ReleaseKind;
	/** Deployments that make up the release. */
	deployments: string[];
	/** Services in front of it. */
	services: string[];
	inProgress: boolean;
};
