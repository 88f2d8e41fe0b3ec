import assert from 'node:assert/strict';
import {test} from 'node:test';
import {reviewAccess} from '../../source/actions/access.js';
import {accessChecks} from '../../source/kinds/registry.js';
import {eventBody} from '../../source/actions/audit.js';
import {classify, execute, planAsText, type Requester} from '../../source/actions/execute.js';
import {actionTarget} from '../../source/kinds/registry.js';
import type {Plan} from '../../source/actions/types.js';
import {KubeError} from '../../source/kube/errors.js';
import {canaryPair, deployment, replicaSet, service, snapshot, virtualService, destinationRule} from '../release/fixtures.js';

function plan(steps = 2): Plan {
	return {
		title: 'set weight',
		changes: ['a → b'],
		steps: Array.from({length: steps}, (_, i) => ({method: 'PATCH' as const, path: `/apis/x/v1/namespaces/shop/things/t${i}`, contentType: 'application/json-patch+json', body: [{op: 'test', path: '/w', value: 1}], object: `Thing/t${i}`, summary: `step ${i}`})),
		event: {reason: 'RollscopeSetWeight', regarding: {apiVersion: 'x/v1', kind: 'Thing', name: 't0', namespace: 'shop', uid: 'u1'}, message: 'erin set the weight 10% -> 50%'},
		done: 'done',
	};
}

type Call = {method: string; path: string; body?: unknown; contentType?: string};

function fake(fail: Record<string, KubeError> = {}): Requester & {calls: Call[]} {
	const calls: Call[] = [];
	return {
		calls,
		async request(method, path, options = {}) {
			calls.push({method, path, ...options});
			const error = fail[`${method} ${path}`];
			if (error) throw error;
			return {};
		},
	};
}

const testFailed = new KubeError(422, 'Invalid', 'the server rejected our request due to an error in our request: testing value /spec/http/0/route/1/weight failed');

test('every step is sent in order with its content type, then the audit Event', async () => {
	const client = fake();
	const outcome = await execute(client, plan(), {now: () => new Date('2026-03-01T12:00:00.123Z')});
	assert.deepEqual(outcome, {ok: true, written: ['step 0', 'step 1']});
	assert.deepEqual(client.calls.map(c => `${c.method} ${c.path} ${c.contentType ?? ''}`), [
		'PATCH /apis/x/v1/namespaces/shop/things/t0 application/json-patch+json',
		'PATCH /apis/x/v1/namespaces/shop/things/t1 application/json-patch+json',
		'POST /api/v1/namespaces/shop/events ',
	]);
	const event = client.calls[2].body as Record<string, any>;
	assert.equal(event.reason, 'RollscopeSetWeight');
	assert.equal(event.message, 'erin set the weight 10% -> 50%');
	assert.equal(event.reportingComponent, 'rollscope');
	assert.deepEqual(event.source.component, 'rollscope');
	assert.deepEqual(event.involvedObject, {apiVersion: 'x/v1', kind: 'Thing', name: 't0', namespace: 'shop', uid: 'u1'});
	assert.equal(event.metadata.generateName, 't0.');
	assert.equal(event.lastTimestamp, '2026-03-01T12:00:00Z');
	assert.equal(event.type, 'Normal');
});

test('a failed test (422) or a stale resourceVersion (409) is "changed meanwhile, refreshed, nothing written"', async () => {
	const client = fake({'PATCH /apis/x/v1/namespaces/shop/things/t0': testFailed});
	const outcome = await execute(client, plan());
	assert.equal(outcome.ok, false);
	assert.ok(!outcome.ok);
	assert.equal(outcome.kind, 'conflict');
	assert.equal(outcome.message, 'Thing/t0 changed meanwhile: refreshed, nothing written. Look again and retry.');
	assert.equal(client.calls.length, 1, 'nothing after the failed step, no Event');
	assert.equal(classify(new KubeError(409, 'Conflict', 'the object has been modified')), 'conflict');
	assert.equal(classify(new KubeError(422, 'Invalid', 'spec.replicas: must be >= 0')), 'invalid');
	assert.equal(classify(new KubeError(404, 'NotFound', 'x')), 'gone');
	assert.equal(classify(new KubeError(0, 'Unreachable', 'ECONNREFUSED')), 'unreachable');
});

test('a failure after a step was written says what was and what was not', async () => {
	const client = fake({'PATCH /apis/x/v1/namespaces/shop/things/t1': testFailed});
	const outcome = await execute(client, plan(3));
	assert.ok(!outcome.ok);
	assert.equal(outcome.message, 'Thing/t1 changed meanwhile: refreshed, written before it: step 0; not written: step 1; step 2. Look again and retry.');
	assert.deepEqual(outcome.written, ['step 0']);
});

test('a 403 is explained, not thrown; an Event that cannot be written does not undo the change', async () => {
	const forbidden = new KubeError(403, 'Forbidden', 'things.x "t0" is forbidden: User "viewer" cannot patch resource "things"');
	const denied = await execute(fake({'PATCH /apis/x/v1/namespaces/shop/things/t0': forbidden}), plan(1));
	assert.ok(!denied.ok);
	assert.equal(denied.kind, 'forbidden');
	assert.match(denied.message, /^not permitted: things\.x "t0" is forbidden: User "viewer" cannot patch resource "things" \(nothing written\)$/);
	const noEvent = await execute(fake({'POST /api/v1/namespaces/shop/events': forbidden}), plan(1));
	assert.deepEqual(noEvent, {ok: true, written: ['step 0'], eventProblem: `the audit Event could not be written: ${forbidden.message}`});
});

test('--dry-run text: method, path, content type and the patch', () => {
	const lines = planAsText(plan(1));
	assert.deepEqual(lines.slice(0, 3), ['PATCH /apis/x/v1/namespaces/shop/things/t0', '  Content-Type: application/json-patch+json', '  [']);
	assert.ok(lines.join('\n').includes('"op": "test"'));
	assert.equal(eventBody(plan().event!, new Date(0), 'host').reportingInstance, 'host');
});

test('access: the checks each kind of action needs, asked once each; denials named per action', async () => {
	const {objects} = canaryPair();
	const vs = virtualService('checkout', [{route: [{destination: {host: 'checkout', subset: 'stable'}, weight: 90}, {destination: {host: 'checkout', subset: 'canary'}, weight: 10}]}]);
	const dr = destinationRule('checkout', 'checkout', [{name: 'stable', labels: {track: 'stable'}}, {name: 'canary', labels: {track: 'canary'}}]);
	const t = actionTarget(snapshot([...objects, vs, dr]), 'deploy/checkout', 'erin')!;
	const checks = accessChecks(t);
	assert.deepEqual(checks.weight, [{verb: 'patch', group: 'networking.istio.io', resource: 'virtualservices'}]);
	assert.deepEqual(checks.promote.map(c => `${c.resource}${c.subresource ? '/' + c.subresource : ''}`), ['deployments', 'virtualservices', 'deployments/scale']);
	assert.deepEqual(checks.pause, []);
	assert.deepEqual(accessChecks(t, 'replicas').weight, [{verb: 'patch', group: 'apps', resource: 'deployments', subresource: 'scale'}]);
	const web = deployment('web');
	const rolling = actionTarget(snapshot([web, replicaSet(web, {hash: 'h', revision: 1}), service('web', {app: 'web'})]), 'deploy/web', 'erin')!;
	assert.deepEqual(accessChecks(rolling).weight, []);

	const asked: unknown[] = [];
	const review = {
		async request(_m: 'POST', _p: string, options: {body: any}) {
			asked.push(options.body.spec.resourceAttributes);
			const attrs = options.body.spec.resourceAttributes;
			return {status: {allowed: attrs.resource === 'events' || attrs.subresource === 'scale', reason: 'viewer may only read'}};
		},
	};
	const result = await reviewAccess(review, 'shop', checks);
	assert.equal(asked.length, 4, 'deployments, virtualservices, deployments/scale, events: once each');
	assert.deepEqual(Object.keys(result.denied).sort(), ['abort', 'promote', 'undo', 'weight']);
	assert.equal(result.denied.weight, 'patch virtualservices.networking.istio.io denied (viewer may only read)');
	assert.equal(result.eventsDenied, undefined);
	const failing = await reviewAccess({request: async () => Promise.reject(new KubeError(0, 'Unreachable', 'down'))}, 'shop', checks);
	assert.deepEqual(failing.denied, {}, 'a review that fails denies nothing');
	assert.match(failing.problem ?? '', /cannot ask what is allowed: down/);
});
