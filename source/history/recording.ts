// The recording format: NDJSON, one record a line, the first a header with the format's name and version.
// Records hold the release's objects as the watches saw them (stripped to what the model reads, text kept as
// the cluster sent it), the connection, the SLI samples and where they came from, the verdicts and the action
// under way, each with its wall-clock time in ms. Pure: lines to records and back; the file is recording-file.ts.
import type {Activity} from '../actions/activity.js';
import {releaseKinds} from '../kinds/registry.js';
import type {KObject} from '../kube/object.js';
import type {SnapshotField} from '../release/snapshot.js';
import type {ConnectionState} from '../store/state.js';
import type {MetricsMoment, VerdictMoment} from './frame.js';

export const RECORDING_FORMAT = 'rollscope-recording';
/**
 * The format's version. Readers ignore record kinds and fields they do not know, so adding either keeps the
 * version; a change in what an existing field means moves it, and a reader refuses versions above its own.
 */
export const RECORDING_VERSION = 1;

export type RecordingHeader = {
	kind: 'header';
	format: typeof RECORDING_FORMAT;
	version: number;
	/** When the recording started (ms epoch). */
	started: number;
	context: string;
	namespace: string;
	/** What was watched (`deploy/checkout`); absent while a picker was open. */
	target?: string;
	/** The rollscope that wrote it. */
	by?: string;
};

/** A run of SLI values at consecutive steps: SLI key, version id, time of the first (ms), values (null: no data). */
export type SampleRun = [sli: string, version: string, start: number, values: Array<number | null>];

export type EntryBody =
	/** An object added or changed, as the watch holds it now. */
	| {kind: 'object'; field: SnapshotField; object: KObject}
	/** An object gone (`Kind/namespace/name`). */
	| {kind: 'delete'; field: SnapshotField; id: string}
	| {kind: 'connection'; connection: ConnectionState}
	| {kind: 'target'; target?: string}
	/** Where the SLIs come from, their state, step, window and thresholds (when any of it changes). */
	| {kind: 'metrics'; metrics: MetricsMoment}
	/** New or corrected SLI values. */
	| {kind: 'samples'; stepMs: number; end: number; runs: SampleRun[]}
	| {kind: 'verdict'; verdict: VerdictMoment}
	| {kind: 'activity'; activity: Activity | null}
	/** The recording stopped here (a recording cut short has none: it ends at its last record). */
	| {kind: 'end'};

/** One line of a recording after the header. */
export type Entry = EntryBody & {
	/** Wall-clock ms. */
	t: number;
};

/** The lists a recording holds: the built-in kinds and routers, and every kind's controllers' resources. */
export const snapshotFields: readonly SnapshotField[] = [...new Set<SnapshotField>(['deployments', 'replicaSets', 'pods', 'services', 'events', 'routers', ...releaseKinds.flatMap(k => (k.watches ?? []).map(w => w.field))])];

/** A recording that cannot be read, in one line. */
export class RecordingError extends Error {
	override name = 'RecordingError';
}

// --- stripping ------------------------------------------------------------------------------------------

/** Annotations nothing reads that can be large: the whole object again. */
const DROPPED_ANNOTATIONS = ['kubectl.kubernetes.io/last-applied-configuration'];

function stripMetadata(metadata: KObject['metadata']): KObject['metadata'] {
	const {managedFields: _managed, selfLink: _self, resourceVersion: _rv, ...kept} = metadata ?? {};
	if (kept.annotations) {
		const annotations = {...kept.annotations};
		for (const key of DROPPED_ANNOTATIONS) delete annotations[key];
		kept.annotations = annotations;
	}
	return kept;
}

type Container = {name?: string; image?: string; restartPolicy?: string};

/** Containers as the model reads them: name, image, and an init container's restart policy (sidecars). */
const containers = (list: Container[] | undefined) => list?.map(({name, image, restartPolicy}) => ({name, image, ...(restartPolicy ? {restartPolicy} : {})}));

/** A pod template: its metadata, and its containers' names and images. */
function stripTemplate(template: any): any {
	if (!template || typeof template !== 'object') return template;
	const spec = template.spec ?? {};
	return {...template, spec: {containers: containers(spec.containers), ...(spec.initContainers ? {initContainers: containers(spec.initContainers)} : {})}};
}

type ContainerStatus = {name?: string; ready?: boolean; started?: boolean; restartCount?: number; imageID?: string; state?: Record<string, {reason?: string; exitCode?: number; signal?: number}>};

const statuses = (list: ContainerStatus[] | undefined) =>
	list?.map(({name, ready, started, restartCount, imageID, state}) => ({
		name,
		ready,
		...(started === undefined ? {} : {started}),
		restartCount,
		// The digest the pod runs (image identity: one tag, several digests).
		...(imageID ? {imageID} : {}),
		state: state && Object.fromEntries(Object.entries(state).map(([k, v]) => [k, v && {...(v.reason ? {reason: v.reason} : {}), ...(v.exitCode === undefined ? {} : {exitCode: v.exitCode}), ...(v.signal === undefined ? {} : {signal: v.signal})}])),
	}));

/** An object with only what rollscope's model reads (text from the cluster kept as it is, sanitised on display). */
export function stripObject(field: SnapshotField, object: KObject): KObject {
	const out: KObject = {...object, metadata: stripMetadata(object.metadata)};
	if (field === 'pods') {
		const spec = object.spec ?? {};
		const status = object.status ?? {};
		out.spec = {containers: containers(spec.containers), ...(spec.initContainers ? {initContainers: containers(spec.initContainers)} : {}), ...(spec.nodeName ? {nodeName: spec.nodeName} : {})};
		out.status = {
			phase: status.phase,
			...(status.reason ? {reason: status.reason} : {}),
			conditions: (status.conditions ?? []).map(({type, status: s}: {type?: string; status?: string}) => ({type, status: s})),
			...(status.containerStatuses ? {containerStatuses: statuses(status.containerStatuses)} : {}),
			...(status.initContainerStatuses ? {initContainerStatuses: statuses(status.initContainerStatuses)} : {}),
		};
	} else if (object.spec?.template) {
		out.spec = {...object.spec, template: stripTemplate(object.spec.template)};
	}
	return out;
}

// --- lines ----------------------------------------------------------------------------------------------

/** NaN is no data: null in JSON. */
const json = (value: unknown) => JSON.stringify(value, (_key, v) => (typeof v === 'number' && !Number.isFinite(v) ? null : v));

export function headerLine(header: Omit<RecordingHeader, 'kind' | 'format' | 'version'>): string {
	const full: RecordingHeader = {kind: 'header', format: RECORDING_FORMAT, version: RECORDING_VERSION, ...header};
	return json(full) + '\n';
}

export function recordLine(record: Entry): string {
	return json(record) + '\n';
}

const isObject = (v: unknown): v is {[key: string]: any} => typeof v === 'object' && v !== null && !Array.isArray(v);

/** The header from the first line, or why the file is not a recording this rollscope reads. */
export function parseHeader(line: string | undefined, name: string): RecordingHeader {
	let value: unknown;
	try {
		value = line === undefined ? undefined : JSON.parse(line);
	} catch {
		value = undefined;
	}
	if (!isObject(value) || value.format !== RECORDING_FORMAT || value.kind !== 'header') throw new RecordingError(`${name} is not a rollscope recording`);
	const version = value.version;
	if (typeof version !== 'number' || !Number.isInteger(version) || version < 1) throw new RecordingError(`${name}: the recording's format version is not a whole number`);
	if (version > RECORDING_VERSION) throw new RecordingError(`${name} was recorded by a newer rollscope (format version ${version}; this rollscope reads version ${RECORDING_VERSION})`);
	if (typeof value.started !== 'number' || typeof value.namespace !== 'string' || typeof value.context !== 'string') throw new RecordingError(`${name}: the recording's header lacks its start, context or namespace`);
	return value as RecordingHeader;
}

const fields = new Set<string>(snapshotFields);

/** One record line; undefined for a kind this version does not know (a later one may add kinds). */
export function parseRecord(line: string, name: string, lineNumber: number): Entry | undefined {
	const where = `${name}, line ${lineNumber}`;
	let value: unknown;
	try {
		value = JSON.parse(line);
	} catch {
		throw new RecordingError(`${where} is not JSON`);
	}
	if (!isObject(value) || typeof value.t !== 'number' || !Number.isFinite(value.t) || typeof value.kind !== 'string') throw new RecordingError(`${where} is not a record (a time "t" and a "kind")`);
	const bad = (what: string) => new RecordingError(`${where}: ${/^[aeiou]/.test(value.kind) ? 'an' : 'a'} ${value.kind} record without ${what}`);
	switch (value.kind) {
		case 'object':
			if (!fields.has(value.field)) return undefined;
			if (!isObject(value.object) || !isObject(value.object.metadata)) throw bad('an object with metadata');
			break;
		case 'delete':
			if (!fields.has(value.field)) return undefined;
			if (typeof value.id !== 'string') throw bad('an id');
			break;
		case 'connection':
			if (!isObject(value.connection) || !['connecting', 'live', 'reconnecting'].includes(value.connection.state)) throw bad('a connection state');
			break;
		case 'target':
			if (value.target !== undefined && typeof value.target !== 'string') throw bad('a target');
			break;
		case 'metrics':
			if (!isObject(value.metrics) || !Array.isArray(value.metrics.rows) || !(value.metrics.stepMs > 0) || typeof value.metrics.source !== 'string' || !isObject(value.metrics.status)) throw bad('a source, a state, rows and a step');
			for (const row of value.metrics.rows) if (!isObject(row) || typeof row.key !== 'string' || !isObject(row.threshold)) throw bad('rows with a key and a threshold');
			break;
		case 'samples':
			if (typeof value.stepMs !== 'number' || !(value.stepMs > 0) || typeof value.end !== 'number' || !Array.isArray(value.runs)) throw bad('a step, an end and runs');
			for (const run of value.runs) if (!Array.isArray(run) || typeof run[0] !== 'string' || typeof run[1] !== 'string' || typeof run[2] !== 'number' || !Array.isArray(run[3])) throw bad('well-formed runs');
			break;
		case 'verdict': {
			const verdict = isObject(value.verdict) ? value.verdict.verdict : undefined;
			if (!isObject(value.verdict) || (verdict !== undefined && (!isObject(verdict) || typeof verdict.state !== 'string' || typeof verdict.reason !== 'string' || !Array.isArray(verdict.slis)))) throw bad('a verdict (state, reason, slis)');
			break;
		}
		case 'activity':
			if (value.activity !== null && (!isObject(value.activity) || typeof value.activity.text !== 'string')) throw bad('an activity');
			break;
		case 'end':
			break;
		default:
			return undefined;
	}
	return value as Entry;
}
