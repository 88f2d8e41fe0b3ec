// The config file (source/config): every query and threshold can be overridden, values carry
// units, and problems are reported together with their line. Prometheus credentials come from the
// environment or the file, never from argv.
import assert from 'node:assert/strict';
import {mkdtempSync, rmSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {after, describe, test} from 'node:test';
import {ConfigError, defaultConfigPath, loadConfig, parseConfig} from '../../source/config/config.js';
import {parseBytes, parseCores, parseDuration, parseRatio} from '../../source/text/units.js';
import {ConnectionError, parseHeaderList, prometheusConnection} from '../../source/config/prometheus-connection.js';
import {metricsSettings} from '../../source/config/metrics.js';
import {configIssues} from '../helpers/config.js';

const dir = mkdtempSync(join(tmpdir(), 'rollscope-config-'));
after(() => rmSync(dir, {recursive: true, force: true}));

describe('config file', () => {
	const full = `
prometheus:
  url: https://mimir.example/prometheus
  headers: {X-Scope-OrgID: tenant-a}
  timeout: 4s
metrics:
  preset: istio
  window: 15m
  rateWindow: 2m
  label: app_version
  slis:
    errorRatio: {threshold: 2%, warn: 0.5%, max: 10%}
    p95: {threshold: 300ms, query: 'histogram_quantile(0.95, sum by ({{label}}, le) (rate(lat_bucket{ns="{{namespace}}"}[{{window}}])))'}
    memory: {threshold: 512Mi}
    cpu: {threshold: 500m, show: false}
confirmByName: ["prod*"]
`;

	test('a full file reads into settings with units', () => {
		const config = parseConfig(full, 'config.yaml');
		assert.equal(config.prometheus?.url, 'https://mimir.example/prometheus');
		assert.equal(config.prometheus?.timeout, 4);
		const settings = metricsSettings(config.metrics, {interval: 5});
		assert.equal(settings.preset, 'istio');
		assert.equal(settings.window, 900);
		assert.equal(settings.rateWindow, 120);
		assert.equal(settings.label, 'app_version');
		assert.deepEqual(settings.slis.errorRatio, {threshold: {bad: 0.02, warn: 0.005}, max: 0.1, show: true});
		assert.deepEqual(settings.slis.p95.threshold, {warn: 0.25, bad: 0.3});
		assert.match(settings.slis.p95.query!, /lat_bucket/);
		assert.deepEqual(settings.slis.memory.threshold, {bad: 512 * 1024 ** 2});
		assert.equal(settings.slis.cpu.show, false);
		assert.deepEqual(settings.slis.requestRate, {threshold: {}, show: true});
	});

	test('problems are all reported, each with its line and path', () => {
		const found = configIssues(`
promethues:
  url: x
metrics:
  preset: datadog
  window: soon
  slis:
    p95: {threshold: 300}
    errorRatio: {threshold: 5}
    latency: {threshold: 1s}
    p99: {query: 'sum({{nope}})'}
    memory: {threshold: 1Gi, warn: 2Gi}
`);
		assert.deepEqual(found, [
			'line 2: unknown key "promethues" at top level; known: prometheus, metrics, verdict, confirmByName, weightStep, weightPlan, abortScalesCanary',
			'line 5: metrics.preset: expected one of istio, nginx, linkerd, generic, got "datadog"',
			'line 6: metrics.window: expected a duration such as 250ms, 30s, 10m or 1h, got "soon"',
			'line 8: metrics.slis.p95.threshold: give a unit: 300ms or 300s',
			'line 9: metrics.slis.errorRatio.threshold: expected a percentage such as 1% or a ratio from 0 to 1, got 5',
			'line 10: unknown SLI "latency" at metrics.slis; known: requestRate, errorRatio, p95, p99, cpu, memory',
			'line 11: metrics.slis.p99.query: unknown placeholder {{nope}}; known: {{namespace}}, {{label}}, {{versions}}, {{window}}, {{pods}}, {{services}}',
			'line 12: metrics.slis.memory: warn must not be above threshold',
		]);
	});

	test('bad YAML, a list at the top, and URLs that are not http are clear', () => {
		assert.match(configIssues('metrics: [1, 2\n')[0]!, /^line \d+: /);
		assert.deepEqual(configIssues('- a\n- b\n'), ['line 1: top level: expected a mapping, got a list']);
		assert.deepEqual(configIssues('prometheus: {url: "ftp://x"}\n'), ['line 1: prometheus.url: expected an http:// or https:// URL, got "ftp://x"']);
		assert.deepEqual(configIssues('metrics:\n  label: "bad-label"\n'), ['line 2: metrics.label: not a Prometheus label name: "bad-label"']);
		assert.deepEqual(configIssues(''), []);
	});

	test('--config must exist; the default file is optional and follows XDG_CONFIG_HOME', () => {
		assert.throws(() => loadConfig({path: join(dir, 'missing.yaml')}), (e: unknown) => e instanceof ConfigError && /missing\.yaml:\n {2}cannot read it: no such file/.test(e.message));
		assert.deepEqual(loadConfig({env: {XDG_CONFIG_HOME: join(dir, 'nothing-here')}}), {config: {}});
		assert.equal(defaultConfigPath({XDG_CONFIG_HOME: '/x'}), '/x/rollscope/config.yaml');
		assert.equal(defaultConfigPath({}, '/home/u'), '/home/u/.config/rollscope/config.yaml');
		const xdg = join(dir, 'xdg');
		writeFileSync(join(dir, 'file.yaml'), 'metrics: {preset: linkerd}\n');
		assert.equal(loadConfig({path: join(dir, 'file.yaml')}).config.metrics?.preset, 'linkerd');
		assert.equal(loadConfig({env: {XDG_CONFIG_HOME: xdg}}).path, undefined);
	});

	test('units', () => {
		assert.deepEqual(parseDuration('1h30m'), {value: 5400});
		assert.deepEqual(parseDuration('250ms'), {value: 0.25});
		assert.ok('error' in parseDuration('5'));
		assert.deepEqual(parseRatio('0.5%'), {value: 0.005});
		assert.deepEqual(parseRatio(0.02), {value: 0.02});
		assert.deepEqual(parseBytes('1Gi'), {value: 1024 ** 3});
		assert.deepEqual(parseBytes('300M'), {value: 3e8});
		assert.deepEqual(parseCores('250m'), {value: 0.25});
		assert.deepEqual(parseCores(2), {value: 2});
	});
});

describe('Prometheus connection', () => {
	const files: Record<string, string> = {'/run/token': 'file-token\n', '/run/pass': 's3cret\n', '/etc/ca.pem': '-----BEGIN CERTIFICATE-----\nX\n-----END CERTIFICATE-----\n'};
	const read = (path: string) => {
		if (!(path in files)) throw Object.assign(new Error('nope'), {code: 'ENOENT'});
		return files[path]!;
	};

	test('no URL anywhere: metrics are off', () => {
		assert.equal(prometheusConnection(undefined, {}, {}, read), undefined);
	});

	test('--prometheus wins over the environment, which wins over the file', () => {
		assert.equal(prometheusConnection('http://flag:9090', {url: 'http://file:9090'}, {ROLLSCOPE_PROMETHEUS_URL: 'http://env:9090'}, read)?.url, 'http://flag:9090');
		assert.equal(prometheusConnection(undefined, {url: 'http://file:9090'}, {ROLLSCOPE_PROMETHEUS_URL: 'http://env:9090'}, read)?.url, 'http://env:9090');
		assert.equal(prometheusConnection(undefined, {url: 'http://file:9090/prom/'}, {}, read)?.url, 'http://file:9090/prom');
	});

	test('credentials never come from argv', () => {
		assert.throws(() => prometheusConnection('https://user:pass@prom:9090', {}, {}, read), (e: unknown) => e instanceof ConnectionError && /must not carry credentials.*ROLLSCOPE_PROMETHEUS_USERNAME/.test(e.message));
		// The same URL in the environment is fine: it becomes basic auth.
		const c = prometheusConnection(undefined, {}, {ROLLSCOPE_PROMETHEUS_URL: 'https://user:p%40ss@prom:9090'}, read)!;
		assert.deepEqual(c.basicAuth, {username: 'user', password: 'p@ss'});
		assert.equal(c.url, 'https://prom:9090');
	});

	test('credentials are refused in every part of a --prometheus URL', () => {
		const refused = (url: string) => {
			try {
				prometheusConnection(url, {}, {}, read);
			} catch (error) {
				assert.ok(error instanceof ConnectionError);
				assert.doesNotMatch(error.message, /s3cr3t|eyJhbGciOi/, 'the message does not repeat the secret');
				return error.message;
			}
			return undefined;
		};
		assert.match(refused('https://user:s3cr3t@prom:9090')!, /user:password@/);
		assert.match(refused('https://prom:9090/?token=s3cr3t')!, /the query parameter token would show in the process list/);
		assert.match(refused('https://prom:9090/api?access_token=s3cr3t&x=1')!, /access_token/);
		assert.match(refused('https://prom:9090/?apiKey=s3cr3t')!, /apiKey/);
		assert.match(refused('https://prom:9090/?q=eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ4In0.abc')!, /the query parameter q/);
		assert.match(refused('https://prom:9090/eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ4In0.abc/api')!, /a token in the path/);
		assert.match(refused('https://prom:9090/#s3cr3t')!, /#fragment/);
		// A query that carries no secret, and the same URLs from the environment or the file, are fine.
		assert.equal(refused('https://prom:9090/prometheus?orgId=1'), undefined);
		assert.equal(prometheusConnection(undefined, {}, {ROLLSCOPE_PROMETHEUS_URL: 'https://prom:9090/?token=s3cr3t'}, read)?.url, 'https://prom:9090/?token=s3cr3t');
		assert.equal(prometheusConnection(undefined, {url: 'https://prom:9090/?token=s3cr3t'}, {}, read)?.url, 'https://prom:9090/?token=s3cr3t');
	});

	test('bearer token, basic auth, headers and CA from the environment or the file', () => {
		const env = {ROLLSCOPE_PROMETHEUS_BEARER_TOKEN_FILE: '/run/token', ROLLSCOPE_PROMETHEUS_HEADERS: 'X-Scope-OrgID=tenant-b, X-Extra=1', ROLLSCOPE_PROMETHEUS_CA_FILE: '/etc/ca.pem'};
		const c = prometheusConnection('https://prom', {headers: {'X-Scope-OrgID': 'tenant-a', 'X-File': 'f'}, timeout: 3}, env, read)!;
		assert.equal(c.bearerToken, 'file-token');
		assert.deepEqual(c.headers, {'X-Scope-OrgID': 'tenant-b', 'X-File': 'f', 'X-Extra': '1'});
		assert.match(c.ca!, /BEGIN CERTIFICATE/);
		assert.equal(c.timeoutMs, 3000);
		const basic = prometheusConnection('https://prom', {basicAuth: {username: 'u', passwordFile: '/run/pass'}}, {}, read)!;
		assert.deepEqual(basic.basicAuth, {username: 'u', password: 's3cret'});
		assert.equal(prometheusConnection('https://prom', {bearerToken: 'cfg'}, {ROLLSCOPE_PROMETHEUS_BEARER_TOKEN: 'env'}, read)?.bearerToken, 'env');
	});

	test('unclear credentials are errors', () => {
		assert.throws(() => prometheusConnection('https://prom', {bearerToken: 't', basicAuth: {username: 'u', password: 'p'}}, {}, read), /bearer token or basic auth, not both/);
		assert.throws(() => prometheusConnection('https://prom', {basicAuth: {username: 'u'}}, {}, read), /needs a password/);
		assert.throws(() => prometheusConnection('https://prom', {caFile: '/missing.pem'}, {}, read), /cannot read the CA file \/missing\.pem: no such file/);
		assert.throws(() => parseHeaderList('novalue'), /Name=value/);
		assert.throws(() => prometheusConnection('not a url', {}, {}, read), /not an http/);
	});

});
