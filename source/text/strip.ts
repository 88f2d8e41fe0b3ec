// The progressive-delivery strip above the version panels, as styled lines: for an Argo Rollout its
// phase, the steps with the current one marked, set weight against actual weight, pause reasons and the
// current analysis with measured values and limits; for a Flagger Canary its phase, weight against max
// weight, failed checks against the threshold, iterations and the checks with the last halt; for an
// OpenKruise Rollout its phase, the step and its state, the steps, the revisions and canary replicas.
import type {ArgoRolloutInfo, FlaggerCanaryInfo, KruiseRolloutInfo, RolloutStep} from '../release/model.js';
import {bar} from './format.js';
import {currentRun, experimentText, kruiseHead, kruiseRevisions, metricLine, pingPongText, stepToken} from './progressive.js';
import type {Colour, Segment, StyledLine} from './styled.js';

export function phaseColour(phase: string): Colour {
	switch (phase) {
		case 'Healthy':
		case 'Succeeded':
		case 'Successful':
		case 'Initialized':
			return 'green';
		case 'Degraded':
		case 'Failed':
		case 'Error':
			return 'red';
		case 'Paused':
		case 'Waiting':
		case 'WaitingPromotion':
		case 'Inconclusive':
			return 'yellow';
		default:
			return 'cyan';
	}
}

/** The status symbols of the Argo CLI, in glyphs one cell wide. */
export function phaseSymbol(phase: string): string {
	switch (phase) {
		case 'Healthy':
		case 'Succeeded':
		case 'Successful':
			return '✓';
		case 'Degraded':
		case 'Failed':
		case 'Error':
			return '✗';
		case 'Paused':
			return '‖';
		case 'Inconclusive':
			return '?';
		case 'Pending':
			return '◷';
		default:
			return '◌';
	}
}

const pct = (n: number | undefined) => (n === undefined ? '?' : `${Math.round(n * 10) / 10}%`);

type StepLike = Pick<RolloutStep, 'state' | 'label' | 'phase'>;

/**
 * Which steps fit in `width` cells (`gap` spaces before each token), always keeping the current step in view:
 * a window that starts early enough to show a step or two done before it. `…` marks cut ends.
 */
export function stepWindow(steps: readonly StepLike[], width: number, gap = 1): {from: number; to: number} {
	if (steps.length === 0) return {from: 0, to: 0};
	const tokens = steps.map(stepToken);
	const current = Math.max(0, steps.findIndex(s => s.state === 'current'));
	const cost = (from: number, to: number) => tokens.slice(from, to).reduce((n, t) => n + t.length + gap, 0) + (from > 0 ? 2 : 0) + (to < steps.length ? 2 : 0);
	let from = Math.max(0, current - 2);
	let to = current + 1;
	while (from < current && cost(from, to) > width) from++;
	while (to < steps.length && cost(from, to + 1) <= width) to++;
	while (from > 0 && cost(from - 1, to) <= width) from--;
	return {from, to};
}

/** A segment, leaving out empty texts. */
const seg = (text: string, style: Omit<Segment, 'text'> = {}): Segment[] => (text === '' ? [] : [{text, ...style}]);

export function argoStrip(argo: ArgoRolloutInfo, width: number): StyledLine[] {
	const colour = phaseColour(argo.phase);
	const pauses = argo.pauseReasons.length > 0 ? argo.pauseReasons.join(', ') : argo.paused ? 'manually paused' : '';
	const message = argo.message && argo.message !== pauses ? argo.message : '';
	const run = currentRun(argo);
	const canary = argo.strategy === 'canary';
	const head: StyledLine = [
		...seg(canary ? ' ARGO ' : ' ARGO BLUE-GREEN ', {bold: true, inverse: true}),
		...seg(` ${phaseSymbol(argo.phase)} ${argo.phase}`, {colour, bold: true}),
		...seg(pauses ? `: ${pauses}` : '', {colour: 'yellow'}),
		...seg(message ? ` · ${message}` : '', {dim: true}),
		...seg(canary && argo.step ? ` · step ${Math.min(argo.step.index + 1, argo.step.count)}/${argo.step.count}${argo.step.index >= argo.step.count ? ' (done)' : ''}` : ''),
	];
	if (canary) {
		const off = argo.actualWeight !== undefined && argo.setWeight !== undefined && Math.abs(argo.actualWeight - argo.setWeight) >= 1;
		head.push(
			...seg(' · set '),
			...seg(pct(argo.setWeight), {bold: true}),
			...seg(' · actual '),
			...seg(pct(argo.actualWeight), {bold: true, ...(off ? {colour: 'yellow' as const} : {})}),
			...seg(argo.maxTrafficWeight !== 100 ? ` (of ${argo.maxTrafficWeight})` : '', {dim: true}),
			...seg(argo.pingPong ? ` · ${pingPongText(argo.pingPong)}` : '', {dim: true}),
		);
	} else {
		head.push(
			...seg(`${` · active ${argo.activeSelector ?? '?'}${argo.activeService ? ` (svc ${argo.activeService})` : ''}`}${argo.previewSelector && argo.previewSelector !== argo.activeSelector ? ` · preview ${argo.previewSelector}${argo.previewService ? ` (svc ${argo.previewService})` : ''}` : ''}`),
			...seg(argo.pauseReasons.includes('BlueGreenPause') ? ' · promote switches the active Service' : '', {dim: true}),
		);
	}
	head.push(...seg(argo.aborted ? ' · ABORTED: all traffic to stable' : '', {colour: 'red', bold: true}), ...seg(argo.promoteFull ? ' · promoting fully' : '', {colour: 'magenta'}));
	const lines: StyledLine[] = [head];
	if (canary) {
		const label = ' STEPS ';
		const note = '  weight keys jump to the nearest setWeight step';
		const room = Math.max(10, width - label.length - 1);
		const {from, to} = stepWindow(argo.steps, room);
		const shown = argo.steps.slice(from, to);
		const used = label.length + 1 + shown.reduce((n, s) => n + stepToken(s).length + 1, 0) + (from > 0 ? 2 : 0) + (to < argo.steps.length ? 2 : 0);
		const current: Colour = argo.aborted ? 'red' : pauses ? 'yellow' : 'cyan';
		lines.push([
			...seg(label, {bold: true}),
			...seg(from > 0 ? '… ' : '', {dim: true}),
			...seg(argo.steps.length === 0 ? 'no steps: straight to 100%' : '', {dim: true}),
			...shown.flatMap(step => [
				...seg(' '),
				...seg(stepToken(step), step.state === 'current' ? {colour: current, bold: true, inverse: true} : step.state === 'done' ? {colour: 'green'} : {dim: true}),
			]),
			...seg(to < argo.steps.length ? ' …' : '', {dim: true}),
			...seg(used + note.length <= width ? note : '', {dim: true}),
		]);
	}
	if (argo.experiment) {
		lines.push([...seg(' EXPERIMENT ', {bold: true}), ...seg(experimentText(argo.experiment).replace(/^experiment /, ''), {colour: phaseColour(argo.experiment.phase)})]);
	}
	if (run) {
		lines.push([
			...seg(' ANALYSIS ', {bold: true}),
			...seg(`${phaseSymbol(run.phase)} ${run.phase}`, {colour: phaseColour(run.phase), bold: true}),
			...seg(` ${run.name}${run.type ? ` (${run.type}${run.stepIndex !== undefined ? ` step ${run.stepIndex + 1}` : ''})` : ''}`, {dim: true}),
			...run.metrics.flatMap(m => [...seg(' · '), ...seg(metricLine(m), {colour: phaseColour(m.phase)})]),
			...seg(run.message ? ` · ${run.message}` : '', {colour: 'red'}),
		]);
	}
	return lines;
}

/** The STEPS line of the Kruise strip: the tokens two spaces apart, the current one marked in `current`. */
function kruiseSteps(kruise: KruiseRolloutInfo, width: number, current: Colour): StyledLine {
	const label = ' STEPS ';
	const note = '  p approves the paused step';
	const room = Math.max(10, width - label.length - 1);
	const {from, to} = stepWindow(kruise.steps, room, 2);
	const shown = kruise.steps.slice(from, to);
	const used = label.length + shown.reduce((n, s) => n + stepToken(s).length + 2, 0) + (from > 0 ? 2 : 0) + (to < kruise.steps.length ? 2 : 0);
	return [
		...seg(label, {bold: true}),
		...seg(from > 0 ? '…' : '', {dim: true}),
		...seg(kruise.steps.length === 0 ? ' no steps' : '', {dim: true}),
		...shown.flatMap(step => [
			...seg(' '.repeat(from > 0 || step !== shown[0] ? 2 : 1)),
			...seg(stepToken(step), step.state === 'current' ? {colour: current, bold: true, inverse: true} : step.state === 'done' ? {colour: 'green'} : {dim: true}),
		]),
		...seg(to < kruise.steps.length ? '  …' : '', {dim: true}),
		...seg(kruise.state === 'StepPaused' && used + note.length <= width ? note : '', {dim: true}),
	];
}

export function kruiseStrip(kruise: KruiseRolloutInfo, width: number): StyledLine[] {
	const colour = phaseColour(kruise.phase);
	const waiting = kruise.state === 'StepPaused' || kruise.paused;
	const {phase, step, flags, message} = kruiseHead(kruise);
	const head: StyledLine = [
		...seg(' KRUISE ', {bold: true, inverse: true}),
		...seg(` ${phaseSymbol(kruise.phase)} ${phase}`, {colour, bold: true}),
		...seg(step ? ` · ${step}` : ''),
		...seg(kruise.state ? ` ${kruise.state}` : '', {bold: true, ...(waiting ? {colour: 'yellow' as const} : {})}),
		...flags.flatMap(f => seg(` · ${f}`, {colour: 'yellow', bold: true})),
		...seg(message ? ` · ${message}` : '', {dim: true}),
	];
	const current: Colour = waiting ? 'yellow' : 'cyan';
	return [head, kruiseSteps(kruise, width, current), [...seg(' REVISIONS ', {bold: true}), ...seg(kruiseRevisions(kruise))]];
}

function checkLimit(m: FlaggerCanaryInfo['metrics'][number]): string {
	const unit = m.name === 'request-success-rate' ? '%' : m.name === 'request-duration' ? 'ms' : '';
	const parts: string[] = [];
	if (m.min !== undefined) parts.push(`≥ ${m.min}${unit}`);
	if (m.max !== undefined) parts.push(`≤ ${m.max}${unit}`);
	return `${m.name}${parts.length > 0 ? ` ${parts.join(' ')}` : ''}`;
}

export function flaggerStrip(flagger: FlaggerCanaryInfo, width: number): StyledLine[] {
	const colour = phaseColour(flagger.phase);
	const iterationMode = flagger.maxIterations !== undefined && flagger.stepWeight === undefined && flagger.stepWeights === undefined;
	const max = flagger.maxWeight ?? 100;
	const barWidth = Math.max(0, Math.min(12, Math.floor(width / 12)));
	const checksFailing = flagger.threshold !== undefined && flagger.failedChecks > 0;
	const last = flagger.failedChecks > 0 || flagger.phase === 'Failed' ? flagger.lastHalt ?? flagger.lastEvent : flagger.lastEvent;
	const halted = last !== undefined && (/^Halt /.test(last) || flagger.phase === 'Failed');
	const head: StyledLine = [
		...seg(' FLAGGER ', {bold: true, inverse: true}),
		...seg(` ${phaseSymbol(flagger.phase)} ${flagger.phase}`, {colour, bold: true}),
		...seg(flagger.suspended ? ' · SUSPENDED' : '', {colour: 'yellow', bold: true}),
		...seg(flagger.skipAnalysis ? ' · skipAnalysis' : '', {colour: 'magenta'}),
		...(iterationMode
			? seg(` · iterations ${flagger.iterations}/${flagger.maxIterations}`)
			: [
					...seg(' · weight '),
					...seg(`${flagger.canaryWeight}%`, {bold: true}),
					...seg(` / max ${max}% `, {dim: true}),
					...seg(bar(max > 0 ? (flagger.canaryWeight * 100) / max : 0, barWidth), {colour: 'magenta'}),
					...seg(flagger.stepWeights ? ` steps ${flagger.stepWeights.join(',')}` : flagger.stepWeight !== undefined ? ` step ${flagger.stepWeight}%` : '', {dim: true}),
				]),
		...seg(' · failed checks '),
		...seg(`${flagger.failedChecks}/${flagger.threshold ?? '?'}`, {bold: true, ...(checksFailing ? {colour: flagger.failedChecks >= (flagger.threshold ?? Infinity) ? ('red' as const) : ('yellow' as const)} : {})}),
		...seg(!iterationMode ? ` · iterations ${flagger.iterations}` : ''),
		...seg(flagger.interval ? ` · every ${flagger.interval}` : '', {dim: true}),
	];
	const checks: StyledLine = [
		...seg(' CHECKS ', {bold: true}),
		...seg(flagger.metrics.length > 0 ? flagger.metrics.map(checkLimit).join(' · ') : 'none'),
		...seg(last ? `  │ ${last}` : '', halted ? {colour: 'red'} : {dim: true}),
	];
	return [head, checks];
}
