// Events are stored once, as core/v1; events.k8s.io/v1 readers get the newer shape.
import type {KObject} from './object.js';

export function toEventsV1(o: KObject): KObject {
	const {involvedObject, message, source, count, firstTimestamp, lastTimestamp, reportingComponent, reportingInstance, eventTime, series, related, action, reason, type, metadata} = o;
	return {
		kind: 'Event',
		apiVersion: 'events.k8s.io/v1',
		metadata,
		eventTime: eventTime ?? null,
		...(series ? {series} : {}),
		reportingController: reportingComponent || source?.component || '',
		reportingInstance: reportingInstance || source?.host || '',
		action: action ?? '',
		reason,
		regarding: involvedObject,
		...(related ? {related} : {}),
		note: message,
		type,
		deprecatedSource: source ?? {},
		deprecatedFirstTimestamp: firstTimestamp ?? null,
		deprecatedLastTimestamp: lastTimestamp ?? null,
		deprecatedCount: count ?? 0,
	};
}

/** Fill the core/v1 fields a client may leave out when it creates an Event. */
export function toCoreEvent(o: KObject): Partial<KObject> {
	const now = new Date().toISOString().replace(/\.\d+Z$/, 'Z');
	return {
		count: o.count ?? 1,
		firstTimestamp: o.firstTimestamp ?? o.lastTimestamp ?? now,
		lastTimestamp: o.lastTimestamp ?? o.firstTimestamp ?? now,
		type: o.type ?? 'Normal',
		source: o.source ?? {component: o.reportingComponent ?? ''},
	};
}
