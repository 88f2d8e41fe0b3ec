// Sim benchmarks: list throughput with 1,000 pods; time to deliver one change to 50 watchers
// with 5,000 pods stored, over HTTPS as the admin (by token). Prints figures; asserts nothing.
import https from 'node:https';
import {newCredentials} from '../../source/sim/credentials.js';
import {startApiServer} from '../../source/sim/server.js';
import {ObjectStore} from '../../source/sim/store.js';

function pod(namespace: string, i: number) {
	return {
		metadata: {name: `web-5d59d67564-${String(i).padStart(5, '0')}`, namespace, labels: {app: 'web', 'pod-template-hash': '5d59d67564'}},
		spec: {containers: [{name: 'web', image: 'registry.local/web:1.0.0', ports: [{containerPort: 8080}]}], nodeName: 'sim-node-1'},
		status: {phase: 'Running', podIP: `10.1.${Math.floor(i / 250)}.${i % 250}`, conditions: [{type: 'Ready', status: 'True'}], containerStatuses: [{name: 'web', ready: true, restartCount: 0, state: {running: {startedAt: '2026-01-01T00:00:00Z'}}}]},
	};
}

const percentile = (xs: number[], p: number) => {
	const s = [...xs].sort((a, b) => a - b);
	return s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)]!;
};

const credentials = newCredentials('bench');
const headers = {Authorization: `Bearer ${credentials.accounts.find(a => a.name === 'admin')!.token}`};
const agent = new https.Agent({keepAlive: true, maxSockets: 64, ca: credentials.ca.cert});
const get = (url: string) =>
	new Promise<number>((resolve, reject) => {
		https.get(url, {agent, headers}, res => {
			let n = 0;
			res.on('data', d => (n += d.length));
			res.on('end', () => resolve(n));
		}).on('error', reject);
	});

export async function benchList(): Promise<string[]> {
	const store = new ObjectStore();
	store.create('namespaces', {metadata: {name: 'bench'}});
	for (let i = 0; i < 1000; i++) store.create('pods', pod('bench', i));
	const server = await startApiServer(store, {credentials});
	const url = `${server.url}/api/v1/namespaces/bench/pods`;
	await get(url);
	const rounds = 30;
	const started = performance.now();
	let bytes = 0;
	for (let i = 0; i < rounds; i++) bytes += await get(url);
	const seconds = (performance.now() - started) / 1000;
	await server.close();
	return [
		`list 1,000 pods: ${(rounds / seconds).toFixed(1)} lists/s, ${((rounds * 1000) / seconds).toFixed(0)} pods/s, ${(bytes / rounds / 1024).toFixed(0)} KiB per list`,
	];
}

export async function benchWatchFanout(): Promise<string[]> {
	const store = new ObjectStore();
	store.create('namespaces', {metadata: {name: 'bench'}});
	for (let i = 0; i < 5000; i++) store.create('pods', pod('bench', i));
	const server = await startApiServer(store, {credentials});
	const watchers = 50;
	const arrivals: Array<(name: string) => void> = [];
	const requests: Array<ReturnType<typeof https.get>> = [];
	const fresh = new https.Agent({keepAlive: true, maxSockets: 100, ca: credentials.ca.cert});
	await Promise.all(
		Array.from({length: watchers}, (_, w) =>
			new Promise<void>(resolve => {
				const req = https.get(`${server.url}/api/v1/namespaces/bench/pods?watch=true&resourceVersion=${store.resourceVersion}`, {agent: fresh, headers}, res => {
					let buffer = '';
					res.on('data', d => {
						buffer += String(d);
						let nl;
						while ((nl = buffer.indexOf('\n')) >= 0) {
							const line = buffer.slice(0, nl);
							buffer = buffer.slice(nl + 1);
							arrivals[w]?.(JSON.parse(line).object.metadata.annotations?.mark ?? '');
						}
					});
					resolve();
				});
				requests.push(req);
			}),
		),
	);
	const samples: number[] = [];
	for (let round = 0; round < 100; round++) {
		const mark = `m${round}`;
		const started = performance.now();
		const done = Promise.all(
			Array.from({length: watchers}, (_, w) =>
				new Promise<void>(resolve => {
					arrivals[w] = got => {
						if (got === mark) {
							samples.push(performance.now() - started);
							resolve();
						}
					};
				}),
			),
		);
		store.mutate('pods', 'bench', `web-5d59d67564-${String(round).padStart(5, '0')}`, o => {
			o.metadata.annotations = {mark};
		});
		await done;
	}
	for (const r of requests) r.destroy();
	await server.close();
	return [
		`one change to 50 watchers, 5,000 pods stored: p50 ${percentile(samples, 50).toFixed(1)} ms, p99 ${percentile(samples, 99).toFixed(1)} ms (goal: p99 < 200 ms; ${samples.length} deliveries)`,
	];
}
