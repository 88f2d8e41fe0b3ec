// rollscope -A against the simulated cluster: --once prints every scenario's release, the one that needs a
// person first (as text and as JSON); in a terminal, the demo lists them live, enter opens one, esc comes back.
import assert from 'node:assert/strict';
import {after, before, describe, test} from 'node:test';
import {scenarioNames} from '../../source/sim/scenarios.js';
import {runCli} from '../helpers/cli.js';
import {kubectlOk, startTestSim, waitFor, type TestSim} from '../helpers/sim.js';
import {cliCommand, Terminal} from '../helpers/tmux.js';

const scenarios = scenarioNames.filter(n => n !== 'all');

describe('rollscope -A --once against every scenario', () => {
	let t: TestSim;
	before(async () => {
		t = await startTestSim({scenario: 'all'});
		const store = t.sim.store;
		await waitFor('the Deployments to be available', () => store.list('apps/deployments').every(d => (d.status?.availableReplicas ?? 0) === d.spec.replicas && d.status?.observedGeneration === d.metadata.generation), 60_000);
		// The cluster stays still: this test breaks one release itself, as a bad deploy would.
		await kubectlOk(t, ['-n', 'stuck', 'set', 'image', 'deploy/ledger', 'ledger=registry.local/ledger:2.1.0-crash']);
		await waitFor('the new ledger pod to crash-loop', () => store.list('pods', 'stuck').some(p => p.status?.containerStatuses?.[0]?.state?.waiting?.reason === 'CrashLoopBackOff'), 60_000);
	});
	after(async () => {
		await t.stop();
	});

	test('text: one line per release, the crash-looping one first, every scenario listed', async () => {
		const run = await runCli(['-A', '--once'], t.kubeconfigPath);
		assert.equal(run.code, 0, run.stderr);
		const lines = run.stdout.trimEnd().split('\n');
		assert.match(lines[0]!, /^STATE +NAMESPACE +RELEASE +KIND +VERSIONS +WEIGHT +PHASE +VERDICT$/);
		// Crash-looping, and soon (the sim runs 20 times faster) past its 30 s progress deadline.
		assert.match(lines[1]!, /^failing +stuck +deploy\/ledger +rolling +2\.0\.0 \| 2\.1\.0-crash +100% \| 0% +(CrashLoopBackOff \(1 pod\)|ProgressDeadlineExceeded) +-$/);
		for (const s of t.sim.scenarios) assert.ok(lines.some(l => new RegExp(`^\\w+ +${s.namespace} +`).test(l)), `${s.namespace} in\n${run.stdout}`);
		assert.equal(lines.length, 1 + scenarios.length, run.stdout);
		// The rest in order: nothing else fails; waiting before progressing before steady.
		const levels = lines.slice(1).map(l => l.split(/ +/)[0]!);
		const rank = ['failing', 'waiting', 'progressing', 'steady'];
		assert.deepEqual(levels, [...levels].sort((a, b) => rank.indexOf(a) - rank.indexOf(b)));
		assert.equal(levels.filter(l => l === 'failing').length, 1, run.stdout);
	});

	test('-o json: the rows, with each scenario at the target its definition opens', async () => {
		const run = await runCli(['-A', '--once', '-o', 'json'], t.kubeconfigPath);
		assert.equal(run.code, 0, run.stderr);
		const out = JSON.parse(run.stdout) as {context: string; releases: Array<{key: string; namespace: string; target: string; kind: string; attention: string; phase: string; versions: Array<{id: string; images: string[]; weight?: number}>}>};
		assert.equal(out.context, 'rollscope-sim');
		const [first] = out.releases;
		assert.deepEqual([first!.key, first!.attention], ['stuck/deploy/ledger', 'failing']);
		assert.match(first!.phase, /^(CrashLoopBackOff \(1 pod\)|ProgressDeadlineExceeded)$/);
		assert.deepEqual(first!.versions.map(v => [v.images, v.weight]), [[['registry.local/ledger:2.0.0'], 100], [['registry.local/ledger:2.1.0-crash'], 0]]);
		assert.deepEqual(out.releases.map(r => r.namespace).sort(), [...scenarios].sort());
		// Blue-green is listed by the Service that picks the live side; every other scenario at its own target.
		for (const s of t.sim.scenarios.filter(s => s.name !== 'bluegreen')) {
			assert.ok(out.releases.some(r => r.namespace === s.namespace && r.target === s.target), `${s.namespace} ${s.target}`);
		}
		assert.ok(out.releases.some(r => r.key === 'argo-canary/rollout/orders' && r.kind === 'argo-rollout' && r.attention === 'steady' && r.phase === 'Healthy'));
	});

	test('-A takes no target, and gate and sim do not take it: usage errors that change nothing', async () => {
		const runs = await Promise.all([['-A', 'deploy/web', '--once'], ['gate', 'deploy/web', '-A'], ['sim', '-A']].map(args => runCli(args, t.kubeconfigPath)));
		for (const run of runs) {
			assert.equal(run.code, 2, run.stderr);
			assert.equal(run.stdout, '');
		}
		assert.match(runs[0]!.stderr, /^rollscope: -A .* takes no target: open one from the list, or give TARGET with -n NAMESPACE\n$/);
		assert.match(runs[1]!.stderr, /^rollscope: -A does not apply to rollscope gate; see rollscope gate --help\n$/);
		assert.match(runs[2]!.stderr, /^rollscope: -A does not apply to rollscope sim; see rollscope sim --help\n$/);
	});
});

describe('rollscope demo -A in a terminal', () => {
	test('lists every scenario, the stuck one first; enter opens it, esc comes back to the list', async () => {
		const term = new Terminal(cliCommand('demo --scenario all -A'), {width: 160, height: 40});
		try {
			await term.waitFor(new RegExp(`RELEASES +in all namespaces: ${scenarios.length} in ${scenarios.length} namespaces`), 60_000);
			const listed = await term.waitFor(/› ✗ failing +stuck +deploy\/ledger/, 30_000);
			for (const name of scenarios) assert.match(listed, new RegExp(`\\s${name}\\s`), name);
			term.keys('Enter');
			const opened = await term.waitFor(/rollscope +stuck\/ledger +rolling Deployment[\s\S]*CrashLoopBackOff[\s\S]*esc all releases/, 20_000);
			assert.doesNotMatch(opened, /RELEASES +in all namespaces/);
			term.keys('Escape');
			await term.waitFor(/RELEASES +in all namespaces[\s\S]*› ✗ failing +stuck +deploy\/ledger/, 10_000);
			term.keys('q');
			await term.waitFor(/\[exited 0\]/, 20_000);
		} finally {
			term.kill();
		}
	});
});
