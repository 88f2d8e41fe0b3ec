// The Argo Rollout / Flagger strip: its content, its row count, and the whole screen still fitting.
import assert from 'node:assert/strict';
import {describe, test} from 'node:test';
import {buildRelease} from '../../source/kinds/registry.js';
import {resolveTarget} from '../../source/kinds/registry.js';
import type {Release, RolloutStep} from '../../source/release/model.js';
import type {ClusterSnapshot} from '../../source/release/snapshot.js';
import {App} from '../../source/ui/App.js';
import {stepToken} from '../../source/text/progressive.js';
import {Strip, stripRows} from '../../source/ui/Strip.js';
import {stepWindow} from '../../source/text/strip.js';
import {event} from '../release/fixtures.js';
import {analysisRun, demoSteps, podinfoCanary, podinfoDeployments, podinfoRouting, progressiveSnapshot, rollout, rolloutReplicaSet} from '../release/argo-fixtures.js';
import {storeWith} from './fixtures.js';
import {fits, renderAt, tick} from './render.js';

function open(snap: ClusterSnapshot, target: string): Release {
	const resolved = resolveTarget(snap, target);
	if ('error' in resolved) throw new Error(resolved.error);
	return buildRelease(snap, resolved.ref);
}

function argoRelease(): Release {
	const ro = rollout('rollouts-demo', {canary: {steps: [...demoSteps.slice(0, 4), {analysis: {templates: [{templateName: 'error-rate'}]}}, ...demoSteps.slice(4)]}}, {
		phase: 'Progressing',
		message: 'more replicas need to be updated',
		currentPodHash: 'bbbb',
		stableRS: 'aaaa',
		currentStepIndex: 4,
		replicas: 5,
		updatedReplicas: 2,
		availableReplicas: 5,
		canary: {currentStepAnalysisRunStatus: {name: 'rollouts-demo-bbbb-2-4', status: 'Running'}},
	});
	const a = rolloutReplicaSet(ro, 'aaaa', 1, 'demo:blue', 3);
	const b = rolloutReplicaSet(ro, 'bbbb', 2, 'demo:yellow', 2);
	const run = analysisRun(ro, 'rollouts-demo-bbbb-2-4', {
		hash: 'bbbb',
		revision: 2,
		stepIndex: 4,
		phase: 'Running',
		metrics: [{name: 'error-rate', interval: '5s', count: 3, failureLimit: 1, successCondition: 'result[0] <= 0.01'}],
		results: [{name: 'error-rate', phase: 'Running', count: 2, successful: 2, measurements: [{phase: 'Successful', value: '[0.002]'}, {phase: 'Successful', value: '[0.003]'}]}],
	});
	return open(progressiveSnapshot([ro, a.rs, ...a.pods, b.rs, ...b.pods, run]), 'rollout/rollouts-demo');
}

function flaggerRelease(): Release {
	const canary = podinfoCanary({interval: '10s', threshold: 5, maxWeight: 50, stepWeight: 10, metrics: [{name: 'request-success-rate', thresholdRange: {min: 99}}]}, {phase: 'Progressing', canaryWeight: 30, failedChecks: 2, iterations: 0});
	const halt = event({kind: 'Canary', name: 'podinfo', reason: 'Synced', type: 'Warning', message: 'Halt podinfo.shop advancement success rate 95.00% < 99%', last: 5});
	return open(progressiveSnapshot([canary, ...podinfoDeployments('podinfo:2', 'podinfo:1', 2), ...podinfoRouting(70, 30), halt]), 'canary/podinfo');
}

describe('the steps strip', () => {
	test('rows: 3 for a canary Rollout with a running analysis, 2 for Flagger, 0 for a plain release', () => {
		assert.equal(stripRows(argoRelease()), 3);
		assert.equal(stripRows(flaggerRelease()), 2);
		assert.equal(stripRows(undefined), 0);
	});

	test('a narrow window keeps the current step in view', () => {
		const steps: RolloutStep[] = Array.from({length: 12}, (_, index) => ({index, kind: 'setWeight', label: `${(index + 1) * 5}%`, setWeight: (index + 1) * 5, state: index < 9 ? 'done' : index === 9 ? 'current' : 'pending'}));
		for (const width of [12, 20, 40, 200]) {
			const {from, to} = stepWindow(steps, width);
			assert.ok(from <= 9 && to > 9, `width ${width}: ${from}-${to}`);
			const used = steps.slice(from, to).reduce((n, s) => n + stepToken(s).length + 1, 0) + (from > 0 ? 2 : 0) + (to < steps.length ? 2 : 0);
			assert.ok(width < 12 || used <= width || to - from === 1, `width ${width} uses ${used}`);
		}
		assert.deepEqual(stepWindow(steps, 200), {from: 0, to: 12});
	});

	test('shows the Rollout: step, set and actual weight, the steps and the analysis with values and limits', async () => {
		const r = renderAt(<Strip release={argoRelease()} width={160} />, 160, 10);
		await tick();
		const lines = r.lines();
		assert.match(lines[0]!, /ARGO\s+◌ Progressing · more replicas need to be updated · step 5\/9 · set 40% · actual 40%/);
		assert.match(lines[1]!, /STEPS\s+✓20% ✓pause ✓40% ✓pause 10s ▶analysis error-rate ·60%/);
		assert.match(lines[2]!, /ANALYSIS ◌ Running rollouts-demo-bbbb-2-4 \(Step step 5\) · error-rate 0\.002 0\.003 \(pass if result\[0\] <= 0\.01\) · ✓2 ✗0\/1 · 2\/3/);
		r.unmount();
	});

	test('shows Flagger: phase, weight against max, failed checks against the threshold, the last halt', async () => {
		const r = renderAt(<Strip release={flaggerRelease()} width={160} />, 160, 10);
		await tick();
		const [first, second] = r.lines();
		assert.match(first!, /FLAGGER\s+◌ Progressing · weight 30% \/ max 50% .* step 10% · failed checks 2\/5 · iterations 0 · every 10s/);
		assert.match(second!, /CHECKS request-success-rate ≥ 99%\s+│ Halt podinfo\.shop advancement success rate 95\.00% < 99%/);
		r.unmount();
	});

	for (const [columns, rows] of [[170, 48], [100, 30], [80, 24], [60, 20], [40, 10]] as const) {
		test(`the whole screen fits ${columns}x${rows}`, async () => {
			for (const release of [argoRelease(), flaggerRelease()]) {
				const r = renderAt(<App store={storeWith(release)} onQuit={() => {}} width={columns} height={rows} />, columns, rows);
				await tick();
				const frame = r.frame();
				const fit = fits(frame, columns, rows);
				assert.ok(fit.ok, `${release.kind} at ${columns}x${rows}: ${fit.lines} lines, ${fit.widest} wide\n${frame}`);
				if (rows >= 24) assert.match(frame, release.kind === 'flagger' ? /FLAGGER/ : /ARGO/);
				r.unmount();
			}
		});
	}
});
