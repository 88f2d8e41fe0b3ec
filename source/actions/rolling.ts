// A rolling Deployment: pause and resume (as `kubectl rollout pause|resume`), promote = resume, abort = undo
// to the previous revision.
import type {KObject} from '../kube/object.js';
import {nameOf, revisionOf, templateImages} from '../release/object-fields.js';
import {sanitize} from '../release/sanitize.js';
import type {JsonPatchOp} from '../traffic/router.js';
import {objectPath, refOf} from './paths.js';
import {findObject, type ActionTarget} from './target.js';
import {JSON_PATCH, type Planned} from './types.js';
import {planUndo} from './undo.js';

/** Plan: pause the rollout, or resume it when paused. The patch tests the template, so it acts on the rollout seen. */
export function planPauseResume(t: ActionTarget, deployment: KObject, want?: 'pause' | 'resume'): Planned {
	const name = nameOf(deployment);
	const paused = deployment.spec?.paused === true;
	const action = want ?? (paused ? 'resume' : 'pause');
	if (action === 'resume' && !paused) return {message: `deploy/${name} is not paused`};
	if (action === 'pause' && paused) return {message: `deploy/${name} is already paused`};
	const ops: JsonPatchOp[] = [{op: 'test', path: '/spec/template', value: deployment.spec?.template}];
	if (deployment.spec?.paused !== undefined) ops.push({op: 'test', path: '/spec/paused', value: deployment.spec.paused});
	ops.push(action === 'pause' ? {op: 'add', path: '/spec/paused', value: true} : {op: 'remove', path: '/spec/paused'});
	const at = `revision ${revisionOf(deployment) ?? '?'} (${templateImages(deployment).map(sanitize).join(', ')})`;
	return {
		plan: {
			title: `${action} deploy/${name}`,
			changes: [`deploy/${name}: paused ${paused} → ${!paused}, at ${at}`],
			steps: [{method: 'PATCH', path: objectPath(deployment, 'Deployment', t.namespace), contentType: JSON_PATCH, body: ops, object: `Deployment/${name}`, summary: `${action} deploy/${name}`}],
			event: {
				reason: action === 'pause' ? 'RollscopePause' : 'RollscopeResume',
				regarding: refOf(deployment, 'Deployment', t.namespace),
				message: `${t.user} ${action === 'pause' ? 'paused' : 'resumed'} deploy/${name} at ${at}: paused ${paused} -> ${!paused}`,
			},
			verify: snap => (findObject(snap, 'Deployment', name)?.spec?.paused === true) === (action === 'pause'),
			done: `deploy/${name} is ${action === 'pause' ? 'paused' : 'resumed'}`,
		},
	};
}

/** Promote a rolling Deployment: resume it if paused. */
export function planRollingPromote(t: ActionTarget, deployment: KObject): Planned {
	if (deployment.spec?.paused !== true) return {message: `deploy/${nameOf(deployment)} is not paused: a rolling Deployment promotes itself (space pauses it)`};
	return planPauseResume(t, deployment, 'resume');
}

/** Abort a rolling Deployment: undo to the previous revision (resuming it in the same patch when paused). */
export function planRollingAbort(t: ActionTarget, deployment: KObject): Planned {
	return planUndo(t, deployment, 0, {resume: true, reason: 'RollscopeAbort'});
}
