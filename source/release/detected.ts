// A release as detection finds it in a namespace: its ref (what opens it, what it is made of) and the
// objects behind it, for building its model and planning its actions.
import type {KObject} from '../kube/object.js';
import {nameOf} from './object-fields.js';
import type {FoundTraffic} from '../traffic/routers.js';
import type {Role} from './model.js';
import type {ReleaseRef} from './snapshot.js';

export type Member = {deployment: KObject; role: Role};

export type DetectedRelease = ReleaseRef & {
	/** In panel order: stable, canary / active, preview / the one rolling Deployment. */
	members: Member[];
	/** The controller's object a release of a progressive kind is (an Argo Rollout, a Flagger Canary). */
	object?: KObject;
	/** The router object of a canary pair, when one splits its traffic. */
	router?: FoundTraffic;
	/** The Service whose selector picks the active side of a blue-green pair. */
	activeService?: string;
};

/** Distinct Service names, in the order given. */
export function serviceNames(services: KObject[]): string[] {
	return [...new Set(services.map(nameOf))];
}
