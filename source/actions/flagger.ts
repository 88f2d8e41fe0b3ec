// Flagger actions, as pure builders. Flagger has no promote or weight API: the levers are two spec
// flags on the Canary (`skipAnalysis` promotes the running canary without further checks, `suspend`
// freezes it) and the target Deployment itself (undo = revert its pod template, which starts a new
// analysis unless skipAnalysis is set). Each request carries a precondition, as in ./argo.ts.
import type {KObject} from '../kube/object.js';
import {canaryTargetName, FLAGGER_ACTIVE_PHASES} from '../release/flagger.js';
import {nameOf, revisionOf} from '../release/object-fields.js';
import {jsonPatch, mergePatch, type ControllerPlan, type ControllerPlanned} from './argo.js';

const seg = (s: string) => encodeURIComponent(s);

export function canaryPath(namespace: string, name: string): string {
	return `/apis/flagger.app/v1beta1/namespaces/${seg(namespace)}/canaries/${seg(name)}`;
}

export function deploymentPath(namespace: string, name: string): string {
	return `/apis/apps/v1/namespaces/${seg(namespace)}/deployments/${seg(name)}`;
}

const ref = (c: KObject) => `canary/${nameOf(c)}`;
const ns = (o: KObject) => o.metadata.namespace ?? 'default';

function regarding(o: KObject, kind: string, apiVersion: string): ControllerPlan['regarding'] {
	const r: ControllerPlan['regarding'] = {apiVersion: o.apiVersion ?? apiVersion, kind, name: nameOf(o), namespace: ns(o)};
	if (o.metadata.uid) r.uid = o.metadata.uid;
	return r;
}

const phaseOf = (c: KObject): string => String(c.status?.phase ?? 'Initializing');

/**
 * Promote: `{"spec":{"skipAnalysis":true}}`. Flagger then checks that the canary is healthy and promotes it
 * without further analysis. The flag stays set: later revisions are promoted without analysis too until it
 * is cleared (flaggerRestoreAnalysis).
 */
export function flaggerPromote(canary: KObject): ControllerPlanned {
	if (canary.spec?.skipAnalysis === true) return {message: `${ref(canary)} already skips analysis (promotion is under way or next)`};
	const phase = phaseOf(canary);
	if (!FLAGGER_ACTIVE_PHASES.has(phase) || phase === 'Initializing') return {message: `${ref(canary)} is ${phase}: there is no canary run to promote`};
	return {
		plan: {
			action: 'skip-analysis',
			title: `promote ${ref(canary)} (skipAnalysis)`,
			changes: [
				`spec.skipAnalysis false → true: Flagger stops the analysis (weight ${canary.status?.canaryWeight ?? 0}%) and promotes ${canaryTargetName(canary) ?? 'the target'}`,
				'skipAnalysis stays true: later revisions skip analysis too until it is set back to false',
			],
			steps: [mergePatch(canary, canaryPath(ns(canary), nameOf(canary)), {spec: {skipAnalysis: true}}, 'skip analysis (spec)')],
			regarding: regarding(canary, 'Canary', 'flagger.app/v1beta1'),
			dangerous: true,
		},
	};
}

/** `{"spec":{"skipAnalysis":false}}`: analyse the next revisions again. */
export function flaggerRestoreAnalysis(canary: KObject): ControllerPlanned {
	if (canary.spec?.skipAnalysis !== true) return {message: `${ref(canary)} does not skip analysis`};
	return {
		plan: {
			action: 'restore-analysis',
			title: `analyse ${ref(canary)} again`,
			changes: ['spec.skipAnalysis true → false: the next revision runs the analysis'],
			steps: [mergePatch(canary, canaryPath(ns(canary), nameOf(canary)), {spec: {skipAnalysis: false}}, 'restore analysis (spec)')],
			regarding: regarding(canary, 'Canary', 'flagger.app/v1beta1'),
			dangerous: false,
		},
	};
}

/** `{"spec":{"suspend":true}}`: the analysis stops where it is, weights and workloads untouched. */
export function flaggerSuspend(canary: KObject): ControllerPlanned {
	if (canary.spec?.suspend === true) return {message: `${ref(canary)} is already suspended`};
	return {
		plan: {
			action: 'suspend',
			title: `suspend ${ref(canary)}`,
			changes: [`spec.suspend false → true: Flagger stops reconciling (phase ${phaseOf(canary)}, weight ${canary.status?.canaryWeight ?? 0}% held)`],
			steps: [mergePatch(canary, canaryPath(ns(canary), nameOf(canary)), {spec: {suspend: true}}, 'suspend (spec)')],
			regarding: regarding(canary, 'Canary', 'flagger.app/v1beta1'),
			dangerous: false,
		},
	};
}

/** `{"spec":{"suspend":false}}`. */
export function flaggerResume(canary: KObject): ControllerPlanned {
	if (canary.spec?.suspend !== true) return {message: `${ref(canary)} is not suspended`};
	return {
		plan: {
			action: 'resume',
			title: `resume ${ref(canary)}`,
			changes: ['spec.suspend true → false: the analysis carries on'],
			steps: [mergePatch(canary, canaryPath(ns(canary), nameOf(canary)), {spec: {suspend: false}}, 'resume (spec)')],
			regarding: regarding(canary, 'Canary', 'flagger.app/v1beta1'),
			dangerous: false,
		},
	};
}

/** The selector label Flagger renames in the primary (`app: podinfo` → `app: podinfo-primary`). */
function renamedLabel(target: KObject): string | undefined {
	const labels = target.spec?.selector?.matchLabels ?? {};
	return ['app', 'name', 'app.kubernetes.io/name'].find(l => labels[l] !== undefined);
}

function canonical(value: unknown): string {
	if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
	if (value && typeof value === 'object') {
		return `{${Object.keys(value).filter(k => (value as any)[k] !== undefined && (value as any)[k] !== null).sort().map(k => `${JSON.stringify(k)}:${canonical((value as any)[k])}`).join(',')}}`;
	}
	return JSON.stringify(value);
}

/**
 * Undo as a revert of the target Deployment: a JSON patch replacing `/spec/template` of the target with
 * `source`'s pod template. `source` is the `<target>-primary` Deployment (the last promoted version; its
 * renamed selector label is put back) or one of the target's ReplicaSets (its pod-template-hash label
 * dropped, as `kubectl rollout undo` does). Flagger sees a new revision and analyses it unless
 * skipAnalysis is set.
 */
export function flaggerUndo(canary: KObject, target: KObject, source: KObject): ControllerPlanned {
	if (canaryTargetName(canary) !== nameOf(target)) return {message: `${ref(canary)} targets ${canaryTargetName(canary) ?? 'nothing'}, not deploy/${nameOf(target)}`};
	const template = structuredClone(source.spec?.template ?? {});
	template.metadata ??= {};
	const labels = {...template.metadata.labels};
	let from: string;
	if (source.kind === 'ReplicaSet') {
		delete labels['pod-template-hash'];
		from = `revision ${revisionOf(source) ?? '?'} (ReplicaSet ${nameOf(source)})`;
	} else {
		const label = renamedLabel(target);
		const original = target.spec?.template?.metadata?.labels?.[label ?? ''];
		if (label && original !== undefined) labels[label] = original;
		from = `the last promoted version (deploy/${nameOf(source)})`;
	}
	template.metadata.labels = labels;
	if (canonical(template) === canonical(target.spec?.template)) return {message: `skipped: deploy/${nameOf(target)} already runs ${from}`};
	const images = (template.spec?.containers ?? []).map((c: {image?: string}) => c.image).join(', ');
	return {
		plan: {
			action: 'undo',
			title: `undo ${ref(canary)}: deploy/${nameOf(target)} back to ${from}`,
			changes: [
				`deploy/${nameOf(target)} spec.template → ${from}${images ? `: ${images}` : ''}`,
				canary.spec?.skipAnalysis === true ? 'skipAnalysis is set: Flagger promotes it without analysis' : 'Flagger sees a new revision and runs the analysis on it',
			],
			steps: [jsonPatch(target, deploymentPath(ns(target), nameOf(target)), [{op: 'replace', path: '/spec/template', value: template}], `revert deploy/${nameOf(target)}`)],
			regarding: regarding(canary, 'Canary', 'flagger.app/v1beta1'),
			dangerous: true,
		},
	};
}
