// --interval: the flag, else `metrics.interval` in the config file, else 5 seconds; below 1 second, or a
// broken config, is a usage error that names the problem.
import assert from 'node:assert/strict';
import {mkdtempSync, rmSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {after, test} from 'node:test';
import {intervalOf} from '../../source/commands/index.js';

const dir = mkdtempSync(join(tmpdir(), 'rollscope-interval-'));
after(() => rmSync(dir, {recursive: true, force: true}));
const env = {XDG_CONFIG_HOME: dir};
const file = (name: string, text: string) => {
	const path = join(dir, name);
	writeFileSync(path, text);
	return path;
};

test('the flag wins, then the config file, then 5 seconds', async () => {
	const config = file('ten.yaml', 'metrics:\n  interval: 10s\n');
	assert.equal(await intervalOf({interval: 2, config}, env), 2);
	assert.equal(await intervalOf({config}, env), 10);
	assert.equal(await intervalOf({config: file('minute.yaml', 'metrics: {interval: 1m}')}, env), 60);
	assert.equal(await intervalOf({}, env), 5);
});

test('an interval under a second, from the flag or the file, is refused with its reason', async () => {
	assert.deepEqual(await intervalOf({interval: 0.5}, env), {error: '--interval must be at least 1 (seconds)'});
	const result = await intervalOf({config: file('fast.yaml', 'metrics:\n  interval: 500ms\n')}, env);
	assert.ok(typeof result === 'object');
	assert.match(result.error, /line 2: metrics\.interval: the interval must be at least 1s, got "500ms"/);
});
