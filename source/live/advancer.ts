// --auto-advance in the live view: twice a second, decideAdvance on the verdict in the store and the canary's
// position (weight, plan, the annotation's record); an advance goes through the action controller without a
// dialog. Marginal or fail stops it: said in the header and on the activity line, and recorded in the
// annotation (`recordStop`) so that a view started again does not advance either. Like the record, this view
// holds the stop only while the canary stays at the weight it stopped at: a weight changed by hand (or, once
// the stop is recorded, the annotation removed) lets it go on.
import type {Store} from '../store/store.js';
import {AUTO_ADVANCE_ANNOTATION, advanceLabel, decideAdvance, lastStepTime, recordedStop, sameWeight, type AdvanceDecision, type AdvanceRecord} from '../verdict/advance.js';

/** revision: the canary Deployment's revision (deployment.kubernetes.io/revision), when known. */
export type AdvancePosition = {current: number; plan: readonly number[]; record?: AdvanceRecord; revision?: string};

/** A stop to record: the weight it stopped at, why (`verdict fail at 25%`), the verdict's reason, when (ISO), the canary's revision. */
export type StopToRecord = {weight: number; why: string; reason: string; at: string; revision?: string};

export type AdvancerOptions = {
	store: Store;
	intervalMs: number;
	/** Where the canary is: its weight, the plan, the record; or why there is no weight to move. */
	position: () => AdvancePosition | {message: string};
	/** Moves to `to` (plan step `step`); answers a message when it could not start. */
	advance: (to: number, step: number, reason: string) => string | undefined;
	/** Records a stop on the canary; answers a message when it could not start (asked again on the next tick). */
	recordStop?: (stop: StopToRecord) => string | undefined;
	now?: () => number;
	/** How often to look (tests shorten it). */
	tickMs?: number;
};

export function startAdvancer(options: AdvancerOptions): {stop(): void; tick(): void} {
	const {store, intervalMs} = options;
	const now = options.now ?? Date.now;
	const startedAt = now();
	let lastAdvanceAt = -Infinity;
	let stopped = false;
	let label = '';
	let lastKind: AdvanceDecision['kind'] | undefined;
	/** The weight this view last saw, and since when (the view's start for the first). */
	let seen: {weight: number; since: number} | undefined;
	/** A stop of this view that the record does not show yet (sent: the write has started). */
	let pendingStop: (StopToRecord & {sent: boolean}) | undefined;
	/** When this view's last recorded stop was made (ISO), so the header says `stopped`, not `stopped earlier`. */
	let ownStopAt: string | undefined;

	const setLabel = (text: string) => {
		if (text === label) return;
		label = text;
		store.dispatch({type: 'verdict', verdict: {autoAdvance: text}});
	};
	const say = (tone: 'ok' | 'warn', text: string) => store.dispatch({type: 'actions', actions: {activity: {tone, text}}});

	const sendStop = () => {
		if (!pendingStop || pendingStop.sent || !options.recordStop) return;
		const {sent: _, ...stop} = pendingStop;
		// A write that cannot start now (busy with a step, not live) is asked again on the next tick; one that
		// started and failed says so on the activity line and is not repeated: this view holds the stop anyway.
		if (options.recordStop(stop) === undefined) pendingStop.sent = true;
	};

	const tick = () => {
		if (stopped) return;
		const state = store.getState();
		if (!state.release || state.connection.state !== 'live') return;
		const position = options.position();
		if ('message' in position) {
			lastKind = undefined;
			setLabel(`auto-advance: ${position.message}`);
			return;
		}
		const t = now();
		const {current, record, revision} = position;
		if (!seen || !sameWeight(seen.weight, current)) seen = {weight: current, since: seen ? t : startedAt};
		if (pendingStop && (!sameWeight(pendingStop.weight, current) || pendingStop.revision !== revision)) pendingStop = undefined;
		const recorded = recordedStop(record, current, revision);
		if (pendingStop && recorded?.at === pendingStop.at) {
			ownStopAt = pendingStop.at;
			pendingStop = undefined;
		}
		const stop = recorded ?? pendingStop;
		const verdict = state.verdict?.verdict;
		const stepAt = lastStepTime(record, current, Number.NaN);
		const lastStepAt = Math.max(Number.isNaN(stepAt) ? seen.since : stepAt, lastAdvanceAt);
		const decision = decideAdvance({
			verdict: verdict?.state,
			windowStart: state.verdict?.windowStart,
			lastStepAt,
			sinceStart: Number.isNaN(stepAt) && lastStepAt === seen.since,
			...(stop ? {stopped: {why: stop.why, at: Date.parse(stop.at)}} : {}),
			now: t,
			intervalMs,
			current,
			plan: position.plan,
		});
		const entered = decision.kind !== lastKind;
		lastKind = decision.kind;
		switch (decision.kind) {
			case 'held': {
				const own = pendingStop !== undefined || recorded?.at === ownStopAt;
				setLabel(own ? advanceLabel({kind: 'stop', why: decision.why}, t) : advanceLabel(decision, t));
				if (own) sendStop();
				else if (entered) say('warn', `${advanceLabel(decision, t)}: change the weight by hand or remove the ${AUTO_ADVANCE_ANNOTATION} annotation to go on`);
				return;
			}
			case 'stop': {
				const text = advanceLabel(decision, t);
				setLabel(text);
				say('warn', `${text}${verdict ? ` — ${verdict.reason}` : ''}`);
				pendingStop = {weight: current, why: decision.why, reason: verdict?.reason ?? '', at: new Date(t).toISOString(), ...(revision === undefined ? {} : {revision}), sent: false};
				lastKind = 'held';
				sendStop();
				return;
			}
			case 'done': {
				const text = advanceLabel(decision, t);
				setLabel(text);
				if (entered) say('ok', `${text} · p promotes`);
				return;
			}
			case 'wait':
				setLabel(advanceLabel(decision, t));
				// The view's clock stands still while live: move it so the seconds go down.
				if (decision.until !== undefined) store.dispatch({type: 'tick', now: t});
				return;
			case 'advance': {
				lastAdvanceAt = t;
				setLabel(advanceLabel(decision, t));
				const problem = options.advance(decision.to, decision.step, `verdict pass: ${verdict?.reason ?? ''}`);
				if (problem) {
					// Tried again after another interval.
					setLabel(`auto-advance: ${problem}`);
					say('warn', `auto-advance: ${problem}`);
				}
				return;
			}
		}
	};

	const timer = setInterval(tick, options.tickMs ?? 500);
	timer.unref?.();
	return {
		tick,
		stop() {
			stopped = true;
			clearInterval(timer);
		},
	};
}
