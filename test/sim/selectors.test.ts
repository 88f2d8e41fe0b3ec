import {describe, it} from 'node:test';
import assert from 'node:assert/strict';
import {ApiError} from '../../source/sim/errors.js';
import type {KObject} from '../../source/sim/object.js';
import {labelSelectorToString, matchesLabelSelector, parseFieldSelector, parseLabelSelector} from '../../source/sim/selectors.js';

const web = {app: 'web', tier: 'frontend', 'pod-template-hash': 'abc123', 'app.kubernetes.io/name': 'web'};

function badRequest(fn: () => unknown, message?: string | RegExp): void {
	assert.throws(fn, (e: unknown) => {
		assert.ok(e instanceof ApiError, `expected an ApiError, got ${String(e)}`);
		assert.equal(e.code, 400);
		assert.equal(e.reason, 'BadRequest');
		if (typeof message === 'string') assert.equal(e.message, message);
		else if (message) assert.match(e.message, message);
		return true;
	});
}

describe('parseLabelSelector', () => {
	it('matches everything with an empty selector', () => {
		const m = parseLabelSelector('');
		assert.equal(m(undefined), true);
		assert.equal(m({}), true);
		assert.equal(m(web), true);
		assert.equal(parseLabelSelector('   ')(web), true);
	});

	it('handles equality operators', () => {
		assert.equal(parseLabelSelector('app=web')(web), true);
		assert.equal(parseLabelSelector('app==web')(web), true);
		assert.equal(parseLabelSelector('app=api')(web), false);
		assert.equal(parseLabelSelector('app!=api')(web), true);
		assert.equal(parseLabelSelector('app!=web')(web), false);
		// != matches objects without the label at all
		assert.equal(parseLabelSelector('missing!=x')(web), true);
		assert.equal(parseLabelSelector('app=web')(undefined), false);
		// An empty value is allowed
		assert.equal(parseLabelSelector('empty=')({empty: ''}), true);
		assert.equal(parseLabelSelector('empty=')({}), false);
	});

	it('handles set-based operators', () => {
		assert.equal(parseLabelSelector('tier in (frontend,backend)')(web), true);
		assert.equal(parseLabelSelector('tier in (backend)')(web), false);
		assert.equal(parseLabelSelector('tier notin (backend,cache)')(web), true);
		assert.equal(parseLabelSelector('tier notin (frontend)')(web), false);
		assert.equal(parseLabelSelector('nope notin (x)')(web), true);
		assert.equal(parseLabelSelector('nope in (x)')(web), false);
		// 'in' and 'notin' are ordinary words in a values position
		assert.equal(parseLabelSelector('in in (in,notin)')({in: 'notin'}), true);
		// () is the set holding the empty string
		assert.equal(parseLabelSelector('x in ()')({x: ''}), true);
	});

	it('handles existence', () => {
		assert.equal(parseLabelSelector('app')(web), true);
		assert.equal(parseLabelSelector('nope')(web), false);
		assert.equal(parseLabelSelector('!nope')(web), true);
		assert.equal(parseLabelSelector('!app')(web), false);
		assert.equal(parseLabelSelector('!app')(undefined), true);
	});

	it('joins requirements with AND and tolerates whitespace', () => {
		assert.equal(parseLabelSelector('app=web,tier in (frontend),pod-template-hash,!canary')(web), true);
		assert.equal(parseLabelSelector('app=web,tier=backend')(web), false);
		assert.equal(parseLabelSelector('  app = web ,\ttier  in  ( frontend , x ) , ! canary ')(web), true);
		assert.equal(parseLabelSelector('app.kubernetes.io/name=web')(web), true);
	});

	it('supports gt and lt', () => {
		assert.equal(parseLabelSelector('n>3')({n: '5'}), true);
		assert.equal(parseLabelSelector('n<3')({n: '5'}), false);
		assert.equal(parseLabelSelector('n>3')({n: 'x'}), false);
		assert.equal(parseLabelSelector('n>3')({}), false);
	});

	it('rejects bad syntax with the apiserver messages', () => {
		badRequest(() => parseLabelSelector('a b'), "unable to parse requirement: found 'b', expected: in, notin, =, ==, !=, gt, lt");
		badRequest(() => parseLabelSelector('x in (a b)'), "unable to parse requirement: found 'b', expected: ',' or ')'");
		badRequest(() => parseLabelSelector('x in a'), "unable to parse requirement: found 'a' expected: '('");
		badRequest(() => parseLabelSelector('a=(b)'), "unable to parse requirement: found '(', expected: identifier");
		badRequest(() => parseLabelSelector('a=b c'), "found 'c', expected: ',' or 'end of string'");
		badRequest(() => parseLabelSelector('a=b,'), "found '', expected: identifier after ','");
		badRequest(() => parseLabelSelector('a,,b'), "found ',', expected: identifier after ','");
		badRequest(() => parseLabelSelector('(a)'), "found '(', expected: !, identifier, or 'end of string'");
		badRequest(() => parseLabelSelector('!'), "unable to parse requirement: found '', expected: identifier");
		badRequest(() => parseLabelSelector('n>x'), /^unable to parse requirement: values\[0\]: Invalid value: "x": for 'Gt', 'Lt' operators/);
	});

	it('rejects invalid label keys and values', () => {
		badRequest(
			() => parseLabelSelector('app:monolith'),
			`unable to parse requirement: <nil>: Invalid value: "app:monolith": name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')`,
		);
		badRequest(() => parseLabelSelector('a/b/c=d'), /^unable to parse requirement: <nil>: Invalid value: "a\/b\/c": a qualified name must consist/);
		badRequest(() => parseLabelSelector('Example.com/x=1'), /<nil>: Invalid value: "Example.com\/x": prefix part a lowercase RFC 1123 subdomain/);
		badRequest(() => parseLabelSelector('/x'), /prefix part must be non-empty/);
		badRequest(() => parseLabelSelector(`${'k'.repeat(64)}=v`), /name part must be no more than 63 characters/);
		badRequest(
			() => parseLabelSelector('app=web_'),
			/^unable to parse requirement: values\[0\]\[app\]: Invalid value: "web_": a valid label must be an empty string or consist of/,
		);
		badRequest(() => parseLabelSelector(`app=${'v'.repeat(64)}`), /must be no more than 63 characters/);
		badRequest(() => parseLabelSelector('app in (ok,-bad)'), /values\[0\]\[app\]: Invalid value: "-bad"/);
	});
});

describe('labelSelectorToString', () => {
	it('formats like metav1.FormatLabelSelector, sorted by key', () => {
		assert.equal(labelSelectorToString({matchLabels: {tier: 'frontend', app: 'web'}}), 'app=web,tier=frontend');
		assert.equal(
			labelSelectorToString({
				matchLabels: {app: 'web'},
				matchExpressions: [
					{key: 'tier', operator: 'In', values: ['b', 'a']},
					{key: 'env', operator: 'NotIn', values: ['prod']},
					{key: 'canary', operator: 'DoesNotExist'},
					{key: 'owner', operator: 'Exists'},
				],
			}),
			'app=web,!canary,env notin (prod),owner,tier in (a,b)',
		);
	});

	it('gives empty text for an empty selector and <error> for an invalid one', () => {
		assert.equal(labelSelectorToString(undefined), '');
		assert.equal(labelSelectorToString({}), '');
		assert.equal(labelSelectorToString({matchExpressions: [{key: 'x', operator: 'In', values: []}]}), '<error>');
		assert.equal(labelSelectorToString({matchExpressions: [{key: 'x', operator: 'Bogus' as 'In', values: ['a']}]}), '<error>');
	});

	it('round-trips through parseLabelSelector', () => {
		const sel = {matchLabels: {app: 'web'}, matchExpressions: [{key: 'tier', operator: 'In' as const, values: ['frontend', 'x']}]};
		const text = labelSelectorToString(sel);
		assert.equal(parseLabelSelector(text)(web), true);
		assert.equal(parseLabelSelector(text)({app: 'web', tier: 'y'}), false);
	});
});

describe('matchesLabelSelector', () => {
	it('matches everything with an empty or missing selector', () => {
		assert.equal(matchesLabelSelector(undefined, web), true);
		assert.equal(matchesLabelSelector({}, undefined), true);
		assert.equal(matchesLabelSelector({matchLabels: {}}, web), true);
	});

	it('requires all matchLabels and matchExpressions', () => {
		assert.equal(matchesLabelSelector({matchLabels: {app: 'web'}}, web), true);
		assert.equal(matchesLabelSelector({matchLabels: {app: 'web', tier: 'backend'}}, web), false);
		assert.equal(matchesLabelSelector({matchLabels: {app: 'web'}}, undefined), false);
		assert.equal(matchesLabelSelector({matchExpressions: [{key: 'tier', operator: 'In', values: ['frontend']}]}, web), true);
		assert.equal(matchesLabelSelector({matchExpressions: [{key: 'tier', operator: 'NotIn', values: ['frontend']}]}, web), false);
		assert.equal(matchesLabelSelector({matchExpressions: [{key: 'app', operator: 'Exists'}]}, web), true);
		assert.equal(matchesLabelSelector({matchExpressions: [{key: 'app', operator: 'DoesNotExist'}]}, web), false);
		assert.equal(
			matchesLabelSelector({matchLabels: {app: 'web'}, matchExpressions: [{key: 'canary', operator: 'DoesNotExist'}]}, web),
			true,
		);
	});

	it('matches nothing when the selector is invalid', () => {
		assert.equal(matchesLabelSelector({matchExpressions: [{key: 'app', operator: 'In', values: []}]}, web), false);
	});
});

describe('parseFieldSelector', () => {
	const pod: KObject = {
		apiVersion: 'v1',
		kind: 'Pod',
		metadata: {name: 'web-abc', namespace: 'shop'},
		spec: {nodeName: 'node-1', restartPolicy: 'Always', schedulerName: 'default-scheduler', serviceAccountName: 'default'},
		status: {phase: 'Running', podIP: '10.0.0.7'},
	};
	const event: KObject = {
		apiVersion: 'v1',
		kind: 'Event',
		metadata: {name: 'web-abc.17a', namespace: 'shop'},
		involvedObject: {kind: 'Pod', name: 'web-abc', namespace: 'shop', uid: 'u-1', apiVersion: 'v1', resourceVersion: '42', fieldPath: 'spec.containers{web}'},
		reason: 'BackOff',
		type: 'Warning',
		source: {component: 'kubelet', host: 'node-1'},
	};

	it('matches everything with an empty selector', () => {
		assert.equal(parseFieldSelector('', 'Pod')(pod), true);
	});

	it('supports metadata.name and metadata.namespace for every kind', () => {
		assert.equal(parseFieldSelector('metadata.name=web-abc', 'Deployment')(pod), true);
		assert.equal(parseFieldSelector('metadata.name==web-abc', 'VirtualService')(pod), true);
		assert.equal(parseFieldSelector('metadata.name!=web-abc', 'Pod')(pod), false);
		assert.equal(parseFieldSelector('metadata.namespace=shop,metadata.name=web-abc', 'Pod')(pod), true);
		assert.equal(parseFieldSelector('metadata.namespace=other,metadata.name=web-abc', 'Pod')(pod), false);
		assert.equal(parseFieldSelector('metadata.namespace=', 'Namespace')({metadata: {name: 'shop'}}), true);
	});

	it('supports pod fields', () => {
		assert.equal(parseFieldSelector('status.phase=Running', 'Pod')(pod), true);
		assert.equal(parseFieldSelector('status.phase!=Running', 'Pod')(pod), false);
		assert.equal(parseFieldSelector('spec.nodeName=node-1', 'Pod')(pod), true);
		assert.equal(parseFieldSelector('spec.restartPolicy=Always,spec.schedulerName=default-scheduler', 'Pod')(pod), true);
		assert.equal(parseFieldSelector('spec.serviceAccountName=default', 'Pod')(pod), true);
		assert.equal(parseFieldSelector('status.podIP=10.0.0.7', 'Pod')(pod), true);
		assert.equal(parseFieldSelector('status.podIP=10.0.0.8', 'Pod')({...pod, status: {podIPs: [{ip: '10.0.0.8'}]}}), true);
		// An unset field is the empty string: unscheduled pods
		assert.equal(parseFieldSelector('spec.nodeName=', 'Pod')({metadata: {name: 'p'}, spec: {}}), true);
		assert.equal(parseFieldSelector('spec.nodeName=', 'Pod')(pod), false);
	});

	it('supports event fields, including involvedObject', () => {
		const m = (s: string) => parseFieldSelector(s, 'Event')(event);
		assert.equal(m('involvedObject.kind=Pod,involvedObject.name=web-abc'), true);
		assert.equal(m('involvedObject.namespace=shop'), true);
		assert.equal(m('involvedObject.uid=u-1'), true);
		assert.equal(m('involvedObject.apiVersion=v1'), true);
		assert.equal(m('involvedObject.resourceVersion=42'), true);
		assert.equal(m('involvedObject.fieldPath=spec.containers{web}'), true);
		assert.equal(m('involvedObject.name=other'), false);
		assert.equal(m('reason=BackOff'), true);
		assert.equal(m('type=Warning'), true);
		assert.equal(m('type!=Normal'), true);
		assert.equal(m('source=kubelet'), true);
		assert.equal(m('source=deployment-controller'), false);
	});

	it('unescapes values', () => {
		assert.equal(parseFieldSelector('metadata.name=a\\,b', 'Pod')({metadata: {name: 'a,b'}}), true);
		assert.equal(parseFieldSelector('metadata.name=a\\=b', 'Pod')({metadata: {name: 'a=b'}}), true);
	});

	it('rejects unknown fields and bad syntax', () => {
		badRequest(() => parseFieldSelector('spec.replicas=3', 'Deployment'), 'field label not supported: spec.replicas');
		badRequest(() => parseFieldSelector('status.phase=Running', 'Deployment'), 'field label not supported: status.phase');
		badRequest(() => parseFieldSelector('reason=BackOff', 'Pod'), 'field label not supported: reason');
		badRequest(() => parseFieldSelector('involvedObject.name=x', 'Pod'), 'field label not supported: involvedObject.name');
		badRequest(() => parseFieldSelector('metadata.name', 'Pod'), "invalid selector: 'metadata.name'; can't understand 'metadata.name'");
		badRequest(() => parseFieldSelector('metadata.name=a=b', 'Pod'), 'invalid field selector: unescaped character in value: 61');
		badRequest(() => parseFieldSelector('metadata.name=a\\q', 'Pod'), 'invalid field selector: invalid escape sequence: \\q');
	});
});
