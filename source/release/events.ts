// Recent events about the objects of a release. What a frozen Event says (lean.ts freezes those the watch
// keeps) is worked out once.
import type {KObject} from '../kube/object.js';
import type {ReleaseEvent} from './model.js';
import {onceForFrozen} from './lean.js';
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

/** An Event as the events pane shows it, whom it is about (`Kind/name`, its namespace) and when (ms). */
type EventFacts = {event: ReleaseEvent; key: string; namespace: string | undefined; at: number};

/** Kept for a frozen Event. */
const eventFacts = onceForFrozen((event): EventFacts => {
	const involved: ObjectReference = event.involvedObject ?? event.regarding ?? {};
	const key = `${involved.kind ?? ''}/${involved.name ?? ''}`;
	const time = eventTime(event);
	const count = event.count ?? event.series?.count ?? event.deprecatedCount;
	const facts: EventFacts = {
		event: {
			time: sanitize(time),
			type: event.type === 'Warning' ? 'Warning' : 'Normal',
			reason: sanitize(event.reason),
			object: sanitize(key),
			message: sanitize(event.message ?? event.note),
			count: typeof count === 'number' && count > 0 ? count : 1,
		},
		key,
		namespace: involved.namespace,
		at: timeOf(time) ?? 0,
	};
	return facts;
});

/** When the event last happened, ms since the epoch (0 when it does not say): what the watch keeps the newest by. */
export function eventAt(event: KObject): number {
	return eventFacts(event).at;
}

/**
 * Events (core/v1 or events.k8s.io/v1) whose involved object is one of `objects` (keys `Kind/name`),
 * newest first, at most `limit`.
 */
export function releaseEvents(events: KObject[], objects: Set<string>, namespace: string, limit = MAX_EVENTS): ReleaseEvent[] {
	const picked: EventFacts[] = [];
	for (const event of events) {
		const facts = eventFacts(event);
		if (facts.namespace && facts.namespace !== namespace) continue;
		if (objects.has(facts.key)) picked.push(facts);
	}
	picked.sort((a, b) => b.at - a.at || compareText(a.event.object, b.event.object) || compareText(a.event.reason, b.event.reason));
	// Copies: the Release is the view's to keep, the facts are shared between rebuilds.
	return picked.slice(0, limit).map(p => ({...p.event}));
}
