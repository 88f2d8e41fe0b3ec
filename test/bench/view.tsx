// View benchmarks with 1,000 pods in the release: event-to-screen latency for a pod change,
// CPU of one core at steady state, and bytes written to the terminal per second when only the
// clock moves. The sim runs in another process so only the view is measured. Prints figures.
import {spawn} from 'node:child_process';
import {readFileSync} from 'node:fs';
import {Writable} from 'node:stream';
import {render} from 'ink';
import {KubeClient} from '../../source/kube/client.js';
import {watchRelease} from '../../source/live/release-watch.js';
import {initialState} from '../../source/store/state.js';
import {Store} from '../../source/store/store.js';
import {App} from '../../source/ui/App.js';

class Screen extends Writable {
	isTTY = true;
	columns = 160;
	rows = 50;
	bytes = 0;
	writes: Array<{at: number; text: string}> = [];
	override _write(chunk: Buffer, _enc: string, done: () => void) {
		const text = String(chunk);
		this.bytes += Buffer.byteLength(text);
		this.writes.push({at: performance.now(), text});
		if (this.writes.length > 2000) this.writes.splice(0, 1000);
		done();
	}
}

const sleep = (ms: number) => new Promise(r => setTimeout(r, ms));
const percentile = (xs: number[], p: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.ceil((p / 100) * xs.length) - 1)]!;

export async function benchView(): Promise<string[]> {
	const kubeconfigPath = `/tmp/rollscope-bench-${process.pid}.kubeconfig`;
	const child = spawn(process.execPath, ['--import', 'tsx', 'test/bench/sim-process.ts', 'canary', '1000', kubeconfigPath], {stdio: ['ignore', 'pipe', 'inherit']});
	await new Promise<void>(resolve => child.stdout.once('data', () => resolve()));
	const client = KubeClient.fromString(readFileSync(kubeconfigPath, 'utf8'));
	const store = new Store(initialState(client.context, client.namespace, 'deploy/checkout'));
	const watch = watchRelease(client, store);
	const screen = new Screen();
	const stdin = Object.assign(new (await import('node:stream')).PassThrough(), {isTTY: true, setRawMode: () => {}, ref: () => {}, unref: () => {}});
	const instance = render(<App store={store} width={160} height={50} onQuit={() => {}} />, {
		stdout: screen as unknown as NodeJS.WriteStream,
		stdin: stdin as unknown as NodeJS.ReadStream,
		interactive: true,
		incrementalRendering: true,
		maxFps: 20,
		exitOnCtrlC: false,
		patchConsole: false,
	});
	// Wait until all pods are loaded and ready.
	for (let i = 0; i < 600; i++) {
		const r = store.getState().release;
		if (r && r.pods.length >= 990 && r.pods.every(p => p.ready)) break;
		await sleep(100);
	}
	const lines: string[] = [];
	const release = store.getState().release;
	lines.push(`release: ${release?.pods.length ?? 0} pods, ${release?.versions.length ?? 0} versions`);

	// Steady state: only the clock moves.
	await sleep(3000);
	const cpu0 = process.cpuUsage();
	const bytes0 = screen.bytes;
	const t0 = performance.now();
	await sleep(30_000);
	const seconds = (performance.now() - t0) / 1000;
	const cpu = process.cpuUsage(cpu0);
	lines.push(`steady state over ${seconds.toFixed(0)} s: CPU ${(((cpu.user + cpu.system) / 1e6 / seconds) * 100).toFixed(2)} % of one core (goal < 3 %), ${((screen.bytes - bytes0) / seconds).toFixed(0)} B/s to the terminal (goal < 2 KB/s)`);

	// Event to screen: change one visible pod's restart count and time until the frame shows it.
	const samples: number[] = [];
	const visible = store.getState().release!.pods.find(p => p.version === 'checkout-canary') ?? store.getState().release!.pods[0]!;
	for (let round = 0; round < 30; round++) {
		const pod = await client.request('GET', `/api/v1/namespaces/${client.namespace}/pods/${visible.name}`);
		// Every digit differs from the previous round's, so an incremental frame writes all of them.
		const restarts = 1111 * ((round % 9) + 1);
		const statuses = (pod.status.containerStatuses ?? []).map((c: any) => ({...c, restartCount: restarts}));
		const from = screen.writes.length;
		const started = performance.now();
		await client.request('PATCH', `/api/v1/namespaces/${client.namespace}/pods/${visible.name}/status`, {body: {status: {containerStatuses: statuses}}, contentType: 'application/merge-patch+json'});
		for (let i = 0; i < 400; i++) {
			const hit = screen.writes.slice(Math.max(0, from - 5)).find(w => w.at >= started && w.text.includes(String(restarts)));
			if (hit) {
				samples.push(hit.at - started);
				break;
			}
			await sleep(5);
		}
		await sleep(100);
	}
	lines.push(`pod change to screen (${samples.length} samples): p50 ${percentile(samples, 50).toFixed(0)} ms, p99 ${percentile(samples, 99).toFixed(0)} ms (goal: p99 < 150 ms)`);

	instance.unmount();
	watch.stop();
	store.close();
	child.kill('SIGTERM');
	return lines;
}
