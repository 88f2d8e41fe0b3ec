// The two sides of a canary pair as the router modules see them, for reading and setting weights.
import type {RouterContext, Sides} from '../traffic/router.js';
import {sidesOf} from './roles.js';
import {scanSnapshot} from './scan.js';
import type {ClusterSnapshot} from './snapshot.js';

/** Sides of the pair of Deployments named `stable` and `canary`, with the router context; undefined if either is gone. */
export function pairSides(snap: ClusterSnapshot, stable: string, canary: string): {sides: Sides; ctx: RouterContext} | undefined {
	const scan = scanSnapshot(snap);
	const s = scan.deployment(stable);
	const c = scan.deployment(canary);
	return s && c ? {sides: sidesOf(s, c, scan), ctx: scan.ctx} : undefined;
}
