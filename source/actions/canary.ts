// A canary pair: promote (start or resume the staged promotion) and abort (weight to 0 at once, then the
// canary scaled to 0; an interrupted promotion is also undone on the stable side).
import {nameOf} from '../release/object-fields.js';
import type {JsonPatchOp} from '../traffic/router.js';
import {pointer} from '../traffic/router.js';
import {objectPath, refOf} from './paths.js';
import {planPromoteStart, promotionStatus, readPromotion, PROMOTION_ANNOTATION, stageLabels, type PromotionRecord} from './promotion.js';
import {canaryPair, findObject, type ActionTarget, type Pair} from './target.js';
import {JSON_PATCH, type Plan, type Planned, type Step} from './types.js';
import {planUndo} from './undo.js';
import {canaryWeightOf, managedMessage, managedObject, notACanary, weightMover, weightSteps, type WeightMover} from './weights.js';

type Ready = {pair: Pair; mover: WeightMover};

function prepare(t: ActionTarget, routerOverride?: string): Ready | {message: string} {
	const pair = canaryPair(t);
	if (!pair) return {message: notACanary(t)};
	const mover = weightMover(t, pair, routerOverride);
	if ('message' in mover) return mover;
	const managed = managedObject(pair, mover);
	if (managed) return {message: managedMessage(managed.what, managed.controller)};
	return {pair, mover};
}

/** The promotion recorded on the pair's stable Deployment, if any. */
export function recordedPromotion(t: ActionTarget): PromotionRecord | {broken: string} | undefined {
	const pair = canaryPair(t);
	return pair ? readPromotion(pair.stable) : undefined;
}

/** Plan: promote the canary, or resume a recorded promotion from where the cluster stands. */
export function planCanaryPromote(t: ActionTarget, now: string, routerOverride?: string): Planned {
	const ready = prepare(t, routerOverride);
	if ('message' in ready) return ready;
	const {pair, mover} = ready;
	const record = readPromotion(pair.stable);
	if (record && 'broken' in record) return {message: `the ${PROMOTION_ANNOTATION} annotation on deploy/${nameOf(pair.stable)} cannot be read: a aborts (and removes it)`};
	if (!record) {
		const start = planPromoteStart(t, pair, mover, now);
		if ('plan' in start) start.plan.continues = 'promotion';
		return start;
	}
	const status = promotionStatus(t, pair, mover, record);
	if ('error' in status) return {message: status.error};
	const c = nameOf(pair.canary);
	const resume: Plan = {
		title: `resume the promotion of ${c} (started by ${record.by} at ${record.at})`,
		changes: [`at stage: ${stageLabels[status.stage]}`, ...('waiting' in status ? [`waiting: ${status.waiting}`] : []), ...('plan' in status ? status.plan.changes : [])],
		steps: 'plan' in status ? status.plan.steps : [],
		event: 'plan' in status ? status.plan.event : undefined,
		verify: 'plan' in status ? status.plan.verify : undefined,
		done: 'plan' in status ? status.plan.done : `resumed`,
		continues: 'promotion',
	};
	return {plan: resume};
}

/** Plan: abort the canary (and any promotion recorded): weight to 0, stable back if a promotion changed it, canary to 0. */
export function planCanaryAbort(t: ActionTarget, options: {scaleCanary: boolean; routerOverride?: string}): Planned {
	const ready = prepare(t, options.routerOverride);
	if ('message' in ready) return ready;
	const {pair, mover} = ready;
	const s = nameOf(pair.stable);
	const c = nameOf(pair.canary);
	const steps: Step[] = [];
	const changes: string[] = [];
	const checks: Array<Plan['verify']> = [];
	const said: string[] = [];
	const weight = canaryWeightOf(pair, mover);
	if (weight > 0) {
		const ws = weightSteps(t, pair, mover, 0);
		if ('message' in ws) return ws;
		steps.push(...ws.steps);
		changes.push(...ws.changes);
		checks.push(ws.verify);
		said.push(`weight ${weight}% -> 0%`);
	}
	const record = readPromotion(pair.stable);
	if (record) {
		const from = 'broken' in record ? undefined : record.fromRevision;
		const undo = from === undefined ? undefined : planUndo(t, pair.stable, from, {reason: 'RollscopeAbort', allowPaused: true});
		if (undo && 'plan' in undo) {
			steps.push(...undo.plan.steps);
			changes.push(`deploy/${s} back to revision ${from} (before the promotion):`, ...undo.plan.changes.map(l => `     ${l}`));
			checks.push(undo.plan.verify);
			said.push(`${s} back to revision ${from}`);
		} else {
			const path = pointer('metadata', 'annotations', PROMOTION_ANNOTATION);
			const ops: JsonPatchOp[] = [{op: 'test', path, value: pair.stable.metadata.annotations?.[PROMOTION_ANNOTATION]}, {op: 'remove', path}];
			steps.push({method: 'PATCH', path: objectPath(pair.stable, 'Deployment', t.namespace), contentType: JSON_PATCH, body: ops, object: `Deployment/${s}`, summary: 'remove the promotion record'});
			changes.push(`remove the promotion record from deploy/${s}${undo && 'message' in undo ? ` (${undo.message})` : ''}`);
		}
		checks.push(snap => findObject(snap, 'Deployment', s)?.metadata.annotations?.[PROMOTION_ANNOTATION] === undefined);
	}
	const replicas = typeof pair.canary.spec?.replicas === 'number' ? pair.canary.spec.replicas : 1;
	const scaledByWeight = mover.kind === 'replicas' && weight > 0;
	if (options.scaleCanary && replicas > 0 && !scaledByWeight) {
		const path = pointer('spec', 'replicas');
		steps.push({
			method: 'PATCH',
			path: objectPath(pair.canary, 'Deployment', t.namespace, 'scale'),
			contentType: JSON_PATCH,
			body: [{op: 'test', path, value: replicas}, {op: 'replace', path, value: 0}],
			object: `Deployment/${c}`,
			summary: `scale ${c} ${replicas} → 0`,
		});
		changes.push(`then scale ${c} ${replicas} → 0`);
		checks.push(snap => findObject(snap, 'Deployment', c)?.spec?.replicas === 0);
		said.push(`replicas ${replicas} -> 0`);
	}
	if (steps.length === 0) return {message: `nothing to abort: ${c} has no traffic${options.scaleCanary ? ' and no replicas' : ''}`};
	return {
		plan: {
			title: `abort ${c}`,
			changes,
			steps,
			event: {reason: 'RollscopeAbort', regarding: refOf(pair.canary, 'Deployment', t.namespace), message: `${t.user} aborted ${c}: ${said.join(', ') || 'promotion record removed'}`},
			verify: snap => checks.every(check => !check || check(snap)),
			done: `aborted: ${c} has no traffic${options.scaleCanary ? ' and is scaled to 0' : ''}`,
		},
	};
}
