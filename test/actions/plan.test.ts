import assert from 'node:assert/strict';
import {test} from 'node:test';
import {defaultActionConfig} from '../../source/actions/config.js';
import {planIntent} from '../../source/kinds/registry.js';
import {actionTarget} from '../../source/kinds/registry.js';
import {canaryPair, deployment, replicaSet, service, snapshot} from '../release/fixtures.js';

const options = {config: defaultActionConfig, now: '2026-01-01T00:00:00Z'};

test('each intent goes to the planner of the release kind', () => {
	const {objects} = canaryPair();
	const t = actionTarget(snapshot(objects), 'deploy/checkout', 'fay')!;
	const weight = planIntent(t, {name: 'setWeight', percent: 40}, options);
	assert.ok('plan' in weight);
	assert.deepEqual(weight.plan.steps.map(s => s.path.split('/').slice(-2).join('/')), ['checkout-canary/scale', 'checkout/scale'], 'no router object: replica ratio');
	const pause = planIntent(t, {name: 'pause'}, options);
	assert.ok('message' in pause && /space pauses or resumes a rolling Deployment/.test(pause.message));
	const undo = planIntent(t, {name: 'undo', deployment: 'checkout', revision: 6}, options);
	assert.ok('plan' in undo && undo.plan.title === 'undo deploy/checkout to revision 6');
	const web = deployment('web');
	const rolling = actionTarget(snapshot([web, replicaSet(web, {hash: 'h', revision: 1}), service('web', {app: 'web'})]), 'deploy/web', 'fay')!;
	const promote = planIntent(rolling, {name: 'promote'}, options);
	assert.ok('message' in promote && /not paused: a rolling Deployment promotes itself/.test(promote.message));
});

test('P (promote fully) and r (restore analysis) on a release that is neither an Argo Rollout nor a Flagger Canary: why not', () => {
	const pair = actionTarget(snapshot(canaryPair().objects), 'deploy/checkout', 'fay')!;
	const full = planIntent(pair, {name: 'promoteFull'}, options);
	assert.ok('message' in full && full.message === 'promote fully (P) is for an Argo Rollout: deploy/checkout is a canary pair (p promotes it)', JSON.stringify(full));
	const restore = planIntent(pair, {name: 'restoreAnalysis'}, options);
	assert.ok('message' in restore && restore.message === 'restore analysis (r) is for a Flagger Canary: deploy/checkout is a canary pair, it has no analysis to restore', JSON.stringify(restore));
	const web = deployment('web');
	const rolling = actionTarget(snapshot([web, replicaSet(web, {hash: 'h', revision: 1}), service('web', {app: 'web'})]), 'deploy/web', 'fay')!;
	const onRolling = planIntent(rolling, {name: 'promoteFull'}, options);
	assert.ok('message' in onRolling && /deploy\/web is a rolling Deployment/.test(onRolling.message));
});

test('Deployments owned by Argo Rollouts or Flagger are left to their controller', () => {
	const {objects, canary} = canaryPair();
	canary.metadata.ownerReferences = [{apiVersion: 'argoproj.io/v1alpha1', kind: 'Rollout', name: 'checkout', uid: 'r1'}];
	const t = actionTarget(snapshot(objects), 'deploy/checkout', 'fay')!;
	for (const intent of [{name: 'promote'}, {name: 'abort'}, {name: 'setWeight', percent: 20}] as const) {
		const planned = planIntent(t, intent, options);
		assert.ok('message' in planned && /deploy\/checkout-canary is managed by argo-rollouts: rollscope does not patch it behind the controller's back; use kubectl argo rollouts/.test(planned.message), JSON.stringify(planned));
	}
	const flagged = canaryPair();
	flagged.stable.metadata.annotations = {...flagged.stable.metadata.annotations, 'app.kubernetes.io/managed-by': 'flagger'};
	const f = planIntent(actionTarget(snapshot(flagged.objects), 'deploy/checkout', 'fay')!, {name: 'undo', revision: 6}, options);
	assert.ok('message' in f && /managed by flagger/.test(f.message));
});
