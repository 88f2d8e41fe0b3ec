// The kinds of release rollscope knows, in the order detection tries them (a controller's release claims
// its Deployments before pairs are looked for), and everything that depends on the kind, found through
// them: which releases a namespace holds, which one a target names, its model, its action target.
import type {Check} from '../actions/access.js';
import type {ActionKind} from '../actions/commands.js';
import type {Intent, PlanOptions} from '../actions/intents.js';
import type {ActionTarget} from '../actions/target.js';
import type {Planned} from '../actions/types.js';
import type {KObject} from '../kube/object.js';
import type {DetectedRelease} from '../release/detected.js';
import type {Release, ReleaseKind} from '../release/model.js';
import {compareText} from '../release/object-fields.js';
import {podSelectors} from '../release/pod-scope.js';
import {sanitize} from '../release/sanitize.js';
import {scanSnapshot, type Scan} from '../release/scan.js';
import type {ClusterSnapshot, ReleaseRef} from '../release/snapshot.js';
import {argoRolloutKind} from './argo-rollout.js';
import {blueGreenKind} from './blue-green.js';
import {canaryPairKind} from './canary-pair.js';
import {flaggerKind} from './flagger.js';
import {kruiseRolloutKind} from './kruise-rollout.js';
import {rollingKind} from './rolling.js';
import type {KindSpec} from './spec.js';

/** Every kind, in detection order. A new kind is one more line here. */
export const releaseKinds: readonly KindSpec[] = [argoRolloutKind, kruiseRolloutKind, flaggerKind, canaryPairKind, blueGreenKind, rollingKind];

const DEPLOYMENT_PREFIXES = new Set(['deploy', 'deployment', 'deployments', 'deployment.apps', 'deployments.apps']);
const SERVICE_PREFIXES = new Set(['svc', 'service', 'services']);

export type Resolution = {ref: ReleaseRef} | {error: string; candidates: string[]};

export type KindRegistry = {
	kinds: readonly KindSpec[];
	/** The spec of a kind; a kind the registry does not know is a programming error. */
	spec(kind: ReleaseKind): KindSpec;
	/** Every release in a scan, worked out once per scan. Callers must not change it. */
	detect(scan: Scan): DetectedRelease[];
	/** Every release in the namespace, those in progress first, then by name. */
	find(snap: ClusterSnapshot): ReleaseRef[];
	/** The release a target names: `deploy/NAME`, `svc/NAME`, a kind's own prefix (`rollout/NAME`), or a bare NAME. */
	resolve(snap: ClusterSnapshot, target: string): Resolution;
	/** The Release model of a ref; an empty one when its objects are gone. */
	build(snap: ClusterSnapshot, ref: ReleaseRef): Release;
	/** Label selectors that together select every pod of a ref's release; undefined: only the namespace's pods hold them all (or it is gone). */
	podSelectors(snap: ClusterSnapshot, ref: ReleaseRef): string[] | undefined;
	/** The objects behind the release a target names, for the planners, the keys acting on the `focus` version (a Deployment name); undefined when it is gone. */
	actionTarget(snap: ClusterSnapshot, target: string, user: string, focus?: string): ActionTarget | undefined;
};

function toRef(release: DetectedRelease, target = release.target): ReleaseRef {
	return {
		target,
		name: release.name,
		kind: release.kind,
		deployments: release.deployments.map(sanitize),
		services: release.services.map(sanitize),
		inProgress: release.inProgress,
	};
}

export function createKindRegistry(kinds: readonly KindSpec[]): KindRegistry {
	const byKind = new Map(kinds.map(k => [k.kind, k]));
	const spec = (kind: ReleaseKind): KindSpec => {
		const found = byKind.get(kind);
		if (!found) throw new Error(`unknown kind of release: ${kind}`);
		return found;
	};
	const detected = new WeakMap<Scan, DetectedRelease[]>();
	const detect = (scan: Scan): DetectedRelease[] => {
		let releases = detected.get(scan);
		if (!releases) {
			const claimed = new Set<KObject>();
			releases = kinds.flatMap(k => k.detect(scan, claimed));
			releases.sort((a, b) => Number(b.inProgress) - Number(a.inProgress) || compareText(a.name, b.name) || compareText(a.target, b.target));
			detected.set(scan, releases);
		}
		return releases;
	};
	/** The detected release a ref stands for: a named kind by its name; else same kind and first Deployment, else any holding one of its Deployments. */
	const match = (releases: DetectedRelease[], ref: ReleaseRef): DetectedRelease | undefined => {
		if (spec(ref.kind).named) return releases.find(r => r.kind === ref.kind && r.name === ref.name);
		return (
			releases.find(r => r.kind === ref.kind && r.deployments[0] === ref.deployments[0]) ??
			ref.deployments.map(name => releases.find(r => r.deployments.includes(name))).find(r => r !== undefined)
		);
	};
	const resolve = (snap: ClusterSnapshot, target: string): Resolution => {
		const scan = scanSnapshot(snap);
		const releases = detect(scan);
		const candidates = releases.map(r => r.target);
		const namespace = sanitize(snap.namespace);
		const trimmed = target.trim();
		const slash = trimmed.indexOf('/');
		const prefix = slash < 0 ? undefined : trimmed.slice(0, slash).toLowerCase();
		const name = slash < 0 ? trimmed : trimmed.slice(slash + 1);
		const shown = JSON.stringify(sanitize(name));
		if (name === '' || name.includes('/')) return {error: `not a target: ${JSON.stringify(sanitize(target))} (use deploy/NAME or svc/NAME)`, candidates};

		const byDeployment = () => {
			const release = releases.find(r => r.deployments.includes(name));
			return release && {ref: toRef(release, `deploy/${sanitize(name)}`)};
		};
		const byService = (): Resolution | undefined => {
			if (!scan.service(name)) return undefined;
			const fronted = releases.filter(r => r.services.includes(name));
			if (fronted.length === 1) return {ref: toRef(fronted[0]!, `svc/${sanitize(name)}`)};
			if (fronted.length === 0) return {error: `Service ${shown} in namespace "${namespace}" selects no Deployment`, candidates};
			return {error: `Service ${shown} is in front of several releases; pick one`, candidates: fronted.map(r => r.target)};
		};
		const byName = (kind: KindSpec) => {
			const release = releases.find(r => r.kind === kind.kind && r.name === name);
			return release && {ref: toRef(release)};
		};
		const named = kinds.filter(k => k.named);

		if (prefix === undefined) {
			for (const kind of named) {
				const found = byName(kind);
				if (found) return found;
			}
			const found = byDeployment() ?? byService();
			if (found) return found;
			const release = releases.find(r => r.name === name);
			if (release) return {ref: toRef(release)};
			return {error: `no Deployment or Service named ${shown} in namespace "${namespace}"`, candidates};
		}
		if (DEPLOYMENT_PREFIXES.has(prefix)) return byDeployment() ?? {error: `no Deployment named ${shown} in namespace "${namespace}"`, candidates};
		if (SERVICE_PREFIXES.has(prefix)) return byService() ?? {error: `no Service named ${shown} in namespace "${namespace}"`, candidates};
		// The kind that owns the prefix first, then those that share it.
		const answering = [...named.filter(k => k.named!.prefixes.includes(prefix)), ...named.filter(k => k.named!.shared?.includes(prefix))];
		if (answering.length > 0) {
			for (const kind of answering) {
				const found = byName(kind);
				if (found) return found;
			}
			return {error: `no ${answering.map(k => k.named!.noun).join(' or ')} named ${shown} in namespace "${namespace}"`, candidates};
		}
		const prefixes = ['deploy/NAME', 'svc/NAME', ...named.map(k => `${k.named!.prefixes[0]}/NAME`)];
		return {error: `unsupported target kind ${JSON.stringify(sanitize(prefix))}: use ${prefixes.slice(0, -1).join(', ')} or ${prefixes.at(-1)}`, candidates};
	};
	return {
		kinds,
		spec,
		detect,
		find: snap => detect(scanSnapshot(snap)).map(release => toRef(release)),
		resolve,
		build(snap, ref) {
			const scan = scanSnapshot(snap);
			const release = match(detect(scan), ref);
			if (!release) {
				return {target: ref.target, namespace: sanitize(snap.namespace), name: ref.name, kind: ref.kind, versions: [], pods: [], revisions: [], events: [], services: ref.services};
			}
			return spec(release.kind).build(snap, scan, release, ref.target);
		},
		podSelectors(snap, ref) {
			const release = match(detect(scanSnapshot(snap)), ref);
			return release && podSelectors(release);
		},
		actionTarget(snap, target, user, focus) {
			const resolved = resolve(snap, target);
			if ('error' in resolved) return undefined;
			const scan = scanSnapshot(snap);
			const release = match(detect(scan), resolved.ref);
			if (!release) return undefined;
			const kind = spec(release.kind);
			const base = {snap, scan, release, namespace: snap.namespace, user};
			const pair = kind.pair?.(base, focus);
			return {...base, ...(pair ? {pair} : {}), noWeights: kind.noWeights(release.target)};
		},
	};
}

/** The registry of the kinds above. */
export const kindRegistry = createKindRegistry(releaseKinds);

export const kindSpec = (kind: ReleaseKind): KindSpec => kindRegistry.spec(kind);
export const detectReleases = (scan: Scan): DetectedRelease[] => kindRegistry.detect(scan);
export const findReleases = (snap: ClusterSnapshot): ReleaseRef[] => kindRegistry.find(snap);
export const resolveTarget = (snap: ClusterSnapshot, target: string): Resolution => kindRegistry.resolve(snap, target);
export const buildRelease = (snap: ClusterSnapshot, ref: ReleaseRef): Release => kindRegistry.build(snap, ref);
export const releasePodSelectors = (snap: ClusterSnapshot, ref: ReleaseRef): string[] | undefined => kindRegistry.podSelectors(snap, ref);
export const actionTarget = (snap: ClusterSnapshot, target: string, user: string, focus?: string): ActionTarget | undefined => kindRegistry.actionTarget(snap, target, user, focus);
/** An intent as a plan, by the kind of the target's release. */
export const planIntent = (t: ActionTarget, intent: Intent, options: PlanOptions): Planned => kindSpec(t.release.kind).plan(t, intent, options);
/** The permissions each kind of action needs on the target's release. */
export const accessChecks = (t: ActionTarget, routerOverride?: string): Record<ActionKind, Check[]> => kindSpec(t.release.kind).access(t, routerOverride);
