// The action keys on an Argo Rollout and a Flagger Canary, in a real terminal against the sim; kubectl reads
// the result (the controllers' own levers: Rollout status/spec, Canary spec).
import assert from 'node:assert/strict';
import {after, before, describe, test} from 'node:test';
import {kubectlOk, startTestSim, waitFor, type TestSim} from '../helpers/sim.js';
import {confirmWith, getJson, openView, quit, rollscopeEvents} from './actions-view.js';

describe('argo-rollout actions', () => {
	const NS = 'argo-canary';
	let t: TestSim;
	before(async () => {
		t = await startTestSim({scenario: 'argo-canary', speed: 10});
	});
	after(async () => {
		await t.stop();
	});

	const kubectl = (...args: string[]) => kubectlOk(t, ['-n', NS, ...args]);
	const newImage = (tag: string) => kubectl('patch', 'rollout', 'orders', '--type', 'json', '-p', JSON.stringify([{op: 'replace', path: '/spec/template/spec/containers/0/image', value: `registry.local/orders:${tag}`}]));
	const rollout = () => getJson(t, ['rollout', 'orders', '-n', NS]);

	test('p moves past the pause step, a aborts (all traffic to stable), space pauses; each leaves its audit Event', async () => {
		await waitFor('5 available pods', async () => /orders\s+5\s+5\s+5\s+5\s/.test(await kubectl('get', 'ro')));
		const term = await openView(t, `rollout/orders -n ${NS}`, /ARGO .*✓ Healthy/);
		try {
			await newImage('2.5.0');
			await term.waitFor(/Paused: CanaryPauseStep · step 2\/9/, 20_000);
			assert.equal((await rollout()).status.currentStepIndex, 1);

			await confirmWith(term, ['p'], /clear the pause \(CanaryPauseStep\): step 2\/9 \(pause\) → next step/);
			await term.waitFor(/✓ promote rollout\/orders: written; Argo Rollouts carries on/);
			await waitFor('the Rollout past the pause', async () => (await rollout()).status.currentStepIndex >= 2);
			await term.waitFor(/✓ Healthy · step 9\/9 \(done\)/, 60_000);

			// Another image, then abort at the pause.
			await newImage('2.6.0');
			await term.waitFor(/Paused: CanaryPauseStep · step 2\/9/, 20_000);
			await confirmWith(term, ['a'], /all traffic back to the stable ReplicaSet; the canary is scaled down/);
			await term.waitFor(/✓ abort rollout\/orders: written/);
			assert.equal((await rollout()).status.abort, true);
			await waitFor('the VirtualService back on stable', async () => (await kubectl('get', 'virtualservice', 'orders', '-o', 'jsonpath={.spec.http[0].route[*].weight}')).trim() === '100 0');
			await term.waitFor(/ABORTED: all traffic to stable/, 20_000);

			await confirmWith(term, [' '], /spec\.paused false → true/);
			await term.waitFor(/✓ pause rollout\/orders: written/);
			assert.equal((await rollout()).spec.paused, true);

			const reasons = (await rollscopeEvents(t, NS)).map(e => `${e.reason} ${e.involvedObject.kind}/${e.involvedObject.name}`).sort();
			assert.deepEqual(reasons, ['RollscopeAbort Rollout/orders', 'RollscopePause Rollout/orders', 'RollscopePromote Rollout/orders']);
			await quit(term);
		} finally {
			term.kill();
		}
	});

	test('P promotes fully from the pause step: every step done, Healthy on the new image, with its RollscopePromote Event', async () => {
		// Whatever the test before left (aborted, paused by spec): resume and give a new image, so the steps start again.
		await kubectl('patch', 'rollout', 'orders', '--type', 'merge', '-p', '{"spec":{"paused":false}}');
		await newImage('2.7.0');
		// At the pause and settled there (the controller has stopped writing the Rollout), so that the plan's
		// resourceVersion precondition is not raced by the canary pod becoming ready.
		await waitFor('the pause at step 2 on 2.7.0, settled', async () => {
			const ro = await rollout();
			if (ro.status?.phase !== 'Paused' || ro.status.currentStepIndex !== 1 || ro.spec.template.spec.containers[0].image !== 'registry.local/orders:2.7.0') return false;
			await new Promise(resolve => setTimeout(resolve, 500));
			return (await rollout()).metadata.resourceVersion === ro.metadata.resourceVersion;
		}, 30_000);
		const before = (await rollscopeEvents(t, NS)).length;
		const term = await openView(t, `rollout/orders -n ${NS}`, /Paused: CanaryPauseStep · step 2\/9/);
		try {
			const screen = await term.waitFor(/ P promote fully\b/);
			assert.ok(!/ r restore analysis\b/.test(screen), 'r is a Flagger key: not in the footer of a Rollout');
			term.keys('r');
			await term.waitFor(/restore analysis \(r\) is for a Flagger Canary: rollout\/orders is an Argo Rollout/);

			await confirmWith(term, ['P'], /skip the remaining steps, pauses and analysis: the new version takes all traffic/);
			await term.waitFor(/✓ promote rollout\/orders fully: written; Argo Rollouts carries on/);
			await waitFor('kubectl: fully promoted on 2.7.0, every step done', async () => {
				const ro = await rollout();
				return ro.status?.phase === 'Healthy' && ro.status.currentStepIndex === 9 && ro.status.stableRS === ro.status.currentPodHash && ro.spec.template.spec.containers[0].image === 'registry.local/orders:2.7.0';
			}, 60_000);
			await term.waitFor(/✓ Healthy · step 9\/9 \(done\)/, 60_000);
			term.keys('P');
			await term.waitFor(/rollout\/orders is already fully promoted/);

			const events = await rollscopeEvents(t, NS);
			assert.equal(events.length, before + 1, 'one Event for the one change');
			const full = events.filter(e => /promote rollout\/orders fully/.test(e.message));
			assert.deepEqual(full.map(e => `${e.reason} ${e.involvedObject.kind}/${e.involvedObject.name}`), ['RollscopePromote Rollout/orders']);
			assert.match(full[0].message, /^admin: promote rollout\/orders fully: skip the remaining steps, pauses and analysis/);
			await quit(term);
		} finally {
			term.kill();
		}
	});
});

describe('flagger actions', () => {
	const NS = 'flagger';
	let t: TestSim;
	before(async () => {
		t = await startTestSim({scenario: 'flagger', speed: 10});
	});
	after(async () => {
		await t.stop();
	});

	test('p promotes a progressing canary by setting skipAnalysis, with the warning; a says Flagger has no abort', async () => {
		await waitFor('Flagger to initialise', async () => (await getJson(t, ['canary', 'podinfo', '-n', NS])).status?.phase === 'Initialized', 30_000);
		const term = await openView(t, `canary/podinfo -n ${NS}`, /FLAGGER .*Initialized/);
		try {
			const r = await t.kubectl(['-n', NS, 'set', 'image', 'deploy/podinfo', 'podinfo=registry.local/podinfo:6.6.0']);
			assert.equal(r.code, 0, r.stderr);
			await term.waitFor(/Progressing · weight [1-4]0% \/ max 50%/, 30_000);
			term.keys('a');
			await term.waitFor(/Flagger has no abort/);
			await confirmWith(term, ['p'], /skipAnalysis stays true: later revisions skip analysis too/);
			await term.waitFor(/✓ promote canary\/podinfo \(skipAnalysis\): written/);
			assert.equal((await getJson(t, ['canary', 'podinfo', '-n', NS])).spec.skipAnalysis, true);
			const [event] = await rollscopeEvents(t, NS);
			assert.equal(`${event.reason} ${event.involvedObject.kind}/${event.involvedObject.name}`, 'RollscopePromote Canary/podinfo');
			await quit(term);
		} finally {
			term.kill();
		}
	});

	test('after p, r restores the analysis (skipAnalysis back to false) with its Event; P says Flagger has no promote --full', async () => {
		// Succeeded and settled (Flagger no longer writes the Canary), so the plan's resourceVersion holds.
		await waitFor('the promotion to finish', async () => {
			const canary = await getJson(t, ['canary', 'podinfo', '-n', NS]);
			if (canary.status?.phase !== 'Succeeded') return false;
			await new Promise(resolve => setTimeout(resolve, 500));
			return (await getJson(t, ['canary', 'podinfo', '-n', NS])).metadata.resourceVersion === canary.metadata.resourceVersion;
		}, 30_000);
		assert.equal((await getJson(t, ['canary', 'podinfo', '-n', NS])).spec.skipAnalysis, true);
		const term = await openView(t, `canary/podinfo -n ${NS}`, /FLAGGER .*Succeeded/);
		try {
			const screen = await term.waitFor(/ r restore analysis\b/);
			assert.ok(!/ P promote fully\b/.test(screen), 'P is an Argo key: not in the footer of a Canary');
			term.keys('P');
			await term.waitFor(/Flagger has no promote --full: p promotes canary\/podinfo at once/);
			await confirmWith(term, ['r'], /spec\.skipAnalysis true → false: the next revision runs the analysis/);
			await term.waitFor(/✓ analyse canary\/podinfo again: written; Flagger carries on/);
			assert.equal((await getJson(t, ['canary', 'podinfo', '-n', NS])).spec.skipAnalysis, false);
			const events = (await rollscopeEvents(t, NS)).map(e => `${e.reason} ${e.involvedObject.kind}/${e.involvedObject.name}`).sort();
			assert.deepEqual(events, ['RollscopePromote Canary/podinfo', 'RollscopeResume Canary/podinfo']);
			await quit(term);
		} finally {
			term.kill();
		}
	});
});
