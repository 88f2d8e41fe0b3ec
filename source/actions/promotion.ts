// Promoting a canary pair, the way Flagger does: the stable Deployment takes the canary's pod template; once
// its pods are all ready, traffic goes back to 100% stable; then the canary is scaled to 0. Each stage is a
// pure function of the cluster as the watch shows it, so a promotion can resume after rollscope quits:
// the annotation `rollscope.dev/promotion` on the stable Deployment records that one is under way.
import type {KObject} from '../kube/object.js';
import {templateLabels} from '../release/labels.js';
import {CHANGE_CAUSE_ANNOTATION, nameOf, revisionOf, templateImages} from '../release/object-fields.js';
import {sanitize} from '../release/sanitize.js';
import {pointer, type JsonPatchOp} from '../traffic/router.js';
import {diffText, templateDiff} from './diff.js';
import {clone, equalIgnoreHash} from './json.js';
import {objectPath, refOf} from './paths.js';
import {findObject, type ActionTarget, type Pair} from './target.js';
import {JSON_PATCH, type Plan, type Planned, type Step} from './types.js';
import {canaryWeightOf, weightSteps, type WeightMover} from './weights.js';

export const PROMOTION_ANNOTATION = 'rollscope.dev/promotion';

export type Stage = 'template' | 'ready' | 'traffic' | 'scale' | 'finish';

export const stageLabels: Record<Stage, string> = {
	template: 'stable takes the canary template',
	ready: 'stable pods ready',
	traffic: '100% to stable',
	scale: 'canary scaled to 0',
	finish: 'record removed',
};
export const stageOrder: Stage[] = ['template', 'ready', 'traffic', 'scale', 'finish'];

export type PromotionRecord = {canary: string; stage: Stage; images: string[]; fromRevision?: number; by: string; at: string};

/** The promotion recorded on the stable Deployment, if any (a record that does not parse is reported as such). */
export function readPromotion(stable: KObject): PromotionRecord | {broken: string} | undefined {
	const raw = stable.metadata.annotations?.[PROMOTION_ANNOTATION];
	if (raw === undefined) return undefined;
	try {
		const r = JSON.parse(raw);
		if (typeof r?.canary === 'string' && stageOrder.includes(r.stage) && Array.isArray(r.images)) return r as PromotionRecord;
	} catch {
		// fall through
	}
	return {broken: raw};
}

/** The template the stable Deployment takes: the canary's, keeping the stable's pod labels (its selector). */
export function promotedTemplate(stable: KObject, canary: KObject): any {
	const template = clone(canary.spec?.template ?? {});
	template.metadata = {...template.metadata, labels: {...templateLabels(stable)}};
	return template;
}

const annotationPath = pointer('metadata', 'annotations', PROMOTION_ANNOTATION);

/** Ops that move the record to `next` (or remove it), testing the recorded value first. */
function recordOps(stable: KObject, next: PromotionRecord | undefined): JsonPatchOp[] {
	const old = stable.metadata.annotations?.[PROMOTION_ANNOTATION];
	const ops: JsonPatchOp[] = [];
	if (old !== undefined) ops.push({op: 'test', path: annotationPath, value: old});
	if (next) {
		if (stable.metadata.annotations === undefined) ops.push({op: 'add', path: '/metadata/annotations', value: {[PROMOTION_ANNOTATION]: JSON.stringify(next)}});
		else ops.push({op: 'add', path: annotationPath, value: JSON.stringify(next)});
	} else if (old !== undefined) {
		ops.push({op: 'remove', path: annotationPath});
	}
	return ops;
}

const replicasOf = (d: KObject) => (typeof d.spec?.replicas === 'number' ? d.spec.replicas : 1);
const imagesOf = (d: KObject) => templateImages(d).map(sanitize);

/** Whether the stable Deployment has rolled out its template completely (kubectl rollout status's test). */
export function rolledOut(d: KObject): {done: boolean; text: string} {
	const want = replicasOf(d);
	const s = d.status ?? {};
	const observed = (d.metadata.generation ?? 0) <= (s.observedGeneration ?? 0);
	const updated = s.updatedReplicas ?? 0;
	const available = s.availableReplicas ?? 0;
	const total = s.replicas ?? 0;
	const done = observed && updated >= want && available >= want && total <= updated;
	const paused = d.spec?.paused === true && !done ? ` (deploy/${nameOf(d)} is paused: the promotion goes on once it is resumed)` : '';
	return {done, text: `${nameOf(d)}: ${updated}/${want} updated, ${available} available${total > updated ? `, ${total - updated} old pending termination` : ''}${paused}`};
}

export type PromotionStatus =
	| {stage: Stage; plan: Plan}
	| {stage: Stage; waiting: string}
	| {stage: Stage; error: string}
	| {stage: 'finish'; done: true};

function patchStable(t: ActionTarget, stable: KObject, ops: JsonPatchOp[], summary: string): Step {
	return {method: 'PATCH', path: objectPath(stable, 'Deployment', t.namespace), contentType: JSON_PATCH, body: ops, object: `Deployment/${nameOf(stable)}`, summary};
}

function event(t: ActionTarget, target: KObject, message: string): Plan['event'] {
	return {reason: 'RollscopePromote', regarding: refOf(target, 'Deployment', t.namespace), message: `${t.user} promoting ${message}`};
}

/** Plan: start promoting the canary (the template stage, and the record). */
export function planPromoteStart(t: ActionTarget, pair: Pair, mover: WeightMover, now: string): Planned {
	const {stable, canary} = pair;
	const s = nameOf(stable);
	const c = nameOf(canary);
	if (replicasOf(canary) === 0 || (canary.status?.availableReplicas ?? 0) === 0) return {message: `${c} has no available pods: nothing to promote`};
	const target = promotedTemplate(stable, canary);
	const sameTemplate = equalIgnoreHash(stable.spec?.template, target);
	const weight = canaryWeightOf(pair, mover);
	if (sameTemplate && weight === 0 && replicasOf(canary) === 0) return {message: `${s} already runs ${c}'s template and ${c} has no traffic: nothing to promote`};
	const record: PromotionRecord = {canary: c, stage: 'ready', images: imagesOf(canary), fromRevision: revisionOf(stable), by: t.user, at: now};
	const ops: JsonPatchOp[] = [];
	if (!sameTemplate) {
		ops.push({op: 'test', path: '/spec/template', value: stable.spec?.template}, {op: 'replace', path: '/spec/template', value: target});
	}
	ops.push(...recordOps(stable, record));
	if (!sameTemplate) ops.push({op: 'add', path: pointer('metadata', 'annotations', CHANGE_CAUSE_ANNOTATION), value: `rollscope promote ${c} (${imagesOf(canary).join(', ')})`});
	const diff = templateDiff(stable.spec?.template, target).map(diffText);
	const traffic = mover.kind === 'router' ? `${mover.object.kind ?? 'router'}/${nameOf(mover.object)}: ${s} → 100%, ${c} → 0%` : `replicas: ${c} → 0, ${s} takes its share`;
	const plan: Plan = {
		title: `promote ${c} into ${s}`,
		changes: [
			`1. deploy/${s} takes the pod template of ${c}${diff.length ? ':' : ''}`,
			...diff.map(line => `     ${line}`),
			`2. wait until all pods of ${s} are ready`,
			`3. ${traffic}`,
			`4. scale ${c} ${replicasOf(canary)} → 0`,
			`(recorded in ${PROMOTION_ANNOTATION} on deploy/${s}: an interrupted promotion can be resumed or aborted)`,
		],
		steps: [patchStable(t, stable, ops, `deploy/${s}: template of ${c}, promotion recorded`)],
		event: event(t, stable, `${c} into ${s}: image ${imagesOf(stable).join(', ')} -> ${imagesOf(canary).join(', ')}`),
		verify: snap => {
			const now = findObject(snap, 'Deployment', s);
			return now !== undefined && equalIgnoreHash(now.spec?.template, target) && now.metadata.annotations?.[PROMOTION_ANNOTATION] !== undefined;
		},
		done: `${s} runs ${c}'s template`,
	};
	return {plan};
}

/** Where a recorded promotion stands, and the plan of its next stage (or what it waits for). */
export function promotionStatus(t: ActionTarget, pair: Pair, mover: WeightMover, record: PromotionRecord): PromotionStatus {
	const {stable, canary} = pair;
	const s = nameOf(stable);
	const c = nameOf(canary);
	if (record.canary !== c) return {stage: record.stage, error: `the recorded promotion is of ${record.canary}, not ${c}`};
	const images = imagesOf(canary);
	if (images.join(',') !== record.images.join(',')) {
		return {stage: record.stage, error: `${c} changed since the promotion started (${record.images.join(', ')} -> ${images.join(', ')}): a aborts it`};
	}
	const at = (stage: Stage) => ({...record, stage});
	const target = promotedTemplate(stable, canary);
	if (!equalIgnoreHash(stable.spec?.template, target)) {
		const ops: JsonPatchOp[] = [{op: 'test', path: '/spec/template', value: stable.spec?.template}, {op: 'replace', path: '/spec/template', value: target}, ...recordOps(stable, at('ready'))];
		return {
			stage: 'template',
			plan: {
				title: `promote ${c}: template`,
				changes: [`deploy/${s} takes the pod template of ${c}`],
				steps: [patchStable(t, stable, ops, `deploy/${s}: template of ${c}`)],
				event: event(t, stable, `${c} into ${s}: image ${imagesOf(stable).join(', ')} -> ${images.join(', ')}`),
				verify: snap => equalIgnoreHash(findObject(snap, 'Deployment', s)?.spec?.template, target),
				done: `${s} runs ${c}'s template`,
			},
		};
	}
	const rollout = rolledOut(stable);
	if (!rollout.done) return {stage: 'ready', waiting: rollout.text};
	const weight = canaryWeightOf(pair, mover);
	if (weight > 0) {
		const ws = weightSteps(t, pair, mover, 0);
		if ('message' in ws) return {stage: 'traffic', error: ws.message};
		return {
			stage: 'traffic',
			plan: {
				title: `promote ${c}: traffic`,
				changes: ws.changes,
				steps: [patchStable(t, stable, recordOps(stable, at('traffic')), `record stage traffic`), ...ws.steps],
				event: event(t, stable, `${c} into ${s}: traffic to ${c} ${weight}% -> 0%, ${s} -> 100%`),
				verify: ws.verify,
				done: `100% of traffic on ${s}`,
			},
		};
	}
	if (replicasOf(canary) > 0) {
		const path = pointer('spec', 'replicas');
		const from = replicasOf(canary);
		const scale: Step = {
			method: 'PATCH',
			path: objectPath(canary, 'Deployment', t.namespace, 'scale'),
			contentType: JSON_PATCH,
			body: [{op: 'test', path, value: from}, {op: 'replace', path, value: 0}],
			object: `Deployment/${c}`,
			summary: `scale ${c} ${from} → 0`,
		};
		return {
			stage: 'scale',
			plan: {
				title: `promote ${c}: scale down`,
				changes: [`scale ${c} ${from} → 0`],
				steps: [patchStable(t, stable, recordOps(stable, at('scale')), 'record stage scale'), scale],
				event: event(t, canary, `${c} into ${s}: ${c} replicas ${from} -> 0`),
				verify: snap => findObject(snap, 'Deployment', c)?.spec?.replicas === 0,
				done: `${c} scaled to 0`,
			},
		};
	}
	if (stable.metadata.annotations?.[PROMOTION_ANNOTATION] !== undefined) {
		return {
			stage: 'finish',
			plan: {
				title: `promote ${c}: finish`,
				changes: [`remove ${PROMOTION_ANNOTATION} from deploy/${s}`],
				steps: [patchStable(t, stable, recordOps(stable, undefined), 'promotion done: record removed')],
				event: event(t, stable, `${c} into ${s}: done; ${s} runs ${images.join(', ')} with 100% of traffic, ${c} scaled to 0`),
				verify: snap => findObject(snap, 'Deployment', s)?.metadata.annotations?.[PROMOTION_ANNOTATION] === undefined,
				done: `promoted: ${s} runs ${images.join(', ')} with all traffic; ${c} is at 0`,
			},
		};
	}
	return {stage: 'finish', done: true};
}

/** One line of progress: `✓ stable takes … · ● stable pods ready (2/4) · ○ …`. */
export function stageSteps(stage: Stage, done = false, detail?: string): Array<{label: string; state: 'done' | 'active' | 'pending'}> {
	const index = stageOrder.indexOf(stage);
	return stageOrder.map((s, i) => ({
		label: i === index && detail ? `${stageLabels[s]} (${detail})` : stageLabels[s],
		state: done || i < index ? 'done' : i === index ? 'active' : 'pending',
	}));
}
