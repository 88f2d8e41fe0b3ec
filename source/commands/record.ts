// `rollscope record TARGET -o FILE [--for D]`: records a release headless, for `rollscope replay`: the watch
// events, the SLI samples and verdicts (with a Prometheus), flushed to FILE as they come, until --for is up or
// ctrl-c (SIGINT or SIGTERM) stops it.
import {existsSync} from 'node:fs';
import {KubeClient} from '../kube/client.js';
import type {Settings} from '../config/settings.js';
import {RecordingWriter} from '../history/recording-file.js';
import {RecordingError} from '../history/recording.js';
import {elapsed} from '../history/time.js';
import {startPoller} from '../live/metrics-poller.js';
import {startRecorder} from '../live/recorder.js';
import {firstRelease, watchRelease} from '../live/release-watch.js';
import {startVerdictPoller} from '../live/verdict-poller.js';
import {initialState} from '../store/state.js';
import {Store} from '../store/store.js';
import {parseDuration} from '../text/units.js';
import {usageError, type Flags} from './flags.js';
import {prometheusMetrics} from './metrics-setup.js';
import {verdictOptions} from './open-view.js';

const fail = (message: string, code: number) => {
	process.stderr.write(`rollscope record: ${message}\n`);
	return code;
};

export async function runRecord(target: string | undefined, flags: Flags, settings: Settings): Promise<number> {
	if (!target) usageError('record needs a TARGET, such as deploy/checkout: rollscope record TARGET -o FILE');
	// -o's default is the text format; a recording needs a file named.
	const file = flags.output;
	if (file === 'text' || file === '') usageError('record needs -o FILE: where to write the recording');
	let forMs: number | undefined;
	if (flags.for !== undefined) {
		const parsed = parseDuration(flags.for);
		if ('error' in parsed) usageError(`--for: ${parsed.error}`);
		forMs = parsed.value * 1000;
	}
	if (existsSync(file)) return fail(`${file} already exists; record into a new file`, 2);
	let client: KubeClient;
	try {
		client = KubeClient.load({kubeconfig: flags.kubeconfig, context: flags.context, namespace: flags.namespace});
	} catch (error) {
		return fail((error as Error).message, 1);
	}

	const store = new Store(initialState(client.context, client.namespace, target));
	const watch = watchRelease(client, store);
	const stops: Array<() => void> = [() => watch.stop()];
	try {
		// Nothing is written until the release is there: an unknown target leaves no file behind.
		const found = await firstRelease(store, client.server);
		if (typeof found === 'string') return fail(found, 1);

		const metrics = prometheusMetrics(settings);
		if (metrics) {
			const poller = startPoller({store, source: metrics.source, settings: metrics.settings});
			stops.push(() => poller.stop());
			const verdict = verdictOptions(settings, flags);
			const verdictPoller = startVerdictPoller({store, windows: metrics.windows, windowSeconds: verdict.windowSeconds, intervalMs: verdict.intervalMs, judge: verdict.judge});
			stops.push(() => verdictPoller.stop());
		}
		let writer: RecordingWriter;
		const started = Date.now();
		try {
			writer = await RecordingWriter.create(file, {started, context: client.context, namespace: client.namespace, target});
		} catch (error) {
			if (error instanceof RecordingError) return fail(error.message, 2);
			throw error;
		}
		const recorder = startRecorder({store, snapshot: watch.snapshot, writer});
		const release = store.getState().release!;
		process.stderr.write(`recording ${release.target} in ${release.namespace} to ${file}${forMs === undefined ? '' : ` for ${elapsed(forMs)}`}${metrics ? ` with SLIs from ${metrics.source.describe()}` : ' (no Prometheus: no SLIs)'}; ctrl-c stops\n`);
		await new Promise<void>(resolve => {
			const timer = forMs === undefined ? undefined : setTimeout(resolve, forMs);
			const stop = () => {
				clearTimeout(timer);
				resolve();
			};
			process.once('SIGINT', stop);
			process.once('SIGTERM', stop);
			stops.push(() => {
				process.off('SIGINT', stop);
				process.off('SIGTERM', stop);
			});
			// Writing stopped (a full disk): no use going on.
			const check = setInterval(() => {
				if (writer.problem) stop();
			}, 1000);
			check.unref();
			stops.push(() => clearInterval(check));
		});
		for (const s of stops.splice(1)) s();
		await recorder.stop();
		if (writer.problem) return fail(`recording stopped: ${writer.problem}`, 1);
		process.stdout.write(`recorded ${elapsed(Date.now() - started)} of ${release.target} in ${release.namespace} to ${file}: ${writer.entries} records, ${Math.ceil(writer.bytes / 1024)} KB\n`);
		return 0;
	} finally {
		for (const s of stops) s();
		store.close();
	}
}
