// The scheduler and kubelets of the simulated cluster, as timers on the SimClock: a pod is
// scheduled (~0.3 s), gets its sandbox and pulls images (ContainerCreating), starts (~1.5-2.5 s)
// and turns Ready (~1 s later). Image tags steer it: `crash` crash-loops with back-off,
// `unready` runs but never passes its readiness probe, `slow` takes ~15 s longer to start.
// A pod whose restartPolicy is Never or OnFailure (a Job's) runs to completion: each container
// exits after the pod's `sim.rollscope.dev/run-seconds` annotation (default 2) simulated seconds,
// with code 0, or 1 when its image tag contains `fail` or `crash`. When all have exited the pod
// is Succeeded, or Failed if one failed under Never; under OnFailure a failed container restarts
// with back-off. A container's imageID is a digest made up from its image, the same for every pod of a tag,
// unless the pod carries `sim.rollscope.dev/tag-repushed` ("true", or the names of some of its containers):
// then the tag was pushed again before each pull, and every pod of it runs a digest of its own.
import {createHash, randomBytes} from 'node:crypto';
import {clone, nowIso, type KObject} from '../object.js';
import type {Change} from '../store.js';
import {recordEvent, type EventType} from './events.js';
import {getCondition, type Condition, type Context} from './util.js';

export const simNodes = ['sim-node-1', 'sim-node-2', 'sim-node-3'] as const;

/** The IP of a simulated node: 172.18.0.2 for sim-node-1, and so on. */
export function nodeIp(node: string): string {
	const n = Number(/(\d+)$/.exec(node)?.[1] ?? '1');
	return `172.18.0.${(n % 250) + 1}`;
}

export type ImageBehaviour = {crash: boolean; unready: boolean; slow: boolean; fail: boolean};

export function imageTag(image: string): string {
	const noDigest = image.split('@')[0]!;
	const colon = noDigest.lastIndexOf(':');
	return colon > noDigest.lastIndexOf('/') ? noDigest.slice(colon + 1) : 'latest';
}

export function imageBehaviour(image: unknown): ImageBehaviour {
	const tag = imageTag(typeof image === 'string' ? image : '');
	return {crash: tag.includes('crash'), unready: tag.includes('unready'), slow: tag.includes('slow'), fail: tag.includes('fail')};
}

/** How long the containers of a run-to-completion pod run, in simulated seconds. */
export const runSecondsAnnotation = 'sim.rollscope.dev/run-seconds';

/** Whether the kubelet lets the pod's containers finish (restartPolicy Never or OnFailure) instead of restarting them. */
export function runsToCompletion(pod: KObject): boolean {
	const policy = pod.spec?.restartPolicy;
	return policy === 'Never' || policy === 'OnFailure';
}

/** Back-off before restart number `n` (n ≥ 1 counts crashes after the first): 10 s, 20 s, 40 s … 300 s. */
export function crashBackoff(n: number): number {
	return Math.min(10 * 2 ** Math.max(0, n - 1), 300);
}

/** Pods with this annotation ("true", or container names separated by commas) pull a digest of their own for those containers' tags, as if each were pushed again before each pull. */
export const tagRepushedAnnotation = 'sim.rollscope.dev/tag-repushed';

/** The image's digest reference, made up but stable per image (and per `pull` when the tag moves): docker.io/library/nginx@sha256:…. */
function imageId(image: string, pull = ''): string {
	const repository = image.split('@')[0]!.replace(/:[^/:]*$/, '');
	const parts = repository.split('/');
	const hasRegistry = parts.length > 1 && /[.:]|^localhost$/.test(parts[0]!);
	const full = hasRegistry ? repository : parts.length === 1 ? `docker.io/library/${repository}` : `docker.io/${repository}`;
	return `${full}@sha256:${createHash('sha256').update(pull ? `${image}#${pull}` : image).digest('hex')}`;
}

const containerId = () => `containerd://${randomBytes(32).toString('hex')}`;
const jitter = (base: number, spread: number) => base + Math.random() * spread;

function qosClass(spec: any): 'Guaranteed' | 'Burstable' | 'BestEffort' {
	const containers: any[] = [...(spec?.containers ?? []), ...(spec?.initContainers ?? [])];
	let any = false;
	let guaranteed = containers.length > 0;
	for (const c of containers) {
		const requests = c?.resources?.requests ?? {};
		const limits = c?.resources?.limits ?? {};
		if (Object.keys(requests).length > 0 || Object.keys(limits).length > 0) any = true;
		for (const r of ['cpu', 'memory']) {
			const limit = limits[r];
			const request = requests[r] ?? limit;
			if (limit === undefined || String(request) !== String(limit)) guaranteed = false;
		}
	}
	if (!any) return 'BestEffort';
	return guaranteed ? 'Guaranteed' : 'Burstable';
}

const conditionOrder = ['PodReadyToStartContainers', 'Initialized', 'Ready', 'ContainersReady', 'PodScheduled'];

function setPodCondition(status: any, type: string, value: Condition['status'], stamp: string, reason?: string, message?: string): void {
	const list: Condition[] = Array.isArray(status.conditions) ? status.conditions : [];
	const current = list.find(c => c.type === type);
	const next: Condition = {type, status: value, lastProbeTime: null, lastTransitionTime: current?.status === value ? current.lastTransitionTime : stamp};
	if (reason) next.reason = reason;
	if (message) next.message = message;
	const others = list.filter(c => c.type !== type);
	others.push(next);
	others.sort((a, b) => conditionOrder.indexOf(a.type) - conditionOrder.indexOf(b.type));
	status.conditions = others;
}

/** Ready and ContainersReady from the container statuses (PodCompleted or PodFailed once the pod has finished). */
function refreshReadiness(status: any, stamp: string): void {
	const statuses: any[] = Array.isArray(status.containerStatuses) ? status.containerStatuses : [];
	if (statuses.length === 0) return;
	if (status.phase === 'Succeeded' || status.phase === 'Failed') {
		const reason = status.phase === 'Succeeded' ? 'PodCompleted' : 'PodFailed';
		for (const type of ['ContainersReady', 'Ready']) setPodCondition(status, type, 'False', stamp, reason);
		setPodCondition(status, 'PodReadyToStartContainers', 'False', stamp);
		return;
	}
	const unready = statuses.filter(s => !s.ready).map(s => s.name);
	const message = `containers with unready status: [${unready.join(' ')}]`;
	for (const type of ['ContainersReady', 'Ready']) {
		if (unready.length === 0) setPodCondition(status, type, 'True', stamp);
		else setPodCondition(status, type, 'False', stamp, 'ContainersNotReady', message);
	}
}

type ContainerRun = {
	name: string;
	image: string;
	behaviour: ImageBehaviour;
	crashes: number;
	readinessDelay: number;
	exitCode?: number;
	/** Set when its tag moves (tagRepushedAnnotation): what makes this pull's digest its own. */
	pull: string;
};

/** Which containers of a pod pull a moving tag. */
function repushed(pod: KObject): (container: string) => boolean {
	const value = String(pod.metadata.annotations?.[tagRepushedAnnotation] ?? '').trim();
	const names = new Set(value.split(',').map(n => n.trim()).filter(Boolean));
	return container => value === 'true' || names.has(container);
}

type PodRun = {
	uid: string;
	namespace: string;
	name: string;
	node: string;
	containers: ContainerRun[];
	timers: Set<() => void>;
	/** Never or OnFailure: containers exit after `runSeconds` instead of running on. */
	restartPolicy: 'Always' | 'OnFailure' | 'Never';
	runSeconds: number;
};

export class Kubelet {
	private readonly runs = new Map<string, PodRun>();
	private nextNode = 0;
	private readonly ipCounters = new Map<string, number>();
	private unsubscribe: (() => void) | undefined;

	constructor(private readonly ctx: Context) {}

	start(): void {
		this.unsubscribe = this.ctx.store.subscribe('pods', change => this.onChange(change));
		this.resync();
	}

	stop(): void {
		this.unsubscribe?.();
		this.unsubscribe = undefined;
		for (const uid of [...this.runs.keys()]) this.untrack(uid);
	}

	/** Forget every pod and take up the ones in the store again (after a restore). */
	resync(): void {
		for (const uid of [...this.runs.keys()]) this.untrack(uid);
		for (const pod of this.ctx.store.list('pods')) this.track(pod);
	}

	/** A node for a new pod, round-robin over the simulated nodes. */
	pickNode(): string {
		const node = simNodes[this.nextNode % simNodes.length]!;
		this.nextNode++;
		return node;
	}

	private onChange(change: Change): void {
		const uid = change.object.metadata.uid;
		if (!uid) return;
		if (change.type === 'DELETED') this.untrack(uid);
		else if (!this.runs.has(uid)) this.track(change.object);
	}

	private untrack(uid: string): void {
		const run = this.runs.get(uid);
		if (run) for (const cancel of run.timers) cancel();
		this.runs.delete(uid);
		this.ctx.readyAt.delete(uid);
	}

	private track(pod: KObject): void {
		const uid = pod.metadata.uid;
		if (!uid || pod.metadata.deletionTimestamp) return;
		const moves = repushed(pod);
		const containers: ContainerRun[] = (Array.isArray(pod.spec?.containers) ? pod.spec.containers : []).map((c: any) => {
			const probe = c?.readinessProbe;
			const delay = probe ? Math.max(0.5, Number(probe.initialDelaySeconds) || 0) + Math.random() * 0.5 : jitter(0.8, 0.4);
			const name = String(c?.name ?? 'main');
			return {name, image: String(c?.image ?? ''), behaviour: imageBehaviour(c?.image), crashes: 0, readinessDelay: delay, pull: moves(name) ? `${uid}/${name}` : ''};
		});
		const runSeconds = Number(pod.metadata.annotations?.[runSecondsAnnotation]);
		const run: PodRun = {
			uid,
			namespace: pod.metadata.namespace ?? 'default',
			name: pod.metadata.name!,
			node: pod.spec?.nodeName ?? '',
			containers,
			timers: new Set(),
			restartPolicy: runsToCompletion(pod) ? pod.spec.restartPolicy : 'Always',
			runSeconds: Number.isFinite(runSeconds) && runSeconds >= 0 ? runSeconds : jitter(2, 0.5),
		};
		this.runs.set(uid, run);
		const phase = pod.status?.phase;
		if (phase === undefined || phase === 'Pending') this.after(run, jitter(0.2, 0.2), () => this.schedule(run));
		else if (phase === 'Running') this.resume(run, pod);
	}

	private after(run: PodRun, simSeconds: number, fn: () => void): void {
		const cancel = this.ctx.clock.after(simSeconds, () => {
			run.timers.delete(cancel);
			if (this.runs.get(run.uid) !== run) return;
			try {
				fn();
			} catch (error) {
				this.ctx.onError(error, `kubelet ${run.namespace}/${run.name}`);
			}
		});
		run.timers.add(cancel);
	}

	private current(run: PodRun): KObject | undefined {
		const pod = this.ctx.store.get('pods', run.namespace, run.name);
		if (!pod || pod.metadata.uid !== run.uid) {
			this.untrack(run.uid);
			return undefined;
		}
		return pod;
	}

	/** Change the pod's status (then Ready and ContainersReady follow the containers). */
	private writeStatus(run: PodRun, edit: (status: any, pod: KObject, stamp: string) => void): KObject | undefined {
		const pod = this.current(run);
		if (!pod) return undefined;
		const now = this.ctx.clock.now();
		const stamp = nowIso(now);
		const wasReady = getCondition(pod.status, 'Ready')?.status === 'True';
		const status = pod.status && typeof pod.status === 'object' ? clone(pod.status) : {};
		edit(status, pod, stamp);
		refreshReadiness(status, stamp);
		const isReady = getCondition(status, 'Ready')?.status === 'True';
		const updated = this.ctx.store.update('pods', {...pod, status}, {subresource: 'status'});
		if (isReady && !wasReady) this.ctx.readyAt.set(run.uid, now);
		else if (!isReady) this.ctx.readyAt.delete(run.uid);
		return updated;
	}

	private event(run: PodRun, pod: KObject, type: EventType, reason: string, message: string, container?: string, component: 'kubelet' | 'default-scheduler' = 'kubelet'): void {
		recordEvent(this.ctx.store, pod, type, reason, message, component, {
			now: this.ctx.clock.now(),
			...(component === 'kubelet' && run.node ? {host: run.node} : {}),
			...(container ? {fieldPath: `spec.containers{${container}}`} : {}),
		});
	}

	private podIp(node: string): string {
		const k = Number(/(\d+)$/.exec(node)?.[1] ?? '0');
		const c = this.ipCounters.get(node) ?? 0;
		this.ipCounters.set(node, c + 1);
		return `10.${244 + (k % 12)}.${Math.floor(c / 250) % 256}.${(c % 250) + 2}`;
	}

	// --- The steps of a pod's life ---------------------------------------------------------

	private schedule(run: PodRun): void {
		let pod = this.current(run);
		if (!pod) return;
		if (!pod.spec?.nodeName) {
			const node = this.pickNode();
			pod = this.ctx.store.mutate('pods', run.namespace, run.name, p => {
				p.spec = {...p.spec, nodeName: node};
			});
		}
		run.node = pod.spec.nodeName;
		pod = this.writeStatus(run, (status, p, stamp) => {
			status.phase ??= 'Pending';
			setPodCondition(status, 'PodScheduled', 'True', stamp);
			status.qosClass ??= qosClass(p.spec);
		});
		if (!pod) return;
		this.event(run, pod, 'Normal', 'Scheduled', `Successfully assigned ${run.namespace}/${run.name} to ${run.node}`, undefined, 'default-scheduler');
		this.after(run, jitter(0.2, 0.1), () => this.createSandbox(run));
	}

	private createSandbox(run: PodRun): void {
		const pod = this.writeStatus(run, (status, p, stamp) => {
			status.phase = 'Pending';
			const hostIP = nodeIp(run.node);
			const podIP = status.podIP ?? this.podIp(run.node);
			Object.assign(status, {hostIP, hostIPs: [{ip: hostIP}], podIP, podIPs: [{ip: podIP}], startTime: status.startTime ?? stamp});
			setPodCondition(status, 'PodReadyToStartContainers', 'True', stamp);
			setPodCondition(status, 'Initialized', 'True', stamp);
			const inits: any[] = Array.isArray(p.spec?.initContainers) ? p.spec.initContainers : [];
			if (inits.length > 0) {
				const moves = repushed(p);
				status.initContainerStatuses = inits.map((c: any) => ({
					name: c?.name, image: c?.image, imageID: imageId(String(c?.image ?? ''), moves(String(c?.name)) ? `${run.uid}/${String(c?.name)}` : ''), containerID: containerId(),
					ready: true, restartCount: 0, started: false,
					state: {terminated: {exitCode: 0, reason: 'Completed', startedAt: stamp, finishedAt: stamp}}, lastState: {},
				}));
			}
			status.containerStatuses = run.containers.map(c => ({
				name: c.name, image: c.image, imageID: '', ready: false, restartCount: 0, started: false,
				state: {waiting: {reason: 'ContainerCreating'}}, lastState: {},
			}));
		});
		if (!pod) return;
		for (const c of run.containers) this.event(run, pod, 'Normal', 'Pulling', `Pulling image "${c.image}"`, c.name);
		const pull = jitter(1, 1) + (run.containers.some(c => c.behaviour.slow) ? 15 : 0);
		this.after(run, pull, () => this.startContainers(run, pull));
	}

	private startContainers(run: PodRun, pullSeconds: number): void {
		const started = new Map<string, string>();
		const pod = this.writeStatus(run, (status, _p, stamp) => {
			status.phase = 'Running';
			status.containerStatuses = run.containers.map(c => {
				const id = containerId();
				started.set(c.name, id);
				return {
					name: c.name, image: c.image, imageID: imageId(c.image, c.pull), containerID: id, ready: false, restartCount: 0, started: true,
					state: {running: {startedAt: stamp}}, lastState: {},
				};
			});
		});
		if (!pod) return;
		for (const c of run.containers) {
			const took = `${pullSeconds.toFixed(3)}s`;
			const size = 20_000_000 + (createHash('sha1').update(c.image).digest().readUInt32BE(0) % 80_000_000);
			this.event(run, pod, 'Normal', 'Pulled', `Successfully pulled image "${c.image}" in ${took} (${took} including waiting). Image size: ${size} bytes.`, c.name);
			this.event(run, pod, 'Normal', 'Created', `Created container: ${c.name}`, c.name);
			this.event(run, pod, 'Normal', 'Started', `Started container ${c.name}`, c.name);
			this.afterStart(run, c);
		}
	}

	/** What a freshly started container does next. */
	private afterStart(run: PodRun, c: ContainerRun): void {
		if (run.restartPolicy !== 'Always') {
			if (!c.behaviour.unready && c.readinessDelay < run.runSeconds) this.after(run, c.readinessDelay, () => this.setReady(run, c));
			this.after(run, run.runSeconds, () => this.exit(run, c, c.behaviour.crash || c.behaviour.fail ? 1 : 0));
		} else if (c.behaviour.crash) this.after(run, jitter(0.5, 0.3), () => this.crash(run, c));
		else if (c.behaviour.unready) this.after(run, c.readinessDelay, () => this.probeFails(run, c));
		else this.after(run, c.readinessDelay, () => this.setReady(run, c));
	}

	private setReady(run: PodRun, c: ContainerRun): void {
		this.writeStatus(run, status => {
			const cs = status.containerStatuses?.find((s: any) => s.name === c.name);
			if (cs?.state?.running) cs.ready = true;
		});
	}

	/**
	 * A run-to-completion container exits. A failure under OnFailure is restarted like a crash;
	 * otherwise the container stays terminated, and once every container has, the pod is done.
	 */
	private exit(run: PodRun, c: ContainerRun, exitCode: number): void {
		if (exitCode !== 0 && run.restartPolicy === 'OnFailure') {
			this.crash(run, c);
			return;
		}
		c.exitCode = exitCode;
		this.writeStatus(run, (status, _p, stamp) => {
			const cs = status.containerStatuses?.find((s: any) => s.name === c.name);
			if (!cs) return;
			cs.state = {terminated: {exitCode, reason: exitCode === 0 ? 'Completed' : 'Error', startedAt: cs.state?.running?.startedAt ?? stamp, finishedAt: stamp, containerID: cs.containerID}};
			cs.ready = false;
			cs.started = false;
			if (run.containers.every(x => x.exitCode !== undefined)) status.phase = run.containers.every(x => x.exitCode === 0) ? 'Succeeded' : 'Failed';
		});
		if (run.containers.every(x => x.exitCode !== undefined)) {
			for (const cancel of run.timers) cancel();
			run.timers.clear();
		}
	}

	private probeFails(run: PodRun, c: ContainerRun): void {
		const pod = this.current(run);
		if (!pod) return;
		this.event(run, pod, 'Warning', 'Unhealthy', 'Readiness probe failed: HTTP probe failed with statuscode: 503', c.name);
		this.after(run, 10, () => this.probeFails(run, c));
	}

	private crash(run: PodRun, c: ContainerRun): void {
		c.crashes++;
		const backoff = c.crashes === 1 ? 0 : crashBackoff(c.crashes - 1);
		const pod = this.writeStatus(run, (status, p, stamp) => {
			const cs = status.containerStatuses?.find((s: any) => s.name === c.name);
			if (!cs) return;
			const terminated = {exitCode: 1, reason: 'Error', startedAt: cs.state?.running?.startedAt ?? stamp, finishedAt: stamp, containerID: cs.containerID};
			cs.ready = false;
			cs.started = false;
			if (c.crashes === 1) {
				cs.state = {terminated};
			} else {
				cs.lastState = {terminated};
				cs.state = {waiting: {reason: 'CrashLoopBackOff', message: `back-off ${backoff}s restarting failed container=${c.name} pod=${p.metadata.name}_${p.metadata.namespace}(${p.metadata.uid})`}};
			}
		});
		if (!pod) return;
		if (c.crashes === 1) {
			this.after(run, jitter(0.3, 0.3), () => this.restart(run, c));
			return;
		}
		const backOff = () => {
			const p = this.current(run);
			if (p) this.event(run, p, 'Warning', 'BackOff', `Back-off restarting failed container ${c.name} in pod ${p.metadata.name}_${p.metadata.namespace}(${p.metadata.uid})`, c.name);
		};
		backOff();
		// The kubelet repeats the warning while it waits.
		for (let t = 10; t < backoff; t += 10) this.after(run, t, backOff);
		this.after(run, backoff, () => this.restart(run, c));
	}

	private restart(run: PodRun, c: ContainerRun): void {
		const pod = this.writeStatus(run, (status, _p, stamp) => {
			const cs = status.containerStatuses?.find((s: any) => s.name === c.name);
			if (!cs) return;
			if (cs.state?.terminated) cs.lastState = {terminated: cs.state.terminated};
			cs.restartCount = (Number(cs.restartCount) || 0) + 1;
			cs.containerID = containerId();
			cs.state = {running: {startedAt: stamp}};
			cs.started = true;
			cs.ready = false;
		});
		if (!pod) return;
		this.event(run, pod, 'Normal', 'Pulled', `Container image "${c.image}" already present on machine`, c.name);
		this.event(run, pod, 'Normal', 'Created', `Created container: ${c.name}`, c.name);
		this.event(run, pod, 'Normal', 'Started', `Started container ${c.name}`, c.name);
		this.afterStart(run, c);
	}

	/** Take up a pod that was already running (restored state): keep its loops going. */
	private resume(run: PodRun, pod: KObject): void {
		const statuses: any[] = Array.isArray(pod.status?.containerStatuses) ? pod.status.containerStatuses : [];
		if (run.restartPolicy !== 'Always') {
			for (const c of run.containers) {
				const terminated = statuses.find(s => s?.name === c.name)?.state?.terminated;
				if (terminated && (terminated.exitCode === 0 || run.restartPolicy === 'Never')) c.exitCode = Number(terminated.exitCode) || 0;
				else this.after(run, run.runSeconds, () => this.exit(run, c, c.behaviour.crash || c.behaviour.fail ? 1 : 0));
			}
			return;
		}
		for (const c of run.containers) {
			const cs = statuses.find(s => s?.name === c.name);
			c.crashes = Number(cs?.restartCount) || 0;
			if (c.behaviour.crash) {
				if (cs?.state?.running) this.after(run, jitter(0.5, 0.5), () => this.crash(run, c));
				else this.after(run, jitter(1, 1), () => this.restart(run, c));
			} else if (c.behaviour.unready) {
				this.after(run, jitter(1, 2), () => this.probeFails(run, c));
			} else if (!cs?.ready) {
				if (cs?.state?.running) this.after(run, c.readinessDelay, () => this.setReady(run, c));
				else this.after(run, jitter(0.5, 0.5), () => this.restart(run, c));
			}
		}
	}
}
