// The simulated cluster's own metrics: counters and classic histograms per pod, advanced on the sim
// clock from the traffic each pod serves (sim/traffic.ts) and the pod's annotations, exposed in the
// Prometheus text format on /metrics, and summed per version for the in-process metrics source.
// Counters are integrated lazily when read, so an idle sim costs nothing; they only ever grow.
import type {SimClock} from './clock.js';
import {bucketBounds, bucketShares, meanLatency} from './latency.js';
import type {KObject} from './object.js';
import type {ObjectStore} from './store.js';
import {routeTraffic, type PodShare} from './traffic.js';

export const errorRateAnnotation = 'sim.rollscope.dev/error-rate';
export const latencyAnnotation = 'sim.rollscope.dev/latency-ms';
export const cpuAnnotation = 'sim.rollscope.dev/cpu-millicores';
export const memoryAnnotation = 'sim.rollscope.dev/memory-mb';

/** The store keys of the traffic routers the sim's traffic follows. */
export const routerKeys = [
	'networking.istio.io/virtualservices',
	'networking.istio.io/destinationrules',
	'gateway.networking.k8s.io/httproutes',
	'split.smi-spec.io/trafficsplits',
	'networking.k8s.io/ingresses',
	'traefik.io/traefikservices',
];

const MiB = 1024 * 1024;
/** CPU seconds one request costs at 100 ms latency. */
const cpuPerRequest = 0.004;

/** What identifies a pod's version in the metrics. */
export type PodIdentity = {
	namespace: string;
	pod: string;
	/** The Deployment (or other owner of the ReplicaSet), else the ReplicaSet, else the pod. */
	workload: string;
	replicaSet: string;
	hash: string;
	/** The generic `version` label: the pod's `version` label, else its workload. */
	version: string;
	/** The pod's own `version` label (what Istio's destination_version reads), if any. */
	versionLabel?: string;
	app: string;
	istio: boolean;
};

type PodModel = PodIdentity & {
	errorRate: number;
	latencyMs: number;
	cpuCores: number;
	memoryBytes: number;
	running: boolean;
	container: string;
	shares: PodShare[];
	/** Istio's canonical revision: the pod's canonical-revision, app.kubernetes.io/version or version label, else "latest". */
	canonicalRevision: string;
	/** Phase of the pod's wobble, so versions do not move in step. */
	phase: number;
	/** Phase of the namespace's demand wave, shared by its pods. */
	nsPhase: number;
};

type Series = {
	model: PodModel;
	service: string;
	ok: number;
	err: number;
	buckets: Float64Array;
	sumSeconds: number;
	text?: SeriesText;
};

type SeriesText = {
	generic200: string;
	generic500: string;
	genericBuckets: string[];
	genericInf: string;
	genericSum: string;
	genericCount: string;
	istio200?: string;
	istio500?: string;
	istioBuckets?: string[];
	istioInf?: string;
	istioSum?: string;
	istioCount?: string;
};

type PodState = {model: PodModel; cpuSeconds: number; series: Map<string, Series>; cpuText?: string; memoryText?: string};

/** One version's counters summed over its pods at one moment (the in-process source reads these). */
export type GroupSample = {
	namespace: string;
	workload: string;
	replicaSet: string;
	hash: string;
	version: string;
	requests: number;
	errors: number;
	/** Cumulative counts at or under each of `bucketBounds`. */
	buckets: number[];
	cpuSeconds: number;
	memoryBytes: number;
	/** Pods with containers running (those cAdvisor would report). */
	pods: number;
};

function hashNumber(text: string): number {
	let h = 2166136261;
	for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 16777619);
	return (h >>> 0) / 4294967296;
}

function numberAnnotation(pod: KObject, key: string): number | undefined {
	const raw = pod.metadata.annotations?.[key];
	if (raw === undefined) return undefined;
	const value = Number.parseFloat(raw);
	return Number.isFinite(value) ? value : undefined;
}

export function escapeLabel(value: string): string {
	return value.replace(/\\/g, '\\\\').replace(/\n/g, '\\n').replace(/"/g, '\\"');
}

function labels(pairs: Array<[string, string]>): string {
	return pairs.map(([k, v]) => `${k}="${escapeLabel(v)}"`).join(',');
}

/** The identity of a pod: its ReplicaSet, the ReplicaSet's owner, its pod-template hash and version label. */
export function podIdentity(pod: KObject, istioNamespaces: ReadonlySet<string>): PodIdentity {
	const podLabels = pod.metadata.labels ?? {};
	const namespace = pod.metadata.namespace ?? 'default';
	const name = pod.metadata.name ?? '';
	const hash = podLabels['pod-template-hash'] ?? podLabels['rollouts-pod-template-hash'] ?? '';
	const owner = (pod.metadata.ownerReferences ?? []).find((r: {controller?: boolean}) => r.controller) ?? pod.metadata.ownerReferences?.[0];
	const replicaSet = owner?.kind === 'ReplicaSet' ? String(owner.name) : '';
	const workload = replicaSet && hash && replicaSet.endsWith(`-${hash}`) ? replicaSet.slice(0, -(hash.length + 1)) : replicaSet || String(owner?.name ?? name);
	const injected = podLabels['sidecar.istio.io/inject'] ?? pod.metadata.annotations?.['sidecar.istio.io/inject'];
	const identity: PodIdentity = {
		namespace,
		pod: name,
		workload,
		replicaSet: replicaSet || workload,
		hash,
		version: podLabels.version ?? workload,
		app: podLabels.app ?? podLabels['app.kubernetes.io/name'] ?? 'unknown',
		istio: injected === 'false' ? false : injected === 'true' || istioNamespaces.has(namespace),
	};
	if (podLabels.version !== undefined) identity.versionLabel = podLabels.version;
	return identity;
}

function isRunning(pod: KObject): boolean {
	if (pod.metadata.deletionTimestamp || pod.status?.phase !== 'Running') return false;
	return (pod.status?.containerStatuses ?? []).some((c: {state?: {running?: unknown}}) => c?.state?.running);
}

function podModel(pod: KObject, shares: PodShare[], istioNamespaces: ReadonlySet<string>): PodModel {
	const id = podIdentity(pod, istioNamespaces);
	const errorRate = Math.min(1, Math.max(0, numberAnnotation(pod, errorRateAnnotation) ?? 0));
	const latencyMs = Math.max(0.1, numberAnnotation(pod, latencyAnnotation) ?? 50);
	const jitter = hashNumber(id.pod);
	return {
		...id,
		errorRate,
		latencyMs,
		cpuCores: Math.max(0, numberAnnotation(pod, cpuAnnotation) ?? 15 + 10 * jitter) / 1000,
		memoryBytes: (numberAnnotation(pod, memoryAnnotation) ?? 90 + 16 * jitter) * MiB,
		running: isRunning(pod),
		canonicalRevision: pod.metadata.labels?.['service.istio.io/canonical-revision'] ?? pod.metadata.labels?.['app.kubernetes.io/version'] ?? id.versionLabel ?? 'latest',
		container: String(pod.spec?.containers?.[0]?.name ?? 'app'),
		shares,
		phase: hashNumber(`${id.namespace}/${id.replicaSet}`) * 2 * Math.PI,
		nsPhase: hashNumber(id.namespace) * 2 * Math.PI,
	};
}

const groupKey = (m: PodIdentity) => `${m.namespace}\u0000${m.replicaSet}\u0000${m.version}`;

function emptyGroup(m: PodIdentity): GroupSample {
	return {namespace: m.namespace, workload: m.workload, replicaSet: m.replicaSet, hash: m.hash, version: m.version, requests: 0, errors: 0, buckets: bucketBounds.map(() => 0), cpuSeconds: 0, memoryBytes: 0, pods: 0};
}

const wave = (t: number, period: number, phase: number) => Math.sin((2 * Math.PI * t) / period + phase);

/** Demand moves gently for a whole namespace; error rate and latency wobble per version. */
export function demandFactor(m: Pick<PodModel, 'nsPhase'>, t: number): number {
	return 1 + 0.12 * wave(t, 97, m.nsPhase) + 0.05 * wave(t, 23, 2 * m.nsPhase);
}
export function errorFactor(m: Pick<PodModel, 'phase'>, t: number): number {
	return 1 + 0.35 * wave(t, 41, m.phase) + 0.1 * wave(t, 13, 3 * m.phase);
}
export function latencyFactor(m: Pick<PodModel, 'phase'>, t: number): number {
	return 1 + 0.12 * wave(t, 53, m.phase) + 0.05 * wave(t, 11, 2 * m.phase);
}

const bucketLabels = bucketBounds.map(b => String(b));
const bucketLabelsMs = bucketBounds.map(b => String(Math.round(b * 1000)));

export class SimMetrics {
	private readonly pods = new Map<string, PodState>();
	private models: PodModel[] = [];
	private readonly retired = new Map<string, GroupSample>();
	private topologyVersion = -1;
	private last: number;
	/** Simulated seconds since the metrics started. */
	private simTime = 0;

	constructor(private readonly store: ObjectStore, private readonly clock: Pick<SimClock, 'now' | 'speed'>) {
		this.last = clock.now();
	}

	/** Rebuild who serves what when the store changed. */
	private refreshTopology(): void {
		const rv = this.store.resourceVersion;
		if (rv === this.topologyVersion) return;
		this.topologyVersion = rv;
		const istioNamespaces = new Set(
			this.store
				.list('namespaces')
				.filter(n => n.metadata.labels?.['istio-injection'] === 'enabled' || n.metadata.labels?.['istio.io/rev'] !== undefined)
				.map(n => n.metadata.name ?? ''),
		);
		const byNamespace = new Map<string, {services: KObject[]; pods: KObject[]; routers: KObject[]}>();
		const bucket = (ns: string) => {
			let b = byNamespace.get(ns);
			if (!b) byNamespace.set(ns, (b = {services: [], pods: [], routers: []}));
			return b;
		};
		for (const pod of this.store.list('pods')) bucket(pod.metadata.namespace ?? 'default').pods.push(pod);
		for (const ns of byNamespace.keys()) {
			const b = byNamespace.get(ns)!;
			b.services = this.store.list('services', ns);
			b.routers = routerKeys.flatMap(key => this.store.list(key, ns));
		}
		const models: PodModel[] = [];
		for (const [namespace, b] of byNamespace) {
			for (const load of routeTraffic({namespace, ...b})) models.push(podModel(load.pod, load.shares, istioNamespaces));
		}
		this.models = models;
		const live = new Set<string>();
		for (const m of models) {
			const podKey = `${m.namespace}/${m.pod}`;
			live.add(podKey);
			const state = this.pods.get(podKey);
			if (!state) {
				this.pods.set(podKey, {model: m, cpuSeconds: 0, series: new Map()});
				continue;
			}
			if (state.model.version !== m.version || state.model.istio !== m.istio || state.model.workload !== m.workload) {
				for (const s of state.series.values()) s.text = undefined;
			}
			state.model = m;
			// Series of a pod that stopped serving a Service keep their counters (and stay exposed).
			for (const s of state.series.values()) s.model = m;
		}
		for (const [key, state] of this.pods) {
			if (live.has(key)) continue;
			this.retire(state);
			this.pods.delete(key);
		}
	}

	/** Keep a gone pod's counts in its version's totals, so per-version sums never go down. */
	private retire(state: PodState): void {
		const g = this.retiredGroup(state.model);
		for (const s of state.series.values()) {
			const c = this.counts(s);
			g.requests += c.total;
			g.errors += c.err;
			for (let i = 0; i < c.buckets.length; i++) g.buckets[i]! += c.buckets[i]!;
		}
		g.cpuSeconds += state.cpuSeconds;
	}

	private retiredGroup(m: PodIdentity): GroupSample {
		const key = groupKey(m);
		let g = this.retired.get(key);
		if (!g) this.retired.set(key, (g = emptyGroup(m)));
		return g;
	}

	/** Move every counter on to `now` (wall ms), in simulated time. */
	advance(now = this.clock.now()): void {
		this.refreshTopology();
		const dt = ((now - this.last) / 1000) * this.clock.speed;
		if (!(dt > 0)) return;
		this.last = now;
		this.simTime += dt;
		const t = this.simTime - dt / 2;
		for (const m of this.models) {
			const pod = this.pods.get(`${m.namespace}/${m.pod}`);
			if (!pod) continue;
			let requests = 0;
			const median = (m.latencyMs * latencyFactor(m, t)) / 1000;
			for (const share of m.shares) {
				let s = pod.series.get(share.service);
				if (!s) {
					s = {model: m, service: share.service, ok: 0, err: 0, buckets: new Float64Array(bucketBounds.length), sumSeconds: 0};
					pod.series.set(share.service, s);
				}
				const n = share.rps * demandFactor(m, t) * dt;
				requests += n / dt;
				const e = Math.min(1, m.errorRate * errorFactor(m, t));
				s.ok += n * (1 - e);
				s.err += n * e;
				const shares = bucketShares(median);
				for (let i = 0; i < shares.length; i++) s.buckets[i]! += n * shares[i]!;
				s.sumSeconds += n * meanLatency(median);
			}
			if (m.running) pod.cpuSeconds += (m.cpuCores + requests * cpuPerRequest * Math.sqrt(median / 0.1)) * dt;
		}
	}

	private memoryOf(m: PodModel): number {
		const requests = m.shares.reduce((sum, s) => sum + s.rps, 0);
		return Math.round(m.memoryBytes + requests * 0.4 * MiB + 6 * MiB * wave(this.simTime, 180, m.phase));
	}

	private textOf(s: Series): SeriesText {
		if (s.text) return s.text;
		const m = s.model;
		const base = labels([['namespace', m.namespace], ['service', s.service], ['version', m.version], ['pod', m.pod], ['pod_template_hash', m.hash]]);
		const text: SeriesText = {
			generic200: `http_requests_total{${base},code="200"} `,
			generic500: `http_requests_total{${base},code="500"} `,
			genericBuckets: bucketLabels.map(le => `http_request_duration_seconds_bucket{${base},le="${le}"} `),
			genericInf: `http_request_duration_seconds_bucket{${base},le="+Inf"} `,
			genericSum: `http_request_duration_seconds_sum{${base}} `,
			genericCount: `http_request_duration_seconds_count{${base}} `,
		};
		if (m.istio) {
			// One sidecar per pod: the scrape adds namespace and pod, as the usual kubernetes-pods job does.
			const podLabels = labels([
				['namespace', m.namespace],
				['pod', m.pod],
				['reporter', 'destination'],
				['destination_workload', m.workload],
				['destination_workload_namespace', m.namespace],
				['destination_version', m.versionLabel ?? 'unknown'],
				['destination_canonical_revision', m.canonicalRevision],
				['destination_service_name', s.service],
				['destination_app', m.app],
			]);
			text.istio200 = `istio_requests_total{${podLabels},response_code="200"} `;
			text.istio500 = `istio_requests_total{${podLabels},response_code="500"} `;
			text.istioBuckets = bucketLabelsMs.map(le => `istio_request_duration_milliseconds_bucket{${podLabels},le="${le}"} `);
			text.istioInf = `istio_request_duration_milliseconds_bucket{${podLabels},le="+Inf"} `;
			text.istioSum = `istio_request_duration_milliseconds_sum{${podLabels}} `;
			text.istioCount = `istio_request_duration_milliseconds_count{${podLabels}} `;
		}
		s.text = text;
		return text;
	}

	/** Counts as exposed: whole requests; buckets never above the count. */
	private counts(s: Series): {ok: number; err: number; total: number; buckets: number[]} {
		const ok = Math.floor(s.ok);
		const err = Math.floor(s.err);
		const total = ok + err;
		const buckets = Array.from(s.buckets, b => Math.min(Math.floor(b), total));
		return {ok, err, total, buckets};
	}

	/** Everything in the Prometheus text exposition format (version 0.0.4). */
	exposition(now = this.clock.now()): string {
		this.advance(now);
		const out: string[] = [];
		const all = [...this.pods.values()].flatMap(p => [...p.series.values()]);
		const counted = all.map(s => ({s, c: this.counts(s), text: this.textOf(s)}));

		out.push('# HELP http_requests_total Requests served, by response code.', '# TYPE http_requests_total counter');
		for (const {c, text} of counted) {
			out.push(text.generic200 + c.ok);
			if (c.err > 0) out.push(text.generic500 + c.err);
		}
		out.push('# HELP http_request_duration_seconds Request latency.', '# TYPE http_request_duration_seconds histogram');
		for (const {s, c, text} of counted) {
			for (let i = 0; i < c.buckets.length; i++) out.push(text.genericBuckets[i] + c.buckets[i]);
			out.push(text.genericInf + c.total, text.genericSum + s.sumSeconds.toFixed(6), text.genericCount + c.total);
		}
		const istio = counted.filter(x => x.text.istio200);
		if (istio.length > 0) {
			out.push('# HELP istio_requests_total Requests seen by the destination sidecar.', '# TYPE istio_requests_total counter');
			for (const {c, text} of istio) {
				out.push(text.istio200! + c.ok);
				if (c.err > 0) out.push(text.istio500! + c.err);
			}
			out.push('# HELP istio_request_duration_milliseconds Request latency seen by the destination sidecar.', '# TYPE istio_request_duration_milliseconds histogram');
			for (const {s, c, text} of istio) {
				for (let i = 0; i < c.buckets.length; i++) out.push(text.istioBuckets![i] + c.buckets[i]);
				out.push(text.istioInf! + c.total, text.istioSum! + (s.sumSeconds * 1000).toFixed(3), text.istioCount! + c.total);
			}
		}
		const running = [...this.pods.values()].filter(p => p.model.running);
		out.push('# HELP container_cpu_usage_seconds_total Cumulative CPU time consumed.', '# TYPE container_cpu_usage_seconds_total counter');
		for (const p of running) {
			p.cpuText ??= `container_cpu_usage_seconds_total{${labels([['namespace', p.model.namespace], ['pod', p.model.pod], ['container', p.model.container]])}} `;
			out.push(p.cpuText + p.cpuSeconds.toFixed(6));
		}
		out.push('# HELP container_memory_working_set_bytes Current working set.', '# TYPE container_memory_working_set_bytes gauge');
		for (const p of running) {
			p.memoryText ??= `container_memory_working_set_bytes{${labels([['namespace', p.model.namespace], ['pod', p.model.pod], ['container', p.model.container]])}} `;
			out.push(p.memoryText + this.memoryOf(p.model));
		}
		out.push('');
		return out.join('\n');
	}

	/** The simulated CPU seconds a pod has used so far (what cAdvisor counts), or undefined for a pod it does not know. */
	podCpuSeconds(namespace: string, pod: string, now = this.clock.now()): number | undefined {
		this.advance(now);
		return this.pods.get(`${namespace}/${pod}`)?.cpuSeconds;
	}

	/** The counters summed per version (namespace, workload, pod-template hash), as of `now`. */
	sampleGroups(now = this.clock.now()): GroupSample[] {
		this.advance(now);
		const groups = new Map<string, GroupSample>();
		for (const [key, r] of this.retired) groups.set(key, {...r, buckets: [...r.buckets]});
		const groupOf = (m: PodModel) => {
			const key = groupKey(m);
			let g = groups.get(key);
			if (!g) groups.set(key, (g = emptyGroup(m)));
			return g;
		};
		for (const s of [...this.pods.values()].flatMap(p => [...p.series.values()])) {
			const g = groupOf(s.model);
			const c = this.counts(s);
			g.requests += c.total;
			g.errors += c.err;
			for (let i = 0; i < c.buckets.length; i++) g.buckets[i]! += c.buckets[i]!;
		}
		for (const p of this.pods.values()) {
			if (!p.model.running) continue;
			const g = groupOf(p.model);
			g.cpuSeconds += p.cpuSeconds;
			g.memoryBytes += this.memoryOf(p.model);
			g.pods++;
		}
		return [...groups.values()];
	}
}
