// The action keys on an Argo Rollout and a Flagger Canary, in a real terminal against the sim; kubectl reads
// the result (the controllers' own levers: Rollout status/spec, Canary spec). Each test has a sim of its own
// and brings the object to the state it starts from; a key is pressed once the controller has nothing left
// to write, so the plan's resourceVersion precondition holds however slow the machine.
import assert from 'node:assert/strict';
import {describe, test} from 'node:test';
import {kubectlOk, startTestSim, waitFor, type TestSim} from '../helpers/sim.js';
import {confirmWith, getJson, openView, quit, rollscopeEvents} from './actions-view.js';

type Context = {after: (fn: () => Promise<void>) => void};

describe('argo-rollout actions', () => {
	const NS = 'argo-canary';

	/** The argo-canary scenario for one test, with the Rollout Healthy on its 5 pods. */
	async function argoSim(context: Context): Promise<TestSim> {
		const t = await startTestSim({scenario: 'argo-canary', speed: 10});
		context.after(() => t.stop());
		await settledRollout(t, 'Healthy on 5 available pods', ro => ro.status?.phase === 'Healthy' && ro.status.availableReplicas === 5);
		return t;
	}

	const kubectl = (t: TestSim, ...args: string[]) => kubectlOk(t, ['-n', NS, ...args]);
	const newImage = (t: TestSim, tag: string) => kubectl(t, 'patch', 'rollout', 'orders', '--type', 'json', '-p', JSON.stringify([{op: 'replace', path: '/spec/template/spec/containers/0/image', value: `registry.local/orders:${tag}`}]));
	const rollout = (t: TestSim) => getJson(t, ['rollout', 'orders', '-n', NS]);

	/**
	 * The Rollout once `ready` holds and its controller has nothing left to write: each of its ReplicaSets at the
	 * replicas it wants, all ready and available, none waiting to be scaled down, and the Rollout's status
	 * counting them.
	 */
	async function settledRollout(t: TestSim, what: string, ready: (ro: any) => boolean): Promise<any> {
		return waitFor(
			`the Rollout ${what}, settled`,
			async () => {
				const ro = await rollout(t);
				if (!ready(ro)) return false;
				const sets = (await getJson(t, ['replicasets', '-n', NS])).items.filter((rs: any) => rs.metadata.ownerReferences?.some((o: any) => o.kind === 'Rollout' && o.name === 'orders'));
				if (sets.length === 0) return false;
				const settled = sets.every((rs: any) => {
					const want = rs.spec.replicas ?? 0;
					const s = rs.status ?? {};
					return rs.metadata.annotations?.['scale-down-deadline'] === undefined && (s.replicas ?? 0) === want && (s.readyReplicas ?? 0) === want && (s.availableReplicas ?? 0) === want;
				});
				const sum = (field: string) => sets.reduce((n: number, rs: any) => n + (rs.status?.[field] ?? 0), 0);
				return settled && ro.status.replicas === sum('replicas') && ro.status.readyReplicas === sum('readyReplicas') && ro.status.availableReplicas === sum('availableReplicas') && ro;
			},
			60_000,
		);
	}

	const pausedAt = (tag: string) => (ro: any) => ro.status?.phase === 'Paused' && ro.status.currentStepIndex === 1 && ro.spec.template.spec.containers[0].image === `registry.local/orders:${tag}`;

	test('p moves past the pause step, a aborts (all traffic to stable), space pauses; each leaves its audit Event', async context => {
		const t = await argoSim(context);
		const term = await openView(t, `rollout/orders -n ${NS}`, /ARGO .*✓ Healthy/);
		try {
			await newImage(t, '2.5.0');
			await settledRollout(t, 'paused at step 2 on 2.5.0', pausedAt('2.5.0'));
			await term.waitFor(/Paused: CanaryPauseStep · step 2\/9/, 20_000);

			await confirmWith(term, ['p'], /clear the pause \(CanaryPauseStep\): step 2\/9 \(pause\) → next step/);
			await term.waitFor(/✓ promote rollout\/orders: written; Argo Rollouts carries on/);
			await waitFor('the Rollout past the pause', async () => (await rollout(t)).status.currentStepIndex >= 2);
			await term.waitFor(/✓ Healthy · step 9\/9 \(done\)/, 60_000);

			// Another image, then abort at the pause.
			await newImage(t, '2.6.0');
			await settledRollout(t, 'paused at step 2 on 2.6.0', pausedAt('2.6.0'));
			await term.waitFor(/Paused: CanaryPauseStep · step 2\/9/, 20_000);
			await confirmWith(term, ['a'], /all traffic back to the stable ReplicaSet; the canary is scaled down/);
			await term.waitFor(/✓ abort rollout\/orders: written/);
			assert.equal((await rollout(t)).status.abort, true);
			await waitFor('the VirtualService back on stable', async () => (await kubectl(t, 'get', 'virtualservice', 'orders', '-o', 'jsonpath={.spec.http[0].route[*].weight}')).trim() === '100 0');
			await settledRollout(t, 'aborted', ro => ro.status?.abort === true && ro.status.phase === 'Degraded');
			await term.waitFor(/ABORTED: all traffic to stable/, 20_000);

			await confirmWith(term, [' '], /spec\.paused false → true/);
			await term.waitFor(/✓ pause rollout\/orders: written/);
			assert.equal((await rollout(t)).spec.paused, true);

			const reasons = (await rollscopeEvents(t, NS)).map(e => `${e.reason} ${e.involvedObject.kind}/${e.involvedObject.name}`).sort();
			assert.deepEqual(reasons, ['RollscopeAbort Rollout/orders', 'RollscopePause Rollout/orders', 'RollscopePromote Rollout/orders']);
			await quit(term);
		} finally {
			term.kill();
		}
	});

	test('P promotes fully from the pause step: every step done, Healthy on the new image, with its RollscopePromote Event', async context => {
		const t = await argoSim(context);
		await newImage(t, '2.7.0');
		await settledRollout(t, 'paused at step 2 on 2.7.0', pausedAt('2.7.0'));
		const term = await openView(t, `rollout/orders -n ${NS}`, /Paused: CanaryPauseStep · step 2\/9/);
		try {
			const screen = await term.waitFor(/ P promote fully\b/);
			assert.ok(!/ r restore analysis\b/.test(screen), 'r is a Flagger key: not in the footer of a Rollout');
			term.keys('r');
			await term.waitFor(/restore analysis \(r\) is for a Flagger Canary: rollout\/orders is an Argo Rollout/);

			await confirmWith(term, ['P'], /skip the remaining steps, pauses and analysis: the new version takes all traffic/);
			await term.waitFor(/✓ promote rollout\/orders fully: written; Argo Rollouts carries on/);
			await waitFor('kubectl: fully promoted on 2.7.0, every step done', async () => {
				const ro = await rollout(t);
				return ro.status?.phase === 'Healthy' && ro.status.currentStepIndex === 9 && ro.status.stableRS === ro.status.currentPodHash && ro.spec.template.spec.containers[0].image === 'registry.local/orders:2.7.0';
			}, 60_000);
			await term.waitFor(/✓ Healthy · step 9\/9 \(done\)/, 60_000);
			term.keys('P');
			await term.waitFor(/rollout\/orders is already fully promoted/);

			const events = await rollscopeEvents(t, NS);
			assert.deepEqual(
				events.map(e => `${e.reason} ${e.involvedObject.kind}/${e.involvedObject.name}`),
				['RollscopePromote Rollout/orders'],
				'one Event for the one change',
			);
			assert.match(events[0].message, /^admin: promote rollout\/orders fully: skip the remaining steps, pauses and analysis/);
			await quit(term);
		} finally {
			term.kill();
		}
	});
});

describe('flagger actions', () => {
	const NS = 'flagger';
	const canary = (t: TestSim) => getJson(t, ['canary', 'podinfo', '-n', NS]);

	/** The flagger scenario for one test, its Canary initialised. */
	async function flaggerSim(context: Context): Promise<TestSim> {
		const t = await startTestSim({scenario: 'flagger', speed: 10});
		context.after(() => t.stop());
		await waitFor('Flagger to initialise', async () => (await canary(t)).status?.phase === 'Initialized', 30_000);
		return t;
	}

	test('p promotes a progressing canary by setting skipAnalysis, with the warning; a says Flagger has no abort', async context => {
		const t = await flaggerSim(context);
		// An analysis every 10 minutes holds the new revision at its first step (Progressing, weight 0) while the
		// keys are pressed: Flagger writes the Canary when the revision is detected, then not until the next tick.
		await kubectlOk(t, ['-n', NS, 'patch', 'canary', 'podinfo', '--type', 'merge', '-p', '{"spec":{"analysis":{"interval":"10m"}}}']);
		const term = await openView(t, `canary/podinfo -n ${NS}`, /FLAGGER .*Initialized/);
		try {
			await kubectlOk(t, ['-n', NS, 'set', 'image', 'deploy/podinfo', 'podinfo=registry.local/podinfo:6.6.0']);
			await waitFor('the new revision detected', async () => (await canary(t)).status?.phase === 'Progressing', 30_000);
			await term.waitFor(/Progressing · weight 0% \/ max 50%.* every 10m/, 30_000);
			term.keys('a');
			await term.waitFor(/Flagger has no abort/);
			await confirmWith(term, ['p'], /skipAnalysis stays true: later revisions skip analysis too/);
			await term.waitFor(/✓ promote canary\/podinfo \(skipAnalysis\): written/);
			assert.equal((await canary(t)).spec.skipAnalysis, true);
			const events = await rollscopeEvents(t, NS);
			assert.deepEqual(
				events.map(e => `${e.reason} ${e.involvedObject.kind}/${e.involvedObject.name}`),
				['RollscopePromote Canary/podinfo'],
			);
			await quit(term);
		} finally {
			term.kill();
		}
	});

	test('a canary promoted with skipAnalysis: r restores the analysis (skipAnalysis back to false) with its Event; P says Flagger has no promote --full', async context => {
		const t = await flaggerSim(context);
		// skipAnalysis set (as p sets it), then a new revision, which Flagger promotes without analysis. Succeeded
		// is where it stops: it writes the Canary no more.
		await kubectlOk(t, ['-n', NS, 'patch', 'canary', 'podinfo', '--type', 'merge', '-p', '{"spec":{"skipAnalysis":true}}']);
		await kubectlOk(t, ['-n', NS, 'set', 'image', 'deploy/podinfo', 'podinfo=registry.local/podinfo:6.6.0']);
		await waitFor('the promotion to finish', async () => {
			const c = await canary(t);
			return c.status?.phase === 'Succeeded' && c.status.lastPromotedSpec === c.status.lastAppliedSpec;
		}, 60_000);
		const term = await openView(t, `canary/podinfo -n ${NS}`, /FLAGGER .*Succeeded · skipAnalysis/);
		try {
			const screen = await term.waitFor(/ r restore analysis\b/);
			assert.ok(!/ P promote fully\b/.test(screen), 'P is an Argo key: not in the footer of a Canary');
			term.keys('P');
			await term.waitFor(/Flagger has no promote --full: p promotes canary\/podinfo at once/);
			await confirmWith(term, ['r'], /spec\.skipAnalysis true → false: the next revision runs the analysis/);
			await term.waitFor(/✓ analyse canary\/podinfo again: written; Flagger carries on/);
			assert.equal((await canary(t)).spec.skipAnalysis, false);
			const events = (await rollscopeEvents(t, NS)).map(e => `${e.reason} ${e.involvedObject.kind}/${e.involvedObject.name}`);
			assert.deepEqual(events, ['RollscopeResume Canary/podinfo']);
			await quit(term);
		} finally {
			term.kill();
		}
	});
});
