// Blue-green: the active Service's selector picks one colour. Promote switches it to the other colour (once
// that side is ready) and records the colour it came from; abort switches back to the recorded one.
import type {KObject} from '../kube/object.js';
import {templateLabels} from '../release/labels.js';
import {nameOf} from '../release/object-fields.js';
import {sanitize} from '../release/sanitize.js';
import {managedBy} from '../traffic/managed.js';
import {pointer, type JsonPatchOp} from '../traffic/router.js';
import {objectPath, refOf} from './paths.js';
import {findObject, type ActionTarget} from './target.js';
import {JSON_PATCH, type Planned} from './types.js';
import {managedMessage} from './weights.js';

/** On the active Service: the `key=value` its selector had before rollscope switched it. */
export const SWITCHED_FROM = 'rollscope.dev/switched-from';

type Colours = {service: KObject; key: string; active: KObject; preview: KObject; activeValue: string; previewValue: string};

function coloursOf(t: ActionTarget): Colours | {message: string} {
	const service = t.release.activeService ? t.scan.service(t.release.activeService) : undefined;
	const active = t.release.members.find(m => m.role === 'active')?.deployment;
	const preview = t.release.members.find(m => m.role === 'preview')?.deployment;
	if (!service || !active || !preview) return {message: `${t.release.target} is not a blue-green pair`};
	const la = templateLabels(active);
	const lb = templateLabels(preview);
	const selector: Record<string, string> = service.spec?.selector ?? {};
	const key = Object.keys(selector).find(k => la[k] !== undefined && lb[k] !== undefined && la[k] !== lb[k]);
	if (!key) return {message: `Service/${nameOf(service)} does not select by the label that tells ${nameOf(active)} and ${nameOf(preview)} apart`};
	return {service, key, active, preview, activeValue: la[key], previewValue: lb[key]};
}

function switchPlan(t: ActionTarget, c: Colours, to: string, toDeployment: string, mode: 'promote' | 'abort'): Planned {
	const {service, key} = c;
	const name = nameOf(service);
	const controller = managedBy(service);
	if (controller) return {message: managedMessage(`Service/${name}`, controller)};
	const from = String(service.spec?.selector?.[key]);
	const selectorPath = pointer('spec', 'selector', key);
	const record = service.metadata.annotations?.[SWITCHED_FROM];
	const recordPath = pointer('metadata', 'annotations', SWITCHED_FROM);
	const ops: JsonPatchOp[] = [
		{op: 'test', path: selectorPath, value: from},
		{op: 'replace', path: selectorPath, value: to},
	];
	if (mode === 'promote') {
		if (service.metadata.annotations === undefined) ops.push({op: 'add', path: '/metadata/annotations', value: {[SWITCHED_FROM]: `${key}=${from}`}});
		else ops.push({op: 'add', path: recordPath, value: `${key}=${from}`});
	} else if (record !== undefined) {
		ops.push({op: 'test', path: recordPath, value: record}, {op: 'remove', path: recordPath});
	}
	const fromDeployment = nameOf(c.active);
	const what = `Service/${sanitize(name)} selector ${sanitize(key)}: ${sanitize(from)} (${sanitize(fromDeployment)}) → ${sanitize(to)} (${sanitize(toDeployment)})`;
	return {
		plan: {
			title: mode === 'promote' ? `switch ${sanitize(name)} to ${sanitize(to)}` : `switch ${sanitize(name)} back to ${sanitize(to)}`,
			changes: [what, 'all traffic moves at once'],
			steps: [{method: 'PATCH', path: objectPath(service, 'Service', t.namespace), contentType: JSON_PATCH, body: ops, object: `Service/${name}`, summary: what}],
			event: {
				reason: mode === 'promote' ? 'RollscopePromote' : 'RollscopeAbort',
				regarding: refOf(service, 'Service', t.namespace),
				message: `${t.user} switched Service ${name} ${key}=${from} (${fromDeployment}) -> ${key}=${to} (${toDeployment})`,
			},
			verify: snap => findObject(snap, 'Service', name)?.spec?.selector?.[key] === to,
			done: `Service/${sanitize(name)} now selects ${sanitize(key)}=${sanitize(to)} (${sanitize(toDeployment)})`,
		},
	};
}

function readyEnough(d: KObject): {ok: boolean; ready: number; want: number} {
	const want = typeof d.spec?.replicas === 'number' ? d.spec.replicas : 1;
	const ready = d.status?.availableReplicas ?? 0;
	return {ok: want > 0 && ready >= want, ready, want};
}

/** Promote: switch the active Service to the preview colour, once the preview side is all available. */
export function planBlueGreenPromote(t: ActionTarget): Planned {
	const c = coloursOf(t);
	if ('message' in c) return c;
	const r = readyEnough(c.preview);
	if (!r.ok) return {message: `${nameOf(c.preview)} has ${r.ready}/${r.want} pods available: not switching traffic to it yet`};
	return switchPlan(t, c, c.previewValue, nameOf(c.preview), 'promote');
}

/** Abort: switch the active Service back to the colour recorded when rollscope switched it. */
export function planBlueGreenAbort(t: ActionTarget): Planned {
	const c = coloursOf(t);
	if ('message' in c) return c;
	const record = c.service.metadata.annotations?.[SWITCHED_FROM];
	const [key, value] = record ? [record.slice(0, record.indexOf('=')), record.slice(record.indexOf('=') + 1)] : [];
	if (!record || key !== c.key) return {message: `nothing to switch back: rollscope has not switched Service/${nameOf(c.service)} (p switches it to ${c.previewValue})`};
	if (value === c.activeValue) return {message: `Service/${nameOf(c.service)} already selects ${key}=${value}`};
	if (value !== c.previewValue) return {message: `Service/${nameOf(c.service)} was switched from ${key}=${value}, which neither Deployment has now`};
	const r = readyEnough(c.preview);
	if (!r.ok) return {message: `${nameOf(c.preview)} has ${r.ready}/${r.want} pods available: not switching traffic back to it`};
	return switchPlan(t, c, value, nameOf(c.preview), 'abort');
}
