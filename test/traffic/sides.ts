// The versions the router modules are asked about: the checkout pair, and bookinfo's three reviews.
import type {KObject} from '../../source/kube/object.js';
import type {RouterContext, Side} from '../../source/traffic/router.js';

export const stable: Side = {id: 'checkout', labels: {app: 'checkout', version: 'v1'}, services: ['checkout-stable']};
export const canary: Side = {id: 'checkout-canary', labels: {app: 'checkout', version: 'v2'}, services: ['checkout-canary']};
/** The checkout pair: stable first. */
export const sides: Side[] = [stable, canary];

/** Bookinfo's reviews v1, v2 and v3 behind the one Service `reviews`, told apart by the label `version`. */
export const reviews: Side[] = ['v1', 'v2', 'v3'].map(v => ({id: `reviews-${v}`, labels: {app: 'reviews', version: v}, services: [`reviews-${v}`]}));

/** The pair's weights as a router reads them. */
export const pair = (stableWeight: number, canaryWeight: number) => ({checkout: stableWeight, 'checkout-canary': canaryWeight});

export function context(...objects: KObject[]): RouterContext {
	return {namespace: 'shop', objects};
}
