// What needs a person, per release: failing (a rollout that broke: a deadline passed, pods crash-loop, the
// controller degraded or failed it), waiting (paused for a promotion or an approval), progressing, steady;
// each kind of release says which (kinds/spec.ts `attention`) with the functions here. And the one row the
// list of every namespace's releases shows per release (`rollscope -A`).
import type {KObject} from '../kube/object.js';
import type {DetectedRelease, Member} from './detected.js';
import type {Release, ReleaseKind, Role} from './model.js';
import {canarySteps, currentStepIndex, isBlueGreen, rolloutPhase, rolloutReplicaSets} from './argo.js';
import {pairTraffic} from './canary-pair.js';
import {FLAGGER_ACTIVE_PHASES} from './flagger.js';
import {compareText, nameOf} from './object-fields.js';
import {podStatus} from './pods.js';
import {deploymentProgress} from './progress.js';
import {sanitize} from './sanitize.js';
import type {Scan} from './scan.js';
import {orderVersions} from './versions.js';

/** What a release asks of a person, most urgent first. */
export type AttentionLevel = 'failing' | 'waiting' | 'progressing' | 'steady';

export const attentionLevels: readonly AttentionLevel[] = ['failing', 'waiting', 'progressing', 'steady'];

export type Attention = {
	level: AttentionLevel;
	/** In the controller's or kubectl's words: `Paused (CanaryPauseStep)`, `CrashLoopBackOff (2 pods)`, `canary 10%`. */
	phase: string;
};

/** One version in the list of releases: its images and intended weight. */
export type RowVersion = {id: string; role: Role; images: string[]; weight?: number};

/** One release in the list of every namespace's releases. */
export type ReleaseRow = {
	/** `namespace/target`: one per release in the cluster. */
	key: string;
	namespace: string;
	/** What opens it in its namespace: `deploy/checkout`. */
	target: string;
	name: string;
	kind: ReleaseKind;
	attention: AttentionLevel;
	phase: string;
	/** In panel order: the old version(s) first. */
	versions: RowVersion[];
};

/** Pod statuses that do not heal without a change: a person has to look. */
const TROUBLE = /^(CrashLoopBackOff|ImagePullBackOff|ErrImagePull|InvalidImageName|CreateContainerConfigError|CreateContainerError|RunContainerError)$|^Init:(CrashLoopBackOff|ImagePullBackOff|ErrImagePull)$/;

/**
 * Between two crashes a crash-looping container runs for a moment (kubectl says Running): one that is not ready,
 * has restarted at least twice and last ended in an error is still crash-looping.
 */
function restartingAfterCrashes(pod: KObject): boolean {
	const statuses: any[] = Array.isArray(pod.status?.containerStatuses) ? pod.status.containerStatuses : [];
	return statuses.some(c => c?.ready !== true && Number(c?.restartCount) >= 2 && Number(c?.lastState?.terminated?.exitCode ?? 0) !== 0);
}

/** The most common troubled status among the pods and how many pods have it: `CrashLoopBackOff (2 pods)`; undefined when none. */
export function podTrouble(pods: readonly KObject[]): string | undefined {
	const counts = new Map<string, number>();
	for (const pod of pods) {
		if (pod.metadata.deletionTimestamp) continue;
		const status = podStatus(pod);
		const trouble = TROUBLE.test(status) ? status : restartingAfterCrashes(pod) ? 'CrashLoopBackOff' : undefined;
		if (trouble) counts.set(trouble, (counts.get(trouble) ?? 0) + 1);
	}
	const worst = [...counts].sort((a, b) => b[1] - a[1] || compareText(a[0], b[0]))[0];
	return worst && `${worst[0]} (${worst[1]} pod${worst[1] === 1 ? '' : 's'})`;
}

/** Failing when a Deployment passed its progress deadline or pods of it crash-loop (or cannot pull); waiting when one is paused. */
function deploymentTrouble(members: readonly Member[], scan: Scan): Attention | undefined {
	const progress = members.map(m => ({name: nameOf(m.deployment), progress: deploymentProgress(m.deployment)}));
	const late = progress.find(p => p.progress.deadlineExceeded);
	if (late) return {level: 'failing', phase: members.length > 1 ? `ProgressDeadlineExceeded (${sanitize(late.name)})` : 'ProgressDeadlineExceeded'};
	const trouble = podTrouble(members.flatMap(m => scan.own.podsOfDeployment(m.deployment)));
	if (trouble) return {level: 'failing', phase: trouble};
	const paused = progress.find(p => p.progress.paused);
	if (paused) return {level: 'waiting', phase: members.length > 1 ? `paused (${sanitize(paused.name)})` : 'paused'};
	return undefined;
}

const rolling = (members: readonly Member[]) => members.map(m => deploymentProgress(m.deployment)).find(p => !p.complete);

/** A rolling Deployment: failing, paused, rolling (`rolling 2/4 updated`), else complete. */
export function rollingAttention(release: DetectedRelease, scan: Scan): Attention {
	const trouble = deploymentTrouble(release.members, scan);
	if (trouble) return trouble;
	const p = rolling(release.members);
	if (p) return {level: 'progressing', phase: `rolling ${p.updated}/${p.desired} updated`};
	return {level: 'steady', phase: 'complete'};
}

/** A canary pair: failing or paused as its Deployments are; progressing while a canary has weight or pods (`canary 10%`) or a side rolls. */
export function canaryAttention(release: DetectedRelease, scan: Scan): Attention {
	const trouble = deploymentTrouble(release.members, scan);
	if (trouble) return trouble;
	const weights = pairTraffic(release, scan).weights;
	const canaries = release.members.filter(m => m.role === 'canary');
	const live = canaries.filter(c => (weights[nameOf(c.deployment)] ?? 0) > 0 || scan.own.podsOfDeployment(c.deployment).length > 0);
	if (live.length > 0) return {level: 'progressing', phase: `canary ${live.map(c => `${Math.round(weights[nameOf(c.deployment)] ?? 0)}%`).join(' ')}`};
	if (rolling(release.members)) return {level: 'progressing', phase: 'rolling'};
	return {level: 'steady', phase: 'stable only'};
}

/** A blue-green pair: failing or paused as its Deployments are; progressing while a side rolls; else steady on the side the Service selects. */
export function blueGreenAttention(release: DetectedRelease, scan: Scan): Attention {
	const trouble = deploymentTrouble(release.members, scan);
	if (trouble) return trouble;
	if (rolling(release.members)) return {level: 'progressing', phase: 'rolling'};
	const active = release.members.find(m => m.role === 'active');
	return {level: 'steady', phase: active ? `live on ${sanitize(nameOf(active.deployment))}` : 'steady'};
}

/** Pause reasons that wait for a person (a promote or an abort), not for a clock: every PauseReason of Argo Rollouts. */
const PERSON_PAUSES = new Set(['CanaryPauseStep', 'BlueGreenPause', 'InconclusiveAnalysisRun', 'InconclusiveExperiment']);

/**
 * An Argo Rollout: Degraded or aborted is failing (and so are crash-looping pods); paused at a step without a
 * duration, a blue-green pause without auto-promotion, an inconclusive analysis or a manual pause is waiting;
 * a timed pause or any other progress is progressing; Healthy is steady.
 */
export function rolloutAttention(release: DetectedRelease, scan: Scan): Attention {
	const rollout = release.object;
	if (!rollout) return {level: 'steady', phase: 'unknown'};
	const status = rollout.status ?? {};
	const {phase, message} = rolloutPhase(rollout);
	const reason = /^([A-Z][A-Za-z]+):/.exec(message)?.[1];
	if (phase === 'Degraded' || status.abort === true) return {level: 'failing', phase: `Degraded (${reason ?? (status.abort === true ? 'aborted' : message || 'no reason given')})`};
	const trouble = podTrouble(rolloutReplicaSets(rollout, scan.snap.replicaSets).flatMap(rs => scan.own.podsOf(rs)));
	if (trouble) return {level: 'failing', phase: trouble};
	if (phase === 'Paused') {
		const reasons: string[] = (Array.isArray(status.pauseConditions) ? status.pauseConditions : []).map((c: {reason?: unknown}) => sanitize(c?.reason)).filter(Boolean);
		if (rollout.spec?.paused === true) return {level: 'waiting', phase: 'Paused (manual)'};
		const step = canarySteps(rollout)[currentStepIndex(rollout) ?? -1];
		const timed = (step?.pause?.duration !== undefined && reasons.every(r => r === 'CanaryPauseStep')) || (isBlueGreen(rollout) && rollout.spec?.strategy?.blueGreen?.autoPromotionSeconds !== undefined && reasons.every(r => r === 'BlueGreenPause'));
		const shown = `Paused (${reasons.join(', ') || message || 'paused'})`;
		if (!timed && (reasons.length === 0 || reasons.some(r => PERSON_PAUSES.has(r)))) return {level: 'waiting', phase: shown};
		return {level: 'progressing', phase: shown};
	}
	if (phase === 'Healthy') return {level: 'steady', phase: 'Healthy'};
	const index = currentStepIndex(rollout);
	const steps = canarySteps(rollout).length;
	return {level: 'progressing', phase: index !== undefined && index < steps ? `${phase} (step ${index + 1}/${steps})` : phase};
}

/** A Flagger Canary: Failed is failing (and so are crash-looping pods); waiting for promotion or a gate is waiting; analysis under way is progressing. */
export function flaggerAttention(release: DetectedRelease, scan: Scan): Attention {
	const canary = release.object;
	if (!canary) return {level: 'steady', phase: 'unknown'};
	const phase = sanitize(canary.status?.phase ?? 'Initializing');
	if (phase === 'Failed') return {level: 'failing', phase: 'Failed'};
	const trouble = podTrouble(release.members.flatMap(m => scan.own.podsOfDeployment(m.deployment)));
	if (trouble) return {level: 'failing', phase: trouble};
	if (canary.spec?.suspend === true) return {level: 'waiting', phase: `${phase} (suspended)`};
	if (phase === 'Waiting' || phase === 'WaitingPromotion') return {level: 'waiting', phase};
	if (FLAGGER_ACTIVE_PHASES.has(phase)) {
		const weight = Number(canary.status?.canaryWeight);
		return {level: 'progressing', phase: Number.isFinite(weight) && weight > 0 ? `${phase} (${weight}%)` : phase};
	}
	return {level: 'steady', phase};
}

/** Without a word from the kind: in progress or not. */
export function defaultAttention(release: DetectedRelease): Attention {
	return release.inProgress ? {level: 'progressing', phase: 'in progress'} : {level: 'steady', phase: 'steady'};
}

/** The row of a built release with what it asks of a person. */
export function releaseRow(release: Release, attention: Attention): ReleaseRow {
	return {
		key: `${release.namespace}/${release.target}`,
		namespace: release.namespace,
		target: release.target,
		name: release.name,
		kind: release.kind,
		attention: attention.level,
		phase: attention.phase,
		versions: orderVersions(release.versions).map(v => {
			const weight = release.traffic?.weights[v.id] ?? v.weight;
			return {id: v.id, role: v.role, images: v.images, ...(weight === undefined ? {} : {weight})};
		}),
	};
}

/**
 * Rows by what needs a person first: failing (or judged `fail` by the verdict), waiting, progressing, steady; then
 * by namespace and target. `failed` says which rows' verdict is fail.
 */
export function orderRows(rows: readonly ReleaseRow[], failed: (row: ReleaseRow) => boolean = () => false): ReleaseRow[] {
	const rank = (row: ReleaseRow) => (failed(row) ? 0 : attentionLevels.indexOf(row.attention));
	return rows
		.map(row => ({row, rank: rank(row)}))
		.sort((a, b) => a.rank - b.rank || compareText(a.row.namespace, b.row.namespace) || compareText(a.row.target, b.row.target))
		.map(x => x.row);
}
