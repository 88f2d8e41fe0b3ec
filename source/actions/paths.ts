// Where an object lives on the API server, and how an audit Event names it.
import type {KObject} from '../kube/object.js';
import type {ObjectRef} from './types.js';

type Kind = {apiVersion: string; plural: string};

/** The kinds actions write, with the apiVersion used when a listed object does not say its own. */
const kinds: Record<string, Kind> = {
	Deployment: {apiVersion: 'apps/v1', plural: 'deployments'},
	ReplicaSet: {apiVersion: 'apps/v1', plural: 'replicasets'},
	Service: {apiVersion: 'v1', plural: 'services'},
	Event: {apiVersion: 'v1', plural: 'events'},
	Ingress: {apiVersion: 'networking.k8s.io/v1', plural: 'ingresses'},
	VirtualService: {apiVersion: 'networking.istio.io/v1', plural: 'virtualservices'},
	HTTPRoute: {apiVersion: 'gateway.networking.k8s.io/v1', plural: 'httproutes'},
	TrafficSplit: {apiVersion: 'split.smi-spec.io/v1alpha2', plural: 'trafficsplits'},
	TraefikService: {apiVersion: 'traefik.io/v1alpha1', plural: 'traefikservices'},
	Rollout: {apiVersion: 'argoproj.io/v1alpha1', plural: 'rollouts'},
	Canary: {apiVersion: 'flagger.app/v1beta1', plural: 'canaries'},
};

export function apiVersionOf(obj: KObject, kind: string): string {
	return obj.apiVersion ?? kinds[kind]?.apiVersion ?? 'v1';
}

/** API group and plural, for access reviews: `{group: 'apps', resource: 'deployments'}`. */
export function resourceOf(kind: string, apiVersion = kinds[kind]?.apiVersion ?? 'v1'): {group: string; resource: string} {
	const slash = apiVersion.indexOf('/');
	return {group: slash < 0 ? '' : apiVersion.slice(0, slash), resource: kinds[kind]?.plural ?? `${kind.toLowerCase()}s`};
}

/** The URL path of an object (in its own apiVersion, so an HTTPRoute read as v1beta1 is written as v1beta1). */
export function objectPath(obj: KObject, kind: string, namespace: string, subresource?: string): string {
	const apiVersion = apiVersionOf(obj, kind);
	const base = apiVersion.includes('/') ? `/apis/${apiVersion}` : `/api/${apiVersion}`;
	const {resource} = resourceOf(kind, apiVersion);
	const name = encodeURIComponent(obj.metadata.name ?? '');
	return `${base}/namespaces/${encodeURIComponent(namespace)}/${resource}/${name}${subresource ? `/${subresource}` : ''}`;
}

export function eventsPath(namespace: string): string {
	return `/api/v1/namespaces/${encodeURIComponent(namespace)}/events`;
}

export function refOf(obj: KObject, kind: string, namespace: string): ObjectRef {
	const ref: ObjectRef = {apiVersion: apiVersionOf(obj, kind), kind, name: obj.metadata.name ?? '', namespace};
	if (obj.metadata.uid) ref.uid = obj.metadata.uid;
	return ref;
}
