// `rollscope gate TARGET`: a headless verdict for CI. Every --interval it judges the last --window of the
// new version against the old one, prints a line, and ends with an exit code: 0 healthy for --for (or the
// release finished healthy), 1 SLO failure (after aborting with --abort-on-fail), 3 still collecting when
// time ran out, 4 Prometheus unreachable or failing for the whole run, 2 usage or setup errors.
import type {ActionOptions} from '../actions/config.js';
import type {Settings} from '../config/settings.js';
import {execute, planAsText} from '../actions/execute.js';
import {planIntent} from '../kinds/registry.js';
import {actionTarget} from '../kinds/registry.js';
import {parseDuration} from '../text/units.js';
import {KubeClient} from '../kube/client.js';
import {firstRelease, watchRelease} from '../live/release-watch.js';
import {PromClient} from '../metrics/prometheus-client.js';
import {toPromError} from '../metrics/prom-error.js';
import type {Release} from '../release/model.js';
import {initialState} from '../store/state.js';
import {Store} from '../store/store.js';
import {gateStep, type GateEnd} from '../verdict/gate.js';
import {nextVerdict, type Verdict, type WindowData} from '../verdict/judge.js';
import {windowText} from '../verdict/settings.js';
import {planWindowQueries, windowPair} from '../verdict/window-queries.js';
import {prometheusWindows, type WindowSource} from '../verdict/window-source.js';
import {simWindowsOverApi} from './sim-slis.js';
import type {Flags} from './flags.js';
import {openRequestLog} from './request-log.js';

export const defaultGateFor = '10m';

type Entry = {time: string; state: Verdict['state']; reason: string; failingWindows: number; canary?: WindowData['canary']; baseline?: WindowData['baseline']};

function fail(message: string, code = 2): number {
	process.stderr.write(`rollscope gate: ${message}\n`);
	return code;
}

const clock = (ms: number) => new Date(ms).toISOString().slice(11, 19);

function finished(release: Release | undefined): boolean {
	if (!release) return true;
	const pair = windowPair(release);
	return !pair || pair.canary.desired === 0;
}

export async function runGate(target: string | undefined, flags: Flags, settings: Settings): Promise<number> {
	const log = openRequestLog(flags.v, false);
	try {
		return await gate(target, flags, settings);
	} finally {
		log?.close();
	}
}

async function gate(target: string | undefined, flags: Flags, settings: Settings): Promise<number> {
	if (!target) return fail('give a TARGET, such as deploy/checkout');
	const forS = parseDuration(flags.for ?? defaultGateFor);
	if ('error' in forS) return fail(`--for: ${forS.error}`);
	const {judge, windowSeconds} = settings.verdict;
	const interval = settings.interval;
	const window = windowText(windowSeconds);
	if (flags.abortOnFail && flags.readOnly) return fail('--abort-on-fail and --read-only contradict each other');
	const actions = settings.actions;
	const metrics = {settings: settings.metrics, connection: settings.prometheus};
	let client: KubeClient;
	try {
		client = KubeClient.load({kubeconfig: flags.kubeconfig, context: flags.context, namespace: flags.namespace});
	} catch (error) {
		return fail((error as Error).message);
	}
	// A Prometheus when one is given; else, on a rollscope sim, the sim's own series (its API server serves them).
	let windows: WindowSource;
	let from: string;
	if (metrics.connection) {
		const prom = new PromClient({timeoutMs: 20_000, ...metrics.connection});
		windows = prometheusWindows(prom, metrics.settings);
		from = `${metrics.settings.preset ?? 'detected'} metrics from ${prom.where}`;
	} else {
		const needs = 'needs a Prometheus: give --prometheus URL (or ROLLSCOPE_PROMETHEUS_URL, or prometheus.url in the config)';
		const sim = await simWindowsOverApi(client).catch(() => undefined);
		if (!sim) {
			void client.close();
			return fail(needs);
		}
		windows = sim;
		from = `counts from ${sim.where}`;
	}
	const json = flags.output === 'json';
	const say = (line: string) => {
		if (!json) process.stdout.write(`${line}\n`);
		else process.stderr.write(`${line}\n`);
	};

	const store = new Store(initialState(client.context, client.namespace, target), 0);
	const watch = watchRelease(client, store, {batchMs: 0});
	const history: Entry[] = [];
	let verdict: Verdict | undefined;
	let last: WindowData | undefined;
	let judged = false;
	let end: GateEnd | undefined;
	let abort: {planned?: string[]; written?: string[]; ok: boolean; message?: string} | undefined;
	// Windows asked and answered: a source that never answers is an outage (exit 4), not too little traffic.
	const prometheus = {asked: 0, answered: 0};
	const started = Date.now();
	try {
		// The release, once every watch has listed.
		const release = await firstRelease(store, client.server);
		if (typeof release === 'string') return fail(release);
		const pair = windowPair(release);
		if (!pair) {
			const why = planWindowQueries(release, metrics.settings, metrics.settings.preset ?? 'generic', windowSeconds);
			return fail('error' in why ? why.error : `${release.target} has nothing to compare`);
		}
		say(`gate ${release.target} in ${release.namespace}: ${pair.canary.id} vs ${pair.baseline.id} over ${window} windows every ${interval}s for ${flags.for ?? defaultGateFor} (${from})`);

		for (;;) {
			const now = Date.now();
			const current = store.getState().release;
			const done = finished(current);
			if (!done) {
				try {
					prometheus.asked++;
					const answer = await windows.window(current!, windowSeconds, {time: now});
					prometheus.answered++;
					if ('note' in answer) say(`${clock(now)}  ${'collecting'.padEnd(10)} ${answer.note}`);
					else {
						last = answer.data;
						verdict = nextVerdict(verdict, last, judge);
						if (verdict.state === 'pass' || verdict.state === 'marginal') judged = true;
						history.push({time: new Date(now).toISOString(), state: verdict.state, reason: verdict.reason, failingWindows: verdict.failingWindows, canary: last.canary, baseline: last.baseline});
						say(`${clock(now)}  ${verdict.state.padEnd(10)} ${verdict.reason}`);
					}
				} catch (error) {
					// A source that does not answer judges nothing: the window is skipped, the clock runs on.
					say(`${clock(now)}  ${'no answer'.padEnd(10)} ${windows.where}: ${toPromError(error).message}`);
				}
			}
			end = gateStep({verdict, judged, elapsedMs: Date.now() - started, forMs: forS.value * 1000, finished: done, prometheus});
			if (end) break;
			const wait = Math.max(0, Math.min(interval * 1000, started + forS.value * 1000 - Date.now()));
			await new Promise(r => setTimeout(r, wait));
		}

		if (end.code === 1 && flags.abortOnFail) abort = await abortRelease(client, watch.snapshot, target, actions, say);
	} finally {
		watch.stop();
		store.close();
		void client.close();
	}

	const summary = {
		target,
		namespace: client.namespace,
		exitCode: end.code,
		result: ({0: 'healthy', 1: 'failed', 3: 'collecting', 4: 'unreachable'} as const)[end.code],
		why: end.why,
		for: flags.for ?? defaultGateFor,
		window,
		interval,
		final: {verdict, canary: last?.canary, baseline: last?.baseline},
		history,
		...(abort ? {abort} : {}),
	};
	if (json) process.stdout.write(JSON.stringify(summary, null, 2) + '\n');
	else {
		say(`result: ${summary.result} (exit ${end.code}): ${end.why}`);
		if (verdict) for (const s of verdict.slis) say(`  ${s.sli.padEnd(8)} ${s.state.padEnd(10)} ${s.reason}`);
	}
	return end.code;
}

async function abortRelease(
	client: KubeClient,
	snapshot: () => import('../release/snapshot.js').ClusterSnapshot,
	target: string,
	actions: ActionOptions,
	say: (line: string) => void,
): Promise<{planned?: string[]; written?: string[]; ok: boolean; message?: string}> {
	// The audit Event names the user the API server authenticated.
	const t = actionTarget(snapshot(), target, await client.whoami());
	if (!t) {
		say('abort: the release is no longer there');
		return {ok: false, message: 'the release is no longer there'};
	}
	const planned = planIntent(t, {name: 'abort'}, {config: actions.config, router: actions.router, now: new Date().toISOString()});
	if ('message' in planned) {
		say(`abort: ${planned.message}`);
		return {ok: false, message: planned.message};
	}
	const steps = planAsText(planned.plan);
	if (actions.dryRun) {
		say(`abort (dry run, nothing sent): ${planned.plan.title}`);
		for (const line of steps) say(`  ${line}`);
		return {ok: true, planned: steps, message: 'dry run'};
	}
	const outcome = await execute(client, planned.plan);
	if (!outcome.ok) {
		say(`abort failed: ${outcome.message}`);
		return {ok: false, planned: steps, written: outcome.written, message: outcome.message};
	}
	say(`aborted: ${planned.plan.done}${outcome.eventProblem ? ` (${outcome.eventProblem})` : ''}`);
	return {ok: true, planned: steps, written: outcome.written, ...(outcome.eventProblem ? {message: outcome.eventProblem} : {})};
}
