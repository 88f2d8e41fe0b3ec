import assert from 'node:assert/strict';
import {mkdtempSync, rmSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {test} from 'node:test';
import {actionConfigFrom, confirmsByName, defaultActionConfig, defaultConfigPath, loadActionConfig} from '../../source/actions/config.js';
import {actionOptions} from '../../source/actions/options.js';

test('defaults: step 10, plan 5/25/50/100, abort scales the canary, no confirm by name', () => {
	assert.deepEqual(actionConfigFrom(undefined), defaultActionConfig);
	assert.deepEqual(defaultActionConfig, {confirmByName: [], weightStep: 10, weightPlan: [5, 25, 50, 100], abortScalesCanary: true});
});

test('the YAML keys are read, other features\' keys ignored, bad values named', () => {
	const config = actionConfigFrom({confirmByName: ['prod*', 'pay-?'], weightStep: 5, weightPlan: [50, 10, 10], abortScalesCanary: false, prometheus: 'http://x'});
	assert.deepEqual(config, {confirmByName: ['prod*', 'pay-?'], weightStep: 5, weightPlan: [10, 50], abortScalesCanary: false});
	assert.deepEqual(actionConfigFrom({confirmByName: 'prod*'}).confirmByName, ['prod*']);
	assert.throws(() => actionConfigFrom({weightStep: 0}), /weightStep/);
	assert.throws(() => actionConfigFrom({weightStep: 101}), /weightStep/);
	assert.throws(() => actionConfigFrom({weightPlan: [5, 'x']}), /weightPlan/);
	assert.throws(() => actionConfigFrom({confirmByName: [3]}), /confirmByName/);
	assert.throws(() => actionConfigFrom({abortScalesCanary: 'yes'}), /abortScalesCanary/);
});

test('ROLLSCOPE_CONFIRM_BY_NAME overrides the file; patterns match whole namespace names', () => {
	assert.deepEqual(actionConfigFrom({confirmByName: ['a']}, {ROLLSCOPE_CONFIRM_BY_NAME: 'prod*, live '}).confirmByName, ['prod*', 'live']);
	assert.ok(confirmsByName('prod-eu', ['prod*']));
	assert.ok(confirmsByName('prod', ['prod*']));
	assert.ok(!confirmsByName('preprod', ['prod*']));
	assert.ok(confirmsByName('pay-1', ['pay-?']));
	assert.ok(!confirmsByName('pay-10', ['pay-?']));
	assert.ok(!confirmsByName('shop', []));
	assert.ok(confirmsByName('a.b', ['a.b']) && !confirmsByName('axb', ['a.b']), 'dots are literal');
});

test('the file: --config must exist; the default path is optional; errors name the file', () => {
	const dir = mkdtempSync(join(tmpdir(), 'rollscope-config-'));
	try {
		const file = join(dir, 'config.yaml');
		writeFileSync(file, 'confirmByName: ["prod*"]\nweightStep: 20\nmetrics: istio\n');
		assert.deepEqual(loadActionConfig(file, {}).confirmByName, ['prod*']);
		assert.equal(loadActionConfig(file, {}).weightStep, 20);
		assert.throws(() => loadActionConfig(join(dir, 'missing.yaml'), {}), /cannot read the config file .*missing\.yaml/);
		writeFileSync(file, 'weightStep: lots\n');
		assert.throws(() => loadActionConfig(file, {}), new RegExp(`config file ${file.replace(/[.]/g, '\\.')}: weightStep`));
		assert.equal(defaultConfigPath({XDG_CONFIG_HOME: dir}), join(dir, 'rollscope', 'config.yaml'));
		assert.deepEqual(loadActionConfig(undefined, {XDG_CONFIG_HOME: join(dir, 'none')}), defaultActionConfig);
		assert.deepEqual(actionOptions({router: 'linkerd'}, {XDG_CONFIG_HOME: dir}), {error: 'unknown --router "linkerd"; use one of istio, gateway-api, smi, traefik, nginx, replicas'});
		const ok = actionOptions({router: 'smi', dryRun: true}, {XDG_CONFIG_HOME: join(dir, 'none')});
		assert.ok(!('error' in ok) && ok.router === 'smi' && ok.dryRun && !ok.readOnly);
	} finally {
		rmSync(dir, {recursive: true, force: true});
	}
});
