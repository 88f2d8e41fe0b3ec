// `npm run bench -- side-by-side [PODS...]`: rollscope's live view (the compiled package, as installed) and
// `kubectl get pods -w`, each in its own tmux terminal against the same sim in the same run, at 1,000 pods
// and at 5,000 pods with 20,000 Events: time to the first full screen, steady CPU, CPU while every pod rolls,
// resident memory, bytes to the terminal, and time from a scale to the new pod on screen; then the ratios.
// The sim runs in a process of its own; only the two subjects are measured. Prints figures, asserts nothing.
import {execFileSync, spawn, type ChildProcess} from 'node:child_process';
import {randomBytes} from 'node:crypto';
import {existsSync, readdirSync, readFileSync, rmSync, statSync} from 'node:fs';
import {loadavg, tmpdir} from 'node:os';
import {join} from 'node:path';
import {bundlePackage, repoRoot} from '../../source/build/bundles.js';
import {KubeClient} from '../../source/kube/client.js';

const WIDTH = 160;
const HEIGHT = 50;
const STEADY_MS = 30_000;
const SETTLE_MS = 5000;
const SCALES = 5;
const ROLLOUT_LIMIT_MS = 240_000;
const NAMESPACE = 'canary';
const CANARY = 'checkout-canary';

const sleep = (ms: number) => new Promise(r => setTimeout(r, ms));
const median = (xs: number[]) => {
	const s = [...xs].sort((a, b) => a - b);
	return s.length === 0 ? NaN : s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
};
const load = () => loadavg()[0]!.toFixed(1);
const TICK = 100; // clock ticks per second (getconf CLK_TCK on Linux)

/** CPU seconds (user + system) of a process and its descendants, from /proc. */
function cpuSeconds(root: number): number {
	const children = new Map<number, number[]>();
	const ticks = new Map<number, number>();
	for (const entry of readdirSync('/proc')) {
		if (!/^\d+$/.test(entry)) continue;
		try {
			const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
			const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
			const pid = Number(entry);
			const ppid = Number(fields[1]);
			ticks.set(pid, Number(fields[11]) + Number(fields[12]));
			children.set(ppid, [...(children.get(ppid) ?? []), pid]);
		} catch {
			// gone
		}
	}
	let sum = 0;
	const stack = [root];
	while (stack.length > 0) {
		const pid = stack.pop()!;
		sum += ticks.get(pid) ?? 0;
		stack.push(...(children.get(pid) ?? []));
	}
	return sum / TICK;
}

/** Resident and peak resident memory of a process, MB. */
function memory(pid: number): {rss: number; peak: number} {
	const status = readFileSync(`/proc/${pid}/status`, 'utf8');
	const kb = (key: string) => Number(new RegExp(`^${key}:\\s+(\\d+)`, 'm').exec(status)?.[1] ?? NaN);
	return {rss: kb('VmRSS') / 1024, peak: kb('VmHWM') / 1024};
}

/** One program in a tmux terminal of its own, its output also piped to a file (to count bytes and lines). */
class Pane {
	private readonly socket = `rollscope-bench-${randomBytes(4).toString('hex')}`;
	readonly output = join(tmpdir(), `${this.socket}.out`);

	constructor(command: string) {
		// The shell waits for a key, so the pipe is attached before the program writes anything; then it becomes the program.
		this.tmux(['new-session', '-d', '-s', 'main', '-x', String(WIDTH), '-y', String(HEIGHT), `exec sh -c ${JSON.stringify(`read _; exec ${command}`)}`]);
		this.tmux(['pipe-pane', '-t', 'main', '-o', `cat >> ${this.output}`]);
	}

	private tmux(args: string[]): string {
		return execFileSync('tmux', ['-L', this.socket, '-f', '/dev/null', ...args], {encoding: 'utf8'});
	}

	go(): void {
		this.tmux(['send-keys', '-t', 'main', 'Enter']);
	}

	get pid(): number {
		return Number(this.tmux(['list-panes', '-t', 'main', '-F', '#{pane_pid}']).trim());
	}

	screen(): string {
		return this.tmux(['capture-pane', '-p', '-t', 'main']);
	}

	bytes(): number {
		return existsSync(this.output) ? statSync(this.output).size : 0;
	}

	text(from = 0): string {
		return existsSync(this.output) ? readFileSync(this.output).subarray(from).toString('utf8') : '';
	}

	kill(): void {
		try {
			this.tmux(['kill-server']);
		} catch {
			// gone
		}
		rmSync(this.output, {force: true});
	}
}

/** Poll `check` every 20 ms; the ms it took, or NaN after `limitMs`. */
async function timeUntil(check: () => boolean, started: number, limitMs: number): Promise<number> {
	while (performance.now() - started < limitMs) {
		if (check()) return performance.now() - started;
		await sleep(20);
	}
	return NaN;
}

type Subject = {
	name: string;
	command: string;
	/** The whole picture is on the terminal: every pod counted (rollscope) or listed (kubectl). */
	full(pane: Pane, pods: number): boolean;
	/** After a scale from `pods` to `pods + 1`: the new pod is on screen. `mark` is the output's length before the scale. */
	added(pane: Pane, pods: number, mark: number): boolean;
	/** Back to `pods` after the scale down (kubectl prints lines, so only the cluster tells). */
	removed(pane: Pane, pods: number): boolean;
};

const lines = (text: string) => text.split('\n').length - 1;

function subjects(kubeconfig: string): Subject[] {
	const env = `env KUBECONFIG=${kubeconfig} TERM=xterm-256color`;
	const podsCount = (pods: number) => new RegExp(`PODS\\s+${pods}\\b`);
	return [
		{
			name: 'rollscope',
			command: `${env} ${process.execPath} ${join(repoRoot, 'bin/rollscope.js')} deploy/checkout -n ${NAMESPACE}`,
			full: (pane, pods) => podsCount(pods).test(pane.screen()),
			added: (pane, pods) => podsCount(pods + 1).test(pane.screen()),
			removed: (pane, pods) => podsCount(pods).test(pane.screen()),
		},
		{
			name: 'kubectl get -w',
			command: `${env} kubectl get pods -w -n ${NAMESPACE}`,
			full: (pane, pods) => lines(pane.text()) >= pods + 1,
			added: (pane, _pods, mark) => pane.text(mark).includes(CANARY),
			removed: () => true,
		},
	];
}

type Figures = {
	firstScreenMs: number;
	steadyCpu: number;
	steadyBytesPerSecond: number;
	rss: number;
	rolloutCpu: number;
	rolloutSeconds: number;
	peak: number;
	scaleMs: number[];
};

async function deploymentsDone(client: KubeClient): Promise<boolean> {
	const list = await client.request('GET', `/apis/apps/v1/namespaces/${NAMESPACE}/deployments`);
	return (list.items as any[]).every(d => {
		const s = d.status ?? {};
		const want = d.spec?.replicas ?? 1;
		return (s.observedGeneration ?? 0) >= (d.metadata.generation ?? 0) && s.updatedReplicas === want && s.replicas === want && s.availableReplicas === want;
	});
}

async function canaryReplicas(client: KubeClient): Promise<{spec: number; status: number}> {
	const d = await client.request('GET', `/apis/apps/v1/namespaces/${NAMESPACE}/deployments/${CANARY}`);
	return {spec: d.spec?.replicas ?? 1, status: d.status?.replicas ?? 0};
}

const scaleTo = (client: KubeClient, replicas: number) =>
	client.request('PATCH', `/apis/apps/v1/namespaces/${NAMESPACE}/deployments/${CANARY}/scale`, {body: {spec: {replicas}}, contentType: 'application/merge-patch+json'});

async function measure(subject: Subject, client: KubeClient, kubeconfig: string, pods: number, say: (line: string) => void): Promise<Figures> {
	const pane = new Pane(subject.command);
	try {
		const started = performance.now();
		pane.go();
		const pid = pane.pid;
		const firstScreenMs = await timeUntil(() => subject.full(pane, pods), started, 120_000);
		say(`${subject.name}: first full screen ${(firstScreenMs / 1000).toFixed(2)} s (load ${load()})`);

		await sleep(SETTLE_MS);
		const cpu0 = cpuSeconds(pid);
		const bytes0 = pane.bytes();
		const t0 = performance.now();
		await sleep(STEADY_MS);
		const seconds = (performance.now() - t0) / 1000;
		const steadyCpu = ((cpuSeconds(pid) - cpu0) / seconds) * 100;
		const steadyBytesPerSecond = (pane.bytes() - bytes0) / seconds;
		const {rss} = memory(pid);
		say(`${subject.name}: steady ${steadyCpu.toFixed(1)} % CPU, ${steadyBytesPerSecond.toFixed(0)} B/s, ${rss.toFixed(0)} MB (load ${load()})`);

		const scaleMs: number[] = [];
		const replicas = (await canaryReplicas(client)).spec;
		for (let i = 0; i < SCALES; i++) {
			const mark = pane.bytes();
			const t = performance.now();
			await scaleTo(client, replicas + 1);
			scaleMs.push(await timeUntil(() => subject.added(pane, pods, mark), t, 30_000));
			await scaleTo(client, replicas);
			const back = performance.now();
			while (performance.now() - back < 60_000) {
				const now = await canaryReplicas(client);
				if (now.status === replicas && subject.removed(pane, pods)) break;
				await sleep(250);
			}
			await sleep(1000);
		}
		say(`${subject.name}: scale to screen ${scaleMs.map(ms => ms.toFixed(0)).join(', ')} ms`);

		const cpu1 = cpuSeconds(pid);
		const t1 = performance.now();
		execFileSync('kubectl', ['rollout', 'restart', 'deployment', '-n', NAMESPACE], {env: {...process.env, KUBECONFIG: kubeconfig}, stdio: 'ignore'});
		await sleep(2000);
		while (performance.now() - t1 < ROLLOUT_LIMIT_MS && !(await deploymentsDone(client))) await sleep(1000);
		const rolloutSeconds = (performance.now() - t1) / 1000;
		const rolloutCpu = ((cpuSeconds(pid) - cpu1) / rolloutSeconds) * 100;
		const {peak} = memory(pid);
		say(`${subject.name}: rollout of every pod ${rolloutSeconds.toFixed(0)} s at ${rolloutCpu.toFixed(1)} % CPU, peak ${peak.toFixed(0)} MB (load ${load()})`);
		// The next subject starts on a namespace where nothing moves.
		await sleep(5000);
		return {firstScreenMs, steadyCpu, steadyBytesPerSecond, rss, rolloutCpu, rolloutSeconds, peak, scaleMs};
	} finally {
		pane.kill();
	}
}

async function startSimProcess(pods: number, events: number, kubeconfig: string): Promise<ChildProcess> {
	const child = spawn(process.execPath, ['--import', 'tsx', 'test/bench/sim-process.ts', 'canary', String(pods), kubeconfig, String(events)], {cwd: repoRoot, stdio: ['ignore', 'pipe', 'inherit']});
	await new Promise<void>((resolve, reject) => {
		child.stdout!.once('data', () => resolve());
		child.once('exit', code => reject(new Error(`the sim exited (${code})`)));
	});
	return child;
}

const ratio = (a: number, b: number) => (b > 0 && Number.isFinite(a / b) ? `${(a / b).toFixed(1)}×` : '-');

function table(rows: Array<[string, string, string, string]>): string[] {
	const widths = [0, 1, 2, 3].map(i => Math.max(...rows.map(r => r[i]!.length)));
	return rows.map(r => r.map((cell, i) => (i === 0 ? cell.padEnd(widths[i]!) : cell.padStart(widths[i]!))).join('   '));
}

async function oneSize(pods: number, events: number): Promise<string[]> {
	const out: string[] = [];
	const say = (line: string) => process.stderr.write(`  ${line}\n`);
	const kubeconfig = join(tmpdir(), `rollscope-side-by-side-${process.pid}.kubeconfig`);
	say(`starting the sim with ${pods} pods and ${events} Events (load ${load()})`);
	const sim = await startSimProcess(pods, events, kubeconfig);
	const client = KubeClient.fromString(readFileSync(kubeconfig, 'utf8'), NAMESPACE);
	try {
		const figures: Figures[] = [];
		for (const subject of subjects(kubeconfig)) figures.push(await measure(subject, client, kubeconfig, pods, say));
		const [a, b] = figures as [Figures, Figures];
		const s = (ms: number) => `${(ms / 1000).toFixed(2)} s`;
		const pct = (x: number) => `${x.toFixed(1)} %`;
		const mb = (x: number) => `${x.toFixed(0)} MB`;
		out.push(`${pods.toLocaleString('en')} pods${events ? ` and ${events.toLocaleString('en')} Events` : ''} (load ${load()} at the end):`);
		out.push(
			...table([
				['', 'rollscope', 'kubectl get -w', 'ratio'],
				['time to the first full screen', s(a.firstScreenMs), s(b.firstScreenMs), ratio(a.firstScreenMs, b.firstScreenMs)],
				[`steady CPU over ${STEADY_MS / 1000} s (% of a core)`, pct(a.steadyCpu), pct(b.steadyCpu), ratio(a.steadyCpu, b.steadyCpu)],
				['CPU while every pod rolls', `${pct(a.rolloutCpu)} (${a.rolloutSeconds.toFixed(0)} s)`, `${pct(b.rolloutCpu)} (${b.rolloutSeconds.toFixed(0)} s)`, ratio(a.rolloutCpu, b.rolloutCpu)],
				['resident memory, steady', mb(a.rss), mb(b.rss), ratio(a.rss, b.rss)],
				['resident memory, peak', mb(a.peak), mb(b.peak), ratio(a.peak, b.peak)],
				['bytes to the terminal, steady', `${a.steadyBytesPerSecond.toFixed(0)} B/s`, `${b.steadyBytesPerSecond.toFixed(0)} B/s`, ratio(a.steadyBytesPerSecond, b.steadyBytesPerSecond)],
				[`scale to the new pod on screen (median of ${SCALES})`, `${median(a.scaleMs).toFixed(0)} ms`, `${median(b.scaleMs).toFixed(0)} ms`, ratio(median(a.scaleMs), median(b.scaleMs))],
			]).map(l => `  ${l}`),
		);
	} finally {
		await client.close();
		sim.kill('SIGTERM');
		await new Promise(r => sim.once('exit', r));
		rmSync(kubeconfig, {force: true});
	}
	return out;
}

export async function benchSideBySide(): Promise<string[]> {
	await bundlePackage();
	const asked = process.argv.slice(3).map(Number).filter(n => n > 0);
	const sizes = (asked.length > 0 ? asked : [1000, 5000]).map(pods => ({pods, events: pods >= 5000 ? 20_000 : 0}));
	const out = [`rollscope's view (node bin/rollscope.js, the compiled package) and kubectl get pods -w, each in a ${WIDTH}×${HEIGHT} tmux terminal, on ${process.platform} with Node ${process.version}`];
	for (const {pods, events} of sizes) out.push(...(await oneSize(pods, events)));
	return out;
}
