// `npm run bench -- side-by-side [PODS...]`: rollscope's live view (the compiled package, as installed) and
// `kubectl get pods -w`, each in its own tmux terminal against the same sim in the same run, at 1,000 pods
// and at 5,000 pods with 20,000 Events, on a release a day old: time to the first full screen (each
// started alone, the two in turn), then both running side by side: steady CPU, bytes to the terminal,
// resident memory, time from `kubectl scale` to the new pod on screen, CPU while every pod rolls, and steady
// CPU again once the rollout is done (every pod then under two minutes old, whose ages the view redraws every
// 5 s); then the ratios. The sim runs in a process of its own; only the two subjects are measured. Prints
// figures, asserts nothing.
import {execFileSync, spawn, type ChildProcess} from 'node:child_process';
import {randomBytes} from 'node:crypto';
import {existsSync, readdirSync, readFileSync, rmSync, statSync} from 'node:fs';
import {loadavg, tmpdir} from 'node:os';
import {delimiter, dirname, join} from 'node:path';
import {bundlePackage, repoRoot} from '../../source/build/bundles.js';
import {KubeClient} from '../../source/kube/client.js';

const WIDTH = 160;
const HEIGHT = 50;
const STEADY_MS = 30_000;
const SETTLE_MS = 5000;
const SCALES = 5;
const FIRST_SCREENS = 5;
const ROLLOUT_LIMIT_MS = 240_000;
/** How old the release is when the subjects start: a fleet between rollouts. */
const RELEASE_AGE_HOURS = 24;
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
	// The installed command as a user runs it: bin/rollscope.js started by its own first line, with this Node
	// first on the PATH (as npm's links to it are run).
	const nodeFirst = `PATH=${JSON.stringify(`${dirname(process.execPath)}${delimiter}${process.env.PATH ?? ''}`)}`;
	const podsCount = (pods: number) => new RegExp(`PODS\\s+${pods}\\b`);
	return [
		{
			name: 'rollscope',
			command: `${env} ${nodeFirst} ${join(repoRoot, 'bin/rollscope.js')} deploy/checkout -n ${NAMESPACE}`,
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
	firstScreenMs: number[];
	steadyCpu: number;
	steadyBytesPerSecond: number;
	rss: number;
	rolloutCpu: number;
	rolloutSeconds: number;
	/** Steady CPU once the rollout is done. */
	youngCpu: number;
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

const kubectl = (kubeconfig: string, args: string[]) => execFileSync('kubectl', [...args, '-n', NAMESPACE], {env: {...process.env, KUBECONFIG: kubeconfig}, stdio: 'ignore'});

/** Start a subject and time its first full screen; it is stopped again. */
async function firstScreen(subject: Subject, pods: number): Promise<number> {
	const pane = new Pane(subject.command);
	try {
		const started = performance.now();
		pane.go();
		return await timeUntil(() => subject.full(pane, pods), started, 120_000);
	} finally {
		pane.kill();
	}
}

/**
 * Both subjects running side by side, under the same load and the same changes: steady CPU and bytes, memory,
 * `kubectl scale` (timed from the moment it starts, as an operator types it) to the new pod on screen, and CPU
 * while `kubectl rollout restart` replaces every pod.
 */
async function sideBySide(subjects: Subject[], client: KubeClient, kubeconfig: string, pods: number, say: (line: string) => void): Promise<Array<Omit<Figures, 'firstScreenMs'>>> {
	const panes = subjects.map(s => new Pane(s.command));
	try {
		for (const pane of panes) pane.go();
		await Promise.all(subjects.map((s, i) => timeUntil(() => s.full(panes[i]!, pods), performance.now(), 120_000)));
		const pids = panes.map(p => p.pid);
		await sleep(SETTLE_MS);
		const steady = async () => {
			const cpu0 = pids.map(cpuSeconds);
			const bytes0 = panes.map(p => p.bytes());
			const t0 = performance.now();
			await sleep(STEADY_MS);
			const seconds = (performance.now() - t0) / 1000;
			return {cpu: pids.map((pid, i) => ((cpuSeconds(pid) - cpu0[i]!) / seconds) * 100), bytesPerSecond: panes.map((p, i) => (p.bytes() - bytes0[i]!) / seconds)};
		};
		const {cpu: steadyCpu, bytesPerSecond: steadyBytesPerSecond} = await steady();
		const rss = pids.map(pid => memory(pid).rss);
		say(`steady: ${subjects.map((s, i) => `${s.name} ${steadyCpu[i]!.toFixed(1)} % CPU, ${steadyBytesPerSecond[i]!.toFixed(0)} B/s, ${rss[i]!.toFixed(0)} MB`).join('; ')} (load ${load()})`);

		const scaleMs: number[][] = subjects.map(() => []);
		const replicas = (await canaryReplicas(client)).spec;
		for (let round = 0; round < SCALES; round++) {
			const marks = panes.map(p => p.bytes());
			const t = performance.now();
			const seen = subjects.map((s, i) => timeUntil(() => s.added(panes[i]!, pods, marks[i]!), t, 30_000));
			kubectl(kubeconfig, ['scale', `deployment/${CANARY}`, `--replicas=${replicas + 1}`]);
			(await Promise.all(seen)).forEach((ms, i) => scaleMs[i]!.push(ms));
			kubectl(kubeconfig, ['scale', `deployment/${CANARY}`, `--replicas=${replicas}`]);
			const back = performance.now();
			while (performance.now() - back < 60_000) {
				if ((await canaryReplicas(client)).status === replicas && subjects.every((s, i) => s.removed(panes[i]!, pods))) break;
				await sleep(250);
			}
			await sleep(1000);
		}
		say(`kubectl scale to screen: ${subjects.map((s, i) => `${s.name} ${scaleMs[i]!.map(ms => ms.toFixed(0)).join(', ')} ms`).join('; ')}`);

		const cpu1 = pids.map(cpuSeconds);
		const t1 = performance.now();
		kubectl(kubeconfig, ['rollout', 'restart', 'deployment']);
		await sleep(2000);
		while (performance.now() - t1 < ROLLOUT_LIMIT_MS && !(await deploymentsDone(client))) await sleep(1000);
		const rolloutSeconds = (performance.now() - t1) / 1000;
		const rolloutCpu = pids.map((pid, i) => ((cpuSeconds(pid) - cpu1[i]!) / rolloutSeconds) * 100);
		const peak = pids.map(pid => memory(pid).peak);
		say(`rollout of every pod, ${rolloutSeconds.toFixed(0)} s: ${subjects.map((s, i) => `${s.name} ${rolloutCpu[i]!.toFixed(1)} % CPU, peak ${peak[i]!.toFixed(0)} MB`).join('; ')} (load ${load()})`);

		await sleep(SETTLE_MS);
		const {cpu: youngCpu} = await steady();
		say(`steady after the rollout: ${subjects.map((s, i) => `${s.name} ${youngCpu[i]!.toFixed(1)} % CPU`).join('; ')} (load ${load()})`);
		return subjects.map((_, i) => ({steadyCpu: steadyCpu[i]!, steadyBytesPerSecond: steadyBytesPerSecond[i]!, rss: rss[i]!, rolloutCpu: rolloutCpu[i]!, rolloutSeconds, youngCpu: youngCpu[i]!, peak: peak[i]!, scaleMs: scaleMs[i]!}));
	} finally {
		for (const pane of panes) pane.kill();
	}
}

async function startSimProcess(pods: number, events: number, kubeconfig: string): Promise<ChildProcess> {
	const child = spawn(process.execPath, ['--import', 'tsx', 'test/bench/sim-process.ts', 'canary', String(pods), kubeconfig, String(events), String(RELEASE_AGE_HOURS)], {cwd: repoRoot, stdio: ['ignore', 'pipe', 'inherit']});
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
	say(`starting the sim with ${pods} pods and ${events} Events, the release ${RELEASE_AGE_HOURS} h old (load ${load()})`);
	const sim = await startSimProcess(pods, events, kubeconfig);
	const client = KubeClient.fromString(readFileSync(kubeconfig, 'utf8'), NAMESPACE);
	try {
		const both = subjects(kubeconfig);
		// Each started once first, not counted: as on a machine where it has run before, rollscope has V8's code
		// cache of its start (source/build/run-bundle.ts) and both have their files in the page cache.
		for (const subject of both) await firstScreen(subject, pods);
		// First screens one at a time, the two in turn, so that each has the machine as the other had it.
		const first: number[][] = both.map(() => []);
		for (let round = 0; round < FIRST_SCREENS; round++) {
			for (const [i, subject] of both.entries()) first[i]!.push(await firstScreen(subject, pods));
			say(`first full screen, round ${round + 1}: ${both.map((s, i) => `${s.name} ${(first[i]!.at(-1)! / 1000).toFixed(2)} s`).join(', ')} (load ${load()})`);
		}
		const rest = await sideBySide(both, client, kubeconfig, pods, say);
		const [a, b] = rest.map((r, i) => ({...r, firstScreenMs: first[i]!})) as [Figures, Figures];
		const s = (ms: number) => `${(ms / 1000).toFixed(2)} s`;
		const pct = (x: number) => `${x.toFixed(1)} %`;
		const mb = (x: number) => `${x.toFixed(0)} MB`;
		out.push(`${pods.toLocaleString('en')} pods${events ? ` and ${events.toLocaleString('en')} Events` : ''} (load ${load()} at the end):`);
		out.push(
			...table([
				['', 'rollscope', 'kubectl get -w', 'ratio'],
				[`time to the first full screen (median of ${FIRST_SCREENS})`, s(median(a.firstScreenMs)), s(median(b.firstScreenMs)), ratio(median(a.firstScreenMs), median(b.firstScreenMs))],
				[`steady CPU over ${STEADY_MS / 1000} s (% of a core), pods ${RELEASE_AGE_HOURS} h old`, pct(a.steadyCpu), pct(b.steadyCpu), ratio(a.steadyCpu, b.steadyCpu)],
				[`CPU while every pod rolls (${a.rolloutSeconds.toFixed(0)} s)`, pct(a.rolloutCpu), pct(b.rolloutCpu), ratio(a.rolloutCpu, b.rolloutCpu)],
				[`steady CPU over ${STEADY_MS / 1000} s after it (the newest pods under 2 min old)`, pct(a.youngCpu), pct(b.youngCpu), ratio(a.youngCpu, b.youngCpu)],
				['resident memory, steady', mb(a.rss), mb(b.rss), ratio(a.rss, b.rss)],
				['resident memory, peak', mb(a.peak), mb(b.peak), ratio(a.peak, b.peak)],
				['bytes to the terminal, steady', `${a.steadyBytesPerSecond.toFixed(0)} B/s`, `${b.steadyBytesPerSecond.toFixed(0)} B/s`, ratio(a.steadyBytesPerSecond, b.steadyBytesPerSecond)],
				[`kubectl scale to the new pod on screen (median of ${SCALES})`, `${median(a.scaleMs).toFixed(0)} ms`, `${median(b.scaleMs).toFixed(0)} ms`, ratio(median(a.scaleMs), median(b.scaleMs))],
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
	const out = [`rollscope's view (bin/rollscope.js, the installed command on the compiled package) and kubectl get pods -w, each in a ${WIDTH}×${HEIGHT} tmux terminal, on ${process.platform} with Node ${process.version}`];
	for (const {pods, events} of sizes) out.push(...(await oneSize(pods, events)));
	return out;
}
