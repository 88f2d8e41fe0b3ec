// The list of every namespace (`rollscope -A`) with a few hundred releases made from the canonical cases:
// detecting and building every row once, again when one namespace changed, ordering them, and the frame of
// the list after a change. The Argo dashboard freezes at about 123 Rollouts (argo-rollouts#4733). Prints figures.
import {Writable, PassThrough} from 'node:stream';
import {render} from 'ink';
import {namespaceCache} from '../../source/live/cluster-watch.js';
import {initialClusterState} from '../../source/store/cluster-state.js';
import {ClusterStore} from '../../source/store/cluster-store.js';
import {AllReleases} from '../../source/ui/AllReleases.js';
import {orderClusterRows} from '../../source/ui/ClusterPicker.js';
import {manyNamespaces, withCrashingPod} from '../helpers/many-releases.js';

class Screen extends Writable {
	isTTY = true;
	columns = 160;
	rows = 50;
	writes: Array<{at: number; text: string}> = [];
	override _write(chunk: Buffer, _enc: string, done: () => void) {
		this.writes.push({at: performance.now(), text: String(chunk)});
		if (this.writes.length > 2000) this.writes.splice(0, 1000);
		done();
	}
}

const sleep = (ms: number) => new Promise(r => setTimeout(r, ms));
const percentile = (xs: number[], p: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.ceil((p / 100) * xs.length) - 1)]!;
const ms = (x: number) => `${x.toFixed(1)} ms`;

function timed<T>(work: () => T): [T, number] {
	const t0 = performance.now();
	const value = work();
	return [value, performance.now() - t0];
}

export async function benchAllNamespaces(): Promise<string[]> {
	const lines: string[] = [];
	for (const count of [120, 300, 600]) {
		const groups = manyNamespaces(count);
		const objects = [...groups.values()].reduce((n, lists) => n + Object.values(lists).reduce((m, l) => m + (l?.length ?? 0), 0), 0);
		const cache = namespaceCache();
		const [first, all] = timed(() => cache.rebuild(groups));
		const [, same] = timed(() => cache.rebuild(groups));
		const changes: number[] = [];
		const names = [...groups.keys()];
		for (let i = 0; i < 20; i++) {
			const namespace = names[(i * 37) % names.length]!;
			groups.set(namespace, withCrashingPod(groups.get(namespace)!));
			changes.push(timed(() => cache.rebuild(groups))[1]);
		}
		const [, order] = timed(() => orderClusterRows(first.built.map(b => b.row), {}, ''));
		lines.push(`${count} releases (${objects} objects): all rows ${ms(all)}, nothing changed ${ms(same)}, one namespace changed p50 ${ms(percentile(changes, 50))} p99 ${ms(percentile(changes, 99))}, ordering ${ms(order)}`);
	}

	// The frame: 300 releases in the list, one turns failing; time until the screen shows it at the top.
	const groups = manyNamespaces(300);
	const cache = namespaceCache();
	const store = new ClusterStore(initialClusterState('bench'));
	const publish = () => {
		const {built, namespaces} = cache.rebuild(groups);
		store.dispatch({type: 'rows', rows: built.map(b => b.row), namespaces, loaded: true});
	};
	publish();
	store.dispatch({type: 'connection', connection: {state: 'live', since: Date.now()}});
	const screen = new Screen();
	const stdin = Object.assign(new PassThrough(), {isTTY: true, setRawMode: () => {}, ref: () => {}, unref: () => {}});
	const instance = render(<AllReleases store={store} width={160} height={50} onQuit={() => {}} onOpen={() => {}} />, {
		stdout: screen as unknown as NodeJS.WriteStream,
		stdin: stdin as unknown as NodeJS.ReadStream,
		interactive: true,
		incrementalRendering: true,
		maxFps: 20,
		exitOnCtrlC: false,
		patchConsole: false,
	});
	await sleep(500);
	const samples: number[] = [];
	const names = [...groups.keys()].filter(ns => ns.startsWith('canary-'));
	for (let i = 0; i < 20 && i < names.length; i++) {
		const namespace = names[i]!;
		const from = screen.writes.length;
		const started = performance.now();
		groups.set(namespace, withCrashingPod(groups.get(namespace)!));
		publish();
		for (let k = 0; k < 400; k++) {
			const hit = screen.writes.slice(from).find(w => w.at >= started && w.text.includes(namespace));
			if (hit) {
				samples.push(hit.at - started);
				break;
			}
			await sleep(5);
		}
		await sleep(100);
	}
	lines.push(`300 releases on screen, one turns failing to the frame (${samples.length} samples, store batch 100 ms): p50 ${ms(percentile(samples, 50))}, p99 ${ms(percentile(samples, 99))}`);
	instance.unmount();
	store.close();
	return lines;
}
