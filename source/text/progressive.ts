// Words for the state of an Argo Rollout, a Flagger Canary or an OpenKruise Rollout, shared by the view's
// strip and the `--once` text: step tokens, the AnalysisRun worth showing, an analysis metric in one line,
// and the plain lines the snapshot prints.
import type {AnalysisMetric, AnalysisRunInfo, ArgoExperimentInfo, ArgoRolloutInfo, FlaggerCanaryInfo, KruiseRolloutInfo, RolloutStep} from '../release/model.js';

/** Step tokens as shown: `✓20%`, `▶pause`, `·60%`, `▶experiment canary (Running)`. */
export function stepToken(step: Pick<RolloutStep, 'state' | 'label' | 'phase'>): string {
	const mark = step.state === 'done' ? '✓' : step.state === 'current' ? '▶' : '·';
	return `${mark}${step.label}${step.phase ? ` (${step.phase})` : ''}`;
}

/** `stable behind pong-svc (pong), canary behind ping-svc (ping)`. */
export function pingPongText(pingPong: NonNullable<ArgoRolloutInfo['pingPong']>): string {
	const canary = pingPong.stable === 'ping' ? 'pong' : 'ping';
	const service = (side: 'ping' | 'pong') => (side === 'ping' ? pingPong.pingService : pingPong.pongService);
	return `stable behind ${service(pingPong.stable)} (${pingPong.stable}), canary behind ${service(canary)} (${canary})`;
}

/** `experiment Running rollouts-demo-6cf78c66c5-2-1 · canary-preview 1/1 · 5m`. */
export function experimentText(experiment: ArgoExperimentInfo): string {
	const templates = experiment.templates.map(t => `${t.name} ${t.ready}/${t.replicas}`);
	return [`experiment ${experiment.phase} ${experiment.name}`, ...templates, ...(experiment.duration ? [experiment.duration] : []), ...(experiment.message ? [experiment.message] : [])].join(' · ');
}

/** The AnalysisRun worth showing: a running one of the current pod hash, else the newest of it. */
export function currentRun(argo: ArgoRolloutInfo): AnalysisRunInfo | undefined {
	const mine = argo.analysisRuns.filter(r => r.podTemplateHash === undefined || r.podTemplateHash === argo.canaryHash);
	return mine.find(r => r.phase === 'Running' || r.phase === 'Pending') ?? mine[0];
}

/** `error-rate 0.01 0.02 (pass if result[0] < 0.05) · ✓2 ✗0/3 · 2/5`. */
export function metricLine(m: AnalysisMetric): string {
	const values = m.values.slice(-3).map(v => v.replace(/^\[(.*)\]$/, '$1')).join(' ');
	const limit = m.successCondition ? `pass if ${m.successCondition}` : m.failureCondition ? `fail if ${m.failureCondition}` : '';
	const progress = m.count !== undefined ? ` ${m.measured}/${m.count}` : ` ${m.measured}`;
	return `${m.name} ${values || '–'}${limit ? ` (${limit})` : ''} · ✓${m.successful} ✗${m.failed}/${m.failureLimit}${m.inconclusive ? ` ?${m.inconclusive}` : ''}${m.error ? ` ⚠${m.error}` : ''} ·${progress}`;
}

const pct = (n: number | undefined) => (n === undefined ? '?' : `${Math.round(n * 10) / 10}%`);

export function argoLines(argo: ArgoRolloutInfo): string[] {
	const pauses = argo.pauseReasons.length > 0 ? argo.pauseReasons.join(', ') : argo.paused ? 'manually paused' : '';
	const flags = [argo.aborted ? 'ABORTED: all traffic to stable' : '', argo.promoteFull ? 'promoting fully' : ''].filter(Boolean);
	const head = `argo rollout (${argo.strategy}): ${argo.phase}${pauses ? `: ${pauses}` : ''}${argo.message && argo.message !== pauses ? ` · ${argo.message}` : ''}${flags.map(f => ` · ${f}`).join('')}`;
	const lines = [head];
	if (argo.strategy === 'canary') {
		const step = argo.step ? `step ${Math.min(argo.step.index + 1, argo.step.count)}/${argo.step.count}${argo.step.index >= argo.step.count ? ' (done)' : ''} · ` : '';
		lines.push(`steps: ${argo.steps.length === 0 ? 'none (straight to 100%)' : argo.steps.map(stepToken).join(' ')}`);
		lines.push(`${step}set weight ${pct(argo.setWeight)} · actual ${pct(argo.actualWeight)}${argo.maxTrafficWeight !== 100 ? ` (of ${argo.maxTrafficWeight})` : ''}`);
		if (argo.pingPong) lines.push(`ping-pong: ${pingPongText(argo.pingPong)}`);
		if (argo.experiment) lines.push(experimentText(argo.experiment));
	} else {
		lines.push(`active ${argo.activeSelector ?? '?'}${argo.activeService ? ` (svc ${argo.activeService})` : ''}${argo.previewSelector && argo.previewSelector !== argo.activeSelector ? ` · preview ${argo.previewSelector}${argo.previewService ? ` (svc ${argo.previewService})` : ''}` : ''}`);
	}
	const run = currentRun(argo);
	if (run) {
		lines.push(`analysis: ${run.phase} ${run.name}${run.type ? ` (${run.type}${run.stepIndex !== undefined ? ` step ${run.stepIndex + 1}` : ''})` : ''}${run.message ? ` · ${run.message}` : ''}`);
		for (const m of run.metrics) lines.push(`  ${m.phase.padEnd(12)}${metricLine(m)}`);
	}
	return lines;
}

export function flaggerLines(flagger: FlaggerCanaryInfo): string[] {
	const iterations = flagger.maxIterations !== undefined ? `${flagger.iterations}/${flagger.maxIterations}` : String(flagger.iterations);
	const checks = `failed checks ${flagger.failedChecks}${flagger.threshold !== undefined ? `/${flagger.threshold}` : ''}`;
	const modes = [flagger.skipAnalysis ? 'skipAnalysis' : '', flagger.suspended ? 'suspended' : ''].filter(Boolean);
	const lines = [`flagger canary: ${flagger.phase} · weight ${flagger.canaryWeight}%/${flagger.maxWeight ?? 100}% · ${checks} · iterations ${iterations}${modes.map(m => ` · ${m}`).join('')}`];
	if (flagger.metrics.length > 0) lines.push(`checks: ${flagger.metrics.map(m => `${m.name}${m.min !== undefined ? ` ≥ ${m.min}` : ''}${m.max !== undefined ? ` ≤ ${m.max}` : ''}`).join(' · ')}`);
	const last = flagger.failedChecks > 0 || flagger.phase === 'Failed' ? flagger.lastHalt ?? flagger.lastEvent : flagger.lastEvent;
	if (last) lines.push(`last: ${last}`);
	return lines;
}

/** The head of a Kruise Rollout in words: its phase, the step, what holds it, the message. */
export function kruiseHead(kruise: KruiseRolloutInfo): {phase: string; step: string; flags: string[]; message: string} {
	const step = kruise.step ? `step ${kruise.step.index}/${kruise.step.count}${kruise.nextStepIndex !== undefined && kruise.nextStepIndex > 0 && kruise.nextStepIndex !== kruise.step.index + 1 ? ` (next ${kruise.nextStepIndex})` : ''}` : '';
	const flags = [kruise.paused ? 'PAUSED (spec.strategy.paused)' : '', kruise.disabled ? 'disabled' : ''].filter(Boolean);
	const progressing = kruise.progressing && kruise.phase === 'Progressing' && kruise.progressing !== 'InRolling' ? ` (${kruise.progressing})` : '';
	return {phase: `${kruise.phase}${progressing}`, step, flags, message: kruise.message ?? ''};
}

/** `canary revision 6d8f… (pods 7c9f…) 1/1 ready · stable revision 5b8d… · Ingress/echoserver (nginx) for Service/echoserver`. */
export function kruiseRevisions(kruise: KruiseRolloutInfo): string {
	const routing = kruise.trafficRouting ?? 'no traffic routing: traffic follows the pods';
	if (!kruise.releasing) return [kruise.canaryRevision ? `released revision ${kruise.canaryRevision}${kruise.podTemplateHash && kruise.podTemplateHash !== kruise.canaryRevision ? ` (pods ${kruise.podTemplateHash})` : ''}` : 'nothing released yet', routing].join(' · ');
	const canary = kruise.canaryRevision
		? `canary revision ${kruise.canaryRevision}${kruise.podTemplateHash && kruise.podTemplateHash !== kruise.canaryRevision ? ` (pods ${kruise.podTemplateHash})` : ''}${kruise.canaryReplicas !== undefined ? ` ${kruise.canaryReadyReplicas ?? 0}/${kruise.canaryReplicas} ready` : ''}`
		: 'no canary revision yet';
	const stable = kruise.stableRevision ? `stable revision ${kruise.stableRevision}` : '';
	return [canary, stable, routing].filter(Boolean).join(' · ');
}

export function kruiseLines(kruise: KruiseRolloutInfo): string[] {
	const {phase, step, flags, message} = kruiseHead(kruise);
	const head = `kruise rollout (${kruise.style}, ${kruise.apiVersion}) of ${kruise.workload}: ${phase}${step ? ` · ${step}` : ''}${kruise.state ? ` ${kruise.state}` : ''}${flags.map(f => ` · ${f}`).join('')}${message ? ` · ${message}` : ''}`;
	return [head, `steps: ${kruise.steps.length === 0 ? 'none' : kruise.steps.map(stepToken).join('  ')}`, kruiseRevisions(kruise)];
}
