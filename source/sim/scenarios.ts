// Demo scenarios for the simulated cluster: each creates one kind of release in its own
// namespace (Deployments, Services, router objects; the controllers add ReplicaSets and
// pods), and `animateScenario` keeps it moving on the simulated clock.
import type {SimClock} from './clock.js';
import type {KObject} from './object.js';
import {scenarioPlans} from './scenarios/catalog.js';
import {imageRepository, type DeploymentPlan, type Motion, type ScenarioPlan} from './scenarios/plan.js';
import type {ObjectStore} from './store.js';
import {resourceByKey} from './resources.js';
import {withDefaults} from './validation.js';

export const scenarioNames: readonly string[] = [...scenarioPlans.map(p => p.name), 'all'];

export type Scenario = {
	name: string;
	namespace: string;
	/** What `rollscope demo --scenario` opens. */
	target: string;
	description: string;
};

export const changeCauseAnnotation = 'kubernetes.io/change-cause';

/** Simulated seconds between the changes of the gentle loop. */
const loopSeconds = 60;

function plansFor(name: string): ScenarioPlan[] {
	if (name === 'all') return [...scenarioPlans];
	const plan = scenarioPlans.find(p => p.name === name);
	if (!plan) throw new Error(`unknown scenario "${name}"; choose one of: ${scenarioNames.join(', ')}`);
	return [plan];
}

function planOf(scenario: Scenario): ScenarioPlan | undefined {
	return scenarioPlans.find(p => p.name === scenario.name);
}

/** Replicas per Deployment: the defaults, or `pods` shared out by each Deployment's share. */
function replicaCounts(plans: ScenarioPlan[], pods: number | undefined): Map<DeploymentPlan, number> {
	const counts = new Map<DeploymentPlan, number>();
	const all = plans.flatMap(p => p.deployments);
	const totalShare = all.reduce((sum, d) => sum + d.share, 0);
	for (const d of all) counts.set(d, pods === undefined ? d.replicas : Math.max(1, Math.round((pods * d.share) / totalShare)));
	return counts;
}

function deployment(namespace: string, d: DeploymentPlan, replicas: number): KObject {
	const selector = {app: d.app, ...d.labels};
	const image = `${imageRepository(d.app)}:${d.version}`;
	return {
		apiVersion: 'apps/v1',
		kind: 'Deployment',
		metadata: {
			name: d.name,
			namespace,
			labels: selector,
			annotations: {[changeCauseAnnotation]: `deploy ${d.app}:${d.version}`},
		},
		spec: {
			replicas,
			selector: {matchLabels: selector},
			strategy: {type: 'RollingUpdate', rollingUpdate: {maxSurge: d.maxSurge ?? '25%', maxUnavailable: d.maxUnavailable ?? '25%'}},
			minReadySeconds: d.minReadySeconds ?? 0,
			revisionHistoryLimit: 10,
			progressDeadlineSeconds: d.progressDeadlineSeconds ?? 600,
			template: {
				metadata: {labels: selector, annotations: {...d.podAnnotations}},
				spec: {
					containers: [{
						name: d.app,
						image,
						imagePullPolicy: 'IfNotPresent',
						ports: [{name: 'http', containerPort: 8080, protocol: 'TCP'}],
						readinessProbe: {httpGet: {path: '/healthz', port: 8080, scheme: 'HTTP'}, initialDelaySeconds: 1, periodSeconds: 2, timeoutSeconds: 1, successThreshold: 1, failureThreshold: 3},
						resources: {requests: {cpu: '100m', memory: '128Mi'}, limits: {memory: '256Mi'}},
					}],
					restartPolicy: 'Always',
					terminationGracePeriodSeconds: 30,
					dnsPolicy: 'ClusterFirst',
				},
			},
		},
	};
}

/** A free ClusterIP, stable for a given scenario and service position when nothing else took it. */
function clusterIpAllocator(store: ObjectStore): (block: number, index: number) => string {
	const used = new Set<string>();
	for (const s of store.list('services')) if (typeof s.spec?.clusterIP === 'string') used.add(s.spec.clusterIP);
	return (block, index) => {
		for (let n = block * 250 + index; ; n++) {
			const ip = `10.96.${128 + (Math.floor(n / 250) % 127)}.${(n % 250) + 2}`;
			if (!used.has(ip)) {
				used.add(ip);
				return ip;
			}
		}
	};
}

/** Stored as the API server would store it: with its defaults, so the first write through the API changes nothing else. */
function createDefaulted(store: ObjectStore, key: string, object: KObject): void {
	store.create(key, withDefaults(resourceByKey(key), object));
}

function createIfMissing(store: ObjectStore, key: string, object: KObject): void {
	if (store.get(key, object.metadata.namespace, object.metadata.name!)) return;
	createDefaulted(store, key, object);
}

function ensureNamespace(store: ObjectStore, name: string, labels: Record<string, string> = {}): void {
	if (store.get('namespaces', undefined, name)) return;
	store.create('namespaces', {apiVersion: 'v1', kind: 'Namespace', metadata: {name, labels: {'kubernetes.io/metadata.name': name, ...labels}}});
}

/**
 * Create the scenario's objects in the store. `pods` scales replica counts (default: small,
 * 2-4 per Deployment; with pods N, the Deployments together get about N pods). Objects that
 * already exist are left alone, so loading over restored state is safe.
 */
export function loadScenario(store: ObjectStore, name: string, options: {pods?: number} = {}): Scenario[] {
	const plans = plansFor(name);
	const pods = options.pods;
	if (pods !== undefined && !(Number.isFinite(pods) && pods >= 1)) throw new Error(`pods must be a positive number, not ${pods}`);
	const replicas = replicaCounts(plans, pods === undefined ? undefined : Math.round(pods));
	const clusterIp = clusterIpAllocator(store);
	ensureNamespace(store, 'default');
	return plans.map(plan => {
		const namespace = plan.name;
		const block = scenarioPlans.indexOf(plan);
		ensureNamespace(store, namespace, plan.namespaceLabels);
		for (const d of plan.deployments) createIfMissing(store, 'apps/deployments', deployment(namespace, d, replicas.get(d)!));
		plan.objects(namespace).forEach(({key, object}, index) => {
			if (store.get(key, namespace, object.metadata.name!)) return;
			if (key === 'services' && object.spec.clusterIP === undefined) {
				object.spec.clusterIP = clusterIp(block, index);
				object.spec.clusterIPs = [object.spec.clusterIP];
			}
			createDefaulted(store, key, object);
		});
		return {name: plan.name, namespace, target: plan.target, description: plan.description};
	});
}

// --- Motion ---------------------------------------------------------------------------------

type Semver = [number, number, number];

function splitImage(image: string): {repository: string; tag: string} {
	const colon = image.lastIndexOf(':');
	return colon > image.lastIndexOf('/') ? {repository: image.slice(0, colon), tag: image.slice(colon + 1)} : {repository: image, tag: ''};
}

function parseSemver(tag: string): Semver | undefined {
	const m = /^v?(\d+)\.(\d+)\.(\d+)$/.exec(tag);
	return m ? [Number(m[1]), Number(m[2]), Number(m[3])] : undefined;
}

const compareSemver = (a: Semver, b: Semver) => a[0] - b[0] || a[1] - b[1] || a[2] - b[2];

function bump(v: Semver, part: 'minor' | 'patch'): string {
	return part === 'minor' ? `${v[0]}.${v[1] + 1}.0` : `${v[0]}.${v[1]}.${v[2] + 1}`;
}

function imageOf(store: ObjectStore, namespace: string, name: string): string | undefined {
	return store.get('apps/deployments', namespace, name)?.spec?.template?.spec?.containers?.[0]?.image;
}

/** The newest semver among the Deployments' images (tags that are not semver are skipped). */
function newestVersion(store: ObjectStore, namespace: string, names: string[], fallback: string): Semver {
	let newest = parseSemver(fallback)!;
	for (const name of names) {
		const v = parseSemver(splitImage(imageOf(store, namespace, name) ?? '').tag);
		if (v && compareSemver(v, newest) > 0) newest = v;
	}
	return newest;
}

/** Set the first container's image and the change-cause. A Deployment that is gone is skipped. */
function setImage(store: ObjectStore, namespace: string, name: string, tag: string, verb: string): void {
	if (!store.get('apps/deployments', namespace, name)) return;
	store.mutate('apps/deployments', namespace, name, d => {
		const container = d.spec?.template?.spec?.containers?.[0];
		if (!container) return;
		const {repository} = splitImage(String(container.image ?? ''));
		container.image = `${repository}:${tag}`;
		d.metadata.annotations = {...d.metadata.annotations, [changeCauseAnnotation]: `${verb} ${repository.slice(repository.lastIndexOf('/') + 1)}:${tag}`};
	});
}

/** One step of a scenario's motion; `loopStep` counts the gentle loop's steps from 1 (0 is the first move). */
function move(store: ObjectStore, namespace: string, plan: ScenarioPlan, loopStep: number): void {
	const motion: Motion = plan.motion;
	if (motion.kind === 'custom') return motion.move(store, namespace, loopStep);
	const fallback = plan.deployments[0]!.version;
	switch (motion.kind) {
		case 'rolling': {
			setImage(store, namespace, motion.deployment, bump(newestVersion(store, namespace, [motion.deployment], fallback), 'minor'), 'deploy');
			break;
		}
		case 'canary': {
			const canaryImage = imageOf(store, namespace, motion.canary);
			const stableImage = imageOf(store, namespace, motion.stable);
			const promote = motion.promote && loopStep % 2 === 1 && canaryImage !== undefined && stableImage !== undefined && canaryImage !== stableImage;
			if (promote) {
				setImage(store, namespace, motion.stable, splitImage(canaryImage).tag, 'promote');
			} else {
				setImage(store, namespace, motion.canary, bump(newestVersion(store, namespace, [motion.stable, motion.canary], fallback), 'patch'), 'deploy');
			}
			break;
		}
		case 'bluegreen': {
			const live = store.get('services', namespace, motion.service)?.spec?.selector?.color;
			const idle = Object.entries(motion.colors).find(([color]) => color !== live)?.[1];
			if (idle) setImage(store, namespace, idle, bump(newestVersion(store, namespace, Object.values(motion.colors), fallback), 'patch'), 'deploy');
			break;
		}
	}
}

/**
 * Make the scenarios move on the simulated clock: a first change soon after the start
 * (a rollout for 'rolling' at once, a new canary or preview image after about 2 s), then,
 * unless `static`, another change every minute (promotions and new images, alternating).
 * Returns a function that stops it.
 */
export function animateScenario(store: ObjectStore, clock: SimClock, scenarios: Scenario[], options: {static?: boolean} = {}): () => void {
	const cancels: Array<() => void> = [];
	let stopped = false;
	scenarios.forEach((scenario, i) => {
		const plan = planOf(scenario);
		if (!plan) return;
		const safely = (step: number) => () => {
			if (stopped) return;
			try {
				move(store, scenario.namespace, plan, step);
			} catch {
				// The user may have deleted or changed things under us; the next step tries again.
			}
		};
		// Stagger the scenarios a little so that 'all' does not change everything at once.
		const first = plan.firstMoveAfter + i * 0.1;
		cancels.push(clock.after(first, safely(0)));
		if (options.static) return;
		let step = 0;
		cancels.push(clock.after(first + i * 5, () => {
			if (stopped) return;
			cancels.push(clock.every(loopSeconds, () => safely(++step)()));
		}));
	});
	return () => {
		stopped = true;
		for (const cancel of cancels) cancel();
		cancels.length = 0;
	};
}
