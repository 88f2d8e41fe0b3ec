import {test} from 'node:test';
import assert from 'node:assert/strict';
import {phaseEntries, statusColour, text} from '../../source/ui/format.js';
import {bar} from '../../source/text/format.js';
import {age, clock, imageTag, imagesLabel} from '../../source/text/format.js';
import {connectionView, revisionsLabel} from '../../source/ui/Header.js';
import {canaryRelease, now, rollingRelease} from './fixtures.js';

test('image tags, ages, bars', () => {
	assert.equal(imageTag('registry.local:5000/shop/checkout:v1.3.0'), 'v1.3.0');
	assert.equal(imageTag('registry.local:5000/shop/checkout'), 'latest');
	assert.equal(imageTag('shop/checkout@sha256:0123456789abcdef0123'), '@0123456789ab');
	assert.equal(imagesLabel(['a:1', 'b:2']), '1 +1');
	assert.equal(imagesLabel([]), '?');
	assert.deepEqual([age(5), age(119), age(600), age(7200), age(200_000), age(-1)], ['5s', '119s', '10m', '2h', '2d', '?']);
	assert.equal(bar(10, 10), '█░░░░░░░░░');
	assert.equal(bar(150, 4), '████');
});

test('status colours come from own keys only; text never prints objects', () => {
	assert.equal(statusColour('CrashLoopBackOff'), 'red');
	assert.equal(statusColour('Init:0/1'), 'yellow');
	assert.equal(statusColour('constructor'), undefined);
	assert.deepEqual(phaseEntries({CrashLoopBackOff: 1, Running: 2, Pending: 0}), [['Running', 2], ['CrashLoopBackOff', 1]]);
	assert.equal(text({a: 1}), '?');
	assert.equal(text(undefined), '');
});

test('header labels: revisions old → new, connection words', () => {
	assert.equal(revisionsLabel(canaryRelease().versions), 'rev 7 → 8');
	assert.equal(revisionsLabel(rollingRelease().versions), 'rev 10, 11 → 12');
	assert.equal(connectionView({state: 'stale', since: now - 5000, why: 'the pods watch failed', retryAt: now + 2500, attempt: 3}, now).text, `stale since ${clock(now - 5000)} · the pods watch failed · retry in 3s (attempt 3)`);
	assert.equal(connectionView({state: 'stale', since: now, why: 'x', retryAt: now - 10, attempt: 3}, now).text, `stale since ${clock(now)} · x · retrying (attempt 3)`);
	assert.equal(connectionView({state: 'connecting', problem: 'cannot reach the API server: connection refused'}, now).text, 'cannot reach the API server: connection refused');
	assert.equal(connectionView({state: 'connecting'}, now).text, 'connecting…');
	assert.equal(connectionView({state: 'live', since: now}, now).text, 'live');
	const partly = connectionView({state: 'live', since: now, unreadable: ['virtualservices.networking.istio.io']}, now);
	assert.deepEqual([partly.text, partly.colour], ['live · may not read virtualservices.networking.istio.io', 'yellow']);
	assert.equal(connectionView({state: 'live', since: now, unreadable: ['canaries.flagger.app', 'rollouts.argoproj.io', 'events']}, now).text, 'live · may not read canaries.flagger.app and 2 more');
});
