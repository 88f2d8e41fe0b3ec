// The release model: what the operator sees, derived from Kubernetes objects by pure functions.
// `--once -o json` prints a `Release` as it is, so this shape is documented and kept stable.
import type {RouterKind} from '../traffic/router.js';

export type {RouterKind};

export type ReleaseKind = 'rolling' | 'canary' | 'bluegreen' | 'argo-rollout' | 'flagger' | 'kruise-rollout';

export type Role = 'stable' | 'canary' | 'active' | 'preview' | 'old' | 'new';

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
	/** Latest SLI values, when metrics are on (`--once -o json`); null is no data. */
	sli?: VersionSlis;
	/** What its images break of release practice: no tag or `:latest`, several digests under one tag across its pods. Absent when nothing. */
	imageWarnings?: string[];
};

/** A version's latest service-level indicators; null is no data (never 0). */
export type VersionSlis = {
	requestsPerSecond: number | null;
	/** Share of requests answered 5xx, 0..1. */
	errorRatio: number | null;
	p95Seconds: number | null;
	p99Seconds: number | null;
	/** CPU cores per pod. */
	cpuCores: number | null;
	/** Working-set bytes per pod. */
	memoryBytes: number | null;
};

/** Where the SLIs came from and when, with the traffic split measured from request rates. */
export type ReleaseMetrics = {
	/** `prometheus host:port · preset`, `sim (in-process)`. */
	source: string;
	/** The moment the values are for (ISO 8601). */
	time: string;
	preset?: string;
	/** Percent of requests per version id, from request rates. */
	measuredTraffic?: Record<string, number>;
	/** Why there are no values at all (unreachable, no known metrics). */
	error?: string;
	/** Queries that failed, per SLI. */
	errors?: Record<string, string>;
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

/** Requests that reach one version by what they carry, whatever the weights. */
export type MatchRoute = {
	/** The version id. */
	version: string;
	/** `header x-canary=always`, `cookie canary=always`. */
	match: string;
};

export type TrafficSplit = {
	router: RouterKind;
	/** The object holding the weights, as kind/name. */
	object?: string;
	/** Weight per version id, percent. */
	weights: Record<string, number>;
	/** Routes before the weighted one that send requests with a header or cookie to one version. */
	routes?: MatchRoute[];
	/** True when a controller (Argo, Flagger) owns the router object. */
	managedBy?: string;
};

/** One canary step of an Argo Rollout, as the steps strip shows it. */
export type RolloutStep = {
	index: number;
	/** setWeight, pause, analysis, setCanaryScale, experiment, setHeaderRoute, setMirrorRoute, plugin. */
	kind: string;
	/** Short text: `20%`, `pause`, `pause 30s`, `analysis error-rate`. */
	label: string;
	/** For setWeight steps. */
	setWeight?: number;
	/** For pause and experiment steps with a duration. */
	durationSeconds?: number;
	/** For an experiment step the cluster has an Experiment of (the current pod hash's): its phase. */
	phase?: string;
	state: 'done' | 'current' | 'pending';
};

/** The Experiment of an Argo Rollout's experiment step: its phase and its templates' pods. */
export type ArgoExperimentInfo = {
	name: string;
	/** Pending, Running, Successful, Failed, Error, Inconclusive. */
	phase: string;
	message?: string;
	/** spec.duration (`1h`); absent: runs until its analyses finish. */
	duration?: string;
	templates: Array<{name: string; replicas: number; ready: number; status?: string}>;
};

/** One metric of an AnalysisRun: the measured values and the limits they are judged by. */
export type AnalysisMetric = {
	name: string;
	phase: string;
	successCondition?: string;
	failureCondition?: string;
	failureLimit: number;
	inconclusiveLimit: number;
	/** Measurements asked for (undefined: runs until stopped). */
	count?: number;
	interval?: string;
	measured: number;
	successful: number;
	failed: number;
	inconclusive: number;
	error: number;
	/** The last measured values (at most the 10 the run keeps), oldest first, as the provider returned them. */
	values: string[];
	/** The phase of each of those measurements. */
	valuePhases: string[];
	message?: string;
};

export type AnalysisRunInfo = {
	name: string;
	phase: string;
	/** Step, Background, PrePromotion, PostPromotion. */
	type?: string;
	/** For step analysis: the step index it belongs to. */
	stepIndex?: number;
	revision?: number;
	podTemplateHash?: string;
	message?: string;
	ageSeconds: number;
	metrics: AnalysisMetric[];
};

/** What an Argo Rollout's status says, beyond the versions. */
export type ArgoRolloutInfo = {
	name: string;
	strategy: 'canary' | 'blueGreen';
	/** Healthy, Progressing, Paused, Degraded (as GetRolloutPhase computes it). */
	phase: string;
	message?: string;
	/** status.observedGeneration equals metadata.generation. */
	observed: boolean;
	/** Current step (currentStepIndex) and the step count; index = count when all steps are done. */
	step?: {index: number; count: number};
	steps: RolloutStep[];
	/** The weight the steps ask for (SetWeight) and the weight the router has (ActualWeight), percent. */
	setWeight?: number;
	actualWeight?: number;
	/** trafficRouting.maxTrafficWeight (default 100); weights above are in percent of it. */
	maxTrafficWeight: number;
	trafficRouter?: string;
	/** spec.paused. */
	paused: boolean;
	/** status.pauseConditions[].reason: CanaryPauseStep, BlueGreenPause, InconclusiveAnalysisRun, ... */
	pauseReasons: string[];
	controllerPause: boolean;
	aborted: boolean;
	abortedAt?: string;
	promoteFull: boolean;
	stableHash?: string;
	canaryHash?: string;
	activeSelector?: string;
	previewSelector?: string;
	canaryService?: string;
	stableService?: string;
	/** canary.pingPong: the two Services and which one is stable now (the other is the canary's). */
	pingPong?: {pingService: string; pongService: string; stable: 'ping' | 'pong'};
	/** The Experiment of the current experiment step (or status.canary.currentExperiment). */
	experiment?: ArgoExperimentInfo;
	activeService?: string;
	previewService?: string;
	/** Newest first; those of the current pod hash first. */
	analysisRuns: AnalysisRunInfo[];
};

/** What a Flagger Canary's status says, beyond the versions. */
export type FlaggerCanaryInfo = {
	name: string;
	/** Initializing, Initialized, Waiting, Progressing, WaitingPromotion, Promoting, Finalising, Succeeded, Failed. */
	phase: string;
	/** The target Deployment (the canary) and its primary. */
	target: string;
	primary: string;
	canaryWeight: number;
	maxWeight?: number;
	stepWeight?: number;
	stepWeights?: number[];
	failedChecks: number;
	threshold?: number;
	iterations: number;
	/** analysis.iterations (A/B and blue-green). */
	maxIterations?: number;
	interval?: string;
	skipAnalysis: boolean;
	suspended: boolean;
	lastTransitionTime?: string;
	/** The Promoted condition's message. */
	message?: string;
	/** Metric checks with their limits. */
	metrics: Array<{name: string; min?: number; max?: number; interval?: string}>;
	/** The latest "Halt … advancement …" event: the measured value that failed a check. */
	lastHalt?: string;
	/** The latest Normal event of the Canary. */
	lastEvent?: string;
};

/** One step of an OpenKruise Rollout, as the strip shows it. */
export type KruiseStep = {
	/** 1-based, as Kruise counts (currentStepIndex). */
	index: number;
	/** `5% · 1 pod · pause`, `header x-canary=always · 20% pods · pause 60s`. */
	label: string;
	/** The share of traffic the step asks for (`5%`); absent: the step leaves traffic alone. */
	traffic?: string;
	/** Requests that reach the canary by what they carry (the step's matches), in words. */
	matches?: string[];
	/** Canary pods: a number or a percent of the workload's replicas. */
	replicas?: string;
	/** Where the step waits: for approval (`manual`) or so many seconds; absent: it does not wait. */
	pause?: 'manual' | number;
	state: 'done' | 'current' | 'pending';
};

/** What an OpenKruise Rollout's status says, beyond the versions. */
export type KruiseRolloutInfo = {
	name: string;
	/** The shape the object has: v1beta1 (spec.workloadRef) or v1alpha1 (spec.objectRef.workloadRef). */
	apiVersion: 'v1alpha1' | 'v1beta1';
	/** How the new pods come up: a canary Deployment beside the workload, batches of the workload itself, or blue-green. */
	style: 'canary' | 'partition' | 'blueGreen';
	/** The workload it releases: `Deployment/echoserver`. */
	workload: string;
	/** Initial, Healthy, Progressing, Terminating, Disabled, Disabling. */
	phase: string;
	/** status.message (the Progressing condition's). */
	message?: string;
	/** The reason of the Progressing condition: Initializing, InRolling, Paused, Finalising, Cancelling, Completed. */
	progressing?: string;
	/** spec.strategy.paused. */
	paused: boolean;
	disabled: boolean;
	/** Set while a new version is being released (the phase is Progressing, Disabling or Terminating). */
	releasing?: boolean;
	/** The current step (1-based) and the step count. */
	step?: {index: number; count: number};
	/** currentStepState: BeforeStepUpgrade, StepUpgrade, StepTrafficRouting, StepMetricsAnalysis, StepPaused, StepReady, Completed. */
	state?: string;
	/** nextStepIndex (1-based; -1 after the last step). */
	nextStepIndex?: number;
	steps: KruiseStep[];
	canaryRevision?: string;
	stableRevision?: string;
	/** The pod-template-hash of the canary pods. */
	podTemplateHash?: string;
	canaryReplicas?: number;
	canaryReadyReplicas?: number;
	finalisingStep?: string;
	/** `Ingress/echoserver (nginx) for Service/echoserver`. */
	trafficRouting?: string;
	lastUpdateTime?: string;
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
	/** For kind argo-rollout: steps, weights, pauses, analysis. */
	argo?: ArgoRolloutInfo;
	/** For kind flagger: phase, weight, checks, iterations. */
	flagger?: FlaggerCanaryInfo;
	/** For kind kruise-rollout: steps, step state, revisions, canary replicas. */
	kruise?: KruiseRolloutInfo;
	/** SLI source and measured traffic, when metrics are on (`--once -o json`). */
	metrics?: ReleaseMetrics;
};
