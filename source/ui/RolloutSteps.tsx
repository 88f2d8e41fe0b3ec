// The progressive-delivery strip above the version panels: for an Argo Rollout its phase, the
// steps with the current one marked, set weight against actual weight, pause reasons and the
// current analysis with measured values and limits; for a Flagger Canary its phase, weight against
// max weight, failed checks against the threshold, iterations and the checks with the last halt.
import {Box, Text} from 'ink';
import type {ArgoRolloutInfo, FlaggerCanaryInfo, Release, RolloutStep} from '../release/model.js';
import {currentRun, metricLine, stepToken} from '../text/progressive.js';
import {bar, text, type Colour} from './format.js';

/** Rows the strip takes for this release (0 for releases without a controller). */
export function rolloutStripRows(release: Release | undefined): number {
	if (!release) return 0;
	if (release.kind === 'argo-rollout' && release.argo) {
		const base = release.argo.strategy === 'canary' ? 2 : 1;
		return base + (currentRun(release.argo) ? 1 : 0);
	}
	if (release.kind === 'flagger' && release.flagger) return 2;
	return 0;
}

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

/**
 * Which steps fit in `width` cells (one space between tokens), always keeping the current step in view:
 * a window that starts early enough to show a step or two done before it. `…` marks cut ends.
 */
export function stepWindow(steps: RolloutStep[], width: number): {from: number; to: number} {
	if (steps.length === 0) return {from: 0, to: 0};
	const tokens = steps.map(stepToken);
	const current = Math.max(0, steps.findIndex(s => s.state === 'current'));
	const cost = (from: number, to: number) => tokens.slice(from, to).reduce((n, t) => n + t.length + 1, 0) + (from > 0 ? 2 : 0) + (to < steps.length ? 2 : 0);
	let from = Math.max(0, current - 2);
	let to = current + 1;
	while (from < current && cost(from, to) > width) from++;
	while (to < steps.length && cost(from, to + 1) <= width) to++;
	while (from > 0 && cost(from - 1, to) <= width) from--;
	return {from, to};
}

function ArgoLines({argo, width}: {argo: ArgoRolloutInfo; width: number}) {
	const colour = phaseColour(argo.phase);
	const pauses = argo.pauseReasons.length > 0 ? argo.pauseReasons.join(', ') : argo.paused ? 'manually paused' : '';
	const message = argo.message && argo.message !== pauses ? argo.message : '';
	const run = currentRun(argo);
	const head = (
		<Text wrap="truncate">
			<Text bold inverse>{argo.strategy === 'canary' ? ' ARGO ' : ' ARGO BLUE-GREEN '}</Text>
			<Text color={colour} bold>{` ${phaseSymbol(argo.phase)} ${argo.phase}`}</Text>
			{pauses ? <Text color="yellow">{`: ${pauses}`}</Text> : null}
			{message ? <Text dimColor>{` · ${message}`}</Text> : null}
			{argo.strategy === 'canary' && argo.step ? <Text>{` · step ${Math.min(argo.step.index + 1, argo.step.count)}/${argo.step.count}${argo.step.index >= argo.step.count ? ' (done)' : ''}`}</Text> : null}
			{argo.strategy === 'canary' ? (
				<Text>
					{' · set '}
					<Text bold>{pct(argo.setWeight)}</Text>
					{' · actual '}
					<Text bold color={argo.actualWeight !== undefined && argo.setWeight !== undefined && Math.abs(argo.actualWeight - argo.setWeight) >= 1 ? 'yellow' : undefined}>{pct(argo.actualWeight)}</Text>
					{argo.maxTrafficWeight !== 100 ? <Text dimColor>{` (of ${argo.maxTrafficWeight})`}</Text> : null}
				</Text>
			) : (
				<Text>
					{` · active ${argo.activeSelector ?? '?'}${argo.activeService ? ` (svc ${argo.activeService})` : ''}`}
					{argo.previewSelector && argo.previewSelector !== argo.activeSelector ? ` · preview ${argo.previewSelector}${argo.previewService ? ` (svc ${argo.previewService})` : ''}` : ''}
				</Text>
			)}
			{argo.strategy === 'blueGreen' && argo.pauseReasons.includes('BlueGreenPause') ? <Text dimColor>{' · promote switches the active Service'}</Text> : null}
			{argo.aborted ? <Text color="red" bold>{' · ABORTED: all traffic to stable'}</Text> : null}
			{argo.promoteFull ? <Text color="magenta">{' · promoting fully'}</Text> : null}
		</Text>
	);
	let stepsLine = null;
	if (argo.strategy === 'canary') {
		const label = ' STEPS ';
		const note = '  weight keys jump to the nearest setWeight step';
		const room = Math.max(10, width - label.length - 1);
		const {from, to} = stepWindow(argo.steps, room);
		const shown = argo.steps.slice(from, to);
		const used = label.length + 1 + shown.reduce((n, s) => n + stepToken(s).length + 1, 0) + (from > 0 ? 2 : 0) + (to < argo.steps.length ? 2 : 0);
		stepsLine = (
			<Text wrap="truncate">
				<Text bold>{label}</Text>
				{from > 0 ? <Text dimColor>{'… '}</Text> : null}
				{argo.steps.length === 0 ? <Text dimColor>no steps: straight to 100%</Text> : null}
				{shown.map(step => (
					<Text key={step.index}>
						{' '}
						<Text
							color={step.state === 'current' ? (argo.aborted ? 'red' : pauses ? 'yellow' : 'cyan') : step.state === 'done' ? 'green' : undefined}
							dimColor={step.state === 'pending'}
							bold={step.state === 'current'}
							inverse={step.state === 'current'}
						>
							{stepToken(step)}
						</Text>
					</Text>
				))}
				{to < argo.steps.length ? <Text dimColor>{' …'}</Text> : null}
				{used + note.length <= width ? <Text dimColor>{note}</Text> : null}
			</Text>
		);
	}
	return (
		<>
			{head}
			{stepsLine}
			{run ? (
				<Text wrap="truncate">
					<Text bold>{' ANALYSIS '}</Text>
					<Text color={phaseColour(run.phase)} bold>{`${phaseSymbol(run.phase)} ${run.phase}`}</Text>
					<Text dimColor>{` ${run.name}${run.type ? ` (${run.type}${run.stepIndex !== undefined ? ` step ${run.stepIndex + 1}` : ''})` : ''}`}</Text>
					{run.metrics.map(m => (
						<Text key={m.name}>
							{' · '}
							<Text color={phaseColour(m.phase)}>{metricLine(m)}</Text>
						</Text>
					))}
					{run.message ? <Text color="red">{` · ${run.message}`}</Text> : null}
				</Text>
			) : null}
		</>
	);
}

function checkLimit(m: FlaggerCanaryInfo['metrics'][number]): string {
	const unit = m.name === 'request-success-rate' ? '%' : m.name === 'request-duration' ? 'ms' : '';
	const parts: string[] = [];
	if (m.min !== undefined) parts.push(`≥ ${m.min}${unit}`);
	if (m.max !== undefined) parts.push(`≤ ${m.max}${unit}`);
	return `${m.name}${parts.length > 0 ? ` ${parts.join(' ')}` : ''}`;
}

function FlaggerLines({flagger, width}: {flagger: FlaggerCanaryInfo; width: number}) {
	const colour = phaseColour(flagger.phase);
	const iterationMode = flagger.maxIterations !== undefined && flagger.stepWeight === undefined && flagger.stepWeights === undefined;
	const max = flagger.maxWeight ?? 100;
	const barWidth = Math.max(0, Math.min(12, Math.floor(width / 12)));
	const checksFailing = flagger.threshold !== undefined && flagger.failedChecks > 0;
	const last = flagger.failedChecks > 0 || flagger.phase === 'Failed' ? flagger.lastHalt ?? flagger.lastEvent : flagger.lastEvent;
	return (
		<>
			<Text wrap="truncate">
				<Text bold inverse>{' FLAGGER '}</Text>
				<Text color={colour} bold>{` ${phaseSymbol(flagger.phase)} ${flagger.phase}`}</Text>
				{flagger.suspended ? <Text color="yellow" bold>{' · SUSPENDED'}</Text> : null}
				{flagger.skipAnalysis ? <Text color="magenta">{' · skipAnalysis'}</Text> : null}
				{iterationMode ? (
					<Text>{` · iterations ${flagger.iterations}/${flagger.maxIterations}`}</Text>
				) : (
					<Text>
						{' · weight '}
						<Text bold>{`${flagger.canaryWeight}%`}</Text>
						<Text dimColor>{` / max ${max}% `}</Text>
						<Text color="magenta">{bar(max > 0 ? (flagger.canaryWeight * 100) / max : 0, barWidth)}</Text>
						<Text dimColor>{flagger.stepWeights ? ` steps ${flagger.stepWeights.join(',')}` : flagger.stepWeight !== undefined ? ` step ${flagger.stepWeight}%` : ''}</Text>
					</Text>
				)}
				<Text>{' · failed checks '}</Text>
				<Text bold color={checksFailing ? (flagger.failedChecks >= (flagger.threshold ?? Infinity) ? 'red' : 'yellow') : undefined}>{`${flagger.failedChecks}/${flagger.threshold ?? '?'}`}</Text>
				{!iterationMode ? <Text>{` · iterations ${flagger.iterations}`}</Text> : null}
				{flagger.interval ? <Text dimColor>{` · every ${flagger.interval}`}</Text> : null}
			</Text>
			<Text wrap="truncate">
				<Text bold>{' CHECKS '}</Text>
				<Text>{flagger.metrics.length > 0 ? flagger.metrics.map(checkLimit).join(' · ') : 'none'}</Text>
				{last ? <Text color={/^Halt /.test(last) || flagger.phase === 'Failed' ? 'red' : undefined} dimColor={!/^Halt /.test(last) && flagger.phase !== 'Failed'}>{`  │ ${text(last)}`}</Text> : null}
			</Text>
		</>
	);
}

/** The strip, `rolloutStripRows(release)` rows tall; nothing for releases without a controller. */
export function RolloutSteps({release, width}: {release: Release; width: number}) {
	const rows = rolloutStripRows(release);
	if (rows === 0) return null;
	return (
		<Box width={width} height={rows} flexDirection="column" overflow="hidden" flexShrink={0}>
			{release.argo ? <ArgoLines argo={release.argo} width={width} /> : release.flagger ? <FlaggerLines flagger={release.flagger} width={width} /> : null}
		</Box>
	);
}
