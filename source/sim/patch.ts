// PATCH bodies of the simulated API server: JSON merge patch (RFC 7386), JSON Patch (RFC 6902) and
// Kubernetes strategic merge patch for built-in kinds. Pure functions: inputs are never mutated and the
// results share no structure with them.
import {parse as parseYaml} from 'yaml';
import {ApiError, badRequest, unsupportedMediaType} from './errors.js';
import {deepEqual, isPlainObject} from './object.js';

export type PatchKind = 'json' | 'merge' | 'strategic' | 'apply';

export const patchMediaTypes: Record<string, PatchKind> = {
	'application/json-patch+json': 'json',
	'application/merge-patch+json': 'merge',
	'application/strategic-merge-patch+json': 'strategic',
	'application/apply-patch+yaml': 'apply',
};

type Json = unknown;
type JsonMap = Record<string, Json>;

// ---------------------------------------------------------------------------------------------------------------
// Small helpers, safe for keys such as `__proto__`.

const hasKey = (o: JsonMap, k: string) => Object.hasOwn(o, k);

function setKey(o: JsonMap, k: string, v: Json): void {
	Object.defineProperty(o, k, {value: v, enumerable: true, writable: true, configurable: true});
}

/** Deep copy of a JSON value (drops `undefined` object members). */
function copy(v: Json): Json {
	if (Array.isArray(v)) return v.map(copy);
	if (isPlainObject(v)) {
		const out: JsonMap = {};
		for (const k of Object.keys(v)) if (v[k] !== undefined) setKey(out, k, copy(v[k]));
		return out;
	}
	return v;
}

function typeWord(v: Json): string {
	if (v === null) return 'null';
	if (Array.isArray(v)) return 'array';
	if (typeof v === 'boolean') return 'bool';
	return typeof v;
}

const short = (v: Json) => {
	const s = JSON.stringify(v) ?? String(v);
	return s.length > 200 ? s.slice(0, 197) + '...' : s;
};

const rejected = 'the server rejected our request due to an error in our request';

/** 422 Invalid, as the API server reports a JSON Patch that does not apply. */
function invalidPatch(detail: string): ApiError {
	return new ApiError(422, 'Invalid', `${rejected}: ${detail}`, {causes: [{type: 'UnexpectedServerResponse', message: detail}]});
}

// ---------------------------------------------------------------------------------------------------------------
// RFC 7386 JSON merge patch

export function applyMergePatch(target: unknown, patch: unknown): unknown {
	if (!isPlainObject(patch)) return copy(patch);
	const out = (isPlainObject(target) ? copy(target) : {}) as JsonMap;
	for (const k of Object.keys(patch)) {
		const v = patch[k];
		if (v === undefined) continue;
		if (v === null) delete out[k];
		else setKey(out, k, applyMergePatch(hasKey(out, k) ? out[k] : undefined, v));
	}
	return out;
}

// ---------------------------------------------------------------------------------------------------------------
// RFC 6902 JSON Patch

type Op = {op: 'add' | 'remove' | 'replace' | 'move' | 'copy' | 'test'; path: string[]; rawPath: string; from?: string[]; rawFrom?: string; value?: Json};

const opNames = new Set(['add', 'remove', 'replace', 'move', 'copy', 'test']);

function parsePointer(pointer: unknown, what: string, index: number): string[] {
	if (typeof pointer !== 'string') throw badRequest(`json patch operation ${index}: "${what}" must be a string`);
	if (pointer === '') return [];
	if (!pointer.startsWith('/')) throw badRequest(`json patch operation ${index}: invalid JSON pointer ${JSON.stringify(pointer)}: must be empty or start with "/"`);
	return pointer
		.slice(1)
		.split('/')
		.map(token => {
			if (/~(?![01])/.test(token)) throw badRequest(`json patch operation ${index}: invalid JSON pointer ${JSON.stringify(pointer)}: bad escape in ${JSON.stringify(token)}`);
			return token.replaceAll('~1', '/').replaceAll('~0', '~');
		});
}

function validateOps(ops: unknown): Op[] {
	if (!Array.isArray(ops)) throw badRequest(`json: cannot unmarshal ${typeWord(ops)} into Go value of type []handlers.jsonPatchOp`);
	return ops.map((raw, i) => {
		if (!isPlainObject(raw)) throw badRequest(`json: cannot unmarshal ${typeWord(raw)} into Go struct field of type handlers.jsonPatchOp (operation ${i})`);
		const name = raw.op;
		if (typeof name !== 'string' || !opNames.has(name)) {
			throw badRequest(name === undefined ? `json patch operation ${i}: missing "op"` : `json patch operation ${i}: unexpected kind: ${short(name)}`);
		}
		if (!hasKey(raw, 'path') || raw.path === undefined) throw badRequest(`json patch operation ${i} (${name}): missing "path"`);
		const op: Op = {op: name as Op['op'], path: parsePointer(raw.path, 'path', i), rawPath: raw.path as string};
		if (name === 'add' || name === 'replace' || name === 'test') {
			if (!hasKey(raw, 'value') || raw.value === undefined) throw badRequest(`json patch operation ${i} (${name} ${op.rawPath}): missing "value"`);
			op.value = raw.value;
		}
		if (name === 'move' || name === 'copy') {
			if (!hasKey(raw, 'from') || raw.from === undefined) throw badRequest(`json patch operation ${i} (${name} ${op.rawPath}): missing "from"`);
			op.from = parsePointer(raw.from, 'from', i);
			op.rawFrom = raw.from as string;
		}
		return op;
	});
}

/** Array index for an existing element, or undefined. `-` and malformed indices yield undefined. */
function arrayIndex(arr: Json[], token: string): number | undefined {
	if (!/^(0|[1-9][0-9]*)$/.test(token)) return undefined;
	const i = Number(token);
	return i < arr.length ? i : undefined;
}

function lookup(doc: Json, path: string[]): {found: true; value: Json} | {found: false} {
	let cur = doc;
	for (const token of path) {
		if (Array.isArray(cur)) {
			const i = arrayIndex(cur, token);
			if (i === undefined) return {found: false};
			cur = cur[i];
		} else if (isPlainObject(cur)) {
			if (!hasKey(cur, token)) return {found: false};
			cur = cur[token];
		} else return {found: false};
	}
	return {found: true, value: cur};
}

/** The container holding the last token of `path`, in the (already copied, mutable) document. */
function parentOf(doc: Json, path: string[], describe: () => string): Json[] | JsonMap {
	const parent = lookup(doc, path.slice(0, -1));
	if (!parent.found || !(Array.isArray(parent.value) || isPlainObject(parent.value))) {
		throw invalidPatch(`${describe()}: parent of the path does not exist`);
	}
	return parent.value as Json[] | JsonMap;
}

function addAt(doc: Json, path: string[], value: Json, describe: () => string): Json {
	if (path.length === 0) return value;
	const parent = parentOf(doc, path, describe);
	const last = path[path.length - 1]!;
	if (Array.isArray(parent)) {
		if (last === '-') parent.push(value);
		else {
			if (!/^(0|[1-9][0-9]*)$/.test(last) || Number(last) > parent.length) {
				throw invalidPatch(`${describe()}: array index ${JSON.stringify(last)} is out of bounds (length ${parent.length})`);
			}
			parent.splice(Number(last), 0, value);
		}
	} else setKey(parent, last, value);
	return doc;
}

function removeAt(doc: Json, path: string[], describe: () => string): Json {
	if (path.length === 0) throw invalidPatch(`${describe()}: cannot remove the whole document`);
	const parent = parentOf(doc, path, describe);
	const last = path[path.length - 1]!;
	if (Array.isArray(parent)) {
		const i = arrayIndex(parent, last);
		if (i === undefined) throw invalidPatch(`${describe()}: path does not exist (no array element ${JSON.stringify(last)})`);
		parent.splice(i, 1);
	} else {
		if (!hasKey(parent, last)) throw invalidPatch(`${describe()}: path does not exist (missing key ${JSON.stringify(last)})`);
		delete parent[last];
	}
	return doc;
}

function replaceAt(doc: Json, path: string[], value: Json, describe: () => string): Json {
	if (!lookup(doc, path).found) throw invalidPatch(`${describe()}: path does not exist`);
	if (path.length === 0) return value;
	const parent = parentOf(doc, path, describe);
	const last = path[path.length - 1]!;
	if (Array.isArray(parent)) parent[arrayIndex(parent, last)!] = value;
	else setKey(parent, last, value);
	return doc;
}

export function applyJsonPatch(doc: unknown, ops: unknown): unknown {
	const list = validateOps(ops);
	let out = copy(doc);
	list.forEach((op, i) => {
		const describe = () => `operation ${i} (${op.op}${op.rawFrom !== undefined ? ` from ${op.rawFrom}` : ''} ${op.rawPath})`;
		switch (op.op) {
			case 'add':
				out = addAt(out, op.path, copy(op.value), describe);
				break;
			case 'remove':
				out = removeAt(out, op.path, describe);
				break;
			case 'replace':
				out = replaceAt(out, op.path, copy(op.value), describe);
				break;
			case 'move': {
				const from = op.from!;
				const source = lookup(out, from);
				if (!source.found) throw invalidPatch(`${describe()}: "from" path does not exist`);
				if (from.length < op.path.length && from.every((t, j) => t === op.path[j])) {
					throw invalidPatch(`${describe()}: cannot move a value into one of its own children`);
				}
				if (from.length === op.path.length && from.every((t, j) => t === op.path[j])) break;
				out = addAt(removeAt(out, from, describe), op.path, source.value, describe);
				break;
			}
			case 'copy': {
				const source = lookup(out, op.from!);
				if (!source.found) throw invalidPatch(`${describe()}: "from" path does not exist`);
				out = addAt(out, op.path, copy(source.value), describe);
				break;
			}
			case 'test': {
				const found = lookup(out, op.path);
				if (!found.found) throw invalidPatch(`${describe()}: path does not exist`);
				if (!deepEqual(found.value, op.value)) {
					throw invalidPatch(`${describe()}: testing value ${op.rawPath} failed: expected ${short(op.value)}, found ${short(found.value)}`);
				}
				break;
			}
		}
	});
	return out;
}

// ---------------------------------------------------------------------------------------------------------------
// Kubernetes strategic merge patch (k8s.io/apimachinery/pkg/util/strategicpatch), with the patch metadata of
// the built-in kinds reduced to a table keyed by field name.

/** Lists of objects merged element by element; the first candidate key present in the patch (else the target) wins. */
const mergeKeys: Record<string, string[]> = {
	containers: ['name'],
	initContainers: ['name'],
	ephemeralContainers: ['name'],
	env: ['name'],
	volumes: ['name'],
	volumeMounts: ['mountPath', 'name'],
	volumeDevices: ['devicePath'],
	imagePullSecrets: ['name'],
	resourceClaims: ['name'],
	schedulingGates: ['name'],
	hostAliases: ['ip'],
	topologySpreadConstraints: ['topologyKey'],
	ports: ['containerPort', 'port'],
	conditions: ['type'],
	ownerReferences: ['uid'],
};

/** Lists of scalars whose patch strategy is merge (union) rather than replace. */
const mergedPrimitiveLists = new Set(['finalizers']);

const PATCH = '$patch';
const RETAIN_KEYS = '$retainKeys';
const SET_ORDER = '$setElementOrder/';
const DELETE_PRIMITIVE = '$deleteFromPrimitiveList/';

/** Returned by mergeMap when the patch says `$patch: delete` for the whole map. */
const DELETED = Symbol('deleted');

function badDirective(value: Json, where: Json): ApiError {
	return badRequest(`Unknown patch type: ${short(value)} in map: ${short(where)}`);
}

function pickMergeKey(field: string, original: Json[], patch: Json[]): string | undefined {
	const candidates = mergeKeys[field];
	if (!candidates) return undefined;
	for (const list of [patch, original]) {
		for (const key of candidates) if (list.some(e => isPlainObject(e) && hasKey(e, key))) return key;
	}
	return candidates[0];
}

function mergeMap(original: Json, patch: JsonMap): JsonMap | typeof DELETED {
	if (hasKey(patch, PATCH)) {
		const directive = patch[PATCH];
		if (directive === 'delete') return DELETED;
		if (directive === 'replace') {
			const {[PATCH]: _directive, ...rest} = patch;
			return mergeMap({}, rest) as JsonMap;
		}
		if (directive !== 'merge') throw badDirective(directive, patch);
	}
	const source = isPlainObject(original) ? original : {};
	const out = copy(source) as JsonMap;

	if (hasKey(patch, RETAIN_KEYS)) {
		const retain = patch[RETAIN_KEYS];
		if (!Array.isArray(retain) || !retain.every(k => typeof k === 'string')) throw badRequest('invalid patch format of retainKeys');
		const keep = new Set(retain);
		for (const k of Object.keys(patch)) {
			if (!k.startsWith('$') && patch[k] !== null && patch[k] !== undefined && !keep.has(k)) {
				throw new ApiError(422, 'Invalid', `patch content doesn't match retainKeys list: ${JSON.stringify(k)} is not in ${short(retain)}`);
			}
		}
		for (const k of Object.keys(out)) if (!keep.has(k)) delete out[k];
	}

	for (const k of Object.keys(patch)) {
		if (!k.startsWith(DELETE_PRIMITIVE)) continue;
		const values = patch[k];
		if (!Array.isArray(values) || values.some(v => (typeof v === 'object' && v !== null))) throw badRequest('invalid patch format of primitive list');
		const field = k.slice(DELETE_PRIMITIVE.length);
		const current = hasKey(out, field) ? out[field] : undefined;
		if (Array.isArray(current)) setKey(out, field, current.filter(v => !values.some(d => deepEqual(d, v))));
	}

	for (const k of Object.keys(patch)) {
		if (k.startsWith('$')) continue;
		const v = patch[k];
		if (v === undefined) continue;
		if (v === null) {
			delete out[k];
			continue;
		}
		const current = hasKey(out, k) ? out[k] : undefined;
		const order = hasKey(patch, SET_ORDER + k) ? patch[SET_ORDER + k] : undefined;
		const merged = mergeValue(k, current, v, Array.isArray(source[k]) ? source[k] : [], order);
		if (merged === DELETED) delete out[k];
		else setKey(out, k, merged);
	}

	// `$setElementOrder/<field>` without the field in the patch: reorder the live list.
	for (const k of Object.keys(patch)) {
		if (!k.startsWith(SET_ORDER)) continue;
		const order = patch[k];
		if (!Array.isArray(order)) throw badRequest('invalid patch format of setElementOrder list');
		const field = k.slice(SET_ORDER.length);
		if (hasKey(patch, field)) continue;
		const current = hasKey(out, field) ? out[field] : undefined;
		if (!Array.isArray(current)) continue;
		const key = pickMergeKey(field, current, order);
		if (key !== undefined || mergedPrimitiveLists.has(field)) setKey(out, field, orderList(current, order, current, key));
	}
	return out;
}

function mergeValue(field: string, current: Json, patch: Json, live: Json[], order: Json): Json | typeof DELETED {
	if (isPlainObject(patch)) return mergeMap(current, patch);
	if (Array.isArray(patch)) {
		if (order !== undefined && !Array.isArray(order)) throw badRequest('invalid patch format of setElementOrder list');
		return mergeList(field, Array.isArray(current) ? current : [], patch, live, order as Json[] | undefined);
	}
	return copy(patch);
}

function isDirectiveElement(e: Json): e is JsonMap {
	return isPlainObject(e) && hasKey(e, PATCH);
}

function mergeList(field: string, current: Json[], patch: Json[], live: Json[], order: Json[] | undefined): Json[] {
	const key = pickMergeKey(field, current, patch);
	const keyed = key !== undefined && (patch.some(isPlainObject) || (patch.length === 0 && current.some(isPlainObject)));

	if (keyed) {
		let working = current.map(copy);
		const items: JsonMap[] = [];
		let replace = false;
		for (const e of patch) {
			if (!isPlainObject(e)) throw badRequest(`map: ${short(e)} does not contain declared merge key: ${key}`);
			if (!hasKey(e, PATCH)) {
				if (!hasKey(e, key) || e[key] === null) throw badRequest(`map: ${short(e)} does not contain declared merge key: ${key}`);
				items.push(e);
				continue;
			}
			const directive = e[PATCH];
			if (directive === 'delete') {
				if (!hasKey(e, key)) throw badRequest(`map: ${short(e)} does not contain declared merge key: ${key}`);
				working = working.filter(w => !(isPlainObject(w) && hasKey(w, key) && deepEqual(w[key], e[key])));
			} else if (directive === 'replace') replace = true;
			else if (directive === 'merge') throw badRequest('merging lists cannot yet be specified in the patch');
			else throw badDirective(directive, e);
		}
		if (replace) {
			const replaced = items.map(e => mergeMap({}, e)).filter((e): e is JsonMap => e !== DELETED);
			return order ? orderList(replaced, order, live, key) : replaced;
		}
		for (const e of items) {
			const i = working.findIndex(w => isPlainObject(w) && hasKey(w, key) && deepEqual(w[key], e[key]));
			const merged = mergeMap(i >= 0 ? working[i] : {}, e);
			if (merged === DELETED) continue;
			if (i >= 0) working[i] = merged;
			else working.push(merged);
		}
		return orderList(working, order ?? items, live, key);
	}

	if (mergedPrimitiveLists.has(field) && patch.every(e => typeof e !== 'object' || e === null)) {
		const merged: Json[] = [];
		for (const v of [...current, ...patch]) if (!merged.some(m => deepEqual(m, v))) merged.push(copy(v));
		return orderList(merged, order ?? patch, live, undefined);
	}

	// Replace strategy: the patch list wins; directive elements and nested directives are dropped.
	return patch
		.filter(e => !isDirectiveElement(e))
		.map(e => (isPlainObject(e) ? mergeMap({}, e) : copy(e)))
		.filter(e => e !== DELETED);
}

/**
 * Order a merged list as the API server does (normalizeElementOrder + mergeSortedSlice): the items named by
 * `order` (the `$setElementOrder` list, else the patch list) come in that order; the other items keep the
 * order of the live list and are interleaved with the named ones according to their live positions.
 */
function orderList(merged: Json[], order: Json[], live: Json[], key: string | undefined): Json[] {
	const id = (e: Json) => (key === undefined ? e : isPlainObject(e) && hasKey(e, key) ? e[key] : undefined);
	const indexIn = (list: Json[], e: Json) => {
		const v = id(e);
		if (v === undefined) return -1;
		return list.findIndex(o => deepEqual(id(o), v));
	};
	const sortBy = (items: Json[], list: Json[]) => {
		const found = items.filter(e => indexIn(list, e) >= 0).sort((a, b) => indexIn(list, a) - indexIn(list, b));
		return [...found, ...items.filter(e => indexIn(list, e) < 0)];
	};
	const named = sortBy(merged.filter(e => indexIn(order, e) >= 0), order);
	const others = sortBy(merged.filter(e => indexIn(order, e) < 0), live);

	const out: Json[] = [];
	let i = 0;
	let j = 0;
	while (i < named.length || j < others.length) {
		if (i >= named.length) out.push(others[j++]);
		else if (j >= others.length) out.push(named[i++]);
		else {
			const li = indexIn(live, named[i]);
			const ri = indexIn(live, others[j]);
			if (li >= 0 && ri >= 0 && li < ri) out.push(named[i++]);
			else out.push(others[j++]);
		}
	}
	return out;
}

export function applyStrategicMergePatch(target: unknown, patch: unknown): unknown {
	if (!isPlainObject(patch)) throw badRequest(`json: cannot unmarshal ${typeWord(patch)} into Go value of type map[string]interface {}`);
	const merged = mergeMap(target, patch);
	return merged === DELETED ? {} : merged;
}

// ---------------------------------------------------------------------------------------------------------------
// Request bodies

export function parsePatchBody(contentType: string, body: string): {kind: PatchKind; patch: unknown} {
	const mediaType = (contentType ?? '').split(';')[0]!.trim().toLowerCase();
	const kind = Object.hasOwn(patchMediaTypes, mediaType) ? patchMediaTypes[mediaType] : undefined;
	if (!kind) throw unsupportedMediaType(Object.keys(patchMediaTypes));

	let patch: unknown;
	try {
		patch = JSON.parse(body);
	} catch (error) {
		if (kind !== 'apply') throw badRequest(`error decoding patch: invalid JSON: ${(error as Error).message}`);
		try {
			patch = parseYaml(body);
		} catch (yamlError) {
			throw badRequest(`error decoding YAML: ${(yamlError as Error).message}`);
		}
	}

	if (kind === 'json') validateOps(patch);
	else if (!isPlainObject(patch)) {
		throw badRequest(`json: cannot unmarshal ${typeWord(patch)} into Go value of type map[string]interface {}`);
	}
	return {kind, patch};
}
