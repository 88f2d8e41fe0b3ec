// Server-side printing: the meta.k8s.io/v1 Table kubectl asks for with
// `Accept: application/json;as=Table;v=v1;g=meta.k8s.io`. Columns and cells follow kubectl's
// built-in printers (kubernetes pkg/printers/internalversion/printers.go) and, for custom
// resources, the apiextensions table convertor (additionalPrinterColumns). Pure.

import type {KObject} from './object.js';
import {canonicalJson, clone} from './object.js';
import {apiVersionOf, type PrinterColumn, type Resource} from './resources.js';
import {labelSelectorToString, type LabelSelector} from './selectors.js';

export type TableColumnDefinition = {name: string; type: string; format: string; description: string; priority: number};

export type TableRowCondition = {type: string; status: string; reason?: string; message?: string};

export type TableRow = {cells: unknown[]; conditions?: TableRowCondition[]; object?: Record<string, unknown>};

export type TableOptions = {
	/** The server's clock, ms since the epoch: ages are measured from here. */
	now: number;
	resourceVersion: string;
	/** `includeObject` query parameter; default 'Metadata' (a PartialObjectMetadata per row). */
	includeObject?: 'None' | 'Metadata' | 'Object';
	continueToken?: string;
	/** What is left after this page, when the list had no selector. */
	remainingItemCount?: number;
};

// ---------------------------------------------------------------------------------------------
// Durations

/**
 * k8s.io/apimachinery/pkg/util/duration.HumanDuration: a succinct duration with 2-3 significant
 * figures, as kubectl prints ages ('45s', '5m30s', '3h10m', '2d3h', '2y30d').
 */
export function humanDuration(ms: number): string {
	// Allow deviation no more than 2 seconds (excluded) to tolerate clock skew.
	const seconds = Math.trunc(ms / 1000);
	if (seconds < -1) return '<invalid>';
	if (seconds < 0) return '0s';
	if (seconds < 60 * 2) return `${seconds}s`;
	const minutes = Math.trunc(ms / 60_000);
	if (minutes < 10) {
		const s = seconds % 60;
		return s === 0 ? `${minutes}m` : `${minutes}m${s}s`;
	}
	if (minutes < 60 * 3) return `${minutes}m`;
	const hours = Math.trunc(ms / 3_600_000);
	if (hours < 8) {
		const m = minutes % 60;
		return m === 0 ? `${hours}h` : `${hours}h${m}m`;
	}
	if (hours < 48) return `${hours}h`;
	if (hours < 24 * 8) {
		const h = hours % 24;
		const d = Math.trunc(hours / 24);
		return h === 0 ? `${d}d` : `${d}d${h}h`;
	}
	if (hours < 24 * 365 * 2) return `${Math.trunc(hours / 24)}d`;
	const years = Math.trunc(hours / 24 / 365);
	if (hours < 24 * 365 * 8) {
		const dy = Math.trunc(hours / 24) % 365;
		return dy === 0 ? `${years}y` : `${years}y${dy}d`;
	}
	return `${years}y`;
}

/** translateTimestampSince: '<unknown>' for a missing or unparsable timestamp. */
function since(timestamp: unknown, now: number): string {
	const t = parseTime(timestamp);
	return t === undefined ? '<unknown>' : humanDuration(now - t);
}

function parseTime(timestamp: unknown): number | undefined {
	if (typeof timestamp !== 'string' || timestamp === '') return undefined;
	const t = Date.parse(timestamp);
	return Number.isNaN(t) ? undefined : t;
}

// ---------------------------------------------------------------------------------------------
// Column definitions

const docName =
	'Name must be unique within a namespace. Is required when creating resources, although some resources may allow a client to request the generation of an appropriate name automatically. Name is primarily intended for creation idempotence and configuration definition. Cannot be updated. More info: https://kubernetes.io/docs/concepts/overview/working-with-objects/names#names';
const docCreated =
	'CreationTimestamp is a timestamp representing the server time when this object was created. It is not guaranteed to be set in happens-before order across separate operations. Clients may not set this value. It is represented in RFC3339 form and is in UTC.\n\nPopulated by the system. Read-only. Null for lists. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#metadata';

const col = (name: string, type: string, description: string, priority = 0, format = ''): TableColumnDefinition => ({name, type, format, description, priority});
const nameCol = (priority = 0) => col('Name', 'string', docName, priority, 'name');
const ageCol = () => col('Age', 'string', docCreated);
const wide = (name: string, description: string) => col(name, 'string', description, 1);
const containersCol = () => wide('Containers', 'Names of each container in the template.');
const imagesCol = () => wide('Images', 'Images referenced by each container in the template.');
const selectorCol = (description: string) => wide('Selector', description);

type Printer = {
	columns: TableColumnDefinition[];
	row: (o: KObject, now: number) => {cells: unknown[]; conditions?: TableRowCondition[]};
};

// ---------------------------------------------------------------------------------------------
// Pods

const podSucceeded: TableRowCondition[] = [{type: 'Completed', status: 'True', reason: 'Succeeded', message: 'The pod has completed successfully.'}];
const podFailed: TableRowCondition[] = [{type: 'Completed', status: 'True', reason: 'Failed', message: 'The pod failed.'}];

const conditionTrue = (conditions: any[] | undefined, type: string) =>
	(conditions ?? []).some(c => c?.type === type && c?.status === 'True');

/** printPod: the Ready, Status and Restarts cells of `kubectl get pods`. */
export function podRow(pod: KObject, now: number): {cells: unknown[]; conditions?: TableRowCondition[]} {
	const spec = pod.spec ?? {};
	const status = pod.status ?? {};
	const conditions: any[] = status.conditions ?? [];
	const containers: any[] = spec.containers ?? [];
	const initSpecs: any[] = spec.initContainers ?? [];
	const initStatuses: any[] = status.initContainerStatuses ?? [];
	const containerStatuses: any[] = status.containerStatuses ?? [];

	let restarts = 0;
	let restartableInitRestarts = 0;
	let totalContainers = containers.length;
	let readyContainers = 0;
	let lastRestart = 0;
	let lastRestartableInitRestart = 0;

	const phase: string = status.phase ?? '';
	let reason: string = status.reason || phase;
	for (const c of conditions) {
		if (c?.type === 'PodScheduled' && c?.reason === 'SchedulingGated') reason = 'SchedulingGated';
	}

	const restartable = new Set<string>();
	for (const c of initSpecs) {
		if (c?.restartPolicy === 'Always') {
			restartable.add(c.name);
			totalContainers++;
		}
	}
	const finishedAt = (cs: any) => parseTime(cs?.lastState?.terminated?.finishedAt) ?? 0;

	let initializing = false;
	for (let i = 0; i < initStatuses.length; i++) {
		const cs = initStatuses[i];
		const state = cs?.state ?? {};
		restarts += cs?.restartCount ?? 0;
		lastRestart = Math.max(lastRestart, finishedAt(cs));
		const isRestartable = restartable.has(cs?.name);
		if (isRestartable) {
			restartableInitRestarts += cs?.restartCount ?? 0;
			lastRestartableInitRestart = Math.max(lastRestartableInitRestart, finishedAt(cs));
		}
		if (state.terminated && (state.terminated.exitCode ?? 0) === 0) continue;
		if (isRestartable && cs?.started === true) {
			if (cs?.ready) readyContainers++;
			continue;
		}
		if (state.terminated) {
			const t = state.terminated;
			if (!t.reason) reason = t.signal ? `Init:Signal:${t.signal}` : `Init:ExitCode:${t.exitCode ?? 0}`;
			else reason = `Init:${t.reason}`;
		} else if (state.waiting?.reason && state.waiting.reason !== 'PodInitializing') {
			reason = `Init:${state.waiting.reason}`;
		} else {
			reason = `Init:${i}/${initSpecs.length}`;
		}
		initializing = true;
		break;
	}

	// isPodInitializedConditionTrue: the first Initialized condition decides.
	const initialized = conditions.find(c => c?.type === 'Initialized')?.status === 'True';
	if (!initializing || initialized) {
		restarts = restartableInitRestarts;
		lastRestart = lastRestartableInitRestart;
		let hasRunning = false;
		for (let i = containerStatuses.length - 1; i >= 0; i--) {
			const cs = containerStatuses[i];
			const state = cs?.state ?? {};
			restarts += cs?.restartCount ?? 0;
			lastRestart = Math.max(lastRestart, finishedAt(cs));
			if (state.waiting?.reason) {
				reason = state.waiting.reason;
			} else if (state.terminated?.reason) {
				reason = state.terminated.reason;
			} else if (state.terminated) {
				reason = state.terminated.signal ? `Signal:${state.terminated.signal}` : `ExitCode:${state.terminated.exitCode ?? 0}`;
			} else if (cs?.ready && state.running) {
				hasRunning = true;
				readyContainers++;
			}
		}
		if (reason === 'Completed' && hasRunning) reason = conditionTrue(conditions, 'Ready') ? 'Running' : 'NotReady';
	}

	const deleting = Boolean(pod.metadata.deletionTimestamp);
	if (deleting && status.reason === 'NodeLost') reason = 'Unknown';
	else if (deleting && phase !== 'Succeeded' && phase !== 'Failed') reason = 'Terminating';

	const restartsCell = restarts !== 0 && lastRestart !== 0 ? `${restarts} (${humanDuration(now - lastRestart)} ago)` : String(restarts);

	const podIP: string = status.podIPs?.[0]?.ip || status.podIP || '<none>';
	const nodeName: string = spec.nodeName || '<none>';
	const nominated: string = status.nominatedNodeName || '<none>';
	let readinessGates = '<none>';
	const gates: any[] = spec.readinessGates ?? [];
	if (gates.length > 0) {
		let trueCount = 0;
		for (const g of gates) {
			const c = conditions.find(x => x?.type === g?.conditionType);
			if (c?.status === 'True') trueCount++;
		}
		readinessGates = `${trueCount}/${gates.length}`;
	}

	return {
		cells: [pod.metadata.name ?? '', `${readyContainers}/${totalContainers}`, reason, restartsCell, since(pod.metadata.creationTimestamp, now), podIP, nodeName, nominated, readinessGates],
		...(phase === 'Succeeded' ? {conditions: podSucceeded} : phase === 'Failed' ? {conditions: podFailed} : {}),
	};
}

// ---------------------------------------------------------------------------------------------
// Other built-in kinds

function layoutContainers(containers: any[] | undefined): [string, string] {
	const list = containers ?? [];
	return [list.map(c => c?.name ?? '').join(','), list.map(c => c?.image ?? '').join(',')];
}

/** labels.FormatLabels */
function formatLabels(labels: Record<string, string> | undefined): string {
	const keys = Object.keys(labels ?? {}).sort();
	return keys.length === 0 ? '<none>' : keys.map(k => `${k}=${labels![k]}`).join(',');
}

/** metav1.FormatLabelSelector */
function formatLabelSelector(sel: LabelSelector | undefined): string {
	return labelSelectorToString(sel) || '<none>';
}

function joinHostPort(host: string, port: number | string): string {
	return host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`;
}

function formatEndpoints(ep: KObject): string {
	const subsets: any[] = ep.subsets ?? [];
	if (subsets.length === 0) return '<none>';
	const list: string[] = [];
	const max = 3;
	let more = false;
	let count = 0;
	for (const ss of subsets) {
		const addresses: any[] = ss?.addresses ?? [];
		const ports: any[] = ss?.ports ?? [];
		if (ports.length === 0) {
			count += addresses.length;
			for (const a of addresses) {
				if (list.length === max) {
					more = true;
					break;
				}
				list.push(a?.ip ?? '');
			}
			continue;
		}
		for (const port of ports) {
			count += addresses.length;
			for (const a of addresses) {
				if (list.length === max) {
					more = true;
					break;
				}
				list.push(joinHostPort(a?.ip ?? '', port?.port ?? 0));
			}
		}
	}
	const ret = list.join(',');
	return more ? `${ret} + ${count - max} more...` : ret;
}

function loadBalancerAddresses(ingress: any[] | undefined): string[] {
	const out = new Set<string>();
	for (const i of ingress ?? []) {
		if (i?.ip) out.add(i.ip);
		else if (i?.hostname) out.add(i.hostname);
	}
	return [...out];
}

function serviceExternalIP(svc: KObject): string {
	const spec = svc.spec ?? {};
	const externalIPs: string[] = spec.externalIPs ?? [];
	switch (spec.type ?? 'ClusterIP') {
		case 'ClusterIP':
		case 'NodePort':
			return externalIPs.length > 0 ? externalIPs.join(',') : '<none>';
		case 'LoadBalancer': {
			const lb = loadBalancerAddresses(svc.status?.loadBalancer?.ingress);
			if (externalIPs.length > 0) return [...lb, ...externalIPs].join(',');
			return lb.length > 0 ? lb.join(',') : '<pending>';
		}
		case 'ExternalName':
			return spec.externalName ?? '';
		default:
			return '<unknown>';
	}
}

function servicePorts(ports: any[] | undefined): string {
	const s = (ports ?? [])
		.map(p => (p?.nodePort > 0 ? `${p.port}:${p.nodePort}/${p.protocol ?? 'TCP'}` : `${p?.port}/${p?.protocol ?? 'TCP'}`))
		.join(',');
	return s === '' ? '<none>' : s;
}

function ingressHosts(rules: any[] | undefined): string {
	const list: string[] = [];
	const max = 3;
	let more = false;
	for (const rule of rules ?? []) {
		if (list.length === max) more = true;
		if (!more && rule?.host) list.push(rule.host);
	}
	if (list.length === 0) return '*';
	const ret = list.join(',');
	return more ? `${ret} + ${(rules ?? []).length - max} more...` : ret;
}

function eventSource(ev: KObject): string {
	const component: string = ev.source?.component || ev.reportingComponent || '';
	const instance: string = ev.source?.host || ev.reportingInstance || '';
	return instance ? `${component}, ${instance}` : component;
}

function eventRow(ev: KObject, now: number): unknown[] {
	let firstSeen = since(ev.firstTimestamp, now);
	if (!parseTime(ev.firstTimestamp)) firstSeen = since(ev.eventTime, now);
	let lastSeen = since(ev.lastTimestamp, now);
	if (!parseTime(ev.lastTimestamp)) lastSeen = firstSeen;
	let count: number = ev.count ?? 0;
	if (ev.series) {
		lastSeen = since(ev.series.lastObservedTime, now);
		count = ev.series.count ?? 0;
	} else if (count === 0) {
		count = 1;
	}
	const involved = ev.involvedObject ?? {};
	const kind = String(involved.kind ?? '').toLowerCase();
	const target = involved.name ? `${kind}/${involved.name}` : kind;
	return [lastSeen, ev.type ?? '', ev.reason ?? '', target, involved.fieldPath ?? '', eventSource(ev), String(ev.message ?? '').trim(), firstSeen, count, ev.metadata.name ?? ''];
}

const replicas = (v: unknown) => (typeof v === 'number' ? v : 1);
const int = (v: unknown) => (typeof v === 'number' ? v : 0);

const printers: Record<string, Printer> = {
	Pod: {
		columns: [
			nameCol(),
			col('Ready', 'string', 'The aggregate readiness state of this pod for accepting traffic.'),
			col('Status', 'string', 'The aggregate status of the containers in this pod.'),
			col('Restarts', 'string', 'The number of times the containers in this pod have been restarted and when the last container in this pod has restarted.'),
			ageCol(),
			wide('IP', 'podIP address allocated to the pod. Routable at least within the cluster. Empty if not yet allocated.'),
			wide('Node', 'NodeName indicates in which node this pod is scheduled.'),
			wide('Nominated Node', 'nominatedNodeName is set only when this pod preempts other pods on the node, but it cannot be scheduled right away as preemption victims receive their graceful termination periods.'),
			wide('Readiness Gates', 'If specified, all readiness gates will be evaluated for pod readiness.'),
		],
		row: podRow,
	},
	Deployment: {
		columns: [
			nameCol(),
			col('Ready', 'string', 'Number of the pod with ready state'),
			col('Up-to-date', 'string', 'Total number of non-terminated pods targeted by this deployment that have the desired template spec.'),
			col('Available', 'string', 'Total number of available non-terminating pods (ready for at least minReadySeconds) targeted by this deployment.'),
			ageCol(),
			containersCol(),
			imagesCol(),
			selectorCol("Label selector for pods. Existing ReplicaSets whose pods are selected by this will be the ones affected by this deployment. It must match the pod template's labels."),
		],
		row: (o, now) => {
			const [names, images] = layoutContainers(o.spec?.template?.spec?.containers);
			const selector = labelSelectorToString(o.spec?.selector);
			return {
				cells: [
					o.metadata.name ?? '',
					`${int(o.status?.readyReplicas)}/${replicas(o.spec?.replicas)}`,
					int(o.status?.updatedReplicas),
					int(o.status?.availableReplicas),
					since(o.metadata.creationTimestamp, now),
					names,
					images,
					selector === '<error>' ? '<invalid>' : selector,
				],
			};
		},
	},
	ReplicaSet: {
		columns: [
			nameCol(),
			col('Desired', 'integer', 'Replicas is the number of desired pods. This is a pointer to distinguish between explicit zero and unspecified. Defaults to 1.'),
			col('Current', 'integer', 'Replicas is the most recently observed number of non-terminating pods.'),
			col('Ready', 'integer', 'The number of non-terminating pods targeted by this ReplicaSet with a Ready Condition.'),
			ageCol(),
			containersCol(),
			imagesCol(),
			selectorCol("Selector is a label query over pods that should match the replica count. Label keys and values that must match in order to be controlled by this replica set. It must match the pod template's labels."),
		],
		row: (o, now) => {
			const [names, images] = layoutContainers(o.spec?.template?.spec?.containers);
			return {
				cells: [
					o.metadata.name ?? '',
					replicas(o.spec?.replicas),
					int(o.status?.replicas),
					int(o.status?.readyReplicas),
					since(o.metadata.creationTimestamp, now),
					names,
					images,
					formatLabelSelector(o.spec?.selector),
				],
			};
		},
	},
	Service: {
		columns: [
			nameCol(),
			col('Type', 'string', 'type determines how the Service is exposed. Defaults to ClusterIP.'),
			col('Cluster-IP', 'string', 'clusterIP is the IP address of the service and is usually assigned randomly.'),
			col('External-IP', 'string', 'externalIPs is a list of IP addresses for which nodes in the cluster will also accept traffic for this service.'),
			col('Port(s)', 'string', 'The list of ports that are exposed by this service.'),
			ageCol(),
			selectorCol('Route service traffic to pods with label keys and values matching this selector.'),
		],
		row: (o, now) => ({
			cells: [
				o.metadata.name ?? '',
				o.spec?.type ?? 'ClusterIP',
				o.spec?.clusterIPs?.[0] || o.spec?.clusterIP || '<none>',
				serviceExternalIP(o),
				servicePorts(o.spec?.ports),
				since(o.metadata.creationTimestamp, now),
				formatLabels(o.spec?.selector),
			],
		}),
	},
	Event: {
		columns: [
			col('Last Seen', 'string', 'The time at which the most recent occurrence of this event was recorded.'),
			col('Type', 'string', 'Type of this event (Normal, Warning), new types could be added in the future'),
			col('Reason', 'string', "This should be a short, machine understandable string that gives the reason for the transition into the object's current status."),
			col('Object', 'string', 'The object that this event is about.'),
			wide('Subobject', 'If referring to a piece of an object instead of an entire object, this string should contain a valid JSON/Go field access statement, such as desiredState.manifest.containers[2].'),
			wide('Source', 'The component reporting this event. Should be a short machine understandable string.'),
			col('Message', 'string', 'A human-readable description of the status of this operation.'),
			wide('First Seen', 'The time at which the event was first recorded. (Time of server receipt is in TypeMeta.)'),
			wide('Count', 'The number of times this event has occurred.'),
			nameCol(1),
		],
		row: (o, now) => ({cells: eventRow(o, now)}),
	},
	Namespace: {
		columns: [nameCol(), col('Status', 'string', 'The status of the namespace'), ageCol()],
		row: (o, now) => ({cells: [o.metadata.name ?? '', o.status?.phase ?? '', since(o.metadata.creationTimestamp, now)]}),
	},
	Endpoints: {
		columns: [
			nameCol(),
			col('Endpoints', 'string', 'The set of all endpoints is the union of all subsets.'),
			ageCol(),
		],
		row: (o, now) => ({cells: [o.metadata.name ?? '', formatEndpoints(o), since(o.metadata.creationTimestamp, now)]}),
	},
	ConfigMap: {
		columns: [nameCol(), col('Data', 'string', 'Data contains the configuration data.'), ageCol()],
		row: (o, now) => ({
			cells: [o.metadata.name ?? '', Object.keys(o.data ?? {}).length + Object.keys(o.binaryData ?? {}).length, since(o.metadata.creationTimestamp, now)],
		}),
	},
	Ingress: {
		columns: [
			nameCol(),
			col('Class', 'string', 'The name of the IngressClass resource that should be used for additional configuration'),
			col('Hosts', 'string', 'Hosts that incoming requests are matched against before the ingress rule'),
			col('Address', 'string', 'Address is a list containing ingress points for the load-balancer'),
			col('Ports', 'string', 'Ports of TLS configurations that open'),
			ageCol(),
		],
		row: (o, now) => ({
			cells: [
				o.metadata.name ?? '',
				o.spec?.ingressClassName ?? '<none>',
				ingressHosts(o.spec?.rules),
				loadBalancerAddresses(o.status?.loadBalancer?.ingress).join(','),
				(o.spec?.tls ?? []).length > 0 ? '80, 443' : '80',
				since(o.metadata.creationTimestamp, now),
			],
		}),
	},
	Secret: {
		columns: [nameCol(), col('Type', 'string', 'Used to facilitate programmatic handling of secret data.'), col('Data', 'string', 'Data contains the secret data.'), ageCol()],
		row: (o, now) => ({cells: [o.metadata.name ?? '', o.type ?? '', Object.keys(o.data ?? {}).length, since(o.metadata.creationTimestamp, now)]}),
	},
	ServiceAccount: {
		columns: [nameCol(), col('Secrets', 'string', 'Secrets is a list of the secrets in the same namespace that pods running using this ServiceAccount are allowed to use.'), ageCol()],
		row: (o, now) => ({cells: [o.metadata.name ?? '', Array.isArray(o.secrets) ? o.secrets.length : 0, since(o.metadata.creationTimestamp, now)]}),
	},
	Job: {
		columns: [
			nameCol(),
			col('Status', 'string', 'Status of the job.'),
			col('Completions', 'string', 'The number of pods which reached phase Succeeded.'),
			col('Duration', 'string', 'Time required to complete the job.'),
			ageCol(),
			containersCol(),
			imagesCol(),
			selectorCol('A label query over pods that should match the pod count.'),
		],
		row: (o, now) => ({cells: jobRow(o, now)}),
	},
	HorizontalPodAutoscaler: {
		columns: [
			nameCol(),
			col('Reference', 'string', 'scaleTargetRef points to the target resource to scale, and is used to the pods for which metrics should be collected, as well as to actually change the replica count.'),
			col('Targets', 'string', 'metrics contains the specifications for which to use to calculate the desired replica count.'),
			col('MinPods', 'string', 'minReplicas is the lower limit for the number of replicas to which the autoscaler can scale down.'),
			col('MaxPods', 'string', 'maxReplicas is the upper limit for the number of replicas to which the autoscaler can scale up.'),
			col('Replicas', 'string', 'currentReplicas is current number of replicas of pods managed by this autoscaler, as last seen by the autoscaler.'),
			ageCol(),
		],
		row: (o, now) => ({
			cells: [
				o.metadata.name ?? '',
				`${o.spec?.scaleTargetRef?.kind ?? ''}/${o.spec?.scaleTargetRef?.name ?? ''}`,
				hpaTargets(o.spec?.metrics, o.status?.currentMetrics),
				typeof o.spec?.minReplicas === 'number' ? String(o.spec.minReplicas) : '<unset>',
				int(o.spec?.maxReplicas),
				int(o.status?.currentReplicas),
				since(o.metadata.creationTimestamp, now),
			],
		}),
	},
	// The generic table convertor the apiextensions server uses for CRDs themselves.
	CustomResourceDefinition: {
		columns: [nameCol(), col('Created At', 'date', docCreated)],
		row: o => ({cells: [o.metadata.name ?? '', typeof o.metadata.creationTimestamp === 'string' ? new Date(o.metadata.creationTimestamp).toISOString().replace(/\.\d+Z$/, 'Z') : '']}),
	},
};

// ---------------------------------------------------------------------------------------------
// Jobs and autoscalers

const jobCondition = (o: KObject, type: string) => conditionTrue(o.status?.conditions, type);

/** printJob: Status, Completions and Duration. */
function jobRow(o: KObject, now: number): unknown[] {
	const spec = o.spec ?? {};
	const succeeded = int(o.status?.succeeded);
	let completions: string;
	if (typeof spec.completions === 'number') completions = `${succeeded}/${spec.completions}`;
	else if (typeof spec.parallelism === 'number' && spec.parallelism > 1) completions = `${succeeded}/1 of ${spec.parallelism}`;
	else completions = `${succeeded}/1`;
	const start = parseTime(o.status?.startTime);
	const end = parseTime(o.status?.completionTime);
	const duration = start === undefined ? '' : humanDuration((end ?? now) - start);
	let status = 'Running';
	if (jobCondition(o, 'Complete')) status = 'Complete';
	else if (jobCondition(o, 'Failed')) status = 'Failed';
	else if (o.metadata.deletionTimestamp) status = 'Terminating';
	else if (jobCondition(o, 'Suspended')) status = 'Suspended';
	else if (jobCondition(o, 'FailureTarget')) status = 'FailureTarget';
	else if (jobCondition(o, 'SuccessCriteriaMet')) status = 'SuccessCriteriaMet';
	const [names, images] = layoutContainers(spec.template?.spec?.containers);
	return [o.metadata.name ?? '', status, completions, duration, since(o.metadata.creationTimestamp, now), names, images, formatLabelSelector(spec.selector)];
}

/** formatHPAMetrics: `cpu: 45%/80%` for each metric, at most two and then `+ N more...`. */
function hpaTargets(specs: any[] | undefined, statuses: any[] | undefined): string {
	const list: string[] = [];
	const all = Array.isArray(specs) ? specs : [];
	if (all.length === 0) return '<none>';
	all.forEach((spec, i) => {
		const status = Array.isArray(statuses) ? statuses[i] : undefined;
		const source = spec?.type === 'Resource' ? spec.resource : spec?.type === 'ContainerResource' ? spec.containerResource : undefined;
		if (source) {
			const current = status?.resource ?? status?.containerResource;
			if (source.target?.averageValue !== undefined) {
				list.push(`${source.name}: ${current?.current?.averageValue ?? '<unknown>'}/${source.target.averageValue}`);
			} else {
				const now = typeof current?.current?.averageUtilization === 'number' ? `${current.current.averageUtilization}%` : '<unknown>';
				const target = typeof source.target?.averageUtilization === 'number' ? `${source.target.averageUtilization}%` : '<auto>';
				list.push(`${source.name}: ${now}/${target}`);
			}
		} else if (spec?.type === 'Pods') {
			list.push(`${status?.pods?.current?.averageValue ?? '<unknown>'}/${spec.pods?.target?.averageValue}`);
		} else if (spec?.type === 'Object' || spec?.type === 'External') {
			const key = spec.type === 'Object' ? 'object' : 'external';
			const target = spec[key]?.target ?? {};
			if (target.averageValue !== undefined) list.push(`${status?.[key]?.current?.averageValue ?? '<unknown>'}/${target.averageValue} (avg)`);
			else list.push(`${status?.[key]?.current?.value ?? '<unknown>'}/${target.value}`);
		} else {
			list.push('<unknown type>');
		}
	});
	return list.length > 2 ? `${list.slice(0, 2).join(', ')} + ${list.length - 2} more...` : list.join(', ');
}

const defaultPrinter: Printer = {
	columns: [nameCol(), ageCol()],
	row: (o, now) => ({cells: [o.metadata.name ?? '', since(o.metadata.creationTimestamp, now)]}),
};

// ---------------------------------------------------------------------------------------------
// Custom resources: additionalPrinterColumns

type PathStep = string | number | {all: true} | {filter: string[]; equals: string};

/**
 * Parse the JSONPath of a printer column: `.spec.hosts`, `{.status.conditions[0].type}`,
 * `.metadata.labels['app.kubernetes.io/name']`, `.status.addresses[*].value`,
 * `.status.conditions[?(@.type=="Ready")].status`. Undefined for anything else.
 */
export function parseSimpleJsonPath(path: string): PathStep[] | undefined {
	let p = path.trim();
	if (p.startsWith('{') && p.endsWith('}')) p = p.slice(1, -1).trim();
	if (p.startsWith('$')) p = p.slice(1);
	const steps: PathStep[] = [];
	let i = 0;
	while (i < p.length) {
		const c = p[i]!;
		if (c === '.') {
			let j = i + 1;
			while (j < p.length && p[j] !== '.' && p[j] !== '[') j++;
			const name = p.slice(i + 1, j);
			if (name === '') return undefined;
			steps.push(name);
			i = j;
		} else if (c === '[') {
			const filter = /^\[\?\(@((?:\.[A-Za-z0-9_-]+)+)\s*==\s*(?:"([^"]*)"|'([^']*)')\)\]/.exec(p.slice(i));
			if (filter) {
				steps.push({filter: filter[1]!.split('.').filter(Boolean), equals: filter[2] ?? filter[3] ?? ''});
				i += filter[0].length;
				continue;
			}
			const end = p.indexOf(']', i);
			if (end < 0) return undefined;
			const inner = p.slice(i + 1, end).trim();
			const quoted = /^'(.*)'$/.exec(inner) ?? /^"(.*)"$/.exec(inner);
			if (quoted) steps.push(quoted[1]!);
			else if (inner === '*') steps.push({all: true});
			else if (/^-?\d+$/.test(inner)) steps.push(Number(inner));
			else return undefined;
			i = end + 1;
		} else {
			return undefined;
		}
	}
	return steps;
}

const child = (cur: unknown, key: string): unknown[] =>
	cur !== null && typeof cur === 'object' && !Array.isArray(cur) && Object.hasOwn(cur, key) ? [(cur as Record<string, unknown>)[key]] : [];

/** Every value the path reaches, in order (client-go jsonpath FindResults, for the steps above). */
function evaluatePath(o: unknown, steps: PathStep[]): unknown[] {
	let current: unknown[] = [o];
	for (const step of steps) {
		const next: unknown[] = [];
		for (const cur of current) {
			if (typeof step === 'string') next.push(...child(cur, step));
			else if (typeof step === 'number') {
				if (!Array.isArray(cur)) continue;
				const idx = step < 0 ? cur.length + step : step;
				if (idx >= 0 && idx < cur.length) next.push(cur[idx]);
			} else if ('all' in step) {
				if (Array.isArray(cur)) next.push(...cur);
				else if (cur !== null && typeof cur === 'object') next.push(...Object.values(cur));
			} else if (Array.isArray(cur)) {
				for (const item of cur) {
					const found = evaluatePath(item, step.filter);
					if (found.length > 0 && String(found[0]) === step.equals) next.push(item);
				}
			}
		}
		current = next;
	}
	return current;
}

/** The cell of one additionalPrinterColumn (apiextensions tableconvertor + cellForJSONValue). */
function customCell(type: string, value: unknown, now: number): unknown {
	if (value === undefined || value === null) return null;
	switch (type) {
		case 'string':
			if (typeof value === 'object') return canonicalJson(value);
			return String(value);
		case 'integer':
			return typeof value === 'number' ? Math.trunc(value) : null;
		case 'number':
			return typeof value === 'number' ? value : null;
		case 'boolean':
			return typeof value === 'boolean' ? value : null;
		case 'date': {
			if (typeof value !== 'string') return null;
			const t = parseTime(value);
			return t === undefined ? '<invalid>' : humanDuration(now - t);
		}
		default:
			return null;
	}
}

/** A CRD without printer columns shows its age (the apiextensions server's default column). */
const defaultColumns: PrinterColumn[] = [{name: 'Age', type: 'date', jsonPath: '.metadata.creationTimestamp', description: docCreated}];

/** The apiextensions table convertor: Name, then the version's additionalPrinterColumns (the first value each path reaches). */
function customPrinter(resource: Resource): Printer {
	const columns = resource.printerColumns?.length ? resource.printerColumns : defaultColumns;
	const paths = columns.map(c => parseSimpleJsonPath(c.jsonPath));
	return {
		columns: [nameCol(), ...columns.map(c => col(c.name, c.type ?? 'string', c.description ?? '', c.priority ?? 0, c.format ?? ''))],
		row: (o, now) => ({
			cells: [
				o.metadata.name ?? '',
				...columns.map((c, i) => {
					const steps = paths[i];
					const found = steps ? evaluatePath(o, steps) : [];
					return found.length > 0 ? customCell(c.type ?? 'string', found[0], now) : null;
				}),
			],
		}),
	};
}

function printerFor(resource: Resource): Printer {
	if (!resource.builtin) return customPrinter(resource);
	return Object.hasOwn(printers, resource.kind) ? printers[resource.kind]! : defaultPrinter;
}

/** The column definitions of a resource's Table (all priorities; kubectl drops priority 1 unless -o wide). */
export function tableColumns(resource: Resource): TableColumnDefinition[] {
	return printerFor(resource).columns.map(c => ({...c}));
}

// ---------------------------------------------------------------------------------------------
// The Table

function rowObject(resource: Resource, o: KObject, includeObject: 'None' | 'Metadata' | 'Object'): Record<string, unknown> | undefined {
	switch (includeObject) {
		case 'None':
			return undefined;
		case 'Object':
			return {...clone(o), apiVersion: o.apiVersion ?? apiVersionOf(resource), kind: o.kind ?? resource.kind};
		default:
			return {kind: 'PartialObjectMetadata', apiVersion: 'meta.k8s.io/v1', metadata: clone(o.metadata)};
	}
}

/**
 * Render objects of one resource as a meta.k8s.io/v1 Table. Every call carries the full
 * column definitions (kubectl reuses or compares them across watch events).
 */
export function toTable(resource: Resource, objects: KObject[], options: TableOptions): Record<string, unknown> {
	const printer = printerFor(resource);
	const includeObject = options.includeObject ?? 'Metadata';
	const rows: TableRow[] = objects.map(o => {
		const {cells, conditions} = printer.row(o, options.now);
		const object = rowObject(resource, o, includeObject);
		return {cells, ...(conditions ? {conditions} : {}), ...(object ? {object} : {})};
	});
	return {
		kind: 'Table',
		apiVersion: 'meta.k8s.io/v1',
		metadata: {resourceVersion: options.resourceVersion, ...(options.continueToken ? {continue: options.continueToken} : {}), ...(options.remainingItemCount !== undefined ? {remainingItemCount: options.remainingItemCount} : {})},
		columnDefinitions: printer.columns.map(c => ({...c})),
		rows,
	};
}
