// The sides of the checkout pair as the router modules see them.
import type {RouterContext, Sides} from '../../source/traffic/router.js';
import type {KObject} from '../../source/kube/object.js';

export const sides: Sides = {
	stable: {id: 'checkout', labels: {app: 'checkout', version: 'v1'}, services: ['checkout-stable']},
	canary: {id: 'checkout-canary', labels: {app: 'checkout', version: 'v2'}, services: ['checkout-canary']},
};

export function context(...objects: KObject[]): RouterContext {
	return {namespace: 'shop', objects};
}
