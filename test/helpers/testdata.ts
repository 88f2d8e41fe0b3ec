// Fixture cases as data: test/testdata/<case>/objects.yaml holds a namespace's objects as `kubectl get -o
// yaml` prints them (a List, or documents separated by ---), case.yaml says which release to open and at
// what time, and the expected --once text and JSON sit beside them. A user's objects dropped into a new
// folder reproduce what rollscope shows them.
import {existsSync, readdirSync, readFileSync} from 'node:fs';
import {join} from 'node:path';
import {parseAllDocuments, parse} from 'yaml';
import type {KObject} from '../../source/kube/object.js';
import {releaseKinds} from '../../source/kinds/registry.js';
import type {ClusterSnapshot, SnapshotField} from '../../source/release/snapshot.js';
import {routerWatches} from '../../source/traffic/routers.js';
import {repoRoot} from './tmux.js';

export const testdataDir = join(repoRoot, 'test/testdata');

export type Case = {name: string; dir: string; namespace: string; target: string; context: string; now: number; snapshot: ClusterSnapshot};

const groupOf = (apiVersion: string | undefined) => (apiVersion?.includes('/') ? apiVersion.slice(0, apiVersion.indexOf('/')) : '');

/**
 * Which snapshot field holds each kind, by API group and kind (Argo's and OpenKruise's Rollouts share a kind):
 * the built-in ones, every router's and every kind of release's resources.
 */
const fieldOfKind: Record<string, SnapshotField> = {
	'apps/Deployment': 'deployments',
	'apps/ReplicaSet': 'replicaSets',
	'/Pod': 'pods',
	'/Service': 'services',
	'/Event': 'events',
	...Object.fromEntries(routerWatches.flatMap(w => w.groupVersions.map(gv => [`${groupOf(gv)}/${w.kind}`, 'routers']))),
	...Object.fromEntries(releaseKinds.flatMap(k => (k.watches ?? []).flatMap(w => w.groupVersions.map(gv => [`${groupOf(gv)}/${w.kind}`, w.field])))),
};

/** The objects of a YAML text: Lists are flattened; documents may be separated by ---. */
export function objectsOf(text: string): KObject[] {
	const out: KObject[] = [];
	const add = (o: any) => {
		if (!o || typeof o !== 'object') return;
		if (Array.isArray(o.items) && (o.kind === 'List' || String(o.kind ?? '').endsWith('List'))) for (const item of o.items) add(item);
		else out.push(o as KObject);
	};
	for (const doc of parseAllDocuments(text)) {
		if (doc.errors.length > 0) throw new Error(doc.errors[0]!.message);
		add(doc.toJS());
	}
	return out;
}

export function snapshotOf(objects: KObject[], namespace: string, now: number): ClusterSnapshot {
	const snap: ClusterSnapshot = {namespace, deployments: [], replicaSets: [], pods: [], services: [], events: [], routers: [], now};
	for (const o of objects) {
		const field = fieldOfKind[`${groupOf(o.apiVersion)}/${o.kind ?? ''}`];
		if (field && (o.metadata?.namespace ?? namespace) === namespace) (snap[field] ??= []).push(o);
	}
	return snap;
}

/** The objects of each case, parsed once (the YAML is most of the time a case takes); callers get copies. */
const parsed = new Map<string, KObject[]>();

export function loadCase(name: string): Case {
	const dir = join(testdataDir, name);
	const meta = parse(readFileSync(join(dir, 'case.yaml'), 'utf8')) as {namespace: string; target: string; context?: string; now: string};
	const now = Date.parse(meta.now);
	const file = join(dir, 'objects.yaml');
	let objects = parsed.get(file);
	if (!objects) parsed.set(file, (objects = objectsOf(readFileSync(file, 'utf8'))));
	return {name, dir, namespace: meta.namespace, target: meta.target, context: meta.context ?? 'fixture', now, snapshot: snapshotOf(structuredClone(objects), meta.namespace, now)};
}

/** Every folder of test/testdata with a case.yaml. */
export function caseNames(): string[] {
	return readdirSync(testdataDir).filter(name => existsSync(join(testdataDir, name, 'case.yaml'))).sort();
}
