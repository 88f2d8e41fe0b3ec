// The simulated cluster's object store: one increasing resourceVersion, a bounded
// history of changes for watches to resume from, owner-cascading deletes.
import {randomUUID} from 'node:crypto';
import {crdCauses, crdKey, crdStatus, defaultCrd, syncServed} from './apiextensions.js';
import {simCrds} from './crds.js';
import {alreadyExists, ApiError, conflict, expired, invalid, notFound} from './errors.js';
import {clone, deepEqual, nowIso, specPart, type KObject} from './object.js';
import {apiVersionOf, ResourceRegistry, storageKey, type Resource} from './resources.js';
import {prepareForCreate} from './validation.js';

export type ChangeType = 'ADDED' | 'MODIFIED' | 'DELETED';
export type Change = {type: ChangeType; key: string; object: KObject; rv: number};
export type Listener = (change: Change) => void;
/**
 * A mutating admission hook, as a MutatingAdmissionWebhook is to a real API server: it may change an object on its
 * way in (a create, or an update of the main resource; not of the status subresource). `current` is the stored one.
 */
export type Admission = (incoming: KObject, current: KObject | undefined) => void;

const nameAlphabet = 'bcdfghjklmnpqrstvwxz2456789';

export function randomSuffix(length = 5): string {
	let s = '';
	for (let i = 0; i < length; i++) s += nameAlphabet[Math.floor(Math.random() * nameAlphabet.length)];
	return s;
}

const idOf = (namespace: string | undefined, name: string) => `${namespace ?? ''}/${name}`;

export type StoreOptions = {
	historySize?: number;
	/** CustomResourceDefinitions installed at start; default: the sim's own (crds.ts). */
	crds?: KObject[];
};

export class ObjectStore {
	private rv = 0;
	private readonly objects = new Map<string, Map<string, KObject>>();
	private readonly history: Change[] = [];
	private historyStart = 0;
	private readonly historySize: number;
	private readonly listeners = new Map<string, Set<Listener>>();
	private readonly admissions = new Map<string, Set<Admission>>();
	/** Owner uid -> the objects it owns, as `key\0namespace/name`, for cascading deletes. */
	private readonly dependents = new Map<string, Set<string>>();

	/** What this cluster serves: the built-in kinds and those of its established CRDs. */
	readonly resources = new ResourceRegistry();

	constructor(options: StoreOptions = {}) {
		this.historySize = options.historySize ?? 50_000;
		this.installCrds(options.crds ?? simCrds());
	}

	/** Create CRDs as `kubectl apply` would (skipping those already there), so their resources are served. */
	installCrds(crds: KObject[]): void {
		for (const crd of crds) if (!this.get(crdKey, undefined, crd.metadata.name!)) this.create(crdKey, crd);
	}

	get resourceVersion(): number {
		return this.rv;
	}

	/** The oldest resourceVersion a watch may resume from. */
	get oldestResumable(): number {
		return this.history.length > 0 ? this.history[this.historyStart]!.rv - 1 : this.rv;
	}

	private bucket(key: string): Map<string, KObject> {
		let b = this.objects.get(key);
		if (!b) {
			b = new Map();
			this.objects.set(key, b);
		}
		return b;
	}

	private index(key: string, o: KObject, add: boolean): void {
		const ref = `${key}\0${idOf(o.metadata.namespace, o.metadata.name!)}`;
		for (const owner of o.metadata.ownerReferences ?? []) {
			let set = this.dependents.get(owner.uid);
			if (add) {
				if (!set) this.dependents.set(owner.uid, (set = new Set()));
				set.add(ref);
			} else if (set) {
				set.delete(ref);
				if (set.size === 0) this.dependents.delete(owner.uid);
			}
		}
	}

	get(key: string, namespace: string | undefined, name: string): KObject | undefined {
		return this.objects.get(key)?.get(idOf(namespace, name));
	}

	mustGet(key: string, namespace: string | undefined, name: string): KObject {
		const o = this.get(key, namespace, name);
		if (!o) throw notFound(this.resources.byKey(key), name);
		return o;
	}

	/** Objects of a kind, optionally in one namespace. The returned objects must not be mutated. */
	list(key: string, namespace?: string): KObject[] {
		const b = this.objects.get(key);
		if (!b) return [];
		const all = [...b.values()];
		return namespace === undefined ? all : all.filter(o => o.metadata.namespace === namespace);
	}

	subscribe(key: string, listener: Listener): () => void {
		let set = this.listeners.get(key);
		if (!set) {
			set = new Set();
			this.listeners.set(key, set);
		}
		set.add(listener);
		return () => set.delete(listener);
	}

	/** Run `hook` on every object of `key` written from now on; the returned function removes it. */
	admit(key: string, hook: Admission): () => void {
		let set = this.admissions.get(key);
		if (!set) {
			set = new Set();
			this.admissions.set(key, set);
		}
		set.add(hook);
		return () => set.delete(hook);
	}

	private runAdmission(key: string, incoming: KObject, current: KObject | undefined): void {
		for (const hook of [...(this.admissions.get(key) ?? [])]) hook(incoming, current);
	}

	/** Changes of one kind after `rv`, or 410 Expired when the history no longer reaches back that far. */
	changesSince(key: string, rv: number): Change[] {
		if (rv < this.oldestResumable) throw expired(rv, this.oldestResumable);
		const out: Change[] = [];
		for (let i = this.historyStart; i < this.history.length; i++) {
			const c = this.history[i]!;
			if (c.rv > rv && c.key === key) out.push(c);
		}
		return out;
	}

	private record(type: ChangeType, key: string, object: KObject): void {
		const change: Change = {type, key, object, rv: Number(object.metadata.resourceVersion)};
		this.history.push(change);
		if (this.history.length - this.historyStart > this.historySize) {
			this.historyStart++;
			if (this.historyStart > 4096 && this.historyStart * 2 > this.history.length) {
				this.history.splice(0, this.historyStart);
				this.historyStart = 0;
			}
		}
		const set = this.listeners.get(key);
		if (set) for (const l of [...set]) l(change);
	}

	private stamp(o: KObject): void {
		this.rv++;
		o.metadata.resourceVersion = String(this.rv);
	}

	create(key: string, input: KObject): KObject {
		const r = this.resources.byKey(key);
		const o = clone(input);
		o.metadata ??= {};
		this.runAdmission(key, o, undefined);
		const meta = o.metadata;
		if (!meta.name && meta.generateName) {
			do meta.name = meta.generateName + randomSuffix();
			while (this.get(key, meta.namespace, meta.name));
		}
		if (!meta.name) throw invalid(r, '', [{type: 'FieldValueRequired', field: 'metadata.name', message: 'Required value: name or generateName is required'}]);
		if (!/^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/.test(meta.name) || meta.name.length > 253) {
			throw invalid(r, meta.name, [{type: 'FieldValueInvalid', field: 'metadata.name', message: `Invalid value: "${meta.name}": a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character`}]);
		}
		if (r.namespaced) {
			if (!meta.namespace) meta.namespace = 'default';
			if (key !== 'namespaces' && !this.get('namespaces', undefined, meta.namespace)) {
				throw new ApiError(404, 'NotFound', `namespaces "${meta.namespace}" not found`, {name: meta.namespace, kind: 'namespaces'});
			}
		} else {
			delete meta.namespace;
		}
		if (this.get(key, meta.namespace, meta.name)) throw alreadyExists(r, meta.name);
		if (key === crdKey) this.checkCrd(r, defaultCrd(o));
		o.apiVersion = apiVersionOf(r);
		o.kind = r.kind;
		meta.uid = randomUUID();
		meta.creationTimestamp = nowIso();
		meta.generation = 1;
		delete meta.deletionTimestamp;
		prepareForCreate(r, o);
		if (key === crdKey) o.status = crdStatus({...o, status: undefined}, this.list(crdKey));
		this.stamp(o);
		this.bucket(key).set(idOf(meta.namespace, meta.name), o);
		this.index(key, o, true);
		this.record('ADDED', key, o);
		if (key === crdKey) syncServed(this.resources, o);
		return o;
	}

	private checkCrd(r: Resource, crd: KObject, old?: KObject): void {
		const causes = crdCauses(crd, old);
		if (causes.length > 0) throw invalid(r, crd.metadata.name ?? '', causes);
	}

	/**
	 * Replace an object. `subresource: 'status'` changes only status; otherwise status is kept
	 * for kinds with a status subresource. A resourceVersion in the input must match (409 otherwise).
	 */
	update(key: string, input: KObject, options: {subresource?: 'status'} = {}): KObject {
		const r = this.resources.byKey(key);
		const name = input.metadata?.name ?? '';
		const current = this.get(key, input.metadata?.namespace ?? (r.namespaced ? 'default' : undefined), name);
		if (!current) throw notFound(r, name);
		const askedRv = input.metadata.resourceVersion;
		if (askedRv !== undefined && askedRv !== '' && askedRv !== current.metadata.resourceVersion) throw conflict(r, name);
		if (input.metadata.uid && input.metadata.uid !== current.metadata.uid) throw conflict(r, name);
		const incoming = clone(input);
		if (options.subresource !== 'status') this.runAdmission(key, incoming, current);
		const next = this.merged(r, current, incoming, options.subresource);
		if (key === crdKey) {
			this.checkCrd(r, defaultCrd(next), current);
			next.status = crdStatus(next, this.list(crdKey));
		}
		if (deepEqual(next, current)) return current;
		this.stamp(next);
		this.index(key, current, false);
		this.bucket(key).set(idOf(next.metadata.namespace, name), next);
		this.index(key, next, true);
		this.record('MODIFIED', key, next);
		if (key === crdKey) syncServed(this.resources, next);
		return next;
	}

	/** Read-modify-write in one step, for controllers: `mutate` edits a copy. */
	mutate(key: string, namespace: string | undefined, name: string, mutate: (o: KObject) => void, options: {subresource?: 'status'} = {}): KObject {
		const current = this.mustGet(key, namespace, name);
		const copy = clone(current);
		mutate(copy);
		return this.update(key, copy, options);
	}

	private merged(r: Resource, current: KObject, input: KObject, subresource?: 'status'): KObject {
		const hasStatus = r.subresources?.includes('status') ?? false;
		let next: KObject;
		if (subresource === 'status') {
			next = {...clone(current), status: input.status};
		} else {
			next = input;
			if (hasStatus) {
				if (current.status === undefined) delete next.status;
				else next.status = clone(current.status);
			}
		}
		next.apiVersion = current.apiVersion;
		next.kind = current.kind;
		// Fields the server owns are kept.
		const m = next.metadata;
		m.name = current.metadata.name;
		if (current.metadata.namespace) m.namespace = current.metadata.namespace;
		else delete m.namespace;
		m.uid = current.metadata.uid;
		m.creationTimestamp = current.metadata.creationTimestamp;
		m.resourceVersion = current.metadata.resourceVersion;
		m.generation = current.metadata.generation;
		if (current.metadata.deletionTimestamp) m.deletionTimestamp = current.metadata.deletionTimestamp;
		else delete m.deletionTimestamp;
		if (subresource !== 'status' && !deepEqual(specPart(next), specPart(current))) m.generation = (current.metadata.generation ?? 1) + 1;
		for (const k of ['labels', 'annotations', 'ownerReferences'] as const) {
			if (m[k] === null) delete m[k];
		}
		return next;
	}

	/** Delete an object and, like the garbage collector, everything it owns. */
	delete(key: string, namespace: string | undefined, name: string, options: {resourceVersion?: string; uid?: string} = {}): KObject {
		const r = this.resources.byKey(key);
		const current = this.get(key, namespace, name);
		if (!current) throw notFound(r, name);
		if (options.resourceVersion && options.resourceVersion !== current.metadata.resourceVersion) throw conflict(r, name);
		if (options.uid && options.uid !== current.metadata.uid) throw conflict(r, name);
		if (key === crdKey) this.removeCustomResources(name);
		this.bucket(key).delete(idOf(current.metadata.namespace, name));
		this.index(key, current, false);
		const gone = clone(current);
		this.stamp(gone);
		this.record('DELETED', key, gone);
		if (key === 'namespaces') {
			for (const [otherKey, bucket] of this.objects) {
				for (const o of [...bucket.values()]) if (o.metadata.namespace === name) this.delete(otherKey, o.metadata.namespace, o.metadata.name!);
			}
		}
		for (const ref of [...(this.dependents.get(current.metadata.uid!) ?? [])]) {
			const [otherKey, id] = ref.split('\0') as [string, string];
			const slash = id.indexOf('/');
			const ns = id.slice(0, slash) || undefined;
			const depName = id.slice(slash + 1);
			if (this.get(otherKey, ns, depName)) this.delete(otherKey, ns, depName);
		}
		return gone;
	}

	/** A CRD is going: its objects go first (each a DELETED event), then its resource is no longer served. */
	private removeCustomResources(crdName: string): void {
		const served = this.resources.servedBy(crdName);
		if (!served) return;
		const key = storageKey(served);
		for (const o of this.list(key)) if (this.get(key, o.metadata.namespace, o.metadata.name!)) this.delete(key, o.metadata.namespace, o.metadata.name!);
		this.resources.stopServing(crdName);
	}

	/** Everything stored, for `--state`. */
	snapshot(): {resourceVersion: number; objects: Record<string, KObject[]>} {
		const objects: Record<string, KObject[]> = {};
		for (const [key, bucket] of this.objects) objects[key] = [...bucket.values()];
		return {resourceVersion: this.rv, objects};
	}

	/** Load a snapshot. Watches opened before it cannot resume across it. */
	restore(snapshot: {resourceVersion: number; objects: Record<string, KObject[]>}): void {
		this.objects.clear();
		this.dependents.clear();
		this.history.length = 0;
		this.historyStart = 0;
		this.rv = Math.max(this.rv, snapshot.resourceVersion);
		for (const r of this.resources.all()) if (r.crd) this.resources.stopServing(r.crd);
		for (const [key, list] of Object.entries(snapshot.objects)) {
			const bucket = this.bucket(key);
			for (const o of list) {
				bucket.set(idOf(o.metadata.namespace, o.metadata.name!), o);
				this.index(key, o, true);
				if (key === crdKey) syncServed(this.resources, o);
			}
		}
		// State saved before the sim kept CRDs as objects: install its own.
		if (!Object.hasOwn(snapshot.objects, crdKey)) this.installCrds(simCrds());
	}
}
