// SLI query presets as PromQL templates, one query per SLI for every version at once (`sum by`
// the version label), from shared/reference/sli-queries.rules.yml. Latencies are in seconds.
import type {SliKey} from './slis.js';

export const presetNames = ['istio', 'nginx', 'linkerd', 'generic'] as const;
export type PresetName = (typeof presetNames)[number];

export type Preset = {
	name: PresetName;
	description: string;
	/** Label whose values tell versions apart when versions are Deployments (canary, blue-green). */
	label: string;
	/** Label whose values tell versions apart when versions are ReplicaSets (rolling). */
	revisionLabel: string;
	/** name: values are Deployment/ReplicaSet names or pod-template hashes; canary-flag: empty is stable, set is canary. */
	match: 'name' | 'canary-flag';
	/** A selector that has series in a namespace when the preset's metrics are there (for detection). */
	detect: string;
	queries: Record<SliKey, string>;
	/** The raw series behind the queries (templates), for counts over a window: the verdict's requests, 5xx errors and latency buckets. */
	series: PresetSeries;
};

export type PresetSeries = {requests: string; errors: string; buckets: string; /** Milliseconds per unit of the buckets' `le`: 1000 for seconds, 1 for ms. */ msPerLe: number};

/** Error ratio that is 0 (not "no data") when a version has traffic but no errors yet. */
function errorRatio(errors: string, all: string): string {
	return `(sum by ({{label}}) (rate(${errors}[{{window}}])) or 0 * sum by ({{label}}) (rate(${all}[{{window}}]))) / sum by ({{label}}) (rate(${all}[{{window}}]))`;
}

function quantile(q: number, buckets: string, divisor = 1): string {
	const expr = `histogram_quantile(${q}, sum by ({{label}}, le) (rate(${buckets}[{{window}}])))`;
	return divisor === 1 ? expr : `${expr} / ${divisor}`;
}

/**
 * cAdvisor: per-pod CPU cores and working set, averaged per version. cAdvisor series carry no version,
 * so the version's name is read from the pod name into `rollscope_version`.
 */
const cadvisor = {
	cpu: 'avg by (rollscope_version) (label_replace(sum by (pod) (rate(container_cpu_usage_seconds_total{namespace="{{namespace}}", container!="", container!="POD", pod=~"{{pods}}"}[{{window}}])), "rollscope_version", "$1", "pod", "{{pods}}"))',
	memory: 'avg by (rollscope_version) (label_replace(sum by (pod) (container_memory_working_set_bytes{namespace="{{namespace}}", container!="", container!="POD", pod=~"{{pods}}"}), "rollscope_version", "$1", "pod", "{{pods}}"))',
};

/** The queries of a preset from its three raw series; `msPerLe` is 1000 when `le` is in seconds. */
function fromSeries(all: string, errors: string, buckets: string, msPerLe: number): Pick<Preset, 'queries' | 'series'> {
	// Latency SLIs are in seconds: buckets in milliseconds are divided by 1000.
	const divisor = msPerLe === 1 ? 1000 : 1;
	return {
		queries: {
			requestRate: `sum by ({{label}}) (rate(${all}[{{window}}]))`,
			errorRatio: errorRatio(errors, all),
			p95: quantile(0.95, buckets, divisor),
			p99: quantile(0.99, buckets, divisor),
			...cadvisor,
		},
		series: {requests: all, errors, buckets, msPerLe},
	};
}

const generic = fromSeries(
	'http_requests_total{namespace="{{namespace}}", {{label}}=~"{{versions}}"}',
	'http_requests_total{namespace="{{namespace}}", {{label}}=~"{{versions}}", code=~"5.."}',
	'http_request_duration_seconds_bucket{namespace="{{namespace}}", {{label}}=~"{{versions}}"}',
	1000,
);

const istio = fromSeries(
	'istio_requests_total{reporter="destination", destination_workload_namespace="{{namespace}}", {{label}}=~"{{versions}}"}',
	'istio_requests_total{reporter="destination", destination_workload_namespace="{{namespace}}", {{label}}=~"{{versions}}", response_code=~"5.."}',
	'istio_request_duration_milliseconds_bucket{reporter="destination", destination_workload_namespace="{{namespace}}", {{label}}=~"{{versions}}"}',
	1,
);

const linkerd = fromSeries(
	'response_total{namespace="{{namespace}}", direction="inbound", {{label}}=~"{{versions}}"}',
	'response_total{namespace="{{namespace}}", direction="inbound", {{label}}=~"{{versions}}", classification="failure"}',
	'response_latency_ms_bucket{namespace="{{namespace}}", direction="inbound", {{label}}=~"{{versions}}"}',
	1,
);

// The canary label is the alternative upstream for requests the canary served, empty for the main backend.
const nginx = fromSeries(
	'nginx_ingress_controller_requests{namespace="{{namespace}}", service=~"{{services}}"}',
	'nginx_ingress_controller_requests{namespace="{{namespace}}", service=~"{{services}}", status=~"5.."}',
	'nginx_ingress_controller_response_duration_seconds_bucket{namespace="{{namespace}}", service=~"{{services}}"}',
	1000,
);

export const presets: Record<PresetName, Preset> = {
	istio: {
		name: 'istio',
		description: 'Istio standard metrics (istio_requests_total, istio_request_duration_milliseconds), server side, by destination_workload',
		label: 'destination_workload',
		revisionLabel: 'destination_canonical_revision',
		match: 'name',
		detect: 'istio_requests_total{reporter="destination", destination_workload_namespace="{{namespace}}"}',
		...istio,
	},
	linkerd: {
		name: 'linkerd',
		description: 'Linkerd proxy metrics (response_total, response_latency_ms), inbound, by deployment',
		label: 'deployment',
		revisionLabel: 'pod_template_hash',
		match: 'name',
		detect: 'response_total{namespace="{{namespace}}", direction="inbound"}',
		...linkerd,
	},
	nginx: {
		name: 'nginx',
		description: 'ingress-nginx (nginx_ingress_controller_requests, response_duration_seconds), split on the canary label',
		label: 'canary',
		revisionLabel: 'canary',
		match: 'canary-flag',
		detect: 'nginx_ingress_controller_requests{namespace="{{namespace}}"}',
		...nginx,
	},
	generic: {
		name: 'generic',
		description: 'http_requests_total and http_request_duration_seconds with namespace and version labels',
		label: 'version',
		revisionLabel: 'pod_template_hash',
		match: 'name',
		detect: 'http_requests_total{namespace="{{namespace}}"}',
		...generic,
	},
};

/** In order of preference when a namespace has several kinds of metrics. */
export const detectionOrder: readonly PresetName[] = ['istio', 'linkerd', 'nginx', 'generic'];
