// What differs between two pod templates, in the terms an operator checks before an undo:
// images, environment, resources and probes, container by container.
import {sanitize} from '../release/sanitize.js';
import {deepEqual, storedTemplate} from './json.js';

export type DiffField = 'image' | 'env' | 'resources' | 'probe' | 'container' | 'other';

export type DiffLine = {container?: string; field: DiffField; name?: string; from?: string; to?: string};

type Container = {name?: string; image?: string; env?: Array<{name?: string; value?: string; valueFrom?: unknown}>; resources?: Record<string, Record<string, string>>} & Record<string, unknown>;

const PROBES = ['readinessProbe', 'livenessProbe', 'startupProbe'] as const;

function containersOf(template: any): Container[] {
	return [...(template?.spec?.initContainers ?? []), ...(template?.spec?.containers ?? [])];
}

function envValue(e: {value?: string; valueFrom?: unknown}): string {
	if (e.valueFrom !== undefined) {
		const from = e.valueFrom as Record<string, {name?: string; key?: string; fieldPath?: string}>;
		const [kind, ref] = Object.entries(from)[0] ?? ['valueFrom', {}];
		return `<${kind}${ref?.name ? ` ${ref.name}` : ''}${ref?.key ? `/${ref.key}` : ''}${ref?.fieldPath ? ` ${ref.fieldPath}` : ''}>`;
	}
	return e.value ?? '';
}

/** A probe in a few words: `httpGet /healthz:8080 every 2s`. */
export function probeText(probe: any): string {
	if (!probe) return 'none';
	const how = probe.httpGet
		? `httpGet ${probe.httpGet.path ?? '/'}:${probe.httpGet.port ?? ''}`
		: probe.tcpSocket
			? `tcpSocket :${probe.tcpSocket.port ?? ''}`
			: probe.exec
				? `exec ${(probe.exec.command ?? []).join(' ')}`
				: probe.grpc
					? `grpc :${probe.grpc.port ?? ''}`
					: 'probe';
	// Values other than the API defaults (period 10 s, timeout 1 s, 3 failures).
	const timing = [
		probe.initialDelaySeconds ? `delay ${probe.initialDelaySeconds}s` : '',
		probe.periodSeconds && probe.periodSeconds !== 10 ? `every ${probe.periodSeconds}s` : '',
		probe.timeoutSeconds && probe.timeoutSeconds !== 1 ? `timeout ${probe.timeoutSeconds}s` : '',
		probe.failureThreshold && probe.failureThreshold !== 3 ? `failures ${probe.failureThreshold}` : '',
	].filter(Boolean);
	return [how, ...timing].join(' ');
}

function resourceEntries(resources: Container['resources']): Map<string, string> {
	const out = new Map<string, string>();
	for (const [kind, values] of Object.entries(resources ?? {})) {
		for (const [name, value] of Object.entries(values ?? {})) out.set(`${kind}.${name}`, String(value));
	}
	return out;
}

function containerDiff(name: string, from: Container, to: Container): DiffLine[] {
	const lines: DiffLine[] = [];
	if (from.image !== to.image) lines.push({container: name, field: 'image', from: from.image ?? '', to: to.image ?? ''});
	const envFrom = new Map((from.env ?? []).map(e => [e.name ?? '', envValue(e)]));
	const envTo = new Map((to.env ?? []).map(e => [e.name ?? '', envValue(e)]));
	for (const key of [...new Set([...envFrom.keys(), ...envTo.keys()])].sort()) {
		const a = envFrom.get(key);
		const b = envTo.get(key);
		if (a !== b) lines.push({container: name, field: 'env', name: key, ...(a === undefined ? {} : {from: a}), ...(b === undefined ? {} : {to: b})});
	}
	const resFrom = resourceEntries(from.resources);
	const resTo = resourceEntries(to.resources);
	for (const key of [...new Set([...resFrom.keys(), ...resTo.keys()])].sort()) {
		const a = resFrom.get(key);
		const b = resTo.get(key);
		if (a !== b) lines.push({container: name, field: 'resources', name: key, ...(a === undefined ? {} : {from: a}), ...(b === undefined ? {} : {to: b})});
	}
	for (const probe of PROBES) {
		if (!deepEqual(from[probe], to[probe])) lines.push({container: name, field: 'probe', name: probe.replace('Probe', ''), from: probeText(from[probe]), to: probeText(to[probe])});
	}
	return lines;
}

/** Strip what the diff lines cover, to tell whether anything else differs. */
function rest(template: unknown): unknown {
	const t = storedTemplate(template) as any;
	for (const c of containersOf(t) as Container[]) {
		delete c.image;
		delete c.env;
		delete c.resources;
		for (const p of PROBES) delete c[p];
	}
	return t;
}

/** The differences going from the `from` template to the `to` template. */
export function templateDiff(from: unknown, to: unknown): DiffLine[] {
	// Compared as stored, so values the API server filled in on one side only are no difference.
	const a = containersOf(storedTemplate(from));
	const b = containersOf(storedTemplate(to));
	const lines: DiffLine[] = [];
	const names = [...new Set([...a, ...b].map(c => c.name ?? ''))];
	for (const name of names) {
		const ca = a.find(c => (c.name ?? '') === name);
		const cb = b.find(c => (c.name ?? '') === name);
		if (!ca) lines.push({container: name, field: 'container', to: `added (${cb?.image ?? ''})`});
		else if (!cb) lines.push({container: name, field: 'container', from: `removed (${ca.image ?? ''})`});
		else lines.push(...containerDiff(name, ca, cb));
	}
	const sameNames = names.every(n => a.some(c => (c.name ?? '') === n) && b.some(c => (c.name ?? '') === n));
	if (sameNames && !deepEqual(rest(from), rest(to))) lines.push({field: 'other', name: 'other pod-template fields differ'});
	return lines;
}

/** One diff line as text: `image  checkout: a → b`. */
export function diffText(line: DiffLine): string {
	const where = [line.container, line.name].filter(Boolean).map(s => sanitize(String(s))).join(' ');
	if (line.field === 'other') return sanitize(line.name ?? 'other fields differ');
	const from = line.from === undefined ? '(none)' : sanitize(line.from);
	const to = line.to === undefined ? '(none)' : sanitize(line.to);
	if (line.field === 'container') return `container ${where}: ${line.from !== undefined ? from : to}`;
	return `${line.field} ${where}: ${from} → ${to}`;
}
