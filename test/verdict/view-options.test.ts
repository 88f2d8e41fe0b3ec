// The view's verdict options: the gate's absolute limits (--max-error-ratio, --max-p95) reach the view's
// judge, and --auto-advance's step interval.
import assert from 'node:assert/strict';
import {test} from 'node:test';
import {verdictOptions} from '../../source/commands/open-view.js';
import {defaultJudgeConfig, nextVerdict} from '../../source/verdict/judge.js';

// XDG_CONFIG_HOME points where no config file is, so only the flags count.
const flags = {interval: 5};
const env = {XDG_CONFIG_HOME: '/nonexistent'};

test('verdictOptions: no limits by default; --max-error-ratio and --max-p95 set them', () => {
	const plain = verdictOptions(flags, env);
	assert.ok(!('error' in plain));
	assert.deepEqual(plain.judge, defaultJudgeConfig);
	assert.equal(plain.autoAdvanceMs, undefined);
	const limited = verdictOptions({...flags, maxErrorRatio: '1%', maxP95: '300ms'}, env);
	assert.ok(!('error' in limited));
	assert.equal(limited.judge.maxErrorRatio, 0.01);
	assert.equal(limited.judge.maxP95Ms, 300);
	// The view's judge then fails a canary above the limit even when the old version is as bad.
	const arm = {requests: 1000, errors: 20, p95Ms: 100};
	const verdict = nextVerdict({state: 'marginal', reason: '', slis: [], failingWindows: 2}, {canary: arm, baseline: arm}, limited.judge);
	assert.equal(verdict.state, 'fail');
	assert.match(verdict.reason, /above the limit of 1\.0 %/);
});

test('verdictOptions: bad limits and step intervals are usage errors', () => {
	assert.match(String((verdictOptions({...flags, maxErrorRatio: 'lots'}, env) as {error: string}).error), /^--max-error-ratio: /);
	assert.match(String((verdictOptions({...flags, maxP95: 'fast'}, env) as {error: string}).error), /^--max-p95: /);
	assert.match(String((verdictOptions({...flags, autoAdvance: true, stepInterval: 'soon'}, env) as {error: string}).error), /^--step-interval: /);
});

test('verdictOptions: --auto-advance steps every 2m by default, or every --step-interval', () => {
	const a = verdictOptions({...flags, autoAdvance: true}, env);
	assert.ok(!('error' in a));
	assert.equal(a.autoAdvanceMs, 120_000);
	const b = verdictOptions({...flags, autoAdvance: true, stepInterval: '3s'}, env);
	assert.ok(!('error' in b));
	assert.equal(b.autoAdvanceMs, 3_000);
	const c = verdictOptions({...flags, stepInterval: '3s'}, env);
	assert.ok(!('error' in c));
	assert.equal(c.autoAdvanceMs, undefined, 'without --auto-advance, nothing advances');
});
