// The view's connection from the probe, discovery and the watches (pure): live only when the API server
// answers and every watch has listed; before that "cannot reach", after it "stale since" with why.
import assert from 'node:assert/strict';
import {test} from 'node:test';
import {KubeError} from '../../source/kube/errors.js';
import type {WatchState} from '../../source/kube/list-watch.js';
import {connectionOf, type ConnectionInputs} from '../../source/live/connection.js';

const now = 1_700_000_000_000;
const live: WatchState = {state: 'live'};
const refused = new KubeError(0, 'Unreachable', 'connection refused');
const inputs = (over: Partial<ConnectionInputs>): ConnectionInputs => ({now, previous: {state: 'connecting'}, watches: [], ...over});

test('never live: connecting, or why the API server cannot be reached (the probe, discovery, a watch), with the next retry', () => {
	assert.deepEqual(connectionOf(inputs({})), {state: 'connecting'});
	assert.deepEqual(connectionOf(inputs({watches: [live, {state: 'connecting'}]})), {state: 'connecting'});
	assert.deepEqual(connectionOf(inputs({health: {answering: false, since: now - 3000, error: 'connection refused', unreachable: true}, discovery: {error: 'connection refused', unreachable: true, retryAt: now + 2000, attempt: 2}})), {
		state: 'connecting',
		problem: 'cannot reach the API server: connection refused',
		retryAt: now + 2000,
		attempt: 2,
	});
	assert.deepEqual(connectionOf(inputs({discovery: {error: 'no answer within 10s', unreachable: true, retryAt: now + 4000, attempt: 3}})), {
		state: 'connecting',
		problem: 'cannot reach the API server: no answer within 10s',
		retryAt: now + 4000,
		attempt: 3,
	});
	// An exec plugin that fails is not an unreachable server: said as it is.
	const plugin = 'the exec credential plugin "aws" of kubeconfig user "me" failed (exit 255): Unable to locate credentials';
	assert.deepEqual(connectionOf(inputs({health: {answering: false, since: now, error: plugin, unreachable: false}, discovery: {error: plugin, unreachable: false, retryAt: now + 1000, attempt: 1}})), {state: 'connecting', problem: plugin, retryAt: now + 1000, attempt: 1});
	const forbidden = new KubeError(403, 'Forbidden', 'pods is forbidden: User "x" cannot list resource "pods"');
	assert.deepEqual(connectionOf(inputs({watches: [live, {state: 'reconnecting', retryAt: now + 8000, attempt: 4, error: forbidden}, {state: 'reconnecting', retryAt: now + 1000, attempt: 1, error: refused}]})), {
		state: 'connecting',
		problem: 'cannot reach the API server: connection refused',
		retryAt: now + 1000,
		attempt: 1,
	});
});

test('live once every watch has listed and the probe has not failed; `since` is kept while live', () => {
	assert.deepEqual(connectionOf(inputs({watches: [live, live]})), {state: 'live', since: now});
	assert.deepEqual(connectionOf(inputs({watches: [live], health: {answering: true, at: now}, lastLive: now - 4000, previous: {state: 'live', since: now - 60_000}})), {state: 'live', since: now - 60_000});
});

test('was live: stale since then, saying why: the probe first, then a failing watch, then a watch listing again', () => {
	const lastLive = now - 9000;
	const silent = {answering: false as const, since: now - 5000, error: 'no answer within 3s', unreachable: true};
	assert.deepEqual(connectionOf(inputs({watches: [live, live], health: silent, lastLive, previous: {state: 'live', since: now - 60_000}})), {state: 'stale', since: lastLive, why: 'API server: no answer within 3s'});
	assert.deepEqual(connectionOf(inputs({watches: [live, {state: 'reconnecting', retryAt: now + 2000, attempt: 2, error: refused}], health: silent, lastLive})), {
		state: 'stale',
		since: lastLive,
		why: 'API server: no answer within 3s',
		retryAt: now + 2000,
		attempt: 2,
	});
	assert.deepEqual(connectionOf(inputs({watches: [live, {state: 'reconnecting', retryAt: now + 2000, attempt: 2, error: refused}], health: {answering: true, at: now}, lastLive})), {
		state: 'stale',
		since: lastLive,
		why: 'API server: connection refused',
		retryAt: now + 2000,
		attempt: 2,
	});
	assert.deepEqual(connectionOf(inputs({watches: [live, {state: 'connecting', why: 'the API server answers again'}], health: {answering: true, at: now}, lastLive})), {
		state: 'stale',
		since: lastLive,
		why: 'listing again: the API server answers again',
	});
	// Every watch listed again and the probe answers: live from now.
	assert.deepEqual(connectionOf(inputs({watches: [live, live], health: {answering: true, at: now}, lastLive, previous: {state: 'stale', since: lastLive, why: 'x'}})), {state: 'live', since: now});
});

test('live without what the user may not read: named, and a change in it is a new state since the same moment', () => {
	const first = connectionOf(inputs({watches: [live], unreadable: ['virtualservices.networking.istio.io']}));
	assert.deepEqual(first, {state: 'live', since: now, unreadable: ['virtualservices.networking.istio.io']});
	const lastLive = now;
	assert.equal(connectionOf(inputs({now: now + 5000, previous: first, watches: [live], lastLive, unreadable: ['virtualservices.networking.istio.io']})), first, 'the same');
	assert.deepEqual(connectionOf(inputs({now: now + 5000, previous: first, watches: [live], lastLive, unreadable: []})), {state: 'live', since: now}, 'granted: live since then still');
	assert.deepEqual(connectionOf(inputs({now: now + 5000, previous: {state: 'live', since: now}, watches: [live], lastLive, unreadable: ['events']})), {state: 'live', since: now, unreadable: ['events']});
});
