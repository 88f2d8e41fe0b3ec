// The release model: what the operator sees, derived from Kubernetes objects by pure functions.
// `--once -o json` prints a `Release` as it is, so this shape is documented and kept stable.

export type ReleaseKind = 'rolling' | 'canary' | 'bluegreen' | 'argo-rollout' | 'flagger';

export type Role = 'stable' | 'canary' | 'active' | 'preview' | 'old' | 'new';

export type RouterKind =
	| 'istio'
	| 'gateway-api'
	| 'smi'
	| 'nginx'
	| 'traefik'
	| 'replicas'
	| 'service-selector'
	| 'deployment';

export type PodPhase = 'Pending' | 'ContainerCreating' | 'Running' | 'CrashLoopBackOff' | 'Terminating' | 'Succeeded' | 'Failed' | 'Unknown';

export type PodInfo = {
	name: string;
	/** The version (see Version.id) the pod belongs to. */
	version: string;
	/** Revision of the pod's ReplicaSet (a canary's old pods keep their old revision). */
	revision?: number;
	phase: PodPhase;
	/** The status kubectl shows: Running, ContainerCreating, CrashLoopBackOff, ... */
	status: string;
	ready: boolean;
	containersReady: number;
	containers: number;
	restarts: number;
	/** Seconds since creation, at the time the model was made. */
	ageSeconds: number;
	node?: string;
};

export type Version = {
	/** Stable identifier: the Deployment or ReplicaSet name. */
	id: string;
	role: Role;
	/** Deployment or ReplicaSet name behind this version. */
	workload: string;
	workloadKind: 'Deployment' | 'ReplicaSet';
	revision?: number;
	images: string[];
	desired: number;
	pods: number;
	ready: number;
	available: number;
	restarts: number;
	/** Count of pods per kubectl status (Running, Pending, CrashLoopBackOff, ...). */
	phases: Record<string, number>;
	/** Intended share of traffic in percent, from the router (or replica share); undefined when unknown. */
	weight?: number;
	/** Pod-template hash, when the version is a ReplicaSet or has one. */
	podTemplateHash?: string;
	/** Label selector (k=v,...) that picks this version's pods. */
	selector: string;
};

export type Revision = {
	revision: number;
	images: string[];
	changeCause?: string;
	ageSeconds: number;
	pods: number;
	replicaSet: string;
	/** The Deployment this revision belongs to. */
	workload: string;
	current: boolean;
};

export type ReleaseEvent = {
	time: string;
	type: 'Normal' | 'Warning';
	reason: string;
	object: string;
	message: string;
	count: number;
};

export type Condition = {type: string; status: string; reason?: string; message?: string};

export type Progress = {
	desired: number;
	updated: number;
	ready: number;
	available: number;
	paused: boolean;
	conditions: Condition[];
	/** Set when Progressing is False with ProgressDeadlineExceeded. */
	deadlineExceeded: boolean;
	/** True once the rollout has finished (what `kubectl rollout status` reports). */
	complete: boolean;
};

export type TrafficSplit = {
	router: RouterKind;
	/** The object holding the weights, as kind/name. */
	object?: string;
	/** Weight per version id, percent. */
	weights: Record<string, number>;
	/** True when a controller (Argo, Flagger) owns the router object. */
	managedBy?: string;
};

export type Release = {
	/** What the user asked for, normalised: `deploy/checkout`, `svc/checkout`. */
	target: string;
	namespace: string;
	/** Display name of the release. */
	name: string;
	kind: ReleaseKind;
	versions: Version[];
	traffic?: TrafficSplit;
	pods: PodInfo[];
	revisions: Revision[];
	events: ReleaseEvent[];
	/** For rolling Deployments: rollout progress. */
	progress?: Progress;
	/** Services in front of the release (active, preview). */
	services: string[];
};
