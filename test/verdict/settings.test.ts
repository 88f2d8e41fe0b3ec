// The verdict's settings: the config file's `verdict:` section (checked with lines, like the rest of the
// file), flags of the same name on top, defaults under both; and the judge really runs with them.
import assert from 'node:assert/strict';
import {test} from 'node:test';
import {parseConfig} from '../../source/config/config.js';
import {defaultJudgeConfig, nextVerdict} from '../../source/verdict/judge.js';
import {windowText} from '../../source/verdict/settings.js';
import {verdictSettings} from '../../source/config/verdict.js';
import {configIssues} from '../helpers/config.js';

const full = `
verdict:
  window: 2m
  minRequests: 50
  alpha: 5%
  errorMargin: 0.2%
  errorMarginRelative: 200%
  latencyMargin: 70%
  failAfter: 2
  maxErrorRatio: 1%
  maxP95: 300ms
  autoAbortDelay: 10s
  stepInterval: 5m
`;

test('without config or flags the verdict runs on the defaults', () => {
	const s = verdictSettings(undefined, {});
	assert.ok(!('error' in s));
	assert.deepEqual(s, {windowSeconds: 60, judge: defaultJudgeConfig, autoAbortDelaySeconds: 30, stepIntervalSeconds: 120});
});

test('every key of the verdict section reaches the judge and the timings, with its unit', () => {
	const s = verdictSettings(parseConfig(full, 'config.yaml').verdict, {});
	assert.ok(!('error' in s));
	assert.deepEqual(s, {
		windowSeconds: 120,
		judge: {minRequests: 50, alpha: 0.05, errorMarginAbsolute: 0.002, errorMarginRelative: 2, latencyMargin: 0.7, failAfter: 2, maxErrorRatio: 0.01, maxP95Ms: 300},
		autoAbortDelaySeconds: 10,
		stepIntervalSeconds: 300,
	});
});

test('flags win over the config file', () => {
	const s = verdictSettings(parseConfig(full, 'config.yaml').verdict, {window: '30s', maxErrorRatio: '2%', maxP95: '1s', autoAbortDelay: '1m', stepInterval: '45s'});
	assert.ok(!('error' in s));
	assert.equal(s.windowSeconds, 30);
	assert.equal(s.judge.maxErrorRatio, 0.02);
	assert.equal(s.judge.maxP95Ms, 1000);
	assert.equal(s.autoAbortDelaySeconds, 60);
	assert.equal(s.stepIntervalSeconds, 45);
	assert.equal(s.judge.minRequests, 50, 'keys without a flag stay from the file');
	assert.match(String((verdictSettings(undefined, {window: 'long'}) as {error: string}).error), /^--window: expected a duration/);
});

test('bad values in the verdict section are reported together, each with its line', () => {
	const found = configIssues('verdict:\n  alpha: 0\n  minRequests: 2.5\n  latencyMargin: 40%\n  errorMarginRelative: lots\n  maxP95: 300\n  failafter: 3\n');
	assert.deepEqual(found.map(i => i.slice(0, i.indexOf(':'))), ['line 2', 'line 3', 'line 4', 'line 5', 'line 6', 'line 7']);
	assert.match(found[0]!, /verdict\.alpha: expected a significance level above 0 and at most 0\.5/);
	assert.match(found[1]!, /verdict\.minRequests: expected a whole number of at least 1, got 2\.5/);
	assert.match(found[2]!, /verdict\.latencyMargin: expected a share of pairs from 50% to 100%/);
	assert.match(found[3]!, /verdict\.errorMarginRelative: expected a share of the old ratio/);
	assert.match(found[4]!, /verdict\.maxP95: give a unit: 300ms or 300s/);
	assert.match(found[5]!, /unknown key "failafter" at verdict; known: .*failAfter/);
});

test('the judge runs with the configured minimum and failing windows', () => {
	const s = verdictSettings(parseConfig('verdict: {minRequests: 50, failAfter: 1}', 'config.yaml').verdict, {});
	assert.ok(!('error' in s));
	const window = {canary: {requests: 100, errors: 30}, baseline: {requests: 100, errors: 0}};
	assert.equal(nextVerdict(undefined, window).state, 'collecting', 'the default minimum is 200 requests');
	const verdict = nextVerdict(undefined, window, s.judge);
	assert.equal(verdict.state, 'fail', 'judged at 100 requests, and failed at once with failAfter 1');
	assert.match(verdict.reason, /errors 30\.0 % vs 0\.00 %/);
});

test('the gate says its window the way a person would', () => {
	assert.deepEqual([60, 120, 90, 10].map(windowText), ['1m', '2m', '90s', '10s']);
});
