// Recent events about the objects of a release.
import type {KObject} from '../kube/object.js';
import type {ReleaseEvent} from './model.js';
import {compareText, timeOf} from './object-fields.js';
import {sanitize} from './sanitize.js';

export const MAX_EVENTS = 50;

type ObjectReference = {kind?: string; name?: string; namespace?: string};

/** When the event last happened: lastTimestamp, else eventTime, else firstTimestamp, else its creation. */
export function eventTime(event: KObject): string {
	const candidates = [event.lastTimestamp, event.series?.lastObservedTime, event.eventTime, event.firstTimestamp, event.metadata.creationTimestamp];
	const found = candidates.find(t => typeof t === 'string' && t !== '');
	return typeof found === 'string' ? found : '';
}

/**
 * Events (core/v1 or events.k8s.io/v1) whose involved object is one of `objects` (keys `Kind/name`),
 * newest first, at most `limit`.
 */
export function releaseEvents(events: KObject[], objects: Set<string>, namespace: string, limit = MAX_EVENTS): ReleaseEvent[] {
	const picked: Array<{event: ReleaseEvent; at: number}> = [];
	for (const event of events) {
		const involved: ObjectReference = event.involvedObject ?? event.regarding ?? {};
		if (involved.namespace && involved.namespace !== namespace) continue;
		const key = `${involved.kind ?? ''}/${involved.name ?? ''}`;
		if (!objects.has(key)) continue;
		const time = eventTime(event);
		const count = event.count ?? event.series?.count ?? event.deprecatedCount;
		picked.push({
			event: {
				time: sanitize(time),
				type: event.type === 'Warning' ? 'Warning' : 'Normal',
				reason: sanitize(event.reason),
				object: sanitize(key),
				message: sanitize(event.message ?? event.note),
				count: typeof count === 'number' && count > 0 ? count : 1,
			},
			at: timeOf(time) ?? 0,
		});
	}
	picked.sort((a, b) => b.at - a.at || compareText(a.event.object, b.event.object) || compareText(a.event.reason, b.event.reason));
	return picked.slice(0, limit).map(p => p.event);
}
