// The audit Event every change leaves on its target, as the API server receives it.
import assert from 'node:assert/strict';
import {test} from 'node:test';
import {eventBody, REPORTING_COMPONENT} from '../../source/actions/audit.js';

test('eventBody: a core/v1 Event about the target, named after it, from rollscope on this host, at one time in each form', () => {
	const regarding = {apiVersion: 'apps/v1', kind: 'Deployment', name: 'checkout', namespace: 'shop', uid: 'u-1'};
	const body = eventBody({reason: 'RollscopeSetWeight', regarding, message: 'ann set the weight'}, new Date('2026-03-04T05:06:07.891Z'), 'laptop');
	assert.deepEqual(body, {
		apiVersion: 'v1',
		kind: 'Event',
		metadata: {generateName: 'checkout.', namespace: 'shop'},
		involvedObject: regarding,
		reason: 'RollscopeSetWeight',
		message: 'ann set the weight',
		type: 'Normal',
		action: 'SetWeight',
		source: {component: 'rollscope', host: 'laptop'},
		reportingComponent: 'rollscope',
		reportingInstance: 'laptop',
		firstTimestamp: '2026-03-04T05:06:07Z',
		lastTimestamp: '2026-03-04T05:06:07Z',
		eventTime: '2026-03-04T05:06:07.891000Z',
		count: 1,
	});
	assert.equal(REPORTING_COMPONENT, 'rollscope');
	const stop = eventBody({reason: 'RollscopeAutoAdvanceStop', regarding, message: 'm'}, new Date('2026-03-04T05:06:07Z'), 'h');
	assert.equal(stop.action, 'AutoAdvanceStop');
	assert.equal(stop.eventTime, '2026-03-04T05:06:07.000000Z');
	assert.equal(stop.firstTimestamp, '2026-03-04T05:06:07Z');
});
