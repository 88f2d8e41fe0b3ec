// What a kind of release is, in one place: how it is named and found, how its model is built, how its
// actions are planned and what they need, which keys apply, how the verdict compares its versions and what
// the strip above its panels says. The registry (./registry.ts) lists the specs; nothing else branches on
// the kind.
import type {ActionKind, ActionName} from '../actions/commands.js';
import type {Check} from '../actions/access.js';
import type {Intent, PlanOptions, WeightKey} from '../actions/intents.js';
import type {ActionTarget, Pair} from '../actions/target.js';
import type {Planned} from '../actions/types.js';
import type {RevisionEntry} from '../actions/undo.js';
import type {WeightKeyAnswer} from '../actions/weights.js';
import type {KObject} from '../kube/object.js';
import type {Attention} from '../release/attention.js';
import type {DetectedRelease} from '../release/detected.js';
import type {Release, ReleaseKind} from '../release/model.js';
import type {Scan} from '../release/scan.js';
import type {ClusterSnapshot, SnapshotField} from '../release/snapshot.js';
import type {WatchedResource} from '../traffic/router.js';
import type {StyledLine} from '../text/styled.js';

/** The revisions the undo picker offers: whose they are and the entries, newest first. */
export type RevisionList = {workload: string; prefix: 'deploy' | 'rollout'; entries: RevisionEntry[]};

export type KindSpec = {
	kind: ReleaseKind;
	/** The header's and picker's name: `canary pair`. */
	label: string;
	/** In messages: `a canary pair`. */
	article: string;
	/**
	 * Target prefixes (lower case, before the `/`; the first is the one help shows) that name a release of this
	 * kind by its name, and what the kind's object is called when none is found (`no Argo Rollout named …`).
	 * `shared` are prefixes an earlier kind owns that also reach this one when that kind has no release of the
	 * name (`rollout/` names an Argo Rollout first, then an OpenKruise one). A bare NAME finds these first.
	 */
	named?: {prefixes: readonly string[]; shared?: readonly string[]; noun: string};
	/** Resources of the kind's controller the release watch lists, into which snapshot field (when the cluster serves them). */
	watches?: ReadonlyArray<WatchedResource & {field: SnapshotField}>;
	/** The releases of this kind in a scan; Deployments a release uses go into `claimed`, so later kinds leave them. */
	detect(scan: Scan, claimed: Set<KObject>): DetectedRelease[];
	/** What the release asks of a person (failing, waiting, progressing, steady) for the list of every namespace; none: in progress or steady. */
	attention?(release: DetectedRelease, scan: Scan): Attention;
	/** The Release model of one detected release, opened as `target`. */
	build(snap: ClusterSnapshot, scan: Scan, release: DetectedRelease, target: string): Release;
	/**
	 * The versions whose weights the keys set directly (a canary release), with the canary they act on: the
	 * focused version (a Deployment name) when it is a canary, else the first canary.
	 */
	pair?(t: Omit<ActionTarget, 'pair' | 'noWeights'>, focus?: string): Pair | undefined;
	/** Why the weight keys do nothing here, when they do nothing. */
	noWeights: (target: string) => string;
	/** A reason every action is refused on this release (a Deployment a controller owns), else undefined. */
	refusal?(t: ActionTarget): string | undefined;
	/** An intent as a plan, or why there is nothing to do. */
	plan(t: ActionTarget, intent: Intent, options: PlanOptions): Planned;
	/** The permissions each kind of action needs on this release. */
	access(t: ActionTarget, routerOverride?: string): Record<ActionKind, Check[]>;
	/** The weight keys (+ - [ ] =): what they ask for here. */
	weightKey(t: ActionTarget, key: WeightKey, options: PlanOptions): WeightKeyAnswer;
	/** The revisions `u` offers, for the focused Deployment (a pod's or a revision row's) when it is one of the release's. */
	revisions(t: ActionTarget, focusedWorkload?: string): RevisionList | {message: string};
	/** Keys only some kinds have (P, r): those this kind has. */
	extraActions?: readonly ActionName[];
	/** What the verdict compares: the words for the new and the old version; absent when there is nothing to compare. */
	compared?: {newer: string; older: string};
	/** The strip above the panels, in styled lines that fit `width` (none: no strip). */
	strip?(release: Release, width: number): StyledLine[];
	/** The lines the plain-text snapshot prints about the release's controller (none: nothing). */
	summary?(release: Release): string[];
};
