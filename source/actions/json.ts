// Plain-JSON helpers for planning: deep copies, deep equality, and pod-template comparison as kubectl does it.

export function clone<T>(value: T): T {
	return value === undefined ? value : (JSON.parse(JSON.stringify(value)) as T);
}

export function deepEqual(a: unknown, b: unknown): boolean {
	if (a === b) return true;
	if (typeof a !== typeof b || a === null || b === null || typeof a !== 'object') return false;
	if (Array.isArray(a) !== Array.isArray(b)) return false;
	if (Array.isArray(a)) {
		const bb = b as unknown[];
		return a.length === bb.length && a.every((v, i) => deepEqual(v, bb[i]));
	}
	const ao = a as Record<string, unknown>;
	const bo = b as Record<string, unknown>;
	const keys = Object.keys(ao).filter(k => ao[k] !== undefined);
	const bkeys = Object.keys(bo).filter(k => bo[k] !== undefined);
	return keys.length === bkeys.length && keys.every(k => deepEqual(ao[k], bo[k]));
}

/** Drops empty maps, empty lists, nulls and empty strings, as Go's omitempty would. */
function pruneEmpty(value: unknown): unknown {
	if (Array.isArray(value)) return value.map(pruneEmpty);
	if (value === null || typeof value !== 'object') return value;
	const out: Record<string, unknown> = {};
	for (const [k, v] of Object.entries(value)) {
		const pruned = pruneEmpty(v);
		if (pruned === null || pruned === undefined || pruned === '') continue;
		if (typeof pruned === 'object' && !Array.isArray(pruned) && Object.keys(pruned).length === 0) continue;
		if (Array.isArray(pruned) && pruned.length === 0) continue;
		out[k] = pruned;
	}
	return out;
}

export const POD_TEMPLATE_HASH = 'pod-template-hash';

/** The pod template without the pod-template-hash label. */
export function withoutHash(template: any): any {
	const t = clone(template ?? {});
	if (t.metadata?.labels) delete t.metadata.labels[POD_TEMPLATE_HASH];
	return t;
}

const isObject = (v: unknown): v is Record<string, any> => typeof v === 'object' && v !== null && !Array.isArray(v);

function defaultProbe(p: unknown): void {
	if (!isObject(p)) return;
	p.timeoutSeconds ??= 1;
	p.periodSeconds ??= 10;
	p.successThreshold ??= 1;
	p.failureThreshold ??= 3;
	if (isObject(p.httpGet)) p.httpGet.scheme ??= 'HTTP';
}

/**
 * A pod template with the values the API server fills in on write (core/v1 defaults), so that a template
 * written without them compares equal to the same template read back.
 */
export function withPodDefaults(template: any): any {
	const t = clone(template ?? {});
	const spec = t.spec;
	if (!isObject(spec)) return t;
	spec.restartPolicy ??= 'Always';
	spec.terminationGracePeriodSeconds ??= 30;
	spec.dnsPolicy ??= 'ClusterFirst';
	spec.schedulerName ??= 'default-scheduler';
	for (const list of [spec.containers, spec.initContainers]) {
		if (!Array.isArray(list)) continue;
		for (const c of list) {
			if (!isObject(c)) continue;
			if (typeof c.image === 'string' && c.imagePullPolicy == null) {
				const colon = c.image.lastIndexOf(':');
				const tag = c.image.includes('@') ? 'digest' : colon > c.image.lastIndexOf('/') ? c.image.slice(colon + 1) : 'latest';
				c.imagePullPolicy = tag === 'latest' ? 'Always' : 'IfNotPresent';
			}
			c.terminationMessagePath ??= '/dev/termination-log';
			c.terminationMessagePolicy ??= 'File';
			if (Array.isArray(c.ports)) for (const port of c.ports) if (isObject(port)) port.protocol ??= 'TCP';
			for (const probe of ['readinessProbe', 'livenessProbe', 'startupProbe']) defaultProbe(c[probe]);
		}
	}
	return t;
}

/**
 * kubectl's equalIgnoreHash: two pod templates are the same but for the pod-template-hash label; compared as
 * the API server stores them (defaults filled in, empty values dropped).
 */
export function equalIgnoreHash(a: unknown, b: unknown): boolean {
	return deepEqual(storedTemplate(a), storedTemplate(b));
}

/** A pod template as the API server stores it, for comparisons: defaults in, pod-template-hash and empty values out. */
export function storedTemplate(template: unknown): unknown {
	return pruneEmpty(withPodDefaults(withoutHash(template)));
}
