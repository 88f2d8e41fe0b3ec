// A private Prometheus for the demo (and tests): the `prometheus` binary from the PATH, its config
// and data in a temporary directory, listening on a free loopback port, scraping the given targets
// every second. Stopped by its PID.
import {spawn, type ChildProcess} from 'node:child_process';
import {accessSync, constants, mkdtempSync, openSync, closeSync, rmSync, writeFileSync} from 'node:fs';
import {createServer} from 'node:net';
import {tmpdir} from 'node:os';
import {delimiter, join} from 'node:path';

/** The path of an executable on the PATH, or undefined. */
export function findOnPath(name: string, path = process.env.PATH ?? ''): string | undefined {
	for (const dir of path.split(delimiter)) {
		if (!dir) continue;
		const candidate = join(dir, name);
		try {
			accessSync(candidate, constants.X_OK);
			return candidate;
		} catch {
			// not here
		}
	}
	return undefined;
}

/** A port on 127.0.0.1 that was free a moment ago. */
export function freePort(): Promise<number> {
	return new Promise((resolve, reject) => {
		const server = createServer();
		server.once('error', reject);
		server.listen(0, '127.0.0.1', () => {
			const address = server.address();
			const port = typeof address === 'object' && address ? address.port : 0;
			server.close(() => resolve(port));
		});
	});
}

export function scrapeConfig(targets: readonly string[], scrapeSeconds: number): string {
	const interval = `${scrapeSeconds}s`;
	return [
		'global:',
		`  scrape_interval: ${interval}`,
		`  scrape_timeout: ${interval}`,
		`  evaluation_interval: ${interval}`,
		'scrape_configs:',
		'  - job_name: rollscope-sim',
		'    metrics_path: /metrics',
		'    static_configs:',
		`      - targets: [${targets.map(t => JSON.stringify(t)).join(', ')}]`,
		'',
	].join('\n');
}

export type LocalPrometheus = {
	url: string;
	port: number;
	pid: number;
	/** Holds prometheus.yml, data/ and prometheus.log. */
	dir: string;
	/** Stop the process (SIGTERM, then SIGKILL); the directory is removed unless keepData. */
	stop(options?: {keepData?: boolean}): Promise<void>;
};

export type LocalPrometheusOptions = {
	/** host:port of each /metrics endpoint to scrape. */
	targets: string[];
	scrapeSeconds?: number;
	binary?: string;
	/** Reuse a directory (and its data) of an earlier run. */
	dir?: string;
	port?: number;
	readyTimeoutMs?: number;
};

async function ready(url: string, child: ChildProcess, timeoutMs: number, log: string): Promise<void> {
	const deadline = Date.now() + timeoutMs;
	for (;;) {
		if (child.exitCode !== null || child.signalCode !== null) throw new Error(`prometheus exited at start (code ${child.exitCode ?? child.signalCode}); see ${log}`);
		try {
			const res = await fetch(`${url}/-/ready`, {signal: AbortSignal.timeout(1000)});
			if (res.ok) return;
		} catch {
			// not yet
		}
		if (Date.now() > deadline) throw new Error(`prometheus did not become ready within ${timeoutMs} ms; see ${log}`);
		await new Promise(r => setTimeout(r, 100));
	}
}

function waitExit(child: ChildProcess, ms: number): Promise<boolean> {
	if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve(true);
	return new Promise(resolve => {
		const timer = setTimeout(() => resolve(false), ms);
		child.once('exit', () => {
			clearTimeout(timer);
			resolve(true);
		});
	});
}

export async function startLocalPrometheus(options: LocalPrometheusOptions): Promise<LocalPrometheus> {
	const binary = options.binary ?? findOnPath('prometheus');
	if (!binary) throw new Error('no prometheus binary on the PATH');
	const dir = options.dir ?? mkdtempSync(join(tmpdir(), 'rollscope-prometheus-'));
	const configFile = join(dir, 'prometheus.yml');
	writeFileSync(configFile, scrapeConfig(options.targets, options.scrapeSeconds ?? 1));
	const port = options.port ?? (await freePort());
	const url = `http://127.0.0.1:${port}`;
	const log = join(dir, 'prometheus.log');
	const out = openSync(log, 'a');
	const child = spawn(
		binary,
		[
			`--config.file=${configFile}`,
			`--storage.tsdb.path=${join(dir, 'data')}`,
			`--web.listen-address=127.0.0.1:${port}`,
			'--storage.tsdb.retention.time=2h',
			'--log.level=warn',
		],
		{stdio: ['ignore', out, out], detached: false},
	);
	closeSync(out);
	child.unref();
	// Should this process end without stopping it (a crash), take it along.
	const orphanGuard = () => {
		if (child.exitCode === null && child.signalCode === null && child.pid) process.kill(child.pid, 'SIGTERM');
	};
	process.once('exit', orphanGuard);
	const stop = async (stopOptions: {keepData?: boolean} = {}) => {
		process.off('exit', orphanGuard);
		if (child.exitCode === null && child.signalCode === null && child.pid) {
			process.kill(child.pid, 'SIGTERM');
			if (!(await waitExit(child, 5000)) && child.pid) {
				process.kill(child.pid, 'SIGKILL');
				await waitExit(child, 2000);
			}
		}
		if (!stopOptions.keepData && !options.dir) rmSync(dir, {recursive: true, force: true});
	};
	try {
		await ready(url, child, options.readyTimeoutMs ?? 30_000, log);
	} catch (error) {
		await stop({keepData: true});
		throw error;
	}
	return {url, port, pid: child.pid!, dir, stop};
}
