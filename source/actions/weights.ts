// Setting the weight of a canary release's canary (the focused one when there are several): through the
// router object that splits its traffic, or by replica ratio (the scale subresource of the Deployments).
// The stable version takes what the canary gives or leaves; other canaries keep theirs while they fit.
// Every patch tests the old values it replaces.
import type {KObject} from '../kube/object.js';
import {nameOf} from '../release/object-fields.js';
import {managedBy} from '../traffic/managed.js';
import {replicasForWeights} from '../traffic/replicas.js';
import {pointer, type JsonPatchOp, type Router, type WeightReading, type Weights} from '../traffic/router.js';
import {routerChoices, routers} from '../traffic/routers.js';
import type {ClusterSnapshot} from '../release/snapshot.js';
import {objectPath, refOf} from './paths.js';
import {canaryPair, findObject, type ActionTarget, type Pair} from './target.js';
import type {ActionConfig} from './config.js';
import type {Intent, WeightKey} from './intents.js';
import {JSON_PATCH, type Plan, type Planned, type Step} from './types.js';

/** How the weights of a release are moved: a router object, or the replica counts. */
export type WeightMover = {kind: 'router'; router: Router; object: KObject; reading: WeightReading} | {kind: 'replicas'; weights: Weights};

const objectName = (obj: KObject) => `${obj.kind ?? 'Object'}/${nameOf(obj)}`;

function replicasOf(d: KObject): number {
	return typeof d.spec?.replicas === 'number' ? d.spec.replicas : 1;
}

/** The share of spec.replicas, the intended split when replicas carry the traffic. */
function replicaWeights(pair: Pair): Weights {
	const total = pair.members.reduce((sum, d) => sum + replicasOf(d), 0);
	return Object.fromEntries(pair.members.map(d => [nameOf(d), total === 0 ? 0 : Math.round((replicasOf(d) * 1000) / total) / 10]));
}

/** What moves the release's traffic: `--router` if given, else the router object detection found, else replicas. */
export function weightMover(t: ActionTarget, pair: Pair, override?: string): WeightMover | {message: string} {
	if (override === 'replicas') return {kind: 'replicas', weights: replicaWeights(pair)};
	if (override) {
		const router = routers.find(r => r.kind === override);
		if (!router) return {message: `--router ${override}: unknown; use one of ${routerChoices.join(', ')}`};
		for (const object of t.scan.ctx.objects) {
			if (!router.handles(object)) continue;
			const reading = router.read(object, pair.versions, t.scan.ctx);
			if (reading && nameOf(pair.canary) in reading.weights && nameOf(pair.stable) in reading.weights) return {kind: 'router', router, object, reading};
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
	const objects = mover.kind === 'router' ? [mover.object] : pair.members;
	for (const obj of objects) {
		const controller = managedBy(obj);
		if (controller) return {what: objectName(obj), controller};
	}
	return undefined;
}

/** The weights of every version of the release now, as the mover reads them (0 for a version it does not name). */
export function currentWeights(pair: Pair, mover: WeightMover): Weights {
	const read = mover.kind === 'router' ? mover.reading.weights : mover.weights;
	return Object.fromEntries(pair.members.map(d => [nameOf(d), read[nameOf(d)] ?? 0]));
}

/**
 * Whole-percent weights adding up to 100 with the canary at `canaryWeight`: other canaries keep theirs (rounded),
 * the stable version takes the rest; when the rest would be below 0, the other canaries share what is left in
 * proportion to their weights (the largest remainders rounded up).
 */
export function nextWeights(current: Weights, stable: string, canary: string, canaryWeight: number): Weights {
	const others = Object.keys(current).filter(id => id !== stable && id !== canary);
	const next: Weights = {[canary]: canaryWeight};
	const kept = others.map(id => Math.round(current[id] ?? 0));
	const keptTotal = kept.reduce((a, b) => a + b, 0);
	const room = 100 - canaryWeight;
	if (keptTotal <= room) {
		others.forEach((id, i) => (next[id] = kept[i]!));
		next[stable] = room - keptTotal;
	} else {
		const exact = kept.map(w => (w * room) / keptTotal);
		const floors = exact.map(Math.floor);
		let left = room - floors.reduce((a, b) => a + b, 0);
		const order = exact.map((w, i) => [w - floors[i]!, i] as const).sort((a, b) => b[0] - a[0] || a[1] - b[1]);
		for (const [, i] of order) if (left-- > 0) floors[i]++;
		others.forEach((id, i) => (next[id] = floors[i]!));
		next[stable] = 0;
	}
	return Object.fromEntries(Object.keys(current).map(id => [id, next[id] ?? 0]));
}

export type WeightSteps = {steps: Step[]; changes: string[]; object: KObject; objectKind: string; verify: (snap: ClusterSnapshot) => boolean};

function pct(n: number): string {
	return `${Math.round(n * 10) / 10}%`;
}

/** Every version's weight old → new, in the release's order: `checkout 90% → 75%, checkout-canary 10% → 25%`. */
function weightChanges(pair: Pair, old: Weights, next: Weights): string {
	return pair.members.map(d => `${nameOf(d)} ${pct(old[nameOf(d)] ?? 0)} → ${next[nameOf(d)]}%`).join(', ');
}

/** The requests that set the canary to W (the others as nextWeights says), with the lines saying what changes. */
export function weightSteps(t: ActionTarget, pair: Pair, mover: WeightMover, canaryWeight: number): WeightSteps | {message: string} {
	const stableName = nameOf(pair.stable);
	const canaryName = nameOf(pair.canary);
	const old = currentWeights(pair, mover);
	const next = nextWeights(old, stableName, canaryName, canaryWeight);
	if (mover.kind === 'router') {
		const {router, object} = mover;
		const kind = object.kind ?? '';
		const ops = router.setWeightPatch(object, pair.versions, t.scan.ctx, next);
		const name = objectName(object);
		if (!ops) return {message: `${name} also sends traffic to what is not a version of ${t.release.target}: rollscope cannot set whole percents there`};
		return {
			steps: [{method: 'PATCH', path: objectPath(object, kind, t.namespace), contentType: JSON_PATCH, body: ops, object: name, summary: `${name}: weights ${pair.members.map(d => `${nameOf(d)} ${next[nameOf(d)]}`).join(', ')}`}],
			changes: [`${name}: ${weightChanges(pair, old, next)}`],
			object,
			objectKind: kind,
			verify: snap => {
				const now = findObject(snap, kind, nameOf(object));
				if (!now) return false;
				const reading = router.read(now, pair.versions, {namespace: snap.namespace, objects: snap.routers});
				return reading !== undefined && Math.abs((reading.weights[canaryName] ?? 0) - canaryWeight) <= 0.5;
			},
		};
	}
	const before = Object.fromEntries(pair.members.map(d => [nameOf(d), replicasOf(d)]));
	const total = Object.values(before).reduce((a, b) => a + b, 0);
	const target = replicasForWeights(total, next, stableName);
	const scaleStep = (d: KObject, from: number, to: number): Step => {
		const path = pointer('spec', 'replicas');
		const ops: JsonPatchOp[] = [
			{op: 'test', path, value: from},
			{op: 'replace', path, value: to},
		];
		return {method: 'PATCH', path: objectPath(d, 'Deployment', t.namespace, 'scale'), contentType: JSON_PATCH, body: ops, object: objectName({...d, kind: 'Deployment'}), summary: `scale ${nameOf(d)} ${from} → ${to}`};
	};
	const parts = pair.members.map(d => ({d, from: before[nameOf(d)]!, to: target[nameOf(d)]!})).filter(p => p.from !== p.to);
	// The versions that grow go first, so capacity never dips.
	parts.sort((a, b) => (b.to - b.from) - (a.to - a.from));
	return {
		steps: parts.map(p => scaleStep(p.d, p.from, p.to)),
		changes: [`replicas: ${pair.members.map(d => `${nameOf(d)} ${before[nameOf(d)]} → ${target[nameOf(d)]}`).join(', ')} (${canaryWeight}% by replica ratio)`],
		object: pair.canary,
		objectKind: 'Deployment',
		verify: snap => pair.members.every(d => {
			const now = findObject(snap, 'Deployment', nameOf(d));
			return now !== undefined && replicasOf(now) === target[nameOf(d)];
		}),
	};
}

/** The canary's current weight, as the mover reads it. */
export function canaryWeightOf(pair: Pair, mover: WeightMover): number {
	return currentWeights(pair, mover)[nameOf(pair.canary)] ?? 0;
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
	const old = canaryWeightOf(pair, mover);
	const canaryName = nameOf(pair.canary);
	const ws = weightSteps(t, pair, mover, canaryWeight);
	if ('message' in ws) return ws;
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
	return 'message' in mover ? mover : canaryWeightOf(pair, mover);
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
