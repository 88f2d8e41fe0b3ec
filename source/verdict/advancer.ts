// --auto-advance in the live view: twice a second, decideAdvance on the verdict in the store and the canary's
// position (weight, plan, the annotation's record); an advance goes through the action controller without a
// dialog. Marginal or fail stops it for this view, said in the header and on the activity line.
import type {Store} from '../store/store.js';
import {advanceLabel, decideAdvance, lastStepTime, type AdvanceRecord} from './advance.js';

export type AdvancePosition = {current: number; plan: readonly number[]; record?: AdvanceRecord};

export type AdvancerOptions = {
	store: Store;
	intervalMs: number;
	/** Where the canary is: its weight, the plan, the record; or why there is no weight to move. */
	position: () => AdvancePosition | {message: string};
	/** Moves to `to` (plan step `step`); answers a message when it could not start. */
	advance: (to: number, step: number, reason: string) => string | undefined;
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

	const setLabel = (text: string) => {
		if (text === label) return;
		label = text;
		store.dispatch({type: 'verdict', verdict: {autoAdvance: text}});
	};

	const tick = () => {
		if (stopped) return;
		const state = store.getState();
		if (!state.release || state.connection.state !== 'live') return;
		const position = options.position();
		if ('message' in position) {
			setLabel(`auto-advance: ${position.message}`);
			return;
		}
		const t = now();
		const verdict = state.verdict?.verdict;
		const lastStepAt = Math.max(lastStepTime(position.record, position.current, startedAt), lastAdvanceAt);
		const decision = decideAdvance({verdict: verdict?.state, lastStepAt, now: t, intervalMs, current: position.current, plan: position.plan});
		if (decision.kind === 'stop' || decision.kind === 'done') {
			stopped = true;
			const text = advanceLabel(decision, t);
			setLabel(text);
			const why = decision.kind === 'stop' && verdict ? ` — ${verdict.reason}` : decision.kind === 'done' ? ' · p promotes' : '';
			store.dispatch({type: 'actions', actions: {activity: {tone: decision.kind === 'stop' ? 'warn' : 'ok', text: `${text}${why}`}}});
			return;
		}
		if (decision.kind === 'wait') {
			setLabel(advanceLabel(decision, t));
			// The view's clock stands still while live: move it so the seconds go down.
			if (decision.until !== undefined) store.dispatch({type: 'tick', now: t});
			return;
		}
		lastAdvanceAt = t;
		setLabel(advanceLabel(decision, t));
		const problem = options.advance(decision.to, decision.step, `verdict pass: ${verdict?.reason ?? ''}`);
		if (problem) {
			// Tried again after another interval.
			setLabel(`auto-advance: ${problem}`);
			store.dispatch({type: 'actions', actions: {activity: {tone: 'warn', text: `auto-advance: ${problem}`}}});
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
