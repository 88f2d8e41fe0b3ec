// The core/v1 Event every change leaves on its target, so any view watching the namespace sees who did what.
import {hostname} from 'node:os';
import type {AuditEvent} from './types.js';

export const REPORTING_COMPONENT = 'rollscope';

/** The Event to POST for an audit record, at `now`. */
export function eventBody(event: AuditEvent, now: Date, instance = hostname()): Record<string, unknown> {
	const time = now.toISOString().replace(/\.\d+Z$/, 'Z');
	const micro = now.toISOString().replace(/Z$/, '000Z');
	return {
		apiVersion: 'v1',
		kind: 'Event',
		metadata: {generateName: `${event.regarding.name}.`, namespace: event.regarding.namespace},
		involvedObject: event.regarding,
		reason: event.reason,
		message: event.message,
		type: 'Normal',
		action: event.reason.replace(/^Rollscope/, ''),
		source: {component: REPORTING_COMPONENT, host: instance},
		reportingComponent: REPORTING_COMPONENT,
		reportingInstance: instance,
		firstTimestamp: time,
		lastTimestamp: time,
		eventTime: micro,
		count: 1,
	};
}
