// Setting a canary pair's weight: through the router object that splits its traffic, or by replica ratio
// (the scale subresource of both Deployments). Every patch tests the old values it replaces.
import type {KObject} from '../kube/object.js';
import {nameOf} from '../release/object-fields.js';
import {managedBy} from '../traffic/managed.js';
import {replicasForWeight} from '../traffic/replicas.js';
import {pointer, type JsonPatchOp, type Router, type WeightReading} from '../traffic/router.js';
import {routerChoices, routers} from '../traffic/routers.js';
import type {ClusterSnapshot} from '../release/snapshot.js';
import {objectPath, refOf} from './paths.js';
import {canaryPair, findObject, type ActionTarget, type Pair} from './target.js';
import type {ActionConfig} from './config.js';
import type {Intent, WeightKey} from './intents.js';
import {JSON_PATCH, type Plan, type Planned, type Step} from './types.js';

/** How the weight of a pair is moved: a router object, or the replica counts. */
export type WeightMover =
	| {kind: 'router'; router: Router; object: KObject; reading: WeightReading}
	| {kind: 'replicas'; weights: {stable: number; canary: number}};

const objectName = (obj: KObject) => `${obj.kind ?? 'Object'}/${nameOf(obj)}`;

function replicasOf(d: KObject): number {
	return typeof d.spec?.replicas === 'number' ? d.spec.replicas : 1;
}

/** The share of spec.replicas, the intended split when replicas carry the traffic. */
function replicaWeights(pair: Pair): {stable: number; canary: number} {
	const s = replicasOf(pair.stable);
	const c = replicasOf(pair.canary);
	const total = s + c;
	const canary = total === 0 ? 0 : Math.round((c * 1000) / total) / 10;
	return {stable: total === 0 ? 0 : Math.round((100 - canary) * 10) / 10, canary};
}

/** What moves the pair's traffic: `--router` if given, else the router object detection found, else replicas. */
export function weightMover(t: ActionTarget, pair: Pair, override?: string): WeightMover | {message: string} {
	if (override === 'replicas') return {kind: 'replicas', weights: replicaWeights(pair)};
	if (override) {
		const router = routers.find(r => r.kind === override);
		if (!router) return {message: `--router ${override}: unknown; use one of ${routerChoices.join(', ')}`};
		for (const object of t.scan.ctx.objects) {
			if (!router.handles(object)) continue;
			const reading = router.read(object, pair.sides, t.scan.ctx);
			if (reading) return {kind: 'router', router, object, reading};
		}
		return {message: `--router ${override}: no ${override} object splits traffic between ${nameOf(pair.stable)} and ${nameOf(pair.canary)}`};
	}
	const found = t.release.router;
	if (found) return {kind: 'router', router: found.router, object: found.object, reading: found.reading};
	return {kind: 'replicas', weights: replicaWeights(pair)};
}

/** Said instead of patching an object a controller owns. */
export function managedMessage(what: string, controller: string): string {
	const how = controller === 'argo-rollouts' ? 'kubectl argo rollouts promote|abort|set weight' : 'the Canary resource (Flagger moves the weight itself)';
	return `${what} is managed by ${controller}: rollscope does not patch it behind the controller's back; use ${how}`;
}

/** Which object, if any, a controller owns among those a weight change would write. */
export function managedObject(pair: Pair, mover: WeightMover): {what: string; controller: string} | undefined {
	const objects = mover.kind === 'router' ? [mover.object] : [pair.stable, pair.canary];
	for (const obj of objects) {
		const controller = managedBy(obj);
		if (controller) return {what: objectName(obj), controller};
	}
	return undefined;
}

export type WeightSteps = {steps: Step[]; changes: string[]; object: KObject; objectKind: string; verify: (snap: ClusterSnapshot) => boolean};

function pct(n: number): string {
	return `${Math.round(n * 10) / 10}%`;
}

/** The requests that set canary = W (stable = 100 − W), with the lines saying what changes. */
export function weightSteps(t: ActionTarget, pair: Pair, mover: WeightMover, canaryWeight: number): WeightSteps {
	const stableName = nameOf(pair.stable);
	const canaryName = nameOf(pair.canary);
	if (mover.kind === 'router') {
		const {router, object} = mover;
		const kind = object.kind ?? '';
		const ops = router.setWeightPatch(object, pair.sides, t.scan.ctx, canaryWeight) ?? [];
		const old = mover.reading.weights;
		const name = objectName(object);
		return {
			steps: [{method: 'PATCH', path: objectPath(object, kind, t.namespace), contentType: JSON_PATCH, body: ops, object: name, summary: `${name}: weights ${stableName} ${100 - canaryWeight}, ${canaryName} ${canaryWeight}`}],
			changes: [`${name}: ${stableName} ${pct(old.stable)} → ${100 - canaryWeight}%, ${canaryName} ${pct(old.canary)} → ${canaryWeight}%`],
			object,
			objectKind: kind,
			verify: snap => {
				const now = findObject(snap, kind, nameOf(object));
				if (!now) return false;
				const reading = router.read(now, pair.sides, {namespace: snap.namespace, objects: snap.routers});
				return reading !== undefined && Math.abs(reading.weights.canary - canaryWeight) <= 0.5;
			},
		};
	}
	const s = replicasOf(pair.stable);
	const c = replicasOf(pair.canary);
	const target = replicasForWeight(s + c, canaryWeight);
	const scaleStep = (d: KObject, from: number, to: number): Step => {
		const path = pointer('spec', 'replicas');
		const ops: JsonPatchOp[] = [
			{op: 'test', path, value: from},
			{op: 'replace', path, value: to},
		];
		return {method: 'PATCH', path: objectPath(d, 'Deployment', t.namespace, 'scale'), contentType: JSON_PATCH, body: ops, object: objectName({...d, kind: 'Deployment'}), summary: `scale ${nameOf(d)} ${from} → ${to}`};
	};
	const parts = [
		{d: pair.canary, from: c, to: target.canary},
		{d: pair.stable, from: s, to: target.stable},
	].filter(p => p.from !== p.to);
	// The side that grows goes first, so capacity never dips.
	parts.sort((a, b) => (b.to - b.from) - (a.to - a.from));
	return {
		steps: parts.map(p => scaleStep(p.d, p.from, p.to)),
		changes: [`replicas: ${stableName} ${s} → ${target.stable}, ${canaryName} ${c} → ${target.canary} (${canaryWeight}% by replica ratio)`],
		object: pair.canary,
		objectKind: 'Deployment',
		verify: snap => {
			const st = findObject(snap, 'Deployment', stableName);
			const ca = findObject(snap, 'Deployment', canaryName);
			return st !== undefined && ca !== undefined && replicasOf(st) === target.stable && replicasOf(ca) === target.canary;
		},
	};
}

/** The canary's current weight, as the mover reads it. */
export function canaryWeightOf(mover: WeightMover): number {
	return mover.kind === 'router' ? mover.reading.weights.canary : mover.weights.canary;
}

/** Plan: set the canary's weight to `canaryWeight` percent. */
export function planSetWeight(t: ActionTarget, canaryWeight: number, routerOverride?: string): Planned {
	const pair = canaryPair(t);
	if (!pair) return {message: notACanary(t)};
	if (!Number.isInteger(canaryWeight) || canaryWeight < 0 || canaryWeight > 100) return {message: `weight must be a whole number from 0 to 100, not ${canaryWeight}`};
	const mover = weightMover(t, pair, routerOverride);
	if ('message' in mover) return mover;
	const managed = managedObject(pair, mover);
	if (managed) return {message: managedMessage(managed.what, managed.controller)};
	const old = canaryWeightOf(mover);
	const canaryName = nameOf(pair.canary);
	const ws = weightSteps(t, pair, mover, canaryWeight);
	if (ws.steps.length === 0 || (mover.kind === 'router' && Math.abs(old - canaryWeight) < 0.05)) return {message: `${canaryName} is already at ${canaryWeight}%`};
	const via = mover.kind === 'router' ? objectName(mover.object) : 'replica ratio';
	const plan: Plan = {
		title: `set the weight of ${canaryName}: ${pct(old)} → ${canaryWeight}%`,
		changes: ws.changes,
		steps: ws.steps,
		event: {
			reason: 'RollscopeSetWeight',
			regarding: refOf(ws.object, ws.objectKind, t.namespace),
			message: `${t.user} set the weight of ${canaryName} ${pct(old)} -> ${canaryWeight}% (${via})`,
		},
		verify: ws.verify,
		done: `${canaryName} now has ${canaryWeight}% (${via})`,
	};
	return {plan};
}

export function notACanary(t: ActionTarget): string {
	return t.noWeights;
}

/** The weight + and - move to, by `step` from the current one. */
export function steppedWeight(current: number, direction: 1 | -1, step: number): number {
	const next = Math.round(current) + direction * step;
	return Math.max(0, Math.min(100, next));
}

/** The next (]) or previous ([) weight of the plan from the current one; undefined past the ends. */
export function planWeight(current: number, direction: 1 | -1, plan: readonly number[]): number | undefined {
	const sorted = [...plan].sort((a, b) => a - b);
	if (direction > 0) return sorted.find(w => w > current + 0.05);
	const below = sorted.filter(w => w < current - 0.05);
	return below.length > 0 ? below[below.length - 1] : current > 0.05 ? 0 : undefined;
}

/** The canary's weight now, as the planner would read it; a message when the release has no canary weight. */
export function currentCanaryWeight(t: ActionTarget, routerOverride?: string): number | {message: string} {
	const pair = canaryPair(t);
	if (!pair) return {message: notACanary(t)};
	const mover = weightMover(t, pair, routerOverride);
	return 'message' in mover ? mover : canaryWeightOf(mover);
}

/** What a weight key asks for: an intent to plan, a prompt for a typed weight starting from `current`, or why nothing. */
export type WeightKeyAnswer = {intent: Intent} | {prompt: {current?: number}} | {message: string};

/** The weight keys on a canary pair: + and - by `weightStep`, [ and ] along `weightPlan`, = to a typed weight. */
export function canaryWeightKey(t: ActionTarget, key: WeightKey, config: Pick<ActionConfig, 'weightStep' | 'weightPlan'>, routerOverride?: string): WeightKeyAnswer {
	const current = currentCanaryWeight(t, routerOverride);
	if (typeof current !== 'number') return current;
	switch (key) {
		case 'typeWeight':
			return {prompt: {current}};
		case 'weightUp':
		case 'weightDown': {
			const next = steppedWeight(current, key === 'weightUp' ? 1 : -1, config.weightStep);
			if (next === Math.round(current) && Math.abs(next - current) < 0.05) return {message: `the canary is already at ${next}%`};
			return {intent: {name: 'setWeight', percent: next}};
		}
		default: {
			const next = planWeight(current, key === 'planNext' ? 1 : -1, config.weightPlan);
			if (next === undefined) return {message: `no ${key === 'planNext' ? 'next' : 'previous'} step in the weight plan (${config.weightPlan.join(', ')}) from ${Math.round(current)}%`};
			return {intent: {name: 'setWeight', percent: next}};
		}
	}
}
