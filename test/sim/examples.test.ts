// Public example shapes applied unchanged with kubectl: Istio's bookinfo app and its v1alpha3
// routing, an SMI v1alpha1 TrafficSplit, Gateway API v1beta1 objects, Argo Rollouts' analysis
// templates, experiments and Istio canary (fixtures in test/testdata/sim/examples, written after them).
import assert from 'node:assert/strict';
import {join} from 'node:path';
import {after, before, describe, test} from 'node:test';
import {kubectlOk, startTestSim, waitFor, type TestSim} from '../helpers/sim.js';

const examples = join(import.meta.dirname, '..', 'testdata', 'sim', 'examples');

describe('public example manifests on the sim', () => {
	let t: TestSim;
	before(async () => {
		t = await startTestSim({scenario: 'rolling'});
	});
	after(async () => {
		await t.stop();
	});
	const ok = (args: string[], input?: string) => kubectlOk(t, args, input);
	const apply = (file: string) => ok(['apply', '-f', join(examples, file)]);

	test('a bookinfo-style app: Service, ServiceAccount and versioned Deployments run as that account', async () => {
		const out = await apply('reviews-app.yaml');
		assert.match(out, /service\/reviews (created|unchanged)/);
		assert.match(out, /serviceaccount\/shop-reviews (created|unchanged)/);
		for (const d of ['reviews-v1', 'reviews-v2']) assert.match(await ok(['rollout', 'status', `deploy/${d}`, '--timeout=60s']), /successfully rolled out/);
		assert.match(await ok(['get', 'sa', 'shop-reviews', '--show-labels']), /shop-reviews\s+0\s+\S+\s+account=reviews/);
		assert.equal(await ok(['get', 'pods', '-l', 'app=reviews', '-o', 'jsonpath={.items[*].spec.serviceAccountName}']), 'shop-reviews shop-reviews');
	});

	test('Istio v1alpha3 routing is served and read back as networking.istio.io/v1', async () => {
		const out = await apply('reviews-routing-v1alpha3.yaml');
		assert.match(out, /virtualservice\.networking\.istio\.io\/reviews (created|unchanged)/);
		assert.match(out, /gateway\.networking\.istio\.io\/shop-gateway (created|unchanged)/);
		const vs = JSON.parse(await ok(['get', 'virtualservices.v1.networking.istio.io', 'reviews', '-o', 'json']));
		assert.equal(vs.apiVersion, 'networking.istio.io/v1');
		assert.deepEqual(vs.spec.http[0].route.map((r: any) => [r.destination.subset, r.weight]), [['v1', 80], ['v2', 20]]);
		assert.equal(await ok(['get', 'virtualservices.v1alpha3.networking.istio.io', 'reviews', '-o', 'jsonpath={.apiVersion}']), 'networking.istio.io/v1alpha3');
		assert.match(await ok(['get', 'vs']), /^NAME\s+GATEWAYS\s+HOSTS\s+AGE\nreviews\s+\s+\["reviews"\]\s+\d+s\nshop-front\s+\["shop-gateway"\]\s+\["\*"\]\s+\d+s\n$/);
		assert.match(await ok(['get', 'dr', 'reviews']), /^NAME\s+HOST\s+AGE\nreviews\s+reviews\s+\d+s\n$/);
		assert.equal(await ok(['get', 'gateways.networking.istio.io', 'shop-gateway', '-o', 'jsonpath={.spec.servers[0].port.number}']), '8080');
	});

	test('an SMI v1alpha1 TrafficSplit with Quantity weights reads back as split.smi-spec.io/v1alpha2, fields as written', async () => {
		assert.match(await apply('smi-v1alpha1.yaml'), /trafficsplit\.split\.smi-spec\.io\/reviews-split (created|unchanged)/);
		const split = JSON.parse(await ok(['get', 'trafficsplits.v1alpha2.split.smi-spec.io', 'reviews-split', '-o', 'json']));
		assert.equal(split.apiVersion, 'split.smi-spec.io/v1alpha2');
		assert.deepEqual(split.spec.backends, [{service: 'reviews-v1', weight: '900m'}, {service: 'reviews-v2', weight: '100m'}]);
		assert.match(await ok(['get', 'ts', 'reviews-split']), /^NAME\s+SERVICE\s+AGE\nreviews-split\s+reviews\s+\d+s\n$/);
	});

	test('Gateway API v1beta1 objects are served, the GatewayClass cluster-wide, and read back as v1', async () => {
		await apply('gateway-api-v1beta1.yaml');
		assert.equal(await ok(['get', 'httproute', 'reviews', '-o', 'jsonpath={.apiVersion} {.spec.rules[0].backendRefs[*].weight}']), 'gateway.networking.k8s.io/v1 90 10');
		assert.match(await ok(['get', 'httproutes']), /^NAME\s+HOSTNAMES\s+AGE\nreviews\s+\["reviews\.shop\.example"\]\s+\d+s\n$/);
		assert.match(await ok(['get', 'gatewayclass', 'shop-gateways']), /^NAME\s+CONTROLLER\s+ACCEPTED\s+AGE\nshop-gateways\s+example\.com\/gateway-controller\s+\d+s\n$/);
		assert.equal(await ok(['get', 'gatewayclass', 'shop-gateways', '-o', 'jsonpath={.metadata.namespace}']), '');
		assert.match(await ok(['get', 'gtw', 'shop']), /^NAME\s+CLASS\s+ADDRESS\s+PROGRAMMED\s+AGE\nshop\s+shop-gateways\s+\d+s\n$/);
	});

	test('Argo analysis templates, a ClusterAnalysisTemplate and an Experiment apply and read back', async () => {
		const out = await apply('argo-analysis.yaml');
		assert.match(out, /analysistemplate\.argoproj\.io\/smoke-test (created|unchanged)/);
		assert.match(out, /clusteranalysistemplate\.argoproj\.io\/shared-smoke-test (created|unchanged)/);
		assert.match(out, /experiment\.argoproj\.io\/colour-trial (created|unchanged)/);
		assert.match(await ok(['get', 'cat']), /^NAME\s+AGE\nshared-smoke-test\s+\d+s\n$/);
		assert.match(await ok(['get', 'clusteranalysistemplates', '-A']), /^NAME\s+AGE\nshared-smoke-test/, 'cluster-scoped: no NAMESPACE column');
		assert.equal(await ok(['get', 'cat', 'shared-smoke-test', '-o', 'jsonpath={.spec.args[0].name}']), 'service');
		assert.match(await ok(['get', 'at']), /\nsmoke-test\s+\d+s\n/);
		assert.match(await ok(['get', 'exp', 'colour-trial']), /^NAME\s+STATUS\s+AGE\ncolour-trial\s+\d+s\n$/);
		assert.equal(await ok(['get', 'experiment', 'colour-trial', '-o', 'jsonpath={.spec.templates[*].name} {.spec.analyses[1].clusterScope}']), 'purple orange true');
		// An Experiment has no status subresource: a status written with the object stays.
		await ok(['patch', 'experiment', 'colour-trial', '--type=merge', '-p', '{"status":{"phase":"Running"}}']);
		assert.match(await ok(['get', 'exp', 'colour-trial']), /\ncolour-trial\s+Running\s+\d+s\n$/);
	});

	test('Argo\'s Istio canary shape: the Rollout comes up, then a new image moves the v1alpha3 VirtualService to the step weight', async () => {
		await apply('argo-istio-canary.yaml');
		await waitFor('2 available pods', async () => /\nratings\s+2\s+2\s+2\s+2\s/.test(await ok(['get', 'ro', 'ratings'])), 60_000);
		await ok(['patch', 'rollout', 'ratings', '--type=json', '-p', '[{"op":"replace","path":"/spec/template/spec/containers/0/image","value":"registry.local/ratings:2.0"}]']);
		await waitFor('the canary at 25 %', async () => (await ok(['get', 'virtualservices.v1alpha3.networking.istio.io', 'ratings-vsvc', '-o', 'jsonpath={.spec.http[0].route[*].weight}'])) === '75 25', 60_000);
	});
});
