// Where the objects actions write live on the API server, and how audit Events name them.
import assert from 'node:assert/strict';
import {test} from 'node:test';
import {apiVersionOf, eventsPath, objectPath, refOf, resourceOf} from '../../source/actions/paths.js';

const named = (name: string, apiVersion?: string, uid?: string) => ({...(apiVersion ? {apiVersion} : {}), metadata: {name, ...(uid ? {uid} : {})}});

test('objectPath: each kind in the apiVersion the object was read in, or the kind\'s own when it says none', () => {
	const paths = Object.fromEntries(
		['Deployment', 'ReplicaSet', 'Service', 'Event', 'Ingress', 'VirtualService', 'HTTPRoute', 'TrafficSplit', 'TraefikService', 'Rollout', 'Canary'].map(kind => [kind, objectPath(named('web'), kind, 'shop')]),
	);
	assert.deepEqual(paths, {
		Deployment: '/apis/apps/v1/namespaces/shop/deployments/web',
		ReplicaSet: '/apis/apps/v1/namespaces/shop/replicasets/web',
		Service: '/api/v1/namespaces/shop/services/web',
		Event: '/api/v1/namespaces/shop/events/web',
		Ingress: '/apis/networking.k8s.io/v1/namespaces/shop/ingresses/web',
		VirtualService: '/apis/networking.istio.io/v1/namespaces/shop/virtualservices/web',
		HTTPRoute: '/apis/gateway.networking.k8s.io/v1/namespaces/shop/httproutes/web',
		TrafficSplit: '/apis/split.smi-spec.io/v1alpha2/namespaces/shop/trafficsplits/web',
		TraefikService: '/apis/traefik.io/v1alpha1/namespaces/shop/traefikservices/web',
		Rollout: '/apis/argoproj.io/v1alpha1/namespaces/shop/rollouts/web',
		Canary: '/apis/flagger.app/v1beta1/namespaces/shop/canaries/web',
	});
	assert.equal(objectPath(named('api', 'gateway.networking.k8s.io/v1beta1'), 'HTTPRoute', 'shop'), '/apis/gateway.networking.k8s.io/v1beta1/namespaces/shop/httproutes/api');
	assert.equal(objectPath(named('web'), 'Deployment', 'shop', 'scale'), '/apis/apps/v1/namespaces/shop/deployments/web/scale');
	assert.equal(objectPath(named('web'), 'Rollout', 'shop', 'status'), '/apis/argoproj.io/v1alpha1/namespaces/shop/rollouts/web/status');
	assert.equal(objectPath(named('a b/c'), 'Service', 'my ns'), '/api/v1/namespaces/my%20ns/services/a%20b%2Fc', 'names are escaped');
	assert.equal(objectPath({metadata: {}}, 'Service', 'shop'), '/api/v1/namespaces/shop/services/');
	assert.equal(objectPath(named('w'), 'Widget', 'shop'), '/api/v1/namespaces/shop/widgets/w', 'an unknown kind: core v1, its plural by s');
	assert.equal(objectPath(named('w', 'example.com/v2'), 'Widget', 'shop'), '/apis/example.com/v2/namespaces/shop/widgets/w');
	assert.equal(eventsPath('my ns'), '/api/v1/namespaces/my%20ns/events');
});

test('resourceOf: group and plural for access reviews', () => {
	assert.deepEqual(resourceOf('Deployment'), {group: 'apps', resource: 'deployments'});
	assert.deepEqual(resourceOf('Service'), {group: '', resource: 'services'});
	assert.deepEqual(resourceOf('Rollout'), {group: 'argoproj.io', resource: 'rollouts'});
	assert.deepEqual(resourceOf('HTTPRoute', 'gateway.networking.k8s.io/v1beta1'), {group: 'gateway.networking.k8s.io', resource: 'httproutes'});
	assert.deepEqual(resourceOf('Widget'), {group: '', resource: 'widgets'});
	assert.equal(apiVersionOf(named('x'), 'Canary'), 'flagger.app/v1beta1');
	assert.equal(apiVersionOf(named('x', 'flagger.app/v1beta2'), 'Canary'), 'flagger.app/v1beta2');
	assert.equal(apiVersionOf(named('x'), 'Widget'), 'v1');
});

test('refOf: the object reference of an audit Event, with the uid when the object has one', () => {
	assert.deepEqual(refOf(named('web', undefined, 'u-7'), 'Deployment', 'shop'), {apiVersion: 'apps/v1', kind: 'Deployment', name: 'web', namespace: 'shop', uid: 'u-7'});
	assert.deepEqual(refOf(named('checkout', 'networking.istio.io/v1beta1'), 'VirtualService', 'shop'), {apiVersion: 'networking.istio.io/v1beta1', kind: 'VirtualService', name: 'checkout', namespace: 'shop'});
	assert.deepEqual(refOf({metadata: {}}, 'Service', 'shop'), {apiVersion: 'v1', kind: 'Service', name: '', namespace: 'shop'});
});
