// The one loader of a run's settings: flags over the environment over the config file, every problem named
// with where it came from, and the values each part of rollscope goes by.
import assert from 'node:assert/strict';
import {mkdtempSync, rmSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {after, test} from 'node:test';
import {confirmsByName, defaultActionConfig} from '../../source/actions/config.js';
import {defaultConfigPath} from '../../source/config/config.js';
import {resolveSettings, SettingsError, type SettingsFlags} from '../../source/config/settings.js';
import {verdictOptions} from '../../source/commands/open-view.js';
import {defaultJudgeConfig, nextVerdict} from '../../source/verdict/judge.js';

const dir = mkdtempSync(join(tmpdir(), 'rollscope-settings-'));
after(() => rmSync(dir, {recursive: true, force: true}));
/** XDG_CONFIG_HOME points where no config file is, so only what a test gives counts. */
const env = {XDG_CONFIG_HOME: join(dir, 'none')};
const file = (name: string, text: string) => {
	const path = join(dir, name);
	writeFileSync(path, text);
	return path;
};
/** The problems resolving these flags reports (none: an empty list). */
function problems(flags: SettingsFlags, environment: Record<string, string> = env): string[] {
	try {
		resolveSettings(flags, environment);
	} catch (error) {
		assert.ok(error instanceof SettingsError, String(error));
		return error.problems;
	}
	return [];
}

test('defaults: no file, no flags', () => {
	const s = resolveSettings({}, env);
	assert.equal(s.interval, 5);
	assert.deepEqual(s.actions, {readOnly: false, dryRun: false, config: defaultActionConfig});
	assert.deepEqual(defaultActionConfig, {confirmByName: [], weightStep: 10, weightPlan: [5, 25, 50, 100], abortScalesCanary: true});
	assert.equal(s.prometheus, undefined);
	assert.equal(s.configFile, undefined);
	assert.deepEqual(s.verdict.judge, defaultJudgeConfig);
	assert.equal(s.verdict.windowSeconds, 60);
	assert.equal(defaultConfigPath({XDG_CONFIG_HOME: dir}), join(dir, 'rollscope', 'config.yaml'));
});

test('the action keys of the file, with ROLLSCOPE_CONFIRM_BY_NAME over confirmByName; --router checked', () => {
	const config = file('actions.yaml', 'confirmByName: ["prod*", "pay-?"]\nweightStep: 5\nweightPlan: [50, 10, 10]\nabortScalesCanary: false\nmetrics: {preset: istio}\n');
	const s = resolveSettings({config, router: 'smi', dryRun: true}, env);
	assert.deepEqual(s.actions, {readOnly: false, dryRun: true, router: 'smi', config: {confirmByName: ['prod*', 'pay-?'], weightStep: 5, weightPlan: [10, 50], abortScalesCanary: false}});
	assert.equal(s.configFile, config);
	assert.deepEqual(resolveSettings({config: file('one.yaml', 'confirmByName: prod*\n')}, env).actions.config.confirmByName, ['prod*']);
	assert.deepEqual(resolveSettings({config}, {...env, ROLLSCOPE_CONFIRM_BY_NAME: 'prod*, live '}).actions.config.confirmByName, ['prod*', 'live']);
	assert.deepEqual(problems({router: 'linkerd'}), ['unknown --router "linkerd"; use one of istio, gateway-api, smi, traefik, nginx, replicas']);
});

test('a bad action key is one line per problem, with the file and its line', () => {
	const bad = file('bad-actions.yaml', 'weightStep: 0\nweightPlan: [5, x]\nconfirmByName: [3]\nabortScalesCanary: yes please\n');
	assert.deepEqual(problems({config: bad}), [
		`config ${bad}: line 1: weightStep: expected a whole number from 1 to 100, got 0`,
		`config ${bad}: line 2: weightPlan: expected a list of whole percentages, such as [5, 25, 50, 100], got a list`,
		`config ${bad}: line 3: confirmByName.0: expected text, got 3`,
		`config ${bad}: line 4: abortScalesCanary: expected true or false, got "yes please"`,
	]);
	assert.deepEqual(problems({config: join(dir, 'missing.yaml')}), [`config ${join(dir, 'missing.yaml')}: cannot read it: no such file`]);
});

test('patterns match whole namespace names', () => {
	assert.ok(confirmsByName('prod-eu', ['prod*']));
	assert.ok(confirmsByName('prod', ['prod*']));
	assert.ok(!confirmsByName('preprod', ['prod*']));
	assert.ok(confirmsByName('pay-1', ['pay-?']));
	assert.ok(!confirmsByName('pay-10', ['pay-?']));
	assert.ok(!confirmsByName('shop', []));
	assert.ok(confirmsByName('a.b', ['a.b']) && !confirmsByName('axb', ['a.b']), 'dots are literal');
});

test('--interval wins, then metrics.interval in the file, then 5 seconds; under a second is refused', () => {
	const config = file('ten.yaml', 'metrics:\n  interval: 10s\n');
	assert.equal(resolveSettings({interval: 2, config}, env).interval, 2);
	assert.equal(resolveSettings({config}, env).interval, 10);
	assert.equal(resolveSettings({config}, env).metrics.interval, 10);
	assert.equal(resolveSettings({config: file('minute.yaml', 'metrics: {interval: 1m}')}, env).interval, 60);
	assert.deepEqual(problems({interval: 0.5}), ['--interval must be at least 1 (seconds)']);
	const fast = file('fast.yaml', 'metrics:\n  interval: 500ms\n');
	assert.deepEqual(problems({config: fast}), [`config ${fast}: line 2: metrics.interval: the interval must be at least 1s, got "500ms"`]);
});

test('Prometheus from the flag, the environment or the file; metrics settings from the file', () => {
	const config = file('metrics.yaml', 'prometheus: {url: "http://from-file:9090"}\nmetrics: {rateWindow: 30s}\n');
	const s = resolveSettings({config, interval: 2}, env);
	assert.equal(s.prometheus?.url, 'http://from-file:9090');
	assert.equal(s.metrics.rateWindow, 30);
	assert.equal(s.rateWindowConfigured, true);
	assert.equal(s.metrics.interval, 2);
	assert.equal(resolveSettings({config}, {...env, ROLLSCOPE_PROMETHEUS_URL: 'http://from-env:9090'}).prometheus?.url, 'http://from-env:9090');
	assert.equal(resolveSettings({config, prometheus: 'http://from-flag:9090'}, {...env, ROLLSCOPE_PROMETHEUS_URL: 'http://from-env:9090'}).prometheus?.url, 'http://from-flag:9090');
	const bad = file('bad-metrics.yaml', 'metrics: {rateWindow: fast}\n');
	assert.equal(problems({config: bad}).length, 1);
	assert.match(problems({config: bad})[0]!, /^config .*bad-metrics\.yaml: line 1: metrics\.rateWindow: expected a duration/);
	assert.deepEqual(problems({metrics: 'datadog'}), ['--metrics: unknown metrics preset "datadog"; choose one of: istio, nginx, linkerd, generic']);
	assert.match(problems({prometheus: 'http://u:p@prom:9090'})[0]!, /^--prometheus must not carry credentials/);
});

test('several problems at once are all reported', () => {
	assert.deepEqual(problems({router: 'x', interval: 0, maxP95: 'fast'}).length, 3);
});

test('the view\'s verdict: no limits by default; --max-error-ratio and --max-p95 set them', () => {
	const plain = verdictOptions(resolveSettings({}, env), {});
	assert.deepEqual(plain.judge, defaultJudgeConfig);
	assert.equal(plain.autoAdvanceMs, undefined);
	const limited = verdictOptions(resolveSettings({maxErrorRatio: '1%', maxP95: '300ms'}, env), {});
	assert.equal(limited.judge.maxErrorRatio, 0.01);
	assert.equal(limited.judge.maxP95Ms, 300);
	// The view's judge then fails a canary above the limit even when the old version is as bad.
	const arm = {requests: 1000, errors: 20, p95Ms: 100};
	const verdict = nextVerdict({state: 'marginal', reason: '', slis: [], failingWindows: 2}, {canary: arm, baseline: arm}, limited.judge);
	assert.equal(verdict.state, 'fail');
	assert.match(verdict.reason, /above the limit of 1\.0 %/);
});

test('bad limits and step intervals are problems naming their flag', () => {
	assert.match(problems({maxErrorRatio: 'lots'})[0]!, /^--max-error-ratio: /);
	assert.match(problems({maxP95: 'fast'})[0]!, /^--max-p95: /);
	assert.match(problems({stepInterval: 'soon'})[0]!, /^--step-interval: /);
});

test('--auto-advance steps every 2m by default, or every --step-interval; the file\'s verdict section under the flags', () => {
	assert.equal(verdictOptions(resolveSettings({}, env), {autoAdvance: true}).autoAdvanceMs, 120_000);
	assert.equal(verdictOptions(resolveSettings({stepInterval: '3s'}, env), {autoAdvance: true}).autoAdvanceMs, 3_000);
	assert.equal(verdictOptions(resolveSettings({stepInterval: '3s'}, env), {}).autoAdvanceMs, undefined, 'without --auto-advance, nothing advances');
	const good = file('verdict.yaml', 'verdict:\n  window: 2m\n  failAfter: 2\n  autoAbortDelay: 10s\n  stepInterval: 5m\n');
	const options = verdictOptions(resolveSettings({config: good}, env), {autoAbort: true, autoAdvance: true});
	assert.equal(options.windowSeconds, 120);
	assert.equal(options.judge.failAfter, 2);
	assert.equal(options.autoAbortDelayMs, 10_000);
	assert.equal(options.autoAdvanceMs, 300_000);
	assert.equal(verdictOptions(resolveSettings({config: good, window: '30s'}, env), {}).windowSeconds, 30, 'the flag wins over the file');
	const bad = file('bad-verdict.yaml', 'verdict:\n  failAfter: never\n');
	assert.match(problems({config: bad})[0]!, /line 2: verdict\.failAfter: expected a whole number/);
});
