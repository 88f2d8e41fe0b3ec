// Presets as PromQL templates filled per release: one query per SLI whatever the versions, the
// version label per kind of release, label values mapped back to versions, and valid PromQL
// (checked by promtool when it is installed).
import assert from 'node:assert/strict';
import {execFileSync} from 'node:child_process';
import {mkdtempSync, rmSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {describe, test} from 'node:test';
import {detectionQuery} from '../../source/metrics/detect.js';
import {presetNames, presets} from '../../source/metrics/presets.js';
import {findOnPath} from '../../source/metrics/prometheus-server.js';
import {planQueries, podPattern} from '../../source/metrics/queries.js';
import {metricsSettings} from '../../source/config/metrics.js';
import {sliKeys} from '../../source/metrics/slis.js';
import {fill, unknownPlaceholders} from '../../source/metrics/template.js';
import type {Release, Version} from '../../source/release/model.js';
import {blueGreenRelease, canaryRelease, rollingRelease} from '../ui/fixtures.js';

function manyVersions(n: number): Release {
	const base = canaryRelease();
	const versions: Version[] = Array.from({length: n}, (_, i) => ({...base.versions[0]!, id: `app-v${i}`, workload: `app-v${i}`, role: i === 0 ? 'stable' : 'canary'}));
	return {...base, versions};
}

describe('presets', () => {
	test('every preset has every SLI, and only known placeholders', () => {
		for (const name of presetNames) {
			for (const key of sliKeys) {
				const template = presets[name].queries[key];
				assert.ok(template, `${name}.${key}`);
				assert.deepEqual(unknownPlaceholders(template), [], `${name}.${key}`);
			}
		}
	});

	test('generic: sum by version over the release namespace and versions; the error ratio is 0 (not no data) without errors', () => {
		const plan = planQueries(canaryRelease(), metricsSettings(undefined), 'generic');
		assert.equal(plan.label, 'version');
		assert.equal(plan.queries.requestRate, 'sum by (version) (rate(http_requests_total{namespace="shop", version=~"checkout-canary|checkout"}[60s]))');
		assert.match(plan.queries.errorRatio!, /^\(sum by \(version\) \(rate\(http_requests_total\{[^}]*code=~"5\.\."\}\[60s\]\)\) or 0 \* sum by \(version\)/);
		assert.equal(plan.queries.p95, 'histogram_quantile(0.95, sum by (version, le) (rate(http_request_duration_seconds_bucket{namespace="shop", version=~"checkout-canary|checkout"}[60s])))');
		assert.match(plan.queries.cpu!, /pod=~"\(checkout-canary\|checkout\)-\[a-z0-9\]\+-\[a-z0-9\]\+"/);
	});

	test('istio: by destination_workload, latency from milliseconds to seconds', () => {
		const plan = planQueries(canaryRelease(), metricsSettings(undefined), 'istio');
		assert.equal(plan.label, 'destination_workload');
		assert.match(plan.queries.p99!, /^histogram_quantile\(0\.99, sum by \(destination_workload, le\) \(rate\(istio_request_duration_milliseconds_bucket\{reporter="destination", destination_workload_namespace="shop"/);
		assert.match(plan.queries.p99!, / \/ 1000$/);
	});

	test('rolling releases are told apart by pod-template hash, ReplicaSet pods by name', () => {
		const base = rollingRelease();
		const release = {...base, versions: base.versions.map((x, i) => ({...x, workloadKind: 'ReplicaSet' as const, podTemplateHash: `h${i}abc`}))};
		const plan = planQueries(release, metricsSettings(undefined), 'generic');
		assert.equal(plan.label, 'pod_template_hash');
		const v = release.versions[1]!;
		assert.equal(plan.versionOf({pod_template_hash: v.podTemplateHash!}), v.id);
		assert.equal(plan.versionOf({rollscope_version: v.id}), v.id);
		assert.match(podPattern(release), /^\(.+\)-\[a-z0-9\]\+$/);
	});

	test('label values map to versions: names, then nothing for strangers', () => {
		const plan = planQueries(blueGreenRelease(), metricsSettings(undefined), 'generic');
		for (const v of blueGreenRelease().versions) assert.equal(plan.versionOf({version: v.id}), v.id);
		assert.equal(plan.versionOf({version: 'someone-else'}), undefined);
		assert.equal(plan.versionOf({}), undefined);
	});

	test('queries per refresh do not grow with versions (or pods): one per SLI', () => {
		for (const n of [2, 20]) {
			const plan = planQueries(manyVersions(n), metricsSettings(undefined), 'generic');
			assert.equal(Object.keys(plan.queries).length, sliKeys.length);
		}
	});

	test('names are escaped for regular expressions inside PromQL strings', () => {
		const release = manyVersions(2);
		release.versions[0] = {...release.versions[0]!, id: 'api.v1', workload: 'api.v1'};
		const plan = planQueries(release, metricsSettings(undefined), 'generic');
		assert.match(plan.queries.requestRate!, /version=~"api\\\\\.v1\|app-v1"/);
	});

	test('the config overrides queries, labels, windows, and hides SLIs', () => {
		const settings = metricsSettings({rateWindow: 30, label: 'app_version', slis: {requestRate: {query: 'sum by ({{label}}) (rate(my_requests{ns="{{namespace}}"}[{{window}}]))'}, p99: {show: false}}});
		const plan = planQueries(canaryRelease(), settings, 'generic');
		assert.equal(plan.queries.requestRate, 'sum by (app_version) (rate(my_requests{ns="shop"}[30s]))');
		assert.equal(plan.queries.p99, undefined);
		assert.match(plan.queries.p95!, /\[30s\]/);
	});

	test('the preset comes from --metrics before the config, and a bad name is an error', () => {
		assert.equal(metricsSettings({preset: 'linkerd'}, {metrics: 'istio'}).preset, 'istio');
		assert.equal(metricsSettings({preset: 'linkerd'}).preset, 'linkerd');
		assert.equal(metricsSettings(undefined).preset, undefined);
		assert.throws(() => metricsSettings(undefined, {metrics: 'datadog'}), /unknown metrics preset "datadog"; choose one of: istio, nginx, linkerd, generic/);
	});

	test('the filled queries are valid PromQL', {skip: !findOnPath('promtool') && 'needs promtool (Debian package prometheus)'}, () => {
		const dir = mkdtempSync(join(tmpdir(), 'rollscope-promtool-'));
		try {
			const rules: string[] = [];
			for (const release of [canaryRelease(), rollingRelease(), blueGreenRelease()]) {
				for (const name of presetNames) {
					const plan = planQueries(release, metricsSettings(undefined), name);
					for (const [key, query] of Object.entries(plan.queries)) rules.push(`  - record: rollscope:${name}:${release.kind}:${key}\n    expr: ${JSON.stringify(query)}`);
				}
				rules.push(`  - record: rollscope:detect:${release.kind}\n    expr: ${JSON.stringify(detectionQuery(release.namespace))}`);
			}
			const file = join(dir, 'rules.yml');
			writeFileSync(file, `groups:\n- name: rollscope\n  rules:\n${rules.join('\n')}\n`);
			const out = execFileSync('promtool', ['check', 'rules', file], {encoding: 'utf8'});
			assert.match(out, new RegExp(`SUCCESS: ${rules.length} rules found`));
		} finally {
			rmSync(dir, {recursive: true, force: true});
		}
	});

	test('detection asks once for every preset, in order of preference', () => {
		const q = detectionQuery('shop');
		assert.equal(q.split(' or ').length, presetNames.length);
		assert.match(q, /^label_replace\(group\(istio_requests_total\{reporter="destination", destination_workload_namespace="shop"\}\), "preset", "istio", "", ""\)/);
		assert.equal(fill('{{namespace}}', {namespace: 'a', label: '', versions: '', window: '', pods: '', services: ''}), 'a');
	});
});
