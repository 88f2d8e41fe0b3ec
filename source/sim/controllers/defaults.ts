// API defaulting for Deployments and pod specs (pkg/apis/apps/v1/defaults.go,
// pkg/apis/core/v1/defaults.go), for the server to apply on every write, and the same
// defaults as a read-only view for the controllers.
import type {KObject} from '../object.js';

const isObject = (v: unknown): v is Record<string, any> => typeof v === 'object' && v !== null && !Array.isArray(v);

function imageTag(image: string): string | undefined {
	const at = image.indexOf('@');
	if (at >= 0) return undefined;
	const colon = image.lastIndexOf(':');
	return colon > image.lastIndexOf('/') ? image.slice(colon + 1) : undefined;
}

function defaultContainer(c: Record<string, any>): void {
	if (typeof c.image === 'string' && c.imagePullPolicy == null) {
		const tag = imageTag(c.image);
		c.imagePullPolicy = c.image.includes('@') ? 'IfNotPresent' : tag === undefined || tag === 'latest' ? 'Always' : 'IfNotPresent';
	}
	c.terminationMessagePath ??= '/dev/termination-log';
	c.terminationMessagePolicy ??= 'File';
	c.resources ??= {};
	if (Array.isArray(c.ports)) for (const p of c.ports) if (isObject(p)) p.protocol ??= 'TCP';
}

/** Fill in what the apiserver defaults in a pod spec. Edits and returns `spec`. */
export function defaultPodSpec<T>(spec: T): T {
	if (!isObject(spec)) return spec;
	const s = spec as Record<string, any>;
	s.restartPolicy ??= 'Always';
	s.terminationGracePeriodSeconds ??= 30;
	s.dnsPolicy ??= 'ClusterFirst';
	s.securityContext ??= {};
	s.schedulerName ??= 'default-scheduler';
	for (const list of [s.containers, s.initContainers]) {
		if (Array.isArray(list)) for (const c of list) if (isObject(c)) defaultContainer(c);
	}
	return spec;
}

/**
 * Fill in the Deployment defaults the apiserver writes: replicas 1, RollingUpdate 25%/25%,
 * revisionHistoryLimit 10, progressDeadlineSeconds 600, and the pod template's defaults.
 * Idempotent; edits and returns `o`. Call it on create and on every update or patch, so that
 * a template sent without the defaults does not look like a change.
 */
export function defaultDeployment(o: KObject): KObject {
	if (!isObject(o.spec)) o.spec = {};
	const spec = o.spec;
	spec.replicas ??= 1;
	if (!isObject(spec.strategy)) spec.strategy = {};
	spec.strategy.type ??= 'RollingUpdate';
	if (spec.strategy.type === 'RollingUpdate') {
		if (!isObject(spec.strategy.rollingUpdate)) spec.strategy.rollingUpdate = {};
		spec.strategy.rollingUpdate.maxSurge ??= '25%';
		spec.strategy.rollingUpdate.maxUnavailable ??= '25%';
	}
	spec.revisionHistoryLimit ??= 10;
	spec.progressDeadlineSeconds ??= 600;
	if (isObject(spec.template) && isObject(spec.template.spec)) defaultPodSpec(spec.template.spec);
	return o;
}

export type DeploymentSpecView = {
	replicas: number;
	strategy: 'RollingUpdate' | 'Recreate';
	maxSurge: unknown;
	maxUnavailable: unknown;
	revisionHistoryLimit: number | undefined;
	progressDeadlineSeconds: number | undefined;
	minReadySeconds: number;
	paused: boolean;
};

const int = (v: unknown, fallback: number): number => (typeof v === 'number' && Number.isFinite(v) ? Math.trunc(v) : fallback);

/** The spec fields the controller uses, with defaults applied (the object is not changed). */
export function deploymentSpec(d: KObject): DeploymentSpecView {
	const spec = isObject(d.spec) ? d.spec : {};
	const strategy = spec.strategy?.type === 'Recreate' ? 'Recreate' : 'RollingUpdate';
	const deadline = spec.progressDeadlineSeconds;
	return {
		replicas: Math.max(0, int(spec.replicas, 1)),
		strategy,
		maxSurge: spec.strategy?.rollingUpdate?.maxSurge ?? '25%',
		maxUnavailable: spec.strategy?.rollingUpdate?.maxUnavailable ?? '25%',
		revisionHistoryLimit: spec.revisionHistoryLimit === null ? undefined : int(spec.revisionHistoryLimit, 10),
		// MaxInt32 means "no deadline", like an explicit null.
		progressDeadlineSeconds: deadline === null || deadline === 2147483647 ? undefined : int(deadline, 600),
		minReadySeconds: Math.max(0, int(spec.minReadySeconds, 0)),
		paused: spec.paused === true,
	};
}
