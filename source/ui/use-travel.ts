// The view's place in time, for App and the timeline: where it is (the present or a past moment), the keys
// that apply there, what the time keys do, and the header's words for it (`⏸ 14:02:31 (3m12s ago)`).
import {useSyncExternalStore} from 'react';
import {elapsed} from '../history/time.js';
import type {TimeTravel, TravelView} from '../history/travel.js';
import {clock} from '../text/format.js';
import type {Command, Situation} from './keymap.js';

const noSubscription = () => () => {};

/** The travel's view, or undefined when the view keeps no history. */
export function useTravel(travel: TimeTravel | undefined): TravelView | undefined {
	return useSyncExternalStore(travel?.subscribe ?? noSubscription, () => travel?.view());
}

/** The keymap's situation in time. */
export function travelSituation(view: TravelView | undefined): Pick<Situation, 'history' | 'past' | 'replay' | 'rewound'> {
	if (!view) return {};
	return {history: true, past: !view.recording && view.at !== undefined, replay: Boolean(view.recording), rewound: Boolean(view.recording) && view.at !== undefined};
}

/** A time key's effect: the status line it leaves (undefined: none); false when the command is not a time key. */
export function travelCommand(travel: TimeTravel, command: Command): string | undefined | false {
	switch (command.name) {
		case 'travelBack':
			return travel.back();
		case 'travelForward':
			return travel.forward();
		case 'travelMinuteBack':
			return travel.step(-1);
		case 'travelMinuteForward':
			return travel.step(1);
		case 'travelLive':
			return travel.toPresent();
		case 'travelPlay':
			return travel.togglePlay();
		default:
			return false;
	}
}

/** The header's words for a moment shown, or undefined in the present of a live view. */
export function travelLabel(view: TravelView | undefined): string | undefined {
	if (!view) return undefined;
	const {recording, at} = view;
	if (!recording) return at === undefined ? undefined : `⏸ ${clock(at)} (${elapsed(view.now - at)} ago)`;
	const length = elapsed(recording.end - recording.start);
	if (at === undefined) return `■ ${clock(recording.end)} end of the recording (${length})`;
	const speed = view.playing && view.speed !== 1 ? ` ×${view.speed}` : '';
	return `${view.playing ? '▶' : '⏸'} ${clock(at)}${speed} (${elapsed(at - recording.start)} of ${length})`;
}
